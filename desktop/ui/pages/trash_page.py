"""The Trash page: deleted records, restored with a click (as Joplin and Zotero keep a trash)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.ui.tasks import TaskManager
from desktop.ui.trash_view import TrashView

if TYPE_CHECKING:
    from desktop.session import Session


class TrashPage(QWidget):
    """A heading over a :class:`TrashView`; reads the trash when shown after records changed."""

    history_changed = Signal(bool)
    records_changed = Signal(object)  # None: a record came back (lists and search refresh)

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.nav_key = "trash"
        self.stale = True
        self.heading = QLabel(self.tr("Trash"))
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.view = TrashView(tasks, self)
        self.view.record_restored.connect(self._on_record_restored)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)

    def _on_record_restored(self, _record_id: str) -> None:
        self.records_changed.emit(None)

    def set_session(self, session: Session | None) -> None:
        """Show this session's trash (read when the page is shown)."""
        self.view.session = session
        self.stale = True

    def activate(self) -> None:
        """Shown: read the trash if records changed since."""
        if self.stale:
            self.refresh()

    def refresh(self) -> None:
        """Read the deleted records again."""
        self.stale = False
        self.view.refresh()

    @property
    def can_go_back(self) -> bool:
        """The trash has no trail of its own."""
        return False

    def go_back(self) -> None:
        """Nothing to go back to."""

    def save_state(self, settings: QSettings) -> None:
        """The table's column widths."""
        settings.setValue("trash/columns", self.view.table.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings) -> None:
        """Put back what :meth:`save_state` saved."""
        state = settings.value("trash/columns")
        if state is not None:
            self.view.table.horizontalHeader().restoreState(state)
