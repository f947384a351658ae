"""Exporting records to PDF, HTML and Markdown for dissemination.

The text comes from :mod:`desktop.core.export_text` (pure Python). PDF uses Qt's own
classes: the HTML is laid out in a :class:`QTextDocument` and printed to a
:class:`QPdfWriter` (A4, margins, page numbers). Both are created and used in the
worker thread that writes the file: Qt supports painting on a QPdfWriter outside
the GUI thread as long as one thread owns the document and the device, so the GUI
thread never lays out or writes anything.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QCoreApplication, QMarginsF, QObject, Signal
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QFileDialog, QMainWindow, QWidget

from desktop.core.export_text import ExportItem, ExportLink, records_html, records_markdown
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:  # the session loads SQLAlchemy and Whoosh: only after the window shows
    from desktop.session import LinkView, RecordView, Session

logger = logging.getLogger(__name__)

FORMATS = ("pdf", "html", "md")
SUFFIXES = {"pdf": ".pdf", "html": ".html", "md": ".md"}
MARGIN_MM = 18.0


def _translate(context: str, text: str) -> str:
    # QCoreApplication.translate is thread-safe, so the worker can translate labels itself.
    return QCoreApplication.translate(context, text)


def _link(link: LinkView) -> ExportLink:
    return ExportLink(label=link.label, id=link.id, title=link.title, kind=link.kind, exists=link.exists)


def export_items(views: list[RecordView]) -> list[ExportItem]:
    """The plain data the text builders need, from the session's record views."""
    return [
        ExportItem(
            view.record, tuple(_link(li) for li in view.links), tuple(_link(li) for li in view.backlinks)
        )
        for view in views
    ]


def format_for(path: Path, default: str = "pdf") -> str:
    """The export format a file name asks for ("pdf", "html" or "md")."""
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        return "md"
    if suffix in (".html", ".htm"):
        return "html"
    if suffix == ".pdf":
        return "pdf"
    return default


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file in the same folder, so a failed export leaves no half file."""
    fd, temp_name = tempfile.mkstemp(prefix=".export-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    temp = Path(temp_name)
    try:
        write(temp)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_pdf(html_text: str, path: Path, title: str) -> int:
    """Print ``html_text`` to an A4 PDF with margins and page numbers; returns the page count.

    Call it from one thread only (any thread): the document and the writer live and die here.
    """
    document = QTextDocument()
    document.setHtml(html_text)
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("Imbizo")
    writer.setResolution(300)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    # An unpaginated document is copied and paginated to the writer's page, with the page
    # number printed at the foot of each page (QTextDocument::print).
    document.print_(writer)
    pages = document.pageCount()
    del writer  # the PDF is finished when the writer goes
    return pages


def export_records(views: list[RecordView], path: Path, fmt: str) -> Path:
    """Write ``views`` to ``path`` as "pdf", "html" or "md"; several records become one document.

    PDF starts each record on a new page; HTML and Markdown separate them into sections.
    Runs in any one thread (the app calls it on a worker). Returns ``path``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if not views:
        raise ValueError("nothing to export")
    items = export_items(views)
    title = (
        items[0].record.title
        if len(items) == 1
        else QCoreApplication.translate("Export", "{n} records").format(n=len(items))
    )
    path = Path(path)
    if fmt == "md":
        text = records_markdown(items, _translate)
        write_atomically(path, lambda temp: temp.write_text(text, encoding="utf-8"))
    elif fmt == "html":
        text = records_html(items, title=title, translate=_translate)
        write_atomically(path, lambda temp: temp.write_text(text, encoding="utf-8"))
    else:
        text = records_html(items, title=title, page_breaks=True, translate=_translate)
        write_atomically(path, lambda temp: write_pdf(text, temp, title))
    logger.info("exported %d records to %s (%s)", len(views), path, fmt)
    return path


class ExportFlow(QObject):
    """Export a selection of records: ask for a file, build and write it off the GUI thread, report."""

    exported = Signal(object)  # Path
    failed = Signal(object)  # exception

    FILTERS: ClassVar[dict[str, str]] = {
        "pdf": "PDF document (*.pdf)",
        "html": "Web page (*.html *.htm)",
        "md": "Markdown (*.md *.markdown)",
    }

    def __init__(self, tasks: TaskManager, session: Session, parent: QWidget):
        super().__init__(parent)
        self.tasks = tasks
        self.session = session
        self.parent_widget = parent
        self.path: Path | None = None

    def ask_path(self, suggested_name: str = "") -> tuple[Path, str] | None:
        """Ask where to save and in which format; None when the person cancels."""
        filters = {self.tr(text): fmt for fmt, text in self.FILTERS.items()}
        chosen, selected = QFileDialog.getSaveFileName(
            self.parent_widget,
            self.tr("Export"),
            str(Path.home() / (suggested_name or self.tr("export"))) + ".pdf",
            ";;".join(filters),
        )
        if not chosen:
            return None
        path = Path(chosen)
        fmt = format_for(path, filters.get(selected, "pdf"))
        if path.suffix.lower() not in (".pdf", ".html", ".htm", ".md", ".markdown"):
            path = path.with_name(path.name + SUFFIXES[fmt])
        return path, fmt

    def start(self, record_ids: list[str], path: Path | None = None, fmt: str | None = None) -> bool:
        """Export ``record_ids``; asks for a file unless ``path`` is given. False if nothing starts."""
        if not record_ids:
            return False
        if path is None:
            answer = self.ask_path()
            if answer is None:
                return False
            path, fmt = answer
        fmt = fmt or format_for(path)
        session = self.session
        target = path

        def work() -> Path:
            views = [view for view in (session.view(rid) for rid in record_ids) if view is not None]
            return export_records(views, target, fmt)

        self._show_message(self.tr("Exporting to {name}…").format(name=target.name))
        self.tasks.read(work, self._on_done, self._on_failed, description="export records")
        return True

    def _show_message(self, text: str) -> None:
        window = self.parent_widget.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 8_000)

    def _on_done(self, path: Path) -> None:
        self.path = path
        self._show_message(self.tr("Exported to {path}").format(path=path))
        self.exported.emit(path)

    def _on_failed(self, error: BaseException) -> None:
        self._show_message(self.tr("The export failed"))
        self.failed.emit(error)
        self.tasks.report_error(self.tr("export records"), error)
