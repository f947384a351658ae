"""Row-level helpers of the sync tables (bases, conflicts, files the server holds, the outbox).

Every function works inside the caller's session and transaction, so the replica
(desktop/store/replica.py) composes them into one transaction per batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from desktop.core.ports import AttachmentInfo
from desktop.core.records import Record, utc_now
from desktop.store.models import (
    AttachmentRow,
    MetaRow,
    OutboxRow,
    RecordRow,
    RevisionRow,
    SyncBaseRow,
    SyncBlobRow,
    SyncConflictRow,
    WorkingCopyRow,
)
from desktop.store.rows import attachment_from_row, core, load_record, read_meta, table, upsert_row
from sync import protocol as p

PENDING, DONE, REJECTED, CONFLICT = "pending", "done", "rejected", "conflict"
ON_SERVER, TOO_LARGE = "on_server", "too_large"


@dataclass(frozen=True)
class ConflictSide:
    """One local side kept by a clash: the record as it was here, and what clashed."""

    server_revision: str
    fields: tuple[str, ...]
    mine: Record
    mine_attachments: tuple[p.AttachmentRef, ...]
    created_at: str


@dataclass(frozen=True)
class ConflictRow:
    """An open conflict as the UI and the command line show it: its newest local side first.

    ``earlier`` holds the sides of earlier clashes of the same record that nobody resolved yet.
    """

    record_id: str
    server_revision: str
    fields: tuple[str, ...]
    mine: Record
    mine_attachments: tuple[p.AttachmentRef, ...]
    created_at: str
    earlier: tuple[ConflictSide, ...] = ()


# -- meta -----------------------------------------------------------------------------


def get_meta(session: Session, key: str) -> str | None:
    """A value of the store's key/value table."""
    return read_meta(session, key)


def set_meta(session: Session, key: str, value: str) -> None:
    """Set a value of the store's key/value table."""
    upsert_row(session, MetaRow, key=key, value=value)


# -- bases ------------------------------------------------------------------------------


_BASES = table(SyncBaseRow)
_LOAD_BASE = select(_BASES.c.version).where(_BASES.c.record_id == bindparam("id"))
_BASE_REVISION = select(_BASES.c.revision, _BASES.c.deleted).where(_BASES.c.record_id == bindparam("id"))
_DROP_BASE = delete(_BASES).where(_BASES.c.record_id == bindparam("id"))


def load_base(session: Session, record_id: str) -> p.RecordVersion | None:
    """The last synced server version of a record."""
    version = core(session).execute(_LOAD_BASE, {"id": record_id}).scalar()
    return p.RecordVersion.model_validate_json(version) if version is not None else None


def base_revision(session: Session, record_id: str) -> Any:
    """(revision, deleted) of the record's last synced version, or None when it never synced."""
    return core(session).execute(_BASE_REVISION, {"id": record_id}).first()


def save_base(session: Session, version: p.RecordVersion) -> None:
    """Remember ``version`` as the record's last synced server version."""
    envelope = version.envelope
    upsert_row(
        session,
        SyncBaseRow,
        record_id=envelope.id,
        kind=envelope.kind,
        revision=envelope.revision,
        deleted=envelope.deleted,
        version=version.model_dump_json(),
        synced_at=utc_now(),
    )


def drop_base(session: Session, record_id: str) -> None:
    """Forget a record's synced version (it is local-only from now on)."""
    core(session).execute(_DROP_BASE, {"id": record_id})


def own_ancestor(session: Session, mine: Record, server: p.Envelope, *, stop: str = "") -> Record | None:
    """The version made here that the server's version is (or is the server's child of), when it is
    an ancestor of ``mine`` newer than ``stop`` (the sync base); else None.

    A push whose answer never arrived (the sync was cut after the server stored it) leaves the
    server holding a version this profile made while the base is older: that version, not the
    base, is what both sides share.
    """
    wanted = {server.revision, server.parent_revision} - {""}
    rows = session.execute(
        select(RevisionRow.revision, RevisionRow.parent_revision).where(RevisionRow.record_id == mine.id)
    ).all()
    parents = {row.revision: row.parent_revision for row in rows}
    revision = mine.revision
    for _ in range(len(parents)):
        if not revision or revision == stop or revision not in parents:
            return None
        if revision in wanted:
            row = session.execute(
                select(RevisionRow).where(RevisionRow.record_id == mine.id, RevisionRow.revision == revision)
            ).scalar_one()
            return load_record(
                row.content,
                created_at=mine.created_at,
                updated_at=row.saved_at,
                revision=row.revision,
                parent_revision=row.parent_revision,
            )
        revision = parents[revision]
    return None


# -- the outbox -------------------------------------------------------------------------


