"""The curation workflow: submit, publish, return with a comment, retire, and the history they write.

A reviewable record moves draft -> submitted -> published (or returned with a comment, then
submitted again) -> retired. Whoever moves it appends an entry to the record's
``fields["review_log"]``: ``{"action", "by", "at", "comment"}`` (sync/PROTOCOL.md "Review
history"; the server refuses an entry that is not the pusher's or does not match the change).
Pure functions over :class:`Record` values; the store saves what they return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from desktop.core.kinds import Kind
from desktop.core.records import Record, Relation, Status, utc_now

REVIEW_LOG_FIELD = "review_log"
#: The profile's server role, stored at sign-in and refreshed by a sync (meta key).
ROLE_KEY = "sync.role"
LIBRARIAN_ROLES = frozenset({"librarian", "admin"})
#: Kinds that go through review (the others have rules of their own: profiles, communities,
#: questions and answers are published as they are posted; terms and centre items by librarians).
REVIEWABLE_KINDS = frozenset({Kind.CASE_STUDY, Kind.ARTICLE, Kind.SITE_VISIT})
#: Kinds a librarian retires when they go stale (reviewable ones and the catalogue).
RETIRABLE_KINDS = REVIEWABLE_KINDS | {Kind.CENTRE_ITEM}
MAX_COMMENT = 4_000


class ReviewAction(StrEnum):
    """What a review entry records; each leads to one status."""

    SUBMITTED = "submitted"
    PUBLISHED = "published"
    RETURNED = "returned"
    RETIRED = "retired"
    REOPENED = "reopened"


STATUS_AFTER: dict[ReviewAction, Status] = {
    ReviewAction.SUBMITTED: Status.SUBMITTED,
    ReviewAction.PUBLISHED: Status.PUBLISHED,
    ReviewAction.RETURNED: Status.RETURNED,
    ReviewAction.RETIRED: Status.RETIRED,
    ReviewAction.REOPENED: Status.DRAFT,
}


class ReviewError(ValueError):
    """A review action that cannot be taken (the message says why, for the person)."""


@dataclass(frozen=True)
class ReviewEntry:
    """One step of a record's review history."""

    action: ReviewAction
    by: str
    at: str
    comment: str = ""

    def to_json(self) -> dict[str, str]:
        """The entry as it is stored in ``fields["review_log"]``."""
        return {"action": self.action.value, "by": self.by, "at": self.at, "comment": self.comment}

    @classmethod
    def from_json(cls, data: Any) -> ReviewEntry | None:
        """An entry from stored JSON, or None for one that is not an entry (never raises)."""
        if not isinstance(data, dict):
            return None
        try:
            action = ReviewAction(str(data.get("action")))
        except ValueError:
            return None
        return cls(
            action, str(data.get("by") or ""), str(data.get("at") or ""), str(data.get("comment") or "")
        )


def review_log_problem(value: Any) -> str | None:
    """What is wrong with a stored review history, or None (validation calls this)."""
    if not isinstance(value, list):
        return "The review history must be a list"
    for number, item in enumerate(value, start=1):
        entry = ReviewEntry.from_json(item)
        if entry is None or not entry.by:
            return f"Review entry {number} is not an entry of the review history"
        if len(entry.comment) > MAX_COMMENT:
            return f"Review entry {number} has a comment over {MAX_COMMENT:,} characters"
    return None


def with_workflow_of(record: Record, current: Record | None) -> Record:
    """``record`` (an editor's) with the status and review history of ``current`` (the store's).

    The workflow moves through review actions, never through the fields an editor holds: an
    editor opened before a submit or a return must not put the old status back when it saves.
    """
    if current is None or current.deleted:
        return record
    fields = dict(record.fields)
    if REVIEW_LOG_FIELD in current.fields:
        fields[REVIEW_LOG_FIELD] = current.fields[REVIEW_LOG_FIELD]
    else:
        fields.pop(REVIEW_LOG_FIELD, None)
    return record.with_changes(status=current.status, fields=fields)


def is_librarian(role: str | None) -> bool:
    """Librarians and admins review; an unknown role (never signed in) is staff."""
    return (role or "") in LIBRARIAN_ROLES


def is_author(record: Record, user: str) -> bool:
    """Owner or co-author."""
    return bool(user) and (user == record.owner or user in record.co_authors)


def review_log(record: Record) -> list[ReviewEntry]:
    """The record's review history, oldest first (malformed entries left out)."""
    raw = record.fields.get(REVIEW_LOG_FIELD)
    if not isinstance(raw, list):
        return []
    return [entry for entry in (ReviewEntry.from_json(item) for item in raw) if entry is not None]


def last_entry(record: Record, action: ReviewAction) -> ReviewEntry | None:
    """The latest entry of ``action``, or None."""
    return next((e for e in reversed(review_log(record)) if e.action is action), None)


def return_comment(record: Record) -> ReviewEntry | None:
    """Why a returned record came back: its latest "returned" entry (None unless it is returned)."""
    if record.status is not Status.RETURNED:
        return None
    return last_entry(record, ReviewAction.RETURNED)


