"""A throw-away PostgreSQL cluster for tests: ``postgres_cluster`` (session-scoped) and a database per test.

The cluster is made with ``initdb`` in a temp folder and started with ``pg_ctl`` on
127.0.0.1 and a free port (as the ``postgres`` user when the tests run as root, since
PostgreSQL refuses to run as root). It is fsync-free: nothing in it outlives the run.
Tests that use it are skipped, with the reason, only when the binaries are absent.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("IMBIZO_PG_BIN", "/usr/lib/postgresql/15/bin"))
_names = itertools.count(1)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class PostgresCluster:
    """A running cluster: superuser ``postgres``, trust authentication on 127.0.0.1."""

    port: int
    data_dir: Path
    bin_dir: Path

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL (psycopg 3) for ``database``."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as c:
            c.execute(statement)  # test-made identifiers only

    def create_database(self, template: str = "") -> str:
        """Create a database (empty, or a copy of the database ``template``); returns its URL."""
        name = f"imbizo_test_{os.getpid()}_{next(_names)}"
        self._admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by :meth:`create_database` (closing its connections)."""
        name = url.rsplit("/", 1)[1]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _as_postgres() -> tuple[Callable[[], None] | None, int | None, int | None]:
    """A preexec function dropping root to the postgres user, and its uid/gid (nothing when not root)."""
    if os.geteuid() != 0:
        return None, None, None
    entry = pwd.getpwnam("postgres")

    def demote() -> None:
        os.setgid(entry.pw_gid)
        os.setuid(entry.pw_uid)

    return demote, entry.pw_uid, entry.pw_gid


def _run(args: list[str], demote: Callable[[], None] | None, log: Path | None = None) -> None:
    result = subprocess.run(args, preexec_fn=demote, capture_output=True, text=True, timeout=60, check=False)
    if result.returncode != 0:
        detail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
        raise RuntimeError(f"{Path(args[0]).name} failed: {result.stderr[-2000:]}{detail}")


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """Start a throw-away cluster for the whole test session, and remove it afterwards."""
    if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_ctl").exists():
        pytest.skip(f"PostgreSQL binaries are not installed in {PG_BIN} (set IMBIZO_PG_BIN)")
    demote, uid, gid = _as_postgres()
    base = Path(tempfile.mkdtemp(prefix="imbizo-pg-"))
    data, sockets, log = base / "data", base / "sockets", base / "server.log"
    sockets.mkdir()
    if uid is not None and gid is not None:
        os.chown(base, uid, gid)
        os.chown(sockets, uid, gid)
    port = free_port()
    try:
        _run([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
              "--locale=C", "--no-sync"], demote)  # fmt: skip
        _run([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "30", "-o",
              f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
              "start"], demote, log)  # fmt: skip
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise
    try:
        yield PostgresCluster(port=port, data_dir=data, bin_dir=PG_BIN)
    finally:
        subprocess.run([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       preexec_fn=demote, capture_output=True, timeout=60, check=False)  # fmt: skip
        shutil.rmtree(base, ignore_errors=True)