def _pending_rows_statement(skipping: bool) -> Any:
    newest = (
        select(
            _OUTBOX.c.record_id,
            func.max(_OUTBOX.c.id).label("newest"),
            func.min(_OUTBOX.c.id).label("oldest"),
        )
        .where(_OUTBOX.c.state == PENDING)
        .group_by(_OUTBOX.c.record_id)
    )
    if skipping:
        newest = newest.where(_OUTBOX.c.record_id.not_in(bindparam("skip", expanding=True)))
    sub = newest.subquery()
    return (
        select(_OUTBOX.c.id, _OUTBOX.c.change_id, _OUTBOX.c.record_id, _OUTBOX.c.revision, _OUTBOX.c.op)
        .join(sub, _OUTBOX.c.id == sub.c.newest)
        .order_by(sub.c.oldest)
        .limit(bindparam("limit"))
    )


def pending_rows(session: Session, limit: int, skip: Iterable[str] = ()) -> list[Any]:
    """The newest pending outbox row of each record with pending changes, oldest record first.

    Each row has ``id``, ``change_id``, ``record_id``, ``revision`` and ``op``.
    """
    skipped = list(skip)
    values: dict[str, object] = {"limit": max(0, limit)}
    if skipped:
        values["skip"] = skipped
    return list(core(session).execute(_PENDING_ROWS[bool(skipped)], values))


def pending_record_count(session: Session) -> int:
    """Records with pending changes."""
    query = select(func.count(func.distinct(OutboxRow.record_id))).where(OutboxRow.state == PENDING)
    return int(session.scalar(query) or 0)


_OUTBOX = table(OutboxRow)
_HAS_PENDING = (
    select(_OUTBOX.c.id)
    .where(_OUTBOX.c.record_id == bindparam("id"), _OUTBOX.c.state.in_((PENDING, CONFLICT)))
    .limit(1)
)
_MARK = (
    update(_OUTBOX)
    .where(_OUTBOX.c.record_id == bindparam("b_record"), _OUTBOX.c.state.in_((PENDING, CONFLICT, REJECTED)))
    .values(state=bindparam("b_state"), error=bindparam("b_error"))
)  # an UPDATE's bind names must differ from its table's column names
_MARK_UP_TO = _MARK.where(_OUTBOX.c.id <= bindparam("b_up_to"))
_PENDING_ROWS = {skipping: _pending_rows_statement(skipping) for skipping in (False, True)}
_OUTBOX_ROW = select(_OUTBOX.c.id, _OUTBOX.c.record_id, _OUTBOX.c.state).where(
    _OUTBOX.c.change_id == bindparam("change_id")
)


def has_pending(session: Session, record_id: str) -> bool:
    """True when the record has local changes waiting (pending or held by a conflict)."""
    return core(session).execute(_HAS_PENDING, {"id": record_id}).first() is not None


def mark_rows(
    session: Session, record_id: str, state: str, *, up_to: int | None = None, error: str | None = None
) -> None:
    """Set the state of a record's pending (or conflict-held) rows, up to outbox id ``up_to``."""
    values: dict[str, object] = {"b_record": record_id, "b_state": state, "b_error": error}
    if up_to is None:
        core(session).execute(_MARK, values)
    else:
        core(session).execute(_MARK_UP_TO, {**values, "b_up_to": up_to})


def outbox_row(session: Session, change_id: str) -> Any:
    """(id, record_id, state) of the outbox row of a change id, or None."""
    return core(session).execute(_OUTBOX_ROW, {"change_id": change_id}).first()


# -- files -------------------------------------------------------------------------------


_FILES = table(AttachmentRow)
_ATTACHMENTS_OF = select(_FILES).where(_FILES.c.record_id == bindparam("id")).order_by(_FILES.c.id)


def attachments_of(session: Session, record_id: str) -> list[AttachmentInfo]:
    """The attachments a record lists, in the order they were added."""
    rows = core(session).execute(_ATTACHMENTS_OF, {"id": record_id})
    return [attachment_from_row(row) for row in rows]


def set_attachments(
    session: Session, record_id: str, refs: Iterable[p.AttachmentRef], *, present: set[str]
) -> None:
    """Make a record's attachment rows exactly ``refs``; ``present`` holds the hashes stored locally."""
    wanted = {ref.sha256: ref for ref in refs}
    connection = core(session)
    have = {row.sha256: row.id for row in connection.execute(_FILE_IDS, {"id": record_id})}
    gone = [row_id for sha, row_id in have.items() if sha not in wanted]
    if gone:
        connection.execute(_DROP_FILES, {"ids": gone})
    added = [
        {
            "record_id": record_id,
            "sha256": sha,
            "filename": ref.filename,
            "media_type": ref.media_type,
            "size": ref.size,
            "added_at": utc_now(),
            "present": sha in present,
        }
        for sha, ref in wanted.items()
        if sha not in have
    ]
    if added:
        connection.execute(_ADD_FILES, added)


