"""A fault-injecting TCP proxy for the sync tests and benchmarks (toxiproxy-like, loopback only).

In process::

    with FaultProxy(("127.0.0.1", server_port), Faults(seed=7, drop_response=0.3)) as proxy:
        requests.post(f"{proxy.url}/api/v1/sync/push", ...)
        proxy.configure(down_rate=parse_rate("256kbit"), up_latency=0.3, up_jitter=0.1)
        proxy.pause()          # hold every chunk (R9: edit while the upload hangs)
        proxy.wait_held()      # ... until a chunk is actually held
        proxy.resume()
        proxy.stats(), proxy.events()

As a process (prints the port on its first line; SIGTERM or SIGINT stop it; SIGUSR1 pauses,
SIGUSR2 resumes; ``--stats-file`` gets the counters and the fault log as JSON at exit)::

    python -m tests.support.fault_proxy --listen 127.0.0.1:0 --upstream 127.0.0.1:8000 \\
        --seed 7 --drop-response 0.3 --down-rate 256kbit --up-latency 0.3 --up-jitter 0.1

Faults are described in ``fault_proxy_config.py`` (``Faults``, ``ByteFaults``). When a change
takes effect: latency, jitter, rate, slices and pause at the next chunk; cut, reset and stall
points (and the seed for them) at the next connection; request faults at the next request.

Reproducibility: a request's fate comes from ``Random(f"{seed}:request:{n}")`` and a
connection's byte-fault points from ``Random(f"{seed}:{connection}:{direction}")``, so the
same seed with the same sequence of requests and connections gives the same faults (see
``events()``). Per-chunk timing (jitter, slice sizes) follows its own stream, but chunk
boundaries depend on the operating system.

In ``http`` mode the proxy delimits HTTP/1.1 messages (Content-Length, chunked, until close,
HEAD/1xx/204/304, keep-alive); protocol upgrades (101, CONNECT) are not followed: use
``mode="tcp"`` for those. A request fated to be dropped or duplicated is read whole first,
so ``Expect: 100-continue`` requests would wait for the client's own timeout.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import json
import logging
import signal
import socket
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from tests.support.fault_proxy_config import (
    ByteFaults,
    Direction,
    Faults,
    byte_fault_names,
    faults_with,
    option_parser,
    parse_rate,
    top_fault_names,
)
from tests.support.fault_proxy_conn import TICK, Connection
from tests.support.fault_proxy_state import FaultEvent, ProxyState, ProxyStats

__all__ = ["ByteFaults", "Direction", "FaultEvent", "FaultProxy", "Faults", "ProxyStats", "parse_rate"]

logger = logging.getLogger(__name__)

Address = tuple[str, int]


def _check_loopback(address: Address) -> Address:
    """Refuse anything but loopback: the proxy must never carry traffic off the machine."""
    host = address[0]
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"the fault proxy only uses loopback addresses, not {host!r}")
    return address


class FaultProxy:
    """A proxy from a free loopback port to ``upstream``; a context manager that starts and stops it."""

    def __init__(
        self,
        upstream: Address,
        faults: Faults | None = None,
        *,
        listen: Address = ("127.0.0.1", 0),
        mode: Literal["http", "tcp"] = "http",
        idle_timeout: float = 120.0,
    ) -> None:
        self._upstream = _check_loopback(upstream)
        self._listen = _check_loopback(listen)
        self._http = mode == "http"
        self._idle_timeout = idle_timeout
        self._state = ProxyState(faults or Faults(), "fault-proxy")
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._connections: set[Connection] = set()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> FaultProxy:
        """Listen and accept in a background thread; returns self."""
        if self._listener is not None:
            raise RuntimeError("the fault proxy is already started")
        self._listener = socket.create_server(self._listen)
        self._listener.settimeout(TICK)  # the accept loop notices stop() within a tick
        self._state.name = f"fault-proxy-{self.port}"
        self._accept_thread = self._state.spawn("accept", self._accept_loop)
        return self

    @property
    def port(self) -> int:
        """The port the proxy listens on."""
        if self._listener is None:
            raise RuntimeError("the fault proxy is not started")
        return int(self._listener.getsockname()[1])

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``, the base URL to give an HTTP client."""
        return f"http://{self._listen[0]}:{self.port}"

    # Faults, changed at run time.

    @property
    def faults(self) -> Faults:
        """The current settings."""
        return self._state.faults

    def set_faults(self, faults: Faults) -> None:
        """Replace every setting."""
        self._state.faults = faults

    def configure(self, **changes: Any) -> Faults:
        """Change some settings (``drop_response=0.3``, ``up_rate=4096``, ``latency=0.2`` for both
        directions...) and return the new settings."""
        self._state.faults = faults_with(self._state.faults, **changes)
        return self._state.faults

    def pause(self, direction: Direction | None = None) -> None:
        """Hold every chunk about to be forwarded in ``direction`` (both if None) until resume()."""
        self._state.set_paused(_directions(direction), True)

    def resume(self, direction: Direction | None = None) -> None:
        """Forward again what pause() held, in order; also ends every stall in progress (any direction)."""
        self._state.set_paused(_directions(direction), False)

    def wait_held(self, count: int = 1, timeout: float = 10.0) -> bool:
        """Wait until ``count`` chunks are held by pause() or a stall; False if not in time."""
        return self._state.wait_held(count, timeout)

    # What happened.

    def stats(self) -> ProxyStats:
        """The counters: connections, bytes per direction, requests, responses, faults per kind."""
        return self._state.stats()

    def events(self) -> list[FaultEvent]:
        """Every discrete fault so far (drops, duplicates, cuts, resets, stalls), oldest first."""
        return self._state.events()

    # Running.

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._state.stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # the listener was closed by stop()
            number = self._state.next_number("connections")
            conn = Connection(
                self._state,
                number,
                client,
                self._upstream,
                http=self._http,
                idle_timeout=self._idle_timeout,
                on_closed=self._forget,
            )
            with self._lock:
                self._connections.add(conn)
            if self._state.spawn(f"c{number}-client", conn.run) is None:
                conn.abort()

    def _forget(self, conn: Connection) -> None:
        with self._lock:
            self._connections.discard(conn)
        self._state.count("closed_connections")

    def stop(self, timeout: float = 5.0) -> None:
        """Close the listener and every connection, and join every thread; raises RuntimeError
        naming the threads still alive after ``timeout`` seconds (a bug in the proxy)."""
        if self._listener is None or self._state.stopping.is_set():
            return
        deadline = time.monotonic() + timeout
        self._state.stopping.set()
        with contextlib.suppress(OSError):  # elsewhere the accept loop sees stopping within a tick
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes accept() at once on Linux
        if self._accept_thread is not None:
            self._accept_thread.join(timeout)
        self._listener.close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            conn.abort()
        self._state.wake_gate()
        if left := self._state.join_threads(deadline):
            raise RuntimeError(f"fault proxy threads still running after stop(): {left}")


