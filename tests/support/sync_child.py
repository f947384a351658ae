"""Real client processes for the kill tests: each sync runs in its own process, which the test may SIGKILL.

Starting an interpreter and importing the app costs about two seconds on a busy 2-core
machine, more than most syncs. So the processes are forked from a zygote that imported
everything once: multiprocessing's ``forkserver`` with this module preloaded. Each sync
child is still a separate process with its own SQLite connections, opened after the fork,
and dies by a real SIGKILL.

A child opens the profile as the app does (:class:`desktop.session.Session`), runs
:meth:`desktop.sync_service.SyncService.sync` with a :class:`tests.support.sync_tap.TapSession`,
and tells the parent through a pipe: ``("started", pid)``, ``("req", method, path)`` before
each request, then ``("done", summary)`` or ``("error", kind, message)``.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import random
import traceback
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

# Imported here so the zygote holds them before it forks: a child starts in milliseconds.
from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.sync_service import SyncService
from sync.client import RetryPolicy, SyncError
from tests.support.sync_tap import TapSession

_context: ForkServerContext | None = None


def context() -> ForkServerContext:
    """The forkserver context, with this module (and so the app) imported in the zygote."""
    global _context
    if _context is None:
        made = multiprocessing.get_context("forkserver")
        made.set_forkserver_preload([__name__])
        _context = made
    return _context


def open_profile(profile: Path) -> Session:
    """Open a profile folder as the app and the command line do."""
    return Session.open(ProfilePaths(profile, "--data-dir"))


def sign_in(profile: Path, url: str, user: str, password: str) -> str:
    """Sign ``profile`` in to ``url`` as ``user`` (the token in a private file, not the keyring).

    Returns the profile's device id.
    """
    session = open_profile(profile)
    try:
        service = SyncService(session, use_keyring=False)
        service.login(url, user, password)
        return service.replica.device_id()
    finally:
        session.close()


@dataclass(frozen=True)
class ChildOptions:
    """How a sync child retries: short waits (a killed server is back within seconds, or the next child
    tries), and where it logs."""

    attempts: int = 3
    base_delay: float = 0.05
    max_delay: float = 0.5
    seed: int = 0
    log_file: str = ""


def _child_main(conn: Connection, profile: str, tap: str, attempt: str, options: ChildOptions) -> None:
    """The body of a sync child (runs in the forked process)."""
    if options.log_file:
        logging.basicConfig(
            filename=options.log_file,
            level=logging.INFO,
            format=f"%(asctime)s {attempt} %(levelname)s %(name)s: %(message)s",
        )

    def notify(method: str, path: str) -> None:
        conn.send(("req", method, path))

    session = open_profile(Path(profile))
    http = TapSession(Path(tap), attempt, notify)
    retry = RetryPolicy(
        attempts=options.attempts,
        base_delay=options.base_delay,
        max_delay=options.max_delay,
        rng=random.Random(options.seed),
    )
    service = SyncService(session, http=http, use_keyring=False, retry=retry)
    conn.send(("started", os.getpid()))
    code = 0
    try:
        report = service.sync()
        summary = asdict(report) | {"pending": service.status().pending}
        conn.send(("done", summary))
    except SyncError as exc:
        logging.getLogger(__name__).warning("sync failed: %s: %s", type(exc).__name__, exc)
        conn.send(("error", type(exc).__name__, str(exc)))
        code = 3
    except Exception as exc:  # a bug, not a sync outcome: the test fails with the traceback
        logging.getLogger(__name__).exception("sync crashed")
        conn.send(("crash", type(exc).__name__, traceback.format_exc()))
        code = 4
    finally:
        http.close()
        session.close()
        conn.close()
    os._exit(code)  # skip interpreter teardown: nothing is left to flush


@dataclass
class ChildSync:
    """One running sync child, seen from the test."""

    attempt: str
    process: BaseProcess
    conn: Connection
    requests: list[tuple[str, str]] = field(default_factory=list)
    outcome: tuple[Any, ...] | None = None
    started: bool = False
    killed: bool = False

    def poll(self, timeout: float = 0.0) -> tuple[Any, ...] | None:
        """Read one message if one comes within ``timeout`` seconds (None otherwise, or at the pipe's end)."""
        try:
            if not self.conn.poll(timeout):
                return None
            message: tuple[Any, ...] = self.conn.recv()
        except (EOFError, OSError):
            return None
        kind = message[0]
        if kind == "started":
            self.started = True
        elif kind == "req":
            self.requests.append((message[1], message[2]))
        else:
            self.outcome = message
        return message

    def drain(self) -> None:
        """Read every message already waiting."""
        while self.poll(0.0) is not None:
            pass

    @property
    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.process.is_alive()

    def kill(self) -> None:
        """SIGKILL the child wherever it is, and reap it."""
        self.drain()
        self.process.kill()
        self.process.join(30)
        self.killed = self.outcome is None
        self.conn.close()

    def finish(self, timeout: float = 120.0) -> tuple[Any, ...]:
        """Wait for the child's own end; its outcome (``("done", ...)``, ``("error", ...)``)."""
        while self.outcome is None:
            if self.poll(timeout) is None and not self.alive:
                break
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(30)
            raise AssertionError(f"sync child {self.attempt} did not end within {timeout} s")
        self.conn.close()
        if self.outcome is None:
            raise AssertionError(f"sync child {self.attempt} died (exit code {self.process.exitcode})")
        return self.outcome


def start_sync(profile: Path, tap: Path, attempt: str, options: ChildOptions | None = None) -> ChildSync:
    """Fork a child that syncs ``profile``; its requests are tapped into ``tap`` under ``attempt``."""
    ctx = context()
    parent_end, child_end = ctx.Pipe(duplex=False)
    process = ctx.Process(
        target=_child_main,
        args=(child_end, str(profile), str(tap), attempt, options or ChildOptions()),
        name=f"sync-{attempt}",
        daemon=True,
    )
    process.start()
    child_end.close()
    return ChildSync(attempt, process, parent_end)
