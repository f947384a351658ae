"""RecordRepository: the local store of records, the truth that the search index caches.

Every write is one SQLite transaction taken under the profile's write lock: the
record, its revision, its links, its outbox entry and the change-feed counter
commit together or not at all. Reads use short sessions of their own, so the
repository can be shared by the UI's worker threads.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Engine, bindparam, delete, insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.changes import Changes
from desktop.core.ports import AttachmentInfo
from desktop.core.records import Record, revision_generation, revision_id, utc_now
from desktop.core.validation import ensure_valid
from desktop.store import maintenance
from desktop.store.attachment_text import AttachmentTexts
from desktop.store.attachments import DEFAULT_MAX_SIZE, BlobStore, sanitize_filename
from desktop.store.check import StoreCheckReport
from desktop.store.communities import CommunityStore
from desktop.store.db import DB_FILENAME, WRITE_OPTION, create_store_engine
from desktop.store.editing import EditingStore, drop_saved_working_copies
from desktop.store.errors import (
    AttachmentError,
    RecordNotFoundError,
    StoreError,
    translate_db_error,
    translate_os_error,
)
from desktop.store.expert_queries import ExpertQueries
from desktop.store.listing import ListingQueries
from desktop.store.locking import WriteLock
from desktop.store.migrate import prepare_database
from desktop.store.models import AttachmentRow, LinkRow, MetaRow, OutboxRow, RecordRow, RevisionRow
from desktop.store.queries import BATCH_SIZE, RecordQueries
from desktop.store.rows import (
    SEQ_KEY,
    SeqCounter,
    attachment_from_row,
    core,
    current_row,
    dump_content,
    record_from_row,
    table,
    upsert_row,
)
from desktop.store.usage import UsageStore
from desktop.store.vocabulary import VocabularyQueries

logger = logging.getLogger(__name__)

LOCK_FILENAME = "write.lock"


class RecordRepository(
    RecordQueries,
    EditingStore,
    ListingQueries,
    AttachmentTexts,
    ExpertQueries,
    CommunityStore,
    UsageStore,
    VocabularyQueries,
):
    """The profile's records on SQLite; implements ``desktop.core.ports.RecordStore``.

    Opening migrates the database (backing it up first when it is older), refuses a
    database from a newer Imbizo or a file that is not Imbizo's, and removes
    attachment temp files left by a crash.
    """

    def __init__(
        self,
        profile_dir: Path,
        *,
        lock_timeout: float = 5.0,
        max_attachment_size: int = DEFAULT_MAX_SIZE,
    ) -> None:
        self.profile_dir = Path(profile_dir)
        self.db_path = self.profile_dir / DB_FILENAME
        self.backups_dir = self.profile_dir / "backups"
        self.blobs = BlobStore(self.profile_dir / "blobs", max_attachment_size)
        try:
            self.profile_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise translate_os_error(exc, f"create the profile folder {self.profile_dir}") from exc
        self._lock = WriteLock(self.profile_dir / LOCK_FILENAME, lock_timeout)
        with self._guard("open the profile"), self._lock.hold():
            prepare_database(self.db_path, self.backups_dir)
            self.blobs.ensure_dirs()
            self.blobs.clean_temp()
        self._engine = create_store_engine(self.db_path)
        self._reader = sessionmaker(self._engine, expire_on_commit=False)
        self._writer = sessionmaker(self._engine.execution_options(**{WRITE_OPTION: True}))

    # --- plumbing -------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for diagnostics and tests; use the methods to change data)."""
        return self._engine

    @property
    def lock_timeout(self) -> float:
        """Seconds a write waits for the profile's write lock before StoreBusyError."""
        return self._lock.timeout

    def close(self) -> None:
        """Close every pooled connection (the repository must not be used afterwards)."""
        self._engine.dispose()

    def __enter__(self) -> RecordRepository:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the profile's write lock for a sequence of writes (reentrant).

        Use it around "save, then update the index" so another process's writes
        cannot interleave. Raises StoreBusyError when the lock stays taken for
        ``lock_timeout`` seconds.
        """
        with self._lock.hold():
            yield

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        """Translate SQLite and OS errors raised while doing ``action`` into StoreErrors."""
        try:
            yield
        except StoreError:
            raise
        except DBAPIError as exc:
            raise translate_db_error(exc, action) from exc
        except OSError as exc:
            raise translate_os_error(exc, action) from exc

    @contextmanager
    def _read_session(self) -> Iterator[Session]:
        with self._guard("read from the store"), self._reader() as session:
            yield session

    @contextmanager
    def _write_session(self, action: str) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE) under the write lock; rolled back on error."""
        with self._guard(action), self._lock.hold(), self._writer() as session, session.begin():
            yield session

    @contextmanager
    def _quick_write_session(self, action: str) -> Iterator[Session]:
        """One small write transaction WITHOUT the profile's write lock (autosave of working copies).

        SQLite's busy timeout is the only wait, so an autosave never queues behind a long
        import holding the lock between its transactions.
        """
        with self._guard(action), self._writer() as session, session.begin():
            yield session

    # --- writes ---------------------------------------------------------------------------

    def save(self, record: Record) -> Changes:
        """Validate and save one record with its revision, links and outbox entry, in one transaction."""
        return self.save_many([record])

    def save_many(self, records: Sequence[Record]) -> Changes:
        """Validate and save several records in one transaction: all or nothing.

        A record whose content hash equals the stored one is left alone and listed
        in ``Changes.unchanged``. Raises ValidationError before writing anything.
        """
        records = list(records)
        for record in records:
            ensure_valid(record)
        with self._write_session("save the records" if len(records) > 1 else "save the record") as session:
            return self._write_records(session, records)

    def delete(self, record_id: str) -> Changes:
        """Turn a record into a tombstone (kept for sync and for the trash)."""
        with self._write_session("delete the record") as session:
            current = self._current(session, record_id)
            return self._write_records(session, [current.with_changes(deleted=True)])

    def undelete(self, record_id: str) -> Changes:
        """Bring a record back from the trash, as a new revision."""
        with self._write_session("restore the record") as session:
            current = self._current(session, record_id)
            return self._write_records(session, [ensure_valid(current.with_changes(deleted=False))])

    def set_meta(self, key: str, value: str) -> None:
        """Store a small key/value setting (sync cursors, the index watermark...)."""
        if key == SEQ_KEY:
            raise ValueError("the change-feed counter is kept by the store itself")
        with self._write_session("save a setting") as session:
            upsert_row(session, MetaRow, key=key, value=value)

    def _current(self, session: Session, record_id: str) -> Record:
        row = current_row(session, record_id)
        if row is None:
            raise RecordNotFoundError(f"There is no record with id {record_id}.")
        return record_from_row(row)

    def _write_records(
        self,
        session: Session,
        records: Sequence[Record],
        *,
        remote: bool = False,
        generation_floor: dict[str, int] | None = None,
    ) -> Changes:
        """Write ``records`` in the caller's transaction; returns what changed.

        Rows are gathered first and written with one executemany per table: an
        import of thousands of records costs a handful of statements, not five per record.
        ``remote``: versions that came from the server keep the server's revision ids and
        get no outbox entry (they are not local changes to push). ``generation_floor`` lifts
        the generation of a local version above a server revision it was merged onto.
        """
        ids = list(dict.fromkeys(r.id for r in records))
        known = self._known_versions(session, ids)
        counter = SeqCounter(session)
        batch = _WriteBatch()
        for record in records:
            content_hash = record.content_hash()
            previous = known.get(record.id)
            same = previous is not None and (
                previous[1] == record.revision if remote else previous[2] == content_hash
            )
            if same:
                batch.unchanged.append(record.id)
                continue
            now = utc_now()
            if remote:
                generation, revision = revision_generation(record.revision), record.revision
            else:
                floor = (generation_floor or {}).get(record.id, 0)
                generation = max(previous[0] if previous else 0, floor) + 1
                revision = revision_id(generation, content_hash)
            created_at = previous[3] if previous else (record.created_at or now)
            values: dict[str, object] = {
                "id": record.id,
                "kind": record.kind.value,
                "title": record.title,
                "status": record.status.value,
                "visibility": record.visibility.value,
                "owner": record.owner,
                "demo": record.demo,
                "deleted": record.deleted,
                "generation": generation,
                "revision": revision,
                "parent_revision": record.parent_revision if remote else (previous[1] if previous else ""),
                "content_hash": content_hash,
                "created_at": created_at,
                "updated_at": now,
                "seq": counter.next(),
                "content": dump_content(record),
            }
            batch.add(
                record, values, existed=previous is not None or record.id in batch.written, outbox=not remote
            )
            known[record.id] = (generation, revision, content_hash, created_at)
        batch.execute(session)
        counter.flush()
        drop_saved_working_copies(session, records)  # same transaction: a newer draft is kept
        return Changes(
            created=tuple(batch.created),
            updated=tuple(batch.updated),
            deleted=tuple(batch.deleted),
            unchanged=tuple(batch.unchanged),
            seq=counter.value,
        )

    @staticmethod
    def _known_versions(session: Session, ids: list[str]) -> dict[str, tuple[int, str, str, str]]:
        """id -> (generation, revision, content hash, created_at) of the records that exist."""
        known: dict[str, tuple[int, str, str, str]] = {}
        connection = core(session)
        for start in range(0, len(ids), BATCH_SIZE):
            chunk = ids[start : start + BATCH_SIZE]
            for row in connection.execute(_KNOWN_VERSIONS, {"ids": chunk}):
                known[row.id] = (row.generation, row.revision, row.content_hash, row.created_at)
        return known

    # --- attachments ----------------------------------------------------------------------

    def add_attachment(
        self, record_id: str, data: bytes | Path | BinaryIO, filename: str, media_type: str
    ) -> AttachmentInfo:
        """Attach a file to a record; the bytes are stored once per SHA-256.

        The blob is written, fsynced and renamed into place before the row that
        names it is committed. ``filename`` is kept only as a sanitized display
        name. Raises AttachmentTooLargeError past the size limit, RecordNotFoundError
        for an unknown record.
        """
        display_name = sanitize_filename(filename)
        media_type = (media_type or "application/octet-stream").strip()[:255]
        temp = self.blobs.write_temp(data)  # the slow part, outside the write lock
        try:
            with self._write_session("add the attachment") as session:
                if session.get(RecordRow, record_id) is None:
                    raise RecordNotFoundError(f"There is no record with id {record_id}.")
                existing = session.scalars(
                    select(AttachmentRow).where(
                        AttachmentRow.record_id == record_id, AttachmentRow.sha256 == temp.sha256
                    )
                ).first()
                self.blobs.install(temp)  # blob durable before the row commits
                if existing is not None:
                    return attachment_from_row(existing)
                info = AttachmentInfo(record_id, temp.sha256, display_name, media_type, temp.size, utc_now())
                session.add(
                    AttachmentRow(
                        record_id=record_id,
                        sha256=info.sha256,
                        filename=info.filename,
                        media_type=info.media_type,
                        size=info.size,
                        added_at=info.added_at,
                    )
                )
                self._bump_revision(session, record_id)
                return info
        finally:
            self.blobs.discard(temp)

    def remove_attachment(self, record_id: str, sha256: str) -> bool:
        """Detach a file from a record; its blob is deleted once no record uses it.

        Returns False when the record had no such attachment.
        """
        with self._write_session("remove the attachment") as session:
            result = session.execute(
                delete(AttachmentRow).where(
                    AttachmentRow.record_id == record_id, AttachmentRow.sha256 == sha256
                )
            )
            if not getattr(result, "rowcount", 0):
                return False
            self._bump_revision(session, record_id)
            still_used = session.scalar(select(AttachmentRow.id).where(AttachmentRow.sha256 == sha256))
        # After the commit: a crash in between leaves an unused blob, never a missing one.
        # Another process cannot attach the same bytes meanwhile: it installs blobs under the lock.
        if still_used is None:
            with self._lock.hold():
                if not self._blob_in_use(sha256):
                    self.blobs.remove(sha256)
        return True

    def _blob_in_use(self, sha256: str) -> bool:
        with self._read_session() as session:
            return session.scalar(select(AttachmentRow.id).where(AttachmentRow.sha256 == sha256)) is not None

    def blob_path(self, sha256: str) -> Path:
        """Where an attachment's bytes are stored (read them, never write them)."""
        return self.blobs.path_for(sha256)

    def open_blob(self, sha256: str) -> BinaryIO:
        """An open binary file of an attachment's bytes; the caller closes it."""
        try:
            return open(self.blobs.path_for(sha256), "rb")
        except FileNotFoundError as exc:
            raise AttachmentError(f"The file of attachment {sha256} is missing from the profile.") from exc

    def _touch(self, session: Session, record_id: str) -> None:
        """Move a record to the head of the change feed (its extracted text changed: index it again)."""
        counter = SeqCounter(session)
        session.execute(update(RecordRow).where(RecordRow.id == record_id).values(seq=counter.next()))
        counter.flush()

    def _bump_revision(self, session: Session, record_id: str) -> None:
        """A new revision of a record whose files changed (its content did not), with its outbox entry.

        The files are part of the version that syncs, so the revision id covers them: the
        content hash and the sorted hashes of the files, hashed together. Read and written as
        Core statements: an ORM row loaded earlier in the transaction may be stale (the sync
        writes records as Core), and a revision already in the history (the same content and
        files made here before, e.g. a push whose answer was lost) is kept once.
        """
        connection = core(session)
        row = connection.execute(_BUMP_READ, {"id": record_id}).first()
        if row is None:
            return
        shas = sorted(connection.execute(_FILE_SHAS, {"id": record_id}).scalars())
        combined = hashlib.sha256(f"{row.content_hash}:{','.join(shas)}".encode()).hexdigest()
        counter = SeqCounter(session)
        now = utc_now()
        revision = revision_id(row.generation + 1, combined)
        connection.execute(
            _INSERT_REVISION,
            [
                {
                    "record_id": record_id,
                    "revision": revision,
                    "parent_revision": row.revision,
                    "saved_at": now,
                    "content": row.content,
                }
            ],
        )
        if not row.demo:
            connection.execute(
                _INSERT_OUTBOX,
                [
                    {
                        "change_id": str(uuid.uuid4()),
                        "record_id": record_id,
                        "revision": revision,
                        "op": "delete" if row.deleted else "upsert",
                        "created_at": now,
                        "state": "pending",
                    }
                ],
            )
        bumped: dict[str, object] = {
            "b_id": record_id,
            "parent_revision": row.revision,
            "revision": revision,
            "generation": row.generation + 1,
            "updated_at": now,
            "seq": counter.next(),
        }
        connection.execute(_update_record(bumped), [bumped])
        counter.flush()

    # --- maintenance ----------------------------------------------------------------------

    def backup(self, dest: Path) -> Path:
        """Write a consistent copy of the database to ``dest`` with SQLite's backup API.

        Attachment blobs are NOT part of the backup (they live in ``blobs/``; a later
        issue bundles them); restoring an old backup may name blobs that must be
        copied back separately.
        """
        with self._guard("back up the profile"), self._lock.hold():
            return maintenance.backup(self._engine, Path(dest))

    def restore(self, src: Path) -> None:
        """Replace the database with the backup ``src``, after checking it.

        ``src`` must pass ``integrity_check`` and carry a schema this Imbizo knows,
        else a clear error is raised with nothing changed. The current database is
        first backed up to ``backups/``. Attachment blobs are not restored (see
        :meth:`backup`).
        """
        with self._guard("restore the backup"), self._lock.hold():
            maintenance.restore(self._engine, self.db_path, self.backups_dir, Path(src))

    def check(self, *, hash_blobs: bool = True) -> StoreCheckReport:
        """Check the database and the blobs: integrity, references, hashes, the change feed.

        ``hash_blobs=False`` only checks that each attachment's file exists (fast).
        """
        with self._guard("check the profile"):
            return maintenance.check(self._engine, self.blobs, hash_blobs=hash_blobs)


