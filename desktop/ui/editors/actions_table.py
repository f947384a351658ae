"""The follow-up actions of a site visit: a table of action, owner, due date and done.

Each cell edit, tick, added row and removed row reports the whole new list, so
each becomes one undo command. Values are ``{action, owner, due, done}`` dicts.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.ui.editors.widgets import FieldWidget

ACTION, OWNER, DUE, DONE = range(4)


def empty_action() -> dict[str, Any]:
    """A new follow-up row."""
    return {"action": "", "owner": "", "due": "", "done": False}


class _DueDateDelegate(QStyledItemDelegate):
    """Edits a due date with a calendar popup."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        editor = QDateEdit(parent)
        editor.setCalendarPopup(True)
        editor.setDisplayFormat("yyyy-MM-dd")
        editor.setAccessibleName(self.tr("Due date"))
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QDateEdit)
        date = QDate.fromString(str(index.data() or "")[:10], Qt.DateFormat.ISODate)
        editor.setDate(date if date.isValid() else QDate.currentDate())

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        assert isinstance(editor, QDateEdit)
        model.setData(index, editor.date().toString(Qt.DateFormat.ISODate))


class FollowUpsField(FieldWidget):
    """Follow-up actions with owner, due date and done state; rows can be added and removed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: tuple[dict[str, Any], ...] = ()
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Action"), self.tr("Owner"), self.tr("Due"), self.tr("Done")]
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ACTION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DONE, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(OWNER, 190)  # a full name, not "Sipho Vermaak-..."
        self.table.setColumnWidth(DUE, 100)
        self.table.setWordWrap(False)
        self.table.setItemDelegateForColumn(DUE, _DueDateDelegate(self.table))
        self.add_button = QPushButton(self.tr("Add an action"), self)
        self.add_button.setAccessibleName(self.tr("Add a follow-up action"))
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setAccessibleName(self.tr("Remove the selected follow-up actions"))
        self.remove_button.setEnabled(False)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 0, 0, 3, 1)
        layout.addWidget(self.add_button, 0, 1)
        layout.addWidget(self.remove_button, 1, 1)
        layout.setRowStretch(2, 1)
        self._setting = False
        self.table.itemChanged.connect(self._on_item_changed)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(bool(self.table.selectedItems()))
        )

    def set_accessible_name(self, name: str) -> None:
        self.table.setAccessibleName(name)

    def focus_target(self) -> QWidget:
        return self.table

    def value(self) -> Any:
        return self.rows

    def set_value(self, value: Any) -> None:
        self.rows = tuple(dict(row) for row in (value or ()) if isinstance(row, dict))
        self._setting = True
        try:
            self.table.setRowCount(len(self.rows))
            for number, row in enumerate(self.rows):
                for column, key in ((ACTION, "action"), (OWNER, "owner"), (DUE, "due")):
                    self._show_text(number, column, str(row.get(key) or ""))
                self._show_done(number, bool(row.get("done")))
        finally:
            self._setting = False
        self._fit_height()

    def _fit_height(self) -> None:
        """Tall enough for its rows and one more (three at least, ten before it scrolls)."""
        rows = max(3, min(10, len(self.rows) + 1))
        row_height = self.table.verticalHeader().defaultSectionSize()
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(header + rows * row_height + 2 * self.table.frameWidth() + 2)

    # Cells are updated in place, never replaced: set_value runs inside itemChanged of the edited cell.
    def _show_text(self, row: int, column: int, text: str) -> None:
        item = self.table.item(row, column)
        if item is None:
            self.table.setItem(row, column, QTableWidgetItem(text))
        elif item.text() != text:
            item.setText(text)

    def _show_done(self, row: int, done: bool) -> None:
        item = self.table.item(row, DONE)
        if item is None:
            item = QTableWidgetItem()
            item.setFlags(
                Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            )
            item.setData(Qt.ItemDataRole.AccessibleTextRole, self.tr("Done"))
            self.table.setItem(row, DONE, item)
        state = Qt.CheckState.Checked if done else Qt.CheckState.Unchecked
        if item.checkState() != state:
            item.setCheckState(state)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._setting or item.row() >= len(self.rows):
            return
        rows = [dict(row) for row in self.rows]
        row = rows[item.row()]
        if item.column() == DONE:
            row["done"] = item.checkState() == Qt.CheckState.Checked
        else:
            row[("action", "owner", "due")[item.column()]] = item.text().strip()
        if tuple(rows) != self.rows:
            self.edited.emit(tuple(rows), False)

    def set_cell(self, row: int, column: int, value: Any) -> None:
        """Change one cell as a person would (used by keyboard-free tests and scripts)."""
        item = self.table.item(row, column)
        if item is None:
            raise IndexError(f"no follow-up cell at row {row}, column {column}")
        if column == DONE:
            item.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
        else:
            item.setText(str(value))

    def add_row(self) -> None:
        """Add an empty action at the end and start editing it."""
        self.edited.emit((*self.rows, empty_action()), False)
        self.table.setCurrentCell(len(self.rows) - 1, ACTION)
        item = self.table.item(len(self.rows) - 1, ACTION)
        if item is not None:
            self.table.editItem(item)

    def remove_selected(self) -> None:
        """Remove the rows with a selected cell."""
        chosen = {index.row() for index in self.table.selectedIndexes()}
        if chosen:
            self.edited.emit(tuple(row for i, row in enumerate(self.rows) if i not in chosen), False)
