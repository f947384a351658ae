"""The Experts page: find an expert for a topic, the expert directory, and requests for help."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTabWidget, QWidget

from desktop.ui.expert_finder import ExpertFinderPanel
from desktop.ui.pages.record_list import ListSpec, RecordListPage
from desktop.ui.request_dialog import RequestDialog
from desktop.ui.requests_view import RequestsView
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.expert_service import RequestsOverview
    from desktop.search import ExpertMatch
    from desktop.session import Session


class ExpertsPage(RecordListPage):
    """Three tabs: the expert finder (first), the directory of profiles, and requests for help."""

    def __init__(self, tasks: TaskManager, spec: ListSpec, parent: QWidget | None = None):
        super().__init__(tasks, spec, parent)
        self.finder_panel = ExpertFinderPanel(tasks)
        self.finder = self.finder_panel.results
        self.requests = RequestsView(tasks)
        self.request_dialog: RequestDialog | None = None
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        layout = self.layout()
        assert layout is not None
        layout.removeWidget(self.splitter)
        self.tabs.addTab(self.finder_panel, self.tr("Find an expert"))
        self.tabs.addTab(self.splitter, self.tr("Directory"))
        self.tabs.addTab(self.requests, self.tr("Requests"))
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(lambda _index: self._on_tab_changed())
        self.finder_panel.ask_requested.connect(lambda expert: self.open_request_dialog(expert, "question"))
        self.finder_panel.help_requested.connect(self.open_request_dialog)
        self.requests.record_requested.connect(self.record_opened)
        self.requests.records_changed.connect(self.records_changed)
        self.requests.overview_shown.connect(self._on_overview_shown)
        self.finder_panel.detail.history_changed.connect(
            lambda _can: self.history_changed.emit(self.can_go_back)
        )
        self._on_tab_changed()

    def set_session(self, session: Session | None) -> None:
        """List and ask this session."""
        super().set_session(session)
        self.finder_panel.set_session(session)
        self.requests.set_session(session)

    def activate(self) -> None:
        """Shown: the filter choices and the requests are read (off the GUI thread)."""
        super().activate()
        self.finder_panel.load_choices()
        self.requests.refresh()

    def refresh(self) -> None:
        """Records changed (a sync, an edit): read the list and the requests again."""
        super().refresh()
        self.requests.refresh()

    def select_row(self, row: int) -> None:
        """Select a row of the directory (showing it)."""
        self.tabs.setCurrentWidget(self.splitter)
        super().select_row(row)

    def find_experts(self, topic: str) -> None:
        """Show who knows about ``topic`` on the finder tab."""
        topic = topic.strip()
        if not topic or self.session is None:
            return
        self.tabs.setCurrentWidget(self.finder_panel)
        self.finder_panel.find_people(topic)

    def show_requests(self) -> None:
        """Show the requests tab."""
        self.tabs.setCurrentWidget(self.requests)
        self.requests.refresh()

    def open_request_dialog(self, expert: ExpertMatch, request_type: str) -> RequestDialog | None:
        """Ask ``expert`` a question (``request_type`` "question") or for help."""
        session = self.session
        if session is None:
            return None
        dialog = RequestDialog(self.tasks, session, expert, request_type, self)
        dialog.sent.connect(lambda _record: self._on_request_sent())
        dialog.finished.connect(lambda _result: self._on_dialog_finished(dialog))
        self.request_dialog = dialog
        dialog.open()
        return dialog

    def _on_dialog_finished(self, dialog: RequestDialog) -> None:
        if self.request_dialog is dialog:
            self.request_dialog = None
        dialog.deleteLater()

    def _on_request_sent(self) -> None:
        self.records_changed.emit(None)
        self.requests.refresh()

    def _on_overview_shown(self, overview: RequestsOverview) -> None:
        index = self.tabs.indexOf(self.requests)
        waiting = overview.waiting
        self.tabs.setTabText(
            index, self.tr("Requests ({n})").format(n=waiting) if waiting else self.tr("Requests")
        )

    def _on_tab_changed(self) -> None:
        directory = self.tabs.currentWidget() is self.splitter
        # The title filter and "mine only" narrow the directory; elsewhere they would say nothing.
        for widget in (
            self.filter_edit,
            self.mine_check,
            self.edit_button,
            self.delete_button,
            self.export_button,
        ):
            widget.setVisible(directory)
        if self.tabs.currentWidget() is self.finder_panel:
            self.finder_panel.topic_edit.setFocus()
        self.history_changed.emit(self.can_go_back)

    @property
    def can_go_back(self) -> bool:
        """Back goes somewhere in the directory, or in the finder's record."""
        if not hasattr(self, "tabs"):  # asked while the list page builds itself
            return super().can_go_back
        if self.tabs.currentWidget() is self.finder_panel:
            return self.finder_panel.detail.can_go_back
        return self.tabs.currentWidget() is self.splitter and super().can_go_back

    def go_back(self) -> None:
        """Back in the tab shown."""
        if self.tabs.currentWidget() is self.finder_panel:
            self.finder_panel.detail.back()
            self.history_changed.emit(self.can_go_back)
        elif self.tabs.currentWidget() is self.splitter:
            super().go_back()
