"""Importing a folder: on the write lane, with a progress dialog that can cancel, then a report."""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from desktop.core.changes import ImportReport
from desktop.session import Session
from desktop.ui.tasks import TaskManager

REPORT_LINES = 30


class _Progress(QObject):
    """Carries progress from the worker thread to the dialog (signals cross threads safely)."""

    advanced = Signal(int, int, str)


def report_text(report: ImportReport, tr: Callable[[str], str]) -> str:
    """The summary line of an import report."""
    return tr(
        "{files} files read: {added} added, {updated} updated, {unchanged} unchanged, {skipped} skipped."
    ).format(
        files=report.files,
        added=report.added,
        updated=report.updated,
        unchanged=report.unchanged,
        skipped=report.skipped,
    )


class ImportFlow(QObject):
    """One import of files and folders into the session, from start to report."""

    finished = Signal(bool)  # True when the import ran (the report is in ``self.report``)

    def __init__(self, tasks: TaskManager, session: Session, parent: QWidget):
        super().__init__(parent)
        self.tasks = tasks
        self.session = session
        self.parent_widget = parent
        self.report: ImportReport | None = None
        self.report_box: QMessageBox | None = None
        self._cancel = threading.Event()
        self._progress = _Progress(self)
        self.dialog = QProgressDialog(self.tr("Importing…"), self.tr("Cancel"), 0, 0, parent)
        self.dialog.setWindowTitle(self.tr("Import"))
        self.dialog.setAccessibleName(self.tr("Import progress"))
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self._cancel.set)
        self._progress.advanced.connect(self._on_advanced)

    def start(self, paths: list[Path]) -> None:
        """Start importing ``paths`` in the background."""
        session = self.session
        progress = self._progress
        cancel = self._cancel

        def work() -> ImportReport:
            return session.import_paths(
                paths,
                progress=lambda done, total, name: progress.advanced.emit(done, total, name),
                cancelled=cancel.is_set,
            )

        self.dialog.setLabelText(self.tr("Importing {path}…").format(path=", ".join(p.name for p in paths)))
        self.tasks.write(work, self._on_done, self._on_failed, description="import files")

    def _on_advanced(self, done: int, total: int, name: str) -> None:
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        self.dialog.setLabelText(
            self.tr("Importing {done} of {total}: {name}").format(
                done=done, total=total, name=Path(name).name
            )
        )

    def _on_done(self, report: ImportReport) -> None:
        self.dialog.close()
        self.report = report
        box = QMessageBox(self.parent_widget)
        box.setWindowTitle(self.tr("Import finished"))
        box.setIcon(QMessageBox.Icon.Warning if report.failed else QMessageBox.Icon.Information)
        box.setText(report_text(report, self.tr))
        lines = [f"{file}: {message}" for file, message in report.errors[:REPORT_LINES]]
        lines += [f"{file}: {message}" for file, message in report.notes[: max(0, REPORT_LINES - len(lines))]]
        if lines:
            box.setInformativeText(
                self.tr("{errors} files could not be imported. See the details.").format(
                    errors=len(report.errors)
                )
                if report.errors
                else self.tr("Some files came with notes. See the details.")
            )
            box.setDetailedText(html.unescape("\n".join(lines)))
        box.setModal(False)
        box.show()
        self.report_box = box
        self.finished.emit(True)

    def _on_failed(self, error: BaseException) -> None:
        self.dialog.close()
        self.finished.emit(False)
        self.tasks.report_error("import files", error)
