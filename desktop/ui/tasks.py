"""Background work for the UI, in the spirit of Anki's ``CollectionOp`` / ``QueryOp``.

Every database, index or file-system call the UI triggers runs here, never on the
GUI thread: ``TaskManager.run(fn, on_success, on_failure)`` runs ``fn`` on a worker
and delivers its result (or exception) back on the GUI thread. Writes run on one
lane (a single-thread pool), so they never interleave; reads run in parallel.

An exception with no ``on_failure`` goes to the default handler: logged, then shown
in an error dialog with copyable details.
"""

from __future__ import annotations

import itertools
import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

logger = logging.getLogger(__name__)

#: Parallel readers: Whoosh searchers are per thread, so a few are plenty.
READ_THREADS = 3


@dataclass
class _Pending:
    description: str
    on_success: Callable[[Any], None] | None
    on_failure: Callable[[BaseException], None] | None


class _Job(QRunnable):
    """Runs one callable and reports back through the manager's (thread-safe) signal."""

    def __init__(self, manager: TaskManager, task_id: int, fn: Callable[[], Any]):
        super().__init__()
        self.setAutoDelete(True)
        self._manager = manager
        self._task_id = task_id
        self._fn = fn

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # delivered to the GUI thread, never swallowed
            self._manager.task_done.emit(self._task_id, (None, exc))
        else:
            self._manager.task_done.emit(self._task_id, (result, None))


class TaskManager(QObject):
    """Runs callables off the GUI thread: writes on one lane, reads in parallel."""

    #: Emitted from a worker thread with ``(result, error)``; delivered to ``_on_task_done`` on the
    #: GUI thread. One tuple, never a bare None: PySide6 miscounts references to None sent as ``object``.
    task_done = Signal(int, object)
    #: Emitted on the GUI thread when the last running task has finished.
    became_idle = Signal()

    #: Every live manager, so a test fixture can check none is left running.
    instances: ClassVar[weakref.WeakSet[TaskManager]] = weakref.WeakSet()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        on_unexpected_error: Callable[[str, BaseException], None] | None = None,
    ):
        super().__init__(parent)
        self._write_pool = QThreadPool(self)
        self._write_pool.setMaxThreadCount(1)
        self._read_pool = QThreadPool(self)
        self._read_pool.setMaxThreadCount(READ_THREADS)
        self._pending: dict[int, _Pending] = {}
        self._ids = itertools.count(1)
        self._closed = False
        self.on_unexpected_error = on_unexpected_error
        self.task_done.connect(self._on_task_done, Qt.ConnectionType.QueuedConnection)
        TaskManager.instances.add(self)

    # -- running ---------------------------------------------------------------

    def run(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        *,
        write: bool = False,
        description: str = "",
    ) -> int:
        """Run ``fn`` on a worker (the write lane if ``write``); returns a task id.

        ``on_success(result)`` or ``on_failure(exception)`` is called later on the GUI thread.
        After :meth:`shutdown` nothing starts and -1 is returned.
        """
        if self._closed:  # the window is closing: late UI events start nothing
            logger.debug("not starting %s: shutting down", description or fn)
            return -1
        task_id = next(self._ids)
        self._pending[task_id] = _Pending(
            description or getattr(fn, "__name__", "task"), on_success, on_failure
        )
        pool = self._write_pool if write else self._read_pool
        pool.start(_Job(self, task_id, fn))
        return task_id

    def read(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        description: str = "",
    ) -> int:
        """A read (``QueryOp``): runs in parallel with other reads."""
        return self.run(fn, on_success, on_failure, write=False, description=description)

    def write(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        description: str = "",
    ) -> int:
        """A write (``CollectionOp``): runs on the single write lane, in submission order."""
        return self.run(fn, on_success, on_failure, write=True, description=description)

    @Slot(int, object)
    def _on_task_done(self, task_id: int, outcome: tuple[Any, BaseException | None]) -> None:
        result, error = outcome
        pending = self._pending.pop(task_id, None)
        try:
            if pending is None:
                return
            if error is None:
                if pending.on_success is not None:
                    pending.on_success(result)
            elif pending.on_failure is not None:
                pending.on_failure(error)
            else:
                self.report_error(pending.description, error)
        except Exception as exc:  # a bug in a callback must not kill the event loop
            self.report_error(f"{pending.description if pending else 'task'} (callback)", exc)
        finally:
            if not self._pending:
                self.became_idle.emit()

    def report_error(self, description: str, error: BaseException) -> None:
        """Log an unexpected error and hand it to the error handler (a dialog in the app)."""
        logger.error(
            "unexpected error in %s", description, exc_info=(type(error), error, error.__traceback__)
        )
        if self.on_unexpected_error is not None:
            self.on_unexpected_error(description, error)

    # -- state and shutdown ----------------------------------------------------

    @property
    def pending_count(self) -> int:
        """Tasks started whose callbacks have not run yet."""
        return len(self._pending)

    def active_threads(self) -> int:
        """Worker threads currently running a task."""
        return self._write_pool.activeThreadCount() + self._read_pool.activeThreadCount()

    def wait_for_done(self, msecs: int = 5_000) -> bool:
        """Block until every running task has returned (callbacks may still be queued)."""
        read_done = self._read_pool.waitForDone(msecs)
        write_done = self._write_pool.waitForDone(msecs)
        return read_done and write_done

    def shutdown(self, msecs: int = 10_000) -> bool:
        """Refuse new tasks and wait for running ones; queued callbacks are dropped."""
        self._closed = True
        done = self.wait_for_done(msecs)
        self._pending.clear()
        self._read_pool.clear()
        self._write_pool.clear()
        return done

    def run_blocking_write(self, fn: Callable[[], Any], msecs: int = 10_000) -> None:
        """Run a last write on the write lane and wait for it (used to close the profile at exit)."""
        self._write_pool.start(_Job(self, 0, fn))
        self._write_pool.waitForDone(msecs)
