"""A hostile sync server for S6: the real server app in-process, one endpoint's answers replaced.

``HostileAdapter`` hands every request to the real server (tests/support/asgi_transport.py)
and, for the endpoint under test, passes the real answer through a ``Mutation`` before the
client sees it. Mutations are plain data drawn by Hypothesis up front (so they shrink and
replay): a whole-body replacement (random bytes, truncated JSON, an HTML error page, deep
JSON, JSON of the wrong type, an empty body), a wrong status, or a field-level change of the
real JSON at a path picked by ``selector`` (wrong types, None, huge or negative numbers,
100 KB strings, HTML/JS, a revision from the future, a forged id, an unknown kind, a bad
hash, a cursor that goes backwards, ``has_more`` true forever with the same cursor). For
file downloads the bytes themselves are changed (a flipped byte, cut, extended, replaced).
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from hypothesis import strategies as st

from tests.support.asgi_transport import ASGIAdapter

HTML_PAYLOAD = "<script>alert('s6')</script><img src=x onerror=alert('s6')>"
FUTURE_REVISION = "999999999-" + "f" * 64
HTML_PAGE = b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"
ALWAYS = 1_000_000

#: Endpoint type -> (method, path pattern) of the answers a test of that type changes.
ENDPOINTS: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    "pull": (("GET", re.compile(r"^/api/v1/sync/pull$")),),
    "push": (("POST", re.compile(r"^/api/v1/sync/push$")),),
    "pending": (("GET", re.compile(r"^/api/v1/sync/pending$")),),
    "digest": (("GET", re.compile(r"^/api/v1/sync/digest$")),),
    "reconcile": (
        ("GET", re.compile(r"^/api/v1/sync/index$")),
        ("GET", re.compile(r"^/api/v1/records/[^/]+$")),
    ),
    "blob": (("GET", re.compile(r"^/api/v1/blobs/[0-9a-f]{64}$")),),
}


@dataclass(frozen=True)
class Mutation:
    """What the hostile server does to one endpoint's answers (``times`` answers, then honest)."""

    op: str  # body | status | field | delete | add | at | stuck | backwards | bytes
    value: Any = None
    status: int | None = None
    selector: int = 0
    times: int = ALWAYS

    def apply(self, status: int, body: bytes, query: dict[str, list[str]]) -> tuple[int, bytes]:
        """The changed (status, body) of one real answer."""
        if self.op == "body":
            return (self.status or status), _body(self.value, body)
        if self.op == "status":
            return self.status or status, body if self.value else b""
        if self.op == "bytes":
            return (self.status or status), _bytes(self.value, body, self.selector)
        try:
            data = json.loads(body or b"null")
        except ValueError:
            return status, body
        if self.op == "at":  # one named path: value is (path, new value)
            path, new = self.value
            parent = _get(data, path[:-1])
            parent[path[-1]] = new
        elif self.op == "stuck" and isinstance(data, dict):  # has_more for ever at the asked cursor
            data["has_more"] = True
            data["cursor"] = int((query.get("cursor") or ["0"])[0])
        elif self.op == "backwards" and isinstance(data, dict) and isinstance(data.get("cursor"), int):
            data["cursor"] = max(0, data["cursor"] - 1 - self.selector % 5)
        else:
            data = _mutate_at(data, self.op, self.selector, self.value)
        return (self.status or status), json.dumps(data).encode("utf-8")


def _body(kind: Any, real: bytes) -> bytes:
    if isinstance(kind, bytes):
        return kind
    if isinstance(kind, float):
        return real[: int(len(real) * kind)]
    return {
        "html": HTML_PAGE,
        "deep_list": b"[" * 100_000 + b"]" * 100_000,
        "deep_object": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        "empty": b"",
    }.get(kind, str(kind).encode())


def _bytes(kind: str, real: bytes, selector: int) -> bytes:
    if not real:
        return b"x"
    at = selector % len(real)
    return {
        "flip": real[:at] + bytes([real[at] ^ 0xFF]) + real[at + 1 :],
        "cut": real[:at],
        "extend": real + b"\x00" * (1 + selector % 100),
        "other": bytes(reversed(real)) + b"!",
        "empty": b"",
        "html": HTML_PAGE,
    }[kind]


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into ``data`` (the root too), depth first."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(_paths(value, (*prefix, index)))
    return found


