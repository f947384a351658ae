"""Backups through SQLite's backup API; restores that check their source first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.store import NewerDatabaseError, NotAnImbizoDatabaseError, RecordRepository
from tests.store.conftest import make_record


def test_backup_then_restore_round_trip(repo: RecordRepository, tmp_path: Path) -> None:
    kept = make_record(title="kept")
    repo.save(kept)
    dest = repo.backup(tmp_path / "out" / "backup.db")
    check = sqlite3.connect(dest)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check.execute("SELECT count(*) FROM records").fetchone()[0] == 1
    assert check.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    check.close()
    later = make_record(title="later")
    repo.save(later)
    repo.restore(dest)
    assert repo.get(kept.id) is not None and repo.get(later.id) is None
    assert repo.last_seq() == 1 and repo.check().ok
    repo.save(make_record(title="after restore"))  # usable, the counter continues
    assert repo.last_seq() == 2
    safety = list((repo.profile_dir / "backups").glob("imbizo-*-before-restore.db"))
    assert len(safety) == 1  # the replaced database was kept


def test_restore_refuses_a_file_that_is_not_a_backup(repo: RecordRepository, tmp_path: Path) -> None:
    record = make_record()
    repo.save(record)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(NotAnImbizoDatabaseError, match="Nothing was changed"):
        repo.restore(junk)
    other = tmp_path / "other.db"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    with pytest.raises(NotAnImbizoDatabaseError):
        repo.restore(other)
    assert repo.get(record.id) is not None and repo.last_seq() == 1


def test_restore_refuses_a_backup_from_a_newer_imbizo(repo: RecordRepository, tmp_path: Path) -> None:
    repo.save(make_record())
    dest = repo.backup(tmp_path / "backup.db")
    connection = sqlite3.connect(dest)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    repo.save(make_record(title="second"))
    with pytest.raises(NewerDatabaseError, match="newer version"):
        repo.restore(dest)
    assert repo.count() == 2


def test_restore_refuses_a_damaged_backup(repo: RecordRepository, tmp_path: Path) -> None:
    repo.save_many([make_record(title=f"r{n}", fields={"body": "b" * 3000}) for n in range(30)])
    dest = repo.backup(tmp_path / "backup.db")
    data = bytearray(dest.read_bytes())
    data[4096 * 3 : 4096 * 3 + 200] = b"\x17" * 200  # garble a page in the middle
    dest.write_bytes(bytes(data))
    with pytest.raises(NotAnImbizoDatabaseError, match=r"damaged|not an Imbizo"):
        repo.restore(dest)
    assert repo.count() == 30
