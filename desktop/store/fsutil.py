"""Small durable-file helpers: fsync a file or a directory, a UTC stamp for file names."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path


def fsync_path(path: Path) -> None:
    """Flush a file's data to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Flush a directory entry (a rename or create inside it) to the disk.

    Without this a rename may be reverted by a power cut. Windows cannot open
    directories; NTFS journals renames, so there it is skipped.
    """
    if os.name == "nt":  # pragma: no cover - POSIX CI
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def utc_stamp() -> str:
    """The current UTC time for file names, e.g. ``20240531T101500Z``."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def unique_path(directory: Path, stem: str, suffix: str) -> Path:
    """``directory/stem+suffix``, or with ``-2``, ``-3``... when that name is taken."""
    candidate = directory / f"{stem}{suffix}"
    number = 2
    while candidate.exists():
        candidate = directory / f"{stem}-{number}{suffix}"
        number += 1
    return candidate
