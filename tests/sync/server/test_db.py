"""The database layer: migrations equal the models, SQLite pragmas, the feed sequence in commit order."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from sync.protocol import Role
from sync.server.backup import backup, restore
from sync.server.config import Settings
from sync.server.db import Database, current_seq, next_seq
from sync.server.migrate import SchemaError, migrate_database
from sync.server.models import Base, User
from tests.support.postgres import PostgresCluster
from tests.sync.server.helpers import add_users, make_settings


def test_the_migrations_create_exactly_the_models(backend_settings: Settings) -> None:
    migrate_database(backend_settings)
    db = Database(backend_settings.database_url)
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    db.dispose()
    assert differences == []


def test_sqlite_connections_are_durable(settings: Settings) -> None:
    migrate_database(settings)
    db = Database(settings.database_url)
    with db.engine.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    db.dispose()
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 10000}


def test_a_database_from_a_newer_server_is_refused_untouched(settings: Settings) -> None:
    migrate_database(settings)
    db = Database(settings.database_url)
    with db.write() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.dispose()
    before = Path(settings.database_url.removeprefix("sqlite:///")).read_bytes()
    with pytest.raises(SchemaError, match="newer"):
        migrate_database(settings)
    assert Path(settings.database_url.removeprefix("sqlite:///")).read_bytes() == before


def test_feed_numbers_become_visible_in_commit_order(backend_settings: Settings) -> None:
    """A second writer waits for the first one's commit, so no reader sees seq 2 before seq 1."""
    migrate_database(backend_settings)
    db = Database(backend_settings.database_url)
    try:
        with ThreadPoolExecutor(max_workers=1) as pool, db.write() as first:
            mine = next_seq(first)

            def second_writer() -> int:
                with db.write() as second:
                    return next_seq(second)

            waiting = pool.submit(second_writer)
            with pytest.raises(FutureTimeout):
                waiting.result(timeout=0.5)  # it must still be waiting: the first has not committed
            with db.read() as reader:
                assert current_seq(reader) == 0
            # Leaving the block commits the first writer, which lets the second through.
        assert waiting.result(timeout=30) == mine + 1
        with db.read() as reader:
            assert current_seq(reader) == mine + 1
    finally:
        db.dispose()


def test_postgresql_backup_and_restore_round_trip(
    postgres_cluster: PostgresCluster, migrated_template: str, tmp_path: Path
) -> None:
    source_url = postgres_cluster.create_database(template=migrated_template)
    target_url = postgres_cluster.create_database(template=migrated_template)
    try:
        source = make_settings(tmp_path / "source", source_url, blob_dir=tmp_path / "source-blobs")
        add_users(source, {"alice": Role.STAFF})
        archive = tmp_path / "pg.tar.gz"
        backup(source, archive)
        target = make_settings(tmp_path / "target", target_url, blob_dir=tmp_path / "target-blobs")
        restore(target, archive)
        db = Database(target_url)
        with db.read() as session:
            assert [user.name for user in session.query(User)] == ["alice"]
        db.dispose()
    finally:
        postgres_cluster.drop_database(source_url)
        postgres_cluster.drop_database(target_url)
