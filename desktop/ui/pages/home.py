"""Home: what is new, what is mine (drafts, follow-ups due, the overdue ones marked), quick actions.

Everything is read in one background task when the page is refreshed (the window
calls :meth:`HomePage.refresh` after saves and imports). Choosing an item opens
the record; choosing unsaved work (a working copy an editor left behind, after a
crash or a close that could not save) opens it in the editor, where it is offered back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.kinds import Kind
from desktop.ui.icons import app_icon
from desktop.ui.models import kind_label
from desktop.ui.review_widgets import ReturnedToYou
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.core.editing import FollowUpDue, RecordSummary, WorkingCopy
    from desktop.core.review import QueueItem
    from desktop.session import Session

ID_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 2
EDIT_ROLE = Qt.ItemDataRole.UserRole + 3  # choosing the item opens the editor, not the record
RECENT_LIMIT = 20
MINE_LIMIT = 50
FOLLOW_UP_DAYS = 14


@dataclass
class HomeData:
    """What Home shows, read in one go."""

    recent: list[RecordSummary] = field(default_factory=list)
    drafts: list[RecordSummary] = field(default_factory=list)
    follow_ups: list[FollowUpDue] = field(default_factory=list)
    me: str = ""
    unsaved: list[WorkingCopy] = field(default_factory=list)
    returned: list[QueueItem] = field(default_factory=list)


def read_home(session: Session) -> HomeData:
    """Home's queries (worker thread)."""
    me = session.me() if hasattr(session, "me") else ""
    return HomeData(
        recent=session.recent(limit=RECENT_LIMIT),
        drafts=session.my_drafts(limit=MINE_LIMIT),
        follow_ups=session.follow_ups_due(within_days=FOLLOW_UP_DAYS, limit=MINE_LIMIT),
        me=me,
        unsaved=session.working_copies()[:MINE_LIMIT],
        returned=session.returned_to_me(limit=MINE_LIMIT),
    )


def overdue_colour(palette: QPalette) -> QColor:
    """A warning red that reads on light and dark backgrounds."""
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    return QColor("#ff7b72") if dark else QColor("#b3261e")


