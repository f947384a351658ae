"""Metering a real sync on the wire: the bytes through a FaultProxy per engine step, and the records.

- :class:`MeteredEngine`: the real :class:`SyncEngine` whose steps are metered on a
  :class:`tests.support.fault_proxy.FaultProxy` (the bytes on the wire, heads included).
- :class:`RecordingClient`: the real :class:`SyncClient`, keeping the versions it pushed and
  pulled (and the push answers), so the same records' JSON can be gzipped for the comparison.
- :func:`metered_sync`: one whole sync of a SyncService's profile, built as SyncService builds it.
"""

from __future__ import annotations

import contextlib
import gzip
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import requests

from desktop.sync_service import SyncService
from sync import protocol as p
from sync.client import RetryPolicy, SyncClient
from sync.engine import SyncEngine, SyncReport
from tests.support.fault_proxy import Direction, FaultProxy


@dataclass
class WireFigures:
    """Bytes and requests through the proxy, and what the client saw of the bodies."""

    up: int = 0  # request heads and bodies, as the server received them
    down: int = 0  # response heads and bodies, as the client received them
    requests: int = 0
    seconds: float = 0.0

    @property
    def total(self) -> int:
        """Both directions."""
        return self.up + self.down

    def add(self, other: WireFigures) -> None:
        """Add another step's figures."""
        self.up += other.up
        self.down += other.down
        self.requests += other.requests
        self.seconds += other.seconds


def _settled(proxy: FaultProxy) -> tuple[int, int, int]:
    """(up, down, requests) once every byte read is also written (the counters lag a write)."""
    deadline = time.monotonic() + 2.0
    while True:
        stats = proxy.stats()
        done = all(stats.bytes_in.get(d, 0) == stats.bytes_out.get(d, 0) for d in Direction)
        if done or time.monotonic() > deadline:
            return (
                stats.bytes_out.get(Direction.UP, 0),
                stats.bytes_out.get(Direction.DOWN, 0),
                stats.requests,
            )
        time.sleep(0.002)


@contextlib.contextmanager
def metered(proxy: FaultProxy, into: WireFigures) -> Iterator[None]:
    """Add the bytes, requests and seconds of the ``with`` block to ``into``."""
    up, down, count = _settled(proxy)
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds = time.perf_counter() - start
        up2, down2, count2 = _settled(proxy)
        into.add(WireFigures(up2 - up, down2 - down, count2 - count, seconds))


@dataclass
class Encodings:
    """How the bodies travelled: gzip or not, request and response, and the head sizes."""

    requests_with_body: int = 0
    requests_gzip: int = 0
    request_body_bytes: int = 0  # as sent (compressed when gzip)
    responses: int = 0
    responses_gzip: int = 0
    response_body_bytes: int = 0  # as sent (Content-Length), compressed when gzip
    large_plain_responses: int = 0  # over 1 KB and not compressed

    def hook(self, response: requests.Response, *_args: Any, **_kwargs: Any) -> None:
        """A requests response hook (headers are read before the body)."""
        body = response.request.body
        if body:
            self.requests_with_body += 1
            self.request_body_bytes += len(body)
            self.requests_gzip += response.request.headers.get("Content-Encoding") == "gzip"
        self.responses += 1
        encoding = response.headers.get("Content-Encoding", "")
        self.responses_gzip += encoding == "gzip"
        length = int(response.headers.get("Content-Length") or 0)
        self.response_body_bytes += length
        self.large_plain_responses += encoding != "gzip" and length > 1024

    def describe(self) -> str:
        """One line for the output."""
        return (
            f"request bodies gzip-compressed: {self.requests_gzip}/{self.requests_with_body}; "
            f"responses gzip-compressed: {self.responses_gzip}/{self.responses} "
            f"({self.large_plain_responses} uncompressed responses over 1 KB)"
        )


