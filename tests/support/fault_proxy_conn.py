"""One proxied client connection: its upstream socket, its two links, and the readers that feed them.

In ``tcp`` mode the readers copy bytes. In ``http`` mode the client reader delimits requests and
decides each one's fate (pass, drop the request, drop the response, duplicate); the server
reader delimits responses, matching them to requests in order (no pipelining reordering exists
in HTTP/1.1), so a response can be swallowed whole after the server has sent it.

Threads per connection: the client reader (which also opens the upstream socket), the server
reader, and one writer per direction. All sockets have a short timeout, so every loop notices
within a tick that the connection or the proxy ended.
"""

from __future__ import annotations

import collections
import functools
import logging
import random
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from tests.support.fault_proxy_config import Direction
from tests.support.fault_proxy_http import (
    HttpFramingError,
    IncompleteMessage,
    MessageReader,
    parse_head,
    request_framing,
    response_framing,
    response_status,
)
from tests.support.fault_proxy_link import BytePlan, Link
from tests.support.fault_proxy_state import ConnectionClosed, FaultEvent, ProxyState

logger = logging.getLogger(__name__)

#: Seconds a blocked socket call waits before it checks again whether its connection ended.
TICK = 0.25
_RECV_BYTES = 64 * 1024

Fate = Literal["pass", "drop_request", "drop_response", "duplicate"]
_REQUEST_FAULTS: tuple[Fate, ...] = ("drop_request", "drop_response", "duplicate")


@dataclass(frozen=True)
class _Pending:
    """A request forwarded upstream whose response has not been read yet."""

    method: str
    fate: Fate
    number: int | None


_UNSOLICITED = _Pending("GET", "pass", None)  # e.g. a 408 the server sends before closing


def _tune(sock: socket.socket) -> None:
    """A short timeout, so blocked calls notice the end of their connection; no Nagle, because the
    proxy writes a message in the pieces it read, and Nagle would hold the second piece for the
    peer's delayed ACK (about 40 ms per keep-alive request) as no real link does."""
    sock.settimeout(TICK)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def close_socket(sock: socket.socket, *, reset: bool = False) -> None:
    """Close ``sock``; with ``reset``, abortively (SO_LINGER 0), so the peer gets an RST, not a FIN."""
    try:
        if reset:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.shutdown(socket.SHUT_RD)  # wakes a reader blocked on it without sending anything
        else:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed by the peer or by another thread
    sock.close()


def request_fate(state: ProxyState, number: int) -> Fate:
    """The fate of request ``number``: its own random stream, so it depends on the seed and number only."""
    faults = state.faults
    rng = random.Random(f"{faults.seed}:request:{number}")
    draws = [rng.random() for _ in _REQUEST_FAULTS]  # always all three, so no setting shifts another
    for kind, draw in zip(_REQUEST_FAULTS, draws, strict=True):
        if draw < getattr(faults, kind) or number in getattr(faults, f"{kind}_on"):
            return kind
    return "pass"


