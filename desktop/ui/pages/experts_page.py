"""The Experts page: the expert directory, and "Who knows about…?" for any topic."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from desktop.ui.experts_view import ExpertsView
from desktop.ui.pages.record_list import ListSpec, RecordListPage
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.session import Session


class ExpertsPage(RecordListPage):
    """A list of experts; a topic box shows who knows about it where the profile would be."""

    def __init__(self, tasks: TaskManager, spec: ListSpec, parent: QWidget | None = None):
        super().__init__(tasks, spec, parent)
        self.finder = ExpertsView(tasks)
        self.right.addWidget(self.finder)
        self.topic_label = QLabel(self.tr("Who knows about:"))
        self.topic_edit = QLineEdit()
        self.topic_edit.setPlaceholderText(self.tr("a topic, then Enter"))
        self.topic_edit.setAccessibleName(self.tr("Who knows about this topic?"))
        self.topic_edit.setClearButtonEnabled(True)
        self.topic_edit.setMinimumWidth(160)
        self.topic_edit.setMaximumWidth(260)
        self.topic_label.setBuddy(self.topic_edit)
        self.controls.insertSpacing(4, 12)
        self.controls.insertWidget(5, self.topic_label)
        self.controls.insertWidget(6, self.topic_edit, 1)
        self.topic_edit.returnPressed.connect(lambda: self.find_experts(self.topic_edit.text()))
        self.finder.record_requested.connect(self._on_finder_record_requested)

    def set_session(self, session: Session | None) -> None:
        """List and ask this session."""
        super().set_session(session)
        self.finder.set_session(session)

    def find_experts(self, topic: str) -> None:
        """Show who knows about ``topic`` beside the list."""
        topic = topic.strip()
        if not topic or self.session is None:
            return
        if self.topic_edit.text().strip() != topic:
            self.topic_edit.setText(topic)
        self.right.setCurrentWidget(self.finder)
        self.finder.find_experts(topic)
        self.history_changed.emit(True)

    def _on_finder_record_requested(self, record_id: str) -> None:
        self.right.setCurrentWidget(self.detail)
        self.detail.open_record(record_id)
        self.history_changed.emit(self.can_go_back)
