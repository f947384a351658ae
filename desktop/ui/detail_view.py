"""The read-only view of one record: its fields, source and licence, and every connection.

The HTML comes from :mod:`desktop.ui.record_html`. Links read "<this> <relation>
<target>"; backlinks read from the other side ("Wrote", "Cited by"). A link is
clickable when its target is in the profile. Back returns to the previous record.
Edit, History… and Export… only say what was asked (signals the window wires);
the attachments panel sits under the text for the kinds that carry files.
"""

from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QTextBrowser, QToolButton, QVBoxLayout, QWidget

from desktop.core.kinds import Kind
from desktop.core.usage import KNOWLEDGE_KINDS
from desktop.ui.expert_suggestions import suggestions_html, suggests_people
from desktop.ui.icons import app_icon
from desktop.ui.models import muted_colour
from desktop.ui.record_html import RECORD_SCHEME, TERM_SCHEME, format_value, record_html
from desktop.ui.review_widgets import ReviewControls
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:  # the session loads SQLAlchemy and Whoosh: after the window shows
    from desktop.search import ExpertMatch
    from desktop.session import RecordView, Session

__all__ = ["ATTACHMENT_KINDS", "RECORD_SCHEME", "DetailView", "app_icon", "format_value", "record_html"]

logger = logging.getLogger(__name__)

#: Kinds whose records carry photos and documents, so the attachments panel is shown for them.
ATTACHMENT_KINDS = frozenset({Kind.CASE_STUDY, Kind.SITE_VISIT, Kind.CENTRE_ITEM, Kind.ARTICLE})
#: The height the attachments panel starts with under the record's text.
ATTACHMENTS_HEIGHT = 190
#: Its height as a compact strip (``compact_files``), when the record has files.
COMPACT_FILES_HEIGHT = 130
#: No maximum (Qt's QWIDGETSIZE_MAX).
_NO_MAXIMUM = 16_777_215
#: A record counts as viewed once it stayed shown this long (arrowing through results is not reading).
VIEW_DWELL_MS = 1_500