def _directions(direction: Direction | None) -> set[Direction]:
    return set(Direction) if direction is None else {direction}


# The command line.


_SUMMARY = "A fault-injecting TCP proxy for the sync tests and benchmarks (loopback only)."


def _address(text: str) -> Address:
    host, _, port = text.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


def build_parser() -> argparse.ArgumentParser:
    """The options: one per setting of ``Faults``; byte faults as ``--NAME`` (both directions),
    ``--up-NAME`` and ``--down-NAME``."""
    parser = argparse.ArgumentParser(prog="python -m tests.support.fault_proxy", description=_SUMMARY)
    parser.add_argument("--listen", type=_address, default=("127.0.0.1", 0), help="HOST:PORT (default :0)")
    parser.add_argument("--upstream", type=_address, required=True, help="HOST:PORT of the server")
    parser.add_argument("--mode", choices=("http", "tcp"), default="http")
    parser.add_argument("--idle-timeout", type=float, default=120.0, help="close a connection idle this long")
    parser.add_argument("--stats-file", type=Path, help="write counters and fault log here as JSON at exit")
    parser.add_argument("--log-level", default="WARNING")
    for name in top_fault_names():
        parser.add_argument(f"--{name.replace('_', '-')}", dest=name, type=option_parser(name))
    for name in byte_fault_names():
        for prefix in ("", "up-", "down-"):
            flag, dest = f"--{prefix}{name.replace('_', '-')}", f"{prefix.replace('-', '_')}{name}"
            if (kind := option_parser(name)) is None:
                parser.add_argument(flag, dest=dest, action="store_const", const=True)
            else:
                parser.add_argument(flag, dest=dest, type=kind)
    return parser


def faults_from_args(args: argparse.Namespace) -> Faults:
    """The settings the options name; options for both directions first, so ``--up-...`` wins."""
    given = {k: v for k, v in vars(args).items() if v is not None}
    names = [*top_fault_names(), *byte_fault_names()]
    names += [f"{d}_{n}" for d in ("up", "down") for n in byte_fault_names()]
    return faults_with(Faults(), **{name: given[name] for name in names if name in given})


def _toggle(proxy: FaultProxy, *, paused: bool) -> None:
    """SIGUSR1 pauses, SIGUSR2 resumes; logged, so a parent reading stderr knows when it took effect."""
    if paused:
        proxy.pause()
    else:
        proxy.resume()
    logger.info("%s", "paused" if paused else "resumed")


def _write_stats(path: Path, proxy: FaultProxy) -> None:
    report = {"stats": asdict(proxy.stats()), "events": [asdict(e) for e in proxy.events()]}
    path.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the proxy until SIGTERM or SIGINT."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr)
    stopping = threading.Event()
    proxy = FaultProxy(
        args.upstream,
        faults_from_args(args),
        listen=args.listen,
        mode=args.mode,
        idle_timeout=args.idle_timeout,
    )
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    signal.signal(signal.SIGUSR1, lambda *_: _toggle(proxy, paused=True))
    signal.signal(signal.SIGUSR2, lambda *_: _toggle(proxy, paused=False))
    with proxy:
        print(proxy.port, flush=True)  # the one line a parent process reads to find the proxy
        while not stopping.wait(TICK):
            pass
        if args.stats_file is not None:
            _write_stats(args.stats_file, proxy)
    return 0


if __name__ == "__main__":
    sys.exit(main())
