"""Garbage collection runs on the GUI thread only (a widget collected in a worker crashes Qt)."""

from __future__ import annotations

import gc
import threading

from PySide6.QtWidgets import QWidget

from desktop.ui.gc_guard import collect_on_gui_thread


def test_cycles_are_collected_by_the_gui_thread_timer_and_never_in_a_worker(qtbot) -> None:
    collector = collect_on_gui_thread()
    assert collect_on_gui_thread() is collector  # one per application
    assert not gc.isenabled()
    collected_in: list[str] = []

    class Cycle:
        def __init__(self) -> None:
            self.me = self
            self.widget = QWidget()

        def __del__(self) -> None:
            collected_in.append(threading.current_thread().name)

    Cycle()
    alive = [[] for _ in range(2 * gc.get_threshold()[0])]  # fills generation 0 past its threshold

    def allocate_in_a_worker() -> None:  # plenty of allocations: automatic gc would run here
        junk = [[object()] for _ in range(50_000)]
        del junk

    worker = threading.Thread(target=allocate_in_a_worker, name="worker")
    worker.start()
    worker.join()
    assert collected_in == []
    qtbot.waitUntil(lambda: collected_in == [threading.main_thread().name], timeout=5_000)
    del alive
