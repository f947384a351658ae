"""The community page and a question's thread: what the Communities page shows beside its list.

Both read the local store (so they work offline) through the TaskManager; writes (an
answer, an accepted answer, a follow) go on the write lane and reach the server at the
next sync. Membership changes are server calls on the network lane; offline they are
refused with a message that says why (see desktop/community_service.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.community_html import (
    ACCEPT_SCHEME,
    QUESTION_SCHEME,
    WITHDRAW_SCHEME,
    community_html,
    thread_html,
)
from desktop.ui.record_html import RECORD_SCHEME
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.community_service import CommunityOverview, Thread
    from desktop.session import Session
    from desktop.sync_service import SyncService

# The window's sync service, or None (the profile is not signed in, or not ready yet).
ServiceLookup = Callable[[], "SyncService | None"]


def _browser(parent: QWidget, name: str) -> QTextBrowser:
    browser = QTextBrowser(parent)
    browser.setOpenLinks(False)
    browser.setAccessibleName(name)
    return browser


def offline_text() -> str:
    """Why a membership change needs the server."""
    return QCoreApplication.translate(
        "CommunityView",
        "Joining, leaving and managing members happen on the server, which decides who may read "
        "the community's questions. Sign in and try again when the server can be reached.",
    )


class CommunityView(QWidget):
    """One community: purpose, people, open questions, knowledge, experts, recent activity."""

    record_requested = Signal(str)  # open a record
    question_requested = Signal(str)  # open a question's thread
    manage_requested = Signal(str)  # manage its members
    membership_changed = Signal()
    overview_shown = Signal()  # the page was shown again (from the store or the server's lists)

    def __init__(self, tasks: TaskManager, services: ServiceLookup, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.services = services
        self.session: Session | None = None
        self.overview: CommunityOverview | None = None
        self.community_id = ""
        self._generation = 0
        self.browser = _browser(self, self.tr("Community"))
        self.browser.anchorClicked.connect(self._on_anchor_clicked)
        self.join_button = QPushButton(self.tr("Join"))
        self.join_button.setAccessibleName(self.tr("Join or leave this community"))
        self.manage_button = QPushButton(self.tr("Members…"))
        self.manage_button.setAccessibleName(self.tr("Manage the community's members"))
        self.manage_button.setToolTip(
            self.tr("Facilitators add members, make facilitators and remove members")
        )
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName(self.tr("Community status"))
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 4)
        for button in (self.join_button, self.manage_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.status_label)
        layout.addWidget(self.browser, 1)
        self.join_button.clicked.connect(self._on_join_clicked)
        self.manage_button.clicked.connect(lambda: self.manage_requested.emit(self.community_id))
        self._update_buttons()

    def set_session(self, session: Session | None) -> None:
        """Read from this session."""
        self.session = session

    def open_community(self, community_id: str) -> None:
        """Show a community from the store, then ask the server for its memberships when online."""
        self.community_id = community_id
        self.status_label.setText("")
        self.reload()
        self.refresh_from_server()

    def reload(self) -> None:
        """Read the community again from the store."""
        session, community_id = self.session, self.community_id
        if session is None or not community_id:
            return
        self._generation += 1
        generation = self._generation

        def done(overview: CommunityOverview | None) -> None:
            if generation == self._generation:
                self._show(overview)

        self.tasks.read(
            lambda: session.communities.overview(community_id), done, description="open a community"
        )

    def refresh_from_server(self) -> None:
        """Fetch my memberships and the member list (quietly: offline, the cached lists stay)."""
        service, session, community_id = self.services(), self.session, self.community_id
        if service is None or session is None or not community_id or service.server_url() is None:
            return

        def run() -> Any:
            client = service.client()
            try:
                return session.communities.refresh_memberships(client, community_id)
            finally:
                client.close()

        def done(overview: CommunityOverview | None) -> None:
            if overview is not None and overview.record.id == self.community_id:
                # Read after the server answered: newer than a store read still under way, which
                # would otherwise show the memberships as they were before (a slow read lane).
                self._generation += 1
                self._show(overview)

        self.tasks.network(run, done, lambda _error: None, description="read the community's members")

    def _show(self, overview: CommunityOverview | None) -> None:
        self.overview = overview
        if overview is None:
            self.browser.setHtml(f"<p>{self.tr('This community is not in this profile.')}</p>")
        else:
            self.browser.setHtml(community_html(overview, self.palette()))
        self._update_buttons()
        self.overview_shown.emit()

    def _update_buttons(self) -> None:
        overview = self.overview
        role = overview.my_role if overview is not None else None
        self.join_button.setEnabled(overview is not None)
        self.join_button.setText(self.tr("Leave") if role else self.tr("Join"))
        self.manage_button.setEnabled(
            role == "facilitator" or bool(overview and overview.server_members is not None)
        )

    def _on_join_clicked(self) -> None:
        overview = self.overview
        if overview is None:
            return
        leaving = bool(overview.my_role)
        if leaving:
            answer = QMessageBox.question(
                self,
                self.tr("Leave the community"),
                self.tr(
                    "Leave “{name}”? Its community-only questions and answers leave this computer "
                    "at the next sync."
                ).format(name=overview.record.title),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.change_membership("leave" if leaving else "join")

    def change_membership(self, action: str, user: str = "", role: str = "member") -> bool:
        """Join, leave, or (facilitators) set or remove a member on the server; False when offline."""
        service, session, community_id = self.services(), self.session, self.community_id
        if service is None or session is None or service.server_url() is None:
            self.status_label.setText(offline_text())
            return False

        def run() -> Any:
            client = service.client()
            try:
                return session.communities.change_membership(client, community_id, action, user, role)
            finally:
                client.close()

        def done(overview: CommunityOverview | None) -> None:
            texts = {
                "join": self.tr("You joined. Its questions arrive with the next sync."),
                "leave": self.tr("You left. Its community-only items leave this computer at the next sync."),
            }
            self.status_label.setText(texts.get(action, self.tr("Membership changed on the server.")))
            if overview is not None:
                self._show(overview)
            self.membership_changed.emit()

        def failed(error: BaseException) -> None:
            from sync.client import NetworkError

            if isinstance(error, NetworkError):
                self.status_label.setText(offline_text())
            else:
                self.status_label.setText(self.tr("The server refused: {error}").format(error=error))

        self.tasks.network(run, done, failed, description="change a community membership")
        return True

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == QUESTION_SCHEME:
            self.question_requested.emit(url.path())
        elif url.scheme() == RECORD_SCHEME:
            self.record_requested.emit(url.path())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and self.overview is not None:
            self.browser.setHtml(community_html(self.overview, self.palette()))
        super().changeEvent(event)


class ThreadView(QWidget):
    """A question, its answers (the accepted one marked), an answer box, Follow."""

    record_requested = Signal(str)
    changed = Signal(object)  # Changes: an answer or an accepted answer was saved

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.session: Session | None = None
        self.current: Thread | None = None
        self.question_id = ""
        self._generation = 0
        self.browser = _browser(self, self.tr("Question and answers"))
        self.browser.anchorClicked.connect(self._on_anchor_clicked)
        self.follow_button = QPushButton(self.tr("Follow"))
        self.follow_button.setCheckable(True)
        self.follow_button.setAccessibleName(self.tr("Follow this question"))
        self.follow_button.setToolTip(self.tr("New answers and the accepted answer become notifications"))
        self.answer_edit = QPlainTextEdit()
        self.answer_edit.setPlaceholderText(self.tr("Your answer (saved here, shared at the next sync)"))
        self.answer_edit.setAccessibleName(self.tr("Your answer"))
        self.answer_edit.setMaximumHeight(110)
        self.answer_button = QPushButton(self.tr("Post answer"))
        self.answer_button.setAccessibleName(self.tr("Post your answer"))
        self.status_label = QLabel("")
        self.status_label.setAccessibleName(self.tr("Question status"))
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 4)
        bar.addWidget(self.follow_button)
        bar.addWidget(self.status_label, 1)
        reply = QHBoxLayout()
        reply.addWidget(self.answer_edit, 1)
        reply.addWidget(self.answer_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.browser, 1)
        layout.addLayout(reply)
        self.follow_button.toggled.connect(self._on_follow_toggled)
        self.answer_button.clicked.connect(self.post_answer)

    def set_session(self, session: Session | None) -> None:
        """Read from this session."""
        self.session = session

    def open_question(self, question_id: str) -> None:
        """Show a question's thread."""
        self.question_id = question_id
        self.status_label.setText("")
        self.reload()

    def reload(self) -> None:
        """Read the thread again."""
        session, question_id = self.session, self.question_id
        if session is None or not question_id:
            return
        self._generation += 1
        generation = self._generation

        def done(thread: Thread | None) -> None:
            if generation != self._generation:
                return
            self.current = thread
            if thread is None:
                self.browser.setHtml(f"<p>{self.tr('This question is not in this profile.')}</p>")
                return
            self.browser.setHtml(thread_html(thread, self.palette()))
            self.follow_button.blockSignals(True)
            self.follow_button.setChecked(thread.following)
            self.follow_button.setText(self.tr("Following") if thread.following else self.tr("Follow"))
            self.follow_button.blockSignals(False)

        self.tasks.read(lambda: session.communities.thread(question_id), done, description="open a question")

    def post_answer(self) -> None:
        """Save the answer typed in the box (it follows the question)."""
        session, question_id, text = self.session, self.question_id, self.answer_edit.toPlainText()
        if session is None or not question_id or not text.strip():
            return
        self.answer_button.setEnabled(False)

        def done(_answer: Any) -> None:
            self.answer_button.setEnabled(True)
            self.answer_edit.clear()
            self.status_label.setText(self.tr("Answer saved; it is shared at the next sync."))
            self.reload()
            self.changed.emit(None)

        def failed(error: BaseException) -> None:
            self.answer_button.setEnabled(True)
            self.status_label.setText(str(error))

        self.tasks.write(
            lambda: session.answer_question(question_id, text), done, failed, description="answer"
        )

    def accept(self, answer_id: str) -> None:
        """The asker (or a librarian) accepts an answer, or accepts it instead of the accepted one."""
        session, question_id = self.session, self.question_id
        if session is None or not question_id:
            return
        instead = bool(self.current and self.current.accepted_id)
        self._change_acceptance(
            lambda: session.accept_answer(question_id, answer_id),
            self.tr("Accepted instead; everyone following it is told after the next sync.")
            if instead
            else self.tr("Accepted; everyone following it is told after the next sync."),
            "accept an answer",
        )

    def withdraw_acceptance(self) -> None:
        """The asker (or a librarian) withdraws the accepted answer: the question is open again."""
        session, question_id = self.session, self.question_id
        if session is None or not question_id:
            return
        self._change_acceptance(
            lambda: session.withdraw_acceptance(question_id),
            self.tr("Acceptance withdrawn; the question is open again, for everyone after the next sync."),
            "withdraw an accepted answer",
        )

    def _change_acceptance(self, run: Callable[[], Any], message: str, description: str) -> None:
        """Save a change of the accepted answer on the write lane (queued for the next sync)."""

        def done(changes: Any) -> None:
            self.status_label.setText(message)
            self.reload()
            self.changed.emit(changes)

        def failed(error: BaseException) -> None:
            self.status_label.setText(str(error))

        self.tasks.write(run, done, failed, description=description)

    def _on_follow_toggled(self, on: bool) -> None:
        session, question_id = self.session, self.question_id
        if session is None or not question_id:
            return
        self.follow_button.setText(self.tr("Following") if on else self.tr("Follow"))
        self.tasks.write(lambda: session.communities.follow(question_id, on), description="follow a question")

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == ACCEPT_SCHEME:
            self.accept(url.path())
        elif url.scheme() == WITHDRAW_SCHEME:
            self.withdraw_acceptance()
        elif url.scheme() == RECORD_SCHEME:
            self.record_requested.emit(url.path())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and self.current is not None:
            self.browser.setHtml(thread_html(self.current, self.palette()))
        super().changeEvent(event)
