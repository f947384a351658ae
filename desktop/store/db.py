"""The SQLAlchemy engine on the profile's SQLite file, with the pragmas that make it durable.

Every connection gets WAL, ``synchronous=FULL`` (a committed write survives a power
cut), foreign keys and a busy timeout. pysqlite's own transaction handling is
turned off so that the store decides when a transaction begins: write sessions
use ``BEGIN IMMEDIATE`` (take SQLite's write lock up front, so a read never has
to be upgraded to a write mid-transaction), read sessions a plain ``BEGIN``
(one consistent snapshot).
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection

logger = logging.getLogger(__name__)

DB_FILENAME = "imbizo.db"
SQLITE_HEADER = b"SQLite format 3\x00"

#: Execution option that marks a connection as a writer (``BEGIN IMMEDIATE``).
WRITE_OPTION = "imbizo_write"

_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)


def apply_pragmas(dbapi_connection: sqlite3.Connection) -> None:
    """Set Imbizo's durability pragmas on a raw sqlite3 connection."""
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def create_store_engine(db_path: Path) -> Engine:
    """An engine for ``db_path`` that is safe to share between threads.

    Each call of the store checks a connection out of the pool for a short
    session; ``check_same_thread=False`` lets a pooled connection move between
    the UI's worker threads (never used by two at once: the pool hands it out to
    one session at a time).
    """
    engine = create_engine(
        f"sqlite:///{db_path}",
        connect_args={"check_same_thread": False, "timeout": 5.0},
        pool_size=5,
        max_overflow=10,
        pool_pre_ping=False,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Autocommit at the driver level; BEGIN is emitted by _on_begin below.
        dbapi_connection.isolation_level = None
        apply_pragmas(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")

    return engine


def raw_connect(db_path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection (autocommit) for probes, backups and checks."""
    connection = sqlite3.connect(str(db_path), timeout=5.0, isolation_level=None, check_same_thread=False)
    return connection
