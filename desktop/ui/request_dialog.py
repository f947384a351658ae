"""Asking an expert from the finder: a question of them, or a request for advice, mentoring or a
peer review of one of my drafts. Saved on the write lane; it reaches them with the next sync."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.experts_view import availability_label
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.core.editing import RecordSummary
    from desktop.core.records import Record
    from desktop.search import ExpertMatch
    from desktop.session import Session

REQUEST_TYPES = ("advice", "mentoring", "peer_review")


class RequestDialog(QDialog):
    """Ask ``expert`` a question (``request_type`` "question") or for help of a ``request_type``."""

    sent = Signal(object)  # the saved Record (request or question)

    def __init__(
        self,
        tasks: TaskManager,
        session: Session,
        expert: ExpertMatch,
        request_type: str,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.tasks = tasks
        self.session = session
        self.expert = expert
        self.asking = request_type == "question"
        self.setWindowTitle(
            self.tr("Ask {name}").format(name=expert.name)
            if self.asking
            else self.tr("Request help from {name}").format(name=expert.name)
        )
        self.setMinimumWidth(520)
        intro = QLabel()
        intro.setWordWrap(True)
        offers = ", ".join(availability_label(a) for a in expert.availability)
        where = " · ".join(p for p in (expert.organisation, expert.district) if p)
        lines = [f"<b>{html.escape(expert.name)}</b>" + (f" — {html.escape(where)}" if where else "")]
        if offers:
            lines.append(html.escape(self.tr("Available for {offers}.").format(offers=offers)))
        lines.append(
            html.escape(
                self.tr("It is sent with your next sync; you will see their answer after a later one.")
            )
        )
        intro.setText("<br>".join(lines))

        form = QFormLayout()
        self.type_box = QComboBox()
        self.type_box.setAccessibleName(self.tr("What you ask for"))
        for kind in REQUEST_TYPES:
            self.type_box.addItem(self._type_text(kind), kind)
        self.draft_box = QComboBox()
        self.draft_box.setAccessibleName(self.tr("The draft to review"))
        self.draft_box.setMinimumContentsLength(40)
        self.draft_label = QLabel(self.tr("&Draft to review:"))
        self.draft_label.setBuddy(self.draft_box)
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName(self.tr("Your question"))
        self.message_edit = QPlainTextEdit()
        self.message_edit.setAccessibleName(self.tr("Message"))
        self.message_edit.setTabChangesFocus(True)
        if self.asking:
            form.addRow(self.tr("&Question:"), self.title_edit)
            form.addRow(self.tr("De&tails:"), self.message_edit)
        else:
            form.addRow(self.tr("&Request:"), self.type_box)
            form.addRow(self.draft_label, self.draft_box)
            form.addRow(self.tr("&Message:"), self.message_edit)
            self.message_edit.setPlaceholderText(self.tr("What you would like help with, and by when"))
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(self.tr("Problem"))
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send_button = self.buttons.addButton(
            self.tr("Send question") if self.asking else self.tr("Send request"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.buttons.accepted.connect(self.send)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.drafts: list[RecordSummary] = []
        self.type_box.currentIndexChanged.connect(lambda _i: self._update())
        if not self.asking:
            self.type_box.setCurrentIndex(max(0, self.type_box.findData(request_type)))
            self.tasks.read(lambda: session.my_drafts(), self._on_drafts, description="list my drafts")
        self._update()

    @property
    def request_type(self) -> str:
        """What is asked for: ``question``, or one of advice, mentoring, peer_review."""
        return "question" if self.asking else str(self.type_box.currentData())

    def _type_text(self, kind: str) -> str:
        texts = {
            "advice": self.tr("Advice"),
            "mentoring": self.tr("Mentoring"),
            "peer_review": self.tr("A peer review of one of my drafts"),
        }
        return texts[kind]

    def _on_drafts(self, drafts: list[RecordSummary]) -> None:
        self.drafts = list(drafts)
        self.draft_box.clear()
        for draft in self.drafts:
            self.draft_box.addItem(draft.title or self.tr("(untitled)"), draft.id)
        self._update()

    def _update(self) -> None:
        review = self.request_type == "peer_review"
        self.draft_box.setVisible(review)
        self.draft_label.setVisible(review)
        if review and not self.drafts:
            self.draft_box.setPlaceholderText(self.tr("You have no drafts to review"))
        self.send_button.setEnabled(not review or bool(self.drafts))

    def send(self) -> None:
        """Save the request (or question) on the write lane; close when it is saved."""
        session, expert = self.session, self.expert
        message = self.message_edit.toPlainText()
        if self.asking:
            title = self.title_edit.text().strip()
            if not title:
                self._show_error(self.tr("Write your question first."))
                return

            def save() -> Record:
                return session.experts.ask_expert(expert.id, title, message)

        else:
            request_type = self.request_type
            regarding = str(self.draft_box.currentData() or "") if request_type == "peer_review" else ""

            def save() -> Record:
                return session.request_help(expert.id, request_type, message, regarding)

        self.send_button.setEnabled(False)
        self.tasks.write(save, self._on_saved, self._on_failed, description="send a request")

    def _on_saved(self, record: Record) -> None:
        self.sent.emit(record)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self.send_button.setEnabled(True)
        self._show_error(str(error))

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
