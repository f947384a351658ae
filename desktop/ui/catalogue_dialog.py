"""The staged import dialog: reading the files, the preview, the import's progress, then its report.

The preview page counts each outcome (the buttons along the top also filter the table by
outcome), lists every record with its reason, and shows beside the table what the import
changes in the selected record: for an update the fields now and after, side by side; for
a duplicate the item already in the catalogue beside the one in the file. Nothing is
written until the person chooses Import. The dialog holds no session: the flow
(:mod:`desktop.ui.catalogue_flow`) feeds it and does the work off the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QCloseEvent, QColor, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.changes import ImportProgress, ImportReport
from desktop.core.import_preview import ImportPreview, Outcome, PreviewItem
from desktop.core.kinds import Kind, field_spec, field_specs
from desktop.core.records import Record

#: Outcome colours (muted, legible on light and dark palettes).
OUTCOME_COLOURS = {
    Outcome.ADD: "#2e7d32",
    Outcome.UPDATE: "#1565c0",
    Outcome.UNCHANGED: "",
    Outcome.DUPLICATE: "#b26a00",
    Outcome.REJECTED: "#c62828",
}


def outcome_label(outcome: Outcome) -> str:
    """The translated name of an outcome, as the table shows it."""
    labels = {
        Outcome.ADD: QCoreApplication.translate("CataloguePreview", "Add"),
        Outcome.UPDATE: QCoreApplication.translate("CataloguePreview", "Update"),
        Outcome.UNCHANGED: QCoreApplication.translate("CataloguePreview", "Unchanged"),
        Outcome.DUPLICATE: QCoreApplication.translate("CataloguePreview", "Duplicate"),
        Outcome.REJECTED: QCoreApplication.translate("CataloguePreview", "Rejected"),
    }
    return labels[outcome]


def field_label(kind: Kind, name: str) -> str:
    """The translated label of a field of ``kind``."""
    spec = field_spec(kind, name)
    return QCoreApplication.translate("fields", spec.label if spec else name.replace("_", " ").capitalize())


def shown_value(value: Any) -> str:
    """A field value as one cell's text ("" for nothing)."""
    if value is None or value == [] or value == "":
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= 600 else text[:597] + "…"


class PreviewTableModel(QAbstractTableModel):
    """The items of a preview: outcome, title (or row), identifier, file and reason."""

    COLUMNS = ("outcome", "title", "identifier", "file", "reason")
    ItemRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.items: list[PreviewItem] = []
        self._headers = [
            self.tr("Outcome"),
            self.tr("Title or row"),
            self.tr("Identifier"),
            self.tr("File"),
            self.tr("Reason"),
        ]

    def set_items(self, items: list[PreviewItem]) -> None:
        """Show these items."""
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        column = self.COLUMNS[index.column()]
        if role == self.ItemRole:
            return item
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == "outcome":
                return outcome_label(item.outcome)
            if column == "title":
                return item.label
            if column == "identifier":
                return item.identifier
            if column == "file":
                return item.file if role == Qt.ItemDataRole.ToolTipRole else Path(item.file).name
            return item.reason
        if role == Qt.ItemDataRole.ForegroundRole and column == "outcome" and OUTCOME_COLOURS[item.outcome]:
            return QBrush(QColor(OUTCOME_COLOURS[item.outcome]))
        if role == Qt.ItemDataRole.FontRole and column == "outcome" and item.outcome is not Outcome.UNCHANGED:
            font = QFont()
            font.setBold(True)
            return font
        return None


