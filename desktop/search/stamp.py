"""The index stamp: schema version, watermark and current generation, in one small JSON file.

The stamp lives in the index folder and is the pointer to the generation folder
that holds the live Whoosh index, so swapping in a rebuilt index is one atomic
rename of this file. It is written after each commit (temp file, fsync, rename).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

STAMP_NAME = "imbizo-index.json"


@dataclass(frozen=True)
class Stamp:
    """What the index folder says about itself."""

    schema_version: int
    watermark: int
    generation: str


def read_stamp(index_dir: Path) -> Stamp | None:
    """The stamp of ``index_dir``, or None when missing or unreadable."""
    path = index_dir / STAMP_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Stamp(int(data["schema_version"]), int(data["watermark"]), str(data["generation"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        logger.warning("unreadable index stamp %s: %s", path, exc)
        return None


def write_stamp(index_dir: Path, stamp: Stamp) -> None:
    """Replace the stamp atomically: a crash leaves the old stamp or the new one, never half."""
    index_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".stamp-", suffix=".tmp", dir=index_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(stamp), handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, index_dir / STAMP_NAME)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(index_dir)


def _fsync_dir(path: Path) -> None:
    """Make a rename durable (a no-op where directories cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
