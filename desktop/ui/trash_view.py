"""The trash: deleted records, each restorable (as a new version, searchable again)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.models import kind_label
from desktop.ui.moments import moment_cell
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:  # SQLAlchemy and Whoosh load with the profile, after the window shows
    from desktop.core.records import Record
    from desktop.session import Session


class TrashView(QWidget):
    """A table of deleted records (title, kind, deleted at) with a Restore button."""

    #: Emitted with the record id after a record came back from the trash.
    record_restored = Signal(str)
    #: Emitted each time the table has been (re)filled.
    refreshed = Signal()

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.session: Session | None = None
        self.records: list[Record] = []
        self._generation = 0

        self.heading = QLabel(self.tr("Deleted records can be restored from here."), self)
        self.heading.setAccessibleName(self.tr("Trash"))
        self.heading.setWordWrap(True)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("Title"), self.tr("Kind"), self.tr("Deleted")])
        self.table.setAccessibleName(self.tr("Deleted records"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.table.itemActivated.connect(lambda _item: self.restore_selected())

        self.restore_button = QPushButton(self.tr("&Restore"), self)
        self.restore_button.setAccessibleName(self.tr("Restore the selected records"))
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)
        self.refresh_button = QPushButton(self.tr("Re&fresh"), self)
        self.refresh_button.setAccessibleName(self.tr("Refresh the trash"))
        self.refresh_button.clicked.connect(self.refresh)

        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def set_session(self, session: Session | None) -> None:
        """Show this session's trash (refreshes)."""
        self.session = session
        self.refresh()

    def refresh(self) -> None:
        """Read the deleted records again (off the GUI thread)."""
        session = self.session
        if session is None:
            self._fill([])
            return
        self._generation += 1
        generation = self._generation

        def done(records: list[Record]) -> None:
            if generation == self._generation:
                self._fill(records)

        self.tasks.read(session.trash, done, description="read the trash")

    def _fill(self, records: list[Record]) -> None:
        self.records = list(records)
        self.table.setRowCount(len(self.records))
        for row, record in enumerate(self.records):
            title = QTableWidgetItem(record.title or self.tr("(untitled)"))
            title.setData(Qt.ItemDataRole.UserRole, record.id)
            deleted = QTableWidgetItem(moment_cell(record.updated_at))
            deleted.setData(Qt.ItemDataRole.ToolTipRole, record.updated_at)
            for column, item in enumerate((title, QTableWidgetItem(kind_label(record.kind)), deleted)):
                self.table.setItem(row, column, item)
        if self.records:
            count = len(self.records)
            text = (
                self.tr("1 deleted record; select it and press Restore.")
                if count == 1
                else self.tr("{n} deleted records; select them and press Restore.")
            )
            self.heading.setText(text.format(n=f"{count:,}"))
        else:
            self.heading.setText(self.tr("The trash is empty."))
        self._on_selection_changed()
        self.refreshed.emit()

    def selected_ids(self) -> list[str]:
        """Ids of the selected deleted records."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.records[row].id for row in rows if row < len(self.records)]

    def _on_selection_changed(self) -> None:
        self.restore_button.setEnabled(bool(self.selected_ids()))

    def restore_selected(self) -> None:
        """Bring the selected records back (on the write lane); each comes back searchable."""
        session = self.session
        ids = self.selected_ids()
        if session is None or not ids:
            return
        self.restore_button.setEnabled(False)
        for record_id in ids:
            self.tasks.write(
                partial(session.restore_from_trash, record_id),
                partial(self._on_restored, record_id),
                self._on_restore_failed,
                description="restore from the trash",
            )

    def _on_restored(self, record_id: str, _changes: object) -> None:
        self.record_restored.emit(record_id)
        self.refresh()

    def _on_restore_failed(self, error: BaseException) -> None:
        self.refresh()
        self.tasks.report_error("restore from the trash", error)
