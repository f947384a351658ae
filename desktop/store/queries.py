"""Read operations of the repository: each opens a short session of its own."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, select
from sqlalchemy.orm import Session

from desktop.core.changes import ChangeEntry
from desktop.core.kinds import Kind
from desktop.core.ports import AttachmentInfo, Backlink, RevisionInfo
from desktop.core.records import Record, Relation
from desktop.store.models import AttachmentRow, LinkRow, MetaRow, OutboxRow, RecordRow, RevisionRow
from desktop.store.rows import (
    RECORD_COLUMNS,
    OutboxEntry,
    attachment_from_row,
    core,
    current_row,
    load_record,
    read_meta,
    read_seq,
    record_from_row,
)

BATCH_SIZE = 500

#: The orders ``list_records`` accepts, mapped to their ORDER BY (id breaks ties, so pages are stable).
ORDERS: dict[str, tuple[Any, ...]] = {
    "updated_at desc": (RecordRow.updated_at.desc(), RecordRow.id),
    "updated_at asc": (RecordRow.updated_at.asc(), RecordRow.id),
    "created_at desc": (RecordRow.created_at.desc(), RecordRow.id),
    "created_at asc": (RecordRow.created_at.asc(), RecordRow.id),
    "title asc": (func.lower(RecordRow.title).asc(), RecordRow.id),
    "title desc": (func.lower(RecordRow.title).desc(), RecordRow.id),
    "seq desc": (RecordRow.seq.desc(),),
    "seq asc": (RecordRow.seq.asc(),),
}

#: Built once: the store reads records by id on every save and every version a sync applies.
_LINKING_TO = (
    select(LinkRow.source_id)
    .join(RecordRow, RecordRow.id == LinkRow.source_id)
    .where(LinkRow.target_id.in_(bindparam("ids", expanding=True)), RecordRow.deleted.is_(False))
    .distinct()
)
_GET_MANY = select(*RECORD_COLUMNS).where(RecordRow.id.in_(bindparam("ids", expanding=True)))


class RecordQueries:
    """The read side of RecordRepository (a mixin; the repository supplies ``_read_session``)."""

    def _read_session(self) -> AbstractContextManager[Session]:  # pragma: no cover - overridden
        raise NotImplementedError

    def get(self, record_id: str) -> Record | None:
        """The current version of a record (deleted ones too), or None."""
        with self._read_session() as session:
            row = current_row(session, record_id)
            return record_from_row(row) if row is not None else None

    def get_many(self, record_ids: Iterable[str]) -> dict[str, Record]:
        """Current versions of the records that exist among ``record_ids``."""
        ids = list(dict.fromkeys(record_ids))
        found: dict[str, Record] = {}
        with self._read_session() as session:
            for start in range(0, len(ids), BATCH_SIZE):
                chunk = ids[start : start + BATCH_SIZE]
                for row in core(session).execute(_GET_MANY, {"ids": chunk}):
                    found[row.id] = record_from_row(row)
        return found

    def ids_with_prefix(self, prefix: str, limit: int = 2) -> list[str]:
        """Ids of records starting with ``prefix`` (for typing a short id), at most ``limit``."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = select(RecordRow.id).where(RecordRow.id.like(f"{escaped}%", escape="\\")).limit(limit)
        with self._read_session() as session:
            return list(session.scalars(query))

    def history(self, record_id: str) -> list[RevisionInfo]:
        """Every saved version of a record, newest first."""
        with self._read_session() as session:
            created_at = session.scalar(select(RecordRow.created_at).where(RecordRow.id == record_id))
            rows = session.scalars(
                select(RevisionRow).where(RevisionRow.record_id == record_id).order_by(RevisionRow.id.desc())
            ).all()
            return [
                RevisionInfo(
                    revision=row.revision,
                    parent_revision=row.parent_revision,
                    saved_at=row.saved_at,
                    record=load_record(
                        row.content,
                        created_at=created_at or "",
                        updated_at=row.saved_at,
                        revision=row.revision,
                        parent_revision=row.parent_revision,
                    ),
                )
                for row in rows
            ]

    def backlinks(self, target_id: str) -> list[Backlink]:
        """Links from live records that point at ``target_id``."""
        query = (
            select(LinkRow.source_id, RecordRow.kind, RecordRow.title, LinkRow.relation)
            .join(RecordRow, RecordRow.id == LinkRow.source_id)
            .where(LinkRow.target_id == target_id, RecordRow.deleted.is_(False))
            .order_by(func.lower(RecordRow.title), LinkRow.source_id, LinkRow.position)
        )
        with self._read_session() as session:
            return [
                Backlink(row.source_id, Kind(row.kind), row.title, Relation(row.relation))
                for row in session.execute(query)
            ]

    def linking_to(self, target_ids: Iterable[str]) -> set[str]:
        """Ids of the live records with a link to any of ``target_ids`` (one query per few hundred)."""
        targets = list(dict.fromkeys(target_ids))
        sources: set[str] = set()
        with self._read_session() as session:
            connection = core(session)
            for start in range(0, len(targets), BATCH_SIZE):
                chunk = targets[start : start + BATCH_SIZE]
                sources.update(connection.execute(_LINKING_TO, {"ids": chunk}).scalars())
        return sources

    def iter_records(
        self, kinds: Iterable[Kind] | None = None, *, include_deleted: bool = False
    ) -> Iterator[Record]:
        """Every record (of some kinds), in id order, fetched ``BATCH_SIZE`` at a time.

        Each batch is read in its own short transaction (keyset pagination on id),
        so a long iteration never pins an old WAL snapshot; records changed while
        iterating may appear in their old or new version.
        """
        conditions: list[ColumnElement[bool]] = []
        if kinds is not None:
            conditions.append(RecordRow.kind.in_([Kind(k).value for k in kinds]))
        if not include_deleted:
            conditions.append(RecordRow.deleted.is_(False))
        last_id = ""
        while True:
            query = (
                select(*RECORD_COLUMNS)
                .where(RecordRow.id > last_id, *conditions)
                .order_by(RecordRow.id)
                .limit(BATCH_SIZE)
            )
            with self._read_session() as session:
                rows = session.execute(query).all()
            for row in rows:
                yield record_from_row(row)
            if len(rows) < BATCH_SIZE:
                return
            last_id = rows[-1].id

    def revisions(self, kinds: Iterable[Kind] | None = None) -> Iterator[tuple[str, str]]:
        """(id, revision) of every live record (of some kinds), in id order, without loading records.

        One plain SELECT of two columns, streamed in ``BATCH_SIZE`` keyset pages like ``iter_records``
        (the index's start-up check compares these pairs with the indexed ones).
        """
        conditions: list[ColumnElement[bool]] = [RecordRow.deleted.is_(False)]
        if kinds is not None:
            conditions.append(RecordRow.kind.in_([Kind(k).value for k in kinds]))
        last_id = ""
        page = BATCH_SIZE * 20
        while True:
            query = (
                select(RecordRow.id, RecordRow.revision)
                .where(RecordRow.id > last_id, *conditions)
                .order_by(RecordRow.id)
                .limit(page)
            )
            with self._read_session() as session:
                rows = [(str(row.id), str(row.revision)) for row in session.execute(query)]
            yield from rows
            if len(rows) < page:
                return
            last_id = rows[-1][0]

    def count(self, kind: Kind | None = None) -> int:
        """Number of live records (of one kind)."""
        query = select(func.count()).select_from(RecordRow).where(RecordRow.deleted.is_(False))
        if kind is not None:
            query = query.where(RecordRow.kind == Kind(kind).value)
        with self._read_session() as session:
            return int(session.scalar(query) or 0)

    def changes_since(self, seq: int, limit: int = 1000) -> list[ChangeEntry]:
        """Change-feed entries after ``seq``, oldest first, one per record (its latest)."""
        query = (
            select(RecordRow.seq, RecordRow.id, RecordRow.deleted)
            .where(RecordRow.seq > seq)
            .order_by(RecordRow.seq)
            .limit(limit)
        )
        with self._read_session() as session:
            return [ChangeEntry(row.seq, row.id, bool(row.deleted)) for row in session.execute(query)]

    def last_seq(self) -> int:
        """The change-feed position of the newest change."""
        with self._read_session() as session:
            return read_seq(session)

    def get_meta(self, key: str) -> str | None:
        """A value from the store's key/value table, or None."""
        with self._read_session() as session:
            return read_meta(session, key)

    def outbox_entries(self, record_id: str | None = None, *, state: str | None = None) -> list[OutboxEntry]:
        """Outbox rows (of one record, in one state, or all), oldest first."""
        query = select(OutboxRow).order_by(OutboxRow.id)
        if record_id is not None:
            query = query.where(OutboxRow.record_id == record_id)
        if state is not None:
            query = query.where(OutboxRow.state == state)
        with self._read_session() as session:
            return [
                OutboxEntry(r.change_id, r.record_id, r.revision, r.op, r.created_at, r.state, r.error or "")
                for r in session.scalars(query)
            ]

    def sync_state(self, record_id: str) -> str:
        """A record's sync state: "" before the profile's first sign-in; else local, waiting, synced,
        conflict, or "refused: <why>" (the server's reason)."""
        from desktop.store.models import SyncBaseRow

        with self._read_session() as session:
            # The key replica.ACCOUNT_KEY writes (not imported: the store loads without the sync stack).
            if session.scalar(select(MetaRow.value).where(MetaRow.key == "sync.account")) is None:
                return ""
            states = list(
                session.execute(
                    select(OutboxRow.state, OutboxRow.error)
                    .where(OutboxRow.record_id == record_id, OutboxRow.state != "done")
                    .order_by(OutboxRow.id)
                )
            )
            kinds = {row.state for row in states}
            if "conflict" in kinds:
                return "conflict"
            if "pending" in kinds:
                return "waiting"
            if "rejected" in kinds:
                return f"refused: {states[-1].error or ''}"
            return "synced" if session.get(SyncBaseRow, record_id) is not None else "local"

    def has_sync_base(self, record_id: str) -> bool:
        """True when the record has been synced with a server (it has a base version)."""
        from desktop.store.models import SyncBaseRow

        with self._read_session() as session:
            return session.get(SyncBaseRow, record_id) is not None

    def pending_outbox_count(self) -> int:
        """Number of local changes not yet pushed ("changes waiting" in the status bar)."""
        query = select(func.count()).select_from(OutboxRow).where(OutboxRow.state == "pending")
        with self._read_session() as session:
            return int(session.scalar(query) or 0)

    def list_records(
        self, kind: Kind | None = None, offset: int = 0, limit: int = 100, order: str = "updated_at desc"
    ) -> list[Record]:
        """One page of live records (of one kind), for list views. ``order`` is a key of ORDERS."""
        if order not in ORDERS:
            raise ValueError(f"unknown order {order!r}; use one of: {', '.join(ORDERS)}")
        query = select(*RECORD_COLUMNS).where(RecordRow.deleted.is_(False))
        if kind is not None:
            query = query.where(RecordRow.kind == Kind(kind).value)
        query = query.order_by(*ORDERS[order]).offset(max(offset, 0)).limit(max(limit, 0))
        with self._read_session() as session:
            return [record_from_row(row) for row in session.execute(query)]

    def trash(self) -> list[Record]:
        """Deleted records (tombstones), most recently deleted first."""
        query = (
            select(*RECORD_COLUMNS)
            .where(RecordRow.deleted.is_(True))
            .order_by(RecordRow.updated_at.desc(), RecordRow.id)
        )
        with self._read_session() as session:
            return [record_from_row(row) for row in session.execute(query)]

    def attachments(self, record_id: str) -> list[AttachmentInfo]:
        """Files attached to a record, in the order they were added."""
        query = select(AttachmentRow).where(AttachmentRow.record_id == record_id).order_by(AttachmentRow.id)
        with self._read_session() as session:
            return [attachment_from_row(row) for row in session.scalars(query)]
