"""The navigation list on the left of the main window: one row per page, with its icon."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QMenu, QStyle, QWidget

from desktop.ui.icons import app_icon

#: Standard pixmaps for a page whose app icon is missing (names: QStyle's enum loads on first use).
FALLBACK_ICONS = {
    "home": "SP_DirHomeIcon",
    "search": "SP_FileDialogContentsView",
    "knowledge-base": "SP_FileDialogDetailedView",
    "site-visit": "SP_DriveNetIcon",
    "experts": "SP_DirLinkIcon",
    "centre": "SP_DriveHDIcon",
    "communities": "SP_DirOpenIcon",
    "trash": "SP_TrashIcon",
}


class NavigationList(QListWidget):
    """Rows for pages; arrow keys and clicks change ``currentRow`` (the window shows that page)."""

    WIDTH = 190

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(self.tr("Navigation"))
        self.setIconSize(QSize(20, 20))
        self.setSpacing(1)
        self.setFixedWidth(self.WIDTH)

    def page_icon(self, name: str) -> QIcon:
        """The app's icon for a page, or a standard one while it has none."""
        shown = app_icon(name)
        if shown is not None:
            return shown
        return self.style().standardIcon(getattr(QStyle.StandardPixmap, FALLBACK_ICONS[name]))

    def add_page(self, title: str, icon_name: str) -> QListWidgetItem:
        """Add one row."""
        item = QListWidgetItem(self.page_icon(icon_name), title)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
        item.setSizeHint(QSize(0, 30))
        self.addItem(item)
        return item

    def add_go_actions(self, menu: QMenu, go_to: Callable[[int], None]) -> Sequence[QAction]:
        """One Go menu entry per row, with Ctrl+1, Ctrl+2, ... as shortcuts."""
        actions = []
        for row in range(self.count()):
            item = self.item(row)
            action = QAction(item.icon(), item.text(), menu)
            action.setShortcut(QKeySequence(f"Ctrl+{row + 1}"))
            action.triggered.connect(lambda _checked=False, row=row: go_to(row))
            menu.addAction(action)
            actions.append(action)
        return actions
