"""The grid of an attachments panel: one tile per file, a thumbnail for pictures, a type icon otherwise.

Tiles show the file name and size; the tooltip adds the type and whether the
file's text is searchable. Thumbnails arrive later as QImages decoded off the
GUI thread (see ``AttachmentsPanel``) and replace the type icon.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QWidget

if TYPE_CHECKING:
    from desktop.core.ports import AttachmentInfo

ICON_SIZE = QSize(96, 96)
#: Tiles of the compact strip (the review queue): small, in one row that scrolls sideways.
STRIP_ICON_SIZE = QSize(48, 48)
INFO_ROLE = Qt.ItemDataRole.UserRole + 1
THUMBNAIL_ROLE = Qt.ItemDataRole.UserRole + 2


class AttachmentGrid(QListView):
    """Tiles of attachments (IconMode), several selectable; drops are left to the panel around it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.tiles = QStandardItemModel(self)
        self.setModel(self.tiles)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setIconSize(ICON_SIZE)
        self.setGridSize(QSize(ICON_SIZE.width() + 72, ICON_SIZE.height() + 56))
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keeps the extension of a long name
        self.setSpacing(4)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAcceptDrops(False)  # the panel takes the drop and attaches the files
        self.set_strip(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.setAccessibleName(self.tr("Attached files"))
        self.setAccessibleDescription(self.tr("Drop files here to attach them"))

    def set_strip(self, strip: bool) -> None:
        """One row of small tiles that scrolls sideways (True), or the wrapping grid (False)."""
        size = STRIP_ICON_SIZE if strip else ICON_SIZE
        self.setIconSize(size)
        self.setGridSize(QSize(size.width() + 72, size.height() + (24 if strip else 56)))
        self.setWrapping(not strip)
        self.setWordWrap(not strip)  # one line of name under a small tile (the tooltip has it all)
        self.setFlow(QListView.Flow.LeftToRight)
        scrollbar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent) if strip else 0
        self.setMinimumHeight(size.height() + (28 if strip else 64) + scrollbar)
        self.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff if strip else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        )
        self.setMaximumHeight(self.minimumHeight() if strip else 16_777_215)  # QWIDGETSIZE_MAX

    def show_attachments(self, infos: list[AttachmentInfo]) -> None:
        """Replace the tiles with these attachments (type icons until thumbnails arrive)."""
        from desktop.media.filetypes import is_image

        chosen = {info.sha256 for info in self.selected()}  # a reload keeps what was selected
        self.tiles.clear()
        for info in infos:
            size = self.locale().formattedDataSize(info.size)
            if not info.present:  # only on the server until someone opens it
                size = self.tr("%1, not downloaded").replace("%1", size)
            item = QStandardItem(self._type_icon(is_image(info.media_type)), f"{info.filename}\n{size}")
            item.setData(info, INFO_ROLE)
            item.setEditable(False)
            state = self._text_state(info.text_state) if info.present else self._remote_hint()
            item.setToolTip(f"{info.filename}\n{info.media_type}, {size}\n{state}")
            item.setData(f"{info.filename}, {size}", Qt.ItemDataRole.AccessibleTextRole)
            self.tiles.appendRow(item)
            if info.sha256 in chosen:
                self.selectionModel().select(item.index(), self.selectionModel().SelectionFlag.Select)

    def clear(self) -> None:
        """No tiles."""
        self.tiles.clear()

    def set_thumbnail(self, sha256: str, image: QImage) -> None:
        """Show ``image`` on the tiles of the attachment ``sha256``."""
        for row in range(self.tiles.rowCount()):
            item = self.tiles.item(row)
            if item.data(INFO_ROLE).sha256 == sha256:
                item.setIcon(QIcon(QPixmap.fromImage(image)))
                item.setData(True, THUMBNAIL_ROLE)

    def has_thumbnail(self, row: int) -> bool:
        """True when the tile in ``row`` shows a picture of the file (not a type icon)."""
        return bool(self.tiles.item(row).data(THUMBNAIL_ROLE))

    def attachments(self) -> list[AttachmentInfo]:
        """The attachments shown, in order."""
        return [self.tiles.item(row).data(INFO_ROLE) for row in range(self.tiles.rowCount())]

    def selected(self) -> list[AttachmentInfo]:
        """The attachments selected."""
        rows = sorted({index.row() for index in self.selectionModel().selectedIndexes()})
        return [self.tiles.item(row).data(INFO_ROLE) for row in rows]

    def select_row(self, row: int) -> None:
        """Select the tile in ``row`` only (keyboard users and tests)."""
        self.clearSelection()
        self.selectionModel().select(self.tiles.index(row, 0), self.selectionModel().SelectionFlag.Select)

    def _text_state(self, state: str) -> str:
        return {
            "pending": self.tr("Text not read yet"),
            "done": self.tr("Text searchable"),
            "failed": self.tr("Text could not be read"),
        }.get(state, "")

    def _remote_hint(self) -> str:
        return self.tr("On the server: opening it downloads it")

    def _type_icon(self, image: bool) -> QIcon:
        try:
            from desktop.ui.icons import icon

            # A fixed pixmap: the line icon repainted in the "selected" text colour would vanish on a
            # selected tile, whose icon area stays on the base colour in IconMode.
            return QIcon(icon("photo" if image else "document").pixmap(ICON_SIZE, self.devicePixelRatioF()))
        except (ImportError, KeyError, OSError):  # before the icon set is installed
            return self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
