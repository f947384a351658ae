"""The dialog for unexpected errors: a plain message, and details that can be copied."""

from __future__ import annotations

import platform
import traceback

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop import __version__


def error_details(description: str, error: BaseException) -> str:
    """What a person pastes into a bug report: version, what failed, the traceback."""
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    system = (
        f"{platform.platform()}; Python {platform.python_version()}; "
        f"Qt {qVersion()}; PySide6 {pyside_version}"
    )
    return f"Imbizo {__version__}\n{system}\nWhile: {description}\n\n{trace}"


class ErrorDialog(QDialog):
    """Says what went wrong in words, with the technical details below and a Copy button."""

    def __init__(self, message: str, details: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Something went wrong"))
        self.setAccessibleName(self.tr("Error"))
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        label = QLabel(message, self)
        label.setWordWrap(True)
        layout.addWidget(label)
        hint = QLabel(self.tr("Your work is saved. The details below help us fix the problem:"), self)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.details = QPlainTextEdit(details, self)
        self.details.setReadOnly(True)
        self.details.setAccessibleName(self.tr("Error details"))
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = buttons.addButton(self.tr("&Copy details"), QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setAccessibleName(self.tr("Copy the details to the clipboard"))
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        """Put the details on the clipboard."""
        QGuiApplication.clipboard().setText(self.details.toPlainText())


def show_error(parent: QWidget | None, description: str, error: BaseException) -> ErrorDialog:
    """Show (non-modally) the dialog for an unexpected ``error`` that happened while ``description``."""
    message = QCoreApplication.translate("ErrorDialog", "Imbizo could not finish: {what}.\n\n{error}").format(
        what=description, error=str(error) or type(error).__name__
    )
    dialog = ErrorDialog(message, error_details(description, error), parent)
    dialog.setModal(False)
    dialog.show()
    return dialog
