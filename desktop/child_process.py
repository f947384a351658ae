"""One long-lived child process with a pipe, started with ``spawn`` and replaced when it dies.

Text extraction (desktop/media/worker.py) and import parsing (desktop/importers/parse_process.py)
run Python that would hold the app's interpreter; both hand one job at a time to a child
like this and kill it when a job takes too long. ``spawn`` because the app has Qt's threads:
a forked child would inherit their locks.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

#: Seconds a new child may take to start (an interpreter, and the target's module imported).
START_TIMEOUT_S = 120.0


def _run(target: Callable[..., None], conn: Connection, *args: Any) -> None:
    """The child's entry: say it is up (the target and its module are loaded), then serve."""
    conn.send(("ready", None))
    target(conn, *args)


class ChildProcess:
    """A child running ``target(connection, *args)``; started on first use, restarted after a kill."""

    def __init__(self, target: Callable[..., None], args: tuple[Any, ...], name: str) -> None:
        self._target = target
        self.args = args
        self._name = name
        self._context = multiprocessing.get_context("spawn")
        self._process: Any = None
        self._conn: Connection | None = None

    @property
    def pid(self) -> int | None:
        """The child's process id, or None when no child is running."""
        process = self._process
        return int(process.pid) if process is not None and process.is_alive() else None

    def connection(self) -> Connection:
        """The pipe to a running child (one is started when none runs)."""
        if self._process is not None and self._process.is_alive() and self._conn is not None:
            return self._conn
        self.kill()
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_run, args=(self._target, child, *self.args), name=self._name, daemon=True
        )
        process.start()
        child.close()
        self._process, self._conn = process, parent
        # Wait for the child to be up before a job is sent, so a job's time limit counts the job
        # alone: starting an interpreter and importing the target's module takes seconds on a
        # busy machine, and was counted against the first job's limit.
        with contextlib.suppress(EOFError, OSError):  # a child dead at start: the job's send says so
            if parent.poll(START_TIMEOUT_S):
                parent.recv()
        return parent

    def kill(self) -> None:
        """Stop the child now (the next :meth:`connection` starts a fresh one)."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if process is not None:
            if process.is_alive():
                process.kill()
            process.join(5.0)
            process.close()
        if conn is not None:
            conn.close()

    def close(self) -> None:
        """Ask the child to exit (``None`` on the pipe), killing it if it does not."""
        conn, process = self._conn, self._process
        if conn is not None and process is not None and process.is_alive():
            with contextlib.suppress(OSError):
                conn.send(None)
            process.join(2.0)
        self.kill()
