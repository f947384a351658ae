"""The main window: a navigation list, the pages it switches between, the search box, the status bar.

Pages (desktop/ui/pages): Home, Search, Knowledge base, Site visits, Experts,
Knowledge centre, Communities, and a record on its own page. The search box sits
in the top bar, so Ctrl+K and typing reach the Search page from anywhere; Back
acts on the page shown. The window owns no data access: pages ask the session
through the TaskManager. The profile opens in the background; until then the
window shows "Opening…". New, Edit, History and Export are asked for with
signals (``new_record_requested`` ...) that the window answers: editors open in
windows of their own (an :class:`EditorHost`, made on first use so its modules stay
off the start-up path), History in a dialog; closing the window closes the editors
first, saving what they hold.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.kinds import Kind
from desktop.paths import ProfilePaths
from desktop.resources import demo_file
from desktop.ui.empty_state import EmptyStatePanel
from desktop.ui.lazy import open_session
from desktop.ui.pages.shell import DUPLICATES, SEARCH, PageShell
from desktop.ui.search_box import make_search_box
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:  # the session loads SQLAlchemy and Whoosh: only after the window shows
    from desktop.core.changes import Changes
    from desktop.session import Session
    from desktop.ui.detail_view import DetailView
    from desktop.ui.editors import EditorHost
    from desktop.ui.experts_view import ExpertsView
    from desktop.ui.history_dialog import HistoryDialog
    from desktop.ui.import_flow import ImportFlow
    from desktop.ui.notifications import NotificationsButton
    from desktop.ui.pages.home import HomePage
    from desktop.ui.pages.record_page import RecordPage
    from desktop.ui.pages.search_page import SearchPage
    from desktop.ui.search_panel import SearchPanel
    from desktop.ui.sync_ui import SyncUi

logger = logging.getLogger(__name__)


#: Modules of screens a person reaches soon after start-up (a record's files, search results, editors).
#: Importing one costs tens of milliseconds; done on the GUI thread at first use, that is a stall.
PRELOADED_MODULES = (
    "desktop.ui.pages.search_page",
    "desktop.ui.attachments_panel",
    "desktop.ui.pages.record_list",
    "desktop.ui.editors",
    "desktop.ui.history_dialog",
)


def preload_ui_modules() -> int:
    """Import the modules of the screens not shown yet, on a worker thread; returns how many loaded.

    Import only: no widget is made off the GUI thread. The import lock makes a GUI-thread
    import of the same module wait for this one instead of running it twice.
    """
    import importlib

    loaded = 0
    for name in PRELOADED_MODULES:
        try:
            importlib.import_module(name)
            loaded += 1
        except ImportError:  # a broken optional screen must not stop the app; its first use will say why
            logger.exception("could not preload %s", name)
    return loaded


class MainWindow(QMainWindow):
    """One window on one profile."""

    session_opened = Signal(object)  # Session
    session_failed = Signal(object)  # exception
    record_count_changed = Signal(int)
    new_record_requested = Signal(object)  # Kind: open an editor on a new record
    edit_record_requested = Signal(str)  # record id: open an editor on it
    history_requested = Signal(str)  # record id: show its history
    export_requested = Signal(str)  # record id: export it

    PAGE_OPENING, PAGE_EMPTY, PAGE_MAIN = range(3)

    def __init__(self, paths: ProfilePaths, tasks: TaskManager | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.paths = paths
        self.tasks = tasks or TaskManager(self)
        if self.tasks.on_unexpected_error is None:
            self.tasks.on_unexpected_error = self._show_unexpected_error
        self.session: Session | None = None
        self.record_count: int | None = None
        self.import_flow: ImportFlow | None = None
        self.catalogue_flow: Any = None  # the last staged catalogue import
        self._editors: EditorHost | None = None
        self.history_dialog: HistoryDialog | None = None
        self.setWindowTitle(self.tr("Imbizo"))
        self.setAccessibleName(self.tr("Imbizo main window"))
        self.resize(1280, 800)

        self.query_edit = make_search_box()
        self.shell = PageShell(self.tasks, self.query_edit)
        self.list_pages, self.nav, self.stack = self.shell.list_pages, self.shell.nav, self.shell.stack
        self.empty_state = EmptyStatePanel()
        self._build_top_bar()
        self._build_pages()
        self._build_actions()
        self._build_status_bar()
        self._connect()
        self._restore_settings()

    def _show_unexpected_error(self, description: str, error: BaseException) -> None:
        from desktop.ui.error_dialog import show_error  # loaded when first needed, not at start-up

        show_error(self, description, error)

    @property
    def all_pages(self) -> list[Any]:
        """Every page, navigation order first, then the record page (builds them all)."""
        return self.shell.all_pages

    # The pages and the search parts by name, each built when first asked for (see PageShell).

    @property
    def home(self) -> HomePage:
        """Home."""
        return self.shell.home

    @property
    def search_page(self) -> SearchPage:
        """The Search page."""
        return self.shell.search_page

    @property
    def record_page(self) -> RecordPage:
        """A record on its own page."""
        return self.shell.record_page

    @property
    def search(self) -> SearchPanel:
        """The search results and facets (the box is ``query_edit``)."""
        return self.shell.search_page.search

    @property
    def detail(self) -> DetailView:
        """The record shown on the Search page."""
        return self.shell.search_page.detail

    @property
    def right(self) -> QStackedWidget:
        """The Search page's right-hand side: the record, or the experts on the topic."""
        return self.shell.search_page.right

    @property
    def splitter(self) -> QSplitter:
        """The Search page's splitter (facets | results | record)."""
        return self.shell.search_page.splitter

    @property
    def experts(self) -> ExpertsView:
        """ "Who knows about this?" on the Search page."""
        return self.shell.search_page.experts

    # -- building --------------------------------------------------------------

    def _build_top_bar(self) -> None:
        self.back_button = QToolButton()
        self.back_button.setText("←")  # the SVG icon replaces it once the pages show (_load_icons)
        self.back_button.setToolTip(self.tr("Back (Alt+Left)"))
        self.back_button.setAccessibleName(self.tr("Back"))
        self.back_button.setEnabled(False)
        self.experts_button = QPushButton(self.tr("Who knows about this?"))
        self.experts_button.setAccessibleName(self.tr("Find experts on the search topic"))
        self.experts_button.setToolTip(self.tr("People who wrote about or worked on what you searched for"))
        self.experts_button.setEnabled(False)
        self.top_bar = QWidget()
        row = QHBoxLayout(self.top_bar)
        row.setContentsMargins(8, 8, 8, 4)
        row.addWidget(self.back_button)
        row.addWidget(self.query_edit, 1)
        row.addWidget(self.experts_button)

    def _build_pages(self) -> None:
        self.opening_label = QLabel(self.tr("Opening the profile…"))
        self.opening_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.opening_label)
        self.pages.addWidget(self.empty_state)
        self.pages.addWidget(self.shell)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.top_bar)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

    def _build_actions(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&File"))
        self.new_action = QAction(self.tr("&New record"), self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setToolTip(self.tr("A new record of the kind the page shown lists"))
        self.new_action.triggered.connect(self._on_new_action_triggered)
        self.new_action.setEnabled(False)
        menu.addAction(self.new_action)
        self.new_menu = menu.addMenu(self.tr("New &kind of record"))
        self.new_kind_actions: dict[Kind, QAction] = {}
        for kind, text in self._new_kind_texts():
            action = QAction(text, self)
            action.triggered.connect(lambda _checked=False, kind=kind: self.new_record(kind))
            action.setEnabled(False)
            self.new_menu.addAction(action)
            self.new_kind_actions[kind] = action
        menu.addSeparator()
        self.import_action = QAction(self.tr("&Import a folder…"), self)
        self.import_action.setShortcut(QKeySequence.StandardKey.Open)
        self.import_action.triggered.connect(self.choose_import_folder)
        self.import_action.setEnabled(False)
        menu.addAction(self.import_action)
        self.import_files_action = QAction(self.tr("Import &files…"), self)
        self.import_files_action.triggered.connect(self.choose_import_files)
        self.import_files_action.setEnabled(False)
        menu.addAction(self.import_files_action)
        self.export_catalogue_action = QAction(self.tr("Export the &catalogue…"), self)
        self.export_catalogue_action.setToolTip(self.tr("Every knowledge-centre item as CSV or MARCXML"))
        self.export_catalogue_action.triggered.connect(self.export_catalogue)
        self.export_catalogue_action.setEnabled(False)
        menu.addAction(self.export_catalogue_action)
        self.demo_action = QAction(self.tr("Load the &demo knowledge base"), self)
        self.demo_action.triggered.connect(self.load_demo)
        self.demo_action.setEnabled(False)
        menu.addAction(self.demo_action)
        menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)

        edit = self.menuBar().addMenu(self.tr("&Edit"))
        self.undo_merge_action = QAction(self.tr("&Undo last merge"), self)
        self.undo_merge_action.setEnabled(False)
        self.undo_merge_action.triggered.connect(lambda: self.shell.page(DUPLICATES).undo_last())
        edit.addAction(self.undo_merge_action)
        self.stack.currentChanged.connect(self._update_undo_shortcut)

        go = self.menuBar().addMenu(self.tr("&Go"))
        self.page_actions = self.nav.add_go_actions(
            go, lambda row: self.shell.show_key(self.shell.nav_keys[row])
        )
        go.addSeparator()
        self.find_action = QAction(self.tr("&Search"), self)
        self.find_action.setShortcuts([QKeySequence("Ctrl+K"), QKeySequence(QKeySequence.StandardKey.Find)])
        self.find_action.triggered.connect(self.focus_search)
        go.addAction(self.find_action)
        self.back_action = QAction(self.tr("&Back"), self)
        self.back_action.setShortcut(QKeySequence.StandardKey.Back)
        self.back_action.setEnabled(False)
        self.back_action.triggered.connect(self.go_back)
        go.addAction(self.back_action)
        self.experts_action = QAction(self.tr("&Who knows about this?"), self)
        self.experts_action.setShortcut(QKeySequence("Ctrl+E"))
        self.experts_action.triggered.connect(self.find_experts)
        go.addAction(self.experts_action)

        tools = self.menuBar().addMenu(self.tr("&Tools"))
        self.settings_action = QAction(self.tr("&Settings…"), self)
        # Qt defines Preferences only on macOS (⌘,); elsewhere Ctrl+, as Firefox, VS Code and Joplin use.
        from desktop.ui.conventions import standard_shortcuts

        self.settings_action.setShortcuts(standard_shortcuts(QKeySequence.StandardKey.Preferences, "Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.open_settings)
        tools.addAction(self.settings_action)

    def _new_kind_texts(self) -> list[tuple[Kind, str]]:
        return [
            (Kind.CASE_STUDY, self.tr("&Case study or best practice")),
            (Kind.SITE_VISIT, self.tr("&Site visit")),
            (Kind.EXPERT, self.tr("&Expert profile")),
            (Kind.CENTRE_ITEM, self.tr("&Knowledge-centre item")),
            (Kind.COMMUNITY, self.tr("C&ommunity")),
            (Kind.QUESTION, self.tr("&Question")),
        ]

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.profile_label = QLabel(self.tr("Profile: {path}").format(path=self.paths.data_dir))
        self.profile_label.setAccessibleName(self.tr("Profile folder"))
        self.profile_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.count_label = QLabel(self.tr("Opening…"))
        self.count_label.setAccessibleName(self.tr("Number of records"))
        status.addWidget(self.profile_label, 1)
        status.addPermanentWidget(self.count_label)
        self.sync_ui: SyncUi | None = None  # the sync menu and indicator, made when the profile opens
        self.notifications: NotificationsButton | None = None  # made when the profile opens

    def _connect(self) -> None:
        self.back_button.clicked.connect(self.go_back)
        self.experts_button.clicked.connect(self.find_experts)
        self.query_edit.textChanged.connect(self._on_query_text_changed)
        self.empty_state.load_demo_requested.connect(self.load_demo)
        self.empty_state.import_requested.connect(self.choose_import_folder)
        self.shell.search_requested.connect(self.focus_search)
        self.shell.import_requested.connect(self.choose_import_folder)
        self.shell.catalogue_import_requested.connect(self.choose_catalogue_files)
        self.shell.catalogue_export_requested.connect(self.export_catalogue)
        self.shell.back_changed.connect(self._update_back)
        self.shell.records_changed.connect(self.refresh_after_changes)
        self.shell.page_built.connect(self._on_page_built)
        shell = self.shell
        shell.new_record_requested.connect(self.new_record_requested)
        shell.edit_record_requested.connect(self.edit_record_requested)
        shell.history_requested.connect(self.history_requested)
        shell.export_requested.connect(self.export_requested)
        self.new_record_requested.connect(self.new_record)
        self.edit_record_requested.connect(self.edit_record)
        self.history_requested.connect(self.show_history)
        self.export_requested.connect(lambda record_id: self.export_records([record_id]))
        shell.export_many_requested.connect(self.export_records)

    # -- pages -------------------------------------------------------------------------

    def current_page(self) -> Any:
        """The page shown in the main area."""
        return self.shell.current_page()

    def show_page(self, page: QWidget) -> None:
        """Switch to ``page`` and mark it in the navigation."""
        self.shell.show_page(page)

    def focus_search(self) -> None:
        """Ctrl+K: the Search page, with the cursor in the search box."""
        self.show_page(self.search_page)
        self.focus_search_box()

    def focus_search_box(self) -> None:
        """The cursor in the search box with its text selected, on whatever page is shown."""
        self.query_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query_edit.selectAll()

    def _on_query_text_changed(self, text: str) -> None:
        has_text = bool(text.strip())
        self.experts_button.setEnabled(has_text and self.session is not None)
        if has_text and not self._search_page_shown():
            if self.shell.is_built(SEARCH):
                self.show_page(self.search_page)
            else:  # the first key lands in the box at once; the page is built right after it
                QTimer.singleShot(0, self._show_search_page_for_typing)

    def _show_search_page_for_typing(self) -> None:
        if self.query_edit.text().strip() and not self._search_page_shown():
            self.show_page(self.search_page)

    def _search_page_shown(self) -> bool:
        return self.shell.is_built(SEARCH) and self.current_page() is self.shell.search_page

    def _on_new_action_triggered(self) -> None:
        page = self.current_page()
        spec = getattr(page, "spec", None)
        self.new_record_requested.emit(spec.new_kinds[0] if spec is not None else Kind.CASE_STUDY)

    # -- the profile -------------------------------------------------------------

    def open_profile(self) -> None:
        """Open the session on the write lane (it may rebuild the index)."""
        paths = self.paths
        self.pages.setCurrentIndex(self.PAGE_OPENING)
        self.tasks.write(
            lambda: open_session(paths),
            self._on_session_opened,
            self._on_session_failed,
            description="open the profile",
        )

    def _on_session_opened(self, session: Session) -> None:
        self.session = session
        self.shell.set_session(session)
        self.import_action.setEnabled(True)
        self.import_files_action.setEnabled(True)
        self.export_catalogue_action.setEnabled(True)
        self.new_action.setEnabled(True)
        for action in self.new_kind_actions.values():
            action.setEnabled(True)
        if self._editors is not None:
            self._editors.set_session(session)
        if self.sync_ui is None:
            from desktop.ui.sync_ui import SyncUi

            self.sync_ui = SyncUi(self)
        self.sync_ui.set_session(session)
        self._show_notifications(session)
        self.demo_action.setEnabled(True)
        self.undo_merge_action.setEnabled(True)
        self.experts_button.setEnabled(bool(self.query_edit.text().strip()))
        self.refresh_count()
        self.tasks.read(preload_ui_modules, description="load the modules of the other screens")
        self.session_opened.emit(session)

    def _update_undo_shortcut(self, _index: int = -1) -> None:
        """Ctrl+Z (the platform's Undo) undoes a merge while the Duplicates page shows, and only then:
        on a list page it belongs to the bulk-tag bar's Undo, and a text field with the focus always
        takes it first for its own undo."""
        shown = getattr(self.shell.current_page(), "nav_key", None) == DUPLICATES
        self.undo_merge_action.setShortcut(
            QKeySequence(QKeySequence.StandardKey.Undo) if shown else QKeySequence()
        )

    def _on_page_built(self, key: str) -> None:
        if key == DUPLICATES:  # the Edit menu names the merge the page would undo
            self.shell.page(key).undo_changed.connect(
                lambda text: self.undo_merge_action.setText(text or self.tr("&Undo last merge"))
            )

    def _on_session_failed(self, error: BaseException) -> None:
        logger.error("cannot open the profile %s: %s", self.paths.data_dir, error)
        self.opening_label.setText(
            self.tr("The profile in {path} could not be opened:\n{error}").format(
                path=self.paths.data_dir, error=error
            )
        )
        self.opening_label.setWordWrap(True)
        self.count_label.setText(self.tr("Not open"))
        self.session_failed.emit(error)

    def _load_icons(self) -> None:
        """The top bar's SVG icon, after the first frame (SVG support costs start-up time)."""
        from desktop.ui.icons import app_icon

        if self.back_button.icon().isNull():
            back_icon = app_icon("back")
            if back_icon is not None:
                self.back_button.setIcon(back_icon)
                self.back_button.setText("")

    def refresh_count(self) -> None:
        """Count the records (in the background) and show the empty state or the main page."""
        session = self.session
        if session is None:
            return
        self.tasks.read(lambda: session.store.count(), self._on_count, description="count records")

    def _on_count(self, count: int) -> None:
        first_records = not self.record_count
        self.record_count = count
        self.count_label.setText(
            self.tr("1 record") if count == 1 else self.tr("{n} records").format(n=f"{count:,}")
        )
        self.pages.setCurrentIndex(self.PAGE_EMPTY if count == 0 else self.PAGE_MAIN)
        self._load_icons()
        if count:
            self.shell.show_first_page()
        if count and first_records:
            self.focus_search_box()
        self.record_count_changed.emit(count)

    def refresh_after_changes(self, _changes: Changes | None = None) -> None:
        """Records were saved, imported or deleted: recount and refresh the pages (hidden ones on show)."""
        self.refresh_count()
        self.shell.refresh_pages()
        if self.notifications is not None:
            self.notifications.refresh()

    def _show_notifications(self, session: Session) -> None:
        """The notifications button in the status bar; opening one shows the question's thread."""
        if self.notifications is None:
            from desktop.ui.notifications import NotificationsButton

            self.notifications = NotificationsButton(self.tasks)
            self.statusBar().addPermanentWidget(self.notifications)
            self.notifications.open_requested.connect(self._on_notice_opened)
        self.notifications.set_session(session)

    def _on_notice_opened(self, record_id: str, kind: str) -> None:
        """A notification opens its question's thread, or the record a review of mine was about."""
        from desktop.core.review import OVERTAKEN_GONE_NOTICE, OVERTAKEN_NOTICE

        if kind == OVERTAKEN_GONE_NOTICE:
            # Returned to its authors: this person may no longer read it, so there is nothing to open.
            self.statusBar().showMessage(
                self.tr("That record was returned to its authors; it is no longer in your profile."), 8000
            )
        elif kind == OVERTAKEN_NOTICE:
            self.open_record(record_id)
        else:
            self.open_question(record_id)

    def open_question(self, question_id: str) -> None:
        """A question's thread on the Communities page."""
        self.shell.show_key("communities")
        self.shell.page("communities").open_question(question_id)

    def ask_of_expert(self, expert_id: str, name: str = "") -> Any:
        """The ask dialog for a question to a named expert (the expert finder's "Ask")."""
        self.shell.show_key("communities")
        return self.shell.page("communities").ask(expert_id=expert_id, expert_name=name)

    # -- actions -----------------------------------------------------------------

    def load_demo(self) -> None:
        """Load the demo knowledge base on the write lane."""
        session = self.session
        if session is None:
            return
        self.empty_state.set_busy(True)
        self.count_label.setText(self.tr("Loading the demo…"))

        def done(changes: Changes) -> None:
            self.empty_state.set_busy(False)
            self.refresh_after_changes(changes)

        def failed(error: BaseException) -> None:
            self.empty_state.set_busy(False)
            self.refresh_count()
            self._show_unexpected_error(self.tr("load the demo knowledge base"), error)

        demo = demo_file()
        self.tasks.write(lambda: session.load_demo(demo), done, failed, description="load the demo")

    def choose_import_folder(self) -> None:
        """Ask for a folder, then import it."""
        folder = QFileDialog.getExistingDirectory(self, self.tr("Import a folder"))
        if folder:
            self.import_paths([Path(folder)])

    def choose_import_files(self) -> None:
        """Ask for files, then import them (catalogue files through the staged preview)."""
        from desktop.ui.catalogue_flow import is_catalogue_choice
        from desktop.ui.import_flow import ask_import_files

        files = ask_import_files(self)
        if files and is_catalogue_choice(files):
            self.preview_import(files)
        elif files:
            self.import_paths(files)

    def choose_catalogue_files(self) -> None:
        """Ask for catalogue files, then show what importing them would do."""
        from desktop.ui.catalogue_flow import ask_catalogue_files

        files = ask_catalogue_files(self)
        if files:
            self.preview_import(files)

    def preview_import(self, paths: list[Path]) -> Any:
        """The staged import of catalogue files: preview, then import on request, then the report."""
        if self.session is None:
            return None
        from desktop.ui.catalogue_flow import CatalogueImportFlow

        flow = CatalogueImportFlow(self.tasks, self.session, self)
        flow.finished.connect(self._on_import_finished)
        self.catalogue_flow = flow
        flow.start(paths)
        return flow

    def export_catalogue(self, path: Path | None = None) -> Any:
        """Export every knowledge-centre item as CSV or MARCXML (asks for the file unless given)."""
        if self.session is None:
            return None
        from desktop.ui.catalogue_flow import CatalogueExportFlow

        flow = CatalogueExportFlow(self.tasks, self.session, self)
        return flow if flow.start(path if isinstance(path, Path) else None) else None

    def export_records(self, record_ids: list[str], path: Path | None = None) -> Any:
        """Export records to PDF, HTML or Markdown (asks for the file unless ``path`` is given)."""
        if self.session is None or not record_ids:
            return None
        from desktop.ui.export import ExportFlow  # a rarely used flow: loaded when first asked for

        flow = ExportFlow(self.tasks, self.session, self)
        return flow if flow.start(record_ids, path) else None

    def import_paths(self, paths: list[Path]) -> ImportFlow | None:
        """Import files and folders in the background with progress and a report."""
        if self.session is None:
            return None
        self.empty_state.set_busy(True)
        from desktop.ui.import_flow import ImportFlow  # here: not needed before the first import

        flow = ImportFlow(self.tasks, self.session, self)
        flow.finished.connect(self._on_import_finished)
        self.import_flow = flow
        flow.start(paths)
        return flow

    def _on_import_finished(self, _ran: bool) -> None:
        self.empty_state.set_busy(False)
        self.refresh_after_changes()

    # -- editing ----------------------------------------------------------------------

    @property
    def editors(self) -> EditorHost:
        """The editor windows of this window's session (made when first asked for)."""
        if self._editors is None:
            from desktop.ui.editors import EditorHost

            self._editors = EditorHost(self.tasks, self)
            self._editors.set_session(self.session)
            self._editors.record_saved.connect(self.refresh_after_changes)
        return self._editors

    def new_record(self, kind: Kind) -> None:
        """Open an editor on a new record of ``kind``."""
        if self.session is not None:
            self.editors.new_record(Kind(kind))

    def edit_record(self, record_id: str) -> None:
        """Open an editor on a record (or on unsaved work), or bring its open editor forward."""
        if self.session is not None:
            self.editors.edit_record(record_id)

    def show_history(self, record_id: str) -> HistoryDialog | None:
        """A record's saved versions, what each changed, and restoring one."""
        session = self.session
        if session is None:
            return None
        from desktop.ui.history_dialog import HistoryDialog

        if self.history_dialog is not None:
            self.history_dialog.close()
        service = self.sync_ui.controller.service if self.sync_ui is not None else None
        signed_in = self.sync_ui is not None and self.sync_ui.signed_in
        fetch = service.server_history if service is not None and signed_in else None
        dialog = HistoryDialog(self.tasks, session, record_id, self, server_history=fetch)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.record_restored.connect(self.refresh_after_changes)
        dialog.destroyed.connect(lambda _obj=None: setattr(self, "history_dialog", None))
        self.history_dialog = dialog
        dialog.open()
        return dialog

    def open_record(self, record_id: str) -> None:
        """Show a record on its own page; Back returns to the page it was opened from."""
        self.shell.open_record(record_id)

    def go_back(self) -> None:
        """Back, on the page shown: the previous record, or from a side view to the record."""
        self.shell.go_back()

    def _update_back(self, *_args: object) -> None:
        enabled = self.shell.can_go_back
        self.back_button.setEnabled(enabled)
        self.back_action.setEnabled(enabled)

    def find_experts(self) -> None:
        """Who knows about what is in the search box?"""
        topic = self.query_edit.text().strip()
        if not topic or self.session is None:
            return
        self.show_page(self.search_page)
        self.search_page.find_experts(topic)

    # -- settings and closing ----------------------------------------------------------

    def open_settings(self) -> None:
        """The settings dialog (your name is read and saved in the background)."""
        from desktop.ui.settings_dialog import SettingsDialog

        session = self.session

        def save_me(name: str) -> None:
            if session is not None:
                self.tasks.write(lambda: session.set_me(name), description="save your name")

        def show(me: str) -> None:
            dialog = SettingsDialog(
                self, paths=self.paths, me=me, on_me_changed=save_me if session is not None else None
            )
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.settings_dialog = dialog
            dialog.open()

        if session is None:
            show("")
        else:
            self.tasks.read(session.me, show, description="read your name")

    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.value("main_window/state")
        if state is not None:
            self.restoreState(state)
        self.shell.restore_state(settings)

    def _save_settings(self) -> None:
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/state", self.saveState())
        self.shell.save_state(settings)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._editors is not None and not self._editors.close_all():
            event.ignore()  # someone chose to keep editing a record that cannot be saved yet
            return
        self._save_settings()
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop a sync at its next batch, let running work finish, then close the session."""
        if self.sync_ui is not None:
            self.sync_ui.shutdown()
        from desktop.ui.usage_recorder import flush_all

        flush_all(self.tasks)  # what was used in the last seconds, onto the write lane before it closes
        if not self.tasks.shutdown():
            logger.warning("background work still running at exit")
        session, self.session = self.session, None
        if session is not None:
            self.tasks.run_blocking_write(session.close)
