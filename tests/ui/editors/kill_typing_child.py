"""Child process of the SIGKILL test: opens a profile, types into an editor field, reports each key.

Usage: python kill_typing_child.py <profile dir> <record id> <field> <text> <ms per key>

Prints ``ready`` once the editor has loaded, then ``typed <n> <unix time>`` after each
character (flushed, so the parent sees progress as it happens). The parent kills it
with SIGKILL mid-typing; a watchdog quits after a minute if nobody does.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.ui.editors import RecordEditor
from desktop.ui.tasks import TaskManager

WATCHDOG_MS = 60_000


def main(profile: str, record_id: str, field: str, text: str, interval_ms: int) -> int:
    """Type ``text`` into ``field`` of the record's editor, one key every ``interval_ms``."""
    app = QApplication([])
    session = Session.open(ProfilePaths(Path(profile), "--data-dir"))
    tasks = TaskManager()
    record = session.store.get(record_id)
    if record is None:
        print(f"error no record {record_id}", flush=True)
        return 2
    editor = RecordEditor(tasks, session, record)
    editor.resize(900, 1000)
    editor.show()
    box = editor.widget(field).focus_target()
    timer = QTimer()
    timer.setInterval(interval_ms)
    typed = 0

    def start() -> None:
        box.setFocus()
        if isinstance(box, QPlainTextEdit):
            box.moveCursor(QTextCursor.MoveOperation.End)
        print("ready", flush=True)
        timer.start()

    def type_one() -> None:
        nonlocal typed
        if typed >= len(text):
            timer.stop()
            print("done", flush=True)
            return
        QTest.keyClicks(box, text[typed])
        typed += 1
        print(f"typed {typed} {time.time():.3f}", flush=True)

    timer.timeout.connect(type_one)
    editor.loaded.connect(start)
    QTimer.singleShot(WATCHDOG_MS, app.quit)
    app.exec()
    tasks.shutdown()
    session.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])))
