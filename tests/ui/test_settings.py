"""The settings dialog: QSettings-backed preferences with OK / Cancel / Apply, and the data folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget

from desktop.paths import ProfilePaths, resolve_profile
from desktop.ui import appearance, preferences
from desktop.ui.settings_dialog import USE_DEFAULT, SettingsDialog


def _dialog(qtbot, **kwargs) -> SettingsDialog:
    dialog = SettingsDialog(**kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_defaults_are_shown_and_nothing_to_apply(qtbot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, paths=ProfilePaths(tmp_path / "p", "platform default"))
    assert dialog.appearance_combo.currentData() == "system"
    assert dialog.downscale_combo.currentData() == 0
    assert not dialog.keep_location_box.isChecked()
    assert not dialog.apply_button.isEnabled()
    assert str(tmp_path / "p") in dialog.data_dir_label.text()
    assert "default" in dialog.chosen_by_label.text()
    assert "seconds" in dialog.autosave_label.text()
    assert not dialog.me_edit.isEnabled()  # no way to save a name without the callback


def test_apply_saves_preferences_and_cancel_does_not(qtbot, tmp_path: Path) -> None:
    names: list[str] = []
    dialog = _dialog(
        qtbot, paths=ProfilePaths(tmp_path, "--data-dir"), me="thandi", on_me_changed=names.append
    )
    try:
        dialog.downscale_combo.setCurrentIndex(dialog.downscale_combo.findData(1600))
        qtbot.mouseClick(dialog.keep_location_box, Qt.MouseButton.LeftButton)
        dialog.appearance_combo.setCurrentIndex(dialog.appearance_combo.findData("dark"))
        dialog.me_edit.clear()
        qtbot.keyClicks(dialog.me_edit, "Thandi Mokoena")
        assert dialog.apply_button.isEnabled()
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
        assert not dialog.apply_button.isEnabled()
        assert preferences.photo_max_side() == 1600
        assert preferences.keep_photo_location()
        assert preferences.appearance_mode() == "dark"
        assert appearance.is_dark()
        assert names == ["Thandi Mokoena"]

        dialog.downscale_combo.setCurrentIndex(dialog.downscale_combo.findData(1024))
        dialog.reject()
        assert preferences.photo_max_side() == 1600  # Cancel kept the applied value
    finally:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        appearance.apply_appearance(app, "system")

    again = _dialog(qtbot, paths=ProfilePaths(tmp_path, "--data-dir"))
    assert again.downscale_combo.currentData() == 1600
    assert again.keep_location_box.isChecked()
    assert "overrides" in again.chosen_by_label.text()


def test_ok_applies_and_closes(qtbot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, paths=ProfilePaths(tmp_path, "platform default"))
    dialog.downscale_combo.setCurrentIndex(dialog.downscale_combo.findData(1024))
    with qtbot.waitSignal(dialog.settings_applied):
        dialog.accept()
    assert not dialog.isVisible()
    assert QSettings().value(preferences.PHOTO_MAX_SIDE_KEY) in (1024, "1024")
    assert preferences.photo_max_side() == 1024


def test_a_new_data_folder_goes_to_the_config_file_and_needs_a_restart(qtbot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, paths=resolve_profile())
    target = tmp_path / "shared-drive" / "imbizo"
    dialog.set_pending_data_dir(str(target))
    assert dialog.restart_label.isVisible()
    assert "next start" in dialog.restart_label.text()
    assert resolve_profile().chosen_by == "platform default"  # nothing written before Apply
    dialog.apply()
    assert dialog.restart_needed
    chosen = resolve_profile()
    assert chosen.data_dir == target and chosen.chosen_by == "config file"

    dialog.set_pending_data_dir(USE_DEFAULT)
    dialog.apply()
    assert resolve_profile().chosen_by == "platform default"


def test_every_control_has_an_accessible_name(qtbot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, paths=ProfilePaths(tmp_path, "platform default"), on_me_changed=print)
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit

    controls = [
        w
        for w in dialog.findChildren(QWidget)
        if isinstance(w, QComboBox | QLineEdit | QAbstractButton) and w.isVisible()
    ]
    assert len(controls) >= 8
    for control in controls:
        assert control.accessibleName() or (
            isinstance(control, QAbstractButton) and control.text().replace("&", "")
        ), control


def test_window_size_is_remembered_between_runs(qtbot, open_window, empty_profile) -> None:
    first = open_window(empty_profile)
    # The offscreen screen is 800 x 800 and the window is at least 1024 wide, so restoreGeometry
    # clamps the width; the height (under the screen's) is what must come back exactly.
    first.resize(first.minimumWidth(), 612)
    qtbot.waitUntil(lambda: first.height() == 612)
    first.close()

    second = open_window(empty_profile)
    assert second.height() == 612
    assert second.width() >= second.minimumWidth()
    second.close()


def test_settings_open_from_the_menu_with_your_name(qtbot, open_window, empty_profile) -> None:
    from PySide6.QtGui import QKeySequence

    window = open_window(empty_profile)
    bindings = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
    assert window.settings_action.shortcuts() == (bindings or [QKeySequence("Ctrl+,")])
    window.settings_action.trigger()
    qtbot.waitUntil(lambda: getattr(window, "settings_dialog", None) is not None, timeout=20_000)
    dialog = window.settings_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.me_edit.isEnabled() and dialog.me_edit.text()  # the OS user, from the session
    dialog.me_edit.clear()
    qtbot.keyClicks(dialog.me_edit, "Sipho Dlamini")
    dialog.accept()
    session = window.session
    qtbot.waitUntil(lambda: not window.tasks.pending_count, timeout=20_000)
    assert session.me() == "Sipho Dlamini"


def test_standard_shortcuts_fall_back_where_the_platform_has_none(qapp) -> None:
    from PySide6.QtGui import QKeySequence

    from desktop.ui.conventions import standard_shortcuts

    assert standard_shortcuts(QKeySequence.StandardKey.Save, "Ctrl+Alt+S") == list(
        QKeySequence.keyBindings(QKeySequence.StandardKey.Save)
    )
    quit_keys = standard_shortcuts(QKeySequence.StandardKey.Quit, "Ctrl+Q")
    assert quit_keys and all(not k.isEmpty() for k in quit_keys)
    if not QKeySequence.keyBindings(QKeySequence.StandardKey.Quit):
        assert quit_keys == [QKeySequence("Ctrl+Q")]
