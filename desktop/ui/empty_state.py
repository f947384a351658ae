"""What an empty profile shows: a calm panel offering the demo or an import, never a modal nag."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyStatePanel(QWidget):
    """Two ways to start: load the demo knowledge base, or import a folder of files."""

    load_demo_requested = Signal()
    import_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        card = QFrame(self)
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setFixedWidth(560)
        title = QLabel(self.tr("This knowledge base is empty"), card)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        text = QLabel(
            self.tr(
                "Imbizo keeps case studies, site visits, articles and the people behind them on this "
                "computer, so you can find them without a connection.\n\n"
                "Try the demo knowledge base to see how records connect to the people who know about "
                "them, or import a folder of your own files (Markdown, GOV.UK JSON, MARC catalogue "
                "records, vocabulary CSV)."
            ),
            card,
        )
        text.setWordWrap(True)
        text.setMinimumHeight(text.heightForWidth(504))
        self.demo_button = QPushButton(self.tr("&Load the demo knowledge base"), card)
        self.demo_button.setAccessibleName(self.tr("Load the demo knowledge base"))
        self.demo_button.setDefault(True)
        self.demo_button.clicked.connect(self.load_demo_requested)
        self.import_button = QPushButton(self.tr("&Import a folder…"), card)
        self.import_button.setAccessibleName(self.tr("Import a folder"))
        self.import_button.clicked.connect(self.import_requested)
        self.note = QLabel(self.tr("Demo records are marked as demo and never shared with the server."), card)
        self.note.setWordWrap(True)
        self.note.setEnabled(False)  # drawn in the palette's muted colour

        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(12)
        inner.addWidget(title)
        inner.addWidget(text)
        inner.addSpacing(8)
        inner.addWidget(self.demo_button)
        inner.addWidget(self.import_button)
        inner.addWidget(self.note)

        # No alignment flag on the card: an aligned widget gets its plain size hint, and a
        # word-wrapped label's hint ignores its height-for-width (the text would be clipped).
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def set_busy(self, busy: bool) -> None:
        """Disable the buttons while a load or import runs."""
        self.demo_button.setEnabled(not busy)
        self.import_button.setEnabled(not busy)
