"""Blobs: chunked, resumable uploads kept in the database and the blob folder, and downloads.

Files are named by the server only: a finished blob by its SHA-256
(``<root>/<aa>/<sha256>``), an unfinished upload by its server-made id
(``<root>/uploads/<id>.part``). Upload sessions live in the database, so any server
process continues an upload another one started.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync.protocol import CHUNK_BYTES, UploadStart, UploadState
from sync.server.auth import Principal
from sync.server.config import Settings
from sync.server.db import Database, utc_now
from sync.server.errors import ApiError, invalid, not_found, too_large
from sync.server.feed import readable_ids
from sync.server.models import Blob, RecordBlob, Upload

logger = logging.getLogger(__name__)

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_UPLOAD_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
_READ_BYTES = 1024 * 1024
#: Unfinished uploads are dropped this long after they started (offices may be offline for weeks).
UPLOAD_LIFETIME = timedelta(days=90)
#: Stale uploads dropped per upload start, at most (the work of one request stays small).
_PURGE_BATCH = 20


class OffsetMismatch(Exception):
    """A chunk sent at another offset than the server's: answered 409 with the upload's state."""

    def __init__(self, state: UploadState) -> None:
        super().__init__(f"the upload continues at {state.offset}")
        self.state = state


class BlobStore:
    """Where blob bytes live on disk, under names the server makes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.uploads = root / "uploads"

    def ensure(self) -> None:
        """Create the folders."""
        self.uploads.mkdir(parents=True, exist_ok=True)

    def blob_path(self, sha256: str) -> Path:
        """The file of a complete blob."""
        if not _SHA256.fullmatch(sha256):
            raise ValueError("not a sha256")
        return self.root / sha256[:2] / sha256

    def partial_path(self, upload_id: str) -> Path:
        """The file of an unfinished upload."""
        if not _UPLOAD_ID.fullmatch(upload_id):
            raise ValueError("not an upload id")
        return self.uploads / f"{upload_id}.part"


def _state(upload: Upload) -> UploadState:
    return UploadState(
        upload_id=upload.id, sha256=upload.sha256, size=upload.size, offset=upload.offset, complete=False
    )


def _complete(sha256: str, size: int) -> UploadState:
    # A complete blob has no upload session; its hash stands in for the id.
    return UploadState(upload_id=sha256, sha256=sha256, size=size, offset=size, complete=True)


def start_upload(
    *, db: Database, store: BlobStore, settings: Settings, principal: Principal, start: UploadStart
) -> UploadState:
    """Answer the state of an upload of ``start.sha256``: complete (dedupe), resumed, or new."""
    if start.size > settings.max_blob_bytes:
        raise too_large(
            f"the file has {start.size} bytes; this server accepts at most {settings.max_blob_bytes}"
        )
    with db.write() as session:
        blob = session.get(Blob, start.sha256)
        if blob is not None and store.blob_path(blob.sha256).is_file():
            return _complete(blob.sha256, blob.size)
        if blob is None and _adopt_kept_file(session, store, start.sha256, start.size):
            return _complete(start.sha256, start.size)
        _purge_stale_uploads(session, store)
        if start.size == 0:
            return _finish_empty(session, store, start.sha256)
        upload = session.execute(
            select(Upload).where(
                Upload.sha256 == start.sha256,
                Upload.size == start.size,
                Upload.uploader_id == principal.user_id,
            )
        ).scalar_one_or_none()
        if upload is not None:
            _reconcile_offset(store, upload)
            return _state(upload)
        upload = Upload(
            id=secrets.token_urlsafe(24),
            sha256=start.sha256,
            size=start.size,
            offset=0,
            uploader_id=principal.user_id,
            created_at=utc_now(),
        )
        store.ensure()
        store.partial_path(upload.id).write_bytes(b"")
        session.add(upload)
        return _state(upload)


def _adopt_kept_file(session: Session, store: BlobStore, sha256: str, size: int) -> bool:
    """Keep a blob file that is in place but has no row: its upload's last commit was lost.

    The last chunk moves the finished file under its hash before the transaction that
    records it commits; a server killed between the two leaves the file and the old
    upload row (whose partial file is gone). Without this the upload would start again
    from byte 0 and the client would send the whole file twice. The file is hashed
    first: a name alone is not proof of the bytes.
    """
    path = store.blob_path(sha256)
    if not path.is_file() or path.stat().st_size != size or _sha256_of(path) != sha256:
        return False
    leftovers = session.execute(select(Upload).where(Upload.sha256 == sha256)).scalars()
    for upload in leftovers:
        store.partial_path(upload.id).unlink(missing_ok=True)
        session.delete(upload)
    session.add(Blob(sha256=sha256, size=size, created_at=utc_now()))
    logger.warning("blob %s was stored but not recorded (a lost commit); recorded it now", sha256[:12])
    return True


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_READ_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _purge_stale_uploads(session: Session, store: BlobStore) -> None:
    """Drop a few uploads that were started long ago and never finished, with their bytes."""
    stale = session.execute(
        select(Upload).where(Upload.created_at < utc_now() - UPLOAD_LIFETIME).limit(_PURGE_BATCH)
    ).scalars()
    for upload in stale:
        store.partial_path(upload.id).unlink(missing_ok=True)
        session.delete(upload)
        logger.info("dropped upload %s, unfinished since %s", upload.id, upload.created_at)


