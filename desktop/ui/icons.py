"""The app's line icons: SVGs under ``resources/icons`` drawn in the palette's text colour.

The SVGs draw with ``currentColor``. An icon is painted on demand by a small
``QIconEngine`` at exactly the size and device pixel ratio asked for (so it stays
sharp at 125 %, 150 % and 200 % scaling) and in the colour of the application
palette at that moment, so it follows a switch between light and dark without
reloading anything.
"""

from __future__ import annotations

import logging
from functools import cache

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from desktop.resources import resource

logger = logging.getLogger(__name__)

#: Every icon the app ships; ``icon()`` accepts only these names.
ICON_NAMES = (
    "home",
    "knowledge-base",
    "site-visit",
    "experts",
    "centre",
    "communities",
    "search",
    "new",
    "edit",
    "delete",
    "history",
    "export",
    "import",
    "attach",
    "back",
    "settings",
    "sync",
    "review",
    "duplicates",
    "trash",
    "photo",
    "document",
    "notifications",
    "dashboard",
    "helped",
    "vocabulary",
    "merge",
)


def icon_path_text(name: str) -> str:
    """The SVG source of one icon (``KeyError`` for a name the app does not ship)."""
    if name not in ICON_NAMES:
        raise KeyError(f"no icon called {name!r}")
    return _svg_source(name)


@cache
def _svg_source(name: str) -> str:
    return resource("icons", f"{name}.svg").read_text(encoding="utf-8")


def _colour_for(mode: QIcon.Mode) -> QColor:
    """The pen colour for one icon mode, from the application palette as it is now."""
    palette = QGuiApplication.palette()
    if mode == QIcon.Mode.Disabled:
        return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    if mode == QIcon.Mode.Selected:
        return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText)
    return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)


class _SvgIconEngine(QIconEngine):
    """Paints one recoloured SVG at whatever size and scale Qt asks for."""

    def __init__(self, name: str):
        super().__init__()
        self._name = name
        self._renderers: dict[str, QSvgRenderer] = {}

    def _renderer(self, colour: QColor) -> QSvgRenderer:
        key = colour.name(QColor.NameFormat.HexArgb)
        renderer = self._renderers.get(key)
        if renderer is None:
            svg = _svg_source(self._name).replace("currentColor", colour.name(QColor.NameFormat.HexRgb))
            if colour.alpha() < 255:
                svg = svg.replace("<svg ", f'<svg stroke-opacity="{colour.alphaF():.3f}" ', 1)
            renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
            self._renderers[key] = renderer
        return renderer

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        """Draw the icon into ``rect`` (square, centred)."""
        side = min(rect.width(), rect.height())
        target = QRectF(
            rect.x() + (rect.width() - side) / 2, rect.y() + (rect.height() - side) / 2, side, side
        )
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._renderer(_colour_for(mode)).render(painter, target)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        """The icon at ``size`` device pixels."""
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        """The icon at ``size`` logical pixels for a screen of ``scale`` device pixels per pixel."""
        width, height = max(1, round(size.width() * scale)), max(1, round(size.height() * scale))
        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        self.paint(painter, QRect(0, 0, width, height), mode, state)
        painter.end()
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        """Square icons: the largest square that fits."""
        side = min(size.width(), size.height())
        return QSize(side, side)

    def clone(self) -> QIconEngine:
        """A copy (Qt clones engines when an icon is detached)."""
        return _SvgIconEngine(self._name)

    def key(self) -> str:
        """Names the engine kind for Qt."""
        return "imbizo-svg"

    def iconName(self) -> str:
        """The icon's name, as ``QIcon.name()`` reports it."""
        return self._name

    def isNull(self) -> bool:
        """Null only when the SVG cannot be read."""
        return not self._renderer(_colour_for(QIcon.Mode.Normal)).isValid()


#: Icons made so far; the engines are kept here too, so Python never collects one Qt still uses.
_cache: dict[str, tuple[QIcon, _SvgIconEngine]] = {}


def icon(name: str) -> QIcon:
    """The icon called ``name`` (one of ``ICON_NAMES``), in the palette's colours at any scale."""
    cached = _cache.get(name)
    if cached is not None:
        return cached[0]
    icon_path_text(name)  # a clear KeyError for an unknown name, an OSError for a missing file
    engine = _SvgIconEngine(name)
    made = QIcon(engine)
    _cache[name] = (made, engine)
    return made


def app_icon(name: str) -> QIcon | None:
    """The app's icon called ``name``, or None when it cannot be had (a missing or unknown file)."""
    try:
        return icon(name)
    except (KeyError, OSError):
        return None
