"""What every connection of one fault proxy shares: settings, counters, the fault log, the pause gate,
the shared bandwidth buckets and the threads to join at stop."""

from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.support.fault_proxy_config import Direction, Faults

logger = logging.getLogger(__name__)

#: The fault log keeps the latest events only, so a long benchmark cannot grow it without bound.
MAX_EVENTS = 100_000


class ConnectionClosed(Exception):
    """The connection ended while a thread was waiting or writing for it."""


@dataclass(frozen=True)
class FaultEvent:
    """One fault that happened: its kind, where, and (for byte faults) at which byte offset."""

    kind: str
    connection: int
    request: int | None = None
    direction: Direction | None = None
    offset: int | None = None


@dataclass(frozen=True)
class ProxyStats:
    """Counters since the proxy started (a snapshot).

    A byte is counted just after the write that sent it returns, so a snapshot taken while a
    peer reacts to that byte may not include it yet: wait for a count, do not expect it.
    """

    connections: int = 0  # client connections accepted
    open_connections: int = 0
    upstream_connections: int = 0  # opened to the server, duplicates' connections included
    requests: int = 0  # request heads read from clients (http mode)
    responses: int = 0  # final response heads read from the server (http mode)
    bytes_in: dict[Direction, int] = field(default_factory=dict)  # read from the sender of a direction
    bytes_out: dict[Direction, int] = field(default_factory=dict)  # written to its receiver
    faults: dict[str, int] = field(default_factory=dict)  # per kind: also latency, throttle, slice


class TokenBucket:
    """A bandwidth limit. It starts empty, so N bytes never pass in less than N / rate seconds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens = 0.0
        self._stamp = time.monotonic()

    def reserve(self, count: int, rate: float) -> float:
        """Take ``count`` bytes at ``rate`` bytes/s; the seconds to wait before sending them.

        Tokens may go negative (a debt), so concurrent senders on one bucket queue up fairly
        and their total never exceeds the rate. The burst after an idle spell is 50 ms of traffic.
        """
        with self._lock:
            now = time.monotonic()
            burst = rate / 20
            self._tokens = min(burst, self._tokens + (now - self._stamp) * rate)
            self._stamp = now
            self._tokens -= count
            return -self._tokens / rate if self._tokens < 0 else 0.0


class ProxyState:
    """Settings and bookkeeping shared by the accept loop and every connection's threads."""

    def __init__(self, faults: Faults, name: str) -> None:
        self.name = name
        self.faults = faults  # replaced whole (never mutated), so readers need no lock
        self.stopping = threading.Event()
        self.shared_buckets = {d: TokenBucket() for d in Direction}
        self._lock = threading.Lock()
        self._counts: collections.Counter[str] = collections.Counter()
        self._faults: collections.Counter[str] = collections.Counter()
        self._events: collections.deque[FaultEvent] = collections.deque(maxlen=MAX_EVENTS)
        self._gate = threading.Condition()
        self._paused: set[Direction] = set()
        self._held = 0
        self._releases = 0  # resume() calls so far: a stall ends at the next one
        self._threads: set[threading.Thread] = set()

    # Counters and the fault log.

    def count(self, name: str, amount: int = 1) -> None:
        """Add to a plain counter (connections, bytes_in_up, ...)."""
        with self._lock:
            self._counts[name] += amount

    def next_number(self, name: str) -> int:
        """Count one more ``name`` and return its number (1 for the first)."""
        with self._lock:
            self._counts[name] += 1
            return self._counts[name]

    def count_fault(self, kind: str) -> None:
        """Count a fault that is too frequent to log one by one (a delayed chunk, a slice)."""
        with self._lock:
            self._faults[kind] += 1

    def record(self, event: FaultEvent) -> None:
        """Count and log a discrete fault."""
        logger.info("%s: %s", self.name, event)
        with self._lock:
            self._faults[event.kind] += 1
            self._events.append(event)

    def events(self) -> list[FaultEvent]:
        """The fault log, oldest first."""
        with self._lock:
            return list(self._events)

    def stats(self) -> ProxyStats:
        """A snapshot of every counter."""
        with self._lock:
            c = self._counts
            return ProxyStats(
                connections=c["connections"],
                open_connections=c["connections"] - c["closed_connections"],
                upstream_connections=c["upstream_connections"],
                requests=c["requests"],
                responses=c["responses"],
                bytes_in={d: c[f"bytes_in_{d}"] for d in Direction},
                bytes_out={d: c[f"bytes_out_{d}"] for d in Direction},
                faults=dict(self._faults),
            )

    # The pause gate (pause/resume), checked before every chunk is forwarded.

    def set_paused(self, directions: set[Direction], paused: bool) -> None:
        """Pause or resume forwarding in ``directions``."""
        with self._gate:
            if paused:
                self._paused |= directions
            else:
                self._paused -= directions
                self._releases += 1
            self._gate.notify_all()

    def is_paused(self) -> bool:
        """Whether any direction is paused (a paused connection is not idle)."""
        return bool(self._paused)

    def pass_gate(self, direction: Direction, closed: threading.Event) -> None:
        """Wait while ``direction`` is paused; raise ConnectionClosed if the connection ends meanwhile."""
        with self._gate:
            if direction not in self._paused:
                return
            self._held += 1
            self._gate.notify_all()
            try:
                while direction in self._paused and not closed.is_set():
                    self._gate.wait()
            finally:
                self._held -= 1
        if closed.is_set():
            raise ConnectionClosed

    def hold(self, seconds: float | None, closed: threading.Event) -> None:
        """A stall: wait ``seconds`` (None: forever) unless resume() comes first; counted as held.
        Raises ConnectionClosed if the connection ends meanwhile."""
        deadline = None if seconds is None else time.monotonic() + seconds
        with self._gate:
            releases = self._releases
            self._held += 1
            self._gate.notify_all()
            try:
                while self._releases == releases and not closed.is_set():
                    remaining = None if deadline is None else deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        break
                    self._gate.wait(remaining)
            finally:
                self._held -= 1
        if closed.is_set():
            raise ConnectionClosed

    def wake_gate(self) -> None:
        """Let waiters at the gate see that their connection ended."""
        with self._gate:
            self._gate.notify_all()

    def wait_held(self, count: int, timeout: float) -> bool:
        """Wait until ``count`` chunks are held by pause() or a stall; False after ``timeout`` seconds."""
        with self._gate:
            return self._gate.wait_for(lambda: self._held >= count, timeout)

    # Threads, so stop() can join every one of them.

    def spawn(self, role: str, target: Callable[[], None]) -> threading.Thread | None:
        """Start a daemon thread named after the proxy and ``role``; None once the proxy is stopping."""

        def run() -> None:
            try:
                target()
            except Exception:  # a bug in the proxy must not pass silently, nor kill the other threads
                logger.exception("%s: thread %s failed", self.name, role)
            finally:
                with self._lock:
                    self._threads.discard(thread)

        thread = threading.Thread(target=run, name=f"{self.name}-{role}", daemon=True)
        with self._lock:
            if self.stopping.is_set():
                return None
            self._threads.add(thread)
        thread.start()
        return thread

    def join_threads(self, deadline: float) -> list[str]:
        """Join every thread started by ``spawn``; the names of those still alive at ``deadline``."""
        while True:
            with self._lock:
                alive = [t for t in self._threads if t.is_alive() and t is not threading.current_thread()]
            if not alive or time.monotonic() >= deadline:
                return [t.name for t in alive]
            alive[0].join(max(0.0, deadline - time.monotonic()))
