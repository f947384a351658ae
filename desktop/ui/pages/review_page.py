"""The Review queue: submitted items oldest first, each opened beside the similar items already known.

A librarian (or admin) sees every submitted record, filtered by kind, community and
service area; choosing one shows it with its review buttons (Publish, Return…, Retire…)
and, beside it, "Similar items already in the knowledge base" from the search index
("more like this" over its title, summary and tags, read off the GUI thread), so a
duplicate or an older version is seen before publishing. Staff without librarian rights
see their own submitted and returned items here, with the reviewer's comment.
The queue is read whole (it is short) and filtered in memory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.kinds import Kind
from desktop.core.records import Relation
from desktop.core.review import REVIEWABLE_KINDS, QueueFilter, QueueItem, service_areas
from desktop.ui.detail_view import DetailView
from desktop.ui.models import kind_label
from desktop.ui.moments import moment_cell
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.search import Hit
    from desktop.session import Session

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SIMILAR_SHOWN = 8


class QueueData:
    """What the page reads in one go: the queue, whether the user reviews, community names."""

    def __init__(self, items: list[QueueItem], librarian: bool, communities: dict[str, str]):
        self.items = items
        self.librarian = librarian
        self.communities = communities


def read_queue(session: Session) -> QueueData:
    """The whole queue and the names of the communities its items are in (worker thread)."""
    items = session.review_queue()
    community_ids = {c for item in items for c in item.record.links_of(Relation.IN_COMMUNITY)}
    names = {rid: record.title or rid[:8] for rid, record in session.records(community_ids).items()}
    return QueueData(items, session.is_librarian(), names)


class ReviewQueuePage(QWidget):
    """Filters over the queue; the chosen item beside its similar items."""

    history_changed = Signal(bool)
    refreshed = Signal(object)  # QueueData
    similar_shown = Signal(list)  # the Hits beside the chosen item

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.nav_key = "review"
        self.tasks = tasks
        self.session: Session | None = None
        self.data: QueueData | None = None
        self.stale = True
        self._generation = 0
        self._similar_generation = 0

        self.heading = QLabel(self.tr("Review queue"))
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName(self.tr("What the queue shows"))

        self.kind_filter = self._combo(self.tr("Filter by kind"))
        self.community_filter = self._combo(self.tr("Filter by community"))
        self.area_filter = self._combo(self.tr("Filter by service area"))
        filters = QHBoxLayout()
        for text, combo in (
            (self.tr("&Kind:"), self.kind_filter),
            (self.tr("C&ommunity:"), self.community_filter),
            (self.tr("Service &area:"), self.area_filter),
        ):
            label = QLabel(text)
            label.setBuddy(combo)
            filters.addWidget(label)
            filters.addWidget(combo)
        filters.addStretch(1)
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(self.tr("Items in the queue"))
        filters.addWidget(self.count_label)

        self.table = QTreeWidget(self)
        self.table.setAccessibleName(self.tr("Items waiting for review"))
        self.table.setHeaderLabels(
            [self.tr("Title"), self.tr("Kind"), self.tr("Author"), self.tr("Submitted"), self.tr("Status")]
        )
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setUniformRowHeights(True)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentItemChanged.connect(self._on_current_changed)

        # The record's text gets the height: its files are a compact strip (none without files).
        self.detail = DetailView(
            tasks, placeholder=self.tr("Choose an item in the queue to review it here."), compact_files=True
        )
        self.similar_caption = QLabel(self.tr("Similar items already in the knowledge base"))
        caption_font = QFont(self.similar_caption.font())
        caption_font.setBold(True)
        self.similar_caption.setFont(caption_font)
        self.similar_list = QTreeWidget(self)
        self.similar_list.setAccessibleName(self.tr("Similar items"))
        self.similar_list.setHeaderLabels([self.tr("Title"), self.tr("Kind")])
        self.similar_list.setRootIsDecorated(False)
        self.similar_list.setAlternatingRowColors(True)
        self.similar_list.setUniformRowHeights(True)
        similar_header = self.similar_list.header()
        similar_header.setStretchLastSection(False)
        similar_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        similar_header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.similar_list.currentItemChanged.connect(self._on_similar_chosen)
        self.similar_detail = DetailView(
            tasks, placeholder=self.tr("Choose a similar item to compare it."), attachments=False
        )
        self.similar_detail.setAccessibleName(self.tr("The similar item"))
        similar = QSplitter(Qt.Orientation.Vertical)
        similar.setChildrenCollapsible(False)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.similar_caption)
        top_layout.addWidget(self.similar_list, 1)
        similar.addWidget(top)
        similar.addWidget(self.similar_detail)
        similar.setStretchFactor(0, 2)
        similar.setStretchFactor(1, 3)
        self.similar_splitter = similar

        self.sides = QSplitter(Qt.Orientation.Horizontal)
        self.sides.setChildrenCollapsible(False)
        self.sides.addWidget(self.detail)
        self.sides.addWidget(similar)
        self.sides.setSizes([600, 500])
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.sides)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([160, 640])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)
        self.detail.records_changed.connect(self._on_reviewed)
        for combo in (self.kind_filter, self.community_filter, self.area_filter):
            combo.currentIndexChanged.connect(self._apply_filters)

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.setMinimumContentsLength(12)
        return combo

    # -- the page's life -------------------------------------------------------------------

    def set_session(self, session: Session | None) -> None:
        """Read this session's queue (when the page is shown)."""
        self.session = session
        self.detail.set_session(session)
        self.similar_detail.set_session(session)
        self.stale = True

    def activate(self) -> None:
        """Shown: read the queue if records changed since."""
        if self.stale:
            self.refresh()

    def refresh(self) -> None:
        """Read the queue again (in the background), keeping the chosen item when it is still there."""
        self.stale = False
        session = self.session
        if session is None:
            return
        self._generation += 1
        generation = self._generation

        def done(data: QueueData) -> None:
            if generation == self._generation:
                self._show(data)

        self.tasks.read(lambda: read_queue(session), done, description="read the review queue")

    @property
    def can_go_back(self) -> bool:
        """Back walks the trail of the item's detail view."""
        return self.detail.can_go_back

    def go_back(self) -> None:
        """The previous record in the item's detail view."""
        self.detail.back()

    def save_state(self, settings: QSettings) -> None:
        """The splitters, the table's columns and the height of the item's files."""
        settings.setValue("review/splitter", self.splitter.saveState())
        settings.setValue("review/sides", self.sides.saveState())
        settings.setValue("review/columns", self.table.header().saveState())
        settings.setValue("review/files_height", self.detail.files_height)

    def restore_state(self, settings: QSettings) -> None:
        """Put back what :meth:`save_state` saved."""
        for key, widget in (("review/splitter", self.splitter), ("review/sides", self.sides)):
            state = settings.value(key)
            if isinstance(state, QByteArray):
                widget.restoreState(state)
        columns = settings.value("review/columns")
        if isinstance(columns, QByteArray):
            self.table.header().restoreState(columns)
        try:
            files = int(settings.value("review/files_height", self.detail.files_height))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            files = self.detail.files_height
        self.detail.files_height = max(60, min(files, 600))

    # -- showing ---------------------------------------------------------------------------

    def _show(self, data: QueueData) -> None:
        self.data = data
        if data.librarian:
            self.hint.setText(
                self.tr(
                    "Submitted items, oldest first. Compare each with what is already there, then "
                    "publish it, return it to its author with a comment, or retire it."
                )
            )
        else:
            self.hint.setText(
                self.tr(
                    "Your items in review: what waits for a librarian, and what came back to you "
                    "with a comment. Librarians review here."
                )
            )
        self._fill_filters(data)
        self._apply_filters()
        self.refreshed.emit(data)

    def _fill_filters(self, data: QueueData) -> None:
        records = [item.record for item in data.items]
        kinds = [k for k in sorted(REVIEWABLE_KINDS) if any(r.kind is k for r in records)]
        self._refill(self.kind_filter, self.tr("All kinds"), [(kind_label(k), k.value) for k in kinds])
        communities = sorted(data.communities.items(), key=lambda pair: pair[1].casefold())
        self._refill(
            self.community_filter, self.tr("All communities"), [(name, cid) for cid, name in communities]
        )
        self._refill(self.area_filter, self.tr("All service areas"), [(a, a) for a in service_areas(records)])

    def _refill(self, combo: QComboBox, everything: str, options: list[tuple[str, str]]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, "")
        for text, value in options:
            combo.addItem(text, value)
        found = combo.findData(chosen) if chosen else 0
        combo.setCurrentIndex(max(found, 0))
        combo.setEnabled(bool(options))
        combo.blockSignals(False)

    def filters(self) -> QueueFilter:
        """The filters chosen now."""
        kind = self.kind_filter.currentData()
        return QueueFilter(
            kinds=(Kind(kind),) if kind else (),
            community=str(self.community_filter.currentData() or ""),
            service_area=str(self.area_filter.currentData() or ""),
        )

    def shown_items(self) -> list[QueueItem]:
        """The queue's items that pass the filters, in the table's order."""
        if self.data is None:
            return []
        wanted = self.filters()
        return [item for item in self.data.items if wanted.matches(item.record)]

    def _apply_filters(self) -> None:
        current = self.table.currentItem()
        chosen = current.data(0, ID_ROLE) if current is not None else None
        items = self.shown_items()
        self.table.blockSignals(True)
        self.table.clear()
        if not items:
            empty = (
                self.tr("Nothing waits for review.")
                if self.data and self.data.librarian
                else self.tr("None of your records is in review: submit a draft from its page.")
            )
            placeholder = QTreeWidgetItem(self.table, [empty])
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            placeholder.setFirstColumnSpanned(True)
        again = None
        for item in items:
            row = self._row(item)
            if row.data(0, ID_ROLE) == chosen:
                again = row
        self.table.blockSignals(False)
        total = len(self.data.items) if self.data else 0
        self.count_label.setText(
            self.tr("{shown} of {total}").format(shown=len(items), total=total)
            if len(items) != total
            else self.tr("%n item(s)", "", total)
        )
        target = again or (self.table.topLevelItem(0) if items else None)
        if target is not None:
            self.table.setCurrentItem(target)
            if target is again:
                self.detail.reload()
        else:
            self.detail.clear()
            self._show_similar([])

    def _row(self, item: QueueItem) -> QTreeWidgetItem:
        record = item.record
        submitted = moment_cell(item.submitted_at) if item.submitted_at else ""
        status = self.tr("Returned") if item.returned is not None else self.tr("Submitted")
        title = record.title or self.tr("(untitled)")
        row = QTreeWidgetItem(self.table, [title, kind_label(record.kind), record.owner, submitted, status])
        row.setData(0, ID_ROLE, record.id)
        tip = title
        if item.returned is not None:
            tip += "\n" + self.tr("Returned by {who}: {comment}").format(
                who=item.returned.by, comment=item.returned.comment
            )
        row.setToolTip(0, tip)
        return row

    def _on_current_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        record_id = current.data(0, ID_ROLE) if current is not None else None
        if not record_id:
            return
        self.detail.open_record(str(record_id), new_trail=True)
        self.history_changed.emit(self.can_go_back)
        self._load_similar(str(record_id))

    def open_item(self, record_id: str) -> bool:
        """Choose a queue item by id (False when it is not shown)."""
        for row in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(row)
            if item is not None and item.data(0, ID_ROLE) == record_id:
                self.table.setCurrentItem(item)
                return True
        return False

    # -- similar items ------------------------------------------------------------------------

    def _load_similar(self, record_id: str) -> None:
        session = self.session
        if session is None:
            return
        self._similar_generation += 1
        generation = self._similar_generation
        self._similar_placeholder(self.tr("Looking for similar items…"))

        def done(hits: list[Hit]) -> None:
            if generation == self._similar_generation:
                self._show_similar(hits)

        self.tasks.read(
            lambda: session.similar_records(record_id, SIMILAR_SHOWN), done, description="find similar items"
        )

    def _similar_placeholder(self, text: str) -> None:
        self.similar_list.blockSignals(True)
        self.similar_list.clear()
        placeholder = QTreeWidgetItem(self.similar_list, [text])
        placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
        placeholder.setFirstColumnSpanned(True)
        self.similar_list.blockSignals(False)

    def _show_similar(self, hits: list[Hit]) -> None:
        if not hits:
            self._similar_placeholder(self.tr("Nothing similar found."))
            self.similar_detail.clear()
            self.similar_shown.emit(hits)
            return
        self.similar_list.blockSignals(True)
        self.similar_list.clear()
        for hit in hits:
            title = hit.title or self.tr("(untitled)")
            item = QTreeWidgetItem(self.similar_list, [title, kind_label(hit.kind)])
            item.setData(0, ID_ROLE, hit.id)
            item.setToolTip(0, title)
        self.similar_list.blockSignals(False)
        first = self.similar_list.topLevelItem(0)
        if first is not None:
            self.similar_list.setCurrentItem(first)
        self.similar_shown.emit(hits)

    def _on_similar_chosen(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        record_id = current.data(0, ID_ROLE) if current is not None else None
        if record_id:
            self.similar_detail.open_record(str(record_id), new_trail=True)

    def _on_reviewed(self, _changes: object) -> None:
        self.refresh()
