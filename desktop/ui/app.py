"""Starting the desktop app: QApplication, the profile, the main window (Vorta-style composition).

``run_app`` is what ``imbizo`` with no subcommand calls. ``smoke_test=True`` opens
everything, shows the window, lets it settle for a moment and exits: 0 when the
profile opened, 1 when it did not.
"""

from __future__ import annotations

import logging
import os
import sys
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication

from desktop import __version__
from desktop.paths import ConfigError, resolve_profile
from desktop.ui.gc_guard import collect_on_gui_thread
from desktop.ui.main_window import MainWindow

logger = logging.getLogger(__name__)

ORGANISATION = "Imbizo"
APPLICATION = "Imbizo"
SMOKE_SETTLE_MS = 500
SMOKE_TIMEOUT_MS = 60_000
#: The profile opens at the latest this long after show() when no expose event comes.
OPEN_FALLBACK_MS = 1_000
#: How long after the first expose the profile starts opening.
OPEN_AFTER_EXPOSE_MS = 150
#: Set to ``interactive`` or ``search:<words>`` to time start-up (see desktop/ui/startup_probe.py).
PROBE_ENV = "IMBIZO_STARTUP_PROBE"


def ensure_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, created once with the names QSettings uses."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    app.setApplicationDisplayName(APPLICATION)
    collect_on_gui_thread()  # never in a worker thread, where a collected widget would crash Qt
    return app


def install_excepthook(window: MainWindow) -> None:
    """Unexpected exceptions in Qt callbacks are logged and shown, not silently lost."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        logger.error("unexpected error", exc_info=(kind, error, trace))
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, error, trace)
            return
        try:
            from desktop.ui.error_dialog import show_error

            show_error(window, QCoreApplication.translate("ErrorDialog", "an unexpected step"), error)
        except Exception:  # the dialog itself failed: the log has it
            logger.exception("cannot show the error dialog")

    sys.excepthook = hook


class _OpenOnExpose(QObject):
    """Opens the window's profile once its native window is first exposed (or after a fallback delay)."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.done = False
        handle = window.windowHandle()
        if handle is not None:
            handle.installEventFilter(self)
        QTimer.singleShot(OPEN_FALLBACK_MS, self.open_now)  # never exposed (minimised, no compositor)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Expose and isinstance(watched, QWindow) and watched.isExposed():
            watched.removeEventFilter(self)
            # The window paints and takes its first keys before the profile starts opening: the
            # opening thread imports SQLAlchemy and Whoosh, and while it runs every Qt call of the
            # GUI thread waits for the GIL (measured: +80-100 ms to a window that takes typing).
            QTimer.singleShot(OPEN_AFTER_EXPOSE_MS, self.open_now)
        return False

    def open_now(self) -> None:
        if not self.done:
            self.done = True
            from desktop.logs import finish_logging

            finish_logging()  # the log file opens now that the window is on screen
            self.window.open_profile()


def open_profile_once_exposed(window: MainWindow) -> None:
    """Start opening the profile once the window is on screen, not before.

    Opening imports SQLAlchemy, Whoosh and the importers and migrates the database on a worker
    thread; started before the first paint it competes with the GUI thread for the interpreter and
    delays the window (bench/bench_startup.py measures the start-up against a bare window).
    """
    _OpenOnExpose(window)


def run_app(data_dir: str | None, smoke_test: bool) -> int:
    """Open the app on the profile chosen the documented way; returns the exit code."""
    app = ensure_application()
    try:
        paths = resolve_profile(data_dir)
    except ConfigError as exc:
        print(f"imbizo: {exc}", file=sys.stderr)
        return 1
    logger.info("starting the app on %s (chosen by %s)", paths.data_dir, paths.chosen_by)
    from desktop.ui.conventions import apply_start_up_conventions

    apply_start_up_conventions(app)  # palette and language before the first frame
    window = MainWindow(paths)
    install_excepthook(window)
    window.show()
    open_profile_once_exposed(window)
    probe = os.environ.get(PROBE_ENV)
    if probe:  # bench/bench_startup.py: report when the window is usable, then quit
        from desktop.ui.startup_probe import install_probe

        install_probe(app, window, probe)
    code = app.exec() if not smoke_test else _smoke(app, window)
    window.shutdown()
    # Delete the window now, not during interpreter shutdown (PySide6 can crash collecting it then).
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return int(code)


def _smoke(app: QApplication, window: MainWindow) -> int:
    result = {"code": 1}

    def settle_then_quit(code: int) -> None:
        result["code"] = code
        QTimer.singleShot(SMOKE_SETTLE_MS, app.quit)

    window.record_count_changed.connect(lambda _count: settle_then_quit(0))
    window.session_failed.connect(lambda _error: settle_then_quit(1))
    QTimer.singleShot(SMOKE_TIMEOUT_MS, app.quit)
    app.exec()
    window.close()
    logger.info("smoke test finished with %s", result["code"])
    return result["code"]
