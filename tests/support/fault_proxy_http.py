"""HTTP/1.1 message boundaries for the fault proxy (RFC 9112 section 6), without changing a byte.

The proxy forwards exactly the bytes it read; this module only says where a request or a
response ends, so whole-request faults (drop, duplicate) hit whole messages on keep-alive
connections. Bodies are yielded as raw pieces (chunk-size lines and trailers included).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

MAX_HEAD_BYTES = 64 * 1024
_MAX_LINE_BYTES = 8 * 1024
_RECV_BYTES = 64 * 1024
_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


class HttpFramingError(Exception):
    """The bytes are not an HTTP/1.x message the proxy can delimit."""


class IncompleteMessage(HttpFramingError):
    """The stream ended inside a message (the pieces read so far were already yielded)."""


@dataclass(frozen=True)
class Framing:
    """How a message body is delimited: ``none``, ``length`` bytes, ``chunked``, or until ``close``."""

    kind: Literal["none", "length", "chunked", "close"]
    length: int = 0


NO_BODY = Framing("none")


@dataclass(frozen=True)
class Head:
    """A parsed start line and header block; ``raw`` is exactly what was read (ending in CRLF CRLF)."""

    raw: bytes
    start: tuple[str, ...]
    headers: tuple[tuple[str, str], ...]

    def values(self, name: str) -> list[str]:
        """Every comma-separated value of header ``name`` (case-insensitive), lower-cased."""
        name = name.lower()
        found = [v for k, v in self.headers if k.lower() == name]
        return [part.strip().lower() for v in found for part in v.split(",") if part.strip()]


def parse_head(raw: bytes) -> Head:
    """Split a head into its start line (three fields at most) and its headers."""
    lines = raw[:-4].split(b"\r\n")
    start = tuple(lines[0].decode("latin-1").split(" ", 2))
    headers = []
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon or not _TOKEN.fullmatch(name):
            raise HttpFramingError(f"bad header line {line[:80]!r}")
        headers.append((name.decode("latin-1"), value.strip().decode("latin-1")))
    return Head(raw, start, tuple(headers))


def _content_length(head: Head) -> int | None:
    values = set(head.values("content-length"))
    if not values:
        return None
    if len(values) > 1 or not next(iter(values)).isdigit():
        raise HttpFramingError(f"bad Content-Length {sorted(values)}")
    return int(next(iter(values)))


def request_framing(head: Head) -> Framing:
    """The body of a request: chunked, Content-Length, or none (a request never ends at close)."""
    if len(head.start) != 3 or not head.start[2].startswith("HTTP/1."):
        raise HttpFramingError(f"not an HTTP/1.x request line: {head.start!r}")
    codings = head.values("transfer-encoding")
    if codings:
        if codings[-1] != "chunked":
            raise HttpFramingError(f"request Transfer-Encoding without a final chunked: {codings}")
        return Framing("chunked")
    length = _content_length(head)
    return NO_BODY if not length else Framing("length", length)


def response_status(head: Head) -> int:
    """The status code of a response head."""
    if len(head.start) < 2 or not head.start[0].startswith("HTTP/1.") or not head.start[1].isdigit():
        raise HttpFramingError(f"not an HTTP/1.x status line: {head.start!r}")
    return int(head.start[1])


def response_framing(head: Head, request_method: str) -> Framing:
    """The body of a response to ``request_method`` (HEAD, 1xx, 204 and 304 have none)."""
    status = response_status(head)
    if request_method == "HEAD" or status < 200 or status in (204, 304):
        return NO_BODY
    codings = head.values("transfer-encoding")
    if codings:
        return Framing("chunked") if codings[-1] == "chunked" else Framing("close")
    length = _content_length(head)
    return Framing("close") if length is None else Framing("length", length)


class _ChunkedScanner:
    """Finds where a chunked body ends in pieces of raw bytes, without copying the chunk data."""

    def __init__(self) -> None:
        self._line = bytearray()
        self._data_left = 0  # bytes of chunk data plus its CRLF still to skip
        self._in_trailers = False

    def feed(self, data: bytes) -> int | None:
        """The index in ``data`` just past the body's end, or None if the body goes on."""
        i = 0
        while i < len(data):
            if self._data_left:
                step = min(self._data_left, len(data) - i)
                self._data_left -= step
                i += step
                continue
            end = data.find(b"\n", i)
            if end < 0:
                self._grow_line(data[i:])
                return None
            self._grow_line(data[i : end + 1])
            i = end + 1
            if self._end_of_line():
                return i
        return None

    def _grow_line(self, piece: bytes) -> None:
        self._line += piece
        if len(self._line) > _MAX_LINE_BYTES:
            raise HttpFramingError("chunk-size or trailer line too long")

    def _end_of_line(self) -> bool:
        """Act on a complete line; True when it was the empty line ending the trailers."""
        line = bytes(self._line).strip()
        self._line.clear()
        if self._in_trailers:
            return not line
        size_text = line.split(b";", 1)[0].strip()
        if not re.fullmatch(rb"[0-9A-Fa-f]{1,16}", size_text):
            raise HttpFramingError(f"bad chunk size line {line[:40]!r}")
        size = int(size_text, 16)
        if size == 0:
            self._in_trailers = True
        else:
            self._data_left = size + 2  # the data and the CRLF after it
        return False


