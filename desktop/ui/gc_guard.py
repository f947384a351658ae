"""Python's cyclic garbage collector, run on the GUI thread only.

CPython collects cycles in whichever thread happens to allocate when a generation
fills up. When that is a worker thread (a search, a database read) and a cycle holds
a Qt widget wrapper, the widget's C++ destructor runs off the GUI thread, which Qt
does not allow: the process crashes with a segmentation fault inside ``gc`` (seen
in our own test run, in a read of the store on the TaskManager's pool). Anki, calibre
and the PyQt documentation give the same answer: switch automatic collection off
and collect from a timer on the GUI thread, with the same generation thresholds.
"""

from __future__ import annotations

import gc
import logging

from PySide6.QtCore import QCoreApplication, QObject, QTimer

logger = logging.getLogger(__name__)

#: How often the GUI thread looks at the collector's counts.
CHECK_EVERY_MS = 500


class GuiThreadGarbageCollector(QObject):
    """Disables automatic collection and collects on the GUI thread when a generation is full."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds (youngest first, as gc does)."""
        first, second, third = gc.get_count()
        if first <= self.threshold[0]:
            return
        generation = 0
        if second > self.threshold[1]:
            generation = 2 if third > self.threshold[2] else 1
        gc.collect(generation)

    def stop(self) -> None:
        """Give collection back to CPython (the application is closing)."""
        self.timer.stop()
        gc.enable()


def collect_on_gui_thread() -> GuiThreadGarbageCollector:
    """Install the collector once for the running application and return it."""
    app = QCoreApplication.instance()
    existing = getattr(app, "_imbizo_gc", None) if app is not None else None
    if isinstance(existing, GuiThreadGarbageCollector):
        return existing
    collector = GuiThreadGarbageCollector(app)
    if app is not None:
        app._imbizo_gc = collector  # type: ignore[attr-defined]
        app.aboutToQuit.connect(collector.stop)
    logger.debug("garbage collection moved to the GUI thread (thresholds %s)", collector.threshold)
    return collector
