"""Opening a profile: create, migrate with a backup first, refuse newer or foreign files."""

from __future__ import annotations

import sqlite3
import textwrap
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from desktop.store import NewerDatabaseError, NotAnImbizoDatabaseError, open_store
from desktop.store.migrate import HEAD_REVISION, KNOWN_REVISIONS, prepare_database, script_revisions
from desktop.store.models import Base
from tests.store.conftest import make_record


def _revision(db: Path) -> str:
    connection = sqlite3.connect(db)
    try:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        connection.close()


def _is_index_diff(diff: object, name: str) -> bool:
    return isinstance(diff, tuple) and len(diff) > 1 and getattr(diff[1], "name", None) == name


def test_known_revisions_match_the_migration_scripts() -> None:
    assert script_revisions() == KNOWN_REVISIONS


def test_new_profile_is_created_at_head_and_matches_the_models(profile: Path) -> None:
    with open_store(profile) as repo:
        assert _revision(repo.db_path) == HEAD_REVISION
        with repo.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
            title_index = connection.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'ix_records_kind_title'"
            ).scalar()
        # Alembic cannot compare expression indexes; the title index is checked by its SQL instead.
        diff = [d for d in diff if not _is_index_diff(d, "ix_records_kind_title")]
        assert diff == []
        assert title_index is not None and "title COLLATE NOCASE" in title_index
    assert not (profile / "backups").exists() or not list((profile / "backups").iterdir())


def test_older_database_is_backed_up_then_migrated(profile: Path, tmp_path: Path) -> None:
    with open_store(profile) as repo:
        record = make_record()
        repo.save(record)
    extra = tmp_path / "more_versions"
    extra.mkdir()
    (extra / "9001_test_column.py").write_text(
        textwrap.dedent(
            f'''
            """A test-only step on top of the newest real one: add a column."""
            import sqlalchemy as sa
            from alembic import op

            revision = "9001"
            down_revision = "{HEAD_REVISION}"
            branch_labels = None
            depends_on = None


            def upgrade():
                with op.batch_alter_table("records") as batch:
                    batch.add_column(sa.Column("test_note", sa.String(), nullable=True))


            def downgrade():
                with op.batch_alter_table("records") as batch:
                    batch.drop_column("test_note")
            '''
        )
    )
    db = profile / "imbizo.db"
    backup_name = prepare_database(db, profile / "backups", [extra])
    assert backup_name is not None
    assert backup_name.startswith("imbizo-") and backup_name.endswith(f"-before-{HEAD_REVISION}.db")
    backup = profile / "backups" / backup_name
    assert _revision(backup) == HEAD_REVISION and _revision(db) == "9001"
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        assert connection.execute("SELECT count(*) FROM revisions").fetchone()[0] == 1  # no cascade loss
        columns = [row[1] for row in connection.execute("PRAGMA table_info(records)")]
        assert "test_note" in columns
    finally:
        connection.close()
    with open_store(profile / "backups" / "copy") as _:
        pass  # the backup folder's own content is untouched by opening other profiles
    assert prepare_database(db, profile / "backups", [extra]) is None  # already current


def test_a_first_version_profile_is_migrated_with_its_records(profile: Path) -> None:
    """A profile written by the first release (schema 0001) opens, keeps its records and gains 0002."""
    from alembic import command

    from desktop.store.db import create_store_engine
    from desktop.store.migrate import alembic_config

    profile.mkdir()
    db = profile / "imbizo.db"
    config = alembic_config()
    engine = create_store_engine(db)
    with engine.connect() as connection:
        config.attributes["connection"] = connection  # type: ignore[attr-defined]
        command.upgrade(config, "0001")  # type: ignore[arg-type]
        connection.commit()
    engine.dispose()
    connection = sqlite3.connect(db)
    connection.execute(
        "INSERT INTO records VALUES ('r1','case_study','Old','draft','everyone','',0,0,1,'1-a','','a',"
        '\'2024-01-01\',\'2024-01-01\',1,\'{"id":"r1","kind":"case_study","fields":{"title":"Old"}}\')'
    )
    connection.execute(
        "INSERT INTO attachments (record_id, sha256, filename, media_type, size, added_at) "
        "VALUES ('r1','00','a.txt','text/plain',1,'2024-01-01')"
    )
    connection.commit()
    connection.close()
    with open_store(profile) as repo:
        assert _revision(repo.db_path) == HEAD_REVISION
        record = repo.get("r1")
        assert record is not None and record.title == "Old"
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("SELECT text_state FROM attachments").fetchone()[0] == "pending"
        assert connection.execute("SELECT count(*) FROM working_copies").fetchone()[0] == 0
    finally:
        connection.close()
    assert any(p.name.endswith("-before-0001.db") for p in (profile / "backups").iterdir())


def test_newer_database_is_refused_and_left_untouched(profile: Path) -> None:
    with open_store(profile) as repo:
        repo.save(make_record())
    db = profile / "imbizo.db"
    connection = sqlite3.connect(db)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    before = db.read_bytes()
    with pytest.raises(NewerDatabaseError) as caught:
        open_store(profile)
    assert str(caught.value) == (
        "This profile was written by a newer version of Imbizo (schema 9999); "
        "please update Imbizo. Nothing was changed."
    )
    assert db.read_bytes() == before
    assert not (profile / "backups").exists()


@pytest.mark.parametrize(
    "content", [b"hello, I am a text file\n" * 20, b"\x00" * 4096, b"SQLite format 3\x00" + b"\xff" * 200]
)
def test_a_file_that_is_not_a_database_is_refused(profile: Path, content: bytes) -> None:
    profile.mkdir()
    db = profile / "imbizo.db"
    db.write_bytes(content)
    with pytest.raises(NotAnImbizoDatabaseError, match="not an Imbizo database"):
        open_store(profile)
    assert db.read_bytes() == content


def test_another_programs_sqlite_database_is_refused(profile: Path) -> None:
    profile.mkdir()
    db = profile / "imbizo.db"
    connection = sqlite3.connect(db)
    connection.execute("CREATE TABLE contacts (name TEXT)")
    connection.commit()
    connection.close()
    with pytest.raises(NotAnImbizoDatabaseError, match="not one written by Imbizo"):
        open_store(profile)