class MessageReader:
    """Reads HTTP messages from ``recv`` (a ``socket.recv``-like callable returning b"" at EOF)."""

    def __init__(self, recv: Callable[[int], bytes]) -> None:
        self._recv = recv
        self._buffer = b""
        self._eof = False

    def _fill(self) -> bool:
        """Read more into the buffer; False at end of stream."""
        if self._eof:
            return False
        data = self._recv(_RECV_BYTES)
        if not data:
            self._eof = True
            return False
        self._buffer += data
        return True

    def read_head(self) -> bytes | None:
        """The next head, up to and including its blank line; None at a clean end of stream."""
        scanned = 0
        while (end := self._buffer.find(b"\r\n\r\n", max(0, scanned - 3))) < 0:
            scanned = len(self._buffer)
            if scanned > MAX_HEAD_BYTES:
                raise HttpFramingError(f"head longer than {MAX_HEAD_BYTES} bytes")
            if not self._fill():
                if self._buffer:
                    raise IncompleteMessage(f"stream ended inside a head ({len(self._buffer)} bytes)")
                return None
        head, self._buffer = self._buffer[: end + 4], self._buffer[end + 4 :]
        return head

    def read_rest(self) -> Iterator[bytes]:
        """Everything left: what is buffered, then every piece until the end of stream."""
        if self._buffer:
            yield self._take(len(self._buffer))
        while self._fill():
            yield self._take(len(self._buffer))

    def body(self, framing: Framing) -> Iterator[bytes]:
        """The raw pieces of a body framed by ``framing``; raises IncompleteMessage if cut short."""
        if framing.kind == "length":
            yield from self._exactly(framing.length)
        elif framing.kind == "chunked":
            yield from self._chunked()
        elif framing.kind == "close":
            yield from self.read_rest()

    def _take(self, count: int) -> bytes:
        piece, self._buffer = self._buffer[:count], self._buffer[count:]
        return piece

    def _exactly(self, count: int) -> Iterator[bytes]:
        while count:
            if not self._buffer and not self._fill():
                raise IncompleteMessage(f"stream ended {count} bytes before the end of a body")
            piece = self._take(count)
            count -= len(piece)
            yield piece

    def _chunked(self) -> Iterator[bytes]:
        scanner = _ChunkedScanner()
        while True:
            if not self._buffer and not self._fill():
                raise IncompleteMessage("stream ended inside a chunked body")
            end = scanner.feed(self._buffer)
            yield self._take(len(self._buffer) if end is None else end)
            if end is not None:
                return
