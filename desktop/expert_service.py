"""Peer learning for one open profile: my expert profile and availability, requests for advice,
mentoring or peer review (made, received, answered), and the people to ask about a record (no Qt).

Everything works offline from the local store: a request or its answer is a record saved here
and pushed at the next sync (see desktop/core/requests.py for the record's shape).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.core.kinds import Kind
from desktop.core.records import Record, Relation
from desktop.core.requests import RequestError, asked_user, new_request, party_of, responded, state_of
from desktop.search import AVAILABILITY, ExpertFinder, ExpertMatch, distinct_places

if TYPE_CHECKING:
    from desktop.core.changes import Changes
    from desktop.session import Session

#: People suggested on a record's page.
SUGGESTED = 5
#: Suggestions kept in memory (record id and revision, index watermark -> people).
_CACHE_SIZE = 200


@dataclass(frozen=True)
class RequestSummary:
    """A request as the Requests section lists it, from the side of whoever looks at it."""

    id: str
    request_type: str
    state: str
    message: str
    outcome: str
    date: str
    responded: str
    #: The other person: the expert asked (my requests) or the requester (requests to me).
    other_name: str
    other_id: str
    regarding_id: str
    regarding_title: str
    incoming: bool


@dataclass(frozen=True)
class RequestsOverview:
    """Requests made of me (to answer) and by me (to follow), newest first."""

    me: str
    profile: Record | None
    incoming: list[RequestSummary]
    outgoing: list[RequestSummary]

    @property
    def waiting(self) -> int:
        """Requests to me that I have not answered yet."""
        return sum(1 for r in self.incoming if r.state == "open")


class ExpertService:
    """Availability, requests and suggestions, over one session's store and index."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._suggestions: dict[tuple[str, str, int], list[ExpertMatch]] = {}
        self._lock = threading.Lock()

    # -- me ------------------------------------------------------------------------------------

    def my_profile(self) -> Record | None:
        """The expert profile whose ``handle`` is my user name, if there is one."""
        me = self.session.me()
        found = self.session.store.experts_by_handle([me])
        return self.session.store.get(found[me]) if me in found else None

    def set_availability(self, offers: list[str]) -> Changes:
        """Mark myself available for ``offers`` (of advice, mentoring, peer_review) on my profile."""
        profile = self.my_profile()
        if profile is None:
            raise RequestError(
                "You have no expert profile yet: create one with your user name as its handle."
            )
        wanted = [offer for offer in AVAILABILITY if offer in offers]
        return self.session.save(profile.with_fields(availability=wanted))

    def filter_choices(self) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        """The districts and the organisations of expert profiles with how many people have each,
        for the finder's filters (one spelling of each: "Washington, DC" and "Washington, D.C."
        filter alike)."""
        store = self.session.store
        return (
            distinct_places(store.expert_value_counts("district")),
            distinct_places(store.expert_value_counts("organisation")),
        )

    # -- requests ------------------------------------------------------------------------------

    def request_help(self, expert_id: str, request_type: str, message: str, regarding: str = "") -> Record:
        """Ask an expert for advice, mentoring or a peer review (of my draft ``regarding``)."""
        profile = self.session.store.get(expert_id)
        if profile is None or profile.kind is not Kind.EXPERT or profile.deleted:
            raise RequestError("There is no such expert.")
        if regarding:
            draft = self.session.store.get(regarding)
            if draft is None or draft.deleted:
                raise RequestError("The draft to review is gone.")
        request = new_request(
            requester=self.session.me(),
            expert=party_of(profile),
            request_type=request_type,
            message=message,
            regarding=regarding,
        )
        self.session.save(request)
        return request

    def ask_expert(self, expert_id: str, title: str, body: str = "") -> Record:
        """Ask an expert a question (a question of a named expert, as communities of practice ask it)."""
        try:
            return self.session.ask_question(title, body, expert_id=expert_id)
        except ValueError as error:  # no such expert, or one with no user name to reach them by
            raise RequestError(str(error)) from None

    def respond(self, request_id: str, state: str, outcome: str = "") -> Changes:
        """Accept, decline or complete (with an outcome) a request made of me."""
        request = self.session.store.get(request_id)
        if request is None or request.kind is not Kind.REQUEST or request.deleted:
            raise RequestError("There is no such request.")
        if asked_user(request) != self.session.me():
            raise RequestError("Only the person asked answers a request.")
        return self.session.save(responded(request, state, outcome))

    def overview(self) -> RequestsOverview:
        """Requests made of me and by me, from the local store."""
        store, me = self.session.store, self.session.me()
        profile = self.my_profile()
        incoming = store.linked_records(profile.id, Relation.REQUESTED_OF, Kind.REQUEST) if profile else []
        incoming = [r for r in incoming if r.owner != me]
        outgoing = store.owned_records(me, Kind.REQUEST)
        linked = [
            t
            for r in [*incoming, *outgoing]
            for t in (*r.links_of(Relation.REQUESTED_OF), *r.links_of(Relation.REGARDING))
        ]
        records = store.get_many(linked)
        requesters = store.experts_by_handle(r.owner for r in incoming)
        profiles = store.get_many(requesters.values())

        def summary(request: Record, incoming: bool) -> RequestSummary:
            regarding = next(iter(request.links_of(Relation.REGARDING)), "")
            if incoming:
                other_id = requesters.get(request.owner, "")
                other = profiles.get(other_id)
                other_name = other.title if other is not None else request.owner
            else:
                other_id = next(iter(request.links_of(Relation.REQUESTED_OF)), "")
                other = records.get(other_id)
                other_name = other.title if other is not None else asked_user(request)
            fields = request.fields
            return RequestSummary(
                id=request.id,
                request_type=str(fields.get("request_type") or ""),
                state=state_of(request),
                message=str(fields.get("message") or ""),
                outcome=str(fields.get("outcome") or ""),
                date=str(fields.get("date") or request.created_at),
                responded=str(fields.get("responded") or ""),
                other_name=other_name,
                other_id=other_id,
                regarding_id=regarding,
                regarding_title=records[regarding].title if regarding in records else "",
                incoming=incoming,
            )

        return RequestsOverview(
            me=me,
            profile=profile,
            incoming=[summary(r, True) for r in incoming],
            outgoing=[summary(r, False) for r in outgoing],
        )

    # -- whom to ask about a record --------------------------------------------------------------

    def suggestions(self, record_id: str, limit: int = SUGGESTED) -> list[ExpertMatch]:
        """The people to ask about a record: the finder run on its title and tags, its own authors
        and participants left out (cached per record revision and index state)."""
        record = self.session.store.get(record_id)
        if record is None or record.deleted or record.kind in (Kind.EXPERT, Kind.TERM, Kind.REQUEST):
            return []
        key = (record.id, record.revision, self.session.index.watermark)
        with self._lock:
            cached = self._suggestions.get(key)
        if cached is not None:
            return cached
        own = {*record.links_of(Relation.AUTHOR), *record.links_of(Relation.PARTICIPANT)}
        finder = ExpertFinder(self.session.index, self.session.store)
        people = finder.find_about(record, limit, exclude=own)
        with self._lock:
            if len(self._suggestions) >= _CACHE_SIZE:
                self._suggestions.clear()
            self._suggestions[key] = people
        return people
