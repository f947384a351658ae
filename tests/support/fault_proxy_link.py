"""One direction of one proxied connection: a queue of chunks and the thread that delivers them
through the byte faults (pause gate, latency, slices, cut, reset, stall, bandwidth)."""

from __future__ import annotations

import collections
import random
import socket
import threading
import time
from dataclasses import dataclass
from typing import Protocol

from tests.support.fault_proxy_config import ByteFaults, Direction
from tests.support.fault_proxy_state import ConnectionClosed, FaultEvent, ProxyState, TokenBucket

#: Chunks a reader may queue ahead of the writer before it blocks (back-pressure, bounded memory).
MAX_QUEUED = 64


@dataclass(frozen=True)
class _Data:
    payload: bytes
    arrived: float  # monotonic time the reader got it: latency counts from here


class _Finish:
    """The sender closed its side: pass the end of stream on (half-close)."""


class _Close:
    """End the whole connection once everything queued before has been delivered."""


_Item = _Data | _Finish | _Close


@dataclass(frozen=True)
class BytePlan:
    """Where the discrete byte faults of one direction of one connection fire (byte offsets)."""

    stall_at: int | None = None
    cut_at: int | None = None
    reset_at: int | None = None

    @classmethod
    def draw(cls, faults: ByteFaults, rng: random.Random, connection: int) -> BytePlan:
        """Draw the plan; every draw happens whatever the settings, so one setting never shifts another's."""
        points: dict[str, int | None] = {}
        for kind in ("stall", "cut", "reset"):
            hit = rng.random() < getattr(faults, kind)
            low, high = getattr(faults, f"{kind}_after")
            offset = rng.randint(low, high)
            points[f"{kind}_at"] = offset if hit or connection in getattr(faults, f"{kind}_on") else None
        return cls(**points)


class ConnectionControl(Protocol):
    """What a link needs from its connection: its number, its end, its socket writes."""

    number: int
    closed: threading.Event

    def abort(self, *, reset: bool = False) -> bool:
        """End the connection (with an RST if ``reset``); False if it had already ended."""

    def direction_done(self) -> None:
        """One direction has delivered its end of stream."""

    def send_all(self, sock: socket.socket, data: bytes, direction: Direction | None) -> None:
        """Write all of ``data``; raise ConnectionClosed if the connection ends first."""


