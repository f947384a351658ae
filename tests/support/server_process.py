"""The real sync server as a process on a free loopback port, for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import requests

BIN = Path(sys.executable).parent
#: The checkout under test: its code runs in the processes, not whichever one the venv was installed from.
ROOT = Path(__file__).resolve().parents[2]
#: Argon2 at its cheapest: a sign-in costs well under a millisecond in tests.
CHEAP_HASH = {
    "IMBIZO_ARGON2_TIME_COST": "1",
    "IMBIZO_ARGON2_MEMORY_KIB": "8",
    "IMBIZO_ARGON2_PARALLELISM": "1",
}


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for ``imbizo-server`` processes (cheap hashes; no inherited data folder)."""
    env = dict(os.environ)
    env.update(CHEAP_HASH)
    env.pop("IMBIZO_SERVER_DATA_DIR", None)
    # A venv shared by several checkouts (git worktrees) points its scripts at one of them.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env.update(extra or {})
    return env


@contextmanager
def running_server(
    data_dir: Path,
    users: Mapping[str, tuple[str, str]],
    *,
    tls: tuple[Path, Path, Path] | None = None,
) -> Iterator[str]:
    """``imbizo-server serve`` with ``users`` ({name: (role, password)}); yields its base URL.

    ``tls``: (certificate, key, CA file) to serve https for ``localhost`` with that certificate.
    """
    env = server_env()
    for name, (role, password) in users.items():
        subprocess.run(
            [BIN / "imbizo-server", "--data-dir", data_dir, "adduser", name, "--role", role],
            input=password + "\n", text=True, env=env, check=True, capture_output=True, timeout=60,
        )  # fmt: skip
    port = free_port()
    serve: list[str | Path] = [BIN / "imbizo-server", "--data-dir", data_dir, "serve", "--port", str(port)]
    verify: bool | str = True
    url = f"http://127.0.0.1:{port}"
    if tls is not None:
        serve += ["--ssl-certfile", tls[0], "--ssl-keyfile", tls[1]]
        verify, url = str(tls[2]), f"https://localhost:{port}"
    process = subprocess.Popen(serve, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90  # seconds usually; up to a minute on a loaded 2-core machine
        while True:
            try:
                if requests.get(f"{url}/health", timeout=2, verify=verify).ok:
                    break
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or busy starting
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the sync server did not start") from None
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