class DetailView(QWidget):
    """Shows one record (loaded off the GUI thread) and keeps a Back history of visited records."""

    record_shown = Signal(object)  # RecordView
    history_changed = Signal(bool)  # can go back
    edit_requested = Signal(str)  # record id
    history_requested = Signal(str)  # record id
    export_requested = Signal(str)  # record id
    records_changed = Signal(object)  # Changes: a review action saved the record shown
    term_requested = Signal(str)  # a tag or a link to a vocabulary term was followed

    def __init__(
        self,
        tasks: TaskManager,
        parent: QWidget | None = None,
        *,
        placeholder: str = "",
        attachments: bool = True,
        compact_files: bool = False,
    ):
        super().__init__(parent)
        self.tasks = tasks
        self.with_attachments = attachments  # False: a compact preview without the files panel
        #: True: the files are a compact strip under the text, none at all without files (the review queue).
        self.compact_files = compact_files
        #: The files' height under the text; dragging the divider changes it (a page may keep it).
        self.files_height = COMPACT_FILES_HEIGHT if compact_files else ATTACHMENTS_HEIGHT
        self.session: Session | None = None
        self.view: RecordView | None = None
        self.placeholder = placeholder or self.tr(
            "Choose a search result to see it here, with everything it is connected to."
        )
        self.history: list[str] = []
        #: True once the window shows terms in the Vocabulary page (else a term opens here, as a record).
        self.terms_in_vocabulary = False
        #: The people to ask about the record shown (None until the finder answers).
        self.suggested: list[ExpertMatch] | None = None
        self._generation = 0
        self.attachments_panel: QWidget | None = None
        self._split_pending = False  # the files panel was shown before the view had a height
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName(self.tr("Record details"))
        self.browser.anchorClicked.connect(self._on_anchor_clicked)

        self.edit_button = self._action_button(self.tr("Edit"), "edit", self.tr("Edit this record"))
        self.history_button = self._action_button(
            self.tr("History…"), "history", self.tr("Earlier versions of this record")
        )
        self.export_button = self._action_button(
            self.tr("Export…"), "export", self.tr("Export this record to PDF, HTML or Markdown")
        )
        self.edit_button.clicked.connect(lambda: self._emit_for_current(self.edit_requested))
        self.history_button.clicked.connect(lambda: self._emit_for_current(self.history_requested))
        self.export_button.clicked.connect(lambda: self._emit_for_current(self.export_requested))
        self.helped_button = self._action_button(
            self.tr("This helped me"),
            "helped",
            self.tr("Mark that this record helped you (counted on the dashboard)"),
        )
        self.helped_button.setCheckable(True)
        self.helped_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.helped_button.clicked.connect(self._on_helped_clicked)
        self.helped_button.hide()
        self.dwell = QTimer(self)
        self.dwell.setSingleShot(True)
        self.dwell.setInterval(VIEW_DWELL_MS)
        self.dwell.timeout.connect(self._on_dwelled)
        self.action_bar = QWidget(self)
        bar = QHBoxLayout(self.action_bar)
        bar.setContentsMargins(0, 0, 0, 4)
        bar.addWidget(self.helped_button)
        bar.addStretch(1)
        for button in (self.edit_button, self.history_button, self.export_button):
            bar.addWidget(button)
        self.review = ReviewControls(tasks, self)  # submit, publish, return, retire; the banner
        self.review.add_to(bar, 1)
        self.review.reviewed.connect(self._on_reviewed)
        #: "I am available for …" toggles, shown on my own expert profile (made on first use).
        self.availability_bar: Any = None

        # Where the attachments panel goes (created on the first record that can carry files).
        self.attachments_slot = QWidget(self)
        self.attachments_slot.setAccessibleName(self.tr("Attachments"))
        slot_layout = QVBoxLayout(self.attachments_slot)
        slot_layout.setContentsMargins(0, 4, 0, 0)
        self.attachments_slot.hide()

        # The text keeps most of the height; the files below can be given more by dragging.
        self.body = QSplitter(Qt.Orientation.Vertical, self)
        self.body.setChildrenCollapsible(False)
        self.body.addWidget(self.browser)
        self.body.addWidget(self.attachments_slot)
        self.body.setStretchFactor(0, 4)
        self.body.setStretchFactor(1, 1)
        self.body.splitterMoved.connect(self._on_divider_moved)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.action_bar)
        layout.addWidget(self.review.banner)
        layout.addWidget(self.body, 1)
        self.show_placeholder(self.placeholder)

    def _action_button(self, text: str, icon_name: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(text.rstrip("…"))
        button.setAutoRaise(True)
        shown = app_icon(icon_name)
        if shown is not None:
            button.setIcon(shown)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return button

    def set_session(self, session: Session | None) -> None:
        """Read records from this session."""
        self.session = session
        self.review.set_session(session)
        panel = self.attachments_panel
        if panel is not None and hasattr(panel, "set_session"):
            panel.set_session(session)

    @property
    def record_id(self) -> str | None:
        """The id of the record shown, or None."""
        return self.view.record.id if self.view is not None else None

    def show_placeholder(self, text: str) -> None:
        """Show a hint instead of a record."""
        self.view = None
        self.dwell.stop()
        self.helped_button.hide()
        self._set_actions_enabled(False)
        self.review.clear()
        self.attachments_slot.hide()
        muted = muted_colour(self.palette())
        self.browser.setHtml(f"<p style='color:{muted}'>{html.escape(text)}</p>")

    def open_record(self, record_id: str, *, new_trail: bool = False) -> None:
        """Show a record; ``new_trail`` starts a fresh Back history (opening from a list)."""
        if new_trail:
            self.history = []
        if not self.history or self.history[-1] != record_id:
            self.history.append(record_id)
        self._load(record_id)
        self.history_changed.emit(self.can_go_back)

    def reload(self) -> None:
        """Read the record shown again (after it was saved elsewhere)."""
        if self.history:
            self._load(self.history[-1])

    def clear(self, text: str = "") -> None:
        """Forget the record and its trail (it was deleted, or the list it came from changed)."""
        self.history = []
        self._generation += 1
        self.show_placeholder(text or self.placeholder)
        self.history_changed.emit(False)

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
            self.suggested = None
            self._render()
            self._set_actions_enabled(True)
            self.review.show_record(view.record)
            self._show_attachments(view)
            self._show_helped(view)
            self.dwell.start()
            self.record_shown.emit(view)
            self._suggest(session, view.record.id, generation)

        self.tasks.read(lambda: session.view(record_id), done, description="open a record")

    def _render(self) -> None:
        if self.view is not None:
            people = suggestions_html(self.view, self.suggested, self.palette())
            self.browser.setHtml(record_html(self.view, self.palette()) + people)

    def _suggest(self, session: Session, record_id: str, generation: int) -> None:
        """Ask the expert finder whom to ask about the record (off the GUI thread, cached there)."""
        if self.availability_bar is not None:
            self.availability_bar.hide()
        if self.view is None:
            return
        if self.view.record.kind is Kind.EXPERT:
            self._offer_availability(session, self.view.record, generation)
        if not suggests_people(self.view.record.kind):
            return

        def done(people: list[ExpertMatch]) -> None:
            if generation == self._generation and people:
                scroll = self.browser.verticalScrollBar().value()
                self.suggested = list(people)
                self._render()
                self.browser.verticalScrollBar().setValue(scroll)

        self.tasks.read(
            lambda: session.experts.suggestions(record_id), done, lambda _error: None, "suggest people"
        )

    def _offer_availability(self, session: Session, profile: Any, generation: int) -> None:
        """On my own expert profile (its handle is my user name), toggles for what I offer."""
        handle = str(profile.fields.get("handle") or "")
        if not handle:
            return

        def done(me: str) -> None:
            if generation != self._generation or me != handle:
                return
            if self.availability_bar is None:
                from desktop.ui.requests_view import AvailabilityBar  # only for my own profile

                self.availability_bar = AvailabilityBar(self.tasks, self.action_bar, compact=True)
                layout = self.action_bar.layout()
                assert isinstance(layout, QHBoxLayout)
                layout.insertWidget(0, self.availability_bar)
                self.availability_bar.changed.connect(lambda _changes: self.reload())
            self.availability_bar.set_session(session)
            self.availability_bar.show_profile(list(profile.fields.get("availability") or []), profile.title)
            self.availability_bar.show()

        self.tasks.read(session.me, done, lambda _error: None, "who am I")

    def _set_actions_enabled(self, enabled: bool) -> None:
        for button in (self.edit_button, self.history_button, self.export_button):
            button.setEnabled(enabled)

    def _on_reviewed(self, changes: Any) -> None:
        self.reload()
        self.records_changed.emit(changes)

    def _emit_for_current(self, signal: Any) -> None:
        if self.view is not None:
            signal.emit(self.view.record.id)

    # -- usage: viewed, and "this helped me" ----------------------------------------------

    def _usage(self) -> Any:
        from desktop.ui.usage_recorder import recorder_for

        return recorder_for(self.tasks, self.session) if self.session is not None else None

    def _on_dwelled(self) -> None:
        usage = self._usage()
        if usage is not None and self.view is not None:
            usage.viewed(self.view.record.id)

    def _show_helped(self, view: RecordView) -> None:
        """The helped mark for knowledge (read off the GUI thread; unchecked until it is known)."""
        if view.record.kind.value not in KNOWLEDGE_KINDS or self.session is None:
            self.helped_button.hide()
            return
        record_id, session = view.record.id, self.session
        self.helped_button.setChecked(False)
        self.helped_button.show()

        def done(helped: bool) -> None:
            if self.record_id == record_id:
                self.helped_button.setChecked(bool(helped))

        self.tasks.read(lambda: session.helped(record_id), done, description="read the helped mark")

    def _on_helped_clicked(self, checked: bool) -> None:
        usage = self._usage()
        if usage is not None and self.view is not None:
            usage.helped(self.view.record.id, checked)
            usage.flush()  # a deliberate mark is written at once (still on the write lane)

    # -- attachments -------------------------------------------------------------------

    def _show_attachments(self, view: RecordView) -> None:
        """Show the attachments panel for records that carry files (made on first use)."""
        if view.record.kind not in ATTACHMENT_KINDS or not self.with_attachments:
            self.attachments_slot.hide()
            return
        panel = self.attachments_panel or self._make_attachments_panel()
        if panel is None:
            return
        panel.set_record(view.record.id)  # type: ignore[attr-defined]
        if not self.attachments_slot.isVisible():
            self.attachments_slot.show()
            self._split_pending = True
            self._split_text_and_files()

    def _split_text_and_files(self) -> None:
        """Give the text most of the height and the files ATTACHMENTS_HEIGHT, once the view has a height.

        Before the view is laid out its splitter is a few pixels high: a split made then would
        grow the files as much as the text (the review queue showed an empty files pane larger
        than the record), so it waits for the first real size.
        """
        total, files = self.body.height(), self.files_height
        if not self._split_pending or total < 2 * files:
            return
        self._split_pending = False
        self.body.setSizes([max(total - files, total * 2 // 3), files])

    def _on_divider_moved(self, _pos: int, _index: int) -> None:
        if self.attachments_slot.isVisible() and self.attachments_slot.maximumHeight() == _NO_MAXIMUM:
            self.files_height = self.body.sizes()[1]

    def _on_files_shown(self, count: int) -> None:
        """A compact strip takes only its buttons' height while the record has no files."""
        if not self.compact_files:
            return
        slot = self.attachments_slot
        if count:
            slot.setMaximumHeight(_NO_MAXIMUM)
            self.body.setSizes([max(1, self.body.height() - self.files_height), self.files_height])
        else:
            slot.setMaximumHeight(slot.minimumSizeHint().height())

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._split_text_and_files()

    def _make_attachments_panel(self) -> QWidget | None:
        # Imported here: the panel brings image and PDF support the start-up path does not need.
        try:
            from desktop.ui.attachments_panel import AttachmentsPanel  # type: ignore[import-not-found, unused-ignore]
        except ImportError:
            logger.debug("no attachments panel yet")
            return None
        panel: QWidget = AttachmentsPanel(self.tasks, self.attachments_slot)
        panel.set_session(self.session)  # type: ignore[attr-defined]
        panel.files_shown.connect(self._on_files_shown)  # type: ignore[attr-defined]
        if self.compact_files:
            panel.set_compact(True)  # type: ignore[attr-defined]
        layout = self.attachments_slot.layout()
        assert layout is not None
        layout.addWidget(panel)
        self.attachments_panel = panel
        return panel

    # -- events ------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._render()
        super().changeEvent(event)

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == RECORD_SCHEME:
            self.open_record(url.path())
        elif url.scheme() == TERM_SCHEME:
            if self.terms_in_vocabulary:
                self.term_requested.emit(url.path())
            else:
                self.open_record(url.path())
        elif url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)
