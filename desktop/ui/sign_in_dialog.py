"""The sign-in dialog: server address, user name, password; the answer comes back without freezing.

For an office server whose certificate comes from the office's own certificate authority
there is an optional "Certificate authority" row (https addresses only): the CA's
certificate file is checked, then trusted for this profile's server once the sign-in works.
After a sign-in the dialog says where the token is kept (the system keyring, or a file
only the person can read) before it is closed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.sync_controller import CertificateFileError, SyncController


def _is_loopback(host: str) -> bool:
    from sync.client import is_loopback

    return is_loopback(host)


def _tls_reason(error: BaseException) -> str:
    """The part of a TLS failure a person can act on ("unable to get local issuer certificate")."""
    text = str(error.__cause__ or error)
    found = re.search(r"certificate verify failed: (.+?)\s*\(_ssl", text)
    if found:
        return found.group(1).rstrip(". ")
    found = re.search(r"\[SSL: [A-Z_]+\] (.+?)\s*\(_ssl", text)
    return found.group(1).rstrip(". ") if found else ""


def _untrusted_certificate(error: BaseException) -> bool:
    """True for the client's refusal of the server's certificate (not for plain http refused)."""
    import requests

    from sync.client import InsecureTransportError

    return isinstance(error, InsecureTransportError) and isinstance(
        error.__cause__, requests.exceptions.SSLError
    )


class SignInDialog(QDialog):
    """Asks for the server, the user and the password, and signs in through the controller."""

    def __init__(
        self,
        controller: SyncController,
        parent: QWidget | None = None,
        *,
        server: str = "",
        user: str = "",
        ca_file: str = "",
    ):
        super().__init__(parent)
        self.controller = controller
        self.waiting = False  # this dialog asked and waits for the answer
        self.signed: Any = None
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
        self._build_ca_row(ca_file)
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
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName(self.tr("Sign-in result"))
        self.message.hide()  # no empty line under the form until there is something to say
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_in_button = self.buttons.addButton(
            self.tr("&Sign in"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_in_button.setDefault(True)
        self.form = QFormLayout()
        self.form.addRow(self.tr("&Server:"), self.server_edit)
        self.form.addRow(self.tr("&User:"), self.user_edit)
        self.form.addRow(self.tr("&Password:"), self.password_edit)
        self.form.addRow(self.tr("Certificate &authority:"), self.ca_row)
        self._steady_labels()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.allow_http)
        layout.addWidget(self.warning)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(560, 0)
        self.server_edit.textChanged.connect(self._on_server_changed)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.buttons.rejected.connect(self.reject)
        controller.signed_in.connect(self._on_signed_in)
        controller.sign_in_failed.connect(self._on_failed)
        self._on_server_changed(server)
        (self.password_edit if server and user else self.server_edit).setFocus()

    def _build_ca_row(self, ca_file: str) -> None:
        self._kept_ca_file = ca_file
        self.ca_edit = QLineEdit(ca_file)
        self.ca_edit.setPlaceholderText(self.tr("Optional: your office's CA certificate (.pem, .crt)"))
        self.ca_edit.setAccessibleName(self.tr("Certificate authority file"))
        self.ca_edit.setToolTip(
            self.tr(
                "Only for a server whose certificate comes from your office's own certificate "
                "authority: that authority's certificate file, in PEM form. Certificates are always checked."
            )
        )
        self.ca_button = QPushButton(self.tr("Choose…"))
        self.ca_button.setAccessibleName(self.tr("Choose the certificate authority file"))
        self.ca_button.clicked.connect(self.choose_ca_file)
        self.ca_row = QWidget()
        row = QHBoxLayout(self.ca_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.ca_edit, 1)
        row.addWidget(self.ca_button)

    def _steady_labels(self) -> None:
        """One label width whether or not the CA row shows, so the fields do not jump sideways."""
        labels = [self.form.labelForField(w) for w in (self.server_edit, self.user_edit, self.ca_row)]
        width = max(label.sizeHint().width() for label in labels if label is not None)
        for field in (self.server_edit, self.user_edit, self.password_edit, self.ca_row):
            label = self.form.labelForField(field)
            if label is not None:
                label.setMinimumWidth(width)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _on_server_changed(self, text: str) -> None:
        parts = urlsplit(text.strip())
        plain = parts.scheme == "http" and bool(parts.hostname)
        loopback = plain and _is_loopback(parts.hostname or "")
        self.allow_http.setVisible(plain and not loopback)
        self.warning.setVisible(plain)
        # A CA file only means something over https (an address without a scheme becomes https);
        # hidden only once an http address has a host, so typing "https://" does not flicker it.
        self.form.setRowVisible(self.ca_row, not plain)
        if plain:
            self.warning.setText(
                self.tr(
                    "Plain http: anyone on the network can read what is synced and your password. Use https."
                )
            )

    def choose_ca_file(self) -> None:
        """Pick the certificate authority's file (PEM or CRT) with the system's file dialog."""
        current = self.ca_edit.text().strip()
        start = str(Path(current).expanduser().parent) if current else str(Path.home())
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Certificate authority file"),
            start,
            self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"),
        )
        if path:
            self.ca_edit.setText(path)

    def ca_file(self) -> str | None:
        """The CA file to send with the sign-in: only for https, only when one was given.

        "" when the person cleared the profile's kept CA file (the system's CAs from now on).
        """
        text = self.ca_edit.text().strip()
        if not self.form.isRowVisible(self.ca_row):
            return None
        if not text:
            return "" if self._kept_ca_file else None
        return text

    def sign_in(self) -> None:
        """Send the sign-in (the dialog waits for the answer without blocking the window)."""
        server, user, password = (
            self.server_edit.text().strip(),
            self.user_edit.text().strip(),
            self.password_edit.text(),
        )
        if not server or not user or not password:
            self._say(self.tr("Fill in the server, your user name and your password."))
            return
        if not urlsplit(server).scheme:
            server = "https://" + server
            self.server_edit.setText(server)
        self._say(self.tr("Signing in…"))
        self.message.setToolTip("")
        self.sign_in_button.setEnabled(False)
        self.waiting = True
        self.controller.sign_in(
            server, user, password, allow_http=self.allow_http.isChecked(), ca_file=self.ca_file()
        )

    def _on_signed_in(self, signed: Any) -> None:
        if not self.waiting:
            return  # another dialog's sign-in
        self.waiting = False
        self.signed = signed
        self.password_edit.clear()
        text = self.tr("Signed in to {server} as {user}. The sign-in token is kept in {place}.").format(
            server=signed.server, user=signed.user, place=signed.token_kept_in
        )
        if signed.insecure:
            text += " " + self.tr("Warning: plain http, readable on the network.")
        self.warning.hide()  # said in the result
        self._say(text)
        # The result stays on screen until the person closes the dialog: where the token
        # is kept is worth reading, not a flash in the status bar.
        for widget in (self.server_edit, self.user_edit, self.password_edit, self.ca_row, self.allow_http):
            widget.setEnabled(False)
        self.sign_in_button.hide()
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        close.setFocus()

    def _on_failed(self, error: BaseException) -> None:
        if not self.waiting:
            return
        self.waiting = False
        self.sign_in_button.setEnabled(True)
        self.password_edit.selectAll()
        self._say(self.explain(error))
        self.message.setToolTip(str(error))  # the technical words, for the administrator

    def explain(self, error: BaseException) -> str:
        """What went wrong, in words the person can act on; nothing was saved in any of these cases."""
        if isinstance(error, CertificateFileError):
            return str(error) + " " + self.tr("Nothing was saved.")
        if _untrusted_certificate(error):
            reason = _tls_reason(error) or self.tr("the certificate check failed")
            ca = self.ca_file()
            if ca:
                return self.tr(
                    "The server's certificate does not match the certificate authority in {file} "
                    "({reason}). Check that the file is your office's CA certificate and that the "
                    "address is the one on the server's certificate. Nothing was saved."
                ).format(file=Path(ca).name, reason=reason)
            return self.tr(
                "The server's certificate cannot be trusted ({reason}). If your office's server uses "
                "its own certificate authority, choose that authority's certificate file under "
                "Certificate authority. Nothing was saved."
            ).format(reason=reason)
        return str(error)
