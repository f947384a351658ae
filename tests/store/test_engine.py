"""R2's configuration half: every connection is WAL + synchronous=FULL + foreign keys on."""

from __future__ import annotations

import sqlite3

from sqlalchemy import event

from desktop.store import RecordRepository
from tests.store.conftest import make_record


def test_every_connection_is_durable(repo: RecordRepository) -> None:
    connections = [repo.engine.connect() for _ in range(3)]  # several pooled connections
    try:
        for connection in connections:
            pragmas = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }
            assert pragmas == {
                "journal_mode": "wal",
                "synchronous": 2,
                "foreign_keys": 1,
                "busy_timeout": 5000,
            }
    finally:
        for connection in connections:
            connection.close()
    raw = sqlite3.connect(repo.db_path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persistent in the file
    raw.close()


def test_writes_begin_immediate_and_reads_deferred(repo: RecordRepository) -> None:
    statements: list[str] = []
    event.listen(repo.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    repo.save(make_record())
    repo.count()
    assert "BEGIN IMMEDIATE" in statements
    assert statements.count("BEGIN") >= 1
