"""Background work for the UI, in the spirit of Anki's ``CollectionOp`` / ``QueryOp``.

Every database, index or file-system call the UI triggers runs here, never on the
GUI thread: ``TaskManager.run(fn, on_success, on_failure)`` runs ``fn`` on a worker
and delivers its result (or exception) back on the GUI thread. Writes run on one
lane (a single-thread pool), so they never interleave; reads run in parallel.
A long write (an import) runs as a sequence of short steps with ``write_steps``: each
step is its own job, queued again at the back of the lane, so a save or an autosave
queued meanwhile waits for one step, never for the whole import.

An exception with no ``on_failure`` goes to the default handler: logged, then shown
in an error dialog with copyable details.
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
import weakref
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

logger = logging.getLogger(__name__)

#: Parallel readers: Whoosh searchers are per thread, so a few are plenty.
READ_THREADS = 3
#: How long a worker running Python code keeps the GIL while the GUI thread waits for it. CPython's
#: 5 ms default lets a busy import delay every Python slot on the GUI thread by up to 5 ms, several
#: times per event (bench/bench_gui_stall.py); 1 ms costs the workers a few percent.
GIL_SWITCH_INTERVAL_S = 0.001


#: What shiboken raises when Python touches a Qt object whose C++ side was deleted.
_DELETED_MESSAGES = ("already deleted", "Signal source has been deleted")


def receiver_gone(error: BaseException) -> bool:
    """True when ``error`` says a callback reached a widget that was closed and deleted meanwhile."""
    return isinstance(error, RuntimeError) and any(text in str(error) for text in _DELETED_MESSAGES)


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


class _StepJob(QRunnable):
    """Runs one step of a :class:`Steps` sequence, then queues the next one at the back of the lane."""

    def __init__(self, steps: Steps):
        super().__init__()
        self.setAutoDelete(True)
        self._steps = steps

    def run(self) -> None:
        self._steps.run_one()


class Steps:
    """A long write cut into steps on the write lane (see :meth:`TaskManager.write_steps`).

    Each ``next()`` of the iterator is one job; its yielded value goes to ``on_progress``; when the
    iterator ends, its return value (a generator's ``return``) goes to ``on_success``.
    """

    def __init__(self, manager: TaskManager, task_id: int, steps: Iterator[Any]):
        self._manager = manager
        self.task_id = task_id
        self._steps = steps
        self._cancel = threading.Event()
        self.steps_run = 0

    def cancel(self) -> None:
        """Stop before the next step: a generator is closed on the lane (its ``finally`` blocks run)
        and ``on_cancelled`` is called instead of ``on_success``."""
        self._cancel.set()

    @property
    def cancelling(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._cancel.is_set()

    def run_one(self) -> None:
        """Run the next step on the write lane (called by the lane's thread only)."""
        manager = self._manager
        if self._cancel.is_set() or manager.closing:
            self._close()
            manager.task_done.emit(self.task_id, (_CANCELLED, None))
            return
        try:
            value = next(self._steps)
        except StopIteration as end:
            manager.task_done.emit(self.task_id, (end.value, None))
            return
        except BaseException as exc:  # delivered to the GUI thread, never swallowed
            manager.task_done.emit(self.task_id, (None, exc))
            return
        self.steps_run += 1
        manager.step_progress.emit(self.task_id, (value,))
        # The next step goes to the back of the lane: writes queued meanwhile run first.
        manager.queue_step(self)

    def _close(self) -> None:
        if isinstance(self._steps, Generator):
            try:
                self._steps.close()
            except Exception:  # closing ran the generator's clean-up; a failure there is only logged
                logger.exception("cleaning up after a cancelled task failed")


#: The result a cancelled :class:`Steps` reports (distinct from any value a step can return).
_CANCELLED = object()


class TaskManager(QObject):
    """Runs callables off the GUI thread: writes on one lane, reads in parallel."""

    #: Emitted from a worker thread with ``(result, error)``; delivered to ``_on_task_done`` on the
    #: GUI thread. One tuple, never a bare None: PySide6 miscounts references to None sent as ``object``.
    task_done = Signal(int, object)
    #: Emitted from the write lane with ``(value,)`` after each step of a ``write_steps`` sequence.
    step_progress = Signal(int, object)
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
        # Network work (a sync) waits on the link for seconds: its own lane, so it never holds up
        # a read, and never two syncs at once.
        self._network_pool = QThreadPool(self)
        self._network_pool.setMaxThreadCount(1)
        self._pending: dict[int, _Pending] = {}
        self._ids = itertools.count(1)
        self._closed = False
        self.on_unexpected_error = on_unexpected_error
        self._progress_callbacks: dict[int, Callable[[Any], None]] = {}
        self._cancel_callbacks: dict[int, Callable[[], None]] = {}
        if sys.getswitchinterval() > GIL_SWITCH_INTERVAL_S:
            sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
        self.task_done.connect(self._on_task_done, Qt.ConnectionType.QueuedConnection)
        self.step_progress.connect(self._on_step_progress, Qt.ConnectionType.QueuedConnection)
        TaskManager.instances.add(self)

    # -- running ---------------------------------------------------------------

    def run(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        *,
        write: bool = False,
        network: bool = False,
        description: str = "",
    ) -> int:
        """Run ``fn`` on a worker (the write lane if ``write``, the network lane if ``network``).

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
        pool = self._write_pool if write else self._network_pool if network else self._read_pool
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

    def network(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        description: str = "",
    ) -> int:
        """Network work (sign-in, a sync): one at a time on its own lane, beside reads and writes."""
        return self.run(fn, on_success, on_failure, network=True, description=description)

    def write_steps(
        self,
        steps: Iterator[Any],
        on_progress: Callable[[Any], None] | None = None,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        *,
        on_cancelled: Callable[[], None] | None = None,
        description: str = "",
    ) -> Steps | None:
        """Run a long write as short steps on the write lane; returns a handle that can cancel it.

        Each ``next(steps)`` runs as one write-lane job and its value goes to ``on_progress`` on the
        GUI thread; the next step is then queued at the back of the lane, so writes queued meanwhile
        run between steps. When ``steps`` ends, ``on_success`` gets its return value (``None`` for a
        plain iterator). ``Steps.cancel()`` stops before the next step (a generator is closed on the
        lane) and calls ``on_cancelled``. After :meth:`shutdown` nothing starts and None is returned.
        """
        if self._closed:
            logger.debug("not starting %s: shutting down", description or "steps")
            return None
        task_id = next(self._ids)
        self._pending[task_id] = _Pending(description or "steps", on_success, on_failure)
        if on_progress is not None:
            self._progress_callbacks[task_id] = on_progress
        if on_cancelled is not None:
            self._cancel_callbacks[task_id] = on_cancelled
        handle = Steps(self, task_id, steps)
        self.queue_step(handle)
        return handle

    def queue_step(self, steps: Steps) -> None:
        """Queue the next step of ``steps`` at the back of the write lane (thread-safe)."""
        self._write_pool.start(_StepJob(steps))

    @property
    def closing(self) -> bool:
        """True once :meth:`shutdown` was called: step sequences stop at their next step."""
        return self._closed

    @Slot(int, object)
    def _on_step_progress(self, task_id: int, payload: tuple[Any]) -> None:
        callback = self._progress_callbacks.get(task_id)
        if callback is None or task_id not in self._pending:
            return
        try:
            callback(payload[0])
        except Exception as exc:  # a bug in a callback must not kill the event loop
            self.report_error(f"{self._pending[task_id].description} (progress)", exc)

    @Slot(int, object)
    def _on_task_done(self, task_id: int, outcome: tuple[Any, BaseException | None]) -> None:
        result, error = outcome
        pending = self._pending.pop(task_id, None)
        self._progress_callbacks.pop(task_id, None)
        on_cancelled = self._cancel_callbacks.pop(task_id, None)
        try:
            if pending is None:
                return
            if result is _CANCELLED:
                if on_cancelled is not None:
                    on_cancelled()
            elif error is None:
                if pending.on_success is not None:
                    pending.on_success(result)
            elif pending.on_failure is not None:
                pending.on_failure(error)
            else:
                self.report_error(pending.description, error)
        except RuntimeError as exc:
            if not receiver_gone(exc):
                self.report_error(f"{pending.description if pending else 'task'} (callback)", exc)
            else:  # the widget that asked was closed meanwhile: nobody is waiting for the answer
                logger.debug("%s: its receiver was deleted", pending.description if pending else "task")
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
        pools = (self._write_pool, self._read_pool, self._network_pool)
        return sum(pool.activeThreadCount() for pool in pools)

    def wait_for_done(self, msecs: int = 5_000) -> bool:
        """Block until every running task has returned (callbacks may still be queued)."""
        read_done = self._read_pool.waitForDone(msecs)
        write_done = self._write_pool.waitForDone(msecs)
        network_done = self._network_pool.waitForDone(msecs)
        return read_done and write_done and network_done

    def shutdown(self, msecs: int = 10_000) -> bool:
        """Refuse new tasks and wait for running ones; queued callbacks are dropped."""
        self._closed = True
        done = self.wait_for_done(msecs)
        self._pending.clear()
        self._progress_callbacks.clear()
        self._cancel_callbacks.clear()
        self._read_pool.clear()
        self._write_pool.clear()
        self._network_pool.clear()
        return done

    def run_blocking_write(self, fn: Callable[[], Any], msecs: int = 10_000) -> None:
        """Run a last write on the write lane and wait for it (used to close the profile at exit)."""
        self._write_pool.start(_Job(self, 0, fn))
        self._write_pool.waitForDone(msecs)
