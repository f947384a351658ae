"""Sync conflicts side by side: your version and the server's, field by field; keep one, or pick per field.

While a conflict is open the server's version is the current one and yours waits here
(nothing is lost either way). "Keep mine" makes your version current again and sends it
at the next sync; "Keep theirs" closes the conflict; "Keep the choices" takes, for each
conflicting field, the side chosen in the table. Reads and writes run off the GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.kinds import field_spec
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.core.records import Record
    from desktop.store.sync_tables import ConflictRow
    from desktop.sync_service import SyncService

#: Characters of a value shown in a cell (the tooltip has it all).
CELL_CHARS = 600


def _value_text(record: Record | None, name: str) -> str:
    if record is None:
        return ""
    if name == "deleted":
        return "deleted" if record.deleted else "kept"
    value = record.fields.get(name.split(".")[0], "")
    return value if isinstance(value, str) else str(value)


def load_conflicts(service: SyncService) -> list[tuple[ConflictRow, Record | None]]:
    """Worker thread: each open conflict with the server's (current) version."""
    return [(c, service.session.store.get(c.record_id)) for c in service.conflicts()]


class ConflictsDialog(QDialog):
    """The open conflicts: a list on the left, the chosen one side by side on the right."""

    resolved = Signal(str)  # record id
    loaded = Signal()

    def __init__(self, tasks: TaskManager, service: SyncService, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.service = service
        self.items: list[tuple[ConflictRow, Record | None]] = []
        self.setWindowTitle(self.tr("Sync conflicts"))
        self.setAccessibleName(self.tr("Sync conflicts"))
        self.resize(1000, 620)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Records in conflict"))
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Field"), self.tr("Mine"), self.tr("Theirs"), self.tr("Keep")]
        )
        self.table.setAccessibleName(self.tr("The two versions, field by field"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.mine_button = QPushButton(self.tr("Keep &mine"))
        self.theirs_button = QPushButton(self.tr("Keep &theirs"))
        self.choices_button = QPushButton(self.tr("Keep the &choices"))
        for button, name in (
            (self.mine_button, self.tr("Keep my version")),
            (self.theirs_button, self.tr("Keep the server's version")),
            (self.choices_button, self.tr("Keep the side chosen for each field")),
        ):
            button.setAccessibleName(name)
        right = QWidget()
        column = QVBoxLayout(right)
        column.addWidget(self.heading)
        column.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in (self.mine_button, self.theirs_button, self.choices_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setSizes([280, 720])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        buttons.rejected.connect(self.reject)
        self.list.currentRowChanged.connect(self._show)
        self.mine_button.clicked.connect(lambda: self.resolve("mine"))
        self.theirs_button.clicked.connect(lambda: self.resolve("theirs"))
        self.choices_button.clicked.connect(lambda: self.resolve("choices"))
        self.reload()

    def reload(self) -> None:
        """Read the open conflicts again (off the GUI thread)."""
        self.tasks.read(lambda: load_conflicts(self.service), self._fill, description="read the conflicts")

    def _fill(self, items: list[tuple[ConflictRow, Record | None]]) -> None:
        self.items = items
        self.list.clear()
        for conflict, theirs in items:
            title = (theirs.title if theirs else "") or conflict.mine.title or self.tr("(untitled)")
            QListWidgetItem(title, self.list)
        has = bool(items)
        for button in (self.mine_button, self.theirs_button, self.choices_button):
            button.setEnabled(has)
        if has:
            self.list.setCurrentRow(0)
        else:
            self.heading.setText(self.tr("No conflicts: everything you changed reached the server."))
            self.table.setRowCount(0)
        self.loaded.emit()

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.items):
            return
        conflict, theirs = self.items[row]
        earlier = len(conflict.earlier)
        note = self.tr(" It clashed {n} more time(s) before; those versions are kept too.").format(n=earlier)
        self.heading.setText(
            self.tr("Changed here and on the server since the last sync ({since}).").format(
                since=conflict.created_at
            )
            + (note if earlier else "")
        )
        fields = list(conflict.fields)
        self.table.setRowCount(len(fields))
        for index, name in enumerate(fields):
            spec = field_spec(conflict.mine.kind, name.split(".")[0])
            label = spec.label if spec is not None else name
            mine, other = _value_text(conflict.mine, name), _value_text(theirs, name)
            for column, text in ((0, label), (1, mine), (2, other)):
                cell = QTableWidgetItem(text[:CELL_CHARS] + ("…" if len(text) > CELL_CHARS else ""))
                cell.setToolTip(text[:5000])
                self.table.setItem(index, column, cell)
            choice = QComboBox()
            choice.addItems([self.tr("Mine"), self.tr("Theirs")])
            choice.setAccessibleName(self.tr("Which side to keep for {field}").format(field=label))
            self.table.setCellWidget(index, 3, choice)
        self.table.resizeRowsToContents()

    def _chosen_record(self, conflict: ConflictRow, theirs: Record | None) -> Record | None:
        """The server's version with the fields marked "Mine" taken from my side."""
        if theirs is None:
            return None
        values: dict[str, Any] = {}
        for index, name in enumerate(conflict.fields):
            widget = self.table.cellWidget(index, 3)
            if isinstance(widget, QComboBox) and widget.currentIndex() == 0 and name != "deleted":
                top = name.split(".")[0]
                values[top] = conflict.mine.fields.get(top)
        return theirs.with_fields(**values)

    def resolve(self, how: str) -> None:
        """Close the chosen conflict ("mine", "theirs" or "choices"), on the write lane."""
        row = self.list.currentRow()
        if not 0 <= row < len(self.items):
            return
        conflict, theirs = self.items[row]
        record_id = conflict.record_id
        replica = self.service.replica
        if how == "choices":
            edited = self._chosen_record(conflict, theirs)
            work: Any = lambda: replica.resolve(record_id, "mine", edited)  # noqa: E731
        else:
            work = lambda: replica.resolve(record_id, how)  # noqa: E731

        def done(_changes: object) -> None:
            self.resolved.emit(record_id)
            self.reload()

        self.tasks.write(work, done, description="resolve a conflict")
