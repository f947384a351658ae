"""The search box of the window's top bar, made before the Search page (on screen from the start)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit


def make_search_box() -> QLineEdit:
    """The search box; the Search page's panel connects to it when the page is built."""
    edit = QLineEdit()
    edit.setPlaceholderText(
        QCoreApplication.translate("SearchPanel", "Search titles, people and full text  (Ctrl+K)")
    )
    edit.setAccessibleName(QCoreApplication.translate("SearchPanel", "Search"))
    edit.setClearButtonEnabled(True)
    return edit
