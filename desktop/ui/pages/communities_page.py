"""The Communities page: communities and questions in the list; beside it the community page or
the question's thread (the record view for anything else)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QPushButton, QWidget

from desktop.core.kinds import Kind
from desktop.ui.community_views import CommunityView, ThreadView
from desktop.ui.pages.record_list import ListSpec, RecordListPage
from desktop.ui.pages.record_model import RecordTableModel
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.session import Session
    from desktop.sync_service import SyncService
    from desktop.ui.community_dialogs import AskDialog, MembersDialog


class CommunitiesPage(RecordListPage):
    """A list of communities and questions; the selected one shown as a community page or a thread."""

    def __init__(self, tasks: TaskManager, spec: ListSpec, parent: QWidget | None = None):
        super().__init__(tasks, spec, parent)
        self.community_view = CommunityView(tasks, self._sync_service)
        self.thread_view = ThreadView(tasks)
        self.right.addWidget(self.community_view)
        self.right.addWidget(self.thread_view)
        self.ask_button = QPushButton(self.tr("Ask a question…"))
        self.ask_button.setAccessibleName(self.tr("Ask a question"))
        self.controls.insertWidget(4, self.ask_button)
        self.ask_dialog: AskDialog | None = None
        self.members_dialog: MembersDialog | None = None
        self._trail: list[tuple[str, str]] = []  # (view, id) shown beside the list, for Back
        self.ask_button.clicked.connect(lambda: self.ask(self.community_view.community_id))
        self.community_view.question_requested.connect(self.open_question)
        self.community_view.record_requested.connect(self.record_opened)
        self.community_view.manage_requested.connect(self.manage_members)
        self.thread_view.record_requested.connect(self._on_thread_record_requested)
        self.thread_view.changed.connect(self.records_changed)

    def shown_id(self) -> str:
        """The community or question shown beside the list, once it has loaded ("" before)."""
        shown = self.right.currentWidget()
        if shown is self.community_view and self.community_view.overview is not None:
            return self.community_view.overview.record.id
        if shown is self.thread_view and self.thread_view.current is not None:
            return self.thread_view.current.question.id
        return self.detail.record_id or ""

    def _sync_service(self) -> SyncService | None:
        sync_ui: Any = getattr(self.window(), "sync_ui", None)
        return sync_ui.controller.service if sync_ui is not None else None

    def set_session(self, session: Session | None) -> None:
        """List and show from this session."""
        super().set_session(session)
        self.community_view.set_session(session)
        self.thread_view.set_session(session)

    def refresh(self) -> None:
        """Records changed (a sync, an answer): the list and the view beside it."""
        super().refresh()
        shown = self.right.currentWidget()
        if shown is self.community_view:
            self.community_view.reload()
        elif shown is self.thread_view:
            self.thread_view.reload()

    def after_sync(self) -> None:
        """A sync finished: the community shown asks the server for its members again (a
        facilitator may have added or removed someone, or changed a role)."""
        if self.right.currentWidget() is self.community_view:
            self.community_view.refresh_from_server()

    def _on_current_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        record_id = current.data(RecordTableModel.IdRole) if current.isValid() else None
        summary = current.data(RecordTableModel.SummaryRole) if current.isValid() else None
        kind = summary.kind if summary is not None else None
        if record_id and kind is Kind.COMMUNITY:
            self._trail = []
            self.open_community(record_id)
            self._update_buttons()
        elif record_id and kind is Kind.QUESTION:
            self._trail = []
            self.open_question(record_id)
            self._update_buttons()
        else:
            super()._on_current_row_changed(current, previous)

    def _widen(self) -> None:
        """A community page or a thread reads better wide: give it most of the page once."""
        sizes = self.splitter.sizes()
        total = sum(sizes)
        if total and sizes[1] < total * 0.55:
            self.splitter.setSizes([total * 2 // 5, total - total * 2 // 5])

    def open_community(self, community_id: str) -> None:
        """Show a community's page beside the list."""
        self._widen()
        self._trail.append(("community", community_id))
        self.right.setCurrentWidget(self.community_view)
        self.community_view.open_community(community_id)
        self.history_changed.emit(self.can_go_back)

    def open_question(self, question_id: str) -> None:
        """Show a question's thread beside the list (from a notification too)."""
        self._widen()
        self._trail.append(("question", question_id))
        self.right.setCurrentWidget(self.thread_view)
        self.thread_view.open_question(question_id)
        self.history_changed.emit(self.can_go_back)

    def _on_thread_record_requested(self, record_id: str) -> None:
        community = self.thread_view.current.community if self.thread_view.current is not None else None
        if community is not None and community.id == record_id:
            self.open_community(record_id)
        else:
            self.record_opened.emit(record_id)

    @property
    def can_go_back(self) -> bool:
        """Back returns along the communities and threads opened beside the list."""
        if self.right.currentWidget() in (self.community_view, self.thread_view):
            return len(self._trail) > 1
        return super().can_go_back

    def go_back(self) -> None:
        """The previous community or thread."""
        if self.right.currentWidget() in (self.community_view, self.thread_view) and len(self._trail) > 1:
            self._trail.pop()
            view, record_id = self._trail.pop()
            (self.open_community if view == "community" else self.open_question)(record_id)
            return
        super().go_back()

    def ask(self, community_id: str = "", expert_id: str = "", expert_name: str = "") -> AskDialog | None:
        """The ask dialog (in this community, or of a named expert)."""
        session = self.session
        if session is None:
            return None
        from desktop.ui.community_dialogs import AskDialog

        dialog = AskDialog(
            self.tasks, session, self, community_id=community_id, expert_id=expert_id, expert_name=expert_name
        )
        dialog.asked.connect(self._on_asked)
        self.ask_dialog = dialog
        dialog.open()
        return dialog

    def _on_asked(self, question: Any) -> None:
        self.records_changed.emit(None)
        self.refresh()
        self.open_question(question.id)

    def manage_members(self, _community_id: str = "") -> MembersDialog:
        """The members dialog of the community shown."""
        from desktop.ui.community_dialogs import MembersDialog

        dialog = MembersDialog(self.community_view, self)
        self.members_dialog = dialog
        dialog.open()
        return dialog
