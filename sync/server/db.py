"""Engines and transactions on SQLite or PostgreSQL, and the feed sequence.

SQLite: every connection gets WAL, ``synchronous=FULL``, foreign keys and a busy timeout;
write transactions begin with ``BEGIN IMMEDIATE`` so that two writers queue on SQLite's
lock instead of failing when a read transaction would have to be upgraded.

PostgreSQL: read transactions are REPEATABLE READ (one snapshot, so a digest's cursor
matches its counts); the feed sequence is taken under ``pg_advisory_xact_lock`` at the end
of the writing transaction, so sequence numbers become visible in commit order.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, bindparam, create_engine, event, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from sync.server.models import FEED_SEQ_KEY, Meta

logger = logging.getLogger(__name__)

#: Execution option that marks an SQLite connection as a writer (``BEGIN IMMEDIATE``).
_WRITE_OPTION = "imbizo_write"
#: Execution option of a connection that runs single statements outside a transaction (SQLite).
_AUTOCOMMIT_OPTION = "imbizo_autocommit"
#: Key of the advisory lock that orders the feed on PostgreSQL ("IMBZ" in ASCII).
FEED_LOCK_KEY = 0x494D425A

_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
)


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """``value`` as aware UTC (SQLite hands back naive datetimes)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def is_postgres_url(url: str) -> bool:
    """True for a PostgreSQL database URL."""
    return url.startswith("postgresql")


def create_db_engine(url: str) -> Engine:
    """An engine for ``url`` with Imbizo's connection settings (see the module docstring)."""
    if is_postgres_url(url):
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10.0})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Autocommit at the driver level: _on_begin emits BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in _SQLITE_PRAGMAS:
                cursor.execute(pragma)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        options = connection.get_execution_options()
        if options.get(_WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif not options.get(_AUTOCOMMIT_OPTION):
            connection.exec_driver_sql("BEGIN")

    return engine


class Database:
    """One engine and the two kinds of transaction the services use."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_db_engine(url)
        self.is_postgres = is_postgres_url(url)
        reader: Engine
        writer: Engine
        if self.is_postgres:
            reader = self.engine.execution_options(isolation_level="REPEATABLE READ")
            writer = self.engine.execution_options(isolation_level="READ COMMITTED")
            single = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        else:
            reader = self.engine
            writer = self.engine.execution_options(**{_WRITE_OPTION: True})
            single = self.engine.execution_options(**{_AUTOCOMMIT_OPTION: True})
        self._reader_engine = reader
        self._single_engine = single
        self._writer_engine = writer
        self._reader = sessionmaker(bind=reader, expire_on_commit=False)
        self._writer = sessionmaker(bind=writer, expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction on one snapshot; it ends (rolled back) when the block ends.

        Closing, rather than rolling back, keeps the loaded objects readable afterwards.
        """
        with self._reader() as session:
            yield session

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """:meth:`read` without an ORM session, for Core statements on a hot path (it costs less)."""
        with self._reader_engine.connect() as connection:
            yield connection

    @contextmanager
    def read_statement(self) -> Iterator[Connection]:
        """A connection for one read statement, outside a transaction (one statement is atomic by
        itself): no BEGIN and ROLLBACK around it, which on PostgreSQL are two round trips.
        Several statements on it may each see another moment: use :meth:`read_connection` for those.
        """
        with self._single_engine.connect() as connection:
            yield connection

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """:meth:`write` without an ORM session, for Core statements on a hot path (push)."""
        with self._writer_engine.begin() as connection:
            yield connection

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends normally, rolled back on an exception."""
        with self._writer() as session, session.begin():
            yield session

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
                connection.rollback()
        except Exception:  # any failure means "degraded" to the health check
            logger.exception("database ping failed")
            return False
        return True


#: The hot statements, built once (building one costs more than SQLite takes to run it).
_TAKE_SEQ = update(Meta).where(Meta.key == FEED_SEQ_KEY).values(value=Meta.value + 1).returning(Meta.value)
_FEED_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
_META_VALUE = select(Meta.value).where(Meta.key == bindparam("key"))


def _connection(session: Session | Connection) -> Connection:
    return session.connection() if isinstance(session, Session) else session


def next_seq(session: Session | Connection) -> int:
    """Take the next feed sequence number inside the current write transaction.

    Call it last, just before the commit: on PostgreSQL the advisory lock it takes is
    held until the commit, which is what keeps sequence numbers in commit order.
    """
    connection = _connection(session)
    if connection.dialect.name == "postgresql":
        connection.execute(_FEED_LOCK, {"key": FEED_LOCK_KEY})
    return int(connection.execute(_TAKE_SEQ).scalar_one())


#: The meta key of this database's identity: made at its creation, made anew by a restore, so a
#: client that synced with another database (a wiped, re-created or restored server) can tell.
SERVER_ID_KEY = "server_id"


def server_id(session: Session | Connection) -> str:
    """This database's identity as 16 hex digits ("" before the first migration made one)."""
    value = _connection(session).execute(_META_VALUE, {"key": SERVER_ID_KEY}).scalar_one_or_none()
    return f"{int(value):016x}" if value else ""


def ensure_server_id(connection: Connection, *, renew: bool = False) -> None:
    """Give the database an identity if it has none (or a new one: ``renew`` after a restore)."""
    value = secrets.randbits(62) | 1  # never 0, which reads as "none"
    found = connection.execute(select(Meta.value).where(Meta.key == SERVER_ID_KEY)).scalar_one_or_none()
    if found is None:
        connection.execute(insert(Meta).values(key=SERVER_ID_KEY, value=value))
    elif renew:
        connection.execute(update(Meta).where(Meta.key == SERVER_ID_KEY).values(value=value))


def current_seq(session: Session | Connection) -> int:
    """The last feed sequence number handed out (0 on a new server)."""
    value = _connection(session).execute(_META_VALUE, {"key": FEED_SEQ_KEY}).scalar_one_or_none()
    return int(value or 0)
