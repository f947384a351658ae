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


def imported_over(incoming: Record, stored: Record | None) -> Record:
    """An imported record as it is saved over the profile's copy of it (``stored``, or None).

    An import brings the publisher's content; the workflow here is the profile's: a record
    already in the profile keeps its status (a librarian may have retired it), its review
    history, its owner, co-authors and visibility (which a server may have set).
    """
    if stored is None or stored.deleted:
        return incoming
    kept = with_workflow_of(incoming, stored)
    return kept.with_changes(owner=stored.owner, co_authors=stored.co_authors, visibility=stored.visibility)


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


# -- two reviewers at once ---------------------------------------------------------------------

#: The notification kind for an overtaken review action (stored by the sync, shown in the app).
OVERTAKEN_NOTICE = "review_overtaken"
#: The same, when the other reviewer took the record out of this person's sight (returned it to its
#: authors), so the copy here is gone and the notification has no record to open.
OVERTAKEN_GONE_NOTICE = "review_overtaken_gone"

#: What each action is called in a sentence ("your return was not sent").
ACTION_NOUNS: dict[ReviewAction, str] = {
    ReviewAction.SUBMITTED: "submission",
    ReviewAction.PUBLISHED: "publication",
    ReviewAction.RETURNED: "return",
    ReviewAction.RETIRED: "retirement",
    ReviewAction.REOPENED: "reopening",
}


@dataclass(frozen=True)
class OvertakenReview:
    """A review action taken here that another person's, reaching the server first, overtook.

    ``first`` is the other person's entry that moved the record (the latest the server holds).
    """

    mine: ReviewEntry
    first: ReviewEntry

    def reason(self, title: str) -> str:
        """Why the action was not sent: who acted first (with their comment) and the person's own
        comment, so none is lost."""
        said = f' Your comment was: "{self.mine.comment}"' if self.mine.comment else ""
        return f"{acted_first(self.first, title)}: your {ACTION_NOUNS[self.mine.action]} was not sent.{said}"


def acted_first(first: ReviewEntry, title: str) -> str:
    """Who moved the record first, when and what they said: 'lib returned “T” first (… UTC, saying “…”)'."""
    when = first.at[:16].replace("T", " ")
    theirs = f", saying “{first.comment}”" if first.comment else ""
    return f"{first.by} {first.action.value} “{title}” first ({when} UTC{theirs})"


def overtaken_edit_reason(first: ReviewEntry, title: str) -> str:
    """Why changes that were no review action were not sent: another reviewer took the record back
    to its authors first (they are kept on this computer only)."""
    return f"{acted_first(first, title)}: your changes were not sent; they are kept on this computer only."


def own_steps_since(base: Record | None, mine: Record) -> list[ReviewEntry]:
    """The review entries added here since ``base`` (the synced version), oldest first.

    None are when the history here is not the base's with entries appended (it merges as any field).
    """
    b = (base.fields.get(REVIEW_LOG_FIELD) or []) if base is not None else []
    m = mine.fields.get(REVIEW_LOG_FIELD) or []
    if not (isinstance(b, list) and isinstance(m, list)) or m[: len(b)] != b:
        return []
    return [entry for entry in (ReviewEntry.from_json(raw) for raw in m[len(b) :]) if entry is not None]


def overtaken_out_of_sight(
    base: Record | None, mine: Record, first: ReviewEntry
) -> tuple[OvertakenReview, ...]:
    """Every review action taken here since ``base``, overtaken by ``first``: another reviewer's step
    that took the record out of this person's sight (none of them can follow it: they are not its
    authors)."""
    return tuple(OvertakenReview(entry, first) for entry in own_steps_since(base, mine))


def edited_beyond_review(base: Record | None, mine: Record) -> bool:
    """Whether ``mine`` differs from ``base`` in more than its status and review history."""
    if base is None:
        return True
    return with_workflow_of(mine, base).content_hash() != base.content_hash()


def with_step(base: Record, record: Record, step: ReviewEntry) -> Record:
    """``record`` with the workflow of ``base`` moved by ``step`` (another person's, on the server)."""
    raw = base.fields.get(REVIEW_LOG_FIELD)
    log = [*(raw if isinstance(raw, list) else []), step.to_json()]
    return record.with_changes(
        status=STATUS_AFTER[step.action], fields={**record.fields, REVIEW_LOG_FIELD: log}
    )


@dataclass(frozen=True)
class ReviewLogMerge:
    """Two review histories merged: the history, the status it ends at, the actions left out."""

    log: list[Any]
    status: Status
    overtaken: tuple[OvertakenReview, ...] = ()


def _may_follow(record: Record, entry: ReviewEntry) -> bool:
    """Whether ``entry`` is a status change its author could make on ``record`` as it is now."""
    if entry.action is ReviewAction.REOPENED:
        return record.status is not Status.DRAFT
    return entry.action in allowed_actions(record, entry.by, True) or entry.action in allowed_actions(
        record, entry.by, False
    )


def merge_review_logs(base: Record, mine: Record, theirs: Record) -> ReviewLogMerge | None:
    """Merge review histories that both grew since ``base`` (sync's three-way merge asks).

    The server's entries (``theirs``) were accepted first and stay as they are; the entries
    added here are replayed after them, in order. The first was decided on what the server has
    since moved past, so it is left out (both published; one published what the other
    returned) and reported as overtaken, naming who acted first; a later one decided on the
    status the record has now is kept (a retirement of what the other reviewer published too).
    None when only one side added entries, or the histories are not both the base's plus
    appended entries (then they merge as any other field).
    """
    b, m, t = (r.fields.get(REVIEW_LOG_FIELD) or [] for r in (base, mine, theirs))
    if not (isinstance(b, list) and isinstance(m, list) and isinstance(t, list)):
        return None
    if m[: len(b)] != b or t[: len(b)] != b:
        return None
    mine_added, theirs_added = m[len(b) :], t[len(b) :]
    entries = [ReviewEntry.from_json(raw) for raw in mine_added]
    first = ReviewEntry.from_json(theirs_added[-1]) if theirs_added else None
    if not mine_added or first is None or any(entry is None for entry in entries):
        return None
    log, status = list(t), theirs.status
    # The status each of mine was decided on: the first, on the base's, which the server's
    # entries moved past (even when they lead back to the same status: a return and a
    # resubmission bring content no one here reviewed); the later ones on the one before.
    made_from: Status | None = None
    overtaken: list[OvertakenReview] = []
    for raw, entry in zip(mine_added, entries, strict=True):
        assert entry is not None
        decided_on, made_from = made_from, STATUS_AFTER[entry.action]
        if decided_on is not status or not _may_follow(theirs.with_changes(status=status), entry):
            overtaken.append(OvertakenReview(entry, first))
            continue
        log.append(raw)
        status = STATUS_AFTER[entry.action]
    return ReviewLogMerge(log, status, tuple(overtaken))


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
