"""The sign-in dialog: server address, user name, password; the answer comes back without freezing."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.sync_controller import SyncController


def _is_loopback(host: str) -> bool:
    from sync.client import is_loopback

    return is_loopback(host)


class SignInDialog(QDialog):
    """Asks for the server, the user and the password, and signs in through the controller."""

    def __init__(
        self, controller: SyncController, parent: QWidget | None = None, *, server: str = "", user: str = ""
    ):
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(self.tr("Sign in to a server"))
        self.setAccessibleName(self.tr("Sign in to a server"))
        self.server_edit = QLineEdit(server)
        self.server_edit.setPlaceholderText(self.tr("https://imbizo.example.gov.za"))
        self.server_edit.setAccessibleName(self.tr("Server address"))
        self.user_edit = QLineEdit(user)
        self.user_edit.setAccessibleName(self.tr("User name"))
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName(self.tr("Password"))
        self.allow_http = QCheckBox(self.tr("Allow plain http to this address (an office network only)"))
        self.allow_http.setAccessibleName(self.tr("Allow plain http to this address"))
        self.allow_http.hide()
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName(self.tr("Sign-in result"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_in_button = self.buttons.addButton(
            self.tr("&Sign in"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_in_button.setDefault(True)
        form = QFormLayout()
        form.addRow(self.tr("&Server:"), self.server_edit)
        form.addRow(self.tr("&User:"), self.user_edit)
        form.addRow(self.tr("&Password:"), self.password_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.allow_http)
        layout.addWidget(self.warning)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(520, 0)
        self.server_edit.textChanged.connect(self._on_server_changed)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.buttons.rejected.connect(self.reject)
        controller.signed_in.connect(self._on_signed_in)
        controller.sign_in_failed.connect(self._on_failed)
        self._on_server_changed(server)
        (self.password_edit if server and user else self.server_edit).setFocus()

    def _on_server_changed(self, text: str) -> None:
        parts = urlsplit(text.strip())
        plain = parts.scheme == "http" and bool(parts.hostname)
        loopback = plain and _is_loopback(parts.hostname or "")
        self.allow_http.setVisible(plain and not loopback)
        self.warning.setVisible(plain)
        if plain:
            self.warning.setText(
                self.tr(
                    "Plain http: anyone on the network can read what is synced and your password. Use https."
                )
            )

    def sign_in(self) -> None:
        """Send the sign-in (the dialog waits for the answer without blocking the window)."""
        server, user, password = (
            self.server_edit.text().strip(),
            self.user_edit.text().strip(),
            self.password_edit.text(),
        )
        if not server or not user or not password:
            self.message.setText(self.tr("Fill in the server, your user name and your password."))
            return
        if not urlsplit(server).scheme:
            server = "https://" + server
            self.server_edit.setText(server)
        self.message.setText(self.tr("Signing in…"))
        self.sign_in_button.setEnabled(False)
        self.controller.sign_in(server, user, password, allow_http=self.allow_http.isChecked())

    def _on_signed_in(self, signed: Any) -> None:
        self.password_edit.clear()
        self.sign_in_button.setEnabled(True)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self.sign_in_button.setEnabled(True)
        self.password_edit.selectAll()
        self.message.setText(str(error))