class _WriteBatch:
    """The rows of one save, gathered per table and written with one executemany each."""

    def __init__(self) -> None:
        self.inserts: dict[str, dict[str, object]] = {}
        self.updates: dict[str, dict[str, object]] = {}
        self.revisions: list[dict[str, object]] = []
        self.links: dict[str, list[dict[str, object]]] = {}
        self.outbox: list[dict[str, object]] = []
        self.written: set[str] = set()
        self.created: list[str] = []
        self.updated: list[str] = []
        self.deleted: list[str] = []
        self.unchanged: list[str] = []

    def add(self, record: Record, values: dict[str, object], *, existed: bool, outbox: bool = True) -> None:
        """Queue the record row, its revision, its links and its outbox entry (not for demo or remote)."""
        if record.id in self.inserts:  # the same id twice in one save: the later wins, still one insert
            self.inserts[record.id] = values
        elif existed:
            self.updates[record.id] = {f"b_{key}" if key == "id" else key: v for key, v in values.items()}
        else:
            self.inserts[record.id] = values
        self.written.add(record.id)
        self.revisions.append(
            {
                "record_id": record.id,
                "revision": values["revision"],
                "parent_revision": values["parent_revision"],
                "saved_at": values["updated_at"],
                "content": values["content"],
            }
        )
        self.links[record.id] = [
            {
                "source_id": record.id,
                "position": position,
                "relation": link.relation.value,
                "target_id": link.target_id,
                "note": link.note,
            }
            for position, link in enumerate(record.links)
        ]
        if outbox and not record.demo:  # demo records are never pushed
            self.outbox.append(
                {
                    "change_id": str(uuid.uuid4()),
                    "record_id": record.id,
                    "revision": values["revision"],
                    "op": "delete" if record.deleted else "upsert",
                    "created_at": values["updated_at"],
                    "state": "pending",
                }
            )
        if record.deleted:
            self.deleted.append(record.id)
        elif existed:
            self.updated.append(record.id)
        else:
            self.created.append(record.id)

    def execute(self, session: Session) -> None:
        """Write every queued row (records before the rows that refer to them), as Core statements."""
        connection = core(session)
        if self.inserts:
            connection.execute(_INSERT_RECORD, list(self.inserts.values()))
        if self.updates:
            connection.execute(_update_record(next(iter(self.updates.values()))), list(self.updates.values()))
        if self.revisions:  # a version already in the history (one that came back from the server) stays once
            connection.execute(_INSERT_REVISION, self.revisions)
        if self.links:
            ids = list(self.links)
            for start in range(0, len(ids), BATCH_SIZE):
                connection.execute(_DELETE_LINKS, {"ids": ids[start : start + BATCH_SIZE]})
            rows = [row for rows in self.links.values() for row in rows]
            if rows:
                connection.execute(_INSERT_LINK, rows)
        if self.outbox:
            connection.execute(_INSERT_OUTBOX, self.outbox)


