"""The Knowledge centre page: the catalogue list, with its import (staged preview) and export."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from desktop.ui.pages.record_list import ListSpec, RecordListPage
from desktop.ui.tasks import TaskManager


class CentrePage(RecordListPage):
    """A list of knowledge-centre items with "Import catalogue…" and "Export catalogue…"."""

    import_catalogue_requested = Signal()
    export_catalogue_requested = Signal()

    def __init__(self, tasks: TaskManager, spec: ListSpec, parent: QWidget | None = None):
        super().__init__(tasks, spec, parent)
        self.import_catalogue_button = self._tool_button("import", self.tr("Import catalogue…"))
        self.import_catalogue_button.setToolTip(
            self.tr(
                "MARC21, MARCXML, CSV or RIS: see what would be added, updated or skipped before importing"
            )
        )
        self.export_catalogue_button = self._tool_button("export", self.tr("Export catalogue…"))
        self.export_catalogue_button.setToolTip(self.tr("Every knowledge-centre item as CSV or MARCXML"))
        self.controls.insertWidget(4, self.import_catalogue_button)
        self.controls.insertWidget(5, self.export_catalogue_button)
        self.import_catalogue_button.clicked.connect(self.import_catalogue_requested)
        self.export_catalogue_button.clicked.connect(self.export_catalogue_requested)
