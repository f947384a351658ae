"""Bring the server database to the current schema with Alembic (on ``serve`` and ``imbizo-server migrate``).

Several processes may start at once on one database: they take a lock first (an advisory
lock on PostgreSQL, a lock file beside an SQLite database), so one migrates and the
others find the schema current.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from filelock import FileLock
from sqlalchemy import text
from sqlalchemy.engine import Connection

from sync.server.config import Settings
from sync.server.db import create_db_engine, ensure_server_id

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
#: Advisory lock key held while migrating on PostgreSQL ("IMBM").
_MIGRATE_LOCK_KEY = 0x494D424D


class SchemaError(RuntimeError):
    """The database has a schema this server does not know (written by a newer server)."""


def alembic_config() -> Config:
    """The Alembic configuration of the server schema (``migrations/alembic.ini``)."""
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest schema revision this server knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def database_revision(connection: Connection) -> str | None:
    """The schema revision of the database behind ``connection`` (None when it has none yet)."""
    return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def _migration_lock(settings: Settings, connection: Connection) -> Iterator[None]:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATE_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _MIGRATE_LOCK_KEY})
            connection.commit()
    else:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        with FileLock(str(settings.data_dir / "migrate.lock"), timeout=60):
            yield


def migrate_database(settings: Settings, *, new_identity: bool = False) -> tuple[str | None, str]:
    """Upgrade the database to the head revision; returns (revision before, revision after).

    The database gets its identity (``server_id``) here if it has none; ``new_identity``
    gives it a new one (after a restore: clients must not trust what they saw before).

    Raises SchemaError, changing nothing, for a database from a newer server.
    """
    settings.ensure_dirs()
    engine = create_db_engine(settings.database_url)
    config = alembic_config()
    known = {rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions()}
    head = head_revision()
    try:
        with engine.connect() as connection, _migration_lock(settings, connection):
            before = database_revision(connection)
            connection.rollback()
            if before is not None and before not in known:
                raise SchemaError(
                    f"The database has schema {before}, which this server does not know: "
                    "it was written by a newer Imbizo server. Nothing was changed."
                )
            if before != head:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                connection.commit()
                logger.info("server database migrated from %s to %s", before or "nothing", head)
            ensure_server_id(connection, renew=new_identity)
            connection.commit()
            return before, head
    finally:
        engine.dispose()
