"""A record on a page of its own, opened from Home or with Enter in a list; Back returns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from desktop.ui.detail_view import DetailView
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.session import Session

#: The widest the record's column gets, in pixels.
READING_WIDTH = 980


class RecordPage(QWidget):
    """One DetailView across the page. ``return_to`` is the page Back goes to at the trail's start."""

    history_changed = Signal(bool)
    leave_requested = Signal(object)  # the page to go back to

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.nav_key = "record"
        self.return_to: QWidget | None = None
        self.detail = DetailView(tasks, placeholder=self.tr("No record is open."))
        # A reading column: lines much wider than this are hard to follow.
        self.detail.setMaximumWidth(READING_WIDTH)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        layout.addWidget(self.detail, 100)
        layout.addStretch(1)
        self.detail.history_changed.connect(lambda _can: self.history_changed.emit(self.can_go_back))

    def set_session(self, session: Session | None) -> None:
        """Read records from this session."""
        self.detail.set_session(session)

    def open_record(self, record_id: str, return_to: QWidget | None) -> None:
        """Show a record with a fresh trail; Back at its start goes to ``return_to``."""
        self.return_to = return_to
        self.detail.open_record(record_id, new_trail=True)

    def refresh(self) -> None:
        """Records changed: read the record again."""
        self.detail.reload()

    def activate(self) -> None:
        """Shown: nothing to catch up."""

    @property
    def can_go_back(self) -> bool:
        """Always: to the previous record, else to the page the record was opened from."""
        return self.detail.can_go_back or self.return_to is not None

    def go_back(self) -> None:
        """The previous record on the trail, or the page this one was opened from."""
        if self.detail.can_go_back:
            self.detail.back()
        elif self.return_to is not None:
            self.leave_requested.emit(self.return_to)

    def save_state(self, settings: QSettings) -> None:
        """Nothing to remember."""

    def restore_state(self, settings: QSettings) -> None:
        """Nothing to restore."""
