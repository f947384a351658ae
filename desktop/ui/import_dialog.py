"""The import dialog: progress with the current file and Cancel, then the report of what happened.

The dialog is not modal: an import runs on the write lane in small batches, so the
person can keep reading and editing while it runs. Closing it while the import runs
only hides it; the report comes back when the import ends.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.changes import ImportProgress, ImportReport

#: At most this many rows in the report table (a whole corpus can bring thousands of notes).
MAX_REPORT_ROWS = 5_000


def report_text(report: ImportReport) -> str:
    """The summary line of an import report."""
    return QCoreApplication.translate(
        "ImportDialog",
        "{files} files read: {added} added, {updated} updated, {unchanged} unchanged, {skipped} skipped.",
    ).format(
        files=report.files,
        added=report.added,
        updated=report.updated,
        unchanged=report.unchanged,
        skipped=report.skipped,
    )


def report_rows(report: ImportReport) -> list[tuple[str, str, str]]:
    """(what happened, file, why) for every skipped file, other error and note, skipped files first."""
    skipped_files = {file for file, _ in report.skips}
    skipped = QCoreApplication.translate("ImportDialog", "Skipped")
    error = QCoreApplication.translate("ImportDialog", "Error")
    note = QCoreApplication.translate("ImportDialog", "Note")
    rows = [(skipped, file, reason) for file, reason in report.skips]
    rows += [(error, file, message) for file, message in report.errors if file not in skipped_files]
    rows += [(note, file, message) for file, message in report.notes if file not in skipped_files]
    return rows[:MAX_REPORT_ROWS]


class ImportDialog(QDialog):
    """Progress of one import, then its report (counts and a copyable table of reasons)."""

    cancel_requested = Signal()

    PAGE_PROGRESS, PAGE_REPORT = range(2)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import"))
        self.setAccessibleName(self.tr("Import"))
        self.setModal(False)
        self.resize(640, 160)  # the report page asks for more room when it shows
        self.running = True
        self.report: ImportReport | None = None
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_progress_page())
        self.pages.addWidget(self._build_report_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    # -- building ----------------------------------------------------------------------

    def _build_progress_page(self) -> QWidget:
        page = QWidget()
        self.file_label = QLabel(self.tr("Looking for files…"))
        self.file_label.setAccessibleName(self.tr("File being imported"))
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_label.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName(self.tr("Import progress"))
        self.progress_bar.setRange(0, 0)
        self.counts_label = QLabel("")
        self.counts_label.setAccessibleName(self.tr("Records imported so far"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel the import"))
        self.cancel_button.setToolTip(self.tr("Stop after the current batch; what was imported stays"))
        self.cancel_button.clicked.connect(self.request_cancel)
        buttons = QDialogButtonBox()
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(page)
        layout.addWidget(self.file_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.counts_label)
        layout.addStretch(1)
        layout.addWidget(buttons)
        return page

    def _build_report_page(self) -> QWidget:
        page = QWidget()
        self.summary_label = QLabel("")
        self.summary_label.setAccessibleName(self.tr("Import summary"))
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName(self.tr("Skipped files and notes"))
        self.table.setHorizontalHeaderLabels([self.tr("Result"), self.tr("File"), self.tr("Reason")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(1, 260)
        copy_selection = QAction(self.tr("Copy"), self.table)
        copy_selection.setShortcut(QKeySequence.StandardKey.Copy)
        copy_selection.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy_selection.triggered.connect(self.copy_selection)
        self.table.addAction(copy_selection)
        self.copy_button = QPushButton(self.tr("Copy the report"))
        self.copy_button.setAccessibleName(self.tr("Copy the report to the clipboard"))
        self.copy_button.clicked.connect(self.copy_report)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setAccessibleName(self.tr("Close the import report"))
        self.close_button.clicked.connect(self.accept)
        buttons = QDialogButtonBox()
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        return page

    # -- progress ----------------------------------------------------------------------

    def set_paths(self, paths: list[Path]) -> None:
        """Say what is being imported, before the first batch."""
        self.file_label.setText(
            self.tr("Looking for files in {paths}…").format(paths=", ".join(p.name for p in paths))
        )

    def show_progress(self, progress: ImportProgress) -> None:
        """Show where the import stands (called after each batch)."""
        if progress.total and progress.done >= progress.total:
            self.progress_bar.setRange(0, 0)  # the index update at the end has no steps to count
            self.file_label.setText(self.tr("Making the imported records searchable…"))
        else:
            self.progress_bar.setRange(0, max(progress.total, 1))
            self.progress_bar.setValue(progress.done)
            self.file_label.setText(
                self.tr("Importing file {done} of {total}: {name}").format(
                    done=progress.done + 1, total=progress.total, name=progress.current
                )
            )
        self.counts_label.setText(
            self.tr(
                "Records: {added} added, {updated} updated, {unchanged} unchanged. Files skipped: {skipped}"
            ).format(
                added=progress.added,
                updated=progress.updated,
                unchanged=progress.unchanged,
                skipped=progress.skipped,
            )
        )

    def request_cancel(self) -> None:
        """Ask the import to stop after the current batch."""
        if not self.running:
            return
        self.cancel_button.setEnabled(False)
        self.file_label.setText(self.tr("Stopping after the current batch…"))
        self.cancel_requested.emit()

    # -- the report ----------------------------------------------------------------------

    def show_report(self, report: ImportReport) -> None:
        """Switch to the report: counts, then every skipped file with the reason, and notes."""
        self.running = False
        self.report = report
        cancelled = any(file == "" and "cancelled" in message for file, message in report.notes)
        summary = report_text(report)
        if cancelled:
            summary = self.tr("The import was cancelled; what was imported stays.") + " " + summary
        self.summary_label.setText(summary)
        rows = report_rows(report)
        self.table.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, column, item)
        self.table.setVisible(bool(rows))
        self.copy_button.setEnabled(bool(rows) or bool(summary))
        self.setWindowTitle(self.tr("Import finished"))
        self.pages.setCurrentIndex(self.PAGE_REPORT)
        if rows:
            self.resize(max(self.width(), 760), max(self.height(), 440))
        self.show()
        self.raise_()

    def text(self) -> str:
        """The summary line shown in the report."""
        return self.summary_label.text()

    def report_as_text(self) -> str:
        """The report as tab-separated text (for the clipboard or a bug report)."""
        lines = [self.text()]
        for row in range(self.table.rowCount()):
            lines.append("\t".join(self._cell(row, column) for column in range(self.table.columnCount())))
        return "\n".join(lines)

    def copy_report(self) -> None:
        """Copy the whole report to the clipboard."""
        QGuiApplication.clipboard().setText(self.report_as_text())

    def copy_selection(self) -> None:
        """Copy the selected rows to the clipboard, tab-separated."""
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        text = "\n".join(
            "\t".join(self._cell(row, column) for column in range(self.table.columnCount())) for row in rows
        )
        QGuiApplication.clipboard().setText(text)

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def closeEvent(self, event: QCloseEvent) -> None:
        # While the import runs, closing only hides the dialog: the report comes back at the end.
        if self.running:
            event.ignore()
            self.hide()
            return
        super().closeEvent(event)

    def reject(self) -> None:
        if self.running:  # Escape while importing hides rather than cancels
            self.hide()
            return
        super().reject()
