"""What the sync benchmarks share: real server processes and client profiles (bench/sync_meter.py meters).

- :func:`servers`: ``imbizo-server`` processes on a free loopback port each, on SQLite (one
  process) or on a PostgreSQL database (several processes sharing it and one blob folder);
  accounts are made with ``imbizo-server adduser`` (cheap argon2, as the tests do).
- :func:`postgres`: the throw-away cluster of tests/support/postgres.py.
- :func:`client_profile`: a desktop profile holding the whole corpus (a copy of the migrated,
  indexed profile bench_startup caches under ``~/.cache/imbizo-bench``) or a slice of it.
- :func:`service_for`: a signed-in :class:`SyncService` on such a profile.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from desktop.core.records import Record
from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.sync_service import SyncService
from sync.client import RetryPolicy
from tests.support.server_process import BIN, free_port, server_env

PASSWORD = "bench-password-1"


def exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so the ``finally`` blocks stop the servers this run started."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


# -- servers ------------------------------------------------------------------------------------


def add_users(data_dir: Path, users: Mapping[str, str], env: Mapping[str, str]) -> float:
    """``imbizo-server adduser`` for each {name: role}; returns the seconds it took.

    The first one alone (it creates and migrates the database), the others two at a time.
    """
    start = time.perf_counter()

    def add(item: tuple[str, str]) -> None:
        name, role = item
        subprocess.run(
            [BIN / "imbizo-server", "--data-dir", data_dir, "adduser", name, "--role", role],
            input=PASSWORD + "\n", text=True, env=dict(env), check=True, capture_output=True, timeout=120,
        )  # fmt: skip

    items = list(users.items())
    if items:
        add(items[0])
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(add, items[1:]))
    return time.perf_counter() - start


def _wait_healthy(url: str, process: subprocess.Popen[bytes], deadline: float) -> None:
    while True:
        try:
            if requests.get(f"{url}/health", timeout=5).ok:
                return
        except requests.RequestException:  # not listening yet, or slow to answer on a busy machine
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the sync server at {url} did not start")
        time.sleep(0.05)


@dataclass(frozen=True)
class Servers:
    """Running server processes: their base URLs and process ids."""

    urls: list[str]
    pids: list[int]
    database_pid: int = 0  # the PostgreSQL postmaster, whose children serve the connections

    def cpu_seconds(self) -> float:
        """User + system CPU seconds the processes used so far (from /proc; 0 where unreadable)."""
        return sum(process_cpu_seconds(pid) for pid in self.pids)

    def database_cpu_seconds(self) -> float:
        """CPU seconds of the PostgreSQL postmaster and its live children (0 on SQLite)."""
        if not self.database_pid:
            return 0.0
        pids = [self.database_pid, *children_of(self.database_pid)]
        return sum(process_cpu_seconds(pid) for pid in pids)


def children_of(parent: int) -> list[int]:
    """Process ids whose parent is ``parent`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return found


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process, from /proc/PID/stat (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def servers(
    data_dir: Path,
    users: Mapping[str, str],
    *,
    database_url: str = "",
    processes: int = 1,
    database_pid: int = 0,
) -> Iterator[Servers]:
    """Start ``processes`` server processes on one database; yields their URLs and pids.

    SQLite (no ``database_url``) is one process by design; PostgreSQL processes share the
    database and ``<data_dir>/blobs``, as several stateless processes behind a proxy would.
    """
    extra = {"IMBIZO_BLOB_DIR": str(data_dir / "blobs")}
    if database_url:
        extra["DATABASE_URL"] = database_url
    env = server_env(extra)
    seconds = add_users(data_dir, users, env)
    print(f"({len(users)} accounts made with imbizo-server adduser in {seconds:.1f} s)", flush=True)
    started: list[tuple[str, subprocess.Popen[bytes]]] = []
    try:
        for _ in range(processes):
            port = free_port()
            process = subprocess.Popen(
                [BIN / "imbizo-server", "--data-dir", data_dir, "serve", "--port", str(port)],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            started.append((f"http://127.0.0.1:{port}", process))
        deadline = time.monotonic() + 60
        for url, process in started:
            _wait_healthy(url, process, deadline)
        yield Servers([url for url, _ in started], [proc.pid for _, proc in started], database_pid)
    finally:
        for _, process in started:
            process.terminate()
        for _, process in started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@contextlib.contextmanager
def postgres() -> Iterator[Any]:
    """The throw-away cluster of tests/support/postgres.py, or None when PostgreSQL is not installed."""
    import pytest

    from tests.support.postgres import postgres_cluster

    # The fixture's own generator (pytest refuses a direct call of a fixture; it is the same code).
    cluster = contextlib.contextmanager(postgres_cluster.__wrapped__)  # type: ignore[attr-defined]
    try:
        manager = cluster()
        found = manager.__enter__()
    except pytest.skip.Exception as exc:
        print(f"(PostgreSQL skipped: {exc})")
        yield None
        return
    try:
        yield found
    finally:
        manager.__exit__(None, None, None)


# -- client profiles ----------------------------------------------------------------------------


def corpus_profile() -> Path:
    """The whole corpus as a migrated, indexed profile (cached; imported once when missing)."""
    from bench import bench_startup

    return bench_startup.corpus_profile()


def smoke_records() -> list[Record]:
    """The records of bench_search's small corpus slice (imported once and cached, in seconds).

    CI's smoke runs use it: a clean machine has no cached whole-corpus profile, and
    importing the whole corpus takes minutes.
    """
    from bench import bench_search

    work = Path(tempfile.mkdtemp(prefix="imbizo-bench-slice-"))
    try:
        imported = bench_search._cached_import(True)
        if imported is None:
            with Session.open(ProfilePaths(work / "import", "bench")) as session:
                bench_search.import_corpus(session, smoke=True)
                bench_search._save_import(session, smoke=True)
            imported = bench_search._cached_import(True)
            assert imported is not None
        shutil.copytree(imported, work / "profile")  # opening migrates it: never the cached copy
        with Session.open(ProfilePaths(work / "profile", "bench")) as session:
            return list(session.store.iter_records())
    finally:
        shutil.rmtree(work, ignore_errors=True)


def corpus_records(limit: int = 0, *, smoke: bool = False) -> list[Record]:
    """The corpus records (every one, or ``limit`` spread evenly over the store's id order).

    ``smoke``: from the small slice of :func:`smoke_records` instead of the whole corpus.
    """
    if smoke:
        records = smoke_records()
    else:
        with Session.open(ProfilePaths(corpus_profile(), "bench")) as session:
            records = list(session.store.iter_records())
    if limit and limit < len(records):
        step = len(records) / limit
        records = [records[int(i * step)] for i in range(limit)]
    return records


def client_profile(folder: Path, records: int | None = None, *, smoke: bool = False) -> Session:
    """A profile holding the whole corpus (``records`` None), a slice of it, or nothing (0).

    The whole corpus is a copy of the cached profile (every record waiting to be pushed,
    as after an import); a slice is saved into a new profile, indexed as the app does
    (``smoke``: a slice of the small corpus slice).
    """
    if records is None:
        shutil.copytree(corpus_profile(), folder, ignore=shutil.ignore_patterns("*.lock", "backups"))
        return Session.open(ProfilePaths(folder, "bench"))
    session = Session.open(ProfilePaths(folder, "bench"))
    if records:
        chosen = corpus_records(records, smoke=smoke)
        for i in range(0, len(chosen), 500):
            session.save_many(chosen[i : i + 500])
    return session


def service_for(session: Session, url: str, user: str) -> SyncService:
    """A signed-in SyncService for ``session`` (the token in a private file, not the keyring)."""
    service = SyncService(session, http=requests.Session(), use_keyring=False, retry=RetryPolicy(attempts=3))
    service.login(url, user, PASSWORD)
    return service
