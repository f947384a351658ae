"""The pages and the navigation that switches between them (the main window's central area).

Home, Search, the list pages and a record on its own page live in one stack; the
navigation list marks the page shown (for the record page, the page it was opened
from). Back acts on the page shown. What pages ask for (New, Edit, History,
Export) comes out of the shell as signals for the window to pass on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, QSignalBlocker, Signal
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QWidget

from desktop.ui.pages.experts_page import ExpertsPage
from desktop.ui.pages.home import HomePage
from desktop.ui.pages.list_specs import list_specs
from desktop.ui.pages.navigation import NavigationList
from desktop.ui.pages.record_list import RecordListPage
from desktop.ui.pages.record_page import RecordPage
from desktop.ui.pages.search_page import SearchPage
from desktop.ui.pages.trash_page import TrashPage
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.session import Session


class PageShell(QWidget):
    """Navigation on the left, the pages on the right."""

    new_record_requested = Signal(object)  # Kind
    edit_record_requested = Signal(str)
    history_requested = Signal(str)
    export_requested = Signal(str)
    export_many_requested = Signal(list)  # record ids
    records_changed = Signal(object)  # Changes made by a page (a delete)
    back_changed = Signal(bool)  # whether Back can do something on the page shown

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.home = HomePage(tasks)
        self.search_page = SearchPage(tasks)
        self.list_pages: dict[str, RecordListPage] = {}
        for spec in list_specs():
            page_class = ExpertsPage if spec.key == "experts" else RecordListPage
            self.list_pages[spec.key] = page_class(tasks, spec)
        self.trash_page = TrashPage(tasks)
        self.record_page = RecordPage(tasks)
        self.nav = NavigationList()
        self.stack = QStackedWidget()
        lists = self.list_pages.values()
        titles = [self.tr("Home"), self.tr("Search"), *(page.spec.title for page in lists), self.tr("Trash")]
        icons = ["home", "search", *(page.spec.icon for page in lists), "trash"]
        for page, title, icon_name in zip(self.nav_pages, titles, icons, strict=True):
            self.nav.add_page(title, icon_name)
            self.stack.addWidget(page)
        self.stack.addWidget(self.record_page)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self._connect()

    @property
    def nav_pages(self) -> list[Any]:
        """The pages in the navigation, in its order."""
        return [self.home, self.search_page, *self.list_pages.values(), self.trash_page]

    @property
    def all_pages(self) -> list[Any]:
        """Every page: the navigation's, then the record page."""
        return [*self.nav_pages, self.record_page]

    def _connect(self) -> None:
        self.nav.currentRowChanged.connect(self._on_nav_row_changed)
        self.home.record_requested.connect(self.open_record)
        self.home.new_record_requested.connect(self.new_record_requested)
        self.home.edit_record_requested.connect(self.edit_record_requested)
        self.trash_page.records_changed.connect(self.records_changed)
        self.record_page.leave_requested.connect(self.show_page)
        for page in self.all_pages:
            page.history_changed.connect(self._on_history_changed)
        for list_page in self.list_pages.values():
            list_page.new_record_requested.connect(self.new_record_requested)
            list_page.edit_record_requested.connect(self.edit_record_requested)
            list_page.history_requested.connect(self.history_requested)
            list_page.export_requested.connect(self.export_requested)
            list_page.export_many_requested.connect(self.export_many_requested)
            list_page.record_opened.connect(self.open_record)
            list_page.records_changed.connect(self.records_changed)
        for detail in (self.search_page.detail, self.record_page.detail):
            detail.edit_requested.connect(self.edit_record_requested)
            detail.history_requested.connect(self.history_requested)
            detail.export_requested.connect(self.export_requested)

    # -- switching ---------------------------------------------------------------------

    def current_page(self) -> Any:
        """The page shown."""
        return self.stack.currentWidget()

    def show_page(self, page: QWidget) -> None:
        """Switch to ``page`` and mark it in the navigation."""
        self.stack.setCurrentWidget(page)
        pages = self.nav_pages
        marked = self.record_page.return_to if page is self.record_page else page
        with QSignalBlocker(self.nav):
            self.nav.setCurrentRow(pages.index(marked) if marked in pages else -1)
        page.activate()  # type: ignore[attr-defined]
        self._on_history_changed()

    def _on_nav_row_changed(self, row: int) -> None:
        if 0 <= row < len(self.nav_pages):
            self.show_page(self.nav_pages[row])

    def open_record(self, record_id: str) -> None:
        """Show a record on its own page; Back returns to the page it was opened from."""
        current = self.current_page()
        origin = self.record_page.return_to if current is self.record_page else current
        self.record_page.open_record(record_id, origin)
        self.show_page(self.record_page)

    @property
    def can_go_back(self) -> bool:
        """True when Back does something on the page shown."""
        return bool(self.current_page().can_go_back)

    def go_back(self) -> None:
        """Back on the page shown."""
        self.current_page().go_back()
        self._on_history_changed()

    def _on_history_changed(self, *_args: object) -> None:
        self.back_changed.emit(self.can_go_back)

    # -- data and settings ------------------------------------------------------------------

    def set_session(self, session: Session | None) -> None:
        """Every page reads this session."""
        for page in self.all_pages:
            page.set_session(session)
        self.current_page().activate()  # the others read when they are first shown

    def refresh_pages(self) -> None:
        """Records changed: the page shown (and search and the record page) now, the others when shown."""
        current = self.current_page()
        for page in self.all_pages:
            if page is current or page in (self.search_page, self.record_page):
                page.refresh()
            else:
                page.stale = True

    def save_state(self, settings: QSettings) -> None:
        """Each page's splitters and columns, and which page is shown."""
        for page in self.all_pages:
            page.save_state(settings)
        page = self.current_page()
        if page is self.record_page:
            page = self.record_page.return_to or self.home
        settings.setValue("main_window/page", page.nav_key)

    def restore_state(self, settings: QSettings) -> None:
        """Put back what :meth:`save_state` saved."""
        for page in self.all_pages:
            page.restore_state(settings)
        pages = {page.nav_key: page for page in self.nav_pages}
        self.show_page(pages.get(str(settings.value("main_window/page", "home")), self.home))
