"""Catalogue import with a staged preview, and catalogue export, off the GUI thread.

:class:`CatalogueImportFlow` reads the files in a child process and compares them with the
store on a read worker (:meth:`Session.preview_import`), shows the preview, and on Import
writes the adds and updates a batch at a time on the write lane
(:meth:`Session.import_preview_steps` through :meth:`TaskManager.write_steps`), so saves
queued meanwhile run between batches. :class:`CatalogueExportFlow` asks for a file and
writes the catalogue as CSV or MARCXML on a worker.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QWidget

from desktop.core.changes import ImportProgress, ImportReport
from desktop.core.import_preview import ImportPreview
from desktop.core.records import Record
from desktop.ui.catalogue_dialog import CataloguePreviewDialog
from desktop.ui.tasks import Steps, TaskManager

if TYPE_CHECKING:  # the session loads SQLAlchemy and Whoosh: only after the window shows
    from desktop.session import Session

#: The suffixes of files the staged preview is for (catalogue records, and vocabulary CSV).
CATALOGUE_SUFFIXES = (".mrc", ".marc", ".dat", ".xml", ".csv", ".ris")


def is_catalogue_choice(paths: list[Path]) -> bool:
    """True when every chosen path is a catalogue file (by its name: no file is read here)."""
    return bool(paths) and all(p.suffix.lower() in CATALOGUE_SUFFIXES for p in paths)


def ask_catalogue_files(parent: QWidget) -> list[Path]:
    """Ask which catalogue files to import; [] when the person cancels."""
    files, _filter = QFileDialog.getOpenFileNames(
        parent,
        QCoreApplication.translate("CatalogueFlow", "Import catalogue records"),
        "",
        QCoreApplication.translate(
            "CatalogueFlow",
            "Catalogue files (*.mrc *.marc *.dat *.xml *.csv *.ris);;MARC21 (*.mrc *.marc *.dat);;"
            "MARCXML (*.xml);;Catalogue CSV (*.csv);;RIS (*.ris);;All files (*)",
        ),
    )
    return [Path(f) for f in files]


class CatalogueImportFlow(QObject):
    """One staged import: read and compare, show the preview, import on request, report."""

    previewed = Signal(object)  # ImportPreview
    finished = Signal(bool)  # True when records were imported (the report is in ``self.report``)

    def __init__(self, tasks: TaskManager, session: Session, parent: QWidget):
        super().__init__(parent)
        self.tasks = tasks
        self.session = session
        self.preview: ImportPreview | None = None
        self.report: ImportReport | None = None
        self.last_progress: ImportProgress | None = None
        self.steps: Steps | None = None
        self._stop_reading = threading.Event()
        self._cancel = threading.Event()
        self.dialog = CataloguePreviewDialog(parent)
        self.dialog.import_requested.connect(self.start_import)
        self.dialog.cancel_requested.connect(self.cancel)
        self.dialog.holder_requested.connect(self._fetch_holder)
        self.dialog.rejected.connect(self._on_dialog_rejected)

    def start(self, paths: list[Path]) -> None:
        """Read ``paths`` in the background and show the preview when it is ready."""
        self.dialog.show_reading(paths)
        self.dialog.show()
        session, stop = self.session, self._stop_reading
        self.tasks.read(
            lambda: session.preview_import(paths, parse_in_child=True, cancelled=stop.is_set),
            self._on_preview,
            self._on_failed,
            description="read the catalogue files",
        )

    @property
    def running(self) -> bool:
        """True while records are being written."""
        return self.steps is not None and self.report is None

    def cancel(self) -> None:
        """Stop reading, or stop the import after the current batch."""
        self._stop_reading.set()
        self._cancel.set()

    def start_import(self) -> None:
        """Write the preview's adds and updates (the dialog's Import button)."""
        if self.preview is None or self.steps is not None:
            return
        self._cancel.clear()
        steps = self.session.import_preview_steps(self.preview, cancelled=self._cancel.is_set)
        self.steps = self.tasks.write_steps(
            steps,
            self._on_progress,
            self._on_done,
            self._on_failed,
            on_cancelled=self._on_stopped,
            description="import catalogue records",
        )

    def _on_preview(self, preview: ImportPreview) -> None:
        if self._stop_reading.is_set() and not self.dialog.isVisible():
            return
        self.preview = preview
        self.dialog.show_preview(preview)
        self.previewed.emit(preview)

    def _fetch_holder(self, record_id: str) -> None:
        session = self.session
        self.tasks.read(
            lambda: session.records([record_id]).get(record_id),
            self._on_holder,
            lambda _error: None,  # the side panel just stays without it
            description="read a catalogue item",
        )

    def _on_holder(self, record: Record | None) -> None:
        if record is not None:
            self.dialog.show_holder(record)

    def _on_progress(self, progress: ImportProgress) -> None:
        self.last_progress = progress
        self.dialog.show_progress(progress)

    def _on_done(self, report: ImportReport) -> None:
        self.report = report
        self.dialog.show_report(report)
        self.finished.emit(True)

    def _on_stopped(self) -> None:  # only at exit: the task manager shutting down
        self.dialog.running = False
        self.dialog.close()
        self.finished.emit(False)

    def _on_dialog_rejected(self) -> None:
        if self.steps is None:
            self._stop_reading.set()
            self.finished.emit(False)

    def _on_failed(self, error: BaseException) -> None:
        self.dialog.running = False
        self.dialog.close()
        self.finished.emit(False)
        self.tasks.report_error("import catalogue records", error)


class CatalogueExportFlow(QObject):
    """Ask for a file, then write every knowledge-centre item to it as CSV or MARCXML on a worker."""

    exported = Signal(object)  # (Path, count)
    failed = Signal(object)

    FILTERS: ClassVar[dict[str, str]] = {
        "csv": "Catalogue CSV (*.csv)",
        "marcxml": "MARCXML (*.xml)",
    }

    def __init__(self, tasks: TaskManager, session: Session, parent: QWidget):
        super().__init__(parent)
        self.tasks = tasks
        self.session = session
        self.parent_widget = parent
        self.path: Path | None = None
        self.count: int | None = None

    def ask_path(self) -> tuple[Path, str] | None:
        """Where to write and in which format; None when the person cancels."""
        filters = {self.tr(text): fmt for fmt, text in self.FILTERS.items()}
        chosen, selected = QFileDialog.getSaveFileName(
            self.parent_widget,
            self.tr("Export the catalogue"),
            str(Path.home() / self.tr("catalogue")) + ".csv",
            ";;".join(filters),
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() == ".xml":
            return path, "marcxml"
        if path.suffix.lower() == ".csv":
            return path, "csv"
        fmt = filters.get(selected, "csv")
        return path.with_name(path.name + (".xml" if fmt == "marcxml" else ".csv")), fmt

    def start(self, path: Path | None = None, fmt: str | None = None) -> bool:
        """Export to ``path`` (asked for when None); False when nothing starts."""
        if path is None:
            answer = self.ask_path()
            if answer is None:
                return False
            path, fmt = answer
        fmt = fmt or ("marcxml" if path.suffix.lower() == ".xml" else "csv")
        session, target = self.session, path
        self._show_message(self.tr("Exporting the catalogue to {name}…").format(name=target.name))
        self.tasks.read(
            lambda: session.export_catalogue(target, fmt),  # type: ignore[arg-type]
            lambda count: self._on_done(target, count),
            self._on_failed,
            description="export the catalogue",
        )
        return True

    def _show_message(self, text: str) -> None:
        window = self.parent_widget.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 10_000)

    def _on_done(self, path: Path, count: int) -> None:
        self.path, self.count = path, count
        self._show_message(self.tr("Exported {n} catalogue item(s) to {path}").format(n=count, path=path))
        self.exported.emit((path, count))

    def _on_failed(self, error: BaseException) -> None:
        self._show_message(self.tr("The catalogue export failed"))
        self.failed.emit(error)
        self.tasks.report_error(self.tr("export the catalogue"), error)
