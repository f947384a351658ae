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

import copy
import logging
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher

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


def wait_for_write_lock(ix: Any, timeout: float) -> bool:
    """Wait up to ``timeout`` seconds for the index write lock to be free; True when it is.

    Whoosh's file locks are OS locks (fcntl/msvcrt), released when their holder exits,
    so a held lock is a live writer, never a leftover of a crash.
    """
    deadline = time.monotonic() + timeout
    while write_locked(ix):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def _generation_in_use(path: Path) -> bool:
    """True when a live writer (another process) holds ``path``'s write lock."""
    try:
        return write_locked(_storage(path).open_index())
    except Exception:  # unreadable or half-built: not something anyone is writing to
        return False


def remove_other_generations(root: Path, keep: str) -> None:
    """Delete generation folders other than ``keep`` (abandoned rebuilds, swapped-out indexes)."""
    if not root.is_dir():
        return
    for child in root.iterdir():
        if child.name == keep or child.name == STAMP_NAME:
            continue
        if child.is_dir() and child.name.startswith(GEN_PREFIX):
            if _generation_in_use(child):  # another process merges there: it follows the stamp later
                logger.info("index generation %s is being written by another process; kept", child)
                continue
            shutil.rmtree(child, ignore_errors=True)
            if child.exists():  # files still open elsewhere (Windows): try again next start
                logger.info("could not remove old index generation %s yet", child)
        elif child.name.startswith(".stamp-"):
            child.unlink(missing_ok=True)


# ---------------------------------------------------------------------- reopening after a commit


def reopen_searcher(ix: Any, old: Any | None) -> Any:
    """A searcher on the latest commit of ``ix`` that reuses ``old``'s readers of unchanged segments.

    A commit adds a segment and may mark deletions in older ones; a segment's files never
    change. So the readers of segments that are still live are kept (their open term tables
    and columns) and only given the segment's new deletion set, and only new segments are
    opened: the cost of a search after an autosave no longer grows with the number of
    segments. ``Searcher.refresh()`` is not used: in whoosh-reloaded 2.7.5 it keeps the old
    deletion sets (an updated record shows twice) and re-adds merged-away segments.

    ``old`` must be a searcher of the same index object, and is given up: readers it does not
    share with the new searcher are closed, and it must not be closed or used afterwards.
    """
    reusable = _leaf_readers_by_segment(old)
    try:
        toc = ix._read_toc()
        readers = []
        for segment in toc.segments:
            previous = reusable.pop(segment.segment_id(), None)
            if previous is not None:
                readers.append(_rebind(previous, segment, toc.generation))
            else:
                readers.append(SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation))
    except Exception:  # files swapped under us (another writer): open everything afresh
        logger.debug("reusing segment readers failed; opening a new searcher", exc_info=True)
        if old is not None:
            _close_reader(old.reader())
        return ix.searcher()
    for leftover in reusable.values():
        _close_reader(leftover)
    if not readers:
        reader: Any = EmptyReader(toc.schema)
    elif len(readers) == 1:
        reader = readers[0]
    else:
        reader = MultiReader(readers, generation=toc.generation)
    return Searcher(reader, fromindex=ix)


def _leaf_readers_by_segment(searcher: Any | None) -> dict[str, Any]:
    if searcher is None:
        return {}
    found: dict[str, Any] = {}
    try:
        for reader, _ in searcher.reader().leaf_readers():
            segment = reader.segment() if isinstance(reader, SegmentReader) else None
            if segment is not None and not reader.is_closed:
                found[segment.segment_id()] = reader
    except Exception:  # a closed or broken searcher: nothing to reuse
        return {}
    return found


#: SegmentReader attributes computed from the deletion set (``cached_property``), dropped on rebind.
_PER_DELETIONS = ("deleted_docs_set",)


def _rebind(reader: Any, segment: Any, generation: int) -> Any:
    """``reader`` sharing its open files, with ``segment``'s deletions (same segment id)."""
    fresh = copy.copy(reader)
    perdoc = copy.copy(reader._perdoc)
    perdoc._segment = segment
    fresh._perdoc = perdoc
    fresh._segment = segment
    fresh._gen = generation
    for cached in _PER_DELETIONS:
        fresh.__dict__.pop(cached, None)  # cached_property values of the old deletion set
    return fresh


def _close_reader(reader: Any) -> None:
    try:
        reader.close()
    except Exception:  # already closed, or broken files: nothing to keep
        logger.debug("error closing a segment reader", exc_info=True)


def aligned_searcher(searcher: Any, writer: Any) -> Any | None:
    """``searcher`` when its document numbers are the writer's (same commit, same segments), else None.

    Then records can be deleted by the document numbers the searcher finds, instead of
    ``update_document``/``delete_by_term``, which open a new reader of every segment per call.
    """
    try:
        reader = searcher.reader()
        if reader.generation() != writer.generation - 1:
            return None
        ours = [r.segment().segment_id() for r, _ in reader.leaf_readers() if r.segment() is not None]
        theirs = [segment.segment_id() for segment in writer.segments]
    except Exception:  # a closed searcher or an unusual reader: fall back to whoosh's own path
        return None
    return searcher if ours == theirs else None
