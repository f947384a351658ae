"""The profile's write lock: one writer at a time across threads and processes.

SQLite would serialize writers by itself, but a caller's "write, then update the
search index" sequence must not interleave with another process's writes, and
SQLite's busy handler gives no clear message. So every write transaction takes a
file lock on ``<profile>/write.lock`` first.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from desktop.store.errors import BUSY_MESSAGE, StoreBusyError

logger = logging.getLogger(__name__)


class WriteLock:
    """A reentrant lock that is held by one thread of one process at a time.

    ``filelock`` with ``thread_local=False`` keeps one reentrancy counter for the
    whole process, so an internal RLock decides which thread owns it; the file lock
    then excludes other processes (and other WriteLock objects on the same file).
    """

    def __init__(self, path: Path, timeout: float = 5.0) -> None:
        self.path = path
        self.timeout = timeout
        self._thread_lock = threading.RLock()
        self._file_lock = FileLock(str(path), timeout=timeout, thread_local=False)

    @property
    def is_held(self) -> bool:
        """True while some thread of this process holds the lock through this object."""
        return self._file_lock.is_locked

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the lock for the ``with`` block, or raise StoreBusyError after ``timeout`` s."""
        deadline = time.monotonic() + self.timeout
        if not self._thread_lock.acquire(timeout=max(self.timeout, 0.0)):
            raise StoreBusyError(BUSY_MESSAGE)
        try:
            try:
                self._file_lock.acquire(timeout=max(deadline - time.monotonic(), 0.0))
            except Timeout:
                logger.info("write lock %s busy for %.1f s", self.path, self.timeout)
                raise StoreBusyError(BUSY_MESSAGE) from None
            try:
                yield
            finally:
                self._file_lock.release()
        finally:
            self._thread_lock.release()