class Link:
    """Delivers the chunks queued by a reader to ``sock`` in order, through the byte faults."""

    def __init__(
        self,
        state: ProxyState,
        connection: ConnectionControl,
        direction: Direction,
        sock: socket.socket,
        plan: BytePlan,
        rng: random.Random,
    ) -> None:
        self._state = state
        self._conn = connection
        self._direction = direction
        self._sock = sock
        self._plan = plan
        self._rng = rng  # per-chunk draws (jitter, slices) only, so the plan stays reproducible
        self._queue: collections.deque[_Item] = collections.deque()
        self._ready = threading.Condition()
        self._sent = 0
        self._due = 0.0  # when the previous chunk was due: later chunks never overtake it
        self._bucket = TokenBucket()
        self._fired: set[str] = set()

    # The reader's side.

    def send(self, payload: bytes) -> None:
        """Queue ``payload``; blocks while the queue is full; raises ConnectionClosed once it ended."""
        self._put(_Data(payload, time.monotonic()))

    def finish(self) -> None:
        """Queue the end of stream of this direction."""
        self._put(_Finish(), force=True)

    def close_after_pending(self) -> None:
        """Queue the end of the connection after what is already queued."""
        self._put(_Close(), force=True)

    def wake(self) -> None:
        """Let a reader or the writer blocked on the queue see that the connection ended."""
        with self._ready:
            self._ready.notify_all()

    def _put(self, item: _Item, *, force: bool = False) -> None:
        with self._ready:
            while len(self._queue) >= MAX_QUEUED and not force and not self._conn.closed.is_set():
                self._ready.wait()
            if self._conn.closed.is_set():
                if force:
                    return
                raise ConnectionClosed
            self._queue.append(item)
            self._ready.notify_all()

    # The writer's side (runs in its own thread).

    def run(self) -> None:
        """Deliver until the end of stream, a fault or the end of the connection."""
        try:
            while (item := self._next()) is not None:
                if isinstance(item, _Finish):
                    self._sock.shutdown(socket.SHUT_WR)
                    self._conn.direction_done()
                    return
                if isinstance(item, _Close):
                    self._conn.abort()
                    return
                self._deliver(item)
        except (ConnectionClosed, OSError):
            self._conn.abort()

    def _next(self) -> _Item | None:
        with self._ready:
            while not self._queue and not self._conn.closed.is_set():
                self._ready.wait()
            if self._conn.closed.is_set():
                return None
            item = self._queue.popleft()
            self._ready.notify_all()
            return item

    def _wait(self, seconds: float | None) -> None:
        """Sleep unless the connection ends first (None: until it ends)."""
        if self._conn.closed.wait(seconds):
            raise ConnectionClosed

    def _deliver(self, item: _Data) -> None:
        self._state.pass_gate(self._direction, self._conn.closed)
        faults = self._state.faults.direction(self._direction)
        self._delay(item.arrived, faults)
        for piece in self._slices(item.payload, faults):
            self._send_through_points(piece)
            if faults.slice_bytes is not None:
                self._state.count_fault("slice")
                self._wait(self._rng.uniform(*faults.slice_delay))

    def _delay(self, arrived: float, faults: ByteFaults) -> None:
        """Latency counts from arrival and chunks stay in order, so a long body is not delayed per chunk."""
        if not (faults.latency or faults.jitter):
            return
        delay = max(0.0, faults.latency + self._rng.uniform(-faults.jitter, faults.jitter))
        self._due = max(self._due, arrived + delay)
        self._state.count_fault("latency")
        self._wait(max(0.0, self._due - time.monotonic()))

    def _slices(self, payload: bytes, faults: ByteFaults) -> list[bytes]:
        if faults.slice_bytes is None:
            return [payload]
        pieces, start = [], 0
        while start < len(payload):
            size = self._rng.randint(*faults.slice_bytes)
            pieces.append(payload[start : start + size])
            start += size
        return pieces

    def _send_through_points(self, piece: bytes) -> None:
        """Send ``piece``, firing a planned stall, cut or reset at its offset (once each)."""
        while True:
            kind, at = self._next_point()
            if kind is None or at > self._sent + len(piece):
                self._send_paced(piece)
                return
            head, piece = piece[: at - self._sent], piece[at - self._sent :]
            self._send_paced(head)
            self._fire(kind)

    def _next_point(self) -> tuple[str | None, int]:
        points = [
            (at, kind)
            for kind, at in (
                ("stall", self._plan.stall_at),
                ("cut", self._plan.cut_at),
                ("reset", self._plan.reset_at),
            )
            if at is not None and kind not in self._fired
        ]
        if not points:
            return None, 0
        at, kind = min(points)
        return kind, max(at, self._sent)

    def _fire(self, kind: str) -> None:
        self._fired.add(kind)
        self._state.record(FaultEvent(kind, self._conn.number, direction=self._direction, offset=self._sent))
        if kind == "stall":
            faults = self._state.faults.direction(self._direction)
            self._state.hold(faults.stall_for or None, self._conn.closed)
            if not faults.stall_close:
                return
            self._conn.abort()
        else:
            self._conn.abort(reset=kind == "reset")
        raise ConnectionClosed

    def _send_paced(self, piece: bytes) -> None:
        """Send through the token bucket in pieces of about 50 ms of traffic, so the rate is smooth."""
        faults = self._state.faults.direction(self._direction)
        step = len(piece) if not faults.rate else int(min(16384, max(256, faults.rate / 20)))
        for start in range(0, len(piece), max(1, step)):
            sub = piece[start : start + step]
            if faults.rate:
                bucket = self._state.shared_buckets[self._direction] if faults.rate_shared else self._bucket
                if (wait := bucket.reserve(len(sub), faults.rate)) > 0:
                    self._state.count_fault("throttle")
                    self._wait(wait)
            self._conn.send_all(self._sock, sub, self._direction)
            self._sent += len(sub)
