"""Backups and restores of the database through SQLite's online backup API.

A file copy of a live WAL database can miss committed pages still in the WAL or
catch a half-written page; the backup API copies a consistent snapshot.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

from desktop.store.db import SQLITE_HEADER
from desktop.store.errors import NewerDatabaseError, NotAnImbizoDatabaseError, translate_db_error
from desktop.store.fsutil import fsync_dir, fsync_path

logger = logging.getLogger(__name__)


def backup_to_file(source: sqlite3.Connection, dest: Path) -> Path:
    """Copy the database behind ``source`` into a new self-contained file ``dest``.

    The copy goes to ``dest.part`` first and is renamed into place once fsynced,
    so ``dest`` is either absent or a complete backup.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        target = sqlite3.connect(str(partial), isolation_level=None)
        try:
            source.backup(target)
            # A backup of a WAL database is itself in WAL mode; make it one plain file.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        fsync_path(partial)
        os.replace(partial, dest)
        fsync_dir(dest.parent)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise translate_db_error(exc, f"write the backup {dest}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    logger.info("backed up the database to %s", dest)
    return dest


def read_schema_revision(connection: sqlite3.Connection, name: str) -> str | None:
    """The alembic revision of an Imbizo database, None for an empty database.

    Raises NotAnImbizoDatabaseError when the file is SQLite but not Imbizo's.
    """
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        tables = {t for t in tables if not t.startswith("sqlite_")}
        if not tables:
            return None
        if "alembic_version" not in tables or "records" not in tables or "meta" not in tables:
            raise NotAnImbizoDatabaseError(
                f"{name} is an SQLite database, but not one written by Imbizo. Nothing was changed."
            )
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError as exc:
        raise NotAnImbizoDatabaseError(
            f"{name} is not an Imbizo database ({exc}). Nothing was changed."
        ) from exc
    if len(rows) != 1:
        raise NotAnImbizoDatabaseError(
            f"{name} has no single schema version, so it is not a usable Imbizo database. "
            "Nothing was changed."
        )
    return str(rows[0][0])


def has_sqlite_header(path: Path) -> bool:
    """True when ``path`` starts with SQLite's 16-byte file header."""
    with open(path, "rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def open_checked_source(src: Path, known_revisions: tuple[str, ...]) -> sqlite3.Connection:
    """Open ``src`` read-only after checking it is a sound Imbizo database of a known schema.

    Raises NotAnImbizoDatabaseError (or NewerDatabaseError) with nothing changed otherwise.
    """
    if not src.is_file() or src.stat().st_size == 0 or not has_sqlite_header(src):
        raise NotAnImbizoDatabaseError(f"{src} is not an Imbizo database. Nothing was changed.")
    try:
        connection = sqlite3.connect(f"{src.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise NotAnImbizoDatabaseError(f"{src} cannot be opened ({exc}). Nothing was changed.") from exc
    try:
        try:
            result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            raise NotAnImbizoDatabaseError(f"{src} is damaged ({exc}). Nothing was changed.") from exc
        if result != ["ok"]:
            raise NotAnImbizoDatabaseError(
                f"{src} is damaged (integrity check: {'; '.join(map(str, result[:3]))}). Nothing was changed."
            )
        revision = read_schema_revision(connection, str(src))
        if revision is None:
            raise NotAnImbizoDatabaseError(f"{src} is an empty database, not an Imbizo backup.")
        if revision not in known_revisions:
            raise NewerDatabaseError(
                f"{src} was written by a newer version of Imbizo (schema {revision}); "
                "please update Imbizo. Nothing was changed."
            )
    except BaseException:
        connection.close()
        raise
    return connection


def copy_into(source: sqlite3.Connection, live_db: Path) -> None:
    """Replace the live database's content with ``source``'s, through the backup API.

    The caller holds the write lock and has disposed its connection pool.
    """
    target = sqlite3.connect(str(live_db), timeout=5.0, isolation_level=None)
    try:
        source.backup(target)
    except sqlite3.Error as exc:
        raise translate_db_error(exc, "restore the backup") from exc
    finally:
        target.close()
