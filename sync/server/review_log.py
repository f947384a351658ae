"""The review history a record carries (payload ``fields.review_log``), as the server checks it.

Each status change of the workflow (submit, publish, return, retire, reopen) is written by
the person who makes it as an entry ``{"action", "by", "at", "comment"}`` appended to the
record's ``review_log`` (PROTOCOL.md "Review history"). The log is the author's view of what
happened to their record, so the server holds it to the same rules as the status itself:

- earlier entries stay exactly as they are (none altered, reordered or dropped);
- every new entry is the pusher's own, and the new entries, read in order, are status
  changes the pusher may make, ending at the status the version has;
- returning a record needs an entry with a comment for its author.

Pure functions over plain values, so the rules are tested as tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sync.protocol import Status
from sync.server.access import Access, Actor, status_change_allowed

REVIEW_LOG_FIELD = "review_log"
#: The entry's ``action`` for each status a change leads to.
ACTION_OF_STATUS: dict[Status, str] = {
    Status.SUBMITTED: "submitted",
    Status.PUBLISHED: "published",
    Status.RETURNED: "returned",
    Status.RETIRED: "retired",
    Status.DRAFT: "reopened",
}
STATUS_OF_ACTION: dict[str, Status] = {action: status for status, action in ACTION_OF_STATUS.items()}
#: Entries one record may carry (a long-lived record is reviewed a few times a year).
MAX_ENTRIES = 1_000
MAX_COMMENT = 4_000


@dataclass(frozen=True)
class LogProblem:
    """Why a pushed review history is refused: a rejection ``code`` and a reason for the person."""

    code: str
    reason: str


def _forbidden(reason: str) -> LogProblem:
    return LogProblem("forbidden", reason)


def _invalid(reason: str) -> LogProblem:
    return LogProblem("invalid", reason)


def review_log(payload: Mapping[str, Any]) -> Any:
    """The raw ``fields.review_log`` of a payload (``[]`` when it has none)."""
    fields = payload.get("fields")
    if not isinstance(fields, Mapping):
        return []
    return fields.get(REVIEW_LOG_FIELD, [])


def last_entry(payload: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The latest entry of a payload's review history, or None when it has no well-formed one."""
    entries = review_log(payload)
    if not isinstance(entries, list) or not entries or _entry_problem(entries[-1]) is not None:
        return None
    entry: Mapping[str, Any] = entries[-1]
    return entry


def _shape_problem(entries: Any) -> LogProblem | None:
    if not isinstance(entries, list):
        return _invalid("the review history (fields.review_log) must be a list")
    if len(entries) > MAX_ENTRIES:
        return _invalid(f"the review history has more than {MAX_ENTRIES} entries")
    return None


def _entry_problem(entry: Any) -> LogProblem | None:
    if not isinstance(entry, Mapping):
        return _invalid("an entry of the review history must be an object")
    action, by, at = entry.get("action"), entry.get("by"), entry.get("at")
    comment = entry.get("comment", "")
    if action not in STATUS_OF_ACTION:
        return _invalid(f"unknown review action {str(action)[:40]!r}")
    if not isinstance(by, str) or not isinstance(comment, str) or not isinstance(at, str):
        return _invalid("a review entry's by, at and comment are text")
    if len(comment) > MAX_COMMENT:
        return _invalid(f"a review comment is at most {MAX_COMMENT} characters")
    try:
        datetime.fromisoformat(at)
    except ValueError:
        return _invalid(f"a review entry's time {at[:40]!r} is not ISO 8601")
    return None


def check_review_log(
    actor: Actor,
    before: Access,
    old_payload: Mapping[str, Any] | None,
    new_payload: Mapping[str, Any],
    new_status: Status,
    *,
    first: bool = False,
) -> LogProblem | None:
    """Why the review history of a pushed version is refused, or None when it is fine.

    ``before`` is the access of the server's current version (for a first push: the pushed
    one as a draft of the pusher); ``new_status`` the status the pushed version asks for.
    A first push may not claim what the server decides (librarians' records are published
    at once): its new entries need only be the pusher's own and a valid chain.
    """
    old = review_log(old_payload or {})
    if not isinstance(old, list):
        old = []  # a history stored before these rules: nothing earlier to hold on to
    new = review_log(new_payload)
    problem = _shape_problem(new)
    if problem is not None:
        return problem
    if new[: len(old)] != old:
        return _forbidden("the review history cannot be changed: its earlier entries must stay as they are")
    added = new[len(old) :]
    for entry in added:
        problem = _entry_problem(entry)
        if problem is not None:
            return problem
    status = before.status
    for entry in added:
        if entry["by"] != actor.name:
            return _forbidden(
                f"a new review entry must be your own ({actor.name}); this one names {entry['by'][:64]!r}"
            )
        target = STATUS_OF_ACTION[entry["action"]]
        if target == status:
            return _forbidden(f"the review entry {entry['action']!r} does not change the status ({status})")
        if not status_change_allowed(actor, replace(before, status=status), target):
            return _forbidden(f"you may not record {entry['action']!r} on a record that is {status}")
        if target == Status.RETURNED and not str(entry.get("comment", "")).strip():
            return _forbidden("returning a record needs a comment for its author")
        status = target
    if added and status != new_status:
        return _forbidden(
            f"the review history ends with {ACTION_OF_STATUS[status]!r} but the record is {new_status}"
        )
    returning = new_status == Status.RETURNED and before.status != Status.RETURNED
    if returning and not first and not added:
        return _forbidden("returning a record needs a comment: add a 'returned' review entry with it")
    return None


def unchanged_log_problem(
    old_payload: Mapping[str, Any], new_payload: Mapping[str, Any]
) -> LogProblem | None:
    """A proposal carries the published record's review history as it is (it adds no status change)."""
    old, new = review_log(old_payload), review_log(new_payload)
    if isinstance(old, list) and new != old:
        return _forbidden("a proposed revision keeps the record's review history as it is")
    return None