class Connection:
    """A client connection and everything the proxy does for it."""

    def __init__(
        self,
        state: ProxyState,
        number: int,
        client: socket.socket,
        upstream: tuple[str, int],
        *,
        http: bool,
        idle_timeout: float,
        on_closed: Callable[[Connection], None],
    ) -> None:
        self.number = number
        self.closed = threading.Event()
        self._state = state
        self._client = client
        self._upstream = upstream
        self._http = http
        self._idle_timeout = idle_timeout
        self._on_closed = on_closed
        self._lock = threading.Lock()
        self._sockets = [client]
        self._links: list[Link] = []
        self._directions_done = 0
        self._pending: collections.deque[_Pending] = collections.deque()
        self._last_activity = time.monotonic()
        _tune(client)

    def _warn(self, message: str, *args: object) -> None:
        logger.warning(f"%s: connection %d: {message}", self._state.name, self.number, *args)

    # Ending the connection.

    def abort(self, *, reset: bool = False, because: FaultEvent | None = None) -> bool:
        """Close every socket of this connection now; the threads see it and end. False if it was
        already closed. ``because`` is logged once, before any peer can see the close."""
        with self._lock:
            if self.closed.is_set():
                return False
            self.closed.set()
            sockets = list(self._sockets)
        if because is not None:
            self._state.record(because)
        for sock in sockets:
            close_socket(sock, reset=reset)
        for link in self._links:
            link.wake()
        self._state.wake_gate()
        self._on_closed(self)
        return True

    def direction_done(self) -> None:
        """One direction delivered its end of stream; once both have, the connection is over."""
        with self._lock:
            self._directions_done += 1
            done = self._directions_done == 2
        if done:
            self.abort()

    # Socket I/O that notices the end of the connection and idleness within a tick.

    def _check_idle(self) -> None:
        idle = time.monotonic() - self._last_activity
        if idle >= self._idle_timeout and not self._state.is_paused():
            self.abort(because=FaultEvent("idle_close", self.number))
        if self.closed.is_set():
            raise ConnectionClosed

    def recv(self, sock: socket.socket, direction: Direction | None, size: int = _RECV_BYTES) -> bytes:
        """Read what ``sock`` has (b"" at its end of stream), counting it as received in ``direction``."""
        while True:
            self._check_idle()
            try:
                data = sock.recv(size)
            except TimeoutError:
                continue
            except OSError as error:
                # A peer's reset is passed on as a reset; the connection is over either way.
                self.abort(reset=isinstance(error, ConnectionResetError))
                raise ConnectionClosed from error
            self._last_activity = time.monotonic()
            if direction is not None:
                self._state.count(f"bytes_in_{direction}", len(data))
            return data

    def send_all(self, sock: socket.socket, data: bytes, direction: Direction | None) -> None:
        """Write all of ``data`` to ``sock``, counting it as sent in ``direction``."""
        view = memoryview(data)
        while view:
            self._check_idle()
            try:
                sent = sock.send(view)
            except TimeoutError:
                continue
            except OSError as error:
                self.abort(reset=isinstance(error, ConnectionResetError))
                raise ConnectionClosed from error
            self._last_activity = time.monotonic()
            if direction is not None:
                self._state.count(f"bytes_out_{direction}", sent)
            view = view[sent:]

    # Running it.

    def run(self) -> None:
        """Open the upstream socket, start the other three threads, then read the client here."""
        try:
            server = self._open_upstream()
        except ConnectionClosed:
            return
        except OSError as error:
            self._warn("upstream %s: %s", self._upstream, error)
            self._state.record(FaultEvent("upstream_failed", self.number))
            self.abort()
            return
        up, down = self._make_link(Direction.UP, server), self._make_link(Direction.DOWN, self._client)
        self._links = [up, down]
        n = self.number
        started = [
            self._state.spawn(f"c{n}-up", up.run),
            self._state.spawn(f"c{n}-down", down.run),
            self._state.spawn(f"c{n}-server", lambda: self._read_server(server, down)),
        ]
        if None in started:  # the proxy is stopping
            self.abort()
            return
        self._read_client(up, down)

    def _open_upstream(self) -> socket.socket:
        """A new socket to the server, registered so abort() closes it too (raises OSError on failure)."""
        server = socket.create_connection(self._upstream, timeout=5)
        _tune(server)
        with self._lock:
            if self.closed.is_set():
                server.close()
                raise ConnectionClosed
            self._sockets.append(server)
        self._state.count("upstream_connections")
        return server

    def _make_link(self, direction: Direction, target: socket.socket) -> Link:
        faults = self._state.faults
        stream = f"{faults.seed}:{self.number}:{direction}"
        plan = BytePlan.draw(faults.direction(direction), random.Random(stream), self.number)
        return Link(self._state, self, direction, target, plan, random.Random(f"{stream}:chunks"))

    def _read_client(self, up: Link, down: Link) -> None:
        recv = functools.partial(self.recv, self._client, Direction.UP)
        try:
            if self._http:
                self._pump_requests(MessageReader(recv), up, down)
            else:
                self._pump_raw(recv, up)
        except ConnectionClosed:
            pass
        except HttpFramingError as error:
            self._warn("request: %s", error)
            self._state.record(FaultEvent("protocol_error", self.number, direction=Direction.UP))
            self.abort()

    def _read_server(self, server: socket.socket, down: Link) -> None:
        recv = functools.partial(self.recv, server, Direction.DOWN)
        try:
            if self._http:
                self._pump_responses(MessageReader(recv), down)
            else:
                self._pump_raw(recv, down)
        except ConnectionClosed:
            pass
        except HttpFramingError as error:
            self._warn("response: %s", error)
            self._state.record(FaultEvent("protocol_error", self.number, direction=Direction.DOWN))
            self.abort()

    @staticmethod
    def _pump_raw(recv: Callable[[int], bytes], link: Link) -> None:
        while data := recv(_RECV_BYTES):
            link.send(data)
        link.finish()

    # HTTP mode.

    def _pump_requests(self, reader: MessageReader, up: Link, down: Link) -> None:
        """Forward request after request, each according to its fate."""
        while (raw := reader.read_head()) is not None:
            head = parse_head(raw)
            framing = request_framing(head)
            number = self._state.next_number("requests")
            fate = request_fate(self._state, number)
            if fate == "drop_request":
                for _ in reader.body(framing):
                    pass
                self._state.record(FaultEvent(fate, self.number, request=number))
                down.close_after_pending()  # answers to earlier requests still reach the client
                return
            # Queued before the first byte goes upstream, so the server cannot answer before it.
            self._pending.append(_Pending(head.start[0], fate, number))
            try:
                if fate == "duplicate":
                    message = raw + b"".join(reader.body(framing))
                    self._send_copy(message, head.start[0], number)
                    up.send(message)
                else:
                    up.send(raw)
                    for piece in reader.body(framing):
                        up.send(piece)
            except IncompleteMessage:
                break  # the client went away mid-request: the server gets what came, then the end
        up.finish()

    def _pump_responses(self, reader: MessageReader, down: Link) -> None:
        """Forward response after response; swallow those whose request's fate is drop_response."""
        try:
            while (raw := reader.read_head()) is not None:
                head = parse_head(raw)
                pending = self._pending[0] if self._pending else _UNSOLICITED
                framing = response_framing(head, pending.method)
                if 100 <= response_status(head) < 200 and response_status(head) != 101:
                    down.send(raw)  # an interim answer (100 Continue): the final one follows
                    continue
                if self._pending:
                    self._pending.popleft()
                self._state.count("responses")
                if pending.fate == "drop_response":
                    for _ in reader.body(framing):  # read it all: the server has finished the request
                        pass
                    self._state.record(FaultEvent("drop_response", self.number, request=pending.number))
                    down.close_after_pending()
                    return
                down.send(raw)
                for piece in reader.body(framing):
                    down.send(piece)
        except IncompleteMessage:
            pass  # the server closed mid-response: the client gets what came, then the end
        down.finish()

    def _send_copy(self, message: bytes, method: str, number: int) -> None:
        """Deliver ``message`` once more on a new upstream connection and read its whole response, so
        the server has handled the copy before the original goes up."""
        try:
            sock = self._open_upstream()
        except OSError as error:
            self._warn("duplicate: %s", error)
            self._state.record(FaultEvent("duplicate_failed", self.number, request=number))
            return
        try:
            self.send_all(sock, message, None)
            reader = MessageReader(functools.partial(self.recv, sock, None))
            while (raw := reader.read_head()) is not None:
                head = parse_head(raw)
                for _ in reader.body(response_framing(head, method)):
                    pass
                if not 100 <= response_status(head) < 200:
                    break
            self._state.record(FaultEvent("duplicate", self.number, request=number))
        except HttpFramingError as error:
            self._warn("duplicate's response: %s", error)
            self._state.record(FaultEvent("duplicate_failed", self.number, request=number))
        finally:
            with self._lock:
                if sock in self._sockets:
                    self._sockets.remove(sock)
            close_socket(sock)
