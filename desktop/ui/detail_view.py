"""The read-only view of one record: its fields, source and licence, and every connection.

Links read "<this> <relation> <target>"; backlinks read from the other side
("authored", "cited by"). A link is clickable when its target is in the profile,
greyed as "not in this profile" otherwise. Back returns to the previous record.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPalette
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from desktop.core.kinds import FieldType, field_specs
from desktop.session import LinkView, RecordView, Session
from desktop.ui.models import kind_label, muted_colour
from desktop.ui.tasks import TaskManager

logger = logging.getLogger(__name__)

RECORD_SCHEME = "record"


def _t(text: str) -> str:
    return QCoreApplication.translate("DetailView", text)


_HEADING = re.compile(r"^#{1,6}\s+(.+)$", re.M)
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _paragraphs(text: str) -> str:
    """Prose (plain or light Markdown) as paragraphs: escaped first, then headings and **bold** kept."""
    html_parts = []
    for part in (p.strip() for p in str(text).split("\n\n")):
        if not part:
            continue
        escaped = html.escape(part)
        escaped = _HEADING.sub(r"<b>\1</b>", escaped)
        escaped = _BOLD.sub(r"<b>\1</b>", escaped)
        html_parts.append(f"<p>{escaped.replace(chr(10), '<br>')}</p>")
    return "".join(html_parts)


def format_value(type_: FieldType, value: Any) -> str:
    """One field value as safe HTML ('' when there is nothing to show)."""
    if value is None or value == "" or value == []:
        return ""
    if type_ is FieldType.LONGTEXT:
        return _paragraphs(value)
    if type_ is FieldType.LIST:
        return html.escape(", ".join(str(v).replace("_", " ") for v in value))
    if type_ is FieldType.BOOL:
        return _t("Yes") if value else _t("No")
    if type_ is FieldType.RAW:
        return html.escape(_t("(original record kept, {n} characters)").format(n=len(str(value))))
    if type_ is FieldType.ACTIONS:
        rows = []
        for action in value:
            mark = "☑" if action.get("done") else "☐"
            extra = ", ".join(str(x) for x in (action.get("owner"), action.get("due")) if x)
            text = html.escape(str(action.get("action", "")))
            rows.append(f"<li>{mark} {text}" + (f" <i>({html.escape(extra)})</i>" if extra else "") + "</li>")
        return "<ul>" + "".join(rows) + "</ul>"
    return html.escape(str(value))


def _heading(label: str) -> str:
    return f"<h3>{html.escape(label)}</h3>"


def record_html(view: RecordView, palette: QPalette) -> str:
    """The whole record as HTML; every piece of record text is escaped."""
    record = view.record
    muted = muted_colour(palette)
    parts = [f"<h1>{html.escape(record.title or _t('(untitled)'))}</h1>"]
    meta = [kind_label(record.kind), _t(record.status.value.capitalize())]
    if record.demo:
        meta.append(_t("Demo content"))
    parts.append(f"<p style='color:{muted}'>{html.escape(' · '.join(meta))}</p>")
    rows = []
    for spec in field_specs(record.kind):
        if spec.name in ("title", "name") and spec.required:
            continue
        shown = format_value(spec.type, record.fields.get(spec.name))
        if shown:
            label = html.escape(QCoreApplication.translate("fields", spec.label))
            rows.append(f"<tr><th align='left' valign='top' width='28%'>{label}</th><td>{shown}</td></tr>")
    if record.tags:
        rows.append(
            f"<tr><th align='left' valign='top'>{_t('Tags')}</th>"
            f"<td>{html.escape(', '.join(record.tags))}</td></tr>"
        )
    if rows:
        parts.append("<table cellspacing='0' cellpadding='4' width='100%'>" + "".join(rows) + "</table>")
    parts.append(_links_html(_t("Connections"), view.links, muted))
    parts.append(_links_html(_t("What points here"), view.backlinks, muted))
    if record.source is not None:
        source = record.source
        lines = [html.escape(source.collection + (f" · {source.key}" if source.key else ""))]
        if source.url:
            url = html.escape(source.url, quote=True)
            lines.append(f"<a href='{url}'>{html.escape(source.url)}</a>")
        if source.licence:
            lines.append(html.escape(_t("Licence: {licence}").format(licence=source.licence)))
        if source.attribution:
            lines.append(html.escape(source.attribution))
        parts.append(_heading(_t("Source")) + "<p>" + "<br>".join(lines) + "</p>")
    return "".join(p for p in parts if p)


def _links_html(title: str, links: Iterable[LinkView], muted: str) -> str:
    groups: dict[str, list[LinkView]] = {}
    for link in links:
        groups.setdefault(link.label, []).append(link)
    if not groups:
        return ""
    rows = []
    for label, items in groups.items():
        cells = []
        for link in items:
            if link.exists:
                name = html.escape(link.title or _t("(untitled)"))
                kind = html.escape(kind_label(link.kind)) if link.kind else ""
                cells.append(
                    f"<a href='{RECORD_SCHEME}:{html.escape(link.id)}'>{name}</a>"
                    f" <span style='color:{muted}'>{kind}</span>"
                )
            else:
                shown = html.escape(link.title or link.id[:8])
                cells.append(
                    f"<span style='color:{muted}'>{shown} — {html.escape(_t('not in this profile'))}</span>"
                )
        label_text = html.escape(_t(label.capitalize()))
        rows.append(
            f"<tr><th align='left' valign='top' width='28%'>{label_text}</th>"
            f"<td>{'<br>'.join(cells)}</td></tr>"
        )
    return (
        _heading(title) + "<table cellspacing='0' cellpadding='4' width='100%'>" + "".join(rows) + "</table>"
    )


class DetailView(QWidget):
    """Shows one record (loaded off the GUI thread) and keeps a Back history of visited records."""

    record_shown = Signal(object)  # RecordView
    history_changed = Signal(bool)  # can go back

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.session: Session | None = None
        self.view: RecordView | None = None
        self.history: list[str] = []
        self._generation = 0
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName(self.tr("Record details"))
        self.browser.anchorClicked.connect(self._on_anchor_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self.show_placeholder(
            self.tr("Choose a search result to see it here, with everything it is connected to.")
        )

    def set_session(self, session: Session | None) -> None:
        """Read records from this session."""
        self.session = session

    def show_placeholder(self, text: str) -> None:
        """Show a hint instead of a record."""
        self.view = None
        muted = muted_colour(self.palette())
        self.browser.setHtml(f"<p style='color:{muted}'>{html.escape(text)}</p>")

    def open_record(self, record_id: str, *, new_trail: bool = False) -> None:
        """Show a record; ``new_trail`` starts a fresh Back history (opening from search results)."""
        if new_trail:
            self.history = []
        if not self.history or self.history[-1] != record_id:
            self.history.append(record_id)
        self._load(record_id)
        self.history_changed.emit(self.can_go_back)

    @property
    def can_go_back(self) -> bool:
        """True when Back has somewhere to go."""
        return len(self.history) > 1

    def back(self) -> None:
        """Return to the previous record."""
        if not self.can_go_back:
            return
        self.history.pop()
        self._load(self.history[-1])
        self.history_changed.emit(self.can_go_back)

    def _load(self, record_id: str) -> None:
        session = self.session
        if session is None:
            return
        self._generation += 1
        generation = self._generation

        def done(view: RecordView | None) -> None:
            if generation != self._generation:
                return
            if view is None:
                self.show_placeholder(self.tr("This record is not in this profile."))
                return
            self.view = view
            self._render()
            self.record_shown.emit(view)

        self.tasks.read(lambda: session.view(record_id), done, description="open a record")

    def _render(self) -> None:
        if self.view is not None:
            self.browser.setHtml(record_html(self.view, self.palette()))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._render()
        super().changeEvent(event)

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == RECORD_SCHEME:
            self.open_record(url.path())
        elif url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)
