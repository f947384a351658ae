"""One vocabulary term in full: labels, broader and narrower terms, scope note, notation, what uses it.

The term and what uses it are read on a reader thread (:meth:`Session.term_usage`); the
panel shows the answer to the latest term asked for. Broader and narrower terms are links
(``term:<id>``) that the page follows; "N records" lists the records tagged with the term,
and choosing one opens it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QTextBrowser, QVBoxLayout, QWidget

from desktop.core.merging import MERGED_NOTE
from desktop.core.records import Record, Relation
from desktop.core.vocabulary import TermUsage, follow_replacements
from desktop.ui.models import kind_label
from desktop.ui.record_html import TERM_SCHEME
from desktop.ui.tasks import TaskManager
from desktop.ui.vocabulary_tree import scheme_name

if TYPE_CHECKING:
    from desktop.session import Session

USES_LINK = "uses:list"
#: Narrower terms listed before "and N more".
NARROWER_SHOWN = 60
ID_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class TermDetails:
    """A term with its broader terms' labels and what uses it, read together."""

    term: Record
    broader: dict[str, str]
    usage: TermUsage
    #: The merged or retired term that was asked for, when it led here (its replacement).
    replaced: Record | None = None


def read_details(session: Session, term_id: str) -> TermDetails | None:
    """The term and its surroundings (run on a reader thread); a merged or retired term's replacement."""
    asked = session.store.get(term_id)
    if asked is None:
        return None
    term = follow_replacements({term_id: asked}, session.records)[term_id]
    if term.deleted:
        return None
    replaced = asked if term.id != asked.id else None
    broader_ids = term.links_of(Relation.BROADER)
    found = session.records(broader_ids) if broader_ids else {}
    titles = {i: found[i].title for i in broader_ids if i in found and not found[i].deleted}
    return TermDetails(term, titles, session.term_usage(term.id), replaced)


def _is_slug_of(notation: str, label: str) -> bool:
    """True when a notation is only the label in lower case with dashes (Digital.gov's topic keys)."""

    def letters(text: str) -> str:
        return "".join(ch for ch in text.casefold() if ch.isalnum())

    return bool(letters(notation)) and letters(notation) == letters(label)


def _link(term_id: str, label: str) -> str:
    return f"<a href='{TERM_SCHEME}:{html.escape(term_id, quote=True)}'>{html.escape(label)}</a>"


def details_html(details: TermDetails, muted: str) -> str:
    """The panel's text: what a librarian checks before editing, merging or retiring a term."""
    term, usage = details.term, details.usage
    translate = QCoreApplication.translate
    fields = term.fields

    def faint(text: str) -> str:
        return f"<span style='color:{muted}'>{html.escape(text)}</span>"

    meta = [scheme_name(str(fields.get("scheme") or ""))]
    notation = str(fields.get("notation") or "")
    if notation and not _is_slug_of(notation, term.title):  # "accessibility" for "Accessibility" says nothing
        meta.append(translate("TermPanel", "notation {code}").format(code=notation))
    none = translate("TermPanel", "none")
    alt = [str(a) for a in fields.get("alt_labels") or []]
    broader = [_link(i, details.broader.get(i, i[:8])) for i in term.links_of(Relation.BROADER)]
    narrower = [_link(r.id, r.title) for r in usage.narrower[:NARROWER_SHOWN]]
    more = len(usage.narrower) - NARROWER_SHOWN
    if more > 0:
        narrower.append(faint(translate("TermPanel", "and {n} more").format(n=more)))
    rows = [
        (translate("TermPanel", "Alternative labels"), html.escape(", ".join(alt)) if alt else faint(none)),
        (
            translate("TermPanel", "Broader terms"),
            ", ".join(broader) or faint(translate("TermPanel", "none (a top term)")),
        ),
        (translate("TermPanel", "Narrower terms"), ", ".join(narrower) or faint(none)),
    ]
    note = str(fields.get("scope_note") or "").strip()
    if note:
        rows.append((translate("TermPanel", "Scope note"), html.escape(note).replace("\n", "<br>")))
    count = len(usage.tagged)
    if count:
        text = (
            translate("TermPanel", "1 record")
            if count == 1
            else translate("TermPanel", "{n} records").format(n=f"{count:,}")
        )
        used = f"<a href='{USES_LINK}'>{html.escape(text)}</a>"
    else:
        used = faint(translate("TermPanel", "no records yet"))
    rows.append((translate("TermPanel", "Used by"), used))
    table = "".join(
        f"<tr><th align='left' valign='top' width='30%'>{html.escape(label)}</th><td>{value}</td></tr>"
        for label, value in rows
    )
    led = ""
    if details.replaced is not None:
        merged = any(
            link.relation is Relation.DUPLICATE_OF and link.note == MERGED_NOTE
            for link in details.replaced.links
        )
        text = (
            translate("TermPanel", "“{old}” was merged into this term.")
            if merged
            else translate("TermPanel", "“{old}” was retired and replaced by this term.")
        )
        led = text.format(old=details.replaced.title)
        led = f"<p><i>{html.escape(led)}</i></p>"
    return (
        f"<h2>{html.escape(term.title)}</h2>"
        f"<p style='color:{muted}'>{html.escape(' · '.join(meta))}</p>{led}"
        f"<table cellspacing='0' cellpadding='4' width='100%'>{table}</table>"
    )


