"""Light and dark appearance: explicit palettes with readable contrast, visible check box outlines,
and "system" following the operating system's colour scheme."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QStyle, QStyleFactory, QStyleOptionButton

from desktop.ui import appearance
from desktop.ui.appearance import apply_appearance, make_palette, normalise_mode, wants_dark

R = QPalette.ColorRole


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The application, put back to the system appearance afterwards."""
    yield qapp
    apply_appearance(qapp, "system")


@pytest.mark.parametrize("dark", [False, True])
def test_palettes_have_readable_contrast(dark: bool) -> None:
    palette = make_palette(dark)
    pairs = [
        (R.Text, R.Base),
        (R.WindowText, R.Window),
        (R.ButtonText, R.Button),
        (R.HighlightedText, R.Highlight),
        (R.ToolTipText, R.ToolTipBase),
        (R.Link, R.Base),
        (R.Text, R.AlternateBase),
    ]
    for fg, bg in pairs:
        ratio = contrast(palette.color(fg), palette.color(bg))
        assert ratio >= 4.5, f"{fg.name} on {bg.name}: {ratio:.2f}"
    assert contrast(palette.color(R.PlaceholderText), palette.color(R.Base)) >= 3.0
    disabled = palette.color(QPalette.ColorGroup.Disabled, R.WindowText)
    assert contrast(disabled, palette.color(R.Window)) >= 2.5
    assert (palette.color(R.Window).lightness() < 128) is dark


def _outline_contrast(widget: QCheckBox) -> float:
    """The best contrast between the unchecked indicator's border pixels and the base colour."""
    option = QStyleOptionButton()
    widget.initStyleOption(option)
    rect = widget.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, widget)
    image = widget.grab().toImage()
    base = widget.palette().color(R.Base)
    border = [image.pixelColor(rect.left() + i, rect.top()) for i in range(2, rect.width() - 2)]
    border += [image.pixelColor(rect.left(), rect.top() + i) for i in range(2, rect.height() - 2)]
    return max(contrast(c, base) for c in border)


def test_dark_check_boxes_have_a_visible_outline(qtbot, app: QApplication) -> None:
    apply_appearance(app, "dark")
    assert appearance.is_dark(app)
    box = QCheckBox("Keep photo location")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    # WCAG asks 3:1 for the boundary of a control.
    assert _outline_contrast(box) >= 3.0

    # Plain Fusion with the same palette is the faint outline this module exists to fix.
    plain = QCheckBox("Plain Fusion")
    qtbot.addWidget(plain)
    fusion = QStyleFactory.create("Fusion")
    plain.setStyle(fusion)
    plain.show()
    qtbot.waitExposed(plain)
    assert _outline_contrast(plain) < 2.0


def test_light_and_dark_switch_the_application_palette(app: QApplication) -> None:
    apply_appearance(app, "dark")
    assert app.palette().color(R.Window) == QColor(appearance.DARK_COLOURS[R.Window])
    style = app.style()
    assert isinstance(style, appearance._ClearOutlineStyle)
    assert style.baseStyle().name().lower() == "fusion"
    apply_appearance(app, "light")
    assert not appearance.is_dark(app)
    assert appearance.current_mode() == "light"


def test_system_follows_the_colour_scheme_and_its_changes(app: QApplication) -> None:
    apply_appearance(app, "system")
    native_window = app.palette().color(R.Window)
    hints = app.styleHints()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert appearance.is_dark(app)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not appearance.is_dark(app)
    assert app.palette().color(R.Window) == native_window

    # An explicit choice is not overridden by the system.
    apply_appearance(app, "light")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert not appearance.is_dark(app)


def test_mode_rules() -> None:
    assert wants_dark("system", Qt.ColorScheme.Dark)
    assert not wants_dark("system", Qt.ColorScheme.Light)
    assert not wants_dark("system", Qt.ColorScheme.Unknown)
    assert wants_dark("dark", Qt.ColorScheme.Light)
    assert not wants_dark("light", Qt.ColorScheme.Dark)
    assert normalise_mode("Dark") == "dark"
    assert normalise_mode(None) == "system"
    assert normalise_mode("purple") == "system"


def test_the_app_applies_the_saved_appearance_at_start_up(app: QApplication) -> None:
    from desktop.ui.conventions import apply_saved_appearance

    QSettings().setValue(appearance.SETTINGS_KEY, "dark")
    apply_saved_appearance(app)
    assert appearance.is_dark(app)
    QSettings().setValue(appearance.SETTINGS_KEY, "light")
    apply_saved_appearance(app)
    assert not appearance.is_dark(app)


def test_a_shipped_translation_is_installed_at_start_up(app: QApplication, tmp_path, monkeypatch) -> None:
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from PySide6.QtCore import QCoreApplication, QLocale

    from desktop.ui import conventions

    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    if not lrelease.exists():
        pytest.skip("pyside6-lrelease is not installed")
    folder = tmp_path / "resources" / "translations"
    folder.mkdir(parents=True)
    (folder / "imbizo_zu.ts").write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="zu">'
        "<context><name>ErrorDialog</name><message><source>Something went wrong</source>"
        "<translation>Kukhona okungahambanga kahle</translation></message></context></TS>",
        encoding="utf-8",
    )
    subprocess.run([str(lrelease), str(folder / "imbizo_zu.ts")], check=True, capture_output=True)
    monkeypatch.setattr(conventions, "resource", lambda *parts: tmp_path.joinpath("resources", *parts))
    assert conventions.install_translator(app, QLocale("en_GB")) is None
    translator = conventions.install_translator(app, QLocale("zu_ZA"))
    assert translator is not None
    try:
        text = QCoreApplication.translate("ErrorDialog", "Something went wrong")
        assert text == "Kukhona okungahambanga kahle"
    finally:
        app.removeTranslator(translator)
        shutil.rmtree(folder)
