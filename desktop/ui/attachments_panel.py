"""The files attached to one record: a grid of thumbnails and file icons, with Add, Open, Save, Remove.

Every file operation runs through the TaskManager: adding on the write lane (a
photo is cleaned of its location, and downscaled if asked, before it is stored),
thumbnails as reads (decoded to a QImage off the GUI thread), and text extraction
in the background after adding (``attachment_jobs.TextExtraction``). A file that
cannot be attached (too large, damaged, hostile) is named in one message and
nothing else changes; the other files of the same drop are still added.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QImage,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.attachment_grid import AttachmentGrid
from desktop.ui.attachment_jobs import (
    TextExtraction,
    copy_for_opening,
    expected_errors,
    file_fetcher,
    local_files,
    save_copy,
)
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:  # the session brings SQLAlchemy and Whoosh; the panel only talks to it
    from desktop.core.ports import AttachmentInfo
    from desktop.session import Session

logger = logging.getLogger(__name__)

#: Longest side of a photo downscaled for sharing over a paid link (a few hundred KB as JPEG).
SHARE_MAX_SIDE = 1600
THUMBNAIL_SIZE = 256


class AttachmentsPanel(QWidget):
    """Photos and documents of one record; set a session, then a record."""

    attachments_changed = Signal()
    #: Emitted with the number of files shown each time the list was (re)read.
    files_shown = Signal(int)

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.session: Session | None = None
        self.record_id: str | None = None
        self.last_message: QMessageBox | None = None
        #: How files are opened (replaceable in tests, where no viewer exists).
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl
        #: Fetches a file that is only on the server (``set_downloader``; None when not signed in).
        self.downloader: Callable[[str], Any] | None = None
        self._generation = 0
        self._open_dir: Path | None = None
        #: A compact strip (``set_compact``): small tiles in a row, only when there are files.
        self.compact = False
        self.setAcceptDrops(True)
        self.setAccessibleName(self.tr("Attachments"))

        self.grid = AttachmentGrid(self)
        self.grid.doubleClicked.connect(self._on_double_clicked)
        self.grid.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.extraction = TextExtraction(tasks, self)
        self.extraction.texts_stored.connect(self._on_texts_stored)
        self.extraction.running_changed.connect(lambda _running: self._set_hint())

        self.add_button = self._button(
            self.tr("Add…"), self.tr("Attach photos or documents"), self.choose_files
        )
        self.open_button = self._button(
            self.tr("Open"), self.tr("Open with the system viewer"), self.open_selected
        )
        self.save_button = self._button(
            self.tr("Save a copy…"), self.tr("Save a copy elsewhere"), self.save_selected
        )
        self.remove_button = self._button(
            self.tr("Remove"), self.tr("Remove from this record"), self.remove_selected
        )
        for button, name in ((self.add_button, "attach"), (self.remove_button, "delete")):
            with contextlib.suppress(ImportError, KeyError, OSError):  # icons are optional decoration
                from desktop.ui.icons import icon

                button.setIcon(icon(name))
        self.downscale_box = self._checkbox(
            self.tr("Downscale photos for sharing"),
            self.tr(
                "Store added photos at most %n pixels wide, for sending over paid links", "", SHARE_MAX_SIDE
            ),
        )
        self.keep_location_box = self._checkbox(
            self.tr("Keep photo location"),
            self.tr("Keep where a photo was taken (GPS); it is removed unless you tick this"),
        )
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Attachments status"))
        self.status.setWordWrap(True)
        for text, key, slot in (
            (self.tr("Open"), QKeySequence(Qt.Key.Key_Return), self.open_selected),
            (self.tr("Save a copy…"), QKeySequence(), self.save_selected),  # Ctrl+S saves the record
            (self.tr("Remove"), QKeySequence(QKeySequence.StandardKey.Delete), self.remove_selected),
        ):
            action = QAction(text, self.grid)
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
            self.grid.addAction(action)

        buttons = QHBoxLayout()
        for button in (self.add_button, self.open_button, self.save_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.options_row = QWidget(self)
        options = QHBoxLayout(self.options_row)
        options.setContentsMargins(0, 0, 0, 0)
        options.addWidget(self.downscale_box)
        options.addWidget(self.keep_location_box)
        options.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.options_row)
        layout.addWidget(self.status)
        self._update_actions()

    def set_compact(self, compact: bool) -> None:
        """Show the files as a compact strip (the review queue, where the record's text needs the
        height): one row of small tiles, no tiles at all when there are no files, and no photo
        options (they apply to adding photos, which reviewing seldom does)."""
        self.compact = compact
        self.grid.set_strip(compact)
        self.options_row.setVisible(not compact)
        self._fit_to_files()

    def _fit_to_files(self) -> None:
        count = self.grid.tiles.rowCount()
        self.grid.setVisible(not self.compact or count > 0)
        self.files_shown.emit(count)

    def _button(self, text: str, tip: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setAccessibleName(text.rstrip("…"))
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _checkbox(self, text: str, tip: str) -> QCheckBox:
        box = QCheckBox(text, self)
        box.setToolTip(tip)
        box.setAccessibleName(text)
        return box

    # -- what is shown ---------------------------------------------------------

    def set_session(self, session: Session | None) -> None:
        """Work on this session's profile (None when the profile closes)."""
        self.session = session
        self.set_record(self.record_id if session is not None else None)
        self.extraction.start(session)  # documents left pending when the app last closed

    def set_downloader(self, downloader: Callable[[str], Any] | None) -> None:
        """How to fetch a file kept on the server (large files are downloaded when opened)."""
        self.downloader = downloader

    def set_record(self, record_id: str | None) -> None:
        """Show the attachments of this record (None: nothing)."""
        self.record_id = record_id
        self._generation += 1
        self.grid.clear()
        self._update_actions()
        self._fit_to_files()
        self.reload()

    def reload(self) -> None:
        """Read the record's attachments again (off the GUI thread)."""
        session, record_id, generation = self.session, self.record_id, self._generation
        if session is None or record_id is None:
            self._set_hint()
            return
        self._run(
            lambda: session.attachments(record_id),
            lambda infos: self._on_attachments_loaded(generation, infos),
            write=False,
        )

    def attachments(self) -> list[AttachmentInfo]:
        """The attachments shown, in order."""
        return self.grid.attachments()

    def _on_attachments_loaded(self, generation: int, infos: list[AttachmentInfo]) -> None:
        if generation != self._generation:
            return  # another record was chosen meanwhile
        from desktop.media.filetypes import is_image

        self.grid.show_attachments(infos)
        for info in infos:
            if is_image(info.media_type) and info.present:
                self._load_thumbnail(info.sha256)
        self._update_actions()
        self._set_hint()
        self._fit_to_files()

    def _load_thumbnail(self, sha256: str) -> None:
        session, generation = self.session, self._generation
        if session is None:
            return

        def load() -> QImage | None:
            path = session.thumbnail(sha256, THUMBNAIL_SIZE)
            image = QImage(str(path)) if path is not None else None  # QImage is safe off the GUI thread
            return image if image is not None and not image.isNull() else None

        def show(image: QImage | None) -> None:
            if image is not None and generation == self._generation:
                self.grid.set_thumbnail(sha256, image)

        self._run(load, show, write=False)

    def _set_hint(self, text: str = "") -> None:
        if not text and self.extraction.running:
            text = self.tr("Reading the text of documents so search can find them…")
        elif not text and self.record_id is not None and not self.grid.tiles.rowCount():
            text = self.tr("No files yet. Add photos or documents, or drop them here.")
        self.status.setText(text)
        self.status.setVisible(bool(text) or not self.compact)  # a strip spends no line on nothing

    def _update_actions(self) -> None:
        ready = self.session is not None and self.record_id is not None
        chosen = bool(self.grid.selectionModel().selectedIndexes())
        self.add_button.setEnabled(ready)
        for button in (self.open_button, self.save_button, self.remove_button):
            button.setEnabled(ready and chosen)

    def _on_texts_stored(self) -> None:
        self.reload()
        self.attachments_changed.emit()

    # -- adding ----------------------------------------------------------------

    def choose_files(self) -> None:
        """Ask for files to attach (several at once)."""
        if self.session is None or self.record_id is None:
            return
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("Attach files"))
        if names:
            self.add_files([Path(name) for name in names])

    def add_files(self, paths: Sequence[Path]) -> None:
        """Attach these files to the record, with the photo options as ticked; errors are shown at the end."""
        session, record_id = self.session, self.record_id
        if session is None or record_id is None or not paths:
            return
        keep = self.keep_location_box.isChecked()
        max_side = SHARE_MAX_SIDE if self.downscale_box.isChecked() else None
        expected = expected_errors()

        # One write job per file: saves queued meanwhile (autosave) run between two photos.
        outcome: dict[str, Any] = {"left": len(paths), "added": 0, "failed": []}

        def attach(path: Path) -> BaseException | None:
            try:
                session.add_attachment(record_id, path, keep_location=keep, max_side=max_side)
            except expected as exc:  # named in the message at the end; the other files go on
                return exc
            return None

        def attached(path: Path, error: BaseException | None) -> None:
            outcome["left"] -= 1
            if error is None:
                outcome["added"] += 1
            elif isinstance(error, expected):
                outcome["failed"].append((path.name, error))
            else:  # a bug, not a bad file: the error dialog, and the other files still count
                self.tasks.report_error("attach a file", error)
            if not outcome["left"]:
                self._on_files_added(outcome["added"], outcome["failed"])

        self._set_hint(self.tr("Adding %n file(s)…", "", len(paths)))
        for path in map(Path, paths):
            done = partial(attached, path)
            self.tasks.write(partial(attach, path), done, done, "attach a file")

    def _on_files_added(self, added: int, failed: list[tuple[str, BaseException]]) -> None:
        self._set_hint()
        if added:
            self.reload()
            self.attachments_changed.emit()
            self.extraction.start(self.session)
        if failed:
            lines = "\n\n".join(f"{name}: {self._reason(error)}" for name, error in failed)
            self._message(
                self.tr("Files not attached"), self.tr("These files were not attached:") + "\n\n" + lines
            )

    def _reason(self, exc: BaseException) -> str:
        from desktop.store import RecordNotFoundError

        if isinstance(exc, RecordNotFoundError):
            return self.tr("Save the record before attaching files to it.")
        return str(exc)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept files dragged from the file manager."""
        if self.record_id is not None and self.session is not None and local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        """Keep accepting while the files move over the panel."""
        if self.record_id is not None and self.session is not None and local_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Attach the dropped files."""
        paths = local_files(event.mimeData())
        if not paths or self.session is None or self.record_id is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_files(paths)

    # -- open, save a copy, remove ---------------------------------------------

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_selected()

    def open_selected(self) -> None:
        """Open the selected files with the system viewer (read-only copies under their real names)."""
        session = self.session
        if session is None:
            return
        if self._open_dir is None:
            self._open_dir = Path(tempfile.mkdtemp(prefix="imbizo-open-"))
        folder = self._open_dir

        def open_copy(info: AttachmentInfo) -> None:
            self._run(
                partial(copy_for_opening, session, info, folder),
                lambda path: self.open_url(QUrl.fromLocalFile(str(path))),
                write=False,
            )

        for info in self.grid.selected():
            self._when_present(info, partial(open_copy, info))

    def save_selected(self) -> None:
        """Ask where to save a copy of each selected file."""
        for info in self.grid.selected():
            title = self.tr("Save a copy of %1").replace("%1", info.filename)
            name, _ = QFileDialog.getSaveFileName(self, title, info.filename)
            if name:
                self.save_copy(info, Path(name))

    def save_copy(self, info: AttachmentInfo, dest: Path) -> None:
        """Copy an attachment's bytes to ``dest`` (off the GUI thread)."""
        session = self.session
        if session is not None:
            saved = self.tr("Saved a copy as %1")
            self._when_present(
                info,
                lambda: self._run(
                    lambda: save_copy(session, info, dest),
                    lambda path: self._set_hint(saved.replace("%1", str(path))),
                    write=False,
                ),
            )

    def _when_present(self, info: AttachmentInfo, then: Callable[[], None]) -> None:
        """Run ``then`` once the file is on this computer, downloading it first if it is not.

        Files above the download limit stay on the server at each sync (a paid link should not
        carry every video of every record); opening or saving one fetches it, on the network lane.
        """
        if info.present:
            then()
            return
        size = self.locale().formattedDataSize(info.size)
        downloader = self.downloader or file_fetcher(self.session)
        if downloader is None:
            self._message(
                self.tr("Attachments"),
                self.tr(
                    "%1 (%2) is on the server and has not been downloaded to this computer. "
                    "Sign in to the server to download it."
                )
                .replace("%1", info.filename)
                .replace("%2", size),
            )
            return
        self._set_hint(self.tr("Downloading %1 (%2)…").replace("%1", info.filename).replace("%2", size))

        def downloaded(_result: object) -> None:
            self._set_hint()
            self.reload()
            then()

        def failed(error: BaseException) -> None:
            self._set_hint()
            reason = str(error) or type(error).__name__
            self._message(
                self.tr("Attachments"),
                self.tr("%1 could not be downloaded: %2").replace("%1", info.filename).replace("%2", reason),
            )

        self.tasks.run(
            lambda: downloader(info.sha256), downloaded, failed, network=True, description="download a file"
        )

    def remove_selected(self) -> None:
        """Remove the selected files from the record, after asking."""
        chosen = self.grid.selected()
        if not chosen:
            return
        names = "\n".join(info.filename for info in chosen)
        question = self.tr("Remove %n file(s) from this record?", "", len(chosen)) + "\n\n" + names
        if self.confirm(question):
            self.remove([info.sha256 for info in chosen])

    def confirm(self, question: str) -> bool:
        """Ask a yes/no question (replaceable in tests)."""
        answer = QMessageBox.question(self, self.tr("Remove attachments"), question)
        return answer == QMessageBox.StandardButton.Yes

    def remove(self, sha256s: Sequence[str]) -> None:
        """Remove these attachments from the record (on the write lane)."""
        session, record_id = self.session, self.record_id
        if session is None or record_id is None:
            return

        def detach() -> int:
            for sha in sha256s:
                session.remove_attachment(record_id, sha)
            return len(sha256s)

        self._run(detach, lambda _count: self._on_texts_stored(), write=True)

    # -- plumbing ----------------------------------------------------------------

    def _run(self, fn: Callable[[], Any], on_success: Callable[[Any], None], *, write: bool) -> None:
        expected = expected_errors()

        def on_failure(error: BaseException) -> None:
            self._set_hint()
            if isinstance(error, expected | OSError):  # a file that vanished, a full disk...
                self._message(self.tr("Attachments"), str(error))
            else:
                self.tasks.report_error("attachments", error)

        self.tasks.run(fn, on_success, on_failure, write=write, description="attachments")

    def _message(self, title: str, text: str) -> None:
        """Show a warning without blocking (kept in ``last_message`` so tests can read it)."""
        if self.last_message is not None:
            self.last_message.deleteLater()  # one message at a time
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAccessibleName(title)
        box.open()
        self.last_message = box