class HomePage(QWidget):
    """The first page: three short lists and four quick actions."""

    record_requested = Signal(str)
    edit_record_requested = Signal(str)  # unsaved work: open the editor on it
    new_record_requested = Signal(object)  # Kind
    search_requested = Signal()
    import_requested = Signal()
    history_changed = Signal(bool)
    refreshed = Signal(object)  # HomeData

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.nav_key = "home"
        self.tasks = tasks
        self.session: Session | None = None
        self.data: HomeData | None = None
        self.stale = False
        self._generation = 0

        self.heading = QLabel(self.tr("Home"))
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.greeting = QLabel("")
        self.greeting.setAccessibleName(self.tr("Who is working"))

        self.new_case_button = self._action("new", self.tr("New case study"))
        self.new_visit_button = self._action("site-visit", self.tr("New site visit"))
        self.search_button = self._action("search", self.tr("Search (Ctrl+K)"))
        self.import_button = self._action("import", self.tr("Import a folder…"))
        self.new_case_button.clicked.connect(lambda: self.new_record_requested.emit(Kind.CASE_STUDY))
        self.new_visit_button.clicked.connect(lambda: self.new_record_requested.emit(Kind.SITE_VISIT))
        self.search_button.clicked.connect(self.search_requested)
        self.import_button.clicked.connect(self.import_requested)

        self.recent_list = self._table(self.tr("What is new"))
        self.drafts_list = self._table(self.tr("My drafts"))
        self.follow_ups_list = self._list(self.tr("Follow-ups due"))
        self.returned = ReturnedToYou(self)  # hidden until a reviewer sends something back
        self.returned.record_requested.connect(self.record_requested)

        actions = QHBoxLayout()
        for button in (self.new_case_button, self.new_visit_button, self.search_button, self.import_button):
            actions.addWidget(button)
        actions.addStretch(1)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.addWidget(self._caption(self.tr("What is new"), self.recent_list), 0, 0)
        grid.addWidget(self.recent_list, 1, 0, 3, 1)
        grid.addWidget(self._caption(self.tr("My drafts"), self.drafts_list), 0, 1)
        grid.addWidget(self.drafts_list, 1, 1)
        grid.addWidget(
            self._caption(self.tr("Follow-ups due in the next two weeks"), self.follow_ups_list), 2, 1
        )
        grid.addWidget(self.follow_ups_list, 3, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.greeting)
        layout.addLayout(actions)
        layout.addWidget(self.returned)
        layout.addLayout(grid, 1)

    def _action(self, icon_name: str, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text)
        shown = app_icon(icon_name)
        if shown is not None:
            button.setIcon(shown)
        return button

    def _table(self, name: str) -> QTreeWidget:
        """A short list of records: title, kind, date, in aligned columns."""
        widget = QTreeWidget()
        widget.setAccessibleName(name)
        widget.setColumnCount(3)
        widget.setHeaderLabels([self.tr("Title"), self.tr("Kind"), self.tr("Updated")])
        widget.setRootIsDecorated(False)
        widget.setAlternatingRowColors(True)
        widget.setUniformRowHeights(True)
        header = widget.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        widget.itemClicked.connect(self._on_item_chosen)
        widget.itemActivated.connect(self._on_item_chosen)
        return widget

    def _list(self, name: str) -> QListWidget:
        """Follow-ups: two lines each (when and what, then from which visit), wrapped, never cut."""
        widget = QListWidget()
        widget.setAccessibleName(name)
        widget.setAlternatingRowColors(True)
        widget.setWordWrap(True)
        widget.setSpacing(2)
        widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        widget.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        widget.itemClicked.connect(self._on_item_chosen)
        widget.itemActivated.connect(self._on_item_chosen)
        return widget

    def _caption(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        label.setBuddy(buddy)
        return label

    # -- the page's life -------------------------------------------------------------------

    def set_session(self, session: Session | None) -> None:
        """Read from this session (when the page is shown)."""
        self.session = session
        self.stale = True

    def activate(self) -> None:
        """Shown: catch up if records changed meanwhile."""
        if self.stale:
            self.refresh()

    def refresh(self) -> None:
        """Read the three lists again (in the background)."""
        self.stale = False
        session = self.session
        if session is None:
            return
        self._generation += 1
        generation = self._generation

        def done(data: HomeData) -> None:
            if generation == self._generation:
                self._show(data)

        self.tasks.read(lambda: read_home(session), done, description="read Home")

    @property
    def can_go_back(self) -> bool:
        """Home is where Back ends."""
        return False

    def go_back(self) -> None:
        """Nothing to go back to."""

    def save_state(self, settings: QSettings) -> None:
        """Nothing to remember."""

    def restore_state(self, settings: QSettings) -> None:
        """Nothing to restore."""

    # -- showing ----------------------------------------------------------------------------

    def _show(self, data: HomeData) -> None:
        self.data = data
        self.greeting.setText(self.tr("Working as {name}").format(name=data.me) if data.me else "")
        self.greeting.setVisible(bool(data.me))
        self._fill_table(self.recent_list, data.recent, self.tr("Nothing yet."))
        self._fill_table(
            self.drafts_list, data.drafts, self.tr("No drafts: what you start writing appears here.")
        )
        self._add_unsaved(data.unsaved)
        self.returned.show_items(data.returned)
        self._fill(
            self.follow_ups_list,
            [self._follow_up_item(f) for f in data.follow_ups],
            self.tr("No follow-up actions due."),
        )
        self.refreshed.emit(data)

    def _fill(self, widget: QListWidget, items: list[QListWidgetItem], empty: str) -> None:
        widget.clear()
        if not items:
            placeholder = QListWidgetItem(empty)
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            widget.addItem(placeholder)
            return
        for item in items:
            widget.addItem(item)

    def _fill_table(self, widget: QTreeWidget, summaries: list[RecordSummary], empty: str) -> None:
        widget.clear()
        if not summaries:
            placeholder = QTreeWidgetItem(widget, [empty])
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            placeholder.setFirstColumnSpanned(True)
            return
        for summary in summaries:
            title = summary.title or self.tr("(untitled)")
            item = QTreeWidgetItem(widget, [title, kind_label(summary.kind), str(summary.updated_at)[:10]])
            item.setToolTip(0, title)
            item.setData(0, ID_ROLE, summary.id)

    def _add_unsaved(self, unsaved: list[WorkingCopy]) -> None:
        """Unsaved work at the top of My drafts, in italics, each opening its editor."""
        widget = self.drafts_list
        if not unsaved:
            return
        ids = {working.record.id for working in unsaved}
        for row in reversed(range(widget.topLevelItemCount())):
            item = widget.topLevelItem(row)
            if item is not None and (not item.data(0, ID_ROLE) or item.data(0, ID_ROLE) in ids):
                widget.takeTopLevelItem(row)  # the placeholder, or a draft shown as unsaved work
        for position, working in enumerate(unsaved):
            record = working.record
            title = record.title or self.tr("(untitled)")
            kind = self.tr("{kind}, unsaved").format(kind=kind_label(record.kind))
            item = QTreeWidgetItem([title, kind, str(working.updated_at)[:10]])
            item.setToolTip(
                0, self.tr("Unsaved changes to “{title}”: open to save or discard them").format(title=title)
            )
            item.setData(0, ID_ROLE, record.id)
            item.setData(0, EDIT_ROLE, True)
            font = QFont(item.font(0))
            font.setItalic(True)
            for column in range(3):
                item.setFont(column, font)
            widget.insertTopLevelItem(position, item)

    def _follow_up_item(self, due: FollowUpDue) -> QListWidgetItem:
        owner = f" ({due.owner})" if due.owner else ""
        if due.overdue:
            when = self.tr("Overdue since {date}").format(date=due.due)
        else:
            when = self.tr("Due {date}").format(date=due.due)
        item = QListWidgetItem(f"{when}: {due.action}{owner}\n{due.record_title}")
        item.setToolTip(
            self.tr("{action}\nfrom “{title}”, due {date}").format(
                action=due.action, title=due.record_title, date=due.due
            )
        )
        item.setData(ID_ROLE, due.record_id)
        item.setData(OVERDUE_ROLE, due.overdue)
        if due.overdue:
            item.setForeground(overdue_colour(self.palette()))
            font = QFont(item.font())
            font.setBold(True)
            item.setFont(font)
            shown = app_icon("history")
            if shown is not None:
                item.setIcon(shown)
        return item

    def items_of(self, widget: QListWidget | QTreeWidget) -> list[Any]:
        """The record items of one of the lists (placeholders left out)."""
        if isinstance(widget, QTreeWidget):
            rows = (widget.topLevelItem(row) for row in range(widget.topLevelItemCount()))
            return [item for item in rows if item is not None and item.data(0, ID_ROLE)]
        items = (widget.item(row) for row in range(widget.count()))
        return [item for item in items if item is not None and item.data(ID_ROLE)]

    def item_texts(self, widget: QListWidget | QTreeWidget) -> list[str]:
        """What each record item of a list says (columns joined by " · ")."""
        if isinstance(widget, QTreeWidget):
            return [" · ".join(item.text(c) for c in range(3)) for item in self.items_of(widget)]
        return [item.text() for item in self.items_of(widget)]

    def _on_item_chosen(self, item: QListWidgetItem | QTreeWidgetItem) -> None:
        record_id: Any = item.data(0, ID_ROLE) if isinstance(item, QTreeWidgetItem) else item.data(ID_ROLE)
        if not record_id:
            return
        if isinstance(item, QTreeWidgetItem) and item.data(0, EDIT_ROLE):
            self.edit_record_requested.emit(str(record_id))
        else:
            self.record_requested.emit(str(record_id))
