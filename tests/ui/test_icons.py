"""The app's SVG line icons: every one loads, renders sharp at 1x and 2x, and follows the palette."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QImage
from PySide6.QtWidgets import QApplication

from desktop.resources import resource
from desktop.ui.appearance import apply_appearance
from desktop.ui.icons import ICON_NAMES, icon


def _inked(image: QImage) -> list[QColor]:
    return [
        image.pixelColor(x, y)
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha() > 200
    ]


def test_every_shipped_svg_has_a_name_and_draws_in_current_color() -> None:
    files = {p.stem for p in resource("icons").glob("*.svg")}
    assert files == set(ICON_NAMES)
    for name in ICON_NAMES:
        root = ET.parse(resource("icons", f"{name}.svg")).getroot()
        assert root.get("viewBox") == "0 0 24 24", name
        assert root.get("stroke") == "currentColor", name


@pytest.mark.parametrize("name", ICON_NAMES)
def test_icon_renders_at_1x_and_2x(qapp: QApplication, name: str) -> None:
    made = icon(name)
    assert not made.isNull()
    assert icon(name) is made  # cached
    for scale in (1.0, 2.0):
        pixmap = made.pixmap(QSize(24, 24), scale)
        assert pixmap.devicePixelRatio() == scale
        assert pixmap.size() == QSize(round(24 * scale), round(24 * scale))
        image = pixmap.toImage()
        inked = _inked(image)
        # Some ink, but not a filled square.
        assert 20 * scale * scale < len(inked) < 0.6 * image.width() * image.height(), name


def test_icons_follow_the_palette(qapp: QApplication) -> None:
    try:
        apply_appearance(qapp, "dark")
        dark_ink = _inked(icon("home").pixmap(QSize(32, 32)).toImage())
        apply_appearance(qapp, "light")
        light_ink = _inked(icon("home").pixmap(QSize(32, 32)).toImage())
        disabled = _inked(icon("home").pixmap(QSize(32, 32), QIcon.Mode.Disabled).toImage())
    finally:
        apply_appearance(qapp, "system")
    assert min(c.lightness() for c in dark_ink) > 180  # light ink on a dark window
    assert max(c.lightness() for c in light_ink) < 80  # dark ink on a light window
    assert disabled and sum(c.lightness() for c in disabled) / len(disabled) > 100


def test_unknown_icon_name_is_an_error() -> None:
    with pytest.raises(KeyError):
        icon("no-such-icon")
