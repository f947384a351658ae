"""ASGI middleware: the protocol handshake, and request bodies read within a limit (gzip allowed).

Both answer with an ``ErrorBody`` themselves, before the application sees the request.
The body limit counts decompressed bytes while reading, so neither an endless chunked
body nor a gzip bomb costs more than the limit in memory.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.protocol import MIN_CLIENT_PROTOCOL, PROTOCOL_HEADER, ErrorBody

#: Paths anyone may read without the protocol header.
EXEMPT_PATHS = frozenset({"/health", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"})
_PROTOCOL_HEADER = PROTOCOL_HEADER.lower().encode("latin-1")
_VERSION = re.compile(rb"^\s*([0-9]{1,9})\s*$")


async def send_error(
    send: Send, status: int, code: str, message: str, headers: Iterable[tuple[str, str]] = ()
) -> None:
    """Answer with an ``ErrorBody`` (used before the application runs)."""
    body = json.dumps(ErrorBody(error=code, message=message).model_dump()).encode("utf-8")
    raw_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode("latin-1")),
        *((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value)
    return None


class ProtocolMiddleware:
    """426 ``outdated_client`` for a request without ``Imbizo-Protocol`` or older than the minimum."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        raw = _header(scope, _PROTOCOL_HEADER)
        match = _VERSION.match(raw) if raw is not None else None
        if match is None or int(match.group(1)) < MIN_CLIENT_PROTOCOL:
            await send_error(
                send,
                426,
                "outdated_client",
                "This version of Imbizo is too old for the server; please update Imbizo.",
                [("Upgrade", f"{PROTOCOL_HEADER}/{MIN_CLIENT_PROTOCOL}")],
            )
            return
        await self.app(scope, receive, send)


class _TooLarge(Exception):
    pass


class _BadBody(Exception):
    pass


class _Inflater:
    """Incremental gzip decoding that never produces more than ``limit`` bytes (several members allowed)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.produced = 0
        self._decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, data: bytes) -> bytes:
        out = bytearray()
        pending = data
        while pending:
            try:
                chunk = self._decoder.decompress(pending, self.limit + 1 - self.produced)
            except zlib.error as exc:
                raise _BadBody("the body is not valid gzip") from exc
            self.produced += len(chunk)
            out += chunk
            if self.produced > self.limit:
                raise _TooLarge
            if self._decoder.unconsumed_tail:
                pending = self._decoder.unconsumed_tail
            elif self._decoder.eof and self._decoder.unused_data:
                pending = self._decoder.unused_data
                self._decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
            else:
                pending = b""
        return bytes(out)

    def finish(self) -> None:
        if not self._decoder.eof:
            raise _BadBody("the gzip body is cut short")


class BodyLimitMiddleware:
    """Read the whole body up to ``limit`` bytes (after gzip decoding), then hand it to the app."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        encoding = (_header(scope, b"content-encoding") or b"").decode("latin-1").strip().lower()
        if encoding not in ("", "identity", "gzip"):
            await send_error(
                send, 415, "invalid", f"Content-Encoding {encoding[:40]!r} is not accepted; use gzip."
            )
            return
        declared = _header(scope, b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > self.limit:
            await send_error(send, 413, "too_large", f"The body is larger than {self.limit} bytes.")
            return
        try:
            body = await self._read(receive, gzip=encoding == "gzip")
        except _TooLarge:
            await send_error(send, 413, "too_large", f"The body is larger than {self.limit} bytes.")
            return
        except _BadBody as exc:
            await send_error(send, 400, "invalid", str(exc))
            return
        headers = [
            (k, v) for k, v in scope["headers"] if k.lower() not in (b"content-encoding", b"content-length")
        ]
        if body or declared is not None:
            headers.append((b"content-length", str(len(body)).encode("latin-1")))
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app({**scope, "headers": headers}, replay, send)

    async def _read(self, receive: Receive, *, gzip: bool) -> bytes:
        inflater = _Inflater(self.limit) if gzip else None
        parts: list[bytes] = []
        size = 0
        received = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _BadBody("the client went away")
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.limit:
                # Even compressed, a body over the limit is refused: it can only expand.
                raise _TooLarge
            if inflater is not None:
                chunk = inflater.feed(chunk)
            size += len(chunk)
            if size > self.limit:
                raise _TooLarge
            parts.append(chunk)
            if not message.get("more_body", False):
                break
        if inflater is not None and received:
            inflater.finish()
        return b"".join(parts)
