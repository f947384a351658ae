"""The main window: global search, results with facets, the record view, experts, status bar.

The window owns no data access: it asks the session through the TaskManager and
refreshes from what comes back. The profile opens in the background; until then
the window shows "Opening…".
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.changes import Changes
from desktop.paths import ProfilePaths
from desktop.resources import demo_file
from desktop.session import Session
from desktop.ui.detail_view import DetailView
from desktop.ui.empty_state import EmptyStatePanel
from desktop.ui.error_dialog import show_error
from desktop.ui.experts_view import ExpertsView
from desktop.ui.import_flow import ImportFlow
from desktop.ui.search_panel import SearchPanel
from desktop.ui.tasks import TaskManager

logger = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """One window on one profile."""

    session_opened = Signal(object)  # Session
    session_failed = Signal(object)  # exception
    record_count_changed = Signal(int)

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
        self.setWindowTitle(self.tr("Imbizo"))
        self.setAccessibleName(self.tr("Imbizo main window"))
        self.resize(1280, 800)

        self.search = SearchPanel(self.tasks)
        self.detail = DetailView(self.tasks)
        self.experts = ExpertsView(self.tasks)
        self.empty_state = EmptyStatePanel()
        self._build_top_bar()
        self._build_pages()
        self._build_actions()
        self._build_status_bar()
        self._connect()
        self._restore_settings()

    def _show_unexpected_error(self, description: str, error: BaseException) -> None:
        show_error(self, description, error)

    # -- building --------------------------------------------------------------

    def _build_top_bar(self) -> None:
        style = self.style()
        self.back_button = QToolButton()
        self.back_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack))
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
        row.addWidget(self.search.query_edit, 1)
        row.addWidget(self.experts_button)

    def _build_pages(self) -> None:
        self.right = QStackedWidget()
        self.right.addWidget(self.detail)
        self.right.addWidget(self.experts)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.search.facets)
        self.splitter.addWidget(self.search)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([250, 450, 620])
        self.search.facets.setMinimumWidth(190)
        self.search.setMinimumWidth(300)

        self.opening_label = QLabel(self.tr("Opening the profile…"))
        self.opening_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.opening_label)
        self.pages.addWidget(self.empty_state)
        main = QWidget()
        main_layout = QVBoxLayout(main)
        main_layout.setContentsMargins(8, 0, 8, 8)
        main_layout.addWidget(self.splitter)
        self.pages.addWidget(main)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.top_bar)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

    def _build_actions(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&File"))
        self.import_action = QAction(self.tr("&Import a folder…"), self)
        self.import_action.setShortcut(QKeySequence.StandardKey.Open)
        self.import_action.triggered.connect(self.choose_import_folder)
        self.import_action.setEnabled(False)
        menu.addAction(self.import_action)
        self.demo_action = QAction(self.tr("Load the &demo knowledge base"), self)
        self.demo_action.triggered.connect(self.load_demo)
        self.demo_action.setEnabled(False)
        menu.addAction(self.demo_action)
        menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)

        go = self.menuBar().addMenu(self.tr("&Go"))
        self.find_action = QAction(self.tr("&Search"), self)
        self.find_action.setShortcuts([QKeySequence("Ctrl+K"), QKeySequence(QKeySequence.StandardKey.Find)])
        self.find_action.triggered.connect(self.search.focus_search)
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

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.profile_label = QLabel(self.tr("Profile: {path}").format(path=self.paths.data_dir))
        self.profile_label.setAccessibleName(self.tr("Profile folder"))
        self.profile_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.count_label = QLabel(self.tr("Opening…"))
        self.count_label.setAccessibleName(self.tr("Number of records"))
        self.online_label = QLabel(self.tr("Offline"))
        self.online_label.setAccessibleName(self.tr("Connection"))
        self.online_label.setToolTip(
            self.tr("Sync with a server comes in a later version; everything is local.")
        )
        status.addWidget(self.profile_label, 1)
        status.addPermanentWidget(self.count_label)
        status.addPermanentWidget(self.online_label)

    def _connect(self) -> None:
        self.back_button.clicked.connect(self.go_back)
        self.experts_button.clicked.connect(self.find_experts)
        self.search.query_edit.textChanged.connect(
            lambda text: self.experts_button.setEnabled(bool(text.strip()) and self.session is not None)
        )
        self.search.record_selected.connect(self.open_record_from_search)
        self.search.record_activated.connect(self._on_record_activated)
        self.detail.history_changed.connect(self._on_history_changed)
        self.experts.record_requested.connect(self.open_record)
        self.empty_state.load_demo_requested.connect(self.load_demo)
        self.empty_state.import_requested.connect(self.choose_import_folder)

    # -- the profile -------------------------------------------------------------

    def open_profile(self) -> None:
        """Open the session on the write lane (it may rebuild the index)."""
        paths = self.paths
        self.pages.setCurrentIndex(self.PAGE_OPENING)
        self.tasks.write(
            lambda: Session.open(paths),
            self._on_session_opened,
            self._on_session_failed,
            description="open the profile",
        )

    def _on_session_opened(self, session: Session) -> None:
        self.session = session
        for part in (self.search, self.detail, self.experts):
            part.set_session(session)
        self.import_action.setEnabled(True)
        self.demo_action.setEnabled(True)
        self.experts_button.setEnabled(bool(self.search.query_edit.text().strip()))
        self.refresh_count()
        self.session_opened.emit(session)

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

    def refresh_count(self) -> None:
        """Count the records (in the background) and show the empty state or the main page."""
        session = self.session
        if session is None:
            return
        self.tasks.read(lambda: session.store.count(), self._on_count, description="count records")

    def _on_count(self, count: int) -> None:
        self.record_count = count
        self.count_label.setText(
            self.tr("1 record") if count == 1 else self.tr("{n} records").format(n=count)
        )
        self.pages.setCurrentIndex(self.PAGE_EMPTY if count == 0 else self.PAGE_MAIN)
        if count:
            self.search.focus_search()
        self.record_count_changed.emit(count)

    # -- actions -----------------------------------------------------------------

    def load_demo(self) -> None:
        """Load the demo knowledge base on the write lane."""
        session = self.session
        if session is None:
            return
        self.empty_state.set_busy(True)
        self.count_label.setText(self.tr("Loading the demo…"))

        def done(_changes: Changes) -> None:
            self.empty_state.set_busy(False)
            self.refresh_count()
            self.search.run_now()

        def failed(error: BaseException) -> None:
            self.empty_state.set_busy(False)
            self.refresh_count()
            show_error(self, self.tr("load the demo knowledge base"), error)

        demo = demo_file()
        self.tasks.write(lambda: session.load_demo(demo), done, failed, description="load the demo")

    def choose_import_folder(self) -> None:
        """Ask for a folder, then import it."""
        folder = QFileDialog.getExistingDirectory(self, self.tr("Import a folder"))
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> ImportFlow | None:
        """Import files and folders in the background with progress and a report."""
        if self.session is None:
            return None
        self.empty_state.set_busy(True)
        flow = ImportFlow(self.tasks, self.session, self)
        flow.finished.connect(self._on_import_finished)
        self.import_flow = flow
        flow.start(paths)
        return flow

    def _on_import_finished(self, _ran: bool) -> None:
        self.empty_state.set_busy(False)
        self.refresh_count()
        self.search.run_now()

    def open_record(self, record_id: str) -> None:
        """Show a record in the detail pane, keeping the Back trail."""
        self.right.setCurrentWidget(self.detail)
        self.detail.open_record(record_id)

    def open_record_from_search(self, record_id: str) -> None:
        """Show a search result, starting a new Back trail."""
        self.right.setCurrentWidget(self.detail)
        self.detail.open_record(record_id, new_trail=True)

    def _on_record_activated(self, record_id: str) -> None:
        self.open_record_from_search(record_id)
        self.detail.browser.setFocus(Qt.FocusReason.OtherFocusReason)

    def go_back(self) -> None:
        """Back to the previous record (or from the experts list to the record)."""
        if self.right.currentWidget() is self.experts:
            self.right.setCurrentWidget(self.detail)
            self._on_history_changed(self.detail.can_go_back)
            return
        self.detail.back()

    def _on_history_changed(self, can_go_back: bool) -> None:
        enabled = can_go_back or self.right.currentWidget() is self.experts
        self.back_button.setEnabled(enabled)
        self.back_action.setEnabled(enabled)

    def find_experts(self) -> None:
        """Who knows about what is in the search box?"""
        topic = self.search.query_edit.text().strip()
        if not topic or self.session is None:
            return
        self.right.setCurrentWidget(self.experts)
        self._on_history_changed(True)
        self.experts.find_experts(topic)

    # -- settings and closing ----------------------------------------------------------

    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.value("main_window/state")
        if state is not None:
            self.restoreState(state)
        splitter = settings.value("main_window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def _save_settings(self) -> None:
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/state", self.saveState())
        settings.setValue("main_window/splitter", self.splitter.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_settings()
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Let running work finish, then close the session on the write lane."""
        if not self.tasks.shutdown():
            logger.warning("background work still running at exit")
        session, self.session = self.session, None
        if session is not None:
            self.tasks.run_blocking_write(session.close)
