"""The server's blobs checked against their names, for the digest's ``files`` entry (R8).

A blob's name is its SHA-256, so a file whose bytes no longer hash to its name was
damaged behind the server's back (a disk, a restore, a hand). The digest counts only
intact blobs; a damaged one is set aside (its row dropped, its file moved to
``<blob dir>/damaged/``), so the next upload of the same bytes by any client is
accepted instead of being answered "already complete".

Hashing every blob at every digest would cost the whole blob folder each time, so a
file is hashed again only when its size, mtime or inode changed since it was last found
intact (per process). A change that keeps all three is not seen until the process restarts.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
from pathlib import Path
from typing import Protocol

from sqlalchemy import delete

from sync.server.db import Database
from sync.server.models import Blob

logger = logging.getLogger(__name__)

_READ_BYTES = 1024 * 1024
#: path -> (size, mtime_ns, inode) when it was last found intact.
_intact: dict[Path, tuple[int, int, int]] = {}
_lock = threading.Lock()


class _Store(Protocol):
    root: Path

    def blob_path(self, sha256: str) -> Path: ...


def _stat_key(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def is_intact(store: _Store, sha256: str, size: int) -> bool:
    """True when the blob's file exists, has ``size`` bytes and hashes to its name."""
    path = store.blob_path(sha256)
    key = _stat_key(path)
    if key is None or key[0] != size:
        return False
    with _lock:
        if _intact.get(path) == key:
            return True
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(_READ_BYTES):
                digest.update(chunk)
    except OSError:
        return False
    if digest.hexdigest() != sha256:
        return False
    with _lock:
        _intact[path] = key
    return True


def set_aside(db: Database, store: _Store, sha256: str) -> None:
    """Drop a damaged blob's row and move its file away, so a client can upload it again."""
    path = store.blob_path(sha256)
    damaged = store.root / "damaged"
    damaged.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        os.replace(path, damaged / sha256)
    with db.write() as session:
        session.execute(delete(Blob).where(Blob.sha256 == sha256))
    with _lock:
        _intact.pop(path, None)
    logger.warning("blob %s was damaged on disk: set aside for a client to upload again", sha256)
