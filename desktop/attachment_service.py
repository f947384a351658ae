"""Attachments of one open profile: adding (photos prepared first), thumbnails, text extraction.

:class:`desktop.session.Session` delegates here and keeps the index in step.
Extraction is split in two so the app can run each half where it belongs:
:meth:`AttachmentService.extract_texts` reads files in a worker process and
writes nothing; :meth:`AttachmentService.store_texts` is the short write.
Pillow and pypdf are imported only when a file is processed, never at start-up.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from desktop.core.ports import AttachmentInfo
from desktop.media.errors import MediaError
from desktop.store import AttachmentTooLargeError, RecordRepository
from desktop.store.attachment_text import TEXT_DONE, TEXT_FAILED, TEXT_NONE

logger = logging.getLogger(__name__)

THUMBNAILS_DIRNAME = "thumbnails"
#: Seconds one document's text extraction may take before its worker process is killed.
EXTRACTION_TIMEOUT = 60.0
#: Suffixes that already say "JPEG" (a downscaled photo keeps ``.jpeg`` rather than becoming ``.jpg``).
_SAME_SUFFIX = {".jpeg": ".jpg", ".jpe": ".jpg", ".tiff": ".tif"}


@dataclass(frozen=True)
class ExtractedText:
    """The outcome of extracting one attachment's text (``text`` is the reason when ``state`` is failed)."""

    record_id: str
    sha256: str
    text: str | None
    state: str


