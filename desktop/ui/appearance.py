"""Light and dark appearance: follow the system, or force a light or a dark Fusion palette.

``apply_appearance(app, "system")`` follows the operating system's colour scheme
(``QStyleHints.colorScheme()``) and keeps following it when the user switches
(``colorSchemeChanged``). In light mode the native style and palette are kept; dark
mode (forced, or the system's) uses Fusion with our dark palette, because the
native styles of older Windows cannot draw dark.

Fusion draws the outline of check boxes, radio buttons and line edits in the
window colour made darker; over a dark base that outline all but vanishes (the
known faint-checkbox problem). ``_ClearOutlineStyle`` hands Fusion a lighter
window colour for exactly those primitives, so their outline has real contrast.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleFactory, QStyleOption, QWidget

logger = logging.getLogger(__name__)

Mode = Literal["system", "light", "dark"]
MODES: tuple[Mode, ...] = ("system", "light", "dark")
#: The QSettings key holding the chosen mode.
SETTINGS_KEY = "appearance/mode"

_R = QPalette.ColorRole
_G = QPalette.ColorGroup

#: Dark palette: body text on base is about 14:1, selection text about 5:1 (WCAG AA needs 4.5:1).
DARK_COLOURS: dict[QPalette.ColorRole, str] = {
    _R.Window: "#2b2d31",
    _R.WindowText: "#e8e9eb",
    _R.Base: "#1e1f22",
    _R.AlternateBase: "#26282c",
    _R.ToolTipBase: "#3a3d42",
    _R.ToolTipText: "#f2f2f2",
    _R.PlaceholderText: "#9a9ea6",
    _R.Text: "#e8e9eb",
    _R.Button: "#383b40",
    _R.ButtonText: "#e8e9eb",
    _R.BrightText: "#ff8080",
    _R.Light: "#5b5f67",
    _R.Midlight: "#474a50",
    _R.Mid: "#303236",
    _R.Dark: "#18191b",
    _R.Shadow: "#000000",
    _R.Highlight: "#2f6bc4",
    _R.HighlightedText: "#ffffff",
    _R.Link: "#7ab8ff",
    _R.LinkVisited: "#c3a6ff",
}
DARK_DISABLED: dict[QPalette.ColorRole, str] = {
    _R.WindowText: "#7d8088",
    _R.Text: "#7d8088",
    _R.ButtonText: "#7d8088",
    _R.Highlight: "#45484e",
    _R.HighlightedText: "#b8bac0",
}

#: Light palette, for "light" forced over a dark system (the native light palette serves otherwise).
LIGHT_COLOURS: dict[QPalette.ColorRole, str] = {
    _R.Window: "#efeff1",
    _R.WindowText: "#1b1c1e",
    _R.Base: "#ffffff",
    _R.AlternateBase: "#f4f5f7",
    _R.ToolTipBase: "#ffffe1",
    _R.ToolTipText: "#1b1c1e",
    _R.PlaceholderText: "#6b6f76",
    _R.Text: "#1b1c1e",
    _R.Button: "#e6e7ea",
    _R.ButtonText: "#1b1c1e",
    _R.BrightText: "#ffffff",
    _R.Light: "#ffffff",
    _R.Midlight: "#f3f3f5",
    _R.Mid: "#b8bac0",
    _R.Dark: "#9b9ea5",
    _R.Shadow: "#5f6167",
    _R.Highlight: "#2f6bc4",
    _R.HighlightedText: "#ffffff",
    _R.Link: "#0b57c2",
    _R.LinkVisited: "#6a3bb8",
}
LIGHT_DISABLED: dict[QPalette.ColorRole, str] = {
    _R.WindowText: "#8a8c92",
    _R.Text: "#8a8c92",
    _R.ButtonText: "#8a8c92",
    _R.Highlight: "#c9cbd0",
    _R.HighlightedText: "#5f6167",
}

#: The window colour Fusion is handed when drawing an indicator outline in dark mode; Fusion
#: darkens it by 140 %, which lands on a mid grey that stands out from the dark base.
DARK_OUTLINE_SOURCE = "#c4c8d0"


def make_palette(dark: bool) -> QPalette:
    """The explicit light or dark palette."""
    colours, disabled = (DARK_COLOURS, DARK_DISABLED) if dark else (LIGHT_COLOURS, LIGHT_DISABLED)
    palette = QPalette()
    for role, value in colours.items():
        palette.setColor(role, QColor(value))
    for role, value in disabled.items():
        palette.setColor(_G.Disabled, role, QColor(value))
    return palette


class _ClearOutlineStyle(QProxyStyle):
    """Fusion, with outlines of check boxes, radio buttons and fields that show on a dark base."""

    # Filled in on first use: reading QStyle's enums costs ~15 ms, on the start-up path if done here.
    _OUTLINED: tuple[QStyle.PrimitiveElement, ...] = ()

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        """Draw as Fusion does, with a lighter window colour for outlined primitives."""
        if not self._OUTLINED:
            elements = QStyle.PrimitiveElement
            type(self)._OUTLINED = (
                elements.PE_IndicatorCheckBox,
                elements.PE_IndicatorRadioButton,
                elements.PE_IndicatorItemViewItemCheck,
                elements.PE_FrameLineEdit,
            )
        if element in self._OUTLINED and option.palette.color(_R.Base).lightness() < 128:
            option = type(option)(option)  # a copy: the caller's option stays as it was
            option.palette.setColor(_R.Window, QColor(DARK_OUTLINE_SOURCE))
        super().drawPrimitive(element, option, painter, widget)


@dataclass
class _State:
    """What the app was started with, and what is applied now."""

    mode: Mode = "system"
    native_style: str = ""
    native_palette: QPalette | None = None
    follows_scheme: bool = False
    styles: list[QStyle] = field(default_factory=list)  # keeps the live proxy style referenced


_state = _State()


def current_mode() -> Mode:
    """The mode last applied."""
    return _state.mode


def is_dark(app: QApplication | None = None) -> bool:
    """Whether the application palette is dark now (icons and HTML views pick colours from it)."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    palette = app.palette() if isinstance(app, QApplication) else QPalette()
    return palette.color(_R.Window).lightness() < 128


