"""HTTP/1.1 message boundaries as the fault proxy finds them, however the bytes arrive."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.fault_proxy_http import (
    MAX_HEAD_BYTES,
    NO_BODY,
    Framing,
    HttpFramingError,
    IncompleteMessage,
    MessageReader,
    parse_head,
    request_framing,
    response_framing,
)


def reader_over(data: bytes, cuts: list[int]) -> MessageReader:
    """A reader that gets ``data`` in the pieces ``cuts`` makes, as a socket might deliver it."""
    bounds = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    pieces: Iterator[bytes] = iter([data[a:b] for a, b in itertools.pairwise(bounds)])
    return MessageReader(lambda _size: next(pieces, b""))


def read_message(reader: MessageReader) -> bytes | None:
    """The next whole request, exactly as read."""
    raw = reader.read_head()
    if raw is None:
        return None
    return raw + b"".join(reader.body(request_framing(parse_head(raw))))


@st.composite
def requests_(draw: st.DrawFn) -> bytes:
    """One HTTP/1.1 request with a Content-Length body, a chunked body (extensions, trailers) or none."""
    method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE"]))
    body = draw(st.binary(max_size=3000))
    head = f"{method} /api/v1/x?i={draw(st.integers(0, 99))} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    kind = draw(st.sampled_from(["none", "length", "chunked"]))
    if kind == "none":
        return (head + "\r\n").encode()
    if kind == "length":
        return (head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    sizes = draw(st.lists(st.integers(1, 700), max_size=10))
    chunks, start = [], 0
    for size in [*sizes, len(body)]:
        if piece := body[start : start + size]:
            chunks.append(f"{len(piece):x}{';ext=1' if size % 2 else ''}\r\n".encode() + piece + b"\r\n")
        start += size
    trailer = b"Checksum: abc\r\n" if draw(st.booleans()) else b""
    return (
        (head + "Transfer-Encoding: chunked\r\n\r\n").encode()
        + b"".join(chunks)
        + b"0\r\n"
        + trailer
        + b"\r\n"
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(requests_(), min_size=1, max_size=6), st.lists(st.integers(0, 10**6), max_size=30))
def test_keep_alive_requests_are_split_exactly_however_the_bytes_arrive(
    messages: list[bytes], cuts: list[int]
) -> None:
    reader = reader_over(b"".join(messages), cuts)
    assert [read_message(reader) for _ in messages] == messages
    assert reader.read_head() is None


@pytest.mark.parametrize(
    ("head", "method", "expected"),
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n", "GET", Framing("length", 12)),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n", "HEAD", NO_BODY),
        (b"HTTP/1.1 204 No Content\r\n\r\n", "DELETE", NO_BODY),
        (b"HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n", "GET", NO_BODY),
        (b"HTTP/1.1 100 Continue\r\n\r\n", "POST", NO_BODY),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "GET", Framing("chunked")),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "GET", Framing("close")),
        (b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n", "GET", Framing("close")),
        (b"HTTP/1.1 200 OK\r\ncontent-length: 3\r\nContent-Length: 3\r\n\r\n", "GET", Framing("length", 3)),
    ],
)
def test_response_framing_follows_rfc_9112(head: bytes, method: str, expected: Framing) -> None:
    assert response_framing(parse_head(head), method) == expected


def test_a_chunked_response_ends_after_its_trailers_not_at_the_next_message() -> None:
    body = b"5\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n"
    reader = reader_over(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body + b"HTTP/1.1 204 No\r\n\r\n", [3, 50]
    )
    head = reader.read_head()
    assert head is not None
    assert b"".join(reader.body(response_framing(parse_head(head), "GET"))) == body
    assert reader.read_head() == b"HTTP/1.1 204 No\r\n\r\n"


@pytest.mark.parametrize(
    "data",
    [
        b"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
        b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        b"POST / HTTP/1.1\r\nno colon here\r\n\r\n",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"not http at all\r\n\r\n",
        b"GET / HTTP/1.1\r\nX: " + b"a" * MAX_HEAD_BYTES,
    ],
)
def test_messages_the_proxy_cannot_delimit_are_refused(data: bytes) -> None:
    with pytest.raises(HttpFramingError):
        read_message(reader_over(data, [7]))


def test_a_stream_ending_inside_a_body_is_reported_after_its_bytes() -> None:
    reader = reader_over(b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc", [])
    head = reader.read_head()
    assert head is not None
    pieces = reader.body(request_framing(parse_head(head)))
    assert next(pieces) == b"abc"
    with pytest.raises(IncompleteMessage):
        next(pieces)