class AttachmentService:
    """Files attached to the records of one profile (thread-safe like the store it wraps)."""

    def __init__(self, store: RecordRepository, profile_dir: Path) -> None:
        self.store = store
        self.thumbnails_dir = Path(profile_dir) / THUMBNAILS_DIRNAME
        # One extraction at a time: two panels asking at once would read the same documents twice.
        self._extract_lock = threading.Lock()

    # -- adding and removing --------------------------------------------------

    def add(
        self, record_id: str, path: Path, *, keep_location: bool = False, max_side: int | None = None
    ) -> AttachmentInfo:
        """Attach the file at ``path``; a photo is stored as :func:`prepare_photo` leaves it.

        The type comes from the file's bytes, not its name. Raises MediaError for a
        photo that cannot be read or cleared of its location, AttachmentTooLargeError
        past the size limit (before anything is read), RecordNotFoundError.
        """
        from desktop.media.filetypes import is_image, is_photo_like, sniff_file

        path = Path(path)
        try:
            size = path.stat().st_size
        except FileNotFoundError as exc:
            raise MediaError(f"The file {path.name} no longer exists.") from exc
        except OSError as exc:
            raise MediaError(f"The file {path.name} cannot be read: {exc.strerror or exc}.") from exc
        if not path.is_file():
            raise MediaError(f"{path.name} is not a file; only files can be attached.")
        if size > self.store.blobs.max_size:
            raise AttachmentTooLargeError(
                f"{path.name} is {size / 1024 / 1024:.0f} MB, more than the "
                f"{self.store.blobs.max_size / 1024 / 1024:.0f} MB limit for attachments; it was not added."
            )
        media_type = sniff_file(path)
        if is_image(media_type) or (is_photo_like(media_type) and not keep_location):
            info = self._add_photo(record_id, path, keep_location=keep_location, max_side=max_side)
        else:
            info = self.store.add_attachment(record_id, path, path.name, media_type)
        return self._settle(info)

    def _add_photo(
        self, record_id: str, path: Path, *, keep_location: bool, max_side: int | None
    ) -> AttachmentInfo:
        from desktop.media.images import prepare_photo

        with tempfile.TemporaryDirectory(prefix="imbizo-photo-") as folder:
            prepared = prepare_photo(
                path, Path(folder) / "photo", keep_location=keep_location, max_side=max_side
            )
            filename = path.name
            suffix = _SAME_SUFFIX.get(path.suffix.lower(), path.suffix.lower())
            if prepared.suffix and suffix != prepared.suffix:
                filename = f"{path.stem}{prepared.suffix}"  # a downscaled PNG photo became a JPEG
            return self.store.add_attachment(record_id, prepared.path, filename, prepared.media_type)

    def _settle(self, info: AttachmentInfo) -> AttachmentInfo:
        """Mark a file with no text to extract, so it is never queued for extraction."""
        from desktop.media.text import is_extractable

        if info.text_state == "pending" and not is_extractable(info.media_type):
            self.store.set_attachment_text(info.record_id, info.sha256, None, TEXT_NONE)
            return replace(info, text_state=TEXT_NONE)
        return info

    def remove(self, record_id: str, sha256: str) -> bool:
        """Detach a file; its thumbnails go when no record uses its bytes any more."""
        removed = self.store.remove_attachment(record_id, sha256)
        if removed and not self.store.blob_path(sha256).exists():
            for thumb in self._thumbnail_folder(sha256).glob(f"{sha256}-*.png"):
                thumb.unlink(missing_ok=True)
        return removed

    # -- thumbnails -----------------------------------------------------------

    def _thumbnail_folder(self, sha256: str) -> Path:
        return self.thumbnails_dir / sha256[:2]

    def thumbnail(self, sha256: str, size: int = 256) -> Path | None:
        """A cached PNG thumbnail of an image attachment (made now if needed); None for other files.

        A damaged picture has no thumbnail (None), which the UI shows as a file icon.
        """
        from desktop.media.filetypes import is_image, sniff_file
        from desktop.media.images import make_thumbnail

        source = self.store.blob_path(sha256)  # validates the hash, so it is safe in a path
        dest = self._thumbnail_folder(sha256) / f"{sha256}-{int(size)}.png"
        if dest.is_file():
            return dest
        try:
            if not is_image(sniff_file(source)):
                return None
            return make_thumbnail(source, dest, int(size))
        except FileNotFoundError:
            logger.warning("attachment %s has no file; no thumbnail", sha256)
            return None
        except MediaError as exc:
            logger.info("no thumbnail for attachment %s: %s", sha256, exc)
            return None

    # -- text extraction ------------------------------------------------------

    def extract_texts(self, limit: int = 20, *, timeout: float = EXTRACTION_TIMEOUT) -> list[ExtractedText]:
        """Extract the text of up to ``limit`` pending attachments in a worker process (writes nothing).

        A document that fails or takes over ``timeout`` seconds is reported failed with
        the reason; the same bytes attached to several records are read once.
        """
        with self._extract_lock:
            return self._extract_texts(limit, timeout)

    def _extract_texts(self, limit: int, timeout: float) -> list[ExtractedText]:
        from desktop.media.text import is_extractable
        from desktop.media.worker import ExtractionWorker

        pending = self.store.pending_text_attachments(limit)
        results: list[ExtractedText] = []
        seen: dict[str, tuple[str | None, str]] = {}
        worker: ExtractionWorker | None = None
        try:
            for info in pending:
                if not is_extractable(info.media_type):
                    seen.setdefault(info.sha256, (None, TEXT_NONE))
                elif info.sha256 not in seen:
                    worker = worker or ExtractionWorker(timeout=timeout)
                    try:
                        found = worker.extract(self.store.blob_path(info.sha256), info.media_type)
                        seen[info.sha256] = (found, TEXT_DONE) if found.strip() else (None, TEXT_NONE)
                    except MediaError as exc:
                        logger.info("text of attachment %s not extracted: %s", info.filename, exc)
                        seen[info.sha256] = (str(exc), TEXT_FAILED)
                text, state = seen[info.sha256]
                results.append(ExtractedText(info.record_id, info.sha256, text, state))
        finally:
            if worker is not None:
                worker.close()
        return results

    def store_texts(self, results: Sequence[ExtractedText]) -> int:
        """Store extraction outcomes (the index is caught up by the caller); returns how many were stored."""
        return sum(
            1 for r in results if self.store.set_attachment_text(r.record_id, r.sha256, r.text, r.state)
        )
