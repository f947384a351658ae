"""The list model of search hits and the delegate that draws a hit: title, kind, highlighted snippet."""

from __future__ import annotations

import html
import re
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop.core.kinds import KIND_LABELS, Kind
from desktop.core.marks import MARK_END, MARK_START

if TYPE_CHECKING:  # the search package loads Whoosh: not on the start-up path
    from desktop.search import Hit

_MARKED = re.compile(re.escape(MARK_START) + r"(.*?)" + re.escape(MARK_END), re.S)

AnyIndex = QModelIndex | QPersistentModelIndex


def snippet_html(snippet: str) -> str:
    """A search snippet as safe HTML: the text escaped, then the match markers turned into <b>."""
    escaped = html.escape(snippet, quote=False)
    return _MARKED.sub(lambda m: f"<b>{m.group(1)}</b>", escaped)


def muted_colour(palette: QPalette) -> str:
    """A secondary-text colour that stays legible in light and dark palettes: text blended into base."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    mix = 0.55
    r = round(text.red() * mix + base.red() * (1 - mix))
    g = round(text.green() * mix + base.green() * (1 - mix))
    b = round(text.blue() * mix + base.blue() * (1 - mix))
    return f"#{r:02x}{g:02x}{b:02x}"


def kind_label(kind: Kind | str) -> str:
    """The human name of a kind ("Case study"), falling back to the raw value."""
    try:
        return KIND_LABELS[Kind(kind)]
    except ValueError:
        return str(kind)


class HitListModel(QAbstractListModel):
    """Search hits for a QListView; ``IdRole`` gives the record id, ``HitRole`` the Hit."""

    IdRole = Qt.ItemDataRole.UserRole + 1
    HitRole = Qt.ItemDataRole.UserRole + 2
    SnippetHtmlRole = Qt.ItemDataRole.UserRole + 3
    KindLabelRole = Qt.ItemDataRole.UserRole + 4

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._hits: list[Hit] = []

    def set_hits(self, hits: list[Hit]) -> None:
        """Replace every hit."""
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> Hit | None:
        """The hit at ``row``, or None."""
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        hit = self.hit(index.row()) if index.isValid() else None
        if hit is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title or self.tr("(untitled)")
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            plain = hit.snippet.replace(MARK_START, "").replace(MARK_END, "")
            return f"{hit.title} ({kind_label(hit.kind)})\n{plain}".strip()
        if role == self.IdRole:
            return hit.id
        if role == self.HitRole:
            return hit
        if role == self.SnippetHtmlRole:
            return snippet_html(hit.snippet)
        if role == self.KindLabelRole:
            return kind_label(hit.kind)
        return None


class HitDelegate(QStyledItemDelegate):
    """Draws a hit as a title line (title, then the kind in a muted colour) and a rich-text snippet.

    The snippet is cut at a whole line, so no row shows half a line of text.
    """

    PADDING = 6
    SNIPPET_LINES = 2
    #: Laid-out documents kept for reuse: a list repaints and measures the same rows over and over,
    #: and laying out rich text is the dearest part of a paint (bench/bench_gui_stall.py).
    CACHE_SIZE = 600

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._cache: OrderedDict[tuple[str, float, str], QTextDocument] = OrderedDict()

    def _documents(
        self, option: QStyleOptionViewItem, index: AnyIndex, width: float
    ) -> tuple[QTextDocument, QTextDocument | None]:
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text = palette.color(text_role).name()
        muted = text if selected else muted_colour(palette)
        title = html.escape(str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        kind = html.escape(str(index.data(HitListModel.KindLabelRole) or ""))
        head = self._document(
            option,
            width,
            f"<span style='color:{text}; font-weight:600'>{title}</span>&nbsp;&nbsp;"
            f"<span style='color:{muted}'>{kind}</span>",
        )
        snippet = index.data(HitListModel.SnippetHtmlRole) or ""
        body = (
            self._document(option, width, f"<span style='color:{text}'>{snippet}</span>") if snippet else None
        )
        return head, body

    def _document(self, option: QStyleOptionViewItem, width: float, markup: str) -> QTextDocument:
        key = (markup, max(width, 50.0), option.font.key())
        doc = self._cache.get(key)
        if doc is not None:
            self._cache.move_to_end(key)
            return doc
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(option.font)
        doc.setHtml(markup)
        doc.setTextWidth(key[1])
        self._cache[key] = doc
        if len(self._cache) > self.CACHE_SIZE:
            self._cache.popitem(last=False)
        return doc

    def _snippet_height(self, option: QStyleOptionViewItem, body: QTextDocument | None) -> int:
        if body is None:
            return 0
        lines = self.SNIPPET_LINES * option.fontMetrics.lineSpacing()
        return min(int(body.size().height()), lines + 1)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = opt.rect
        width = rect.width() - 2 * self.PADDING
        head, body = self._documents(opt, index, width)
        painter.save()
        painter.setClipRect(rect)  # a row never draws into its neighbour
        painter.translate(rect.left() + self.PADDING, rect.top() + self.PADDING)
        head.drawContents(painter)
        if body is not None:
            painter.translate(0, head.size().height() + 2)
            body.drawContents(painter, QRectF(0, 0, width, self._snippet_height(opt, body)))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        """The row's height from font metrics alone: the view asks it of every row, not only the
        visible ones, and laying out rich text for each was the GUI thread's biggest stall when
        results arrived while typing (bench/bench_gui_stall.py). Paint lays out the visible rows."""
        width = option.rect.width() if option.rect.width() > 0 else 400
        text_width = max(width - 2 * self.PADDING, 50)
        bold = QFont(option.font)
        bold.setWeight(QFont.Weight.DemiBold)
        title = (
            f"{index.data(Qt.ItemDataRole.DisplayRole) or ''}  {index.data(HitListModel.KindLabelRole) or ''}"
        )
        # Word wrap leaves ragged line ends: count lines against a slightly narrower width.
        head_lines = max(1, -(-QFontMetrics(bold).horizontalAdvance(title) // int(text_width * 0.85)))
        line = option.fontMetrics.lineSpacing()
        height = head_lines * QFontMetrics(bold).lineSpacing()
        if index.data(HitListModel.SnippetHtmlRole):
            height += 2 + self.SNIPPET_LINES * line + 1
        return QSize(width, height + 2 * self.PADDING)
