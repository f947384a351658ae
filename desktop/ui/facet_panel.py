"""Facet filters: checkable values with counts, one group per facet (same facet OR, different AND)."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from desktop.ui.models import kind_label

FACET_ORDER = ("kind", "topic", "author", "organisation", "district", "community", "year")
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1
FACET_ROLE = Qt.ItemDataRole.UserRole + 2


class FacetPanel(QWidget):
    """Shows facet counts of the last full-text search; checking a value filters the next one."""

    filters_changed = Signal(dict)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._selected: dict[str, list[str]] = {}
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(2)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAccessibleName(self.tr("Filters"))
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemChanged.connect(self._on_item_changed)
        self.hint = QLabel(self.tr("Filters appear here once you search full text (three letters or more)."))
        self.hint.setWordWrap(True)
        self.hint.setEnabled(False)  # drawn in the palette's muted colour
        self.hint.setMargin(8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(self.tree, 1)

    def facet_title(self, facet: str) -> str:
        """The heading of a facet group."""
        titles = {
            "kind": self.tr("Kind"),
            "topic": self.tr("Topic"),
            "author": self.tr("Author"),
            "organisation": self.tr("Organisation"),
            "district": self.tr("District"),
            "community": self.tr("Community"),
            "year": self.tr("Year"),
        }
        return titles.get(facet, facet.title())

    @property
    def filters(self) -> dict[str, list[str]]:
        """The checked values per facet."""
        return {facet: list(values) for facet, values in self._selected.items() if values}

    def clear_filters(self) -> None:
        """Uncheck everything (without asking for a new search)."""
        self._selected = {}

    def set_facets(self, facets: dict[str, list[tuple[str, int]]]) -> None:
        """Show the counts of a search; checked values stay visible even when their count is 0."""
        blocker = QSignalBlocker(self.tree)
        expanded = {group.data(0, FACET_ROLE) for group in self._groups() if group.isExpanded()}
        first_fill = self.tree.topLevelItemCount() == 0
        self.tree.clear()
        names = [f for f in FACET_ORDER if f in facets] + [f for f in facets if f not in FACET_ORDER]
        for facet in names:
            counts = list(facets.get(facet) or [])
            shown = {value for value, _ in counts}
            counts += [(value, 0) for value in self._selected.get(facet, []) if value not in shown]
            if not counts:
                continue
            group = QTreeWidgetItem(self.tree, [self.facet_title(facet), ""])
            group.setData(0, FACET_ROLE, facet)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            for value, count in counts:
                label = kind_label(value) if facet == "kind" else value
                item = QTreeWidgetItem(group, [label, str(count)])
                item.setData(0, VALUE_ROLE, value)
                item.setData(0, FACET_ROLE, facet)
                item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                checked = value in self._selected.get(facet, [])
                item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                item.setToolTip(0, self.tr("{value}: {count} results").format(value=label, count=count))
            group.setExpanded(first_fill or facet in expanded or facet in self._selected)
        self.hint.setVisible(self.tree.topLevelItemCount() == 0)
        del blocker

    def check(self, facet: str, value: str, checked: bool = True) -> None:
        """Check or uncheck one value (as a click would), which asks for a new search."""
        for group in self._groups():
            for j in range(group.childCount()):
                item = group.child(j)
                if (
                    item is not None
                    and item.data(0, FACET_ROLE) == facet
                    and item.data(0, VALUE_ROLE) == value
                ):
                    item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                    return
        raise KeyError(f"{facet}={value} is not shown")

    def _groups(self) -> list[QTreeWidgetItem]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in items if item is not None]

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        facet = item.data(0, FACET_ROLE)
        value = item.data(0, VALUE_ROLE)
        if column != 0 or value is None:
            return
        values = self._selected.setdefault(facet, [])
        if item.checkState(0) == Qt.CheckState.Checked and value not in values:
            values.append(value)
        elif item.checkState(0) != Qt.CheckState.Checked and value in values:
            values.remove(value)
        self.filters_changed.emit(self.filters)
