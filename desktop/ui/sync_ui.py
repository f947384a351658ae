"""The window's sync parts: the status-bar indicator, the Sync menu, sign-in and conflicts.

The indicator says, at a glance, "Not signed in", "Offline", "Syncing…" with progress,
"Up to date", "N changes waiting" or "N conflicts"; clicking it opens the same
actions as the Sync menu. Dialogs are made when first asked for.

Two questions stop a sync until the person answers: the deletion fail-safe, and a server
that is not the one this profile synced with ("Start again with this server?"). The
second is asked again only when the person chooses "Sync now" after answering No, not
at every automatic sync.
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
    from desktop.ui.sign_in_dialog import SignInDialog


class SyncUi(QObject):
    """Builds and runs the sync parts of one main window."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.controller = SyncController(window.tasks, self)
        self.dialog: QWidget | None = None
        self.server_box: QMessageBox | None = None  # "start again with this server?", while asked
        self.server_declined = False  # No to that: automatic syncs do not ask again
        self._build_actions()
        self._build_indicator()
        self.controller.state_changed.connect(self._on_state_changed)
        self.controller.records_changed.connect(lambda: window.refresh_after_changes())
        self.controller.synced.connect(lambda _report: window.shell.after_sync())
        self.controller.failsafe_tripped.connect(self._on_failsafe)
        self.controller.server_changed.connect(self._on_server_changed)
        self.controller.signed_in.connect(self._on_signed_in)
        self._on_state_changed(self.controller.state)

    # -- building ----------------------------------------------------------------------

    def _build_actions(self) -> None:
        window = self.window
        self.menu = window.menuBar().addMenu(self.tr("S&ync"))
        self.sync_action = QAction(self.tr("&Sync now"), window)
        self.sync_action.setShortcut(QKeySequence("F5"))
        self.sync_action.triggered.connect(self.sync_now)
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

    @property
    def signed_in(self) -> bool:
        """True while the profile has a server and a token (online or not)."""
        return self.controller.state.kind != SIGNED_OUT

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
        # Short enough for the status bar; where the token is kept is in the dialog's result
        # and stays in the indicator's tooltip.
        message = self.tr("Signed in to {server} as {user}.").format(server=signed.server, user=signed.user)
        if signed.insecure:
            message += " " + self.tr("Warning: plain http, readable on the network.")
        self.window.statusBar().showMessage(message, 15_000)

    def sync_now(self) -> bool:
        """The person's "Sync now": a question they declined may be asked again."""
        self.server_declined = False
        return self.controller.sync_now()

    def _on_server_changed(self, error: BaseException) -> None:
        from sync.engine import ServerChangedError

        if self.server_declined or (self.server_box is not None and self.server_box.isVisible()):
            return
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("A different server"))
        if isinstance(error, ServerChangedError):
            box.setText(self.tr("This server is not the one this profile synced with."))
            cause = self.tr(
                "Its database may have been wiped, re-created or restored from a backup, or the "
                "address now leads to another server."
            )
        else:
            box.setText(self.tr("This server knows less than this profile has seen of it."))
            cause = self.tr("It may have been reset or restored from an older backup.")
        box.setInformativeText(
            cause
            + " "
            + self.tr("The sync stopped before sending or changing anything.")
            + "\n\n"
            + self.tr("If you start again with this server:")
            + "\n• "
            + self.tr("nothing on this computer is deleted;")
            + "\n• "
            + self.tr("the records on this computer are offered to this server again;")
            + "\n• "
            + self.tr("what only the old server had (and this computer never received) is not here.")
            + "\n\n"
            + self.tr(
                "If this is not the right server, answer No and check the address with your administrator."
            )
        )
        box.setDetailedText(str(error))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("&Start again with this server"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("&No, leave it"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda _code: self._on_server_answer(box))
        self.server_box = box
        box.open()  # window-modal, and no nested event loop: the window keeps painting

    def _on_server_answer(self, box: QMessageBox) -> None:
        yes = box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
        self.server_box = None
        box.deleteLater()
        if yes:
            self.server_declined = False
            self.controller.sync_now(accept_server=True)
        else:  # everything stays as it is; the status bar still says why syncing stopped
            self.server_declined = True

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

    def open_sign_in(self) -> SignInDialog | None:
        """The sign-in dialog, filled with the server and user this profile used last."""
        from desktop.sync_service import CA_FILE_KEY
        from desktop.ui.sign_in_dialog import SignInDialog

        service = self.controller.service
        if service is None:
            return None
        dialog = SignInDialog(
            self.controller,
            self.window,
            server=service.server_url() or "",
            user=service.replica.account() or "",
            ca_file=service.session.store.get_meta(CA_FILE_KEY) or "",
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
