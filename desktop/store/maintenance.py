"""Backup, restore and check of a live store (called by RecordRepository under its write lock)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from sqlalchemy import Engine

from desktop.store.attachments import BlobStore
from desktop.store.backup import backup_to_file, copy_into, open_checked_source
from desktop.store.check import StoreCheckReport, run_check
from desktop.store.fsutil import unique_path, utc_stamp
from desktop.store.migrate import KNOWN_REVISIONS, prepare_database

logger = logging.getLogger(__name__)


def backup(engine: Engine, dest: Path) -> Path:
    """Copy the live database to ``dest`` through the backup API."""
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        return backup_to_file(source, dest)
    finally:
        raw.close()


def restore(engine: Engine, db_path: Path, backups_dir: Path, src: Path) -> None:
    """Check ``src``, keep a copy of the current database, then copy ``src`` in."""
    source = open_checked_source(src, KNOWN_REVISIONS)
    try:
        backup(engine, unique_path(backups_dir, f"imbizo-{utc_stamp()}-before-restore", ".db"))
        engine.dispose()  # no pooled connection keeps a view of the old pages
        copy_into(source, db_path)
    finally:
        source.close()
    engine.dispose()
    prepare_database(db_path, backups_dir)  # an older backup is migrated like an older profile
    logger.info("restored the database from %s", src)


def check(engine: Engine, blobs: BlobStore, *, hash_blobs: bool = True) -> StoreCheckReport:
    """Run the store's self-check."""
    return run_check(engine, blobs, hash_blobs=hash_blobs)
