"""The Search page: facets, results as you type, and the chosen record or "who knows about this?".

The search box itself lives in the window's top bar (so Ctrl+K and typing work from
any page); this page shows what it finds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtWidgets import QLineEdit, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from desktop.ui.detail_view import DetailView
from desktop.ui.experts_view import ExpertsView
from desktop.ui.search_panel import SearchPanel
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.session import Session


class SearchPage(QWidget):
    """Facets | results | the record (or the experts on the topic)."""

    history_changed = Signal(bool)

    def __init__(
        self, tasks: TaskManager, query_edit: QLineEdit | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.nav_key = "search"
        self.search = SearchPanel(tasks, query_edit)
        self.detail = DetailView(tasks)
        self.experts = ExpertsView(tasks)
        self.right = QStackedWidget()
        self.right.addWidget(self.detail)
        self.right.addWidget(self.experts)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.search.facets)
        self.splitter.addWidget(self.search)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([230, 430, 560])
        self.search.facets.setMinimumWidth(180)
        self.search.setMinimumWidth(280)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.search.record_selected.connect(self.show_record)
        self.search.record_activated.connect(self._on_record_activated)
        self.experts.record_requested.connect(self.open_record)
        self.detail.history_changed.connect(lambda _can: self.history_changed.emit(self.can_go_back))

    def set_session(self, session: Session | None) -> None:
        """Search and read this session."""
        for part in (self.search, self.detail, self.experts):
            part.set_session(session)

    def refresh(self) -> None:
        """Records changed: run the query again and re-read the record shown."""
        if self.search.query_edit.text().strip():
            self.search.run_now()
        self.detail.reload()

    def activate(self) -> None:
        """The page is shown (nothing to catch up: searches are always fresh)."""

    def show_record(self, record_id: str) -> None:
        """Show a search result, starting a new Back trail."""
        self.right.setCurrentWidget(self.detail)
        self.detail.open_record(record_id, new_trail=True)
        self.history_changed.emit(self.can_go_back)

    def open_record(self, record_id: str) -> None:
        """Show a record in the detail pane, keeping the Back trail."""
        self.right.setCurrentWidget(self.detail)
        self.detail.open_record(record_id)

    def _on_record_activated(self, record_id: str) -> None:
        self.show_record(record_id)
        self.detail.browser.setFocus(Qt.FocusReason.OtherFocusReason)

    def find_experts(self, topic: str) -> None:
        """Who knows about ``topic``? (shown where the record was)."""
        self.right.setCurrentWidget(self.experts)
        self.experts.find_experts(topic)
        self.history_changed.emit(True)

    @property
    def can_go_back(self) -> bool:
        """True when Back has somewhere to go."""
        return self.right.currentWidget() is self.experts or self.detail.can_go_back

    def go_back(self) -> None:
        """Back to the previous record (or from the experts list to the record)."""
        if self.right.currentWidget() is self.experts:
            self.right.setCurrentWidget(self.detail)
            self.history_changed.emit(self.can_go_back)
            return
        self.detail.back()

    def save_state(self, settings: QSettings) -> None:
        """Remember the splitter."""
        settings.setValue("main_window/splitter", self.splitter.saveState())

    def restore_state(self, settings: QSettings) -> None:
        """Put the splitter back."""
        state = settings.value("main_window/splitter")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)
