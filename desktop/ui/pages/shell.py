"""The pages and the navigation that switches between them (the main window's central area).

Home, Search, the list pages, the trash and a record on its own page live in one
stack; the navigation list marks the page shown (for the record page, the page it
was opened from). Back acts on the page shown. What pages ask for (New, Edit,
History, Export) comes out of the shell as signals for the window to pass on.

A page is built the first time it is shown or asked for, not when the window is:
start-up builds the navigation and the first page only, and the modules of the
other pages load after the window is on screen (bench/bench_startup.py measures
that against a bare window). A page built later gets the session, its saved
state and its wiring when it is built; until then it has nothing to refresh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, QSignalBlocker, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QStackedWidget, QWidget

from desktop.ui.pages.list_specs import ListSpec, list_specs
from desktop.ui.pages.navigation import NavigationList
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.session import Session
    from desktop.ui.pages.home import HomePage
    from desktop.ui.pages.record_list import RecordListPage
    from desktop.ui.pages.record_page import RecordPage
    from desktop.ui.pages.review_page import ReviewQueuePage
    from desktop.ui.pages.search_page import SearchPage
    from desktop.ui.pages.trash_page import TrashPage

HOME, SEARCH, TRASH, RECORD = "home", "search", "trash", "record"
DUPLICATES = "duplicates"
REVIEW = "review"
DASHBOARD = "dashboard"
VOCABULARY = "vocabulary"


class ListPages(Mapping[str, "RecordListPage"]):
    """The list pages by key, each built when first looked up (iterating looks every one up)."""

    def __init__(self, shell: PageShell, specs: list[ListSpec]):
        self._shell = shell
        self.specs = {spec.key: spec for spec in specs}

    def __getitem__(self, key: str) -> RecordListPage:
        if key not in self.specs:
            raise KeyError(key)
        page = self._shell.page(key)
        return page  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        return iter(self.specs)

    def __len__(self) -> int:
        return len(self.specs)


class PageShell(QWidget):
    """Navigation on the left, the pages on the right."""

    new_record_requested = Signal(object)  # Kind
    edit_record_requested = Signal(str)
    history_requested = Signal(str)
    export_requested = Signal(str)
    export_many_requested = Signal(list)  # record ids
    records_changed = Signal(object)  # Changes made by a page (a delete, a restore)
    back_changed = Signal(bool)  # whether Back can do something on the page shown
    page_built = Signal(str)  # a page's key, the first time the page is built
    search_requested = Signal()  # Home's quick action
    import_requested = Signal()  # Home's quick action
    catalogue_import_requested = Signal()  # the Knowledge centre page's "Import catalogue…"
    catalogue_export_requested = Signal()  # ...and "Export catalogue…"

    def __init__(self, tasks: TaskManager, query_edit: QLineEdit, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.query_edit = query_edit
        self.session: Session | None = None
        self.settings_state: QSettings | None = None
        self.first_key = HOME
        self.specs = list_specs()
        self.list_pages = ListPages(self, self.specs)
        self.nav_keys = [
            HOME,
            SEARCH,
            *(spec.key for spec in self.specs),
            REVIEW,
            DUPLICATES,
            VOCABULARY,
            DASHBOARD,
            TRASH,
        ]
        self._built: dict[str, Any] = {}
        self.nav = NavigationList()
        titles = [
            self.tr("Home"),
            self.tr("Search"),
            *(spec.title for spec in self.specs),
            self.tr("Review queue"),
            self.tr("Duplicates"),
            self.tr("Vocabulary"),
            self.tr("Dashboard"),
            self.tr("Trash"),
        ]
        icons = [
            "home",
            "search",
            *(spec.icon for spec in self.specs),
            "review",
            "duplicates",
            "vocabulary",
            "dashboard",
            "trash",
        ]
        for title, icon_name in zip(titles, icons, strict=True):
            self.nav.add_page(title, icon_name)
        self.stack = QStackedWidget()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.nav.currentRowChanged.connect(self._on_nav_row_changed)

    # -- building pages on first use ---------------------------------------------------

    def page(self, key: str) -> Any:
        """The page of ``key`` ("home", "search", a list's key, "trash", "record"), built if needed."""
        page = self._built.get(key)
        if page is None:
            page = self._build(key)
            self._built[key] = page
            self.stack.addWidget(page)
            page.history_changed.connect(self._on_history_changed)
            if self.settings_state is not None:
                page.restore_state(self.settings_state)
            if self.session is not None:
                page.set_session(self.session)
            self._wire_terms(page)
            self.page_built.emit(key)
        return page

    def _wire_terms(self, page: QWidget) -> None:
        """A tag or term link in any of the page's record views opens the term in the Vocabulary page."""
        from desktop.ui.detail_view import DetailView

        for detail in page.findChildren(DetailView):
            detail.terms_in_vocabulary = True
            detail.term_requested.connect(self.show_term)

    def show_term(self, term_id: str) -> None:
        """Show a term in the Vocabulary page (its place in the tree, its labels, what uses it);
        Back returns to the page the term was opened from."""
        current = self.current_page()
        page = self.page(VOCABULARY)
        if current is not page:
            page.return_to = current
        self.show_page(page)
        page.show_in_tree(term_id)

    def is_built(self, key: str) -> bool:
        """True once the page of ``key`` exists."""
        return key in self._built

    def built_pages(self) -> list[Any]:
        """The pages built so far."""
        return list(self._built.values())

    def _build(self, key: str) -> Any:
        builders: dict[str, Callable[[], Any]] = {
            HOME: self._build_home,
            SEARCH: self._build_search,
            TRASH: self._build_trash,
            DUPLICATES: self._build_duplicates,
            DASHBOARD: self._build_dashboard,
            RECORD: self._build_record,
            REVIEW: self._build_review,
            VOCABULARY: self._build_vocabulary,
        }
        if key in builders:
            return builders[key]()
        return self._build_list(self.list_pages.specs[key])

    def _build_home(self) -> HomePage:
        from desktop.ui.pages.home import HomePage

        home = HomePage(self.tasks)
        home.record_requested.connect(self.open_record)
        home.new_record_requested.connect(self.new_record_requested)
        home.edit_record_requested.connect(self.edit_record_requested)
        home.search_requested.connect(self.search_requested)
        home.import_requested.connect(self.import_requested)
        return home

    def _build_search(self) -> SearchPage:
        from desktop.ui.pages.search_page import SearchPage

        page = SearchPage(self.tasks, self.query_edit)
        self._wire_detail(page.detail)
        return page

    def _build_trash(self) -> TrashPage:
        from desktop.ui.pages.trash_page import TrashPage

        page = TrashPage(self.tasks)
        page.records_changed.connect(self.records_changed)
        return page

    def _build_review(self) -> ReviewQueuePage:
        from desktop.ui.pages.review_page import ReviewQueuePage

        page = ReviewQueuePage(self.tasks)
        self._wire_detail(page.detail)
        self._wire_detail(page.similar_detail)
        return page

    def _build_duplicates(self) -> Any:
        from desktop.ui.pages.duplicates_page import DuplicatesPage

        page = DuplicatesPage(self.tasks)
        page.records_changed.connect(self.records_changed)
        return page

    def _build_dashboard(self) -> Any:
        from desktop.ui.pages.dashboard_page import DashboardPage  # its charts load when first shown

        page = DashboardPage(self.tasks)
        page.record_opened.connect(self.open_record)
        return page

    def _build_vocabulary(self) -> QWidget:
        from desktop.ui.pages.vocabulary_page import VocabularyPage

        page = VocabularyPage(self.tasks)
        page.records_changed.connect(self.records_changed)
        page.record_opened.connect(self.open_record)
        page.leave_requested.connect(self.show_page)
        return page

    def _build_record(self) -> RecordPage:
        from desktop.ui.pages.record_page import RecordPage

        page = RecordPage(self.tasks)
        page.leave_requested.connect(self.show_page)
        self._wire_detail(page.detail)
        return page

    def _build_list(self, spec: ListSpec) -> RecordListPage:
        from desktop.ui.pages.centre_page import CentrePage
        from desktop.ui.pages.communities_page import CommunitiesPage
        from desktop.ui.pages.experts_page import ExpertsPage
        from desktop.ui.pages.record_list import RecordListPage

        classes: dict[str, type[RecordListPage]] = {
            "experts": ExpertsPage,
            "communities": CommunitiesPage,
            "centre": CentrePage,
        }
        page_class = classes.get(spec.key, RecordListPage)
        page = page_class(self.tasks, spec)
        if isinstance(page, CentrePage):
            page.import_catalogue_requested.connect(self.catalogue_import_requested)
            page.export_catalogue_requested.connect(self.catalogue_export_requested)
        page.new_record_requested.connect(self.new_record_requested)
        page.edit_record_requested.connect(self.edit_record_requested)
        page.history_requested.connect(self.history_requested)
        page.export_requested.connect(self.export_requested)
        page.export_many_requested.connect(self.export_many_requested)
        page.record_opened.connect(self.open_record)
        page.records_changed.connect(self.records_changed)
        return page

    def _wire_detail(self, detail: Any) -> None:
        detail.edit_requested.connect(self.edit_record_requested)
        detail.history_requested.connect(self.history_requested)
        detail.export_requested.connect(self.export_requested)
        detail.records_changed.connect(self.records_changed)

    # -- the pages by name (built when first asked for) ---------------------------------

    @property
    def home(self) -> HomePage:
        """Home."""
        return self.page(HOME)  # type: ignore[no-any-return]

    @property
    def search_page(self) -> SearchPage:
        """The Search page."""
        return self.page(SEARCH)  # type: ignore[no-any-return]

    @property
    def trash_page(self) -> TrashPage:
        """The trash."""
        return self.page(TRASH)  # type: ignore[no-any-return]

    @property
    def record_page(self) -> RecordPage:
        """A record on its own page."""
        return self.page(RECORD)  # type: ignore[no-any-return]

    @property
    def nav_pages(self) -> list[Any]:
        """The pages in the navigation, in its order (builds them all)."""
        return [self.page(key) for key in self.nav_keys]

    @property
    def all_pages(self) -> list[Any]:
        """Every page: the navigation's, then the record page (builds them all)."""
        return [*self.nav_pages, self.record_page]

    # -- switching ---------------------------------------------------------------------

    def current_page(self) -> Any:
        """The page shown (None before the first one is shown)."""
        return self.stack.currentWidget()

    def key_of(self, page: Any) -> str | None:
        """The key of a built page."""
        return next((key for key, built in self._built.items() if built is page), None)

    def show_key(self, key: str) -> None:
        """Show the page of ``key`` (building it if needed)."""
        self.show_page(self.page(key))

    def show_page(self, page: QWidget) -> None:
        """Switch to ``page`` and mark it in the navigation."""
        self.nav.load_icons()
        self.stack.setCurrentWidget(page)
        key = self.key_of(page)
        if key == RECORD:
            origin = self._built[RECORD].return_to
            key = self.key_of(origin) if origin is not None else None
        with QSignalBlocker(self.nav):
            self.nav.setCurrentRow(self.nav_keys.index(key) if key in self.nav_keys else -1)
        page.activate()  # type: ignore[attr-defined]
        self._on_history_changed()

    def _on_nav_row_changed(self, row: int) -> None:
        if 0 <= row < len(self.nav_keys):
            if self.nav_keys[row] == VOCABULARY and self.is_built(VOCABULARY):
                self._built[VOCABULARY].return_to = None  # chosen in the navigation: no way back
            self.show_key(self.nav_keys[row])

    def open_record(self, record_id: str) -> None:
        """Show a record on its own page; Back returns to the page it was opened from."""
        current = self.current_page()
        record_page = self.record_page
        origin = record_page.return_to if current is record_page else current
        record_page.open_record(record_id, origin)
        self.show_page(record_page)

    @property
    def can_go_back(self) -> bool:
        """True when Back does something on the page shown."""
        current = self.current_page()
        return current is not None and bool(current.can_go_back)

    def go_back(self) -> None:
        """Back on the page shown."""
        current = self.current_page()
        if current is not None:
            current.go_back()
        self._on_history_changed()

    def _on_history_changed(self, *_args: object) -> None:
        self.back_changed.emit(self.can_go_back)

    # -- data and settings ------------------------------------------------------------------

    def set_session(self, session: Session | None) -> None:
        """Every page reads this session (pages built later get it when they are built)."""
        self.session = session
        for page in self.built_pages():
            page.set_session(session)
        current = self.current_page()
        if current is not None:
            current.activate()  # the others read when they are first shown

    def refresh_pages(self) -> None:
        """Records changed: the page shown (and search and the record page) now, the others when shown."""
        current = self.current_page()
        for key, page in self._built.items():
            if page is current or key in (SEARCH, RECORD):
                page.refresh()
            else:
                page.stale = True

    def after_sync(self) -> None:
        """A sync finished: pages that also show what only the server knows (a community's
        members) ask it again."""
        for page in self._built.values():
            after_sync = getattr(page, "after_sync", None)
            if callable(after_sync):
                after_sync()

    def save_state(self, settings: QSettings) -> None:
        """Each built page's splitters and columns, and which page is shown."""
        for page in self.built_pages():
            page.save_state(settings)
        key = self.key_of(self.current_page())
        if key == RECORD:
            key = self.key_of(self._built[RECORD].return_to) or HOME
        settings.setValue("main_window/page", key or HOME)

    def restore_state(self, settings: QSettings) -> None:
        """Remember the page shown last; :meth:`show_first_page` shows it once there is something to show.

        Nothing is built here: while the profile opens the window shows "Opening…", so building
        a page now would only delay the first frame (bench/bench_startup.py).
        """
        self.settings_state = settings
        key = str(settings.value("main_window/page", HOME))
        self.first_key = key if key in self.nav_keys else HOME

    def show_first_page(self) -> None:
        """Show the remembered page, unless a page is shown already."""
        if self.current_page() is None:
            self.show_key(self.first_key)
