"""Real ``imbizo-server`` processes for tests: started on 127.0.0.1 and a free port, stopped with SIGTERM."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.postgres import free_port

#: Seconds a server may take to come up (imports and migrations; ~1 s on an idle machine).
START_TIMEOUT = 60.0


def server_command() -> list[str]:
    """The installed ``imbizo-server`` entry point, or the module when it is not installed."""
    script = Path(sys.executable).with_name("imbizo-server")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sync.server.cli"]


def cheap_env(database_url: str | None = None, **extra: str) -> dict[str, str]:
    """The environment for server processes: a cheap password hash, and the database if not SQLite."""
    env = dict(os.environ)
    env.update(IMBIZO_ARGON2_TIME_COST="1", IMBIZO_ARGON2_MEMORY_KIB="8", IMBIZO_ARGON2_PARALLELISM="1")
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def run_cli(
    data_dir: Path, *args: str, stdin: str = "", env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``imbizo-server --data-dir DATA_DIR ARGS...`` to the end."""
    return subprocess.run(
        [*server_command(), "--data-dir", str(data_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(env) if env is not None else cheap_env(),
        check=False,
    )


@dataclass
class LiveServer:
    """A running server process."""

    process: subprocess.Popen[str]
    url: str
    log: list[str]


@contextmanager
def live_server(data_dir: Path, env: Mapping[str, str]) -> Iterator[LiveServer]:
    """Start ``imbizo-server serve`` and yield once it listens; SIGTERM it afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [*server_command(), "--data-dir", str(data_dir), "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(env),
    )
    lines: queue.Queue[str | None] = queue.Queue()
    log: list[str] = []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            log.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    try:
        _wait_for_start(lines, log)
        yield LiveServer(process=process, url=f"http://127.0.0.1:{port}", log=log)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


def _wait_for_start(lines: queue.Queue[str | None], log: list[str]) -> None:
    """Block until uvicorn says it is up (a condition with a timeout, no polling)."""
    while True:
        try:
            line = lines.get(timeout=START_TIMEOUT)
        except queue.Empty:
            raise AssertionError("the server did not start in time:\n" + "".join(log)) from None
        if line is None:
            raise AssertionError("the server exited at start:\n" + "".join(log))
        if "Uvicorn running on" in line:
            return
