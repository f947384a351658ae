"""A start-up probe for bench/bench_startup.py: report when the window became usable, then quit.

Set ``IMBIZO_STARTUP_PROBE`` before starting the app:

- ``interactive``: once the main window is exposed and its search box has the focus and took a
  typed key, print ``imbizo-probe interactive <time.monotonic()> rss_kb=<VmRSS> hwm_kb=<VmHWM>``
  and quit;
- ``search:<words>``: the same, then wait for the profile to open, search for ``<words>`` and,
  once the answer is shown, print ``imbizo-probe searched <time.monotonic()> rss_kb=<VmRSS>
  hwm_kb=<VmHWM> hits=<n>`` and quit.

Failures print ``imbizo-probe failed <why>`` and exit with 1. ``time.monotonic()`` is the system's
monotonic clock on Linux, so the parent process can subtract its own start time. The bare PySide6
window of the benchmark (bench/bare_window.py) goes through the same steps.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

PROBE_ENV = "IMBIZO_STARTUP_PROBE"
POLL_MS = 2
TIMEOUT_MS = 120_000


def typed_key_accepted(edit: QLineEdit) -> bool:
    """Give ``edit`` the focus and type one key into it; True once the key landed in the box."""
    window = edit.window()
    handle = window.windowHandle()
    if handle is None or not handle.isExposed():
        return False
    if not edit.hasFocus():
        window.activateWindow()
        edit.setFocus(Qt.FocusReason.OtherFocusReason)
        if not edit.hasFocus():
            return False
    before = edit.text()
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(edit, QKeyEvent(kind, Qt.Key.Key_Z, Qt.KeyboardModifier.NoModifier, "z"))
    return edit.text() == before + "z"


def memory_kb() -> dict[str, int]:
    """VmRSS and VmHWM of this process in kB (Linux; empty elsewhere)."""
    figures: dict[str, int] = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                figures[name] = int(value.split()[0])
    except OSError:
        pass
    return figures


def _search_edit(window: QMainWindow) -> QLineEdit | None:
    search = getattr(window, "search", None)
    edit = getattr(search, "query_edit", None)
    if isinstance(edit, QLineEdit):
        return edit
    for candidate in window.findChildren(QLineEdit):
        if candidate.accessibleName() == "Search":
            return candidate
    return None


class StartupProbe(QObject):
    """Polls (every 2 ms, from the event loop) until the window is usable; see the module docstring."""

    def __init__(self, app: QApplication, window: MainWindow, spec: str):
        super().__init__(window)
        self.app = app
        self.window = window
        self.query = spec.partition(":")[2].strip() if spec.startswith("search:") else ""
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._on_tick)
        self.timer.start()
        QTimer.singleShot(TIMEOUT_MS, lambda: self._fail("timed out"))

    def _on_tick(self) -> None:
        edit = _search_edit(self.window)
        if edit is None:
            self._fail("no search box in the main window")
            return
        if not typed_key_accepted(edit):
            return
        self.timer.stop()
        now = time.monotonic()
        memory = memory_kb()
        _say(f"interactive {now:.6f} rss_kb={memory.get('VmRSS', 0)} hwm_kb={memory.get('VmHWM', 0)}")
        if not self.query:
            self.app.exit(0)
            return
        edit.clear()
        self.window.session_failed.connect(lambda error: self._fail(f"the profile did not open: {error}"))
        if self.window.session is not None:
            self._search(edit)
        else:
            self.window.session_opened.connect(lambda _session: self._search(edit))

    def _search(self, edit: QLineEdit) -> None:
        panel = self.window.search
        panel.answered.connect(self._on_answered)
        edit.setText(self.query)
        panel.run_now()

    def _on_answered(self, answer: object) -> None:
        if getattr(answer, "text", None) != self.query or not getattr(answer, "full_text", False):
            return  # an answer to something typed before the query
        memory = memory_kb()
        hits = len(getattr(answer, "hits", []))
        _say(
            f"searched {time.monotonic():.6f} rss_kb={memory.get('VmRSS', 0)} "
            f"hwm_kb={memory.get('VmHWM', 0)} hits={hits}"
        )
        self.app.exit(0)

    def _fail(self, why: str) -> None:
        _say(f"failed {why}")
        self.app.exit(1)


def _say(line: str) -> None:
    print(f"imbizo-probe {line}", flush=True)
    sys.stdout.flush()


def install_probe(app: QApplication, window: MainWindow, spec: str) -> StartupProbe:
    """Start probing ``window`` as ``spec`` (``interactive`` or ``search:<words>``) asks."""
    return StartupProbe(app, window, spec)
