"""Working copies (an editor's autosaved state) and old revisions of a record.

A working copy is written in one small transaction of its own, without the
profile's cross-process write lock: an autosave every couple of seconds must
never queue behind a long import holding that lock; SQLite's busy timeout is the
only wait. It makes no revision, no outbox entry and no index update. When a
record is saved, its working copy is removed in the same transaction, but only if
it holds exactly the saved content, so a newer draft typed meanwhile survives.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from desktop.core.editing import WorkingCopy, ensure_valid_working_copy
from desktop.core.records import Record, utc_now
from desktop.store.models import RecordRow, RevisionRow, WorkingCopyRow
from desktop.store.rows import core, dump_content, load_record

_CHUNK = 500
_ANY_WORKING_COPY = select(WorkingCopyRow.record_id).limit(1)


def working_copy_from_row(row: WorkingCopyRow | Any) -> WorkingCopy:
    """The WorkingCopy stored in a ``working_copies`` row."""
    record = load_record(
        row.content, created_at="", updated_at=row.updated_at, revision="", parent_revision=""
    )
    return WorkingCopy(record=record, base_revision=row.base_revision, updated_at=row.updated_at)


def drop_saved_working_copies(session: Session, records: Sequence[Record]) -> list[str]:
    """Delete the working copies whose content equals what ``records`` saved (caller's transaction).

    A working copy that differs (typed after the save was queued) is kept. Returns the ids dropped.
    """
    if core(session).execute(_ANY_WORKING_COPY).first() is None:
        return []  # the usual case, and the cheap one for an import of thousands of records
    saved = {record.id: record for record in records}
    ids = list(saved)
    dropped: list[str] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = session.execute(select(WorkingCopyRow).where(WorkingCopyRow.record_id.in_(chunk))).scalars()
        for row in rows:
            try:
                draft = working_copy_from_row(row).record
            except (ValueError, KeyError, TypeError):
                continue  # an unreadable draft is left for the person to look at
            if draft.content_hash() == saved[row.record_id].content_hash():
                dropped.append(row.record_id)
    if dropped:
        session.execute(delete(WorkingCopyRow).where(WorkingCopyRow.record_id.in_(dropped)))
    return dropped


class EditingStore:
    """Working copies and old revisions (a mixin of RecordRepository, which supplies the sessions)."""

    def _read_session(self) -> AbstractContextManager[Session]:  # pragma: no cover - overridden
        raise NotImplementedError

    def _quick_write_session(self, action: str) -> AbstractContextManager[Session]:  # pragma: no cover
        raise NotImplementedError

    def save_working_copy(self, record: Record, base_revision: str) -> WorkingCopy:
        """Store an editor's unsaved state of ``record`` (one small transaction, replacing the last one).

        Required fields may be empty (it is a draft); raises ValidationError for a draft too large or
        shaped wrongly to store, StoreBusyError if SQLite stays locked past its busy timeout.
        """
        ensure_valid_working_copy(record)
        now = utc_now()
        values = {
            "record_id": record.id,
            "kind": record.kind.value,
            "base_revision": base_revision,
            "updated_at": now,
            "content": dump_content(record),
        }
        statement = sqlite_insert(WorkingCopyRow).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=[WorkingCopyRow.record_id],
            set_={key: statement.excluded[key] for key in values if key != "record_id"},
        )
        with self._quick_write_session("autosave the working copy") as session:
            session.execute(statement)
        return WorkingCopy(record=record, base_revision=base_revision, updated_at=now)

    def working_copy(self, record_id: str) -> WorkingCopy | None:
        """The unsaved working copy of a record, or None."""
        with self._read_session() as session:
            row = session.get(WorkingCopyRow, record_id)
            return working_copy_from_row(row) if row is not None else None

    def working_copies(self) -> list[WorkingCopy]:
        """Every unsaved working copy, newest first (to offer them back after a crash)."""
        query = select(WorkingCopyRow).order_by(WorkingCopyRow.updated_at.desc(), WorkingCopyRow.record_id)
        with self._read_session() as session:
            return [working_copy_from_row(row) for row in session.scalars(query)]

    def discard_working_copy(self, record_id: str) -> None:
        """Forget a record's working copy (the editor was closed without keeping it)."""
        with self._quick_write_session("discard the working copy") as session:
            session.execute(delete(WorkingCopyRow).where(WorkingCopyRow.record_id == record_id))

    def revision(self, record_id: str, revision: str) -> Record | None:
        """One saved version of a record, from its history, or None if there is no such revision."""
        with self._read_session() as session:
            row = session.scalars(
                select(RevisionRow).where(
                    RevisionRow.record_id == record_id, RevisionRow.revision == revision
                )
            ).first()
            if row is None:
                return None
            created_at = session.scalar(select(RecordRow.created_at).where(RecordRow.id == record_id))
            return load_record(
                row.content,
                created_at=created_at or "",
                updated_at=row.saved_at,
                revision=row.revision,
                parent_revision=row.parent_revision,
            )
