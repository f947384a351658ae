"""A list page: a paged, sortable, filterable table of records beside the selected record's details.

The toolbar asks for a new record or to edit the selected one (signals the window
wires to the editors) and moves a record to the trash (on the write lane, after a
confirmation). The list never loads everything: see :class:`RecordTableModel`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QSettings,
    QSignalBlocker,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.kinds import Kind
from desktop.ui.bulk_tag import BulkTagBar, BulkTagger
from desktop.ui.detail_view import DetailView
from desktop.ui.icons import app_icon
from desktop.ui.models import kind_label
from desktop.ui.pages.list_specs import ListSpec, list_specs
from desktop.ui.pages.record_model import COLUMN_OF_SORT, SORT_BY_COLUMN, RecordTableModel
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.core.changes import Changes
    from desktop.session import Session

__all__ = ["ListSpec", "RecordListPage", "RecordTableModel", "list_specs"]

FILTER_DEBOUNCE_MS = 250


class RecordListPage(QWidget):
    """A toolbar, the paged table and a detail view of the selected record."""

    new_record_requested = Signal(object)  # Kind
    edit_record_requested = Signal(str)
    history_requested = Signal(str)
    export_requested = Signal(str)
    export_many_requested = Signal(list)  # record ids: the rows selected in the list
    record_opened = Signal(str)  # Enter or double-click: open the record on its own page
    records_changed = Signal(object)  # Changes (after a delete)
    history_changed = Signal(bool)  # Back can go somewhere on this page

    def __init__(self, tasks: TaskManager, spec: ListSpec, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.spec = spec
        self.nav_key = spec.key
        self.session: Session | None = None
        self.stale = False
        self._reselect: str | None = None
        self.model = RecordTableModel(tasks, spec.kinds, self)
        self.detail = DetailView(
            tasks, placeholder=self.tr("Choose a record in the list to see it here, with its connections.")
        )
        self._build_toolbar()
        self._build_table()
        self.right = QStackedWidget()
        self.right.addWidget(self.detail)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([720, 430])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        self.tag_bar = BulkTagBar(self)
        self.tagger = BulkTagger(self, tasks, self.tag_bar)
        layout.addWidget(self.tag_bar)
        layout.addWidget(self.splitter, 1)
        self._connect()
        self._update_buttons()

    # -- building --------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        self.heading = QLabel(self.spec.title)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.count_label = QLabel("")
        self.count_label.setAccessibleName(self.tr("Number of records in the list"))
        self.new_button = self._tool_button("new", self._new_text(self.spec.new_kinds[0]))
        if len(self.spec.new_kinds) > 1:
            menu = QMenu(self.new_button)
            for kind in self.spec.new_kinds:
                action = menu.addAction(self._new_text(kind))
                action.triggered.connect(
                    lambda _checked=False, kind=kind: self.new_record_requested.emit(kind)
                )
            self.new_button.setMenu(menu)
            self.new_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.new_button.clicked.connect(lambda: self.new_record_requested.emit(self.spec.new_kinds[0]))
        self.edit_button = self._tool_button("edit", self.tr("Edit"))
        self.delete_button = self._tool_button("delete", self.tr("Delete"))
        self.delete_button.setToolTip(self.tr("Move the selected records to the trash (Delete)"))
        self.delete_action = QAction(self.tr("Move to the trash"), self)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.tag_button = self._tool_button("vocabulary", self.tr("Tag selected…"))
        self.tag_button.setToolTip(self.tr("Add a vocabulary term to the selected records, or remove it"))
        self.tag_button.setVisible(self.spec.bulk_tag)
        self.export_button = self._tool_button("export", self.tr("Export…"))
        self.export_button.setToolTip(
            self.tr("Export the selected records to PDF, HTML or Markdown (Ctrl+click selects several)")
        )
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter titles"))
        self.filter_edit.setAccessibleName(self.tr("Filter titles"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(180)
        self.filter_edit.setMaximumWidth(320)
        self.mine_check = QCheckBox(self.tr("Mine only"))
        self.mine_check.setAccessibleName(self.tr("Show only my records"))
        self.filter_timer = QTimer(self)
        self.filter_timer.setSingleShot(True)
        self.filter_timer.setInterval(FILTER_DEBOUNCE_MS)

        self.toolbar = QWidget()
        outer = QVBoxLayout(self.toolbar)
        outer.setContentsMargins(0, 0, 0, 6)
        outer.setSpacing(4)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(12)
        top.addWidget(self.count_label)
        top.addStretch(1)
        outer.addLayout(top)
        self.controls = QHBoxLayout()
        for button in (
            self.new_button,
            self.edit_button,
            self.delete_button,
            self.tag_button,
            self.export_button,
        ):
            self.controls.addWidget(button)
        self.controls.addStretch(1)
        self.controls.addWidget(self.filter_edit, 1)
        self.controls.addWidget(self.mine_check)
        outer.addLayout(self.controls)

    def _new_text(self, kind: Kind) -> str:
        return self.tr("New {kind}").format(kind=kind_label(kind).lower())

    def _tool_button(self, icon_name: str, text: str) -> QToolButton:
        # Parented at once: a parentless button that is shown (setVisible(True)) becomes a
        # window of its own and takes the activation, and the list's shortcuts stop working.
        button = QToolButton(self)
        button.setText(text)
        button.setAccessibleName(text)
        shown = app_icon(icon_name)
        if shown is not None:
            button.setIcon(shown)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return button

    def _build_table(self) -> None:
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.spec.title)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.addAction(self.delete_action)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(COLUMN_OF_SORT["updated"], Qt.SortOrder.DescendingOrder)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        for column, width in ((1, 100), (2, 85), (3, 140), (4, 85), (5, 85)):
            self.table.setColumnWidth(column, width)
        for column in self.spec.hidden_columns:
            self.table.setColumnHidden(column, True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_menu_requested)
        self.table.setMinimumWidth(380)

    def _connect(self) -> None:
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._on_sort_indicator_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.table.activated.connect(self._on_activated)
        self.model.count_changed.connect(self._on_count_changed)
        self.model.modelReset.connect(self._update_buttons)
        self.model.reset_done.connect(self._on_reset_done)
        self.filter_edit.textChanged.connect(lambda _text: self.filter_timer.start())
        self.filter_edit.returnPressed.connect(self._apply_filter)
        self.filter_timer.timeout.connect(self._apply_filter)
        self.mine_check.toggled.connect(lambda _on: self._apply_filter())
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.delete_button.clicked.connect(self.delete_selected)
        self.delete_action.triggered.connect(self.delete_selected)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.tag_button.clicked.connect(
            lambda: self.session and self.tagger.start(self.session, self.selected_ids())
        )
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._update_buttons())
        self.detail.history_changed.connect(lambda _can: self.history_changed.emit(self.can_go_back))
        self.detail.edit_requested.connect(self.edit_record_requested)
        self.detail.history_requested.connect(self.history_requested)
        self.detail.export_requested.connect(self.export_requested)

    # -- the page's life -------------------------------------------------------------------------

    def set_session(self, session: Session | None) -> None:
        """List from this session."""
        self.session = session
        self.detail.set_session(session)
        # Read when first shown: five lists over 100,000 records need not load while the window opens.
        self.model.set_session(session, load=False)
        self.stale = True

    def refresh(self) -> None:
        """Read the list again (after records changed), keeping the selected record selected."""
        self.stale = False
        self._reselect = self.current_record_id()
        if self.session is not None:
            self.model.refresh()
        self.detail.reload()  # the record shown may be the one that changed

    def _on_reset_done(self) -> None:
        """The first page after a refresh is in: select the record that was selected, if still listed."""
        record_id, self._reselect = self._reselect, None
        row = self.model.row_of(record_id) if record_id else -1
        if row < 0:
            return
        index = self.model.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        with QSignalBlocker(self.table.selectionModel()):  # the detail was reloaded already
            self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.viewport().update()
        self._update_buttons()

    def activate(self) -> None:
        """The page is being shown: catch up if records changed while it was hidden."""
        if self.stale:
            self.refresh()

    @property
    def can_go_back(self) -> bool:
        """True when Back has somewhere to go on this page."""
        return self.right.currentWidget() is not self.detail or self.detail.can_go_back

    def go_back(self) -> None:
        """Back to the previous record on this page (or from another right-hand view to the record)."""
        if self.right.currentWidget() is not self.detail:
            self.right.setCurrentWidget(self.detail)
            self.history_changed.emit(self.can_go_back)
            return
        self.detail.back()

    def current_record_id(self) -> str | None:
        """The id of the selected row, or None."""
        index = self.table.currentIndex()
        return index.data(RecordTableModel.IdRole) if index.isValid() else None

    def select_row(self, row: int) -> None:
        """Select a row (as a click would)."""
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )

    def _on_header_menu_requested(self, pos: QPoint) -> None:
        """Show or hide columns (the title always stays)."""
        menu = QMenu(self)
        for column in range(1, self.model.columnCount()):
            action = menu.addAction(str(self.model.headerData(column, Qt.Orientation.Horizontal)))
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.toggled.connect(lambda on, column=column: self.table.setColumnHidden(column, not on))
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))

    # -- sorting and filtering -----------------------------------------------------------------

    def _on_sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        if column not in SORT_BY_COLUMN:
            # The store cannot sort by this column: put the indicator back where the list is sorted.
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            current = Qt.SortOrder.DescendingOrder if self.model.descending else Qt.SortOrder.AscendingOrder
            header.setSortIndicator(COLUMN_OF_SORT[self.model.sort_key], current)
            header.blockSignals(False)
            return
        self.model.sort(column, order)

    def sort_by(self, sort_key: str, descending: bool) -> None:
        """Sort as a click on that column's header would."""
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.table.horizontalHeader().setSortIndicator(COLUMN_OF_SORT[sort_key], order)

    def _apply_filter(self) -> None:
        self.filter_timer.stop()
        self.model.set_filter(self.filter_edit.text(), self.mine_check.isChecked())

    def _on_count_changed(self, count: int) -> None:
        self.count_label.setText(self.spec.count_text(count))

    # -- the selected record -------------------------------------------------------------------

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record_id = current.data(RecordTableModel.IdRole) if current.isValid() else None
        if record_id:
            self.right.setCurrentWidget(self.detail)
            self.detail.open_record(record_id, new_trail=True)
        self._update_buttons()

    def _on_activated(self, index: QModelIndex) -> None:
        record_id = index.data(RecordTableModel.IdRole)
        if record_id:
            self.record_opened.emit(record_id)

    def selected_ids(self) -> list[str]:
        """The ids of the selected rows, top to bottom (the current row when none is selected)."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        ids = [self.model.index(row, 0).data(RecordTableModel.IdRole) for row in rows]
        if not ids and self.current_record_id():
            ids = [self.current_record_id()]
        return [record_id for record_id in ids if record_id]

    def _update_buttons(self) -> None:
        selected = self.selected_ids()
        self.edit_button.setEnabled(self.current_record_id() is not None)
        self.delete_button.setEnabled(bool(selected))
        self.delete_action.setEnabled(bool(selected))
        self.export_button.setEnabled(bool(selected))
        self.tag_button.setEnabled(bool(selected))

    def _on_export_clicked(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.export_many_requested.emit(ids)

    def _on_edit_clicked(self) -> None:
        record_id = self.current_record_id()
        if record_id:
            self.edit_record_requested.emit(record_id)

    def confirm_delete(self, title: str, count: int = 1) -> bool:
        """Ask before moving records to the trash (``title`` is the first one's)."""
        if count == 1:
            text = self.tr("Move “{title}” to the trash? You can restore it from the trash later.").format(
                title=title or self.tr("(untitled)")
            )
        else:
            text = self.tr(
                "Move {n} records (“{title}” and {others} more) to the trash? "
                "You can restore them from the trash later."
            ).format(n=count, title=title or self.tr("(untitled)"), others=count - 1)
        answer = QMessageBox.question(self, self.tr("Move to the trash"), text)
        return answer == QMessageBox.StandardButton.Yes

    def delete_selected(self) -> None:
        """Move the selected records to the trash, after asking."""
        record_ids = self.selected_ids()
        session = self.session
        if not record_ids or session is None:
            return
        row = self.model.row_of(record_ids[0])
        title = str(self.model.index(row, 0).data() or "") if row >= 0 else ""
        if not self.confirm_delete(title, len(record_ids)):
            return

        def done(changes: Changes) -> None:
            self.detail.clear()
            self.refresh()
            self.records_changed.emit(changes)

        self.tasks.write(
            lambda: session.delete_many(record_ids), done, description="move records to the trash"
        )

    # -- settings ---------------------------------------------------------------------------------

    def save_state(self, settings: QSettings) -> None:
        """Remember the splitter, the columns and the sort."""
        settings.setValue(f"pages/{self.nav_key}/splitter", self.splitter.saveState())
        settings.setValue(f"pages/{self.nav_key}/header", self.table.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings) -> None:
        """Put back what :meth:`save_state` saved (before the session opens)."""
        splitter = settings.value(f"pages/{self.nav_key}/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        header_state = settings.value(f"pages/{self.nav_key}/header")
        if isinstance(header_state, QByteArray):
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.restoreState(header_state)
            header.blockSignals(False)
            column, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
            if column in SORT_BY_COLUMN:
                self.model.set_sort(SORT_BY_COLUMN[column], order == Qt.SortOrder.DescendingOrder)
