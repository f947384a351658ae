"""Autosave of an editor's working copy, and the timer that commits it every few minutes.

A change starts a short debounce; a maximum wait since the first unsaved change
makes continuous typing still save at least every ``max_wait_ms``. Writes go
through the TaskManager's write lane (never the GUI thread), one at a time: a
change made while a write is running is written right after it. The working copy
has no revision, outbox entry or index update: those come with a commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from desktop.core.records import Record
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.core.editing import WorkingCopy
    from desktop.session import Session

logger = logging.getLogger(__name__)

DEBOUNCE_MS = 1_000
MAX_WAIT_MS = 2_000
COMMIT_EVERY_MS = 5 * 60 * 1_000


def alive(owner: QObject, callback: Callable[[Any], object]) -> Callable[[Any], None]:
    """``callback``, skipped when ``owner`` was deleted before a background task came back."""

    def call(value: Any) -> None:
        if shiboken6.isValid(owner):
            callback(value)

    return call


class AutosaveController(QObject):
    """Writes ``snapshot()`` as the working copy shortly after changes, and asks for commits while dirty."""

    written = Signal(str)  # local time of the write, "14:02:10"
    failed = Signal(object)  # exception
    commit_due = Signal()

    def __init__(
        self,
        tasks: TaskManager,
        session: Session,
        snapshot: Callable[[], Record],
        parent: QObject | None = None,
        *,
        debounce_ms: int = DEBOUNCE_MS,
        max_wait_ms: int = MAX_WAIT_MS,
        commit_every_ms: int = COMMIT_EVERY_MS,
    ):
        super().__init__(parent)
        self.tasks = tasks
        self.session = session
        self.snapshot = snapshot
        self.base_revision = ""
        self.last_written_hash = ""
        self.pending = False
        self.in_flight = False
        self.writes = 0
        self.last_written_at = ""
        self._again = False
        self._after_write: list[Callable[[], None]] = []
        self._debounce = self._timer(debounce_ms, single=True)
        self._max_wait = self._timer(max_wait_ms, single=True)
        self._commit = self._timer(commit_every_ms, single=False)
        self._debounce.timeout.connect(self.write_now)
        self._max_wait.timeout.connect(self.write_now)
        self._commit.timeout.connect(self.commit_due.emit)

    def _timer(self, msecs: int, *, single: bool) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(single)
        timer.setInterval(msecs)
        return timer

    def note_change(self) -> None:
        """Something was edited: write the working copy soon."""
        self.pending = True
        self._debounce.start()
        if not self._max_wait.isActive():
            self._max_wait.start()

    def set_dirty(self, dirty: bool) -> None:
        """Run the commit timer while there are unsaved changes."""
        if dirty and not self._commit.isActive():
            self._commit.start()
        elif not dirty:
            self._commit.stop()

    def flush(self, then: Callable[[], None] | None = None) -> None:
        """Write now if anything is unwritten (focus left a field, the editor closes); ``then`` runs after."""
        if then is not None:
            self._after_write.append(then)
        if self.pending or self.in_flight:
            self.write_now()
        else:
            self._run_after_write()

    def mark_written(self, record: Record) -> None:
        """``record`` is what the store now holds (opened, recovered or committed): no write needed for it."""
        self.last_written_hash = record.content_hash()
        self.last_written_at = ""
        self.cancel()

    def cancel(self) -> None:
        """Forget a pending write (a commit is about to save the same content)."""
        self.pending = False
        self._debounce.stop()
        self._max_wait.stop()

    def stop(self) -> None:
        """Stop every timer (the editor is closing)."""
        self.cancel()
        self._commit.stop()

    def write_now(self) -> None:
        """Write the working copy on the write lane (after the running write, if one is running)."""
        self._debounce.stop()
        self._max_wait.stop()
        if self.in_flight:
            self._again = True
            return
        self.pending = False
        record = self.snapshot()
        content_hash = record.content_hash()
        if content_hash == self.last_written_hash:
            self._run_after_write()
            return
        session, base = self.session, self.base_revision
        self.in_flight = True
        started = self.tasks.write(
            lambda: session.save_working_copy(record, base),
            alive(self, lambda _result: self._on_written(content_hash)),
            alive(self, self._on_failed),
            description="autosave the working copy",
        )
        if started < 0:  # shutting down
            self.in_flight = False

    def _on_written(self, content_hash: str) -> None:
        self.in_flight = False
        self.writes += 1
        self.last_written_hash = content_hash
        self.last_written_at = datetime.now().strftime("%H:%M:%S")
        self.written.emit(self.last_written_at)
        self._continue()

    def _on_failed(self, error: BaseException) -> None:
        self.in_flight = False
        logger.warning("autosave failed: %s", error)
        # No retry loop: the next change (or the next flush) tries again.
        self._again = False
        self.pending = True
        self.failed.emit(error)
        self._run_after_write()

    def _continue(self) -> None:
        if self._again or self.pending:
            self._again = False
            self.write_now()
        else:
            self._run_after_write()

    def _run_after_write(self) -> None:
        callbacks, self._after_write = self._after_write, []
        for callback in callbacks:
            callback()


def load_editing_context(session: Session, record: Record) -> tuple[WorkingCopy | None, dict[str, str], bool]:
    """Worker thread: the working copy, the titles of what the record links to, and whether it is saved."""
    working = session.working_copy(record.id)
    ids = {link.target_id for link in record.links}
    if working is not None:
        ids |= {link.target_id for link in working.record.links}
    titles = {rid: found.title for rid, found in session.records(ids).items()}
    return working, titles, session.store.get(record.id) is not None
