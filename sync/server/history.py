"""``GET /records/{id}/history``: who stored which version of a record, what it did, and when.

Read from ``record_history`` (one row per stored version, written by
:func:`sync.server.records.store_version`), for whoever may read the record now.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from sync.protocol import MAX_HISTORY_ENTRIES, HistoryEntry, HistoryResponse
from sync.server.access import Access, Actor, visible
from sync.server.auth import Principal
from sync.server.db import Database
from sync.server.errors import not_found
from sync.server.models import RecordHistory
from sync.server.records import ACCESS_COLUMNS

_ACCESS = select(*ACCESS_COLUMNS).where(ACCESS_COLUMNS[0] == bindparam("record_id"))
_LATEST = (
    select(
        RecordHistory.seq,
        RecordHistory.revision,
        RecordHistory.user_name,
        RecordHistory.action,
        RecordHistory.at,
    )
    .where(RecordHistory.record_id == bindparam("record_id"))
    .order_by(RecordHistory.seq.desc())
    .limit(MAX_HISTORY_ENTRIES)
)

_VERSION_SEEN = (
    select(RecordHistory.seq, RecordHistory.access)
    .where(RecordHistory.record_id == bindparam("record_id"), RecordHistory.revision == bindparam("revision"))
    .order_by(RecordHistory.seq.desc())
    .limit(1)
)
_MOVES_AFTER = (
    select(RecordHistory.user_name, RecordHistory.action, RecordHistory.at)
    .where(
        RecordHistory.record_id == bindparam("record_id"),
        RecordHistory.seq > bindparam("after"),
        RecordHistory.action.in_(bindparam("actions", expanding=True)),
    )
    .order_by(RecordHistory.seq.desc())
    .limit(1)
)
#: History actions that take a record out of review, back to its authors (librarians' only).
OUT_OF_REVIEW_ACTIONS = ("return", "reopen")


def moved_out_of_sight(connection: Connection, actor: Actor, record_id: str, revision: str) -> Any:
    """The latest history row (user_name, action, at) that took the record back to its authors after
    ``revision``, when ``actor`` could read that version; else None.

    Only then may the server tell the actor that the record moved on: they knew it, in review.
    """
    if not revision:
        return None
    seen = connection.execute(_VERSION_SEEN, {"record_id": record_id, "revision": revision}).one_or_none()
    if seen is None or not visible(actor, Access.from_json(seen.access)):
        return None
    return connection.execute(
        _MOVES_AFTER, {"record_id": record_id, "after": seen.seq, "actions": list(OUT_OF_REVIEW_ACTIONS)}
    ).one_or_none()


def record_history(*, db: Database, principal: Principal, record_id: str) -> HistoryResponse:
    """The record's stored versions, oldest first; 404 when the user may not read it (or there is none)."""
    with db.read_connection() as connection:
        row = connection.execute(_ACCESS, {"record_id": record_id}).one_or_none()
        if row is None or not visible(principal.actor, row):
            raise not_found("There is no such record.")
        rows = connection.execute(_LATEST, {"record_id": record_id}).all()
    entries = [
        HistoryEntry(
            seq=seq,
            revision=revision,
            user=user_name,
            action=action,
            at=utc_text(at),
        )
        for seq, revision, user_name, action, at in reversed(rows)
    ]
    return HistoryResponse(entries=entries)


def utc_text(at: datetime) -> str:
    """A stored time as ISO 8601 UTC, to the second."""
    # SQLite hands back naive datetimes (stored in UTC); PostgreSQL aware ones.
    aware = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return aware.isoformat(timespec="seconds")
