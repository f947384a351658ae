"""Who reads and who edits a record: PROTOCOL.md "Who reads, who edits", as pure functions.

Everything here works on :class:`Actor` (a signed-in user with their role and community
roles) and :class:`Access` (the envelope fields that decide access), so the rules can be
tested as tables without a database or a request.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from sync.protocol import CommunityRole, Envelope, Role, Status, Visibility

#: Kinds only librarians create and edit.
LIBRARIAN_KINDS = frozenset({"term", "centre_item"})
#: Kinds posted by members of a community, published at once, visible to that community.
COMMUNITY_POST_KINDS = frozenset({"question", "answer"})
#: Requests for advice, mentoring or peer review: between the requester (owner) and the person
#: asked (the envelope's reviewers), whatever their status; librarians see them too.
REQUEST_KIND = "request"
_AUTHOR_STATUSES = frozenset({Status.DRAFT, Status.RETURNED})


@dataclass(frozen=True)
class Actor:
    """A signed-in user as the rules see them."""

    name: str
    role: Role
    communities: Mapping[str, CommunityRole] = field(default_factory=dict)

    @property
    def is_librarian(self) -> bool:
        """Librarians, and admins (who have librarian rights on content)."""
        return self.role in (Role.LIBRARIAN, Role.ADMIN)

    def is_member(self, community: str) -> bool:
        """Member or facilitator of ``community``."""
        return bool(community) and community in self.communities

    def is_facilitator(self, community: str) -> bool:
        """Facilitator of ``community``."""
        return bool(community) and self.communities.get(community) == CommunityRole.FACILITATOR


@dataclass(frozen=True)
class Access:
    """The envelope fields that decide who may read or edit a record version."""

    kind: str
    owner: str
    co_authors: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()
    community: str = ""
    status: Status = Status.DRAFT
    visibility: Visibility = Visibility.EVERYONE
    deleted: bool = False
    #: For expert profiles: the user name the profile belongs to (payload field ``handle``).
    handle: str = ""

    @classmethod
    def of(cls, envelope: Envelope, payload: Mapping[str, Any] | None = None) -> Access:
        """The access fields of a record version."""
        return cls(
            kind=envelope.kind,
            owner=envelope.owner,
            co_authors=tuple(envelope.co_authors),
            reviewers=tuple(envelope.reviewers),
            community=envelope.community,
            status=envelope.status,
            visibility=envelope.visibility,
            deleted=envelope.deleted,
            handle=payload_handle(payload or {}),
        )

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values (stored with each version in the record history)."""
        return {
            "kind": self.kind,
            "owner": self.owner,
            "co_authors": list(self.co_authors),
            "reviewers": list(self.reviewers),
            "community": self.community,
            "status": self.status.value,
            "visibility": self.visibility.value,
            "deleted": self.deleted,
            "handle": self.handle,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Access:
        """Inverse of :meth:`to_json`."""
        return cls(
            kind=str(data["kind"]),
            owner=str(data["owner"]),
            co_authors=tuple(data.get("co_authors", ())),
            reviewers=tuple(data.get("reviewers", ())),
            community=str(data.get("community", "")),
            status=Status(data["status"]),
            visibility=Visibility(data["visibility"]),
            deleted=bool(data.get("deleted", False)),
            handle=str(data.get("handle", "")),
        )


class ReadFields(Protocol):
    """The fields :func:`visible` reads: an :class:`Access`, or a row of the records table as it is
    (its status and visibility columns are the enums' string values, which compare and hash
    as the StrEnum members do), so the feed decides without building an Access per row."""

    @property
    def kind(self) -> str: ...
    @property
    def owner(self) -> str: ...
    @property
    def co_authors(self) -> Collection[str]: ...
    @property
    def reviewers(self) -> Collection[str]: ...
    @property
    def community(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def visibility(self) -> str: ...


def payload_handle(payload: Mapping[str, Any]) -> str:
    """The ``handle`` of an expert profile, at the top of the payload or in its ``fields``."""
    value = payload.get("handle")
    fields = payload.get("fields")
    if not isinstance(value, str) and isinstance(fields, Mapping):
        value = fields.get("handle")
    return value if isinstance(value, str) else ""


def is_author(actor: Actor, access: ReadFields) -> bool:
    """Owner or co-author."""
    return actor.name == access.owner or actor.name in access.co_authors


def _is_author_or_reviewer(actor: Actor, access: ReadFields) -> bool:
    return is_author(actor, access) or actor.name in access.reviewers


def _in_thread(actor: Actor, access: ReadFields) -> bool:
    """A question asked of a named person, and its answers: the people named in ``reviewers``
    read it wherever it is; one with no community is also read by its owner (the asker)."""
    return actor.name in access.reviewers or (not access.community and is_author(actor, access))


def visible(actor: Actor, access: ReadFields) -> bool:
    """Whether ``actor`` may read the version (a tombstone keeps its last live version's fields)."""
    if access.kind == REQUEST_KIND:
        return _is_author_or_reviewer(actor, access) or actor.is_librarian
    status = access.status
    if status in _AUTHOR_STATUSES:
        # Admins run the server, but never read others' drafts.
        return _is_author_or_reviewer(actor, access)
    if status == Status.SUBMITTED:
        return (
            _is_author_or_reviewer(actor, access)
            or actor.is_librarian
            or actor.is_facilitator(access.community)
        )
    if status == Status.PUBLISHED:
        if access.visibility == Visibility.EVERYONE:
            return True
        if actor.is_member(access.community) or actor.is_librarian:
            return True
        return access.kind in COMMUNITY_POST_KINDS and _in_thread(actor, access)
    # Retired.
    return actor.is_librarian or actor.name == access.owner


class EditDecision(StrEnum):
    """What a push of a new version of an existing record may do."""

    EDIT = "edit"  # store it (subject to the status rules)
    PROPOSE = "propose"  # keep it as a proposal beside the published record
    DENY = "deny"


def _kind_editor(actor: Actor, access: Access, record_id: str) -> bool | None:
    """Editors named by the kind's own rules, or None when the status table decides."""
    if access.kind == "expert":
        return actor.is_librarian or actor.name in (access.owner, access.handle)
    if access.kind == "community":
        return actor.is_librarian or actor.is_facilitator(record_id)
    if access.kind in LIBRARIAN_KINDS:
        return actor.is_librarian
    if access.kind in COMMUNITY_POST_KINDS:
        return actor.is_librarian or actor.name == access.owner
    if access.kind == REQUEST_KIND:
        # The person asked accepts, declines and reports the outcome on the same record.
        return actor.is_librarian or _is_author_or_reviewer(actor, access)
    return None


def _status_editor(actor: Actor, access: Access) -> bool:
    status = access.status
    if status in _AUTHOR_STATUSES:
        return is_author(actor, access)
    if status == Status.PUBLISHED and access.visibility == Visibility.COMMUNITY:
        return actor.is_librarian or actor.is_facilitator(access.community)
    # Submitted, published to everyone and retired records: librarians only.
    return actor.is_librarian


def edit_decision(actor: Actor, current: Access, record_id: str) -> EditDecision:
    """May ``actor`` push a new version over the server's ``current`` one?

    Someone who can read a record published to everyone but may not edit it proposes
    a revision instead; anyone else is denied.
    """
    kind_rule = _kind_editor(actor, current, record_id)
    editor = kind_rule if kind_rule is not None else _status_editor(actor, current)
    if editor:
        return EditDecision.EDIT
    if (
        current.status == Status.PUBLISHED
        and current.visibility == Visibility.EVERYONE
        and not current.deleted
        and visible(actor, current)
    ):
        return EditDecision.PROPOSE
    return EditDecision.DENY


def status_change_allowed(actor: Actor, current: Access, new_status: Status) -> bool:
    """Owners and co-authors may submit a draft or returned record; librarians may set any status."""
    if new_status == current.status or actor.is_librarian:
        return True
    return current.status in _AUTHOR_STATUSES and new_status == Status.SUBMITTED and is_author(actor, current)


def may_set_authors(actor: Actor, current: Access) -> bool:
    """Who may change the owner, co-authors and reviewers: the owner (not the owner field) and librarians."""
    return actor.is_librarian or actor.name == current.owner


def may_move(actor: Actor, current: Access) -> bool:
    """Who may change community and visibility: librarians, and authors before publication."""
    return actor.is_librarian or (current.status in _AUTHOR_STATUSES and is_author(actor, current))


@dataclass(frozen=True)
class FirstPush:
    """The server's answer to the first push of a record: the status and visibility it gets, or a denial."""

    allowed: bool
    status: Status = Status.DRAFT
    visibility: Visibility = Visibility.EVERYONE
    reason: str = ""
    #: Set when the server decides them (an answer takes its question's community and people).
    community: str | None = None
    reviewers: tuple[str, ...] | None = None


def first_push(actor: Actor, pushed: Access, record_id: str, question: Access | None = None) -> FirstPush:
    """Status and visibility of a record new to the server, from the pusher's role (PROTOCOL.md).

    ``question``: for an answer, the server's current version of the question it answers.
    """
    kind = pushed.kind
    if kind in LIBRARIAN_KINDS or kind == "community":
        if not actor.is_librarian:
            return FirstPush(False, reason=f"only librarians create {kind.replace('_', ' ')} records")
        return FirstPush(True, Status.PUBLISHED, pushed.visibility)
    if kind == "answer" and question is not None:
        return _first_answer(actor, question)
    if kind in COMMUNITY_POST_KINDS:
        if kind == "question" and not pushed.community and pushed.reviewers:
            # Asked of a named person: the asker, the people asked and librarians read it.
            return FirstPush(True, Status.PUBLISHED, Visibility.COMMUNITY)
        if not (actor.is_member(pushed.community) or (actor.is_librarian and pushed.community)):
            return FirstPush(False, reason=f"a {kind} is posted by members of its community")
        return FirstPush(True, Status.PUBLISHED, Visibility.COMMUNITY)
    if kind == REQUEST_KIND:
        if not pushed.reviewers:
            return FirstPush(False, reason="a request names the person asked (envelope reviewers)")
        return FirstPush(True, Status.PUBLISHED, Visibility.EVERYONE)
    if kind == "expert" and not actor.is_librarian:
        if pushed.handle not in ("", actor.name):
            return FirstPush(False, reason="an expert profile is created by the person or a librarian")
        return FirstPush(True, Status.PUBLISHED, pushed.visibility)
    if actor.is_librarian:
        return FirstPush(True, Status.PUBLISHED, pushed.visibility)
    status = Status.SUBMITTED if pushed.status == Status.SUBMITTED else Status.DRAFT
    return FirstPush(True, status, pushed.visibility)


def _first_answer(actor: Actor, question: Access) -> FirstPush:
    """An answer is posted by whoever reads its question, and is read by those who read the question."""
    if question.kind != "question" or question.deleted or not visible(actor, question):
        return FirstPush(False, reason="an answer answers a question you can read")
    people = question.reviewers if question.community else (question.owner, *question.reviewers)
    return FirstPush(
        True,
        Status.PUBLISHED,
        Visibility.COMMUNITY,
        community=question.community,
        reviewers=tuple(dict.fromkeys(people)),
    )
