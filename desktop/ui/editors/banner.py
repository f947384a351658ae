"""The inline banner that says unsaved work was recovered (Keep / Discard), and the close question."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from desktop.ui.moments import moment_text


class RecoveryBanner(QFrame):
    """ "Unsaved changes from <time> were recovered — Keep / Discard"."""

    kept = Signal()
    discarded = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Recovered changes"))
        self.setStyleSheet("RecoveryBanner { background: palette(alternate-base); }")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.keep_button = QPushButton(self.tr("Keep"), self)
        self.keep_button.setAccessibleName(self.tr("Keep the recovered changes"))
        self.discard_button = QPushButton(self.tr("Discard"), self)
        self.discard_button.setAccessibleName(self.tr("Discard the recovered changes"))
        layout = QHBoxLayout(self)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.keep_button)
        layout.addWidget(self.discard_button)
        self.keep_button.clicked.connect(self._on_keep_clicked)
        self.discard_button.clicked.connect(self._on_discard_clicked)
        self.hide()

    def offer(self, updated_at: str, *, older_base: bool) -> None:
        """Show the banner for a working copy written at ``updated_at`` (UTC)."""
        text = self.tr("Unsaved changes from {time} were recovered.").format(time=moment_text(updated_at))
        if older_base:
            text += " " + self.tr(
                "They were made on an older version of this record: check them before saving."
            )
        self.message.setText(text)
        self.show()

    def _on_keep_clicked(self) -> None:
        self.hide()
        self.kept.emit()

    def _on_discard_clicked(self) -> None:
        self.hide()
        self.discarded.emit()


def ask_close_invalid(parent: QWidget, problems: list[str]) -> bool:
    """Ask whether to close a record that cannot be saved yet; True means close (the work stays a draft)."""
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("RecordEditor", "Close without saving?"),
        QCoreApplication.translate(
            "RecordEditor",
            "This record cannot be saved yet:\n{problems}\n\nClose it anyway? Your changes are kept "
            "and offered back the next time you open it.",
        ).format(problems="\n".join(problems)),
        QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Close
