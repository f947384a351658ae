"""Forkserver preload for the kill -9 test: import the store and warm it up once.

Every child forked afterwards starts with SQLAlchemy's mappers configured and its
one-time set-up done, so a kill point costs little more than the edits themselves.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from tests.store import kill_worker


def _warm_up() -> None:
    folder = Path(tempfile.mkdtemp(prefix="imbizo-warmup-"))
    try:
        kill_worker.run_worker(str(folder / "profile"), 0, str(folder / "out"), ops=30)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


_warm_up()
