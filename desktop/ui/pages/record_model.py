"""A table model over one page of the store at a time, for record lists of any size.

Rows arrive 200 at a time as the view scrolls (``canFetchMore``/``fetchMore``), each
page read on a reader thread through the TaskManager; the GUI thread never waits
for the database and nothing loads every record. Sorting, the title filter and
"mine only" ask the store again. Each reload carries a generation number, so a
page that arrives after the list was re-sorted or filtered is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from desktop.core.kinds import Kind
from desktop.ui.models import kind_label
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:  # the session loads SQLAlchemy and Whoosh: after the window shows
    from desktop.core.editing import RecordSummary
    from desktop.session import Session

logger = logging.getLogger(__name__)

AnyIndex = QModelIndex | QPersistentModelIndex

#: Rows read per page.
PAGE_SIZE = 200
#: The columns, by the RecordSummary attribute they show.
COLUMNS = ("title", "kind", "status", "district", "date", "updated_at")
#: The store's sorts, by column; the other columns do not sort (the store has no index for them).
SORT_BY_COLUMN = {0: "title", 1: "kind", 2: "status", 5: "updated"}
COLUMN_OF_SORT = {sort: column for column, sort in SORT_BY_COLUMN.items()}


class RecordTableModel(QAbstractTableModel):
    """Record summaries of some kinds, fetched a page at a time; ``IdRole`` gives the record id."""

    IdRole = Qt.ItemDataRole.UserRole + 1
    SummaryRole = Qt.ItemDataRole.UserRole + 2

    count_changed = Signal(int)  # how many records match the filters
    page_loaded = Signal(int)  # rows loaded so far, after each page
    reset_done = Signal()  # the first page after a reload is in

    def __init__(self, tasks: TaskManager, kinds: Sequence[Kind], parent: QObject | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.kinds = tuple(kinds)
        self.session: Session | None = None
        self.sort_key = "updated"
        self.descending = True
        self.text = ""
        self.mine = False
        self.total: int | None = None
        self._rows: list[RecordSummary] = []
        self._generation = 0
        self._fetching = False
        self._exhausted = True

    # -- what to show -------------------------------------------------------------------

    def set_session(self, session: Session | None, *, load: bool = True) -> None:
        """List from this session (None: empty); ``load=False`` waits for :meth:`refresh`."""
        self.session = session
        if load:
            self.refresh()

    def set_filter(self, text: str, mine: bool) -> None:
        """Keep titles containing ``text`` (and only the local user's records with ``mine``)."""
        text = text.strip()
        if (text, mine) != (self.text, self.mine):
            self.text, self.mine = text, mine
            self.refresh()

    def set_sort(self, sort_key: str, descending: bool) -> None:
        """Choose the order without reloading (used before the session is there)."""
        self.sort_key, self.descending = sort_key, descending

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Qt's sort: re-query in the store's order for that column (other columns are ignored)."""
        key = SORT_BY_COLUMN.get(column)
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self.sort_key, self.descending):
            self.set_sort(key, descending)
            self.refresh()

    def refresh(self) -> None:
        """Forget the rows and read the count and the first page again."""
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._fetching = False
        self._exhausted = self.session is None
        self.endResetModel()
        self.total = None
        session = self.session
        if session is None:
            return
        generation = self._generation
        kinds, text, mine = self.kinds, self.text, self.mine

        def counted(total: int) -> None:
            if generation == self._generation:
                self.total = total
                self.count_changed.emit(total)

        self.tasks.read(
            lambda: session.count_matching(kinds, text=text, mine=mine), counted, description="count a list"
        )
        self.fetchMore(QModelIndex())

    # -- paging -----------------------------------------------------------------------------

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008 (Qt's signature)
        return not parent.isValid() and not self._exhausted and not self._fetching

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008 (Qt's signature)
        session = self.session
        if session is None or not self.canFetchMore(parent):
            return
        self._fetching = True
        generation = self._generation
        first = not self._rows
        kinds, sort, descending = self.kinds, self.sort_key, self.descending
        text, mine, offset = self.text, self.mine, len(self._rows)

        def fetch() -> list[RecordSummary]:
            return session.list_page(
                kinds, sort=sort, descending=descending, text=text, offset=offset, limit=PAGE_SIZE, mine=mine
            )

        def done(page: list[RecordSummary]) -> None:
            if generation != self._generation:
                return
            self._fetching = False
            if page:
                start = len(self._rows)
                self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
                self._rows.extend(page)
                self.endInsertRows()
            self._exhausted = len(page) < PAGE_SIZE
            self.page_loaded.emit(len(self._rows))
            if first:
                self.reset_done.emit()

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                self._fetching = False
                self._exhausted = True
                self.tasks.report_error("read a list of records", error)

        self.tasks.read(fetch, done, failed, description="read a page of records")

    @property
    def is_fetching(self) -> bool:
        """True while a page is on its way."""
        return self._fetching

    # -- reading rows -------------------------------------------------------------------

    def summary(self, row: int) -> RecordSummary | None:
        """The summary at ``row`` (None outside the loaded rows)."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, record_id: str) -> int:
        """The row of a loaded record, or -1."""
        for row, summary in enumerate(self._rows):
            if summary.id == record_id:
                return row
        return -1

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            titles = (
                self.tr("Title"),
                self.tr("Kind"),
                self.tr("Status"),
                self.tr("District"),
                self.tr("Date"),
                self.tr("Updated"),
            )
            return titles[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            if section in SORT_BY_COLUMN:
                return self.tr("Click to sort by this column")
            return self.tr("This column does not sort")
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        summary = self.summary(index.row()) if index.isValid() else None
        if summary is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(summary, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return summary.title
        if role == self.IdRole:
            return summary.id
        if role == self.SummaryRole:
            return summary
        return None

    def _display(self, summary: RecordSummary, column: int) -> str:
        name = COLUMNS[column]
        if name == "title":
            return summary.title or self.tr("(untitled)")
        if name == "kind":
            return kind_label(summary.kind)
        if name == "status":
            return status_label(str(summary.status))
        if name in ("date", "updated_at"):
            return str(getattr(summary, name) or "")[:10]
        return str(getattr(summary, name) or "")


def status_label(status: str) -> str:
    """A workflow status as people read it ("Draft")."""
    translate = QCoreApplication.translate
    labels = {
        "draft": translate("RecordTableModel", "Draft"),
        "submitted": translate("RecordTableModel", "Submitted"),
        "published": translate("RecordTableModel", "Published"),
        "returned": translate("RecordTableModel", "Returned"),
        "retired": translate("RecordTableModel", "Retired"),
    }
    return labels.get(status, status)
