"""Run the real sync client against the real server app in-process, with seeded transport faults.

``ASGIAdapter`` is a ``requests`` transport adapter that hands each request to the
server's ASGI app on an event loop of its own, so ``sync.client.SyncClient`` talks to
``sync.server`` without a socket: thousands of syncs a minute on 2 cores (RELIABILITY.md
4.0 "in-process first"). Faults, each with its own probability and a seeded RNG:

- ``p_request``: the request never reaches the server (a ConnectionError);
- ``p_response``: the server handles the request (and commits), then the answer is lost
  (a ConnectionError): the classic duplicate-maker;
- ``p_duplicate``: the request is delivered twice; the client sees the second answer.

Counters say how many of each happened, so a test can check its faults really fired.
"""

from __future__ import annotations

import asyncio
import gzip
import random
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict


@dataclass
class Faults:
    """Fault probabilities and the seeded RNG that draws them."""

    p_request: float = 0.0
    p_response: float = 0.0
    p_duplicate: float = 0.0
    seed: int = 0
    rng: random.Random = field(init=False)
    counts: dict[str, int] = field(default_factory=lambda: {"request": 0, "response": 0, "duplicate": 0})

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def draw(self, kind: str, probability: float) -> bool:
        """True when this fault fires now (and count it)."""
        if probability and self.rng.random() < probability:
            self.counts[kind] += 1
            return True
        return False


class ASGIAdapter(BaseAdapter):
    """Sends requests' PreparedRequests to an ASGI app (``session.mount("http://", adapter)``).

    The app runs on an event loop this adapter owns, in the calling thread: no socket, no
    portal thread per request (Starlette's TestClient costs several milliseconds a request).
    """

    def __init__(self, app: Any, faults: Faults | None = None):
        super().__init__()
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.faults = faults or Faults()
        self.enabled = True  # a test turns faults off for its heal phase
        self.requests_seen = 0

    def send(self, request: requests.PreparedRequest, **_kwargs: Any) -> requests.Response:  # type: ignore[override]
        faults = self.faults if self.enabled else Faults()
        if faults.draw("request", faults.p_request):
            raise requests.ConnectionError("fault: the request was dropped before the server")
        answer = self._deliver(request)
        if faults.draw("duplicate", faults.p_duplicate):
            answer = self._deliver(request)
        if faults.draw("response", faults.p_response):
            raise requests.ConnectionError("fault: the answer was lost after the server handled the request")
        return self._to_requests(request, *answer)

    def _deliver(self, request: requests.PreparedRequest) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        self.requests_seen += 1
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        parts = urlsplit(request.url or "/")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": request.method or "GET",
            "scheme": parts.scheme or "http",
            "path": unquote(parts.path) or "/",
            "raw_path": (parts.path or "/").encode(),
            "query_string": parts.query.encode(),
            "root_path": "",
            "headers": [
                (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in request.headers.items()
            ],
            "client": ("127.0.0.1", 50000),
            "server": (parts.hostname or "127.0.0.1", parts.port or 80),
        }
        return self.loop.run_until_complete(_call_app(self.app, scope, body))

    @staticmethod
    def _to_requests(
        request: requests.PreparedRequest, status: int, headers: list[tuple[bytes, bytes]], content: bytes
    ) -> requests.Response:
        response = requests.Response()
        response.status_code = status
        decoded = {k.decode("latin-1"): v.decode("latin-1") for k, v in headers}
        if decoded.get("content-encoding") == "gzip":
            content = gzip.decompress(content)
            decoded.pop("content-encoding")
        response.headers = CaseInsensitiveDict(decoded)
        response._content = content
        response.url = request.url or ""
        response.request = request
        response.encoding = "utf-8"
        response.raw = _ContentStream(content)
        return response

    def close(self) -> None:
        """Close the event loop."""
        if not self.loop.is_closed():
            self.loop.close()


async def _call_app(
    app: Any, scope: dict[str, Any], body: bytes
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """One ASGI request/response cycle, collected in memory."""
    sent = False
    status = 500
    headers: list[tuple[bytes, bytes]] = []
    chunks: list[bytes] = []
    finished = asyncio.Event()

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            # A client that stays connected: streaming answers (files) watch for a disconnect,
            # so it may only come once the whole answer is out.
            await finished.wait()
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                finished.set()

    await app(scope, receive, send)
    return status, headers, b"".join(chunks)


class _ContentStream:
    """A ``raw`` for requests.Response whose body is already in memory (iter_content reads it)."""

    def __init__(self, content: bytes):
        self._content = content
        self._done = False

    def stream(self, chunk_size: int, decode_content: bool = True) -> Any:
        for start in range(0, len(self._content), chunk_size):
            yield self._content[start : start + chunk_size]

    def read(self, amount: int | None = None, **_kwargs: Any) -> bytes:
        if self._done:
            return b""
        self._done = True
        return self._content

    def close(self) -> None:
        return None


def in_process_session(app: Any, faults: Faults | None = None) -> tuple[requests.Session, ASGIAdapter]:
    """A requests Session whose http:// traffic goes to ``app`` in-process."""
    adapter = ASGIAdapter(app, faults)
    session = requests.Session()
    session.trust_env = False  # no proxies in-process: and requests reads them on every request
    session.mount("http://", adapter)
    return session, adapter