def wants_dark(mode: Mode, scheme: Qt.ColorScheme) -> bool:
    """Whether ``mode`` under the system's ``scheme`` means the dark palette."""
    if mode == "dark":
        return True
    if mode == "light":
        return False
    return scheme == Qt.ColorScheme.Dark


def normalise_mode(value: object) -> Mode:
    """A stored setting as a mode (anything unknown means "system")."""
    text = str(value or "").strip().lower()
    for mode in MODES:
        if text == mode:
            return mode
    return "system"


def apply_appearance(app: QApplication, mode: Mode) -> None:
    """Apply ``mode`` ("system", "light" or "dark") to the whole application now."""
    if not _state.native_style:
        _state.native_style = app.style().name()
        _state.native_palette = QPalette(app.palette())
    _state.mode = normalise_mode(mode)
    hints = app.styleHints()
    if not _state.follows_scheme:
        hints.colorSchemeChanged.connect(_on_color_scheme_changed)
        _state.follows_scheme = True
    _apply(app, hints.colorScheme())


def _on_color_scheme_changed(scheme: Qt.ColorScheme) -> None:
    app = QApplication.instance()
    if _state.mode == "system" and isinstance(app, QApplication):
        logger.info("the system colour scheme changed to %s", scheme.name)
        _apply(app, scheme)


def _apply(app: QApplication, scheme: Qt.ColorScheme) -> None:
    dark = wants_dark(_state.mode, scheme)
    native = _state.native_style
    # Light under a light (or unknown) system scheme: the native look is the best light look.
    keep_native = not dark and scheme != Qt.ColorScheme.Dark
    if keep_native and native:
        if app.style().name() != native:
            app.setStyle(native)
        app.setPalette(_state.native_palette or app.style().standardPalette())
        return
    style = _ClearOutlineStyle(QStyleFactory.create("Fusion"))
    _state.styles[:] = [style]
    app.setStyle(style)
    app.setPalette(make_palette(dark))
