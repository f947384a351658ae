"""The fault proxy between a real HTTP server (in this process) and real clients (requests, raw sockets).

Timing assertions are lower bounds only: a slow machine can make a transfer slower, never faster.
"""

from __future__ import annotations

import json
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.support.fault_proxy import ByteFaults, Direction, FaultProxy, Faults

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 10  # seconds: every client call has one, so a proxy bug fails a test instead of hanging it


def payload(size: int, seed: int = 0) -> bytes:
    """``size`` reproducible random bytes."""
    return random.Random(seed).randbytes(size)


def wait_until(condition: Callable[[], bool], timeout: float = TIMEOUT) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` passes (for state with no event to wait on)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        threading.Event().wait(0.01)
    return True


def caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    """Whether ``kind`` is anywhere in the chain requests and urllib3 wrap around a socket error."""
    stack, seen = [error], set()
    while stack:
        e = stack.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, kind):
            return True
        stack += [
            x
            for x in (e.__cause__, e.__context__, getattr(e, "reason", None), *e.args)
            if isinstance(x, BaseException)
        ]
    return False


def proxy_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("fault-proxy")]


# A tiny real HTTP/1.1 server that records what it received.


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    body: bytes
    complete: bool


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real sync server answers
    disable_nagle_algorithm = True  # else each keep-alive answer waits ~40 ms for a delayed ACK
    server: RecordingServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _body(self) -> tuple[bytes, bool]:
        if "chunked" in self.headers.get("Transfer-Encoding", ""):
            parts = []
            while (line := self.rfile.readline()) and (size := int(line.split(b";")[0], 16)):
                data = self.rfile.read(size + 2)
                parts.append(data[:size])
            while self.rfile.readline() not in (b"\r\n", b""):
                pass
            return b"".join(parts), bool(line)
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        return body, len(body) == length

    def _answer(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {"Content-Length": str(len(body))}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_POST(self) -> None:
        body, complete = self._body()
        self.server.record(Seen("POST", self.path, body, complete))  # before answering, as a commit is
        if complete:
            self._answer(200, body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        size = int(parse_qs(url.query).get("n", ["0"])[0])
        self.server.record(Seen(self.command, self.path, b"", True))
        if url.path == "/bytes":
            self._answer(200, payload(size), {"Content-Length": str(size)})
        elif url.path == "/chunked":
            self._answer(200, headers={"Transfer-Encoding": "chunked"})
            for start in range(0, size, 1000):
                piece = payload(size)[start : start + 1000]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        elif url.path == "/close":  # no length: the body ends when the server closes
            self._answer(200, headers={"Connection": "close"})
            self.wfile.write(payload(size))
            self.close_connection = True
        else:
            self._answer(204, headers={})


class RecordingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[Seen] = []
        self._changed = threading.Condition()

    @property
    def address(self) -> tuple[str, int]:
        return "127.0.0.1", int(self.server_address[1])

    def record(self, seen: Seen) -> None:
        with self._changed:
            self.seen.append(seen)
            self._changed.notify_all()

    def wait_seen(self, count: int, timeout: float = TIMEOUT) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: len(self.seen) >= count, timeout)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the proxy cuts and resets connections on purpose


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    httpd = RecordingServer()
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), name="test-http-server", daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(TIMEOUT)


@pytest.fixture
def proxy(server: RecordingServer) -> Iterator[FaultProxy]:
    with FaultProxy(server.address) as running:
        yield running
    assert proxy_threads() == []


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


def raw_exchange(port: int, request: bytes) -> bytes:
    """Send ``request`` on a plain socket and read until the proxy closes it."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
        sock.sendall(request)
        chunks = []
        while data := sock.recv(65536):
            chunks.append(data)
        return b"".join(chunks)


def in_thread(call: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    """Run ``call`` in a thread; its result or exception lands in the returned dict."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = call()
        except Exception as error:
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


# Pass-through.


def test_pass_through_keeps_bodies_byte_identical_on_one_keep_alive_connection(
    proxy: FaultProxy, server: RecordingServer, session: requests.Session
) -> None:
    bodies = [b"", b"x", payload(1000, 1), payload(3_000_000, 2), payload(70_000, 3)]
    for body in bodies:
        answer = session.post(f"{proxy.url}/echo", data=body, timeout=TIMEOUT)
        assert answer.status_code == 200
        assert answer.content == body
    assert [seen.body for seen in server.seen] == bodies
    # A write is counted just after it returns, so the peer may answer before the count catches up.
    assert wait_until(lambda: proxy.stats().bytes_in == proxy.stats().bytes_out)
    stats = proxy.stats()
    assert (stats.connections, stats.requests, stats.responses, stats.faults) == (1, 5, 5, {})
    assert stats.bytes_in[Direction.UP] > sum(map(len, bodies)) < stats.bytes_in[Direction.DOWN]


def test_message_boundaries_hold_through_head_chunked_204_and_close_delimited_answers(
    proxy: FaultProxy, server: RecordingServer, session: requests.Session
) -> None:
    # If the proxy misjudged where any answer ends, the scheduled drop would hit another request.
    proxy.configure(drop_response_on={6})
    url = proxy.url
    assert session.get(f"{url}/bytes?n=5000", timeout=TIMEOUT).content == payload(5000)
    head = session.head(f"{url}/bytes?n=5000", timeout=TIMEOUT)
    assert (head.headers["Content-Length"], head.content) == ("5000", b"")
    assert session.get(f"{url}/chunked?n=12345", timeout=TIMEOUT).content == payload(12345)
    assert session.get(f"{url}/empty", timeout=TIMEOUT).status_code == 204
    streamed = payload(30_000, 9)
    pieces = (streamed[i : i + 7000] for i in range(0, len(streamed), 7000))  # sent chunked
    assert session.post(f"{url}/echo", data=pieces, timeout=TIMEOUT).content == streamed
    assert proxy.stats().connections == 1
    with pytest.raises(requests.ConnectionError):
        session.post(f"{url}/echo", data=b"sixth", timeout=TIMEOUT)
    assert server.seen[5] == Seen("POST", "/echo", b"sixth", True)
    assert session.get(f"{url}/close?n=3000", timeout=TIMEOUT).content == payload(3000)
    assert session.get(f"{url}/bytes?n=10", timeout=TIMEOUT).content == payload(10)
    assert [(e.kind, e.request) for e in proxy.events()] == [("drop_response", 6)]
    assert proxy.stats().connections == 3  # the drop and the close-delimited answer each end one


# Whole-request faults.


def test_a_dropped_request_never_reaches_the_server(
    proxy: FaultProxy, server: RecordingServer, session: requests.Session
) -> None:
    proxy.configure(drop_request=1.0)
    with pytest.raises(requests.ConnectionError):
        session.post(f"{proxy.url}/echo", data=payload(100_000), timeout=TIMEOUT)
    assert server.seen == []
    assert [(e.kind, e.request) for e in proxy.events()] == [("drop_request", 1)]
    proxy.configure(drop_request=0.0)
    assert session.post(f"{proxy.url}/echo", data=b"after", timeout=TIMEOUT).content == b"after"


def test_a_dropped_response_leaves_the_server_having_handled_the_request_once(
    proxy: FaultProxy, server: RecordingServer, session: requests.Session
) -> None:
    proxy.configure(drop_response=1.0)
    with pytest.raises(requests.ConnectionError):
        session.post(f"{proxy.url}/echo", data=b"committed", timeout=TIMEOUT)
    # No waiting: the proxy read the whole answer before closing, so the server is done.
    assert server.seen == [Seen("POST", "/echo", b"committed", True)]
    assert proxy.stats().faults == {"drop_response": 1}


def test_a_duplicated_request_reaches_the_server_twice_and_the_client_once(
    proxy: FaultProxy, server: RecordingServer, session: requests.Session
) -> None:
    proxy.configure(duplicate=1.0)
    body = payload(200_000, 4)
    answer = session.post(f"{proxy.url}/echo", data=body, timeout=TIMEOUT)
    assert (answer.status_code, answer.content) == (200, body)
    assert server.seen == [Seen("POST", "/echo", body, True)] * 2
    stats = proxy.stats()
    assert (stats.upstream_connections, stats.responses, stats.faults) == (2, 1, {"duplicate": 1})


# Byte faults.


def test_a_cut_answer_stops_exactly_at_the_drawn_byte(proxy: FaultProxy) -> None:
    proxy.configure(down_cut=1.0, down_cut_after=(1000, 40_000))
    received = raw_exchange(proxy.port, b"GET /bytes?n=50000 HTTP/1.1\r\nHost: t\r\n\r\n")
    [cut] = proxy.events()
    assert (cut.kind, cut.direction) == ("cut", Direction.DOWN)
    assert cut.offset is not None and 1000 <= cut.offset <= 40_000
    assert len(received) == cut.offset
    body = received.split(b"\r\n\r\n", 1)[1]
    assert body == payload(50_000)[: len(body)]


def test_a_cut_upload_in_tcp_mode_forwards_exactly_the_drawn_prefix() -> None:
    sink = socket.create_server(("127.0.0.1", 0))
    received = bytearray()

    def drain() -> None:
        conn, _ = sink.accept()
        with conn:
            while data := conn.recv(65536):
                received.extend(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    faults = Faults(seed=3, up=ByteFaults(cut=1.0, cut_after=(10_000, 90_000)))
    data = payload(100_000, 5)
    with FaultProxy(sink.getsockname(), faults, mode="tcp") as proxy:
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=TIMEOUT) as client:
            try:
                client.sendall(data)
                client.recv(1)
            except OSError:
                pass  # the proxy closed on the client while it was still sending: that is the fault
        reader.join(TIMEOUT)
        [cut] = proxy.events()
    sink.close()
    assert cut.offset is not None and 10_000 <= cut.offset <= 90_000
    assert bytes(received) == data[: cut.offset]


def test_a_cut_upload_reaches_the_server_truncated_and_fails_the_client(
    proxy: FaultProxy, server: RecordingServer, session: requests.Session
) -> None:
    proxy.configure(up_cut=1.0, up_cut_after=(1000, 100_000))
    body = payload(200_000, 6)
    with pytest.raises(requests.ConnectionError):
        session.post(f"{proxy.url}/echo", data=body, timeout=TIMEOUT)
    assert server.wait_seen(1)
    [seen] = server.seen
    assert not seen.complete
    assert 0 < len(seen.body) < len(body)
    assert seen.body == body[: len(seen.body)]


def test_a_reset_reaches_the_client_as_a_connection_reset(
    proxy: FaultProxy, session: requests.Session
) -> None:
    proxy.configure(down_reset=1.0, down_reset_after=(0, 0))
    with pytest.raises(ConnectionResetError):
        raw_exchange(proxy.port, b"GET /bytes?n=10 HTTP/1.1\r\nHost: t\r\n\r\n")
    with pytest.raises(requests.ConnectionError) as caught:
        session.get(f"{proxy.url}/bytes?n=10", timeout=TIMEOUT)
    assert caused_by(caught.value, ConnectionResetError)
    assert [e.kind for e in proxy.events()] == ["reset", "reset"]


def test_a_reset_mid_upload_fails_the_upload(
    proxy: FaultProxy, server: RecordingServer, session: requests.Session
) -> None:
    proxy.configure(up_reset=1.0, up_reset_after=(5000, 100_000))
    with pytest.raises(requests.ConnectionError):
        session.post(f"{proxy.url}/echo", data=payload(300_000), timeout=TIMEOUT)
    [reset] = proxy.events()
    assert (reset.kind, reset.direction) == ("reset", Direction.UP)
    assert all(not seen.complete for seen in server.seen)


@pytest.mark.parametrize("direction", [Direction.UP, Direction.DOWN])
def test_a_throttled_transfer_takes_at_least_size_over_rate(
    proxy: FaultProxy, session: requests.Session, direction: Direction
) -> None:
    size, rate = 100_000, 200_000.0  # at least 0.5 s
    proxy.configure(**{f"{direction}_rate": rate})
    start = time.monotonic()
    if direction is Direction.UP:
        session.post(f"{proxy.url}/echo", data=payload(size), timeout=TIMEOUT)
    else:
        session.get(f"{proxy.url}/bytes?n={size}", timeout=TIMEOUT)
    assert time.monotonic() - start >= size / rate
    assert proxy.stats().faults["throttle"] > 0


def test_a_shared_rate_is_the_total_of_all_connections(proxy: FaultProxy) -> None:
    size, rate = 60_000, 200_000.0
    proxy.configure(up_rate=rate, up_rate_shared=True)
    start = time.monotonic()
    uploads = [in_thread(lambda: requests.post(f"{proxy.url}/echo", data=payload(size), timeout=TIMEOUT))]
    uploads.append(in_thread(lambda: requests.post(f"{proxy.url}/echo", data=payload(size), timeout=TIMEOUT)))
    for thread, outcome in uploads:
        thread.join(TIMEOUT)
        assert outcome["result"].status_code == 200
    # Each alone would take 0.3 s; together through one link at least 0.6 s, less one burst of 50 ms.
    assert time.monotonic() - start >= (2 * size - rate / 20) / rate
    assert proxy.stats().connections == 2


def test_latency_delays_each_direction_at_least_by_its_setting(
    proxy: FaultProxy, session: requests.Session
) -> None:
    proxy.configure(up_latency=0.2, down_latency=0.3, jitter=0.05)
    start = time.monotonic()
    assert session.get(f"{proxy.url}/bytes?n=10", timeout=TIMEOUT).content == payload(10)
    assert time.monotonic() - start >= 0.15 + 0.25
    assert proxy.stats().faults["latency"] >= 2


def test_latency_on_one_connection_does_not_hold_another(
    proxy: FaultProxy, server: RecordingServer, session: requests.Session
) -> None:
    proxy.configure(up_latency=60.0)
    slow, outcome = in_thread(lambda: requests.get(f"{proxy.url}/bytes?n=1", timeout=120))
    assert wait_until(lambda: proxy.stats().faults.get("latency", 0) >= 1)  # its request is being delayed
    proxy.configure(up_latency=0.0)
    assert session.get(f"{proxy.url}/bytes?n=5", timeout=TIMEOUT).content == payload(5)
    assert slow.is_alive() and [s.path for s in server.seen] == ["/bytes?n=5"]
    proxy.stop()  # also ends a connection in the middle of its latency
    slow.join(TIMEOUT)
    assert isinstance(outcome["error"], requests.ConnectionError)


def test_a_sliced_stream_arrives_intact(proxy: FaultProxy, session: requests.Session) -> None:
    proxy.configure(slice_bytes=(1, 64), slice_delay=(0.0, 0.0002))
    body = payload(20_000, 8)
    assert session.post(f"{proxy.url}/echo", data=body, timeout=TIMEOUT).content == body
    assert proxy.stats().faults["slice"] >= 2 * len(body) // 64


def test_a_stall_holds_the_stream_for_its_duration(proxy: FaultProxy, session: requests.Session) -> None:
    proxy.configure(down_stall=1.0, down_stall_after=(0, 0), down_stall_for=0.3)
    start = time.monotonic()
    assert session.get(f"{proxy.url}/bytes?n=10", timeout=TIMEOUT).content == payload(10)
    assert time.monotonic() - start >= 0.3
    proxy.configure(down_stall_close=True)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{proxy.url}/bytes?n=10", timeout=TIMEOUT)
    assert [e.kind for e in proxy.events()] == ["stall", "stall"]


def test_an_endless_stall_is_a_hang_the_client_times_out_on(proxy: FaultProxy) -> None:
    proxy.configure(up_stall=1.0, up_stall_after=(10, 10), up_stall_for=0.0)
    with pytest.raises(requests.ReadTimeout):
        requests.get(f"{proxy.url}/bytes?n=10", timeout=0.5)
    assert proxy.stats().open_connections == 1  # the hang lasts until stop() (or the idle timeout)


def test_a_hang_mid_upload_lasts_until_resume(
    proxy: FaultProxy, server: RecordingServer, session: requests.Session
) -> None:
    proxy.configure(up_stall=1.0, up_stall_after=(5000, 50_000), up_stall_for=0.0)
    body = payload(100_000, 7)
    upload, outcome = in_thread(lambda: session.post(f"{proxy.url}/echo", data=body, timeout=TIMEOUT))
    assert proxy.wait_held()  # the server has part of the body, the client waits for an answer
    assert server.seen == [] and upload.is_alive()
    proxy.resume()
    upload.join(TIMEOUT)
    assert outcome["result"].content == body
    assert [s.body for s in server.seen] == [body]
    [stall] = proxy.events()
    assert stall.offset is not None and 5000 <= stall.offset <= 50_000


def test_an_idle_connection_is_closed_after_the_idle_timeout(server: RecordingServer) -> None:
    with FaultProxy(server.address, idle_timeout=0.3) as proxy:
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=TIMEOUT) as idle:
            assert idle.recv(1) == b""  # the proxy closed it
        assert [e.kind for e in proxy.events()] == ["idle_close"]


def test_a_refused_upstream_closes_the_client_connection() -> None:
    with socket.create_server(("127.0.0.1", 0)) as unused:
        address = unused.getsockname()
    with FaultProxy(address) as proxy:
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{proxy.url}/x", timeout=TIMEOUT)
        assert [e.kind for e in proxy.events()] == ["upstream_failed"]


def test_a_client_speaking_no_http_is_closed_in_http_mode(proxy: FaultProxy, server: RecordingServer) -> None:
    assert raw_exchange(proxy.port, b"\x16\x03\x01 not http\r\n\r\n") == b""
    assert [(e.kind, e.direction) for e in proxy.events()] == [("protocol_error", Direction.UP)]
    assert server.seen == []


# Pause and resume (R9: edit while the upload hangs).


def test_pause_holds_a_request_before_the_server_until_resume(
    proxy: FaultProxy, server: RecordingServer, session: requests.Session
) -> None:
    proxy.pause()
    upload, outcome = in_thread(lambda: session.post(f"{proxy.url}/echo", data=b"v1", timeout=TIMEOUT))
    assert proxy.wait_held()
    assert server.seen == [] and upload.is_alive()  # held: the server cannot have it
    proxy.resume()
    upload.join(TIMEOUT)
    assert outcome["result"].content == b"v1"
    assert [s.body for s in server.seen] == [b"v1"]


def test_pausing_answers_holds_a_response_the_server_has_already_sent(
    proxy: FaultProxy, server: RecordingServer, session: requests.Session
) -> None:
    proxy.pause(Direction.DOWN)
    upload, outcome = in_thread(lambda: session.post(f"{proxy.url}/echo", data=b"v1", timeout=TIMEOUT))
    assert proxy.wait_held()
    assert [s.body for s in server.seen] == [b"v1"] and upload.is_alive()
    proxy.resume(Direction.DOWN)
    upload.join(TIMEOUT)
    assert outcome["result"].content == b"v1"


# Replay and stop.


def faults_seen(server: RecordingServer, seed: int) -> tuple[list[tuple[object, ...]], list[str]]:
    """The fault log and the client's outcomes for 30 uploads through a faulty proxy seeded ``seed``."""
    faults = Faults(
        seed=seed,
        drop_request=0.2,
        drop_response=0.2,
        duplicate=0.2,
        up=ByteFaults(cut=0.3, cut_after=(300, 3000)),
    )
    outcomes = []
    with FaultProxy(server.address, faults) as proxy, requests.Session() as client:
        for i in range(30):
            try:
                client.post(f"{proxy.url}/echo", data=payload(2000, i), timeout=TIMEOUT)
                outcomes.append("ok")
            except requests.ConnectionError:
                outcomes.append("error")
        events: list[tuple[object, ...]] = [
            (e.kind, e.connection, e.request, e.direction, e.offset) for e in proxy.events()
        ]
    return events, outcomes


def test_the_same_seed_gives_the_same_faults(server: RecordingServer) -> None:
    first = faults_seen(server, 11)
    assert {e[0] for e in first[0]} == {"drop_request", "drop_response", "duplicate", "cut"}
    assert faults_seen(server, 11) == first
    assert faults_seen(server, 12) != first


def test_stop_ends_every_connection_and_thread(server: RecordingServer) -> None:
    proxy = FaultProxy(server.address).start()
    idle = socket.create_connection(("127.0.0.1", proxy.port), timeout=TIMEOUT)
    idle.sendall(b"GET /bytes?n=3 HTTP/1.1\r\nHost: t\r\n\r\n")
    answer = b""
    while not answer.endswith(payload(3)):
        answer += idle.recv(65536)  # then it is an idle keep-alive connection
    proxy.configure(down_rate=10_000.0)
    slow, slow_outcome = in_thread(lambda: requests.get(f"{proxy.url}/bytes?n=1000000", timeout=TIMEOUT))
    assert wait_until(lambda: proxy.stats().bytes_out[Direction.DOWN] > 3000)
    proxy.pause(Direction.UP)
    held, held_outcome = in_thread(lambda: requests.post(f"{proxy.url}/echo", data=b"x", timeout=TIMEOUT))
    assert proxy.wait_held()
    assert proxy.stats().open_connections == 3

    proxy.stop()

    assert proxy_threads() == []
    assert proxy.stats().open_connections == 0
    assert idle.recv(1) == b""
    idle.close()
    for thread, outcome in ((slow, slow_outcome), (held, held_outcome)):
        thread.join(TIMEOUT)
        assert isinstance(outcome["error"], requests.RequestException)  # a broken or truncated answer
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", proxy.port), timeout=TIMEOUT).close()


# As a separate process.


class ChildLines:
    """The lines of a child's output stream, read by a thread so a wait never blocks on buffering."""

    def __init__(self, stream: Any) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: Any) -> None:
        for line in stream:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()

    def wait_for(self, text: str, timeout: float = 30) -> bool:
        """Wait until a line contains ``text``."""
        with self._changed:
            return self._changed.wait_for(lambda: any(text in line for line in self.lines), timeout)

    def close(self) -> str:
        """Everything, once the stream has ended."""
        self._thread.join(TIMEOUT)
        return "".join(self.lines)


def test_the_proxy_runs_as_a_process_and_stops_on_sigterm(
    server: RecordingServer, session: requests.Session, tmp_path: Path
) -> None:
    stats_file = tmp_path / "stats.json"
    command = [sys.executable, "-m", "tests.support.fault_proxy", "--listen", "127.0.0.1:0"]
    command += ["--upstream", f"127.0.0.1:{server.address[1]}", "--seed", "3", "--drop-request-on", "2"]
    command += ["--up-latency", "0.01", "--stats-file", str(stats_file)]
    command += ["--log-level", "INFO"]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = ChildLines(child.stdout), ChildLines(child.stderr)
    try:
        assert stdout.wait_for("\n")
        url = f"http://127.0.0.1:{int(stdout.lines[0])}"
        assert session.post(f"{url}/echo", data=b"one", timeout=TIMEOUT).content == b"one"
        with pytest.raises(requests.ConnectionError):
            session.post(f"{url}/echo", data=b"two", timeout=TIMEOUT)
        assert session.post(f"{url}/echo", data=b"three", timeout=TIMEOUT).content == b"three"
        child.send_signal(signal.SIGUSR1)
        assert stderr.wait_for("paused")
        upload, outcome = in_thread(lambda: requests.post(f"{url}/echo", data=b"four", timeout=TIMEOUT))
        # A negative check needs a window; it can only pass wrongly (if the hold were broken), never fail.
        assert not server.wait_seen(3, timeout=0.3)
        child.send_signal(signal.SIGUSR2)
        upload.join(TIMEOUT)
        assert outcome["result"].content == b"four"
        child.send_signal(signal.SIGTERM)
        assert child.wait(TIMEOUT) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert "Traceback" not in stderr.close()
    assert stdout.close() == stdout.lines[0]  # the port is the only thing printed
    assert [s.body for s in server.seen] == [b"one", b"three", b"four"]
    report = json.loads(stats_file.read_text(encoding="utf-8"))
    assert report["stats"]["requests"] == 4
    assert report["stats"]["faults"]["drop_request"] == 1
    assert [(e["kind"], e["request"]) for e in report["events"]] == [("drop_request", 2)]