class RecordingClient(SyncClient):
    """The real client, keeping every version pushed and every version pulled."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pushed: list[p.RecordVersion] = []
        self.pulled: list[p.RecordVersion] = []
        self.answers: list[p.PushResponse] = []
        self.network_seconds = 0.0  # in requests, from sending to the last byte of the answer

    def _send(self, *args: Any, **kwargs: Any) -> Any:
        """Time every request (the body is read inside, unless streamed)."""
        start = time.perf_counter()
        try:
            return super()._send(*args, **kwargs)
        finally:
            self.network_seconds += time.perf_counter() - start

    def push(self, changes: list[p.PushChange]) -> p.PushResponse:
        """Push, and keep what was sent."""
        self.pushed.extend(change.record for change in changes)
        answer = super().push(changes)
        self.answers.append(answer)
        return answer

    def pull(self, cursor: int, limit: int = p.DEFAULT_PULL_LIMIT) -> p.PullResponse:
        """Pull, and keep what came."""
        page = super().pull(cursor, limit)
        self.pulled.extend(entry.record for entry in page.changes if entry.record is not None)
        return page


class MeteredEngine(SyncEngine):
    """The real engine; each step's wire figures are added to ``steps[name]`` (a step may run twice)."""

    def __init__(self, *args: Any, proxy: FaultProxy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proxy = proxy
        self.steps: dict[str, WireFigures] = {}

    def _step(self, name: str) -> contextlib.AbstractContextManager[None]:
        return metered(self.proxy, self.steps.setdefault(name, WireFigures()))

    # The same signatures as the engine's (passed through, so a new option there needs nothing here).

    def upload_blobs(self, *args: Any, **kwargs: Any) -> Any:
        """Metered ``upload_blobs``."""
        with self._step("upload_blobs"):
            return super().upload_blobs(*args, **kwargs)

    def push(self, *args: Any, **kwargs: Any) -> Any:
        """Metered ``push``."""
        with self._step("push"):
            return super().push(*args, **kwargs)

    def check_feed(self, *args: Any, **kwargs: Any) -> Any:
        """Metered ``check_feed``."""
        with self._step("check_feed"):
            return super().check_feed(*args, **kwargs)

    def pull(self, *args: Any, **kwargs: Any) -> Any:
        """Metered ``pull``."""
        with self._step("pull"):
            return super().pull(*args, **kwargs)

    def reconcile(self, *args: Any, **kwargs: Any) -> Any:
        """Metered ``reconcile``."""
        with self._step("reconcile"):
            return super().reconcile(*args, **kwargs)

    def download_blobs(self, *args: Any, **kwargs: Any) -> Any:
        """Metered ``download_blobs``."""
        with self._step("download_blobs"):
            return super().download_blobs(*args, **kwargs)

    def verify(self, *args: Any, **kwargs: Any) -> Any:
        """Metered ``verify``."""
        with self._step("verify"):
            return super().verify(*args, **kwargs)

    def total(self) -> WireFigures:
        """Every step together."""
        figures = WireFigures()
        for step in self.steps.values():
            figures.add(step)
        return figures


@dataclass
class Synced:
    """One metered sync: the report, the wire figures per step and the versions that moved."""

    engine: MeteredEngine
    client: RecordingClient
    report: SyncReport
    seconds: float
    encodings: Encodings = field(default_factory=Encodings)


def metered_sync(
    service: SyncService, proxy: FaultProxy, *, pull_limit: int = p.DEFAULT_PULL_LIMIT
) -> Synced:
    """One whole sync of ``service``'s profile through ``proxy``, metered step by step.

    The engine is built as SyncService.sync builds it (same replica, same index updates),
    with a client that keeps the versions, and an HTTP session that notes the encodings.
    """
    encodings = Encodings()
    http = requests.Session()
    http.hooks["response"].append(encodings.hook)
    client = RecordingClient(
        service.server_url() or "", token=service.tokens.load(), session=http, retry=RetryPolicy(attempts=3)
    )
    engine = MeteredEngine(service.replica, client, proxy=proxy, pull_limit=pull_limit)
    start = time.perf_counter()
    try:
        report = engine.sync()
    finally:
        http.close()
    return Synced(engine, client, report, time.perf_counter() - start, encodings)


def slim_answer_saving(client: RecordingClient) -> tuple[int, int, int]:
    """What push answers would weigh if they did not repeat the payload the client just sent.

    A result whose stored version has the pushed payload and files keeps only its envelope
    (none at all when the revision is the pushed one too). Returns (the answers' gzip -6
    bytes, the same slimmed, results slimmed): an estimate of a protocol change, computed
    on the answers this run received.
    """
    pushed = {v.envelope.id: v for v in client.pushed}
    full = slim = slimmed = 0
    for answer in client.answers:
        results = []
        for result in answer.results:
            record, sent = result.record, pushed.get(result.record.envelope.id) if result.record else None
            if (
                record is None
                or sent is None
                or (record.payload, record.attachments) != (sent.payload, sent.attachments)
            ):
                results.append(result)
                continue
            slimmed += 1
            same_revision = record.envelope.revision == sent.envelope.revision
            envelope_only = p.RecordVersion(envelope=record.envelope, payload={})
            results.append(result.model_copy(update={"record": None if same_revision else envelope_only}))
        full += gzip6(answer.model_dump_json().encode("utf-8"))
        slim += gzip6(p.PushResponse(results=results).model_dump_json().encode("utf-8"))
    return full, slim, slimmed


def stored_versions(client: RecordingClient) -> set[tuple[str, str]]:
    """(id, revision) of every version the push answers handed back (the client holds them)."""
    return {
        (r.record.envelope.id, r.record.envelope.revision)
        for answer in client.answers
        for r in answer.results
        if r.record is not None
    } | {(v.envelope.id, v.envelope.revision) for v in client.pushed}


def json_of(versions: Iterable[p.RecordVersion]) -> bytes:
    """The records' JSON as the protocol writes it (envelope + payload + file refs), one array."""
    return b"[" + b",".join(v.model_dump_json().encode("utf-8") for v in versions) + b"]"


def gzip6(data: bytes) -> int:
    """Bytes of ``data`` after gzip -6."""
    return len(gzip.compress(data, compresslevel=6))


def kb(count: float) -> str:
    """Bytes as kB (1000) with one decimal, or bytes under 10 kB... always kB, for one column style."""
    return f"{count / 1000:,.1f} kB"


def ratio(numerator: float, denominator: float) -> str:
    """``1.23x`` (or n/a)."""
    return f"{numerator / denominator:.2f}x" if denominator else "n/a"


def line(label: str, *cells: str, width: int = 15) -> str:
    """One aligned line of a figures table with narrower cells than bench.common.row."""
    return f"{label:<36}" + "".join(f"{c:>{width}}" for c in cells)
