"""Notifications in the status bar: a button with the unread count, and the list it opens.

What a sync brought (new answers to questions I follow, an answer accepted or its acceptance
withdrawn, a question asked of me, a review of mine that another reviewer's overtook) is stored
by the sync itself (desktop/store/communities.py), so the list survives a restart; the window
refreshes the count after every sync and every change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.communities import ACCEPTED, ASKED_OF_ME, NEW_ANSWER, WITHDRAWN
from desktop.core.review import OVERTAKEN_GONE_NOTICE, OVERTAKEN_NOTICE
from desktop.ui.icons import app_icon
from desktop.ui.moments import moment_text
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.session import Session
    from desktop.store.communities import StoredNotice


def notice_text(notice: StoredNotice) -> str:
    """One line for a notification."""
    texts = {
        NEW_ANSWER: QCoreApplication.translate("Notifications", "New answer · {who} answered “{title}”"),
        ACCEPTED: QCoreApplication.translate(
            "Notifications", "Accepted · {who} accepted an answer to “{title}”"
        ),
        WITHDRAWN: QCoreApplication.translate(
            "Notifications", "Open again · {who} withdrew the accepted answer to “{title}”"
        ),
        ASKED_OF_ME: QCoreApplication.translate("Notifications", "Asked of you · {who} asks “{title}”"),
        OVERTAKEN_NOTICE: QCoreApplication.translate(
            "Notifications",
            "Reviewed first · {who} reviewed “{title}” before your review reached the server: "
            "yours was not sent (the record's review history says what they did)",
        ),
        OVERTAKEN_GONE_NOTICE: QCoreApplication.translate(
            "Notifications",
            "Reviewed first · {who} returned “{title}” to its authors before your review reached "
            "the server: yours was not sent, and the record is no longer in your profile",
        ),
    }
    return texts.get(notice.kind, "{title}").format(who=notice.actor or "?", title=notice.title)


class NotificationsList(QDialog):
    """The notifications, newest first; unread ones in bold. Opening one marks it read."""

    open_requested = Signal(
        str, str
    )  # the record to open (a question, or a reviewed record), the notice kind

    def __init__(self, button: NotificationsButton, parent: QWidget | None = None):
        super().__init__(parent)
        self.button = button
        self.setWindowTitle(self.tr("Notifications"))
        self.setAccessibleName(self.tr("Notifications"))
        self.resize(520, 380)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Notifications"))
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.setAlternatingRowColors(True)
        self.heading = QLabel(self.tr("Notifications"))
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        self.empty_label = QLabel(
            self.tr("Nothing new. Answers to questions you follow appear here after a sync.")
        )
        self.empty_label.setWordWrap(True)
        self.read_all_button = QPushButton(self.tr("Mark all read"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.read_all_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.list.itemActivated.connect(self._on_item_activated)
        self.list.itemClicked.connect(self._on_item_activated)
        self.read_all_button.clicked.connect(lambda: self.button.mark_read(None))

    def show_notices(self, notices: list[StoredNotice]) -> None:
        """Fill the list."""
        self.list.clear()
        for notice in notices:
            item = QListWidgetItem(f"{notice_text(notice)}\n{moment_text(notice.created_at)}")
            item.setData(Qt.ItemDataRole.UserRole, (notice.id, notice.record_id, notice.kind))
            if not notice.read:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
        self.empty_label.setVisible(not notices)
        unread = sum(not n.read for n in notices)
        self.heading.setText(
            self.tr("Notifications ({n} unread)").format(n=unread) if unread else self.tr("Notifications")
        )
        self.read_all_button.setEnabled(any(not n.read for n in notices))

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        notice_id, record_id, kind = item.data(Qt.ItemDataRole.UserRole)
        self.button.mark_read([notice_id])
        self.open_requested.emit(record_id, kind)


class NotificationsButton(QToolButton):
    """A bell and "2 new" in the status bar; a click opens the list."""

    open_requested = Signal(str, str)  # a record to open, the notice kind

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.session: Session | None = None
        self.unread = 0
        self.dialog: NotificationsList | None = None
        self.setAutoRaise(True)
        self.setAccessibleName(self.tr("Notifications"))
        self.setToolTip(self.tr("New answers, accepted answers and questions asked of you"))
        shown = app_icon("notifications")
        if shown is not None:
            self.setIcon(shown)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setText(self.tr("0"))
        self.clicked.connect(self.open_list)

    def set_session(self, session: Session | None) -> None:
        """Count this session's notifications."""
        self.session = session
        self.refresh()

    def refresh(self) -> None:
        """Read the unread count (and the list, when it is open)."""
        session = self.session
        if session is None:
            return
        self.tasks.read(session.communities.unread_count, self._show_count, description="count notifications")
        if self.dialog is not None and self.dialog.isVisible():
            self.tasks.read(
                session.communities.notifications, self.dialog.show_notices, description="notifications"
            )

    def _show_count(self, count: int) -> None:
        self.unread = count
        self.setText(self.tr("{n} new").format(n=count) if count else self.tr("0"))
        self.setAccessibleDescription(self.tr("{n} unread").format(n=count))

    def open_list(self) -> NotificationsList | None:
        """Show the notifications."""
        session = self.session
        if session is None:
            return None
        if self.dialog is None:
            self.dialog = NotificationsList(self, self.window())
            self.dialog.open_requested.connect(self.open_requested)
        self.dialog.show()
        self.dialog.raise_()
        self.tasks.read(
            session.communities.notifications, self.dialog.show_notices, description="notifications"
        )
        return self.dialog

    def mark_read(self, ids: list[int] | None) -> None:
        """Mark some (or all) read, then refresh."""
        session = self.session
        if session is None:
            return

        def done(_count: Any) -> None:
            self.refresh()
            if self.dialog is not None and ids is None:
                self.tasks.read(
                    session.communities.notifications, self.dialog.show_notices, description="notifications"
                )

        self.tasks.write(
            lambda: session.communities.mark_read(ids), done, description="mark notifications read"
        )