def submitted_at(record: Record) -> str:
    """When the record was (last) submitted: its latest "submitted" entry, else its last change."""
    entry = last_entry(record, ReviewAction.SUBMITTED)
    return entry.at if entry is not None and entry.at else record.updated_at or record.created_at


def allowed_actions(record: Record, user: str, librarian: bool) -> list[ReviewAction]:
    """The review actions ``user`` may take on ``record`` now (what the server would accept)."""
    if record.deleted or record.demo:
        return []
    status = record.status
    actions: list[ReviewAction] = []
    if record.kind in REVIEWABLE_KINDS:
        if status in (Status.DRAFT, Status.RETURNED):
            # A librarian's own work needs no one else's review (the server publishes it at once).
            if librarian:
                actions.append(ReviewAction.PUBLISHED)
            elif is_author(record, user):
                actions.append(ReviewAction.SUBMITTED)
        if librarian and status is Status.SUBMITTED:
            actions += [ReviewAction.PUBLISHED, ReviewAction.RETURNED]
    if librarian and record.kind in RETIRABLE_KINDS:
        if status is Status.PUBLISHED:
            actions.append(ReviewAction.RETIRED)
        elif status is Status.RETIRED:
            actions.append(ReviewAction.PUBLISHED)
    return actions


def apply_review(
    record: Record,
    action: ReviewAction,
    *,
    by: str,
    librarian: bool,
    comment: str = "",
    at: str | None = None,
) -> Record:
    """``record`` moved by ``action``, with the entry appended to its review history.

    Raises ReviewError when ``by`` may not take the action, or a return has no comment.
    """
    action = ReviewAction(action)
    comment = comment.strip()
    if action not in allowed_actions(record, by, librarian):
        raise ReviewError(_not_allowed(record, action))
    if action is ReviewAction.RETURNED and not comment:
        raise ReviewError("Say what the author should change: returning a record needs a comment.")
    if len(comment) > MAX_COMMENT:
        raise ReviewError(f"The comment is too long (at most {MAX_COMMENT:,} characters).")
    entry = ReviewEntry(action, by, at or utc_now(), comment)
    raw = record.fields.get(REVIEW_LOG_FIELD)
    log = list(raw) if isinstance(raw, list) else []
    return record.with_changes(
        status=STATUS_AFTER[action], fields={**record.fields, REVIEW_LOG_FIELD: [*log, entry.to_json()]}
    )


def _not_allowed(record: Record, action: ReviewAction) -> str:
    if record.kind not in RETIRABLE_KINDS:
        return f"A {record.kind.value.replace('_', ' ')} is not reviewed."
    return f"This record is {record.status.value}: you cannot mark it {action.value} now."


# -- the review queue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows: kinds, a community (id) and a service area ("" for any)."""

    kinds: Sequence[Kind] = ()
    community: str = ""
    service_area: str = ""

    def matches(self, record: Record) -> bool:
        """True when ``record`` passes every filter that is set."""
        if self.kinds and record.kind not in self.kinds:
            return False
        if self.community and self.community not in record.links_of(Relation.IN_COMMUNITY):
            return False
        if self.service_area:
            area = str(record.fields.get("service_area") or "").strip().casefold()
            if area != self.service_area.strip().casefold():
                return False
        return True


@dataclass(frozen=True)
class QueueItem:
    """One row of the review queue."""

    record: Record
    submitted_at: str
    #: The latest return, for the author's view of a returned record.
    returned: ReviewEntry | None = None

    def to_json(self) -> dict[str, Any]:
        """The row as ``imbizo review --json`` prints it (resources/schemas/review.schema.json)."""
        record = self.record
        return {
            "id": record.id,
            "kind": record.kind.value,
            "title": record.title,
            "status": record.status.value,
            "owner": record.owner,
            "co_authors": list(record.co_authors),
            "submitted_at": self.submitted_at,
            "service_area": str(record.fields.get("service_area") or ""),
            "communities": list(record.links_of(Relation.IN_COMMUNITY)),
            "returned": self.returned.to_json() if self.returned is not None else None,
        }


def queue_items(
    records: Sequence[Record], *, user: str, librarian: bool, filters: QueueFilter
) -> list[QueueItem]:
    """The review queue, oldest submission first.

    Librarians see every submitted record; others their own submitted and returned ones.
    """
    items = []
    for record in records:
        if record.deleted or record.demo or record.kind not in REVIEWABLE_KINDS:
            continue
        if record.status is Status.SUBMITTED:
            if not (librarian or is_author(record, user)):
                continue
        elif record.status is Status.RETURNED:
            if not is_author(record, user):
                continue
        else:
            continue
        if filters.matches(record):
            items.append(QueueItem(record, submitted_at(record), return_comment(record)))
    items.sort(key=lambda item: (item.submitted_at, item.record.title.casefold()))
    return items


def service_areas(records: Sequence[Record]) -> list[str]:
    """The distinct service areas of ``records``, sorted (for the queue's filter)."""
    seen: dict[str, str] = {}
    for record in records:
        area = str(record.fields.get("service_area") or "").strip()
        if area:
            seen.setdefault(area.casefold(), area)
    return sorted(seen.values(), key=str.casefold)
