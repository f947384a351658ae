"""First run (empty state, demo, import), the smoke-test path, background tasks and the error dialog."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.ui.error_dialog import ErrorDialog
from desktop.ui.tasks import TaskManager

WAIT_MS = 20_000
ROOT = Path(__file__).resolve().parents[2]
CORPUS_NEWS = (
    Path(__file__).resolve().parents[3] / "shared" / "corpus" / "knowledge_base" / "digitalgov" / "news"
)


def test_an_empty_profile_offers_the_demo_and_loads_it(qtbot, open_window, empty_profile) -> None:
    window = open_window(empty_profile)
    assert window.record_count == 0
    assert window.pages.currentIndex() == window.PAGE_EMPTY
    assert window.empty_state.demo_button.isVisible()
    assert window.empty_state.import_button.isVisible()

    qtbot.mouseClick(window.empty_state.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.record_count == 55, timeout=WAIT_MS)
    assert window.pages.currentIndex() == window.PAGE_MAIN
    assert window.search.query_edit.hasFocus()

    qtbot.keyClicks(window.search.query_edit, "site visit")
    qtbot.waitUntil(
        lambda: window.search.last_answer is not None and window.search.last_answer.text == "site visit",
        timeout=WAIT_MS,
    )
    assert window.search.last_answer.total > 0


@pytest.mark.skipif(not CORPUS_NEWS.is_dir(), reason="the shared corpus is not beside the checkout")
def test_import_a_folder_with_progress_and_a_report(qtbot, open_window, empty_profile, tmp_path) -> None:
    folder = tmp_path / "to-import"
    folder.mkdir()
    for path in sorted((CORPUS_NEWS / "2024" / "11").glob("*.md"))[:4]:
        shutil.copy(path, folder / path.name)
    window = open_window(empty_profile)

    flow = window.import_paths([folder])
    assert flow is not None
    qtbot.waitUntil(lambda: flow.report is not None, timeout=WAIT_MS)
    assert flow.report.added == 4
    assert flow.report_box is not None and flow.report_box.isVisible()
    assert "4 added" in flow.report_box.text()
    qtbot.waitUntil(lambda: window.record_count == 4, timeout=WAIT_MS)
    assert window.pages.currentIndex() == window.PAGE_MAIN
    flow.report_box.close()


def test_the_smoke_test_opens_shows_and_exits_cleanly(tmp_path) -> None:
    # In a fresh process, as CI and the packaging test run it (app.exec() and quit inside a
    # pytest-qt session would leave the shared QApplication unusable for the tests after it).
    profile = tmp_path / "smoke-profile"
    code = "import sys; from desktop.ui.app import run_app; sys.exit(run_app(sys.argv[1], smoke_test=True))"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", code, str(profile)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=50,
    )
    assert done.returncode == 0, done.stderr
    assert (profile / "imbizo.db").exists()  # (its start-up time is bench/bench_startup.py's to measure)


def test_writes_run_one_at_a_time_and_reads_in_parallel(qtbot) -> None:
    tasks = TaskManager()
    running = {"now": 0, "most": 0}
    lock = threading.Lock()
    both_reading = threading.Barrier(2, timeout=5)
    results: list[object] = []

    def write(n: int) -> int:
        with lock:
            running["now"] += 1
            running["most"] = max(running["most"], running["now"])
        time.sleep(0.01)  # hold the lane briefly so overlaps would show
        with lock:
            running["now"] -= 1
        return n

    for n in range(5):
        tasks.write(lambda n=n: write(n), results.append)
    qtbot.waitUntil(lambda: len(results) == 5, timeout=WAIT_MS)
    assert results == [0, 1, 2, 3, 4]  # in submission order
    assert running["most"] == 1

    reads: list[object] = []
    for name in ("a", "b"):
        tasks.read(
            lambda name=name: (both_reading.wait(), name)[1], reads.append
        )  # deadlocks unless parallel
    qtbot.waitUntil(lambda: len(reads) == 2, timeout=WAIT_MS)
    assert sorted(reads) == ["a", "b"]
    assert tasks.shutdown()


def test_callbacks_arrive_on_the_gui_thread_and_errors_are_shown(qtbot) -> None:
    shown: list[tuple[str, BaseException]] = []
    tasks = TaskManager(on_unexpected_error=lambda what, error: shown.append((what, error)))
    threads: list[bool] = []

    tasks.read(lambda: 1, lambda _r: threads.append(threading.current_thread() is threading.main_thread()))

    def broken() -> None:
        raise ValueError("the index is on fire")

    tasks.write(broken, description="save a record")
    qtbot.waitUntil(lambda: bool(shown) and bool(threads), timeout=WAIT_MS)
    assert threads == [True]
    assert shown[0][0] == "save a record"
    assert isinstance(shown[0][1], ValueError)
    assert tasks.shutdown()


def test_the_error_dialog_has_copyable_details(qtbot, open_window, empty_profile) -> None:
    window = open_window(empty_profile)

    def broken() -> None:
        raise RuntimeError("disk unplugged")

    window.tasks.write(broken, description="save the case study")
    qtbot.waitUntil(
        lambda: any(isinstance(w, ErrorDialog) for w in QApplication.topLevelWidgets()), timeout=WAIT_MS
    )
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ErrorDialog) and w.isVisible())
    details = dialog.details.toPlainText()
    assert "save the case study" in details and "RuntimeError: disk unplugged" in details
    dialog.copy_details()
    assert "disk unplugged" in QApplication.clipboard().text()
    dialog.close()


def test_a_profile_that_cannot_open_says_why(qtbot, tmp_path) -> None:
    from desktop.paths import ProfilePaths
    from desktop.ui.main_window import MainWindow

    bad = tmp_path / "not-a-folder"
    bad.write_text("a file where the profile folder should be", encoding="utf-8")
    window = MainWindow(ProfilePaths(bad, "--data-dir"))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.session_failed, timeout=WAIT_MS):
        window.open_profile()
    assert "could not be opened" in window.opening_label.text()
    window.close()


def test_void_qt_calls_never_exhaust_none() -> None:
    # PySide6 6.12's abi3 wheels on CPython 3.11 drop a reference to None on every void call,
    # and a long session aborts with "none_dealloc" (seen after a corpus search). pyproject pins
    # PySide6-Essentials below 6.12; this guards the pin.
    from PySide6.QtCore import QModelIndex, QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(20_000):
        probe.setObjectName("x")
        QModelIndex().data()
    assert sys.getrefcount(None) >= before - 100
