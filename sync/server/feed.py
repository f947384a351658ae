"""Reading: the change feed (pull), the digest, the id/revision index and single records.

Access is checked row by row with :func:`sync.server.access.visible`. A record whose
current version the user may not read, but whose version as of the client's cursor they
could, is sent as ``removed`` (the version as of a cursor comes from the record history).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from sync.protocol import (
    INDEX_PAGE_SIZE,
    DigestResponse,
    FeedEntry,
    IndexEntry,
    IndexPage,
    KindDigest,
    PendingSummary,
    PullResponse,
    RecordVersion,
    combine_digests,
    file_digest,
    row_digest,
)
from sync.server import blob_check
from sync.server.access import Access, Actor, visible
from sync.server.auth import Principal
from sync.server.db import Database, current_seq, server_id
from sync.server.errors import not_found
from sync.server.models import Blob, Device, RecordBlob, RecordHistory, RecordRow, User
from sync.server.records import ACCESS_COLUMNS, row_to_version

#: Rows read from the database at a time.
_BATCH = 500
#: Rows one pull looks at, at most, before it answers (``has_more`` then asks for the rest).
SCAN_BUDGET = 5000

# The statements of the read path, built once and run as Core on the transaction's connection:
# building a statement (coercions, cache key) and loading ORM entities cost several times what
# SQLite takes to answer. Rows come back as named tuples with the columns' attribute names.
_RECORDS = RecordRow.__table__
_IN_FEED = (RecordRow.seq > bindparam("after"), RecordRow.seq <= bindparam("upto"))
#: Whole rows, for a pull; a pull of ``limit`` entries reads ``limit + 1`` rows at a time (most
#: pulls are short) where a batch of _BATCH would decode payloads it does not send.
_ROWS_AFTER = select(_RECORDS).where(*_IN_FEED).order_by(RecordRow.seq).limit(bindparam("batch"))
#: Access columns only, for the pending summary (it counts; it sends no payload).
_ACCESS_ROWS_AFTER = (
    select(*ACCESS_COLUMNS, RecordRow.seq).where(*_IN_FEED).order_by(RecordRow.seq).limit(_BATCH)
)
_RECORD = select(_RECORDS).where(RecordRow.id == bindparam("record_id"))
_RECORDS_IN = select(_RECORDS).where(RecordRow.id.in_(bindparam("ids", expanding=True)))
_ACCESS_AFTER = (
    select(*ACCESS_COLUMNS).where(RecordRow.id > bindparam("after")).order_by(RecordRow.id).limit(_BATCH)
)
_EPOCHS = select(
    select(User.access_epoch).where(User.id == bindparam("user_id")).scalar_subquery().label("epoch"),
    select(Device.seen_epoch).where(Device.id == bindparam("device_id")).scalar_subquery().label("seen"),
)
_LATEST_AT = (
    select(RecordHistory.record_id, func.max(RecordHistory.seq).label("seq"))
    .where(
        RecordHistory.record_id.in_(bindparam("ids", expanding=True)),
        RecordHistory.seq <= bindparam("cursor"),
    )
    .group_by(RecordHistory.record_id)
    .subquery()
)
_ACCESS_AT = select(RecordHistory.record_id, RecordHistory.access).join(
    _LATEST_AT,
    (RecordHistory.record_id == _LATEST_AT.c.record_id) & (RecordHistory.seq == _LATEST_AT.c.seq),
)
_FILES_OF = (
    select(RecordBlob.sha256, Blob.size)
    .join(Blob, Blob.sha256 == RecordBlob.sha256)
    .where(RecordBlob.record_id.in_(bindparam("ids", expanding=True)))
)


def _feed(
    session: Connection,
    actor: Actor,
    *,
    cursor: int,
    head: int,
    statement: Any = _ROWS_AFTER,
    batch: int = _BATCH,
) -> Iterator[tuple[Any, bool | None]]:
    """Every record changed in (cursor, head], in sequence order, with what ``actor`` gets of it:
    True (the record), False (``removed``: they could read it at ``cursor``) or None (nothing)."""
    for rows in _rows_after(session, cursor=cursor, upto=head, statement=statement, batch=batch):
        hidden = {row.id for row in rows if not visible(actor, row)}
        readable_before = _readable_at(session, actor, sorted(hidden), cursor)
        for row in rows:
            if row.id not in hidden:
                yield row, True
            elif row.id in readable_before:
                yield row, False
            else:
                yield row, None


def pull(*, db: Database, principal: Principal, cursor: int, limit: int) -> PullResponse:
    """The changes after ``cursor`` that the user may read (or no longer may), in sequence order."""
    with db.read_connection() as session:
        head = current_seq(session)
        if cursor > head:
            # The client is past this server's horizon (a reset or a restored server).
            return PullResponse(changes=[], cursor=head, has_more=False, resync=True)
        resync = _needs_resync(session, principal)
        entries: list[FeedEntry] = []
        looked_at = cursor
        feed = _feed(session, principal.actor, cursor=cursor, head=head, batch=min(_BATCH, limit + 1))
        for scanned, (row, readable) in enumerate(feed):
            if len(entries) >= limit or scanned >= SCAN_BUDGET:
                return PullResponse(changes=entries, cursor=looked_at, has_more=True, resync=resync)
            looked_at = row.seq
            if readable:
                entries.append(FeedEntry(seq=row.seq, record=row_to_version(row)))
            elif readable is not None:
                entries.append(FeedEntry(seq=row.seq, removed=row.id))
        # Everything up to the head was looked at (sequence numbers without a record included).
        return PullResponse(changes=entries, cursor=head, has_more=False, resync=resync)


def pending(*, db: Database, principal: Principal, cursor: int) -> PendingSummary:
    """How many entries a pull from ``cursor`` would bring, and how many of them are deletions."""
    with db.read_connection() as session:
        head = current_seq(session)
        changes = 0
        deleted: list[str] = []
        rows = _feed(
            session, principal.actor, cursor=min(cursor, head), head=head, statement=_ACCESS_ROWS_AFTER
        )
        for row, readable in rows:
            if readable is None:
                continue
            changes += 1
            if readable and row.deleted:
                deleted.append(row.id)
        # Only a record the device could hold, live, at its cursor is a deletion there: one made
        # and deleted since (on another device) deletes nothing of it (the fail-safe counts these).
        deletions = sum(
            len(_readable_at(session, principal.actor, deleted[n : n + _BATCH], cursor, live=True))
            for n in range(0, len(deleted), _BATCH)
        )
        return PendingSummary(
            cursor=cursor, changes=changes, deletions=deletions, latest=head, server_id=server_id(session)
        )


def _needs_resync(session: Connection, principal: Principal) -> bool:
    epoch, seen = session.execute(
        _EPOCHS, {"user_id": principal.user_id, "device_id": principal.device_id}
    ).one()
    if epoch is None:
        raise LookupError("the signed-in user is gone")
    return int(epoch) > int(seen or 0)


def _rows_after(
    session: Connection, *, cursor: int, upto: int, statement: Any, batch: int
) -> Iterator[Sequence[Any]]:
    after = cursor
    while True:
        rows = session.execute(statement, {"after": after, "upto": upto, "batch": batch}).all()
        if not rows:
            return
        yield rows
        after = rows[-1].seq


def _readable_at(
    session: Connection, actor: Actor, record_ids: list[str], cursor: int, *, live: bool = False
) -> set[str]:
    """Of ``record_ids``, those whose version current at ``cursor`` the actor could read (and, with
    ``live``, that were not deleted then)."""
    if not record_ids or cursor <= 0:
        return set()
    rows = session.execute(_ACCESS_AT, {"ids": record_ids, "cursor": cursor}).all()
    found = {record_id: Access.from_json(access) for record_id, access in rows}
    return {rid for rid, access in found.items() if visible(actor, access) and not (live and access.deleted)}


def mark_resynced(*, db: Database, principal: Principal, cursor: int) -> None:
    """The device reconciled against an index read at ``cursor``: access changes up to it are caught up."""
    with db.write() as session:
        device = session.get(Device, principal.device_id)
        if device is None:
            raise not_found("This device is not registered; sign in again.")
        reached = min(cursor, current_seq(session))
        device.seen_epoch = max(device.seen_epoch, reached)


def _visible_rows(session: Connection, actor: Actor, *, after: str = "") -> Iterator[Any]:
    """Every record the actor may read (its access columns only), in id order, starting after ``after``."""
    while True:
        batch = session.execute(_ACCESS_AFTER, {"after": after}).all()
        if not batch:
            return
        for row in batch:
            if visible(actor, row):
                yield row
        after = batch[-1].id


def digest(*, db: Database, principal: Principal, blobs: Any = None) -> DigestResponse:
    """Per kind: how many live records the user may read, and the digest of their (id, revision).

    With the blob store, ``files`` too: the distinct files those records refer to that the
    server holds intact (a damaged one is set aside: see sync/server/blob_check.py).
    """
    with db.read_connection() as session:
        head = current_seq(session)
        values: dict[str, list[int]] = defaultdict(list)
        live: list[str] = []
        for row in _visible_rows(session, principal.actor):
            if not row.deleted:
                values[row.kind].append(row_digest(row.id, row.revision))
                live.append(row.id)
        kinds = {
            kind: KindDigest(count=len(v), digest=combine_digests(v)) for kind, v in sorted(values.items())
        }
        files: dict[str, int] = {}
        if blobs is not None:
            for start in range(0, len(live), _BATCH):
                rows = session.execute(_FILES_OF, {"ids": live[start : start + _BATCH]})
                files.update((sha, int(size)) for sha, size in rows)
    if blobs is None:
        return DigestResponse(cursor=head, kinds=kinds)
    intact = []
    for sha, size in sorted(files.items()):
        if blob_check.is_intact(blobs, sha, size):
            intact.append(file_digest(sha, size))
        else:
            blob_check.set_aside(db, blobs, sha)
    summary = KindDigest(count=len(intact), digest=combine_digests(intact))
    return DigestResponse(cursor=head, kinds=kinds, files=summary)


def index_page(*, db: Database, principal: Principal, after: str = "") -> IndexPage:
    """A page of the records the user may read (tombstones included), in id order."""
    with db.read_connection() as session:
        head = current_seq(session)
        entries: list[IndexEntry] = []
        next_after: str | None = None
        for row in _visible_rows(session, principal.actor, after=after):
            if len(entries) == INDEX_PAGE_SIZE:
                next_after = entries[-1].id
                break
            entries.append(IndexEntry(id=row.id, revision=row.revision, deleted=row.deleted))
        return IndexPage(entries=entries, next_after=next_after, cursor=head)


def get_record(*, db: Database, principal: Principal, record_id: str) -> RecordVersion:
    """The current version of a record the user may read; 404 otherwise (whether or not it exists)."""
    with db.read_connection() as session:
        row = session.execute(_RECORD, {"record_id": record_id}).one_or_none()
        if row is None or not visible(principal.actor, row):
            raise not_found("There is no such record.")
        return row_to_version(row)


def readable_ids(session: Session | Connection, actor: Actor, record_ids: Iterable[str]) -> set[str]:
    """Of ``record_ids``, the records the actor may read now."""
    ids = list(record_ids)
    if not ids:
        return set()
    connection = session.connection() if isinstance(session, Session) else session
    rows = connection.execute(_RECORDS_IN, {"ids": ids})
    return {row.id for row in rows if visible(actor, row)}
