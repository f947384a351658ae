"""Errors raised by the store, each with a message a user can act on.

SQLite and OS errors are translated here so the UI never shows a raw
``sqlite3.OperationalError``; the translated error keeps the original as its cause.
"""

from __future__ import annotations

import errno
import logging
import sqlite3

from sqlalchemy.exc import DBAPIError

logger = logging.getLogger(__name__)

# SQLite primary result codes (extended codes carry them in the low byte).
_SQLITE_READONLY = 8
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26


class StoreError(Exception):
    """Something went wrong in the local store; the message says what to do."""


class StoreBusyError(StoreError):
    """Another process (or thread) holds the profile's write lock."""


class StoreFullError(StoreError):
    """The disk (or the database's size limit) is full; nothing was written."""


class StoreIOError(StoreError):
    """The operating system reported an input/output error."""


class StoreReadOnlyError(StoreError):
    """The profile folder or database file cannot be written."""


class StoreCorruptError(StoreError):
    """SQLite reported a damaged database file."""


class NewerDatabaseError(StoreError):
    """The database was written by a newer Imbizo (unknown schema revision)."""


class NotAnImbizoDatabaseError(StoreError):
    """The file is not an SQLite database, or not one written by Imbizo."""


class RecordNotFoundError(StoreError, LookupError):
    """No record with the given id exists in the store."""


class AttachmentError(StoreError):
    """An attachment could not be stored or found."""


class AttachmentTooLargeError(AttachmentError):
    """An attachment is larger than the store's size limit."""


BUSY_MESSAGE = (
    "Another Imbizo process (the app, an import or a sync) is writing to this profile; try again in a moment."
)


def _sqlite_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def translate_db_error(exc: BaseException, action: str) -> StoreError:
    """Turn an SQLAlchemy/sqlite3 error raised while doing ``action`` into a StoreError.

    Uses the SQLite result code when Python exposes it (3.11+) and falls back on
    SQLite's fixed English messages otherwise.
    """
    original: BaseException = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    code = _sqlite_code(original)
    text = str(original).lower()
    if code == _SQLITE_FULL or "database or disk is full" in text:
        return StoreFullError(
            f"Could not {action}: the disk is full. Nothing was saved; free some space and try again."
        )
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in text:
        return StoreBusyError(BUSY_MESSAGE)
    if code == _SQLITE_READONLY or "readonly database" in text:
        return StoreReadOnlyError(
            f"Could not {action}: the profile folder or database file is read-only. "
            "Nothing was saved; check the folder's permissions."
        )
    if code == _SQLITE_CANTOPEN or "unable to open database" in text:
        return StoreReadOnlyError(
            f"Could not {action}: the database file cannot be opened (is the profile folder "
            "writable and on a local disk?)."
        )
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in text:
        return StoreCorruptError(
            f"Could not {action}: the database file is damaged. Restore it from a backup "
            "(Imbizo keeps them in the profile's backups folder)."
        )
    if code == _SQLITE_IOERR or "disk i/o error" in text:
        return StoreIOError(
            f"Could not {action}: the disk reported an input/output error. Nothing was saved; "
            "check the disk and try again."
        )
    return StoreError(f"Could not {action}: {original}")


def translate_os_error(exc: OSError, action: str) -> StoreError:
    """Turn an OSError raised by file I/O while doing ``action`` into a StoreError."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StoreFullError(
            f"Could not {action}: the disk is full. Nothing was saved; free some space and try again."
        )
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StoreReadOnlyError(
            f"Could not {action}: the profile folder is read-only. Check the folder's permissions."
        )
    return StoreIOError(f"Could not {action}: {exc.strerror or exc}.")


def is_db_error(exc: BaseException) -> bool:
    """True for errors that :func:`translate_db_error` understands."""
    return isinstance(exc, DBAPIError | sqlite3.Error)
