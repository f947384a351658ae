"""The Duplicates page's list of records said not to be duplicates, with "Propose again".

The page reads the list and does the writes; this panel shows it and says which pairs the user
wants proposed again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
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

from desktop.ui.models import muted_colour

if TYPE_CHECKING:
    from desktop.core.dismissals import DismissedPair, Pair


class DismissalsPanel(QWidget):
    """Pairs said not to be duplicates, newest last; "Propose again" takes the word back."""

    restore_requested = Signal(list)  # the chosen pairs (lower id first)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.items: list[DismissedPair] = []
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {muted_colour(self.palette())}")
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Record"), self.tr("Is not a duplicate of"), self.tr("Said by")]
        )
        self.table.setAccessibleName(self.tr("Records said not to be duplicates"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.restore_button = QPushButton(self.tr("&Propose again"), self)
        self.restore_button.setAccessibleName(
            self.tr("Propose the chosen records as likely duplicates again")
        )
        self.restore_button.setToolTip(
            self.tr("Take back “not duplicates”: the chosen records are proposed as likely duplicates again")
        )
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        head = QHBoxLayout()
        head.addWidget(self.note, 1)
        head.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.table, 1)
        self.fill([])

    def fill(self, items: list[DismissedPair]) -> None:
        """Show ``items`` (the chosen rows are kept when they are still listed)."""
        chosen = set(self.selected_pairs())
        self.items = list(items)
        self.table.setRowCount(len(self.items))
        untitled = self.tr("(untitled)")
        for row, item in enumerate(self.items):
            cells = (
                QTableWidgetItem(_titled(item.first_title or untitled, item.first_detail)),
                QTableWidgetItem(_titled(item.second_title or untitled, item.second_detail)),
                QTableWidgetItem(item.note),
            )
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, cell)
        self.select_rows([row for row, item in enumerate(self.items) if item.pair in chosen])
        self.note.setText(
            self.tr(
                "Records a librarian said are not duplicates are not proposed together again; the word is "
                "kept on the records and shared at the next sync."
            )
            if self.items
            else self.tr(
                "No records were said not to be duplicates. “Not duplicates” on a group puts it here."
            )
        )
        self._on_selection_changed()

    def selected_pairs(self) -> list[Pair]:
        """The pairs of the chosen rows."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.items[row].pair for row in rows if row < len(self.items)]

    def select_rows(self, rows: list[int]) -> None:
        """Choose these rows (as clicks with Ctrl do)."""
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for row in rows:
            self.table.selectRow(row)
        self.table.setSelectionMode(mode)

    def set_busy(self, busy: bool) -> None:
        """No second write while one runs."""
        self.restore_button.setEnabled(not busy and bool(self.selected_pairs()))

    def _on_selection_changed(self) -> None:
        self.restore_button.setEnabled(bool(self.selected_pairs()))

    def _on_restore_clicked(self) -> None:
        pairs = self.selected_pairs()
        if pairs:
            self.restore_requested.emit(pairs)


def _titled(title: str, detail: str) -> str:
    """A title with what tells it apart from a same-titled record ("news, 2019-12-19")."""
    return f"{title} ({detail})" if detail else title
