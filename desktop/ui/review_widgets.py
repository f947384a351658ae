"""The curation workflow in the detail view: the review buttons, the dialog that asks why, the banners.

:class:`ReviewControls` belongs to one :class:`desktop.ui.detail_view.DetailView`: for the
record shown it offers what the user may do (desktop/core/review.py ``allowed_actions``:
"Submit for review" to its authors; "Publish", "Return…" and "Retire…" to librarians),
asks for the comment a return needs, runs the action on the write lane and says what
changed. Its banner tells an author why their record came back ("Returned by … : …")
or that it waits for a reviewer. Whether the user reviews is read from the profile
(the role the server gave at sign-in), so all of it works offline.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.records import Record, Status
from desktop.core.review import (
    MAX_COMMENT,
    QueueItem,
    ReviewAction,
    ReviewError,
    allowed_actions,
    last_entry,
)
from desktop.ui.icons import app_icon
from desktop.ui.moments import moment_text
from desktop.ui.review_html import entry_text
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.core.changes import Changes
    from desktop.session import Session

#: The colours of the returned banner: a warm background that reads on light and dark palettes.
RETURNED_LIGHT, RETURNED_DARK = "#fff4ce", "#4a3b00"


class ReviewCommentDialog(QDialog):
    """Asks why: the comment an author reads with a returned record (required), or a retirement's reason."""

    def __init__(self, action: ReviewAction, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.action = action
        self.required = action is ReviewAction.RETURNED
        if self.required:
            self.setWindowTitle(self.tr("Return to the author"))
            prompt = self.tr(
                "“{title}” goes back to its author with your comment. Say what should change "
                "before it can be published: they read this after their next sync."
            ).format(title=title)
            ok_text = self.tr("&Return")
        else:
            self.setWindowTitle(self.tr("Retire this record"))
            prompt = self.tr(
                "“{title}” leaves the knowledge base: only librarians and its owner still see it. "
                "Why is it retired (out of date, replaced)? Optional."
            ).format(title=title)
            ok_text = self.tr("Re&tire")
        self.prompt = QLabel(prompt, self)
        self.prompt.setWordWrap(True)
        self.prompt.setTextFormat(Qt.TextFormat.PlainText)
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName(
            self.tr("Comment for the author") if self.required else self.tr("Reason")
        )
        self.editor.setPlaceholderText(
            self.tr("For example: add the costs and who ran it; the results need a source.")
            if self.required
            else self.tr("For example: replaced by the 2026 guidance.")
        )
        self.editor.setTabChangesFocus(True)
        self.count = QLabel(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.editor.textChanged.connect(self._on_text_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)
        self.resize(520, 300)
        self._on_text_changed()

    def comment(self) -> str:
        """What was typed, trimmed."""
        return self.editor.toPlainText().strip()

    def _on_text_changed(self) -> None:
        length = len(self.comment())
        too_long = length > MAX_COMMENT
        self.ok_button.setEnabled(not too_long and (length > 0 or not self.required))
        if too_long:
            self.count.setText(
                self.tr("Too long: {n} of at most {max} characters").format(n=length, max=MAX_COMMENT)
            )
        elif self.required and not length:
            self.count.setText(self.tr("A comment is needed to return a record."))
        else:
            self.count.setText("")


class ReviewBanner(QFrame):
    """Says where a record stands in review: why it was returned (clearly), or that it waits."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Review status"))
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        layout.addWidget(self.heading)
        layout.addWidget(self.message)
        self.returned = False
        self.hide()

    def show_for(self, record: Record) -> None:
        """The banner for ``record`` (hidden when there is nothing to say about its review)."""
        self.returned = False
        entry = None
        if record.status is Status.RETURNED:
            entry = last_entry(record, ReviewAction.RETURNED)
            who = entry.by if entry is not None else self.tr("a librarian")
            when = moment_text(entry.at) if entry is not None else ""
            self.heading.setText(self.tr("Returned to you by {who} on {when}").format(who=who, when=when))
            comment = entry.comment if entry is not None and entry.comment else self.tr("(no comment)")
            self.message.setText(
                self.tr("“{comment}”\nEdit the record, then submit it for review again.").format(
                    comment=comment
                )
            )
            self.returned = True
        elif record.status is Status.SUBMITTED:
            entry = last_entry(record, ReviewAction.SUBMITTED)
            self.heading.setText(self.tr("Waiting for review"))
            if entry is not None:
                submitted = self.tr("Submitted by {who} on {when}.").format(
                    who=entry.by, when=moment_text(entry.at)
                )
            else:
                submitted = self.tr("Submitted.")
            self.message.setText(
                submitted
                + " "
                + self.tr("A librarian publishes it, or returns it to its author with a comment.")
            )
        elif record.status is Status.RETIRED:
            entry = last_entry(record, ReviewAction.RETIRED)
            self.heading.setText(self.tr("Retired"))
            self.message.setText(entry_text(entry) if entry is not None else self.tr("No longer in use."))
        else:
            self.hide()
            return
        self._paint()
        self.show()

    def _paint(self) -> None:
        if self.returned:
            dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
            colour = RETURNED_DARK if dark else RETURNED_LIGHT
            self.setStyleSheet(f"ReviewBanner {{ background: {colour}; border: 1px solid palette(mid); }}")
        else:
            self.setStyleSheet("ReviewBanner { background: palette(alternate-base); }")


class ReviewControls(QObject):
    """The review buttons and banner of one detail view (see the module docstring)."""

    reviewed = Signal(object)  # Changes: a review action was saved

    def __init__(self, tasks: TaskManager, parent: QWidget):
        super().__init__(parent)
        self.tasks = tasks
        self.parent_widget = parent
        self.session: Session | None = None
        self.record: Record | None = None
        self.user = ""
        self.librarian = False
        self._generation = 0
        self.banner = ReviewBanner(parent)
        self.buttons: dict[ReviewAction, QToolButton] = {}
        texts = {
            ReviewAction.SUBMITTED: (
                self.tr("Submit for review"),
                "review",
                self.tr("Send this record to a librarian to publish"),
            ),
            ReviewAction.PUBLISHED: (
                self.tr("Publish"),
                "review",
                self.tr("Publish this record to everyone who may read it"),
            ),
            ReviewAction.RETURNED: (
                self.tr("Return…"),
                "back",
                self.tr("Send it back to its author with a comment"),
            ),
            ReviewAction.RETIRED: (self.tr("Retire…"), "trash", self.tr("Take a stale record out of use")),
        }
        for action, (text, icon_name, tip) in texts.items():
            self.buttons[action] = self._button(text, icon_name, tip, action)

    def _button(self, text: str, icon_name: str, tip: str, action: ReviewAction) -> QToolButton:
        button = QToolButton(self.parent_widget)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(text.rstrip("…"))
        button.setAutoRaise(True)
        shown = app_icon(icon_name)
        if shown is not None:
            button.setIcon(shown)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.clicked.connect(lambda _checked=False, action=action: self.take(action))
        button.hide()
        return button

    def add_to(self, bar: QHBoxLayout, index: int) -> None:
        """Put the buttons into an action bar at ``index``."""
        for offset, button in enumerate(self.buttons.values()):
            bar.insertWidget(index + offset, button)

    def set_session(self, session: Session | None) -> None:
        """Act through this session."""
        self.session = session

    def clear(self) -> None:
        """No record shown: no buttons, no banner."""
        self._generation += 1
        self.record = None
        self.banner.hide()
        for button in self.buttons.values():
            button.hide()

    def show_record(self, record: Record) -> None:
        """Offer what the user may do with ``record`` (who they are is read off the GUI thread)."""
        session = self.session
        self.record = record
        self._generation += 1
        generation = self._generation
        if session is None:
            return

        def done(who: tuple[str, bool]) -> None:
            if generation == self._generation:
                self.user, self.librarian = who
                self._update()

        self.tasks.read(lambda: (session.me(), session.is_librarian()), done, description="who reviews")

    def allowed(self) -> list[ReviewAction]:
        """The actions offered for the record shown."""
        if self.record is None:
            return []
        return allowed_actions(self.record, self.user, self.librarian)

    def _update(self) -> None:
        allowed = self.allowed()
        record = self.record
        for action, button in self.buttons.items():
            button.setVisible(action in allowed)
        retired = record is not None and record.status is Status.RETIRED
        self.buttons[ReviewAction.PUBLISHED].setText(
            self.tr("Publish again") if retired else self.tr("Publish")
        )
        if record is not None:
            self.banner.show_for(record)

    def take(self, action: ReviewAction, comment: str | None = None) -> bool:
        """Take ``action`` on the record shown (asking for a comment where one is wanted); False if not."""
        record, session = self.record, self.session
        if record is None or session is None or action not in self.allowed():
            return False
        if comment is None and action in (ReviewAction.RETURNED, ReviewAction.RETIRED):
            dialog = ReviewCommentDialog(action, record.title or self.tr("(untitled)"), self.parent_widget)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            comment = dialog.comment()
        for button in self.buttons.values():
            button.setEnabled(False)
        record_id, text = record.id, comment or ""
        self.tasks.write(
            lambda: session.review(record_id, action, text),
            self._on_reviewed,
            self._on_failed,
            description="review a record",
        )
        return True

    def _on_reviewed(self, changes: Changes) -> None:
        for button in self.buttons.values():
            button.setEnabled(True)
        self.reviewed.emit(changes)

    def _on_failed(self, error: BaseException) -> None:
        for button in self.buttons.values():
            button.setEnabled(True)
        if isinstance(error, ReviewError):
            QMessageBox.information(self.parent_widget, self.tr("Review"), str(error))
        else:
            self.tasks.report_error("review a record", error)


class ReturnedToYou(QWidget):
    """Home's "Returned to you": the user's records a reviewer sent back, each with the comment.

    Hidden while there are none; choosing one opens the record (its banner says the rest).
    """

    record_requested = Signal(str)
    ID_ROLE = Qt.ItemDataRole.UserRole + 1
    #: Rows shown before the list scrolls (a returned record is rare and wants attention).
    ROWS = 3

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.caption = QLabel(self.tr("Returned to you"), self)
        font = self.caption.font()
        font.setBold(True)
        self.caption.setFont(font)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Records returned to you"))
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.caption.setBuddy(self.list)
        self.list.itemClicked.connect(self._on_item_chosen)
        self.list.itemActivated.connect(self._on_item_chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.caption)
        layout.addWidget(self.list)
        self.hide()

    def show_items(self, items: Sequence[QueueItem]) -> None:
        """Show these returned records (newest return first); hide when there are none."""
        self.list.clear()
        for item in items:
            record, entry = item.record, item.returned
            title = record.title or self.tr("(untitled)")
            if entry is not None:
                line = self.tr("Returned by {who} on {when}: “{comment}”").format(
                    who=entry.by, when=moment_text(entry.at), comment=entry.comment
                )
            else:
                line = self.tr("Returned for changes")
            row = QListWidgetItem(f"{title}\n{line}")
            row.setData(self.ID_ROLE, record.id)
            row.setToolTip(self.tr("Open “{title}” to change it and submit it again").format(title=title))
            self.list.addItem(row)
        self.caption.setText(self.tr("Returned to you (%n)", "", len(items)))
        rows = min(len(items), self.ROWS)
        height = self.list.sizeHintForRow(0) * rows + 2 * self.list.frameWidth() + 4 if rows else 0
        self.list.setFixedHeight(max(height, 0))
        self.setVisible(bool(items))

    def _on_item_chosen(self, item: QListWidgetItem) -> None:
        record_id = item.data(self.ID_ROLE)
        if record_id:
            self.record_requested.emit(str(record_id))
