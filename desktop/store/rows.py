"""Conversions between domain values and database rows, plus the change-feed counter."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from desktop.core.ports import AttachmentInfo
from desktop.core.records import Record
from desktop.store.models import AttachmentRow, MetaRow, RecordRow

SEQ_KEY = "seq"


@dataclass(frozen=True)
class OutboxEntry:
    """One local change waiting to be pushed to the server."""

    change_id: str
    record_id: str
    revision: str
    op: str  # "upsert" or "delete"
    created_at: str
    state: str
    error: str = ""


def dump_content(record: Record) -> str:
    """The record's synced content as canonical JSON text (what is stored and hashed)."""
    return json.dumps(record.content_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def load_record(
    content: str, *, created_at: str, updated_at: str, revision: str, parent_revision: str
) -> Record:
    """A Record from stored content JSON and its bookkeeping columns."""
    data: dict[str, Any] = json.loads(content)
    data.update(
        created_at=created_at, updated_at=updated_at, revision=revision, parent_revision=parent_revision
    )
    return Record.from_json(data)


def record_from_row(row: RecordRow | Any) -> Record:
    """The Record stored in a ``records`` row (an ORM row or a selected-columns row)."""
    return load_record(
        row.content,
        created_at=row.created_at,
        updated_at=row.updated_at,
        revision=row.revision,
        parent_revision=row.parent_revision,
    )


#: The columns a Record is made from (record_from_row), read by id with a statement built once.
RECORD_COLUMNS = (
    RecordRow.id,
    RecordRow.content,
    RecordRow.created_at,
    RecordRow.updated_at,
    RecordRow.revision,
    RecordRow.parent_revision,
)
_CURRENT_ROW = select(*RECORD_COLUMNS).where(RecordRow.id == bindparam("id"))


def current_row(session: Session, record_id: str) -> Any:
    """The stored columns of a record (for ``record_from_row`` or its ``revision``), or None."""
    return core(session).execute(_CURRENT_ROW, {"id": record_id}).first()


def attachment_from_row(row: AttachmentRow | Any) -> AttachmentInfo:
    """The AttachmentInfo of an ``attachments`` row."""
    return AttachmentInfo(
        record_id=row.record_id,
        sha256=row.sha256,
        filename=row.filename,
        media_type=row.media_type,
        size=row.size,
        added_at=row.added_at,
        text_state=row.text_state or "pending",
        present=row.present is not False,
    )


def table(model: Any) -> Table:
    """A mapped class's table, for Core statements."""
    return cast(Table, model.__table__)


def core(session: Session) -> Connection:
    """The session's connection, for the store's hot Core statements (built once, at import).

    ``session.execute`` sends even a Core statement through the ORM's execution layer, and an
    INSERT with a list of rows through its bulk-insert machinery: measured here, 216 us for a
    one-row insert against 38 us on the connection, 204 us for a select against 124 us. Every
    save, and every version a sync applies, runs a dozen such statements. Pending ORM changes
    are flushed first, so a statement sees everything written before it in the transaction.
    The connection is kept in ``session.info`` for the rest of the transaction: asking the
    session for it costs more than most of the statements.
    """
    session.flush()
    transaction = session.get_transaction()
    kept = session.info.get(_CORE_KEY)
    if kept is not None and transaction is not None and kept[0] is transaction:
        return cast(Connection, kept[1])
    connection = session.connection()
    session.info[_CORE_KEY] = (session.get_transaction(), connection)
    return connection


_CORE_KEY = "imbizo.core_connection"


#: Built upsert statements by (model, columns given): building one costs more than running it.
_UPSERTS: dict[tuple[Any, tuple[str, ...]], Any] = {}


def _upsert_statement(model: Any, names: tuple[str, ...]) -> tuple[Any, list[str]]:
    keys = [column.name for column in model.__table__.primary_key.columns]
    statement = _UPSERTS.get((model, names))
    if statement is None:
        base = sqlite_insert(model)
        statement = base.on_conflict_do_update(
            index_elements=keys, set_={name: base.excluded[name] for name in names if name not in keys}
        )
        _UPSERTS[(model, names)] = statement
    return statement, keys


def upsert_row(session: Session, model: Any, **values: object) -> None:
    """Insert a row of ``model``, or replace the columns given of the row with its primary key.

    One Core statement: the ORM's ``session.merge()`` costs a SELECT and a unit-of-work flush,
    and the store does this for the feed counter on every save and for every synced record.
    """
    statement, keys = _upsert_statement(model, tuple(sorted(values)))
    core(session).execute(statement, values)
    # A row of this key already loaded in the session would now be stale: reload it when read.
    loaded = session.identity_map.get(identity_key(model, tuple(values[name] for name in keys)))
    if loaded is not None:
        session.expire(loaded)


_READ_META = select(MetaRow.value).where(MetaRow.key == bindparam("key"))


def read_meta(session: Session, key: str) -> str | None:
    """A value of the store's key/value table, or None."""
    value = core(session).execute(_READ_META, {"key": key}).scalar()
    return str(value) if value is not None else None


def read_seq(session: Session) -> int:
    """The change-feed counter (0 for a new store)."""
    value = read_meta(session, SEQ_KEY)
    return int(value) if value is not None else 0


class SeqCounter:
    """Hands out change-feed positions inside one write transaction and stores the last one.

    The counter lives in a ``meta`` row written in the same transaction as the
    records it numbers, so a crash never leaves a record ahead of the counter.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self.value = read_seq(session)
        self._start = self.value

    def next(self) -> int:
        """The next position."""
        self.value += 1
        return self.value

    def flush(self) -> None:
        """Write the counter back if it moved."""
        if self.value != self._start:
            upsert_row(self._session, MetaRow, key=SEQ_KEY, value=str(self.value))
