"""The local store: SQLite through SQLAlchemy 2, the truth that the search index caches.

Open a profile with :func:`open_store`; the repository implements
``desktop.core.ports.RecordStore``.
"""

from __future__ import annotations

from pathlib import Path

from desktop.store.check import StoreCheckReport
from desktop.store.errors import (
    AttachmentError,
    AttachmentTooLargeError,
    NewerDatabaseError,
    NotAnImbizoDatabaseError,
    RecordNotFoundError,
    StoreBusyError,
    StoreCorruptError,
    StoreError,
    StoreFullError,
    StoreIOError,
    StoreReadOnlyError,
)
from desktop.store.repository import RecordRepository
from desktop.store.rows import OutboxEntry


def open_store(profile_dir: Path, *, lock_timeout: float = 5.0) -> RecordRepository:
    """Open (creating or migrating if needed) the store of the profile in ``profile_dir``."""
    return RecordRepository(Path(profile_dir), lock_timeout=lock_timeout)


__all__ = [
    "AttachmentError",
    "AttachmentTooLargeError",
    "NewerDatabaseError",
    "NotAnImbizoDatabaseError",
    "OutboxEntry",
    "RecordNotFoundError",
    "RecordRepository",
    "StoreBusyError",
    "StoreCheckReport",
    "StoreCorruptError",
    "StoreError",
    "StoreFullError",
    "StoreIOError",
    "StoreReadOnlyError",
    "open_store",
]
