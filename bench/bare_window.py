"""The yardstick of bench/bench_startup.py: a bare PySide6 window with a search box, nothing else.

Run as a script (``python bench/bare_window.py``), not imported: it must load only PySide6. It goes
through the steps desktop/ui/startup_probe.py takes for the app (shown, exposed, the box has the
focus and took a typed key), prints ``imbizo-probe interactive <time.monotonic()> rss_kb=..
hwm_kb=..`` and quits.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow

POLL_MS = 2


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


def main() -> int:
    """Show the window and report when it is usable."""
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("bare")
    edit = QLineEdit()
    edit.setAccessibleName("Search")
    window.setCentralWidget(edit)
    window.resize(1280, 800)
    window.show()

    def tick() -> None:
        handle = window.windowHandle()
        if handle is None or not handle.isExposed():
            return
        if not edit.hasFocus():
            window.activateWindow()
            edit.setFocus(Qt.FocusReason.OtherFocusReason)
            if not edit.hasFocus():
                return
        before = edit.text()
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(edit, QKeyEvent(kind, Qt.Key.Key_Z, Qt.KeyboardModifier.NoModifier, "z"))
        if edit.text() != before + "z":
            return
        timer.stop()
        memory = memory_kb()
        print(
            f"imbizo-probe interactive {time.monotonic():.6f} "
            f"rss_kb={memory.get('VmRSS', 0)} hwm_kb={memory.get('VmHWM', 0)}",
            flush=True,
        )
        app.exit(0)

    timer = QTimer()
    timer.setInterval(POLL_MS)
    timer.timeout.connect(tick)
    timer.start()
    QTimer.singleShot(60_000, lambda: app.exit(1))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
