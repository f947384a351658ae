"""Settings (Preferences, Ctrl+,): data folder, appearance, photos, autosave, your name, downloads.

Preferences live in QSettings (``desktop.ui.preferences``). The data folder is the
exception: the profile is chosen before Qt starts and by the command line too, so it
is written to Imbizo's small config file (``desktop.paths.write_data_dir``) and takes
effect at the next start. OK applies and closes, Apply applies, Cancel changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.paths import ProfilePaths, resolve_profile, write_data_dir
from desktop.ui import preferences
from desktop.ui.appearance import MODES, Mode, apply_appearance

logger = logging.getLogger(__name__)

#: The data-folder choice when the user asked for the platform default (the config line is removed).
USE_DEFAULT = "default"


def _autosave_figures() -> tuple[float, int]:
    """Seconds between autosaves of a working copy, and minutes between saved revisions."""
    try:
        from desktop.ui.editors import autosave
    except ImportError:  # the editors are optional for this dialog
        return 2.0, 5
    return autosave.MAX_WAIT_MS / 1000, autosave.COMMIT_EVERY_MS // 60_000


class SettingsDialog(QDialog):
    """The preferences window; ``settings_applied`` fires after OK or Apply changed something."""

    settings_applied = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        paths: ProfilePaths | None = None,
        me: str = "",
        on_me_changed: Callable[[str], None] | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setAccessibleName(self.tr("Settings"))
        self.setMinimumWidth(560)
        self._paths = paths or resolve_profile()
        self._me = me
        self._on_me_changed = on_me_changed
        #: None: unchanged; USE_DEFAULT; or a folder path.
        self.pending_data_dir: str | None = None
        self.restart_needed = False

        layout = QVBoxLayout(self)
        layout.addWidget(self._build_data_group())
        layout.addWidget(self._build_appearance_group())
        layout.addWidget(self._build_photo_group())
        layout.addWidget(self._build_editing_group())
        layout.addWidget(self._build_sync_group())
        layout.addStretch(1)  # spare height goes below the groups, not inside them
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply,
            self,
        )
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.clicked.connect(self._on_button_clicked)
        layout.addWidget(self.buttons)
        self._load()

    # -- building ------------------------------------------------------------------

    def _build_data_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Data folder"), self)
        form = QVBoxLayout(group)
        self.data_dir_label = QLabel(str(self._paths.data_dir), group)
        self.data_dir_label.setAccessibleName(self.tr("Current data folder"))
        self.data_dir_label.setWordWrap(True)
        self.data_dir_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addWidget(self.data_dir_label)
        self.chosen_by_label = QLabel(self._chosen_by_text(), group)
        self.chosen_by_label.setAccessibleName(self.tr("How the data folder was chosen"))
        self.chosen_by_label.setWordWrap(True)
        form.addWidget(self.chosen_by_label)
        row = QHBoxLayout()
        self.choose_button = QPushButton(self.tr("Use &another folder…"), group)
        self.choose_button.setAccessibleName(self.tr("Choose another data folder"))
        self.choose_button.clicked.connect(self.choose_data_dir)
        self.default_button = QPushButton(self.tr("Use the &default folder"), group)
        self.default_button.setAccessibleName(self.tr("Use the default data folder"))
        self.default_button.clicked.connect(lambda: self.set_pending_data_dir(USE_DEFAULT))
        row.addWidget(self.choose_button)
        row.addWidget(self.default_button)
        row.addStretch(1)
        form.addLayout(row)
        self.restart_label = QLabel("", group)
        self.restart_label.setAccessibleName(self.tr("Data folder change"))
        self.restart_label.setWordWrap(True)
        self.restart_label.setVisible(False)
        form.addWidget(self.restart_label)
        return group

    def _build_appearance_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Appearance"), self)
        form = QFormLayout(group)
        self.appearance_combo = QComboBox(group)
        self.appearance_combo.setAccessibleName(self.tr("Appearance"))
        names = {"system": self.tr("Follow the system"), "light": self.tr("Light"), "dark": self.tr("Dark")}
        for mode in MODES:
            self.appearance_combo.addItem(names[mode], mode)
        self.appearance_combo.currentIndexChanged.connect(self._on_changed)
        form.addRow(self.tr("&Colours:"), self.appearance_combo)
        return group

    def _build_photo_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Photos you attach"), self)
        form = QFormLayout(group)
        self.downscale_combo = QComboBox(group)
        self.downscale_combo.setAccessibleName(self.tr("Downscale photos for sharing"))
        self.downscale_combo.setToolTip(
            self.tr("Smaller photos are quicker to send over slow or paid connections.")
        )
        for side in preferences.PHOTO_MAX_SIDES:
            label = self.tr("Off (keep the original size)") if not side else self.tr("{n} px").format(n=side)
            self.downscale_combo.addItem(label, side)
        self.downscale_combo.currentIndexChanged.connect(self._on_changed)
        form.addRow(self.tr("Do&wnscale for sharing:"), self.downscale_combo)
        self.keep_location_box = QCheckBox(self.tr("&Keep the photo's location (GPS) information"), group)
        self.keep_location_box.setAccessibleName(self.tr("Keep photo location"))
        self.keep_location_box.setToolTip(
            self.tr("Off by default: a location can reveal where people live or work.")
        )
        self.keep_location_box.toggled.connect(self._on_changed)
        form.addRow(self.keep_location_box)
        return group

    def _build_editing_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Editing"), self)
        form = QFormLayout(group)
        seconds, minutes = _autosave_figures()
        self.autosave_label = QLabel(
            self.tr(
                "Your typing is saved every {seconds:g} seconds and when you leave a field; "
                "a version is kept when you save or close, and every {minutes} minutes."
            ).format(seconds=seconds, minutes=minutes),
            group,
        )
        self.autosave_label.setWordWrap(True)
        self.autosave_label.setAccessibleName(self.tr("Autosave interval"))
        form.addRow(self.tr("Autosave:"), self.autosave_label)
        self.me_edit = QLineEdit(group)
        self.me_edit.setAccessibleName(self.tr("Your name"))
        self.me_edit.setPlaceholderText(self.tr("The name shown as the owner of what you write"))
        self.me_edit.setEnabled(self._on_me_changed is not None)
        self.me_edit.textEdited.connect(self._on_changed)
        form.addRow(self.tr("Your &name:"), self.me_edit)
        return group

    def _build_sync_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Sync"), self)
        form = QFormLayout(group)
        self.download_combo = QComboBox(group)
        self.download_combo.setAccessibleName(self.tr("Files downloaded at each sync"))
        for megabytes in preferences.DOWNLOAD_LIMIT_CHOICES:
            text = (
                self.tr("None: every file when opened")
                if megabytes == 0
                else self.tr("Up to {size} MB each").format(size=megabytes)
            )
            self.download_combo.addItem(text, megabytes)
        self.download_combo.currentIndexChanged.connect(self._on_changed)
        form.addRow(self.tr("&Download files:"), self.download_combo)
        note = QLabel(
            self.tr(
                "Larger files stay on the server until you open them, so a sync over a paid "
                "or slow link does not carry every video and scan."
            ),
            group,
        )
        note.setWordWrap(True)
        form.addRow("", note)
        return group

    def _chosen_by_text(self) -> str:
        how = self._paths.chosen_by
        if how == "--data-dir":
            return self.tr("Chosen by the --data-dir option for this start; it overrides this setting.")
        if how == "IMBIZO_DATA_DIR":
            return self.tr("Chosen by the IMBIZO_DATA_DIR environment variable; it overrides this setting.")
        if how == "config file":
            return self.tr("Chosen in Imbizo's settings.")
        return self.tr("The default folder for this computer.")

    # -- state -----------------------------------------------------------------------

    def _load(self) -> None:
        settings = QSettings()
        for combo, value in (
            (self.appearance_combo, preferences.appearance_mode(settings)),
            (self.downscale_combo, preferences.photo_max_side(settings) or 0),
            (self.download_combo, preferences.download_limit_mb(settings)),
        ):
            index = combo.findData(value)
            combo.setCurrentIndex(max(index, 0))
        self.keep_location_box.setChecked(preferences.keep_photo_location(settings))
        self.me_edit.setText(self._me)
        self.apply_button.setEnabled(False)

    def _on_changed(self, *_args: object) -> None:
        self.apply_button.setEnabled(True)

    @property
    def appearance(self) -> Mode:
        """The appearance chosen in the dialog (not yet applied)."""
        return self.appearance_combo.currentData()  # type: ignore[no-any-return]

    def choose_data_dir(self) -> None:
        """Ask for a folder to use from the next start."""
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose the data folder"), str(self._paths.data_dir.parent)
        )
        if folder:
            self.set_pending_data_dir(folder)

    def set_pending_data_dir(self, folder: str) -> None:
        """Remember a new data folder (a path, or ``USE_DEFAULT``) to write on Apply."""
        self.pending_data_dir = folder
        shown = self.tr("the default folder") if folder == USE_DEFAULT else folder
        self.restart_label.setText(
            self.tr("From the next start Imbizo will use {folder}. Restart Imbizo to switch.").format(
                folder=shown
            )
        )
        self.restart_label.setVisible(True)
        self._on_changed()

    # -- applying ----------------------------------------------------------------------

    def _on_button_clicked(self, button: QAbstractButton) -> None:
        if button is self.apply_button:
            self.apply()

    def accept(self) -> None:
        """OK: apply, then close."""
        self.apply()
        super().accept()

    def apply(self) -> None:
        """Save every preference and apply what can change while running."""
        settings = QSettings()
        settings.setValue(preferences.APPEARANCE_KEY, self.appearance)
        settings.setValue(preferences.PHOTO_MAX_SIDE_KEY, int(self.downscale_combo.currentData()))
        settings.setValue(preferences.PHOTO_KEEP_LOCATION_KEY, self.keep_location_box.isChecked())
        settings.setValue(preferences.DOWNLOAD_LIMIT_KEY, int(self.download_combo.currentData()))
        settings.sync()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_appearance(app, self.appearance)
        name = self.me_edit.text().strip()
        if self._on_me_changed is not None and name and name != self._me:
            self._on_me_changed(name)
            self._me = name
        if self.pending_data_dir is not None:
            # A few bytes into the config file: as cheap as QSettings' own write.
            write_data_dir(None if self.pending_data_dir == USE_DEFAULT else Path(self.pending_data_dir))
            logger.info("data folder set to %s from the next start", self.pending_data_dir)
            self.pending_data_dir = None
            self.restart_needed = True
        self.apply_button.setEnabled(False)
        self.settings_applied.emit()