_FILE_IDS = select(_FILES.c.id, _FILES.c.sha256).where(_FILES.c.record_id == bindparam("id"))
_DROP_FILES = delete(_FILES).where(_FILES.c.id.in_(bindparam("ids", expanding=True)))
_ADD_FILES = insert(_FILES)


_BLOBS = table(SyncBlobRow)
_BLOB_STATES = select(_BLOBS.c.sha256, _BLOBS.c.state).where(
    _BLOBS.c.sha256.in_(bindparam("shas", expanding=True))
)
_FORGET_BLOB = delete(_BLOBS).where(_BLOBS.c.sha256 == bindparam("sha"))


def blob_states(session: Session, shas: Iterable[str]) -> dict[str, str]:
    """What the server is known to hold of these files: sha -> on_server or too_large."""
    wanted = list(set(shas))
    if not wanted:
        return {}
    rows = core(session).execute(_BLOB_STATES, {"shas": wanted})
    return {row.sha256: row.state for row in rows}


def set_blob_state(session: Session, sha256: str, state: str | None) -> None:
    """Remember (or, with None, forget) what the server holds of a file."""
    if state is None:
        core(session).execute(_FORGET_BLOB, {"sha": sha256})
    else:
        upsert_row(session, SyncBlobRow, sha256=sha256, state=state)


# -- conflicts ---------------------------------------------------------------------------


def save_conflict(
    session: Session,
    mine: Record,
    mine_attachments: Iterable[AttachmentInfo],
    server_revision: str,
    fields: Iterable[str],
) -> None:
    """Keep the local side of a conflict (the server's version is current).

    A record that clashes again before anyone resolved it gets another side: no side is
    ever overwritten, so nothing typed is lost however often a record clashes.
    """
    refs = [
        {"sha256": a.sha256, "filename": a.filename, "media_type": a.media_type, "size": a.size}
        for a in mine_attachments
    ]
    session.add(
        SyncConflictRow(
            record_id=mine.id,
            server_revision=server_revision,
            fields=json.dumps(list(fields)),
            local_content=json.dumps(mine.to_json(), ensure_ascii=False),
            local_attachments=json.dumps(refs),
            created_at=utc_now(),
        )
    )


def load_conflicts(session: Session, record_ids: Iterable[str] | None = None) -> list[ConflictRow]:
    """Open conflicts (all, or of some records), oldest first; one per record, its newest side first."""
    query = select(SyncConflictRow).order_by(SyncConflictRow.id)
    if record_ids is not None:
        query = query.where(SyncConflictRow.record_id.in_(list(record_ids)))
    sides: dict[str, list[ConflictSide]] = {}
    for row in session.scalars(query):
        sides.setdefault(row.record_id, []).append(
            ConflictSide(
                server_revision=row.server_revision,
                fields=tuple(json.loads(row.fields)),
                mine=Record.from_json(json.loads(row.local_content)),
                mine_attachments=tuple(
                    p.AttachmentRef.model_validate(a) for a in json.loads(row.local_attachments)
                ),
                created_at=row.created_at,
            )
        )
    conflicts = []
    for record_id, found in sides.items():
        newest, earlier = found[-1], tuple(reversed(found[:-1]))
        fields = tuple(dict.fromkeys(name for side in (newest, *earlier) for name in side.fields))
        conflicts.append(
            ConflictRow(
                record_id=record_id,
                server_revision=newest.server_revision,
                fields=fields,
                mine=newest.mine,
                mine_attachments=newest.mine_attachments,
                created_at=found[0].created_at,
                earlier=earlier,
            )
        )
    return conflicts


def drop_conflict(session: Session, record_id: str) -> None:
    """Close a record's conflict."""
    session.execute(delete(SyncConflictRow).where(SyncConflictRow.record_id == record_id))


# -- removal -----------------------------------------------------------------------------


def remove_record(session: Session, record_id: str) -> None:
    """Drop a record and everything about it from this profile (no tombstone, no outbox entry).

    Used when the record is no longer visible to this user: the server still has it.
    """
    for model, column in (
        (OutboxRow, OutboxRow.record_id),
        (SyncBaseRow, SyncBaseRow.record_id),
        (SyncConflictRow, SyncConflictRow.record_id),
        (WorkingCopyRow, WorkingCopyRow.record_id),
    ):
        session.execute(delete(model).where(column == record_id))
    session.execute(delete(RecordRow).where(RecordRow.id == record_id))  # revisions, links, files cascade
