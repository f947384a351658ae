"""The Duplicates page: likely duplicate groups, two records side by side, merge and undo,
and "not duplicates" (a group or a pair), listed under the merges where it can be taken back.

Finding the groups, reading a pair and the merge log run on worker threads; a merge and an
undo run on the write lane. The page offers the undo of the newest merge as
:attr:`DuplicatesPage.undo_text` (the window's Edit menu shows it) and in its list of recent
merges. A merge the user may not do (librarians merge) is refused with the reason, nothing
changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.models import kind_label, muted_colour
from desktop.ui.moments import moment_cell
from desktop.ui.pages.dismissals_panel import DismissalsPanel
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:  # SQLAlchemy and Whoosh load with the profile, after the window shows
    from desktop.core.changes import Changes
    from desktop.core.dismissals import DismissedPair, Pair
    from desktop.core.duplicates import DuplicateGroup
    from desktop.core.merging import ComparedField
    from desktop.core.records import Record
    from desktop.session import Session
    from desktop.store.merges import MergeEntry, MergeResult

#: Characters of one value shown in a comparison cell (the whole value is in its tooltip).
SHOWN_CHARS = 300
TOOLTIP_CHARS = 2_000
#: Recent merges listed under the comparison.
RECENT_MERGES = 20


@dataclass(frozen=True)
class PairView:
    """Two records read for the comparison, with what a merge would carry over."""

    left: Record
    right: Record
    rows: list[ComparedField]
    attachments: dict[str, list[str]] = field(default_factory=dict)  # record id -> file names
    linked_from: dict[str, int] = field(default_factory=dict)  # record id -> records linking to it
    links: dict[str, str] = field(default_factory=dict)  # record id -> its links as text, one a line


def load_pair(session: Session, left_id: str, right_id: str) -> PairView | None:
    """Read two records and what links to them (runs on a worker); None when one is gone."""
    from desktop.core.merging import comparison_rows

    records = session.records([left_id, right_id])
    left, right = records.get(left_id), records.get(right_id)
    if left is None or right is None or left.deleted or right.deleted:
        return None
    attachments = {rid: [a.filename for a in session.attachments(rid)] for rid in (left_id, right_id)}
    linked = {rid: len(session.store.backlinks(rid)) for rid in (left_id, right_id)}
    targets = session.records(link.target_id for record in (left, right) for link in record.links)
    links = {record.id: _links_text(record, targets) for record in (left, right)}
    return PairView(left, right, comparison_rows(left, right), attachments, linked, links)


def _links_text(record: Record, targets: dict[str, Record]) -> str:
    lines = []
    for link in record.links:
        target = targets.get(link.target_id)
        lines.append(f"{link.relation.value.replace('_', ' ')}: {target.title if target else link.target_id}")
    return "\n".join(lines)


def _highlight(palette: QPalette) -> QBrush:
    """A background for differing cells that stays legible in light and dark palettes."""
    colour = QColor(palette.color(QPalette.ColorRole.Highlight))
    colour.setAlpha(55)
    return QBrush(colour)


class DuplicatesPage(QWidget):
    """Groups of likely duplicates on the left, the chosen pair side by side, recent merges below."""

    history_changed = Signal(bool)
    records_changed = Signal(object)  # Changes of a merge or an undo (lists and search refresh)
    record_opened = Signal(str)
    #: The text of "undo the newest merge" ("" when there is nothing to undo).
    undo_changed = Signal(str)
    #: Emitted each time the groups have been (re)read; and each time a pair was shown.
    groups_loaded = Signal()
    pair_loaded = Signal()
    merges_loaded = Signal()
    dismissals_loaded = Signal()

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.nav_key = "duplicates"
        self.tasks = tasks
        self.session: Session | None = None
        self.stale = True
        self.groups: list[DuplicateGroup] = []
        self.merge_log: list[MergeEntry] = []
        self.pair: PairView | None = None
        self.undo_text = ""
        self._generation = 0
        self._pair_generation = 0
        self._busy = False

        self.heading = QLabel(self.tr("Duplicates"))
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.summary = QLabel(self.tr("Looking for likely duplicates…"))
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Duplicates found"))
        self.kind_filter = QComboBox()
        self.kind_filter.setAccessibleName(self.tr("Show groups of this kind"))
        for text, value in (
            (self.tr("All kinds"), ""),
            (self.tr("Articles"), "article"),
            (self.tr("Case studies"), "case_study"),
            (self.tr("Knowledge-centre items"), "centre_item"),
        ):
            self.kind_filter.addItem(text, value)
        self.kind_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button = QPushButton(self.tr("Look &again"))
        self.refresh_button.setAccessibleName(self.tr("Look for duplicates again"))
        self.refresh_button.clicked.connect(self.refresh)
        self.undo_button = QPushButton(self.tr("&Undo last merge"))
        self.undo_button.setAccessibleName(self.tr("Undo the newest merge"))
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo_last)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.kind_filter)
        top.addWidget(self.refresh_button)
        top.addWidget(self.undo_button)

        self.groups_table = QTableWidget(0, 3)
        self.groups_table.setHorizontalHeaderLabels([self.tr("Score"), self.tr("Records"), self.tr("Why")])
        self.groups_table.setAccessibleName(self.tr("Groups of likely duplicates"))
        self._table_defaults(self.groups_table)
        self.groups_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.groups_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 230)
        self.groups_table.setWordWrap(False)
        # Duplicates differ at the ends as often as at the start ("… Community" and "… Community."):
        # cut long titles in the middle so both ends show.
        self.groups_table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.groups_table.itemSelectionChanged.connect(self._on_group_selected)

        self.comparison = self._build_comparison()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.groups_table)
        self.splitter.addWidget(self.comparison)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([520, 600])

        self.merges_label = QLabel(self.tr("Recent merges"))
        self.merges_label.setFont(QFont(self.merges_label.font().family(), -1, QFont.Weight.Bold))
        self.merges_table = QTableWidget(0, 4)
        self.merges_table.setHorizontalHeaderLabels(
            [self.tr("When"), self.tr("Merged"), self.tr("Into"), self.tr("State")]
        )
        self.merges_table.setAccessibleName(self.tr("Recent merges"))
        self._table_defaults(self.merges_table)
        self.merges_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        mh = self.merges_table.horizontalHeader()
        mh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        mh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        mh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        mh.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.merges_table.itemSelectionChanged.connect(self._on_merge_selected)
        self.undo_selected_button = QPushButton(self.tr("Undo &this merge"))
        self.undo_selected_button.setAccessibleName(self.tr("Undo the selected merge"))
        self.undo_selected_button.setEnabled(False)
        self.undo_selected_button.clicked.connect(self.undo_selected)
        merges_head = QHBoxLayout()
        merges_head.addWidget(self.merges_label, 1)
        merges_head.addWidget(self.undo_selected_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(merges_head)
        lower_layout.addWidget(self.merges_table, 1)
        self.dismissals = DismissalsPanel()
        self.dismissals.restore_requested.connect(self.restore_dismissed)
        self.lower_tabs = QTabWidget()
        self.lower_tabs.setDocumentMode(True)
        self.lower_tabs.addTab(lower, self.tr("Merges"))
        self.lower_tabs.addTab(self.dismissals, self.tr("Not duplicates"))

        self.vertical = QSplitter(Qt.Orientation.Vertical)
        self.vertical.addWidget(self.splitter)
        self.vertical.addWidget(self.lower_tabs)
        self.vertical.setStretchFactor(0, 4)
        self.vertical.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.vertical, 1)

    def _table_defaults(self, table: QTableWidget) -> None:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.setAlternatingRowColors(True)

    def _build_comparison(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.pick_left = QComboBox()
        self.pick_right = QComboBox()
        self.pick_left.setAccessibleName(self.tr("First record compared"))
        self.pick_right.setAccessibleName(self.tr("Second record compared"))
        self.pick_left.currentIndexChanged.connect(lambda _i: self._load_pair())
        self.pick_right.currentIndexChanged.connect(lambda _i: self._load_pair())
        self.keep_left = QPushButton(self.tr("Merge into this one"))
        self.keep_right = QPushButton(self.tr("Merge into this one"))
        self.keep_left.setAccessibleName(self.tr("Keep the first record and merge the second into it"))
        self.keep_right.setAccessibleName(self.tr("Keep the second record and merge the first into it"))
        self.keep_left.setToolTip(
            self.tr(
                "Keep this record; the other goes to the trash as its duplicate, its links, tags, "
                "files and missing fields move here"
            )
        )
        self.keep_right.setToolTip(self.keep_left.toolTip())
        self.keep_left.clicked.connect(lambda: self.merge_into(0))
        self.keep_right.clicked.connect(lambda: self.merge_into(1))
        self.compare_table = QTableWidget(0, 3)
        self.compare_table.setHorizontalHeaderLabels(
            [self.tr("Field"), self.tr("First record"), self.tr("Second record")]
        )
        self.compare_table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        self.compare_table.setAccessibleName(
            self.tr("The two records side by side; differences are highlighted")
        )
        self._table_defaults(self.compare_table)
        self.compare_table.setAlternatingRowColors(False)
        self.compare_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.compare_table.setWordWrap(True)
        ch = self.compare_table.horizontalHeader()
        ch.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        ch.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        ch.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.compare_table.cellDoubleClicked.connect(self._on_compare_double_clicked)
        self.not_group_button = QPushButton(self.tr("&Not duplicates"))
        self.not_group_button.setAccessibleName(self.tr("Say the records of this group are not duplicates"))
        self.not_group_button.setToolTip(
            self.tr(
                "These records are different items: do not propose them together again "
                "(shared at the next sync)"
            )
        )
        self.not_group_button.clicked.connect(self.dismiss_group)
        self.not_pair_button = QPushButton(self.tr("Not these &two"))
        self.not_pair_button.setAccessibleName(self.tr("Say the two records compared are not duplicates"))
        self.not_pair_button.setToolTip(
            self.tr("Only the two records compared are different items; the rest of the group stays proposed")
        )
        self.not_pair_button.clicked.connect(self.dismiss_pair)
        not_row = QHBoxLayout()
        not_row.addStretch(1)
        not_row.addWidget(self.not_pair_button)
        not_row.addWidget(self.not_group_button)
        self.compare_note = QLabel(self.tr("Choose a group to compare its records."))
        self.compare_note.setWordWrap(True)
        self.compare_note.setStyleSheet(f"color: {muted_colour(self.palette())}")
        grid.addWidget(self.pick_left, 0, 0)
        grid.addWidget(self.pick_right, 0, 1)
        grid.addWidget(self.compare_table, 1, 0, 1, 2)
        grid.addWidget(self.keep_left, 2, 0)
        grid.addWidget(self.keep_right, 2, 1)
        grid.addLayout(not_row, 3, 0, 1, 2)
        grid.addWidget(self.compare_note, 4, 0, 1, 2)
        grid.setRowStretch(1, 1)
        self._set_pair_enabled(False)
        return box

    # -- page protocol (PageShell) -------------------------------------------------------

    def set_session(self, session: Session | None) -> None:
        """Look for duplicates in this session's profile (when the page is shown)."""
        self.session = session
        self.stale = True
        if session is not None:
            self._load_merges()
            self._load_dismissals()

    def activate(self) -> None:
        """Shown: look again if records changed since."""
        if self.stale:
            self.refresh()

    def refresh(self) -> None:
        """Find the groups again (on a worker) and read the merge log."""
        self.stale = False
        session = self.session
        if session is None:
            self._fill_groups([])
            return
        self._generation += 1
        generation = self._generation
        value = self.kind_filter.currentData()
        self.summary.setText(self.tr("Looking for likely duplicates…"))

        def find() -> list[DuplicateGroup]:
            from desktop.core.kinds import Kind

            return session.find_duplicates(kinds=[Kind(value)] if value else [])

        def done(groups: list[DuplicateGroup]) -> None:
            if generation == self._generation:
                self._fill_groups(groups)

        self.tasks.read(find, done, self._on_read_failed, description="find duplicates")
        self._load_merges()
        self._load_dismissals()

    @property
    def can_go_back(self) -> bool:
        """The page has no trail of its own."""
        return False

    def go_back(self) -> None:
        """Nothing to go back to."""

    def save_state(self, settings: QSettings) -> None:
        """The splitters."""
        settings.setValue("duplicates/splitter", self.splitter.saveState())
        settings.setValue("duplicates/vertical", self.vertical.saveState())

    def restore_state(self, settings: QSettings) -> None:
        """Put back what :meth:`save_state` saved."""
        for key, splitter in (("duplicates/splitter", self.splitter), ("duplicates/vertical", self.vertical)):
            state = settings.value(key)
            if state is not None:
                splitter.restoreState(state)

    # -- groups ----------------------------------------------------------------------------

    def _fill_groups(self, groups: list[DuplicateGroup]) -> None:
        from desktop.core.duplicates import describe

        selected = self.selected_group()
        self.groups = list(groups)
        self.groups_table.setRowCount(len(self.groups))
        for row, group in enumerate(self.groups):
            score = QTableWidgetItem(f"{group.score:.0%}")
            score.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            score.setData(Qt.ItemDataRole.UserRole, group.id)
            lines = []
            for member in group.members[:3]:
                year = f" ({member.year})" if member.year else ""
                lines.append(f"{member.title or self.tr('(untitled)')}{year}")
            if len(group.members) > 3:
                lines.append(self.tr("and {n} more").format(n=len(group.members) - 3))
            records = QTableWidgetItem("\n".join(lines))
            kinds = ", ".join(kind_label(kind) for kind in group.kinds)
            records.setToolTip(f"{kinds}\n" + "\n".join(lines))
            why = QTableWidgetItem(describe(group.reasons, details=False).replace("; ", "\n"))
            why.setToolTip(describe(group.reasons).replace("; ", "\n"))
            for column, item in enumerate((score, records, why)):
                self.groups_table.setItem(row, column, item)
        self.groups_table.resizeRowsToContents()
        count = len(self.groups)
        if count:
            text = self.tr("{n} groups of likely duplicates, best first. Choose one to compare its records.")
            self.summary.setText(
                self.tr("1 group of likely duplicates. Choose it to compare its records.")
                if count == 1
                else text.format(n=f"{count:,}")
            )
        else:
            self.summary.setText(self.tr("No likely duplicates found."))
        ids = [group.id for group in self.groups]
        row = ids.index(selected.id) if selected is not None and selected.id in ids else (0 if ids else -1)
        if row >= 0:
            with QSignalBlocker(self.groups_table):
                self.groups_table.selectRow(row)
        self._show_group(self.selected_group())  # the same row may hold another group now
        self.groups_loaded.emit()

    def selected_group(self) -> DuplicateGroup | None:
        """The group chosen in the table."""
        rows = self.groups_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.groups):
            return None
        return self.groups[rows[0].row()]

    def select_group(self, row: int) -> None:
        """Choose the group in ``row`` (as a click does)."""
        self.groups_table.selectRow(row)

    def _on_group_selected(self) -> None:
        self._show_group(self.selected_group())

    def _show_group(self, group: DuplicateGroup | None) -> None:
        for combo in (self.pick_left, self.pick_right):
            combo.blockSignals(True)
            combo.clear()
        if group is not None:
            for member in group.members:
                text = f"{member.title or self.tr('(untitled)')} · {kind_label(member.kind)}"
                self.pick_left.addItem(text, member.id)
                self.pick_right.addItem(text, member.id)
            self.pick_left.setCurrentIndex(0)
            self.pick_right.setCurrentIndex(1 if len(group.members) > 1 else 0)
        for combo in (self.pick_left, self.pick_right):
            combo.setVisible(group is not None and len(group.members) > 2)
            combo.blockSignals(False)
        self._load_pair()

    # -- the pair ----------------------------------------------------------------------------

    def _load_pair(self) -> None:
        session = self.session
        left, right = self.pick_left.currentData(), self.pick_right.currentData()
        self._pair_generation += 1
        generation = self._pair_generation
        if session is None or not left or not right or left == right:
            self._fill_pair(None)
            return

        def done(pair: PairView | None) -> None:
            if generation == self._pair_generation:
                self._fill_pair(pair)

        self.tasks.read(
            partial(load_pair, session, left, right), done, self._on_read_failed, description="compare"
        )

    def _fill_pair(self, pair: PairView | None) -> None:
        self.pair = pair
        table = self.compare_table
        table.setRowCount(0)
        if pair is None:
            self.compare_note.setText(
                self.tr("Choose two different records to compare.")
                if self.groups
                else self.tr("Nothing to compare.")
            )
            self._set_pair_enabled(False)
            self.pair_loaded.emit()
            return
        rows = [(row.label, row.left, row.right, row.differs) for row in pair.rows]
        files = [len(pair.attachments.get(r.id, [])) for r in (pair.left, pair.right)]
        linked = [pair.linked_from.get(r.id, 0) for r in (pair.left, pair.right)]
        links = [pair.links.get(r.id, "") for r in (pair.left, pair.right)]
        if any(links):
            rows.append((self.tr("Links"), links[0], links[1], links[0] != links[1]))
        rows.append((self.tr("Linked from"), str(linked[0]), str(linked[1]), linked[0] != linked[1]))
        rows.append((self.tr("Files"), str(files[0]), str(files[1]), files[0] != files[1]))
        table.setRowCount(len(rows))
        brush = _highlight(self.palette())
        bold = QFont(table.font())
        bold.setBold(True)
        for index, (label, left, right, differs) in enumerate(rows):
            name = QTableWidgetItem(label)
            if differs:
                name.setFont(bold)
                name.setToolTip(self.tr("The two records differ here"))
            cells = [name]
            for value in (left, right):
                shown = value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS].rstrip() + "…"
                cell = QTableWidgetItem(shown)
                if len(value) > SHOWN_CHARS:
                    cell.setToolTip(value[:TOOLTIP_CHARS])
                cells.append(cell)
            for column, cell in enumerate(cells):
                if differs:
                    cell.setBackground(brush)
                table.setItem(index, column, cell)
        for column, record in ((1, pair.left), (2, pair.right)):
            header_item = table.horizontalHeaderItem(column)
            if header_item is not None:
                header_item.setToolTip(record.title)
        table.resizeRowsToContents()
        differing = sum(1 for row in rows if row[3])
        self.compare_note.setText(
            self.tr(
                "{n} of {total} rows differ (highlighted). Merging keeps the record you choose; the "
                "other goes to the trash as its duplicate, and its links, tags, files and missing fields "
                "move over. Double-click a value to open its record."
            ).format(n=differing, total=len(rows))
        )
        self._set_pair_enabled(True)
        self.pair_loaded.emit()

    def _set_pair_enabled(self, enabled: bool) -> None:
        enabled = enabled and not self._busy
        self.keep_left.setEnabled(enabled)
        self.keep_right.setEnabled(enabled)
        group = self.selected_group()
        self.not_group_button.setEnabled(not self._busy and group is not None)
        self.not_pair_button.setEnabled(enabled)
        self.not_pair_button.setVisible(group is not None and len(group.members) > 2)

    def _on_compare_double_clicked(self, _row: int, column: int) -> None:
        if self.pair is not None and column in (1, 2):
            self.record_opened.emit((self.pair.left if column == 1 else self.pair.right).id)

    # -- merge and undo --------------------------------------------------------------------------

    def confirm(self, title: str, question: str) -> bool:
        """Ask before a merge or an undo (tests replace this)."""
        answer = QMessageBox.question(self, title, question)
        return answer == QMessageBox.StandardButton.Yes

    def inform(self, title: str, message: str) -> None:
        """Tell why something was refused (tests replace this)."""
        QMessageBox.information(self, title, message)

    def merge_into(self, side: int) -> None:
        """Keep the record on ``side`` (0 first, 1 second) and merge the other into it, on the write lane."""
        session, pair = self.session, self.pair
        if session is None or pair is None or self._busy:
            return
        survivor, loser = (pair.left, pair.right) if side == 0 else (pair.right, pair.left)
        question = self.tr(
            "Keep “{keep}” and merge “{gone}” into it?\n\n“{gone}” goes to the trash as a duplicate; its "
            "links, tags, files and the fields “{keep}” lacks move over, and records linking to it will link "
            "here. You can undo the merge."
        ).format(keep=survivor.title or survivor.id, gone=loser.title or loser.id)
        if not self.confirm(self.tr("Merge duplicates"), question):
            return
        self._set_busy(True)
        self.tasks.write(
            partial(session.merge_records, survivor.id, loser.id),
            self._on_merged,
            partial(self._on_write_failed, self.tr("Merge refused"), "merge duplicates"),
            description="merge duplicates",
        )

    def _on_merged(self, result: MergeResult) -> None:
        self._set_busy(False)
        self.records_changed.emit(result.changes)
        self.refresh()

    def undo_last(self) -> None:
        """Undo the newest merge not undone yet (the Edit menu's and the page's Undo).

        The log is read again first: the Edit menu can ask before this page has read it.
        """
        session = self.session
        if session is None or self._busy:
            return

        def done(entries: list[MergeEntry]) -> None:
            self._fill_merges(entries)
            entry = next((e for e in entries if not e.undone), None)
            if entry is None:
                self.inform(self.tr("Undo merge"), self.tr("There is no merge to undo."))
            else:
                self._undo(entry)

        self.tasks.read(partial(session.merges, limit=RECENT_MERGES), done, self._on_read_failed)

    def undo_selected(self) -> None:
        """Undo the merge chosen in the list of recent merges."""
        rows = self.merges_table.selectionModel().selectedRows()
        if rows and rows[0].row() < len(self.merge_log):
            self._undo(self.merge_log[rows[0].row()])

    def _undo(self, entry: MergeEntry | None) -> None:
        session = self.session
        if session is None or entry is None or entry.undone or self._busy:
            return
        question = self.tr(
            "Undo the merge of “{gone}” into “{keep}”?\n\nBoth records and every record whose links were "
            "moved get their content from before the merge back, as new versions."
        ).format(gone=entry.loser_title or entry.loser_id, keep=entry.survivor_title or entry.survivor_id)
        if not self.confirm(self.tr("Undo merge"), question):
            return
        self._set_busy(True)
        self.tasks.write(
            partial(session.undo_merge, entry.id),
            self._on_merged,
            partial(self._on_write_failed, self.tr("Undo refused"), "undo the merge"),
            description="undo the merge",
        )

    # -- not duplicates ------------------------------------------------------------------------

    def dismiss_group(self) -> None:
        """Say no two records of the chosen group are duplicates (on the write lane)."""
        group = self.selected_group()
        if group is None:
            return
        names = "\n".join(f"• {m.title or self.tr('(untitled)')}" for m in group.members[:6])
        if len(group.members) > 6:
            names += "\n" + self.tr("and {n} more").format(n=len(group.members) - 6)
        question = self.tr(
            "Are these records different items, not duplicates?\n\n{names}\n\nThey will not be proposed "
            "together again, here or, after the next sync, to other librarians. You can take it back under "
            "“Not duplicates”."
        ).format(names=names)
        self._dismiss([m.id for m in group.members], question)

    def dismiss_pair(self) -> None:
        """Say the two records compared are not duplicates; the rest of the group stays proposed."""
        pair = self.pair
        if pair is None:
            return
        question = self.tr(
            "Are “{first}” and “{second}” different items, not duplicates?\n\nThe other records of the "
            "group stay proposed. You can take it back under “Not duplicates”."
        ).format(first=pair.left.title or pair.left.id, second=pair.right.title or pair.right.id)
        self._dismiss([pair.left.id, pair.right.id], question)

    def _dismiss(self, record_ids: list[str], question: str) -> None:
        session = self.session
        if session is None or self._busy or not self.confirm(self.tr("Not duplicates"), question):
            return
        self._set_busy(True)
        self.tasks.write(
            partial(session.dismiss_duplicates, record_ids),
            self._on_dismissals_written,
            partial(self._on_write_failed, self.tr("Not duplicates"), "say the records are not duplicates"),
            description="say the records are not duplicates",
        )

    def restore_dismissed(self, pairs: list[Pair]) -> None:
        """Propose ``pairs`` as likely duplicates again (the list's "Propose again")."""
        session = self.session
        if session is None or self._busy or not pairs:
            return
        question = (
            self.tr("Propose these two records as likely duplicates again?")
            if len(pairs) == 1
            else self.tr("Propose these {n} pairs of records as likely duplicates again?").format(
                n=len(pairs)
            )
        )
        if not self.confirm(self.tr("Propose again"), question):
            return
        self._set_busy(True)
        self.tasks.write(
            partial(session.restore_duplicates, pairs),
            self._on_dismissals_written,
            partial(self._on_write_failed, self.tr("Propose again"), "propose the records again"),
            description="propose the records again",
        )

    def _on_dismissals_written(self, changes: Changes) -> None:
        self._set_busy(False)
        self.records_changed.emit(changes)
        self.refresh()

    def _load_dismissals(self) -> None:
        session = self.session
        if session is not None:
            self.tasks.read(
                session.dismissed_duplicates,
                self._fill_dismissals,
                description="read the dismissed duplicates",
            )

    def _fill_dismissals(self, items: list[DismissedPair]) -> None:
        self.dismissals.fill(items)
        self.dismissals.set_busy(self._busy)
        index = self.lower_tabs.indexOf(self.dismissals)
        self.lower_tabs.setTabText(
            index,
            self.tr("Not duplicates ({n})").format(n=len(items)) if items else self.tr("Not duplicates"),
        )
        self.dismissals_loaded.emit()

    def _on_write_failed(self, title: str, action: str, error: BaseException) -> None:
        from desktop.core.merging import MergeRefused

        self._set_busy(False)
        if isinstance(error, MergeRefused):
            self.inform(title, str(error))
        else:
            self.tasks.report_error(action, error)
        self.refresh()

    def _on_read_failed(self, error: BaseException) -> None:
        self.tasks.report_error("find duplicates", error)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._set_pair_enabled(self.pair is not None)
        self.dismissals.set_busy(busy)
        self._update_undo()

    # -- the merge log -------------------------------------------------------------------------

    def _load_merges(self) -> None:
        session = self.session
        if session is None:
            return
        self.tasks.read(
            partial(session.merges, limit=RECENT_MERGES), self._fill_merges, description="read the merge log"
        )

    def _fill_merges(self, entries: list[MergeEntry]) -> None:
        self.merge_log = list(entries)
        self.merges_table.setRowCount(len(self.merge_log))
        for row, entry in enumerate(self.merge_log):
            when = QTableWidgetItem(moment_cell(entry.merged_at))
            when.setToolTip(self.tr("by {who}").format(who=entry.merged_by) if entry.merged_by else "")
            merged = QTableWidgetItem(entry.loser_title or entry.loser_id)
            into = QTableWidgetItem(entry.survivor_title or entry.survivor_id)
            extra = []
            if entry.retargeted:
                extra.append(self.tr("{n} links moved").format(n=entry.retargeted))
            if entry.attachments:
                extra.append(self.tr("{n} files copied").format(n=entry.attachments))
            into.setToolTip(", ".join(extra))
            state = QTableWidgetItem(
                self.tr("undone {when}").format(when=moment_cell(entry.undone_at))
                if entry.undone
                else self.tr("merged")
            )
            for column, item in enumerate((when, merged, into, state)):
                if entry.undone:
                    item.setForeground(QColor(muted_colour(self.palette())))
                self.merges_table.setItem(row, column, item)
        if not self.merge_log:
            self.merges_label.setText(self.tr("Recent merges: none yet"))
        else:
            self.merges_label.setText(self.tr("Recent merges"))
        self._on_merge_selected()
        self._update_undo()
        self.merges_loaded.emit()

    def _on_merge_selected(self) -> None:
        rows = self.merges_table.selectionModel().selectedRows()
        entry = self.merge_log[rows[0].row()] if rows and rows[0].row() < len(self.merge_log) else None
        self.undo_selected_button.setEnabled(entry is not None and not entry.undone and not self._busy)

    def _update_undo(self) -> None:
        entry = next((e for e in self.merge_log if not e.undone), None)
        text = (
            self.tr("Undo merge of “{title}”").format(title=entry.loser_title or entry.loser_id)
            if entry is not None and not self._busy
            else ""
        )
        self.undo_button.setEnabled(bool(text))
        self.undo_button.setToolTip(text)
        self._on_merge_selected()
        if text != self.undo_text:
            self.undo_text = text
            self.undo_changed.emit(text)