def _finish_empty(session: Session, store: BlobStore, sha256: str) -> UploadState:
    if sha256 != _EMPTY_SHA256:
        raise invalid("an empty file has another SHA-256")
    path = store.blob_path(sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    if session.get(Blob, sha256) is None:
        session.add(Blob(sha256=sha256, size=0, created_at=utc_now()))
    return _complete(sha256, 0)


def _reconcile_offset(store: BlobStore, upload: Upload) -> None:
    """Trust the database's offset only as far as the bytes on disk reach (a lost disk write)."""
    path = store.partial_path(upload.id)
    on_disk = path.stat().st_size if path.exists() else 0
    if on_disk < upload.offset:
        logger.warning(
            "upload %s has %d bytes on disk, not %d; resuming there", upload.id, on_disk, upload.offset
        )
        upload.offset = on_disk


def write_chunk(
    *, db: Database, store: BlobStore, principal: Principal, upload_id: str, offset: int, data: bytes
) -> UploadState:
    """Append one chunk at ``offset``; at the last byte verify the hash and keep the blob.

    Raises OffsetMismatch (409) when ``offset`` is not the server's, ApiError 413 for a
    chunk too big or past the announced size, 422 when the finished file has another hash
    (the upload is then discarded), 404 for an upload that is not the caller's.
    """
    if not _UPLOAD_ID.fullmatch(upload_id):
        raise not_found("There is no such upload.")
    if len(data) > CHUNK_BYTES:
        raise too_large(f"a chunk has at most {CHUNK_BYTES} bytes")
    try:
        return _write_chunk(
            db=db, store=store, principal=principal, upload_id=upload_id, offset=offset, data=data
        )
    except IntegrityError:
        # Another process finished the same blob at the same moment: it is complete either way.
        settled = _settle_race(db=db, upload_id=upload_id)
        if settled is None:
            raise
        return settled


def _write_chunk(
    *, db: Database, store: BlobStore, principal: Principal, upload_id: str, offset: int, data: bytes
) -> UploadState:
    with db.write() as session:
        upload = session.execute(
            select(Upload).where(Upload.id == upload_id).with_for_update()
        ).scalar_one_or_none()
        if upload is None or upload.uploader_id != principal.user_id:
            raise not_found("There is no such upload.")
        _reconcile_offset(store, upload)
        if offset != upload.offset:
            raise OffsetMismatch(_state(upload))
        if offset + len(data) > upload.size:
            raise too_large("the chunk goes past the size announced for the file")
        _write_at(store.partial_path(upload.id), offset, data)
        upload.offset = offset + len(data)
        if upload.offset < upload.size:
            return _state(upload)
        verified = _verify_and_keep(session, store, upload)
    if not verified:
        raise invalid("the file's SHA-256 does not match; the upload was discarded, start it again")
    return _complete(upload.sha256, upload.size)


def _settle_race(*, db: Database, upload_id: str) -> UploadState | None:
    """The blob's state when another process stored it first (dropping this upload), else None."""
    with db.write() as session:
        upload = session.get(Upload, upload_id)
        blob = session.get(Blob, upload.sha256) if upload is not None else None
        if upload is None or blob is None:
            return None
        session.delete(upload)
        return _complete(blob.sha256, blob.size)


def _write_at(path: Path, offset: int, data: bytes) -> None:
    with open(path, "r+b" if path.exists() else "w+b") as handle:
        # Bytes past the committed offset are from a write whose commit was lost: drop them.
        handle.truncate(offset)
        handle.seek(offset)
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _verify_and_keep(session: Session, store: BlobStore, upload: Upload) -> bool:
    """Hash the finished upload; keep it under its hash, or discard it. Either way the session ends."""
    partial = store.partial_path(upload.id)
    session.delete(upload)
    if _sha256_of(partial) != upload.sha256:
        partial.unlink(missing_ok=True)
        logger.info("upload %s discarded: hash mismatch", upload.id)
        return False
    target = store.blob_path(upload.sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(partial, target)
    _fsync_dir(target.parent)
    if session.get(Blob, upload.sha256) is None:
        session.add(Blob(sha256=upload.sha256, size=upload.size, created_at=utc_now()))
    return True


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@dataclass(frozen=True)
class Download:
    """A blob the caller may read, with the name and type of an attachment that refers to it."""

    path: Path
    size: int
    filename: str
    media_type: str


def open_download(*, db: Database, store: BlobStore, principal: Principal, sha256: str) -> Download:
    """The blob ``sha256`` if a record the caller may read refers to it; 404 otherwise."""
    if not _SHA256.fullmatch(sha256):
        raise not_found("There is no such file.")
    with db.read() as session:
        refs = session.execute(select(RecordBlob).where(RecordBlob.sha256 == sha256)).scalars().all()
        readable = readable_ids(session, principal.actor, [ref.record_id for ref in refs])
        blob = session.get(Blob, sha256)
    ref = next((r for r in refs if r.record_id in readable), None)
    path = store.blob_path(sha256)
    if ref is None or blob is None or not path.is_file():
        raise not_found("There is no such file.")
    return Download(path=path, size=blob.size, filename=ref.filename, media_type=ref.media_type)


class RangeNotSatisfiable(ApiError):
    """416: a Range outside the file."""

    def __init__(self, size: int) -> None:
        super().__init__(
            416, "invalid", "The range is outside the file.", {"Content-Range": f"bytes */{size}"}
        )


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The (first, last) byte of a single ``bytes=`` range, or None for the whole file.

    Several ranges, or a header that is not a byte range, get the whole file (RFC 9110
    lets a server ignore Range); a range that starts past the end is 416.
    """
    if not header:
        return None
    match = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header)
    if match is None:
        return None
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return None
    if not first_text:
        suffix = int(last_text)
        if suffix == 0:
            raise RangeNotSatisfiable(size)
        return max(0, size - suffix), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if first >= size or last < first:
        raise RangeNotSatisfiable(size)
    return first, min(last, size - 1)
