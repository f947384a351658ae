"""Content-addressed attachment blobs under ``<profile>/blobs/<sha[:2]>/<sha>``.

A blob is streamed into ``blobs/tmp/`` while it is hashed, fsynced, renamed into
place and its directory fsynced; only then may the database row that names it be
committed, so metadata never exists without its bytes (Joplin #10119). The file
primitives are module-level functions so fault-injection tests can replace them.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from desktop.store.errors import AttachmentError, AttachmentTooLargeError, translate_os_error
from desktop.store.fsutil import fsync_dir

try:  # POSIX: a temp file being written is flock-ed, so a cleanup never removes it.
    import fcntl
except ImportError:  # pragma: no cover - Windows refuses to delete open files instead
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
DEFAULT_MAX_SIZE = 200 * 1024 * 1024
_SHA = re.compile(r"^[0-9a-f]{64}$")
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}
_FORBIDDEN_CHARS = set('<>:"|?*')
MAX_NAME_BYTES = 255


# --- file primitives (replaced by fault-injection tests) -------------------------------------
def _write(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _fsync(fd: int) -> None:
    os.fsync(fd)


def _replace(src: Path, dst: Path) -> None:
    os.replace(src, dst)


def _fsync_dir(path: Path) -> None:
    fsync_dir(path)


# ---------------------------------------------------------------------------------------------


def sanitize_filename(name: str) -> str:
    """A safe display name for an uploaded file name; never used as a path.

    Drops directories (``../``), control characters (NUL, CR, LF), characters
    Windows forbids, leading dots and trailing dots/spaces; prefixes reserved
    device names (``CON``, ``NUL``, ``COM1``...); keeps at most 255 UTF-8 bytes
    with the extension preserved.
    """
    text = unicodedata.normalize("NFC", str(name)).replace("\\", "/").split("/")[-1]
    text = "".join(ch for ch in text if ch.isprintable() and ch not in _FORBIDDEN_CHARS)
    text = text.strip().lstrip(".").rstrip(". ").strip()
    if not text:
        return "attachment"
    if text.split(".")[0].strip().upper() in _RESERVED:
        text = "_" + text
    if len(text.encode("utf-8")) > MAX_NAME_BYTES:
        stem, dot, ext = text.rpartition(".")
        if not dot or len(ext.encode("utf-8")) > 16:
            stem, ext = text, ""
        suffix = f".{ext}" if ext else ""
        budget = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
        stem = stem.encode("utf-8")[:budget].decode("utf-8", errors="ignore").rstrip(". ")
        text = (stem or "attachment") + suffix
    return text


@dataclass
class TempBlob:
    """A fully written, fsynced temp file with its hash, waiting to be installed."""

    path: Path
    sha256: str
    size: int
    fd: int  # kept open (and locked) until installed or discarded


class BlobStore:
    """The folder of attachment blobs of one profile."""

    def __init__(self, root: Path, max_size: int = DEFAULT_MAX_SIZE) -> None:
        self.root = root
        self.tmp = root / "tmp"
        self.max_size = max_size

    def ensure_dirs(self) -> None:
        """Create ``blobs/`` and ``blobs/tmp/``."""
        self.tmp.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        """Where the blob with this hash lives (whether or not it exists)."""
        if not _SHA.match(sha256):
            raise AttachmentError(f"{sha256!r} is not a SHA-256 hash")
        return self.root / sha256[:2] / sha256

    def clean_temp(self) -> int:
        """Remove temp files left by a crashed writer; returns how many were removed."""
        if not self.tmp.is_dir():
            return 0
        removed = 0
        for entry in self.tmp.iterdir():
            if not entry.is_file():
                continue
            if fcntl is not None:
                try:
                    fd = os.open(entry, os.O_RDWR)
                except OSError:
                    continue
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    os.close(fd)
                    continue  # another process is writing it right now
                try:
                    entry.unlink()
                    removed += 1
                finally:
                    os.close(fd)
            else:  # pragma: no cover
                try:
                    entry.unlink()
                    removed += 1
                except OSError:
                    continue
        if removed:
            logger.info("removed %d orphan attachment temp file(s) in %s", removed, self.tmp)
        return removed

    def write_temp(self, data: bytes | Path | BinaryIO) -> TempBlob:
        """Stream ``data`` into a temp file, hashing as it goes; fsync it.

        Raises AttachmentTooLargeError (with nothing left behind) past ``max_size``.
        """
        self.ensure_dirs()
        path = self.tmp / f"{uuid.uuid4().hex}.part"
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            raise translate_os_error(exc, "store the attachment") from exc
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            digest = hashlib.sha256()
            size = 0
            for chunk in _chunks(data):
                size += len(chunk)
                if size > self.max_size:
                    raise AttachmentTooLargeError(
                        f"The file is larger than the {self.max_size / 1024 / 1024:.0f} MB limit "
                        "for attachments; it was not added."
                    )
                digest.update(chunk)
                _write(fd, chunk)
            _fsync(fd)
        except BaseException as exc:
            self._drop(path, fd)
            if isinstance(exc, OSError):
                raise translate_os_error(exc, "store the attachment") from exc
            raise
        return TempBlob(path, digest.hexdigest(), size, fd)

    def install(self, temp: TempBlob) -> Path:
        """Rename the temp file into its content-addressed place and fsync the folder.

        An existing blob with the same hash is replaced by the fresh, verified copy
        (atomic), so a damaged old copy heals itself.
        """
        final = self.path_for(temp.sha256)
        try:
            if not final.parent.is_dir():
                final.parent.mkdir(parents=True, exist_ok=True)
                _fsync_dir(self.root)
            _replace(temp.path, final)
            _fsync_dir(final.parent)
        except OSError as exc:
            raise translate_os_error(exc, "store the attachment") from exc
        return final

    def discard(self, temp: TempBlob) -> None:
        """Close the temp file and remove it if it was not installed."""
        self._drop(temp.path, temp.fd)

    @staticmethod
    def _drop(path: Path, fd: int) -> None:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            logger.warning("could not remove temp file %s", path, exc_info=True)
        try:
            os.close(fd)
        except OSError as exc:  # pragma: no cover
            if exc.errno != errno.EBADF:
                raise

    def hash_file(self, sha256: str) -> str | None:
        """SHA-256 of the stored blob, or None when it is missing."""
        path = self.path_for(sha256)
        try:
            with open(path, "rb") as handle:
                digest = hashlib.sha256()
                for chunk in iter(lambda: handle.read(CHUNK), b""):
                    digest.update(chunk)
                return digest.hexdigest()
        except FileNotFoundError:
            return None

    def remove(self, sha256: str) -> None:
        """Delete a blob file (the caller checked no row refers to it)."""
        try:
            self.path_for(sha256).unlink(missing_ok=True)
        except OSError as exc:
            raise translate_os_error(exc, "remove the attachment") from exc


def _chunks(data: bytes | Path | BinaryIO) -> Iterator[bytes | memoryview]:
    if isinstance(data, bytes | bytearray | memoryview):
        view = memoryview(data)
        for start in range(0, len(view), CHUNK):
            yield view[start : start + CHUNK]
        return
    if isinstance(data, Path):
        with open(data, "rb") as handle:
            yield from iter(lambda: handle.read(CHUNK), b"")
        return
    yield from iter(lambda: data.read(CHUNK), b"")
