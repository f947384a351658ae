"""Generation folders on disk: where the live Whoosh index is, how it is opened and swapped.

The index folder holds the stamp (``imbizo-index.json``) and one or more
generation folders (``gen-<id>``); the stamp names the live one. A rebuild writes
a new generation and then rewrites the stamp, so a crash mid-rebuild leaves the
old index in place, and a broken or locked generation is abandoned rather than
repaired in place (whoosh-community/whoosh #323, #141).

Opening: the default ``open_dir()`` memory-maps a compound segment file and copies
each sub-file into memory at every reader open (PERFORMANCE.md, "the biggest
lever"). Segments are written with ``compound=False`` instead, so a reader maps
the files it needs and opening a searcher costs ~nothing; see OPEN_MODE.
"""

from __future__ import annotations

import logging
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError

from desktop.search.codec import codec
from desktop.search.schema import build_schema
from desktop.search.stamp import STAMP_NAME

logger = logging.getLogger(__name__)

GEN_PREFIX = "gen-"
#: "split": segments written with compound=False, files mmapped (measured best, see the report in
#: bench/); "nommap": compound segments read through FileStorage(supports_mmap=False).
OPEN_MODE = "split"
WRITE_LOCK = "WRITELOCK"


def new_generation_name() -> str:
    """A fresh, sortable generation folder name."""
    return f"{GEN_PREFIX}{int(time.time() * 1000):012x}-{uuid.uuid4().hex[:8]}"


def _storage(path: Path) -> FileStorage:
    return FileStorage(str(path), supports_mmap=OPEN_MODE != "nommap")


def writer_options() -> dict[str, Any]:
    """Keyword arguments every writer gets: compound segments or not, and the codec (see codec.py)."""
    return {"compound": OPEN_MODE == "nommap", "codec": codec()}


def create_generation(root: Path, name: str) -> Any:
    """An empty index in a new generation folder under ``root``."""
    path = root / name
    path.mkdir(parents=True, exist_ok=False)
    return _storage(path).create_index(build_schema())


def open_generation(root: Path, name: str) -> Any:
    """Open an existing generation; raises on a missing or unreadable index."""
    path = root / name
    if not path.is_dir():
        raise FileNotFoundError(f"index generation {path} is missing")
    return _storage(path).open_index()


def write_locked(ix: Any) -> bool:
    """True when another writer holds the index lock (live or stale: LockError either way)."""
    lock = ix.lock(WRITE_LOCK)
    try:
        acquired = bool(lock.acquire(False))
    except (LockError, OSError):
        return True
    if acquired:
        lock.release()
    return not acquired


def remove_other_generations(root: Path, keep: str) -> None:
    """Delete generation folders other than ``keep`` (abandoned rebuilds, swapped-out indexes)."""
    if not root.is_dir():
        return
    for child in root.iterdir():
        if child.name == keep or child.name == STAMP_NAME:
            continue
        if child.is_dir() and child.name.startswith(GEN_PREFIX):
            shutil.rmtree(child, ignore_errors=True)
            if child.exists():  # files still open elsewhere (Windows): try again next start
                logger.info("could not remove old index generation %s yet", child)
        elif child.name.startswith(".stamp-"):
            child.unlink(missing_ok=True)
