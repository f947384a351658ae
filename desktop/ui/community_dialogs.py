"""Dialogs of the communities: ask a question (in a community or of a named expert), manage members."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.kinds import Kind
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.session import Session
    from desktop.ui.community_views import CommunityView


class AskDialog(QDialog):
    """Ask a question: a title, details, a community and/or a named expert. Saved here, synced next."""

    asked = Signal(object)  # the question Record

    def __init__(
        self,
        tasks: TaskManager,
        session: Session,
        parent: QWidget | None = None,
        *,
        community_id: str = "",
        expert_id: str = "",
        expert_name: str = "",
    ):
        super().__init__(parent)
        self.tasks = tasks
        self.session = session
        self.expert_id = expert_id
        self.setWindowTitle(self.tr("Ask a question"))
        self.setAccessibleName(self.tr("Ask a question"))
        self.resize(620, 460)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(self.tr("What do you want to know?"))
        self.title_edit.setAccessibleName(self.tr("Question"))
        self.body_edit = QPlainTextEdit()
        self.body_edit.setPlaceholderText(self.tr("Details: what you tried, where, what would help"))
        self.body_edit.setAccessibleName(self.tr("Details"))
        self.community_combo = QComboBox()
        self.community_combo.setAccessibleName(self.tr("Community"))
        self.community_combo.addItem(self.tr("(no community: only the expert asked)"), "")
        self._wanted_community = community_id
        self.expert_edit = QLineEdit(expert_name)
        self.expert_edit.setPlaceholderText(self.tr("Type a name to ask a named expert (optional)"))
        self.expert_edit.setAccessibleName(self.tr("Expert asked"))
        self.expert_matches = QListWidget()
        self.expert_matches.setAccessibleName(self.tr("Matching experts"))
        self.expert_matches.setMaximumHeight(90)
        self.expert_matches.hide()
        self.hint_label = QLabel(
            self.tr("The question is saved on this computer and shared at the next sync. You follow it.")
        )
        self.hint_label.setWordWrap(True)
        self.error_label = QLabel("")
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&Question"), self.title_edit)
        form.addRow(self.tr("&Details"), self.body_edit)
        form.addRow(self.tr("&Community"), self.community_combo)
        expert_box = QVBoxLayout()
        expert_box.addWidget(self.expert_edit)
        expert_box.addWidget(self.expert_matches)
        ask_of = QLabel(self.tr("&Ask of"))
        ask_of.setBuddy(self.expert_edit)
        form.addRow(ask_of, expert_box)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ask_button = self.buttons.addButton(self.tr("Ask"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ask_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)
        self.ask_button.clicked.connect(self.ask)
        self.title_edit.textChanged.connect(lambda text: self.ask_button.setEnabled(bool(text.strip())))
        self.lookup_timer = QTimer(self)
        self.lookup_timer.setSingleShot(True)
        self.lookup_timer.setInterval(200)
        self.lookup_timer.timeout.connect(self._look_up_experts)
        self.expert_edit.textEdited.connect(self._on_expert_edited)
        self.expert_matches.itemClicked.connect(self._on_expert_chosen)
        tasks.read(self._communities, self._fill_communities, description="list the communities")

    def _communities(self) -> list[tuple[str, str]]:
        rows = self.session.list_page([Kind.COMMUNITY], sort="title", descending=False, limit=1000)
        return [(row.id, row.title) for row in rows]

    def _fill_communities(self, rows: list[tuple[str, str]]) -> None:
        for record_id, title in rows:
            self.community_combo.addItem(title, record_id)
        index = self.community_combo.findData(self._wanted_community)
        if index >= 0:
            self.community_combo.setCurrentIndex(index)

    def _on_expert_edited(self, _text: str) -> None:
        self.expert_id = ""
        self.lookup_timer.start()

    def _look_up_experts(self) -> None:
        text = self.expert_edit.text().strip()
        if len(text) < 2:
            self.expert_matches.hide()
            return
        session = self.session

        def found(hits: list[Any]) -> None:
            self.expert_matches.clear()
            for hit in hits:
                item = QListWidgetItem(str(getattr(hit, "title", "")))
                item.setData(Qt.ItemDataRole.UserRole, str(getattr(hit, "id", "")))
                self.expert_matches.addItem(item)
            self.expert_matches.setVisible(bool(hits))

        self.tasks.read(
            lambda: session.as_you_type(text, limit=8, kinds=[Kind.EXPERT]), found, description="find experts"
        )

    def _on_expert_chosen(self, item: QListWidgetItem) -> None:
        self.expert_id = str(item.data(Qt.ItemDataRole.UserRole) or "")
        self.expert_edit.setText(item.text())
        self.expert_matches.hide()

    def ask(self) -> None:
        """Save the question (off the GUI thread); the dialog closes once it is saved."""
        session = self.session
        title, body = self.title_edit.text(), self.body_edit.toPlainText()
        community_id = str(self.community_combo.currentData() or "")
        expert_id = self.expert_id
        self.ask_button.setEnabled(False)

        def done(question: Any) -> None:
            self.asked.emit(question)
            self.accept()

        def failed(error: BaseException) -> None:
            self.ask_button.setEnabled(True)
            self.error_label.setText(str(error).capitalize())

        self.tasks.write(
            lambda: session.ask_question(title, body, community_id=community_id, expert_id=expert_id),
            done,
            failed,
            description="ask a question",
        )


class MembersDialog(QDialog):
    """The server's member list of a community, for its facilitators: add, make facilitator, remove."""

    def __init__(self, view: CommunityView, parent: QWidget | None = None):
        super().__init__(parent)
        self.view = view
        self.setWindowTitle(self.tr("Members"))
        self.setAccessibleName(self.tr("Community members"))
        self.resize(460, 420)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("Account"), self.tr("Role")])
        self.table.setAccessibleName(self.tr("Members"))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.user_edit = QLineEdit()
        self.user_edit.setPlaceholderText(self.tr("user name"))
        self.user_edit.setAccessibleName(self.tr("User name to add"))
        self.add_button = QPushButton(self.tr("Add"))
        self.facilitator_button = QPushButton(self.tr("Make facilitator"))
        self.member_button = QPushButton(self.tr("Make member"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        add_row = QHBoxLayout()
        add_row.addWidget(self.user_edit, 1)
        add_row.addWidget(self.add_button)
        actions = QHBoxLayout()
        for button in (self.facilitator_button, self.member_button, self.remove_button):
            actions.addWidget(button)
        actions.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addLayout(add_row)
        layout.addWidget(self.status_label)
        layout.addWidget(close)
        self.add_button.clicked.connect(lambda: self._change("set", self.user_edit.text().strip(), "member"))
        self.facilitator_button.clicked.connect(
            lambda: self._change("set", self.selected_user(), "facilitator")
        )
        self.member_button.clicked.connect(lambda: self._change("set", self.selected_user(), "member"))
        self.remove_button.clicked.connect(lambda: self._change("remove", self.selected_user()))
        view.overview_shown.connect(self.fill)
        self.fill()

    def fill(self) -> None:
        """Show the member list as the server last gave it."""
        overview = self.view.overview
        members = (overview.server_members if overview is not None else None) or {}
        self.table.setRowCount(len(members))
        for row, (user, role) in enumerate(sorted(members.items())):
            self.table.setItem(row, 0, QTableWidgetItem(user))
            self.table.setItem(
                row,
                1,
                QTableWidgetItem(self.tr("Facilitator") if role == "facilitator" else self.tr("Member")),
            )
        if overview is not None and overview.server_members is None:
            self.status_label.setText(
                self.tr("The member list comes from the server: sign in and open this online.")
            )

    def selected_user(self) -> str:
        """The account of the selected row."""
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.text() if item is not None else ""

    def _change(self, action: str, user: str, role: str = "member") -> None:
        if not user:
            self.status_label.setText(self.tr("Choose a member, or type a user name to add."))
            return
        if self.view.change_membership(action, user, role):
            self.status_label.setText(self.tr("Asking the server…"))
            self.user_edit.clear()
        else:
            self.status_label.setText(self.view.status_label.text())
