"""Importing files and folders: small batches on the write lane, a progress dialog, then a report.

The import runs as :meth:`Session.import_steps` through :meth:`TaskManager.write_steps`: each batch
of files is one write-lane job, so an autosave or a save queued during a long import waits for one
batch, never for the whole import. Cancel stops after the current batch; what was imported stays.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.core.changes import ImportProgress, ImportReport
from desktop.ui.import_dialog import ImportDialog, report_text
from desktop.ui.tasks import Steps, TaskManager

if TYPE_CHECKING:  # the session loads SQLAlchemy and Whoosh: only after the window shows
    from desktop.session import Session

__all__ = ["ImportFlow", "ask_import_files", "ask_import_folder", "report_text"]


def ask_import_files(parent: QWidget) -> list[Path]:
    """Ask which files to import (the formats the importers read); [] when the person cancels."""
    files, _filter = QFileDialog.getOpenFileNames(
        parent,
        QCoreApplication.translate("ImportFlow", "Import files"),
        "",
        QCoreApplication.translate(
            "ImportFlow",
            "Collection files (*.md *.markdown *.json *.csv *.mrc *.marc *.dat *.xml);;All files (*)",
        ),
    )
    return [Path(f) for f in files]


def ask_import_folder(parent: QWidget) -> list[Path]:
    """Ask which folder to import; [] when the person cancels."""
    folder = QFileDialog.getExistingDirectory(
        parent, QCoreApplication.translate("ImportFlow", "Import a folder")
    )
    return [Path(folder)] if folder else []


class ImportFlow(QObject):
    """One import of files and folders into the session, from start to report."""

    finished = Signal(bool)  # True when the import ran (the report is in ``self.report``)
    progressed = Signal(object)  # ImportProgress, after each batch

    def __init__(
        self,
        tasks: TaskManager,
        session: Session,
        parent: QWidget,
        *,
        batch_files: int | None = None,
    ):
        super().__init__(parent)
        if batch_files is None:  # imported here: the window imports this module before the session loads
            from desktop.session import IMPORT_BATCH_FILES

            batch_files = IMPORT_BATCH_FILES
        self.tasks = tasks
        self.session = session
        self.parent_widget = parent
        self.batch_files = batch_files
        self.report: ImportReport | None = None
        self.last_progress: ImportProgress | None = None
        self.steps: Steps | None = None
        self._cancel = threading.Event()
        self.dialog = ImportDialog(parent)
        self.dialog.cancel_requested.connect(self.cancel)
        #: The dialog showing the report once the import is done (kept for callers and tests).
        self.report_box: ImportDialog | None = None

    def start(self, paths: list[Path]) -> None:
        """Start importing ``paths`` in the background and show the progress dialog."""
        self.dialog.set_paths(paths)
        self.dialog.show()
        steps = self.session.import_steps(paths, batch_files=self.batch_files, cancelled=self._cancel.is_set)
        self.steps = self.tasks.write_steps(
            steps,
            self._on_progress,
            self._on_done,
            self._on_failed,
            on_cancelled=self._on_stopped,
            description="import files",
        )

    @property
    def running(self) -> bool:
        """True from start until the report (or the failure) arrives."""
        return self.steps is not None and self.report is None and self.dialog.running

    def cancel(self) -> None:
        """Stop after the current batch; the report still comes, and says it was cancelled."""
        self._cancel.set()

    def _on_progress(self, progress: ImportProgress) -> None:
        self.last_progress = progress
        self.dialog.show_progress(progress)
        self.progressed.emit(progress)

    def _on_done(self, report: ImportReport) -> None:
        self.report = report
        self.dialog.show_report(report)
        self.report_box = self.dialog
        self.finished.emit(True)

    def _on_stopped(self) -> None:
        # Only at exit (the task manager shutting down): nothing to show.
        self.dialog.running = False
        self.dialog.close()
        self.finished.emit(False)

    def _on_failed(self, error: BaseException) -> None:
        self.dialog.running = False
        self.dialog.close()
        self.finished.emit(False)
        self.tasks.report_error("import files", error)