class TermPanel(QWidget):
    """The selected term, read off the GUI thread; the records using it listed on request."""

    term_requested = Signal(str)  # a broader or narrower term's link was followed
    record_opened = Signal(str)  # a record using the term was chosen
    details_loaded = Signal(object)  # TermDetails or None

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.session: Session | None = None
        self.details: TermDetails | None = None
        self.asked = ""
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName(self.tr("The selected term"))
        self.browser.anchorClicked.connect(self._on_anchor)
        self.uses_heading = QLabel(self)
        self.uses_list = QListWidget(self)
        self.uses_list.setAccessibleName(self.tr("Records tagged with the term"))
        # Long titles end in "…" (the whole title in the tooltip) rather than scroll sideways.
        self.uses_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.uses_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.uses_list.setUniformItemSizes(True)  # a term on thousands of records lists fast
        self.uses_list.itemActivated.connect(self._on_record_activated)
        self.uses_list.itemDoubleClicked.connect(self._on_record_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser, 3)
        layout.addWidget(self.uses_heading)
        layout.addWidget(self.uses_list, 2)
        self.show_placeholder()

    def set_session(self, session: Session | None) -> None:
        """Read terms from this session."""
        self.session = session

    def show_placeholder(self) -> None:
        """Nothing chosen yet."""
        self.details = None
        self.browser.setHtml(
            "<p>"
            + html.escape(self.tr("Choose a term in the tree, or find one by any of its labels."))
            + "</p>"
        )
        self.uses_heading.hide()
        self.uses_list.hide()

    def open_term(self, term_id: str) -> None:
        """Show ``term_id`` (read in the background)."""
        session = self.session
        if session is None:
            return
        self.asked = term_id

        def deliver(details: TermDetails | None) -> None:
            if shiboken6.isValid(self) and self.asked == term_id:
                self._show(details)

        self.tasks.read(lambda: read_details(session, term_id), deliver, description="read a term")

    def reload(self) -> None:
        """Read the term shown again (after an edit)."""
        if self.asked:
            self.open_term(self.asked)

    def _show(self, details: TermDetails | None) -> None:
        self.details = details
        if details is None:
            self.show_placeholder()
            self.details_loaded.emit(None)
            return
        muted = self.palette().placeholderText().color().name()
        self.browser.setHtml(details_html(details, muted))
        self.uses_list.clear()
        self.uses_heading.hide()
        self.uses_list.hide()
        self.details_loaded.emit(details)

    def show_uses(self) -> None:
        """List the records tagged with the term (what the "N records" link does)."""
        if self.details is None:
            return
        self.uses_list.clear()
        for record in self.details.usage.tagged:
            item = QListWidgetItem(f"{record.title or self.tr('(untitled)')} — {kind_label(record.kind)}")
            item.setToolTip(record.title)
            item.setData(ID_ROLE, record.id)
            self.uses_list.addItem(item)
        count = len(self.details.usage.tagged)
        self.uses_heading.setText(
            self.tr("Records tagged with “{term}” ({n}): open one with Enter or a double-click").format(
                term=self.details.term.title, n=f"{count:,}"
            )
        )
        self.uses_heading.setWordWrap(True)
        self.uses_heading.show()
        self.uses_list.show()

    def _on_anchor(self, url: QUrl) -> None:
        text = url.toString()
        if text == USES_LINK:
            self.show_uses()
        elif text.startswith(f"{TERM_SCHEME}:"):
            self.term_requested.emit(text[len(TERM_SCHEME) + 1 :])

    def _on_record_activated(self, item: QListWidgetItem) -> None:
        record_id = item.data(ID_ROLE)
        if record_id:
            self.record_opened.emit(str(record_id))
