"""Records what is used (views, settled searches, "this helped me") without slowing the UI.

Events are decided on the GUI thread (desktop/core/usage.py drops re-opens and repeated
searches), held in memory, and written in one small transaction every
:data:`FLUSH_MS` on the write lane, never on the GUI thread. One recorder per open
session; :func:`flush_all` writes what is held when the window closes.
"""

from __future__ import annotations

import logging
import weakref
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QTimer

from desktop.core.usage import UsageEvent, UsageFilter, helped_event
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.session import Session

logger = logging.getLogger(__name__)

#: Events are written at most this often (a view, a search and a mark in a few seconds are one write).
FLUSH_MS = 2_000

_RECORDERS: weakref.WeakKeyDictionary[Session, UsageRecorder] = weakref.WeakKeyDictionary()


class UsageRecorder(QObject):
    """The usage events of one session, batched onto the write lane."""

    def __init__(self, tasks: TaskManager, session: Session):
        super().__init__(tasks)
        self.tasks = tasks
        self.session = session
        self.filter = UsageFilter()
        self.held: list[UsageEvent] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(FLUSH_MS)
        self.timer.timeout.connect(self.flush)

    def viewed(self, record_id: str) -> None:
        """A record was opened in a detail view (a re-open within a while is not counted again)."""
        self._hold(self.filter.view(record_id))

    def searched(self, text: str, hits: int) -> None:
        """A search settled (or was submitted) with ``hits`` results, 0 included."""
        self._hold(self.filter.search(text, hits))

    def helped(self, record_id: str, helped: bool) -> None:
        """ "This helped me" was marked (or unmarked) on a record."""
        self._hold(helped_event(record_id, helped))

    def _hold(self, event: UsageEvent | None) -> None:
        if event is None:
            return
        self.held.append(event)
        if not self.timer.isActive():
            self.timer.start()

    def flush(self) -> None:
        """Write the held events now, on the write lane."""
        self.timer.stop()
        events, self.held = self.held, []
        if not events:
            return
        session = self.session

        def failed(error: BaseException) -> None:  # usage is not worth a dialog: it is logged
            logger.warning("could not record %d usage events: %s", len(events), error)

        self.tasks.write(
            lambda: session.record_usage(events), None, failed, description="record what was used"
        )


def recorder_for(tasks: TaskManager, session: Session) -> UsageRecorder:
    """The recorder of ``session`` on ``tasks`` (made on first use; a window's manager owns it)."""
    recorder = _RECORDERS.get(session)
    if recorder is None or not shiboken6.isValid(recorder) or recorder.tasks is not tasks:
        recorder = UsageRecorder(tasks, session)
        _RECORDERS[session] = recorder
    return recorder


def flush_all(tasks: TaskManager) -> None:
    """Write the held events of the recorders on ``tasks`` (its window is closing)."""
    for recorder in list(_RECORDERS.values()):
        if shiboken6.isValid(recorder) and recorder.tasks is tasks:
            recorder.flush()
