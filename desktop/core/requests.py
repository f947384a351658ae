"""Requests for advice, mentoring or peer review: records between a requester and an expert.

A request is owned by the requester; its ``requested_of`` link points at the expert's profile,
with their user name (the profile's ``handle``) in the link's note, so the server lets them read
and answer it. A peer-review request also points at the draft it is about (``regarding``).
The expert answers by changing ``state`` (open -> accepted or declined; accepted -> done, with
an ``outcome``); the requester sees the state after the next sync.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, Status, new_record_id, utc_now

REQUEST_TYPES = ("advice", "mentoring", "peer_review")
STATES = ("open", "accepted", "declined", "done")
#: The states a request may move to from each state (by the person asked).
NEXT_STATES: dict[str, tuple[str, ...]] = {
    "open": ("accepted", "declined"),
    "accepted": ("done",),
    "declined": (),
    "done": (),
}


class RequestError(ValueError):
    """A request that cannot be made or answered (a message a person can read)."""


@dataclass(frozen=True)
class RequestParty:
    """The expert a request is made of: their profile id, name and user name."""

    profile_id: str
    name: str
    user: str


def party_of(profile: Record) -> RequestParty:
    """The expert behind a profile record."""
    return RequestParty(profile.id, profile.title, str(profile.fields.get("handle") or "").strip())


def new_request(
    *,
    requester: str,
    expert: RequestParty,
    request_type: str,
    message: str,
    regarding: str = "",
    now: str = "",
) -> Record:
    """A new, unsaved request of ``expert`` by the user ``requester``."""
    if request_type not in REQUEST_TYPES:
        raise RequestError(f"unknown request type {request_type!r}")
    if not expert.user:
        raise RequestError(f"{expert.name or 'This expert'} has no user name yet, so cannot receive requests")
    if expert.user == requester:
        raise RequestError("you cannot ask yourself")
    if request_type == "peer_review" and not regarding:
        raise RequestError("choose the draft to be reviewed")
    links = [Link(Relation.REQUESTED_OF, expert.profile_id, expert.user)]
    if regarding:
        links.append(Link(Relation.REGARDING, regarding))
    now = now or utc_now()
    return Record(
        id=new_record_id(),
        kind=Kind.REQUEST,
        fields={"request_type": request_type, "message": message.strip(), "state": "open", "date": now},
        links=tuple(links),
        owner=requester,
        status=Status.DRAFT,
        created_at=now,
    )


def state_of(request: Record) -> str:
    """The request's state (``open`` when unset)."""
    state = str(request.fields.get("state") or "open")
    return state if state in STATES else "open"


def responded(request: Record, state: str, outcome: str = "", now: str = "") -> Record:
    """The request answered by the person asked: moved to ``state`` (with ``outcome`` when done)."""
    current = state_of(request)
    if state not in NEXT_STATES[current]:
        raise RequestError(f"a request that is {current} cannot become {state}")
    values: dict[str, object] = {"state": state, "responded": now or utc_now()}
    if outcome.strip() or state == "done":
        values["outcome"] = outcome.strip()
    return request.with_fields(**values)


def asked_user(request: Record) -> str:
    """The user name of the person a request is made of ("" if the link names none)."""
    for link in request.links:
        if link.relation is Relation.REQUESTED_OF:
            return link.note
    return ""
