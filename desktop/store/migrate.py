"""Bring a profile's database to the current schema: refuse, back up, then migrate step by step.

The revisions this Imbizo knows are listed as constants so that opening an
up-to-date profile never imports alembic (it costs a quarter of a second at
every start); a test keeps the constants equal to the migration scripts.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from desktop.store.backup import backup_to_file, has_sqlite_header, read_schema_revision
from desktop.store.errors import NewerDatabaseError, NotAnImbizoDatabaseError, translate_db_error
from desktop.store.fsutil import unique_path, utc_stamp

logger = logging.getLogger(__name__)

#: Every schema revision this version of Imbizo can open, oldest first.
KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0005", "0006", "0007", "0008")
HEAD_REVISION = KNOWN_REVISIONS[-1]

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(extra_version_locations: Sequence[Path] = ()) -> object:
    """An alembic Config for the store's migrations, built in code (no alembic.ini)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if extra_version_locations:
        locations = [str(MIGRATIONS_DIR / "versions"), *(str(p) for p in extra_version_locations)]
        config.set_main_option("version_locations", os.pathsep.join(locations))
    return config


def script_revisions(extra_version_locations: Sequence[Path] = ()) -> tuple[str, ...]:
    """The revisions found in the migration scripts, oldest first."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = alembic_config(extra_version_locations)
    assert isinstance(config, Config)
    script = ScriptDirectory.from_config(config)
    return tuple(reversed([rev.revision for rev in script.walk_revisions()]))


def probe_revision(db_path: Path) -> str | None:
    """The schema revision of ``db_path``; None for a missing or empty (new) database.

    Raises NotAnImbizoDatabaseError for a file that is not an Imbizo database.
    Reads only: nothing in the file is changed.
    """
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    if not db_path.is_file() or not has_sqlite_header(db_path):
        raise NotAnImbizoDatabaseError(
            f"{db_path} is not an Imbizo database (it is not an SQLite file). Nothing was changed; "
            "move the file away or choose another profile folder."
        )
    try:
        connection = sqlite3.connect(str(db_path), timeout=5.0, isolation_level=None)
    except sqlite3.Error as exc:
        raise translate_db_error(exc, f"open {db_path}") from exc
    try:
        return read_schema_revision(connection, str(db_path))
    finally:
        connection.close()


def prepare_database(
    db_path: Path, backups_dir: Path, extra_version_locations: Sequence[Path] = ()
) -> str | None:
    """Make ``db_path`` current. Returns the path-free name of the backup taken, if any.

    - new or empty file: create the schema;
    - older schema: back up with the backup API to
      ``backups/imbizo-<UTC>-before-<rev>.db``, then upgrade one revision at a time;
    - unknown schema (a newer Imbizo): raise NewerDatabaseError, touching nothing.

    The caller holds the profile's write lock, so two processes never migrate at once.
    """
    current = probe_revision(db_path)
    known = script_revisions(extra_version_locations) if extra_version_locations else KNOWN_REVISIONS
    if current is not None and current not in known:
        raise NewerDatabaseError(
            f"This profile was written by a newer version of Imbizo (schema {current}); "
            "please update Imbizo. Nothing was changed."
        )
    if current == known[-1]:
        return None
    backup_name = None
    if current is not None:
        source = sqlite3.connect(str(db_path), timeout=5.0, isolation_level=None)
        try:
            dest = unique_path(backups_dir, f"imbizo-{utc_stamp()}-before-{current}", ".db")
            backup_to_file(source, dest)
            backup_name = dest.name
        finally:
            source.close()
    _upgrade(db_path, extra_version_locations)
    logger.info("database %s migrated from %s to %s", db_path, current or "nothing", known[-1])
    return backup_name


def _upgrade(db_path: Path, extra_version_locations: Sequence[Path]) -> None:
    from alembic import command
    from alembic.config import Config

    from desktop.store.db import create_store_engine

    config = alembic_config(extra_version_locations)
    assert isinstance(config, Config)
    engine = create_store_engine(db_path)
    try:
        with engine.connect() as connection:
            # Batch migrations drop and re-create tables; with foreign keys on, dropping
            # ``records`` would cascade into revisions and links. Set on the driver
            # connection before any transaction starts (the pragma is ignored inside one).
            dbapi = connection.connection.dbapi_connection
            assert dbapi is not None
            dbapi.execute("PRAGMA foreign_keys=OFF")
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.rollback()
            if problems:
                raise NotAnImbizoDatabaseError(
                    f"Migrating {db_path} left {len(problems)} broken references; restore the backup."
                )
    finally:
        engine.dispose()
