"""R3 (a, c): a full disk or a read-only profile gives a clear error and leaves nothing half-written."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from desktop.store import RecordRepository, StoreFullError, StoreReadOnlyError, open_store
from tests.store.conftest import make_record


def _limit_pages(repo: RecordRepository, extra_pages: int | None) -> None:
    """Cap the database's size (per connection, so on every checkout) just above its current size."""
    with repo.engine.connect() as connection:
        current = int(connection.exec_driver_sql("PRAGMA page_count").scalar() or 0)
    limit = current + extra_pages if extra_pages is not None else 1_073_741_823

    def on_checkout(dbapi_connection: Any, *_args: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={limit}")

    event.listen(repo.engine, "checkout", on_checkout)
    repo.engine.dispose()


def test_disk_full_fails_cleanly_and_the_same_save_succeeds_later(repo: RecordRepository) -> None:
    repo.save(make_record(title="before"))
    seq, outbox = repo.last_seq(), len(repo.outbox_entries())
    _limit_pages(repo, 2)
    big = [make_record(title=f"Item {n}", fields={"body": "x" * 4000}) for n in range(50)]
    with pytest.raises(StoreFullError, match="disk is full"):
        repo.save_many(big)
    assert repo.get_many(r.id for r in big) == {}
    assert repo.last_seq() == seq and len(repo.outbox_entries()) == outbox
    assert repo.check().ok
    repo.save(make_record(title="small still fits"))  # the app stays usable
    _limit_pages(repo, None)  # space freed
    changes = repo.save_many(big)
    assert len(changes.created) == 50 and repo.check().ok


@pytest.mark.parametrize("extra_pages", range(0, 40, 3))
def test_disk_full_at_many_sizes_never_half_writes(tmp_path: Path, extra_pages: int) -> None:
    """R3 (a) sweep: the size limit lands at different points inside one 50-record transaction."""
    repo = open_store(tmp_path / "p")
    repo.save_many([make_record(title=f"seed {n}", fields={"body": "s" * 500}) for n in range(5)])
    _limit_pages(repo, extra_pages)
    batch = [make_record(title=f"Item {n}", fields={"body": "y" * 1500}) for n in range(50)]
    try:
        changes = repo.save_many(batch)
        assert len(changes.created) == 50
    except StoreFullError:
        assert repo.get_many(r.id for r in batch) == {}
    assert repo.check().ok
    repo.close()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_profile_gives_a_clear_error(profile: Path) -> None:
    with open_store(profile) as repo:
        repo.save(make_record())
    for path in [profile, *profile.iterdir()]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        with pytest.raises(StoreReadOnlyError, match="read-only"), open_store(profile) as repo:
            repo.save(make_record())
    finally:
        for path in [profile, *profile.iterdir()]:
            path.chmod(0o755 if path.is_dir() else 0o644)


def test_read_only_database_file_gives_a_clear_error(repo: RecordRepository) -> None:
    """Root-proof variant of (c): SQLite's query_only mode refuses writes like a read-only file."""
    event.listen(repo.engine, "checkout", lambda dbapi, *_: dbapi.execute("PRAGMA query_only=1"))
    repo.engine.dispose()
    with pytest.raises(StoreReadOnlyError):
        repo.save(make_record())
    assert repo.last_seq() == 0
