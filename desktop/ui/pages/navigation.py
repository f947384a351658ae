"""The navigation list on the left of the main window: one row per page, with its icon."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QMenu, QWidget

#: Standard pixmaps for a page whose app icon is missing (names: QStyle's enum loads on first use).
FALLBACK_ICONS = {
    "home": "SP_DirHomeIcon",
    "search": "SP_FileDialogContentsView",
    "knowledge-base": "SP_FileDialogDetailedView",
    "site-visit": "SP_DriveNetIcon",
    "experts": "SP_DirLinkIcon",
    "centre": "SP_DriveHDIcon",
    "communities": "SP_DirOpenIcon",
    "review": "SP_DialogApplyButton",
    "duplicates": "SP_FileDialogListView",
    "dashboard": "SP_FileDialogInfoView",
    "vocabulary": "SP_FileDialogListView",
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
        self.icon_names: list[str] = []
        self.icons_loaded = False

    def page_icon(self, name: str) -> QIcon:
        """The app's icon for a page, or a standard one while it has none."""
        from desktop.ui.icons import app_icon  # SVG support: after the first frame (load_icons)

        shown = app_icon(name)
        if shown is not None:
            return shown
        from PySide6.QtWidgets import QStyle

        return self.style().standardIcon(getattr(QStyle.StandardPixmap, FALLBACK_ICONS[name]))

    def add_page(self, title: str, icon_name: str) -> QListWidgetItem:
        """Add one row (its icon comes with :meth:`load_icons`)."""
        item = QListWidgetItem(title)
        self.icon_names.append(icon_name)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
        item.setSizeHint(QSize(0, 30))
        self.addItem(item)
        return item

    def load_icons(self) -> None:
        """Give every row its icon. The navigation is hidden while the profile opens, so the
        window shows first and the SVG icons load when the pages appear."""
        if self.icons_loaded:
            return
        self.icons_loaded = True
        for row, name in enumerate(self.icon_names):
            item = self.item(row)
            if item is not None:
                item.setIcon(self.page_icon(name))

    def add_go_actions(self, menu: QMenu, go_to: Callable[[int], None]) -> Sequence[QAction]:
        """One Go menu entry per row, with Ctrl+1 ... Ctrl+9 as shortcuts of the first nine."""
        actions = []
        for row in range(self.count()):
            item = self.item(row)
            action = QAction(item.icon(), item.text(), menu)
            if row < 9:  # Ctrl+1 to Ctrl+9; the pages after those are in the menu without a key
                action.setShortcut(QKeySequence(f"Ctrl+{row + 1}"))
            action.triggered.connect(lambda _checked=False, row=row: go_to(row))
            menu.addAction(action)
            actions.append(action)
        return actions