# Built once (see rows.core): a save runs each of these, and building one costs more than running it.
_RECORDS = table(RecordRow)
_KNOWN_VERSIONS = select(
    RecordRow.id, RecordRow.generation, RecordRow.revision, RecordRow.content_hash, RecordRow.created_at
).where(RecordRow.id.in_(bindparam("ids", expanding=True)))
_INSERT_RECORD = insert(_RECORDS)
_BUMP_READ = select(
    RecordRow.content_hash,
    RecordRow.generation,
    RecordRow.revision,
    RecordRow.content,
    RecordRow.demo,
    RecordRow.deleted,
).where(RecordRow.id == bindparam("id"))
_FILE_SHAS = select(AttachmentRow.sha256).where(AttachmentRow.record_id == bindparam("id"))
_INSERT_REVISION = insert(table(RevisionRow)).prefix_with("OR IGNORE")
_LINKS = table(LinkRow)
_DELETE_LINKS = delete(_LINKS).where(_LINKS.c.source_id.in_(bindparam("ids", expanding=True)))
_INSERT_LINK = insert(_LINKS)
_INSERT_OUTBOX = insert(table(OutboxRow))
_UPDATES: dict[tuple[str, ...], Any] = {}


def _update_record(values: dict[str, object]) -> Any:
    """The UPDATE of a record row by id (``b_id``) setting these columns, built once per column set."""
    names = tuple(key for key in values if key != "b_id")
    statement = _UPDATES.get(names)
    if statement is None:
        statement = (
            update(_RECORDS)
            .where(_RECORDS.c.id == bindparam("b_id"))
            .values({key: bindparam(key) for key in names})
        )
        _UPDATES[names] = statement
    return statement