def _mutate_at(data: Any, op: str, selector: int, value: Any) -> Any:
    """Set, delete or add a key at the ``selector``-th path of ``data``."""
    paths = _paths(data)
    if op == "add":
        paths = [path for path in paths if isinstance(_get(data, path), dict)] or [()]
    elif op == "delete":
        paths = [path for path in paths if path] or [()]
    path = paths[selector % len(paths)]
    if not path:
        return value if op == "field" else data
    parent = _get(data, path[:-1])
    if op == "delete":
        del parent[path[-1]]
    elif op == "add":
        target = _get(data, path)
        if isinstance(target, dict):
            target[f"unexpected_{selector % 7}"] = value
    else:
        parent[path[-1]] = value
    return data


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


class HostileAdapter(ASGIAdapter):
    """An ASGIAdapter whose answers from one endpoint type go through a Mutation."""

    def __init__(self, app: Any):
        super().__init__(app)
        self.endpoint: str | None = None
        self.mutation: Mutation | None = None
        self.hits = 0

    def arm(self, endpoint: str, mutation: Mutation) -> None:
        """Change the answers of ``endpoint`` from now on."""
        self.endpoint, self.mutation, self.hits = endpoint, mutation, 0

    def disarm(self) -> None:
        """Answer honestly again."""
        self.endpoint, self.mutation = None, None

    def _deliver(self, request: requests.PreparedRequest) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        status, headers, body = super()._deliver(request)
        if self.mutation is None or self.endpoint is None or self.hits >= self.mutation.times:
            return status, headers, body
        parts = urlsplit(request.url or "/")
        if not any(
            request.method == method and pattern.match(parts.path)
            for method, pattern in ENDPOINTS[self.endpoint]
        ):
            return status, headers, body
        self.hits += 1
        if any(k.lower() == b"content-encoding" and v == b"gzip" for k, v in headers):
            body = gzip.decompress(body)
        kept = [(k, v) for k, v in headers if k.lower() not in (b"content-encoding", b"content-length")]
        status, body = self.mutation.apply(status, body, parse_qs(parts.query))
        return status, [*kept, (b"content-length", str(len(body)).encode())], body


# -- strategies ---------------------------------------------------------------------------

STATUSES = [
    200,
    201,
    204,
    206,
    301,
    304,
    400,
    401,
    403,
    404,
    409,
    410,
    413,
    416,
    418,
    422,
    426,
    429,
    500,
    502,
    503,
]

hostile_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([10**30, -1, 0, 2**63, -(2**63), 1e308, -0.5]),
    st.text(max_size=20),
    st.sampled_from(
        [
            "x" * 100_000,
            HTML_PAYLOAD,
            FUTURE_REVISION,
            "virus",
            "0" * 64,
            "a" * 64,
            "00000000-0000-4000-8000-000000000000",
            "../../etc/passwd",
            "\x00",
        ]
    ),
    st.uuids().map(str),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)

times = st.sampled_from([1, 2, ALWAYS])
selectors = st.integers(min_value=0, max_value=10_000)

whole_body = st.builds(
    Mutation,
    op=st.just("body"),
    value=st.one_of(
        st.binary(max_size=300),
        st.floats(min_value=0.0, max_value=0.999),
        st.sampled_from(
            ["html", "deep_list", "deep_object", "empty", "[]", '"x"', "0", "null", "true", "[{}]"]
        ),
    ),
    status=st.one_of(st.none(), st.sampled_from(STATUSES)),
    times=times,
)
wrong_status = st.builds(
    Mutation, op=st.just("status"), value=st.booleans(), status=st.sampled_from(STATUSES), times=times
)
field_level = st.builds(
    Mutation,
    op=st.sampled_from(["field", "delete", "add"]),
    value=hostile_values,
    selector=selectors,
    times=times,
)
feed_tricks = st.builds(Mutation, op=st.sampled_from(["stuck", "backwards"]), selector=selectors, times=times)
byte_level = st.builds(
    Mutation,
    op=st.just("bytes"),
    value=st.sampled_from(["flip", "cut", "extend", "other", "empty", "html"]),
    status=st.one_of(st.none(), st.sampled_from([200, 206, 416])),
    selector=selectors,
    times=times,
)


def mutations(endpoint: str) -> st.SearchStrategy[Mutation]:
    """The hostile answers worth trying on ``endpoint``."""
    if endpoint == "blob":
        return st.one_of(byte_level, wrong_status)
    options = [whole_body, wrong_status, field_level, field_level]  # field changes twice as often
    if endpoint in ("pull", "pending", "reconcile", "digest"):
        options.append(feed_tricks)
    return st.one_of(*options)
