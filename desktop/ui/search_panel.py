"""The global search: a box with results as you type, facet filters and "Did you mean".

Typing restarts a short debounce; the query then runs on a reader thread. Each
query carries a generation number and only the latest one's answer is shown, so a
slow early answer never overwrites a newer one.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from desktop.ui.facet_panel import FacetPanel
from desktop.ui.models import HitDelegate, HitListModel
from desktop.ui.search_box import make_search_box
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:  # Whoosh and SQLAlchemy load with the profile, after the window shows
    from desktop.search import Hit, SearchResult
    from desktop.session import Session

logger = logging.getLogger(__name__)

DEBOUNCE_MS = 150
#: A full-text answer left on screen this long is a settled search (recorded for the dashboard);
#: Enter, or opening a result, settles it at once. Keystrokes in between are never recorded.
SETTLE_MS = 2_000
FULL_TEXT_FROM = 3
RESULT_LIMIT = 50


@dataclass(frozen=True)
class Answer:
    """What one query returned: hits, and for full-text queries the facets, total and suggestion."""

    text: str
    hits: list[Hit]
    full_text: bool
    total: int = 0
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None


def run_query(session: Session, text: str, filters: dict[str, list[str]]) -> Answer:
    """The query for ``text`` (worker thread): titles while short, full text with facets from 3 characters."""
    if len(text) < FULL_TEXT_FROM:
        hits = session.as_you_type(text, limit=RESULT_LIMIT)
        return Answer(text, hits, full_text=False, total=len(hits))
    result: SearchResult = session.search(text, filters=filters, limit=RESULT_LIMIT)
    facets = dict(result.facets)
    # A facet with checked values is counted without its own filter, so its other values stay
    # visible and can be added (same facet ORs); other facets' filters still apply.
    for facet in filters:
        others = {name: values for name, values in filters.items() if name != facet}
        facets[facet] = session.search(text, filters=others, limit=1).facets.get(facet, [])
    return Answer(text, result.hits, True, result.total, facets, result.suggestion)


class SearchPanel(QWidget):
    """The search box (placed by the window), the result list and the facet panel it drives."""

    record_selected = Signal(str)  # current hit changed: preview it
    record_activated = Signal(str)  # Enter or double-click: open it
    answered = Signal(object)  # an Answer was shown

    def __init__(
        self, tasks: TaskManager, query_edit: QLineEdit | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.tasks = tasks
        self.session: Session | None = None
        self.generation = 0
        self.last_answer: Answer | None = None

        # The window makes the box before this panel exists (it is on screen from the start).
        self.query_edit = query_edit if query_edit is not None else make_search_box()
        self.query_edit.textChanged.connect(self._on_text_changed)
        self.query_edit.returnPressed.connect(self._on_return_pressed)
        self.query_edit.installEventFilter(self)

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.run_now)
        self.settle = QTimer(self)
        self.settle.setSingleShot(True)
        self.settle.setInterval(SETTLE_MS)
        self.settle.timeout.connect(self.settle_now)
        self._submitted = False

        self.facets = FacetPanel()
        self.facets.filters_changed.connect(self._on_filters_changed)

        self.status_label = QLabel(self)
        self.status_label.setAccessibleName(self.tr("Search status"))
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.RichText)
        self.status_label.linkActivated.connect(self._on_status_link)
        self.suggestion_label = QLabel(self)
        self.suggestion_label.setAccessibleName(self.tr("Did you mean"))
        self.suggestion_label.setTextFormat(Qt.TextFormat.RichText)
        self.suggestion_label.linkActivated.connect(self._on_suggestion_clicked)
        self.suggestion_label.hide()

        self.model = HitListModel(self)
        self.results = QListView(self)
        self.results.setModel(self.model)
        self.results.setItemDelegate(HitDelegate(self.results))
        self.results.setAccessibleName(self.tr("Search results"))
        self.results.setUniformItemSizes(False)
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.results.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.results.activated.connect(self._on_activated)
        self.results.selectionModel().currentChanged.connect(self._on_current_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status_label)
        layout.addWidget(self.suggestion_label)
        layout.addWidget(self.results, 1)
        self._show_status(self.tr("Type to search."))
        if self.query_edit.text().strip():  # typed before the panel was built
            self.debounce.start()

    # -- wiring ------------------------------------------------------------------

    def set_session(self, session: Session | None) -> None:
        """Search this session from now on (None while the profile is opening)."""
        self.session = session
        if session is not None and self.query_edit.text().strip():
            self.run_now()

    def focus_search(self) -> None:
        """Ctrl+K: put the cursor in the box with its text selected."""
        self.query_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query_edit.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.query_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down and self.model.rowCount() > 0:
                self.results.setFocus(Qt.FocusReason.TabFocusReason)
                self.results.setCurrentIndex(self.model.index(0, 0))
                return True
        return super().eventFilter(watched, event)

    # -- querying ------------------------------------------------------------------

    def _on_text_changed(self, _text: str) -> None:
        self.debounce.start()

    def _on_return_pressed(self) -> None:
        self.debounce.stop()
        self._submitted = True
        self.run_now()

    def settle_now(self) -> None:
        """Record the full-text search on screen as a use (a repeat within a while is dropped)."""
        self.settle.stop()
        answer, session = self.last_answer, self.session
        if answer is None or session is None or not answer.full_text or not answer.text:
            return
        from desktop.ui.usage_recorder import recorder_for

        recorder_for(self.tasks, session).searched(answer.text, answer.total)

    def _on_filters_changed(self, _filters: dict[str, list[str]]) -> None:
        self.debounce.stop()
        self.run_now()

    def _on_status_link(self, link: str) -> None:
        if link == "#clear-filters":
            self.clear_filters()

    def clear_filters(self) -> None:
        """Uncheck every facet value and search again."""
        self.facets.clear_filters()
        self.debounce.stop()
        self.run_now()

    def _on_suggestion_clicked(self, _link: str) -> None:
        if self.last_answer and self.last_answer.suggestion:
            self.query_edit.setText(self.last_answer.suggestion)
            self.debounce.stop()
            self.run_now()

    def run_now(self) -> None:
        """Run the query in the box now; any answer still on its way becomes stale."""
        self.generation += 1
        generation = self.generation
        text = self.query_edit.text().strip()
        if not text:
            self.facets.clear_filters()
            self._show(Answer("", [], full_text=False))
            self._show_status(self.tr("Type to search."))
            return
        session = self.session
        if session is None:
            self._show_status(self.tr("Opening the profile…"))
            return
        filters = self.facets.filters if len(text) >= FULL_TEXT_FROM else {}

        def done(answer: Answer) -> None:
            if generation == self.generation:
                self._show(answer)
            else:
                logger.debug("dropped a stale answer for %r", answer.text)

        def failed(error: BaseException) -> None:
            if generation == self.generation:
                self._show(Answer(text, [], full_text=False))
                self._show_status(html.escape(self.tr("Search failed: {error}").format(error=error)))
                logger.warning("search for %r failed: %s", text, error)

        self.tasks.read(lambda: run_query(session, text, filters), done, failed, description="search")

    def _show(self, answer: Answer) -> None:
        self.last_answer = answer
        if answer.full_text and answer.text:
            if self._submitted:
                self.settle_now()
            else:
                self.settle.start()
        else:
            self.settle.stop()
        self._submitted = False
        self.model.set_hits(answer.hits)
        if answer.full_text:
            self.facets.set_facets(answer.facets)
        if not answer.text:
            self.facets.set_facets({})
        if answer.suggestion:
            self.suggestion_label.setText(
                self.tr("Did you mean <a href='#suggestion'>{suggestion}</a>?").format(
                    suggestion=html.escape(answer.suggestion)
                )
            )
            self.suggestion_label.show()
        else:
            self.suggestion_label.hide()
        if answer.text:
            if answer.full_text:
                status = self.tr("{count} results for “{text}”").format(count=answer.total, text=answer.text)
            else:
                status = self.tr("{count} matching titles; type more for full text").format(
                    count=len(answer.hits)
                )
            if not answer.hits:
                status = self.tr("Nothing found for “{text}”.").format(text=answer.text)
            status = html.escape(status)
            if answer.full_text and self.facets.filters:
                status += " " + self.tr("(filtered: <a href='#clear-filters'>clear filters</a>)")
            self._show_status(status)
        self.answered.emit(answer)

    def _show_status(self, text: str) -> None:
        """Show a status line (rich text: callers escape what they put in)."""
        self.status_label.setText(text)

    # -- results ---------------------------------------------------------------------

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record_id = current.data(HitListModel.IdRole) if current.isValid() else None
        if record_id:
            if self.settle.isActive():
                self.settle_now()
            self.record_selected.emit(record_id)

    def _on_activated(self, index: QModelIndex) -> None:
        record_id = index.data(HitListModel.IdRole)
        if record_id:
            if self.settle.isActive():
                self.settle_now()
            self.record_activated.emit(record_id)
