"""Real ``imbizo-server`` processes that a test can SIGKILL and restart on the same port and database.

``tests/sync/server/live.py`` starts a server for one ``with`` block; the kill tests need
more: a fixed port (so the clients' server address stays valid across restarts), a log
file that outlives each process, and several processes sharing one database and one
blob folder (PostgreSQL), as the server's README describes for a real installation.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

from sync.protocol import Role
from sync.server.migrate import migrate_database
from tests.support.postgres import free_port
from tests.sync.server.helpers import add_users, make_settings
from tests.sync.server.live import cheap_env, server_command

#: Seconds a server may take to answer /health after its start (imports, migrations; ~2 s when busy).
START_TIMEOUT = 60.0


def prepare_database(data_dir: Path, database_url: str, users: Mapping[str, Role]) -> None:
    """Migrate the server database and add ``users`` (password ``helpers.PASSWORD``), in this process.

    Doing it here rather than with ``imbizo-server adduser`` saves an interpreter start per user.
    """
    settings = make_settings(data_dir, database_url)
    migrate_database(settings)
    add_users(settings, users)


@dataclass
class ServerProcess:
    """One ``imbizo-server serve`` on a fixed loopback port; :meth:`kill` is SIGKILL, :meth:`start` again."""

    data_dir: Path
    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0
    kills: int = 0

    @property
    def url(self) -> str:
        """The server's base URL (the same across restarts)."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start the process and return once ``/health`` answers (it migrates first)."""
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        """Start the process without waiting for it (start several, then :meth:`wait_ready` on each)."""
        if self.process is not None and self.process.poll() is None:
            raise RuntimeError("the server is already running")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            log.write(f"--- start {self.starts + 1} on port {self.port}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                [*server_command(), "--data-dir", str(self.data_dir), "serve", "--port", str(self.port)],
                stdout=subprocess.DEVNULL,
                stderr=log,
                env=self.env,
            )
        self.starts += 1

    def wait_ready(self) -> None:
        """Return once ``/health`` answers; RuntimeError with the log's tail if the process ends first."""
        assert self.process is not None, "launch() first"
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if requests.get(f"{self.url}/health", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                tail = self.log_path.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"the sync server on port {self.port} did not start:\n{tail}")
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL the process (whatever it was doing) and reap it."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self.kills += 1

    def stop(self) -> None:
        """SIGTERM (a clean stop), then SIGKILL if it does not end in time."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)

    def log_text(self) -> str:
        """Everything the server processes wrote so far (uvicorn's access lines, warnings)."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@contextmanager
def server_group(
    root: Path,
    database_url: str | None,
    users: Mapping[str, Role],
    *,
    processes: int = 1,
    prepared: bool = False,
) -> Iterator[list[ServerProcess]]:
    """``processes`` servers on one database (SQLite in ``root`` when ``database_url`` is None)
    and one blob folder, with ``users`` (already there when ``prepared``); all stopped at the end."""
    data_dirs = [root / f"server-{n}" for n in range(processes)]
    url = database_url or f"sqlite:///{root / 'server.db'}"
    blob_dir = root / "blobs"
    if not prepared:
        prepare_database(data_dirs[0], url, users)
    env = cheap_env(url, IMBIZO_BLOB_DIR=str(blob_dir))
    env.pop("IMBIZO_SERVER_DATA_DIR", None)
    servers = [ServerProcess(d, env, root / f"server-{n}.log") for n, d in enumerate(data_dirs)]
    try:
        for server in servers:
            server.launch()
        for server in servers:
            server.wait_ready()
        yield servers
    finally:
        for server in servers:
            server.stop()
