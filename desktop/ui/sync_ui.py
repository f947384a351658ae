"""The window's sync parts: the status-bar indicator, the Sync menu, sign-in and conflicts.

The indicator says, at a glance, "Not signed in", "Offline", "Syncing…" with progress,
"Up to date", "N changes waiting" or "N conflicts"; clicking it opens the same
actions as the Sync menu. Dialogs are made when first asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QProgressBar, QToolButton, QWidget

from desktop.ui.icons import app_icon
from desktop.ui.sync_controller import CONFLICTS, SIGNED_OUT, SYNCING, SyncController, SyncState

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


class SyncUi(QObject):
    """Builds and runs the sync parts of one main window."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.controller = SyncController(window.tasks, self)
        self.dialog: QWidget | None = None
        self._build_actions()
        self._build_indicator()
        self.controller.state_changed.connect(self._on_state_changed)
        self.controller.records_changed.connect(lambda: window.refresh_after_changes())
        self.controller.failsafe_tripped.connect(self._on_failsafe)
        self.controller.signed_in.connect(self._on_signed_in)
        self._on_state_changed(self.controller.state)

    # -- building ----------------------------------------------------------------------

    def _build_actions(self) -> None:
        window = self.window
        self.menu = window.menuBar().addMenu(self.tr("S&ync"))
        self.sync_action = QAction(self.tr("&Sync now"), window)
        self.sync_action.setShortcut(QKeySequence("F5"))
        self.sync_action.triggered.connect(lambda: self.controller.sync_now())
        self.sign_in_action = QAction(self.tr("Sign &in to a server…"), window)
        self.sign_in_action.triggered.connect(self.open_sign_in)
        self.sign_out_action = QAction(self.tr("Sign &out"), window)
        self.sign_out_action.triggered.connect(self.controller.sign_out)
        self.conflicts_action = QAction(self.tr("&Conflicts…"), window)
        self.conflicts_action.triggered.connect(self.open_conflicts)
        for action in (self.sync_action, self.conflicts_action, self.sign_in_action, self.sign_out_action):
            self.menu.addAction(action)
            action.setEnabled(False)

    def _build_indicator(self) -> None:
        window = self.window
        self.button = QToolButton()
        self.button.setAutoRaise(True)
        self.button.setAccessibleName(self.tr("Sync status"))
        icon = app_icon("sync")
        if icon is not None:
            self.button.setIcon(icon)
        self.button.setToolButtonStyle(self.button.toolButtonStyle().ToolButtonTextBesideIcon)
        popup = QMenu(self.button)
        for action in (self.sync_action, self.conflicts_action, self.sign_in_action, self.sign_out_action):
            popup.addAction(action)
        self.button.setMenu(popup)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(120)
        self.progress.setMaximumHeight(14)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(self.tr("Sync progress"))
        self.progress.hide()
        status = window.statusBar()
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.button)

    # -- state ---------------------------------------------------------------------------

    def set_session(self, session: Any) -> None:
        """Sync this session's profile."""
        self.controller.set_session(session)
        self.sign_in_action.setEnabled(session is not None)

    def _on_state_changed(self, state: SyncState) -> None:
        self.button.setText(state.text)
        self.button.setToolTip(state.detail or state.text)
        signed_in = state.kind != SIGNED_OUT
        self.sync_action.setEnabled(signed_in and state.kind != SYNCING)
        self.sign_out_action.setEnabled(signed_in)
        self.conflicts_action.setEnabled(state.kind == CONFLICTS)
        syncing = state.kind == SYNCING
        self.progress.setVisible(syncing)
        if syncing:
            self.progress.setRange(0, state.total if state.total else 0)  # busy until a total is known
            self.progress.setValue(state.done)

    def _on_signed_in(self, signed: Any) -> None:
        message = self.tr("Signed in to {server} as {user}; the token is kept in {where}.").format(
            server=signed.server, user=signed.user, where=signed.token_kept_in
        )
        if signed.insecure:
            message += " " + self.tr("Warning: plain http, readable on the network.")
        self.window.statusBar().showMessage(message, 15_000)

    def _on_failsafe(self, message: str) -> None:
        answer = QMessageBox.question(
            self.window,
            self.tr("Many deletions"),
            message + "\n\n" + self.tr("Delete them here too?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.controller.sync_now(allow_deletions=True)

    # -- dialogs -------------------------------------------------------------------------

    def open_sign_in(self) -> QWidget | None:
        """The sign-in dialog, filled with the server and user this profile used last."""
        from desktop.ui.sign_in_dialog import SignInDialog

        service = self.controller.service
        if service is None:
            return None
        dialog = SignInDialog(
            self.controller,
            self.window,
            server=service.server_url() or "",
            user=service.replica.account() or "",
        )
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_conflicts(self) -> QWidget | None:
        """The conflicts, side by side."""
        from desktop.ui.conflicts_dialog import ConflictsDialog

        service = self.controller.service
        if service is None:
            return None
        dialog = ConflictsDialog(self.window.tasks, service, self.window)
        dialog.resolved.connect(lambda _rid: self.window.refresh_after_changes())
        dialog.resolved.connect(lambda _rid: self.controller.refresh_status())
        dialog.finished.connect(lambda _code: self.controller.sync_now())
        self.dialog = dialog
        dialog.open()
        return dialog

    def shutdown(self) -> None:
        """Stop a running sync at its next batch."""
        self.controller.shutdown()