class PreviewFilter(QSortFilterProxyModel):
    """Rows of one outcome (or all), whose title contains the filter text."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.outcome: Outcome | None = None
        self.text = ""

    def set_outcome(self, outcome: Outcome | None) -> None:
        """Show only ``outcome`` (None: every outcome)."""
        self.beginFilterChange()
        self.outcome = outcome
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        """Show only rows whose title or identifier contains ``text`` (any case)."""
        self.beginFilterChange()
        self.text = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, PreviewTableModel)
        item = model.items[source_row]
        if self.outcome is not None and item.outcome is not self.outcome:
            return False
        return not self.text or self.text in f"{item.label}\n{item.identifier}".casefold()


class CataloguePreviewDialog(QDialog):
    """Reading, preview, progress and report of one staged import."""

    import_requested = Signal()  # Import: write the adds and updates
    cancel_requested = Signal()  # stop reading, or stop importing after the current batch
    holder_requested = Signal(str)  # the id of the item a duplicate duplicates: the flow fetches it

    PAGE_READING, PAGE_PREVIEW, PAGE_IMPORTING, PAGE_REPORT = range(4)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import catalogue records"))
        self.setAccessibleName(self.tr("Import catalogue records"))
        self.setModal(False)
        self.resize(1120, 660)
        self.running = False  # True while the import writes
        self.preview: ImportPreview | None = None
        self.report: ImportReport | None = None
        self.holders: dict[str, Record] = {}
        self.model = PreviewTableModel(self)
        self.proxy = PreviewFilter(self)
        self.proxy.setSourceModel(self.model)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_reading_page())
        self.pages.addWidget(self._build_preview_page())
        self.pages.addWidget(self._build_importing_page())
        self.pages.addWidget(self._build_report_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    # -- building ----------------------------------------------------------------------

    def _build_reading_page(self) -> QWidget:
        page = QWidget()
        self.reading_label = QLabel(self.tr("Reading the files…"))
        self.reading_label.setAccessibleName(self.tr("Files being read"))
        self.reading_label.setWordWrap(True)
        bar = QProgressBar()
        bar.setRange(0, 0)
        bar.setAccessibleName(self.tr("Reading the files"))
        self.reading_cancel = QPushButton(self.tr("Cancel"))
        self.reading_cancel.setAccessibleName(self.tr("Stop reading the files"))
        self.reading_cancel.clicked.connect(self._on_cancel_reading)
        buttons = QDialogButtonBox()
        buttons.addButton(self.reading_cancel, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.reading_label)
        layout.addWidget(bar)
        layout.addStretch(2)
        layout.addWidget(buttons)
        return page

    def _build_preview_page(self) -> QWidget:
        page = QWidget()
        self.summary_label = QLabel("")
        self.summary_label.setAccessibleName(self.tr("What the import would do"))
        self.summary_label.setWordWrap(True)
        self.outcome_group = QButtonGroup(self)
        self.outcome_group.setExclusive(True)
        self.outcome_buttons: dict[Outcome | None, QToolButton] = {}
        filters = QHBoxLayout()
        filters.setSpacing(4)
        for outcome in (None, *Outcome):
            button = QToolButton()
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.clicked.connect(lambda _checked=False, o=outcome: self.show_outcome(o))
            self.outcome_group.addButton(button)
            self.outcome_buttons[outcome] = button
            filters.addWidget(button)
        self.outcome_buttons[None].setChecked(True)
        filters.addStretch(1)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter titles"))
        self.filter_edit.setAccessibleName(self.tr("Filter the records by title or identifier"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMaximumWidth(260)
        self.filter_edit.textChanged.connect(self.proxy.set_text)
        filters.addWidget(self.filter_edit)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr("Records in the files, with what the import does with each"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 88), (2, 110), (3, 130)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_item(current)
        )

        side = QWidget()
        self.side_title = QLabel(self.tr("Choose a record to see what the import does with it."))
        self.side_title.setWordWrap(True)
        self.side_title.setAccessibleName(self.tr("The selected record"))
        self.side_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.side_reason = QLabel("")
        self.side_reason.setWordWrap(True)
        self.side_reason.setAccessibleName(self.tr("Why"))
        self.side_reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.changes = QTableWidget(0, 3)
        self.changes.setAccessibleName(self.tr("The fields, side by side"))
        self.changes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes.verticalHeader().hide()
        self.changes.setWordWrap(True)
        self.changes.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.changes.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.changes.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.side_title)
        side_layout.addWidget(self.side_reason)
        side_layout.addWidget(self.changes, 20)
        side_layout.addStretch(1)  # keeps the labels at the top when there is no table

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([720, 480])

        self.import_button = QPushButton(self.tr("Import"))
        self.import_button.setAccessibleName(self.tr("Import the records to add and update"))
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.preview_cancel = QPushButton(self.tr("Cancel"))
        self.preview_cancel.setAccessibleName(self.tr("Close without importing"))
        self.preview_cancel.clicked.connect(self.reject)
        buttons = QDialogButtonBox()
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.preview_cancel, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary_label)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        return page

    def _build_importing_page(self) -> QWidget:
        page = QWidget()
        self.progress_label = QLabel("")
        self.progress_label.setAccessibleName(self.tr("Record being imported"))
        self.progress_label.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName(self.tr("Import progress"))
        self.counts_label = QLabel("")
        self.counts_label.setAccessibleName(self.tr("Records imported so far"))
        self.import_cancel = QPushButton(self.tr("Cancel"))
        self.import_cancel.setAccessibleName(self.tr("Cancel the import"))
        self.import_cancel.setToolTip(self.tr("Stop after the current batch; what was imported stays"))
        self.import_cancel.clicked.connect(self._on_cancel_import)
        buttons = QDialogButtonBox()
        buttons.addButton(self.import_cancel, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.counts_label)
        layout.addStretch(2)
        layout.addWidget(buttons)
        return page

    def _build_report_page(self) -> QWidget:
        page = QWidget()
        self.report_label = QLabel("")
        self.report_label.setAccessibleName(self.tr("Import report"))
        self.report_label.setWordWrap(True)
        self.report_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.report_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.report_label.setFont(font)
        self.skipped_label = QLabel(self.tr("Not imported, with the reason:"))
        self.report_table = QTableWidget(0, 4)
        self.report_table.setAccessibleName(self.tr("Records not imported, with the reason"))
        self.report_table.setHorizontalHeaderLabels(
            [self.tr("Outcome"), self.tr("Title or row"), self.tr("File"), self.tr("Reason")]
        )
        self.report_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.report_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.report_table.verticalHeader().hide()
        self.report_table.setWordWrap(False)
        header = self.report_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.report_table.setColumnWidth(1, 360)
        self.report_table.setColumnWidth(2, 150)
        self.copy_button = QPushButton(self.tr("Copy the report"))
        self.copy_button.setAccessibleName(self.tr("Copy the report to the clipboard"))
        self.copy_button.clicked.connect(self.copy_report)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setAccessibleName(self.tr("Close the import report"))
        self.close_button.clicked.connect(self.accept)
        buttons = QDialogButtonBox()
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(page)
        layout.addWidget(self.report_label)
        layout.addWidget(self.skipped_label)
        layout.addWidget(self.report_table, 1)
        layout.addWidget(buttons)
        return page

    # -- reading -------------------------------------------------------------------------

    def show_reading(self, paths: list[Path]) -> None:
        """The files are being read: nothing to decide yet."""
        names = ", ".join(p.name for p in paths[:4]) + ("…" if len(paths) > 4 else "")
        self.reading_label.setText(
            self.tr("Reading {names} and comparing it with the catalogue. Nothing is written yet.").format(
                names=names
            )
        )
        self.pages.setCurrentIndex(self.PAGE_READING)

    def _on_cancel_reading(self) -> None:
        self.cancel_requested.emit()
        self.reject()

    # -- the preview ----------------------------------------------------------------------

    def show_preview(self, preview: ImportPreview) -> None:
        """Show what the import would do, record by record."""
        self.preview = preview
        self.model.set_items(preview.items)
        counts = preview.counts()
        total = len(preview.items)
        self.outcome_buttons[None].setText(self.tr("All {n}").format(n=total))
        self.outcome_buttons[None].setAccessibleName(self.tr("Show all {n} records").format(n=total))
        for outcome in Outcome:
            button = self.outcome_buttons[outcome]
            button.setText(f"{outcome_label(outcome)} {counts[outcome.value]}")
            button.setAccessibleName(
                self.tr("Show only: {outcome} ({n})").format(
                    outcome=outcome_label(outcome), n=counts[outcome.value]
                )
            )
            button.setEnabled(counts[outcome.value] > 0)
            if OUTCOME_COLOURS[outcome] and counts[outcome.value]:
                button.setStyleSheet(
                    f"QToolButton {{ color: {OUTCOME_COLOURS[outcome]}; font-weight: bold; }}"
                )
        to_write = counts["add"] + counts["update"]
        self.summary_label.setText(
            self.tr(
                "{files} file(s) read. The import would add {add} and update {update} record(s); "
                "{unchanged} are already in the catalogue as they are, {duplicate} would be skipped as "
                "duplicates and {rejected} cannot be imported. Nothing is written until you choose Import."
            ).format(files=preview.files, **counts)
        )
        self.import_button.setText(self.tr("Import {n} record(s)").format(n=to_write))
        self.import_button.setEnabled(to_write > 0)
        self.pages.setCurrentIndex(self.PAGE_PREVIEW)
        first = next(
            (o for o in (Outcome.UPDATE, Outcome.ADD, Outcome.DUPLICATE, Outcome.REJECTED) if counts[o]), None
        )
        if first is not None and counts["unchanged"] > 50:  # a re-import: show what is new first
            self.show_outcome(first)
        if self.proxy.rowCount():
            self.table.selectRow(0)

    def show_outcome(self, outcome: Outcome | None) -> None:
        """Filter the table to one outcome (None: all)."""
        self.outcome_buttons[outcome].setChecked(True)
        self.proxy.set_outcome(outcome)
        if self.proxy.rowCount():
            self.table.selectRow(0)
        else:
            self._show_item(QModelIndex())

    def selected_item(self) -> PreviewItem | None:
        """The item of the selected row, or None."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        item = self.proxy.data(index, PreviewTableModel.ItemRole)
        return item if isinstance(item, PreviewItem) else None

    def _show_item(self, index: QModelIndex) -> None:
        item = self.proxy.data(index, PreviewTableModel.ItemRole) if index.isValid() else None
        self.changes.setRowCount(0)
        if not isinstance(item, PreviewItem):
            self.side_title.setText(self.tr("Choose a record to see what the import does with it."))
            self.side_reason.setText("")
            return
        self.side_title.setText(
            self.tr("<b>{outcome}</b>: {label}").format(
                outcome=outcome_label(item.outcome), label=_escape(item.label)
            )
        )
        self.side_reason.setText(_escape(item.reason))
        record = item.record
        if record is None:
            self.side_reason.setText(
                _escape(item.reason)
                + "<br><br>"
                + self.tr(
                    "It is left out; the other records can be imported. "
                    "Correct it in the file and import the file again."
                )
            )
            self.changes.hide()
            return
        self.changes.show()
        if item.outcome is Outcome.UPDATE:
            self._side_by_side(
                record.kind,
                [(c.name, c.before, c.after) for c in item.changes],
                self.tr("In the catalogue now"),
                self.tr("After the import"),
            )
        elif item.outcome is Outcome.DUPLICATE and item.existing_id and item.existing_id != record.id:
            holder = self.holders.get(item.existing_id)
            if holder is None:
                self.holder_requested.emit(item.existing_id)
            self._compare(
                record, holder, self.tr("Already in the catalogue"), self.tr("In the file"), item.matched
            )
        else:
            self._compare(record, None, "", self.tr("In the file"))

    def show_holder(self, holder: Record) -> None:
        """The item a duplicate duplicates has been read: show it beside the selected one."""
        self.holders[holder.id] = holder
        item = self.selected_item()
        if item is not None and item.existing_id == holder.id:
            self._show_item(self.table.currentIndex())

    def _compare(
        self, record: Record, other: Record | None, left: str, right: str, matched: str = ""
    ) -> None:
        """Every field of ``record`` (beside ``other``'s); the field that matched is highlighted."""
        names = [spec.name for spec in field_specs(record.kind) if spec.name != "marc"]
        rows = [
            (name, other.fields.get(name) if other is not None else None, record.fields.get(name))
            for name in names
            if record.fields.get(name) not in (None, "", []) or (other is not None and other.fields.get(name))
        ]
        self._side_by_side(
            record.kind,
            rows,
            left,
            right,
            hide_left=other is None and not left,
            bold_changes=False,
            mark=matched,
        )

    def _side_by_side(
        self,
        kind: Kind,
        rows: list[tuple[str, Any, Any]],
        left: str,
        right: str,
        *,
        hide_left: bool = False,
        bold_changes: bool = True,
        mark: str = "",
    ) -> None:
        self.changes.setHorizontalHeaderLabels([self.tr("Field"), left, right])
        self.changes.setColumnHidden(1, hide_left)
        self.changes.setRowCount(len(rows))
        bold = QFont(self.changes.font())
        bold.setBold(True)
        for row, (name, before, after) in enumerate(rows):
            differs = bold_changes and not hide_left and before != after
            for column, text in enumerate((field_label(kind, name), shown_value(before), shown_value(after))):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if (differs and column) or name == mark:
                    cell.setFont(bold)
                if name == mark:
                    cell.setForeground(QBrush(QColor(OUTCOME_COLOURS[Outcome.DUPLICATE])))
                self.changes.setItem(row, column, cell)
        self.changes.resizeRowsToContents()

    def _on_import_clicked(self) -> None:
        if self.preview is None or not self.preview.to_write:
            return
        self.running = True
        total = len(self.preview.to_write)
        self.progress_bar.setRange(0, total)
        self.progress_bar.setValue(0)
        self.progress_label.setText(self.tr("Importing {n} record(s)…").format(n=total))
        self.counts_label.setText("")
        self.pages.setCurrentIndex(self.PAGE_IMPORTING)
        self.setWindowTitle(self.tr("Importing catalogue records"))
        self.import_requested.emit()

    # -- importing ----------------------------------------------------------------------

    def show_progress(self, progress: ImportProgress) -> None:
        """Where the import stands (after each batch of records)."""
        self.progress_bar.setRange(0, max(progress.total, 1))
        self.progress_bar.setValue(progress.done)
        if progress.done < progress.total:
            self.progress_label.setText(
                self.tr("Imported {done} of {total} records. Next: {name}").format(
                    done=progress.done, total=progress.total, name=progress.current
                )
            )
        else:
            self.progress_label.setText(self.tr("Making the imported records searchable…"))
        self.counts_label.setText(
            self.tr("{added} added, {updated} updated, {unchanged} already as they are.").format(
                added=progress.added, updated=progress.updated, unchanged=progress.unchanged
            )
        )

    def _on_cancel_import(self) -> None:
        if not self.running:
            return
        self.import_cancel.setEnabled(False)
        self.progress_label.setText(self.tr("Stopping after the current batch…"))
        self.cancel_requested.emit()

    # -- the report ----------------------------------------------------------------------

    def show_report(self, report: ImportReport) -> None:
        """The import is done: what it wrote, and every record it did not, with the reason."""
        self.running = False
        self.report = report
        cancelled = any(file == "" and "cancelled" in message for file, message in report.notes)
        counts = self.preview.counts() if self.preview is not None else {}
        text = self.tr(
            "{added} added, {updated} updated, {unchanged} already as they were; "
            "{duplicate} duplicate(s) and {rejected} rejected record(s) not imported."
        ).format(
            added=report.added,
            updated=report.updated,
            unchanged=report.unchanged + counts.get("unchanged", 0),
            duplicate=counts.get("duplicate", 0),
            rejected=counts.get("rejected", 0),
        )
        prefix = (
            self.tr("The import was cancelled; what was imported stays.") if cancelled else self.tr("Done.")
        )
        self.report_label.setText(f"{prefix} {text}")
        skipped = [
            item
            for item in (self.preview.items if self.preview is not None else [])
            if item.outcome in (Outcome.DUPLICATE, Outcome.REJECTED)
        ]
        self.report_table.setRowCount(len(skipped))
        for row, item in enumerate(skipped):
            for column, value in enumerate(
                (outcome_label(item.outcome), item.label, Path(item.file).name, item.reason)
            ):
                cell = QTableWidgetItem(value)
                cell.setToolTip(item.file if column == 2 else value)
                self.report_table.setItem(row, column, cell)
        self.skipped_label.setVisible(bool(skipped))
        self.report_table.setVisible(bool(skipped))
        self.setWindowTitle(self.tr("Catalogue import finished"))
        self.pages.setCurrentIndex(self.PAGE_REPORT)
        self.show()
        self.raise_()

    def report_text(self) -> str:
        """The report's summary line."""
        return self.report_label.text()

    def copy_report(self) -> None:
        """Copy the summary and the not-imported rows, tab-separated."""
        lines = [self.report_text()]
        for row in range(self.report_table.rowCount()):
            cells = [self.report_table.item(row, column) for column in range(self.report_table.columnCount())]
            lines.append("\t".join(cell.text() if cell is not None else "" for cell in cells))
        QGuiApplication.clipboard().setText("\n".join(lines))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:  # the report comes back when the import ends
            event.ignore()
            self.hide()
            return
        super().closeEvent(event)

    def reject(self) -> None:
        if self.running:
            self.hide()
            return
        if self.pages.currentIndex() == self.PAGE_READING:
            self.cancel_requested.emit()
        super().reject()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
