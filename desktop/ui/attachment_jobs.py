"""Background jobs of the attachments panel: reading documents' text, copies to open or save.

Text extraction alternates a read (the parser runs in a worker process, see
``desktop.media.worker``) and a short write on the write lane that stores what was
read and re-indexes the records; it repeats until no document is pending. One
``TextExtraction`` per panel; the session serialises extraction between panels.
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.core.ports import AttachmentInfo
    from desktop.session import Session

logger = logging.getLogger(__name__)

#: Pending documents read per extraction step; steps repeat until none is left.
EXTRACT_BATCH = 10

#: Per open profile, how a file kept on the server is fetched (set by the sync controller once
#: the profile's sync service exists). Panels are made by detail views and editors that know
#: nothing of sync; they look the fetcher up when a file is opened.
_FETCHERS: weakref.WeakKeyDictionary[Any, Callable[[str], Any]] = weakref.WeakKeyDictionary()


def set_file_fetcher(session: Session, fetch: Callable[[str], Any] | None) -> None:
    """Register (or with None, forget) how ``session``'s files are downloaded from its server."""
    if fetch is None:
        _FETCHERS.pop(session, None)
    else:
        _FETCHERS[session] = fetch


def file_fetcher(session: Session | None) -> Callable[[str], Any] | None:
    """How ``session``'s files are downloaded from its server (None when it has no sync service)."""
    return _FETCHERS.get(session) if session is not None else None


def expected_errors() -> tuple[type[BaseException], ...]:
    """Errors that mean "this file cannot be attached": shown as a message, not as a crash report."""
    from desktop.media.errors import MediaError
    from desktop.store import StoreError

    return (MediaError, StoreError)


def local_files(mime: Any) -> list[Path]:
    """Local files among the URLs of a drag (web links are not files to attach)."""
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def copy_for_opening(session: Session, info: AttachmentInfo, folder: Path) -> Path:
    """A read-only copy of an attachment under its real name, for the system viewer (worker thread).

    Read-only, because edits made in the viewer would land in a temporary copy and be lost.
    """
    target = folder / info.sha256[:16] / info.filename
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(session.blob_path(info.sha256), target)
        os.chmod(target, stat.S_IRUSR | stat.S_IRGRP)
    return target


def save_copy(session: Session, info: AttachmentInfo, dest: Path) -> Path:
    """Copy an attachment's bytes to ``dest`` (worker thread), whole or not at all.

    Through a temporary file renamed into place: the copy never shows half written to whoever
    opens it meanwhile (the attachments test read it empty once, on a busy machine).
    """
    from desktop.ui.export import write_atomically

    blob = session.blob_path(info.sha256)
    write_atomically(dest, lambda temp: shutil.copyfile(blob, temp))
    return dest


class TextExtraction(QObject):
    """Reads pending documents' text in the background, a batch at a time, until none is left."""

    #: Some records' attachment text was stored (and indexed).
    texts_stored = Signal()
    #: Extraction started (True) or finished (False).
    running_changed = Signal(bool)

    def __init__(self, tasks: TaskManager, parent: QObject | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.session: Session | None = None
        self.running = False
        self._again = False

    def start(self, session: Session | None) -> None:
        """Extract what is pending in ``session`` (again after the current batch if one is running)."""
        if session is None:
            return
        if self.running:
            self._again = True
            return
        self.session, self.running, self._again = session, True, False
        self.running_changed.emit(True)
        self.tasks.read(
            lambda: session.extract_texts(EXTRACT_BATCH),
            lambda results: self._on_extracted(session, results),
            self._on_failed,
            "read the text of attachments",
        )

    def _on_extracted(self, session: Session, results: list[Any]) -> None:
        if not results:
            self._finish(0, 0)
            return
        self.tasks.write(
            lambda: session.store_extracted_texts(results),
            lambda count: self._finish(count, len(results)),
            self._on_failed,
            "store the text of attachments",
        )

    def _finish(self, stored: int, read: int) -> None:
        self.running = False
        if stored:
            self.texts_stored.emit()
        if read >= EXTRACT_BATCH or self._again:
            self.start(self.session)  # more may be pending
        else:
            self.running_changed.emit(False)

    def _on_failed(self, error: BaseException) -> None:
        self.running = False
        self.running_changed.emit(False)
        self.tasks.report_error("read the text of attachments", error)
