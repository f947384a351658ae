"""A wire tap for client processes that may be killed: which changes and chunks went out, and how often.

:class:`TapSession` is the ``requests.Session`` a sync child hands to its SyncService. Before
each request it appends one JSON line to a file (``O_APPEND``, one ``write``: the line
survives a SIGKILL of the process that wrote it, since the kernel holds it), naming the
change ids of a push or the upload and offset of a chunk; after the answer, a second
line with the status. :func:`read_tap` turns the file back into what the kill tests
check: how many changes and chunk bytes were sent again after an interruption.

A request that never left (the connection was refused: the server was down) is noted
as such and does not count as sent.
"""

from __future__ import annotations

import gzip
import json
import os
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import NewConnectionError


def _never_left(error: BaseException) -> bool:
    """True when ``error`` is a refused or failed connect: not one byte of the request went out."""
    pending: list[BaseException] = [error]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, NewConnectionError):
            return True
        for cause in (
            current.__cause__,
            current.__context__,
            getattr(current, "reason", None),
            *current.args,
        ):
            if isinstance(cause, BaseException):
                pending.append(cause)
    return False


class TapSession(requests.Session):
    """A requests session that notes every request in ``path`` (tagged ``attempt``) before sending it."""

    def __init__(self, path: Path, attempt: str, notify: Callable[[str, str], None] | None = None) -> None:
        super().__init__()
        self.attempt = attempt
        self.notify = notify
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self._number = 0

    def _note(self, entry: dict[str, Any]) -> None:
        os.write(self._fd, (json.dumps(entry, separators=(",", ":")) + "\n").encode())

    def close(self) -> None:
        """Close the connections and the tap file."""
        super().close()
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        """Note the request, send it, note the answer (or that it never left)."""
        method_text = method.decode() if isinstance(method, bytes) else method
        path = urlsplit(url.decode() if isinstance(url, bytes) else url).path
        self._number += 1
        entry: dict[str, Any] = {"t": self.attempt, "n": self._number, "m": method_text, "p": path}
        data = kwargs.get("data")
        headers = kwargs.get("headers") or {}
        if path.endswith("/sync/push") and isinstance(data, bytes):
            body = gzip.decompress(data) if headers.get("Content-Encoding") == "gzip" else data
            entry["changes"] = [c["change_id"] for c in json.loads(body)["changes"]]
        elif method_text == "PUT" and "/blobs/uploads/" in path:
            entry["upload"] = path.rsplit("/", 1)[1]
            entry["offset"] = int(headers.get("Upload-Offset", "0"))
            entry["len"] = len(data or b"")
        self._note(entry)
        if self.notify is not None:
            self.notify(method_text, path)
        try:
            response = super().request(method, url, *args, **kwargs)
        except requests.RequestException as exc:
            self._note(
                {
                    "t": self.attempt,
                    "n": self._number,
                    "error": type(exc).__name__,
                    "left": not _never_left(exc),
                }
            )
            raise
        done: dict[str, Any] = {"t": self.attempt, "n": self._number, "status": response.status_code}
        if method_text == "POST" and path.endswith("/blobs/uploads") and response.status_code == 200:
            state = response.json()  # small; reading it here leaves it cached for the client
            done.update(upload=state["upload_id"], sha=state["sha256"], complete=state["complete"])
        self._note(done)
        return response


@dataclass
class TapReport:
    """What a tap file says about resends, per attempt (the tag of the process that sent them)."""

    attempts: list[str] = field(default_factory=list)  # in the order they first sent something
    requests: Counter[str] = field(default_factory=Counter)  # attempt -> requests that left
    resent_changes: Counter[str] = field(default_factory=Counter)  # attempt -> changes sent before
    resent_chunk_bytes: Counter[str] = field(default_factory=Counter)  # attempt -> bytes sent before
    in_flight: dict[str, str] = field(default_factory=dict)  # attempt -> "METHOD path" never answered
    changes_sent: int = 0
    chunk_bytes_sent: int = 0


def read_tap(path: Path) -> TapReport:
    """Parse a tap file (lines of every attempt of one client, in the order they were written)."""
    report = TapReport()
    if not path.exists():
        return report
    sent: dict[tuple[str, int], dict[str, Any]] = {}
    outcome: dict[tuple[str, int], dict[str, Any]] = {}
    order: list[tuple[str, int]] = []
    upload_sha: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if not line.endswith("}"):
            continue  # a line cut by the kill (cannot happen with one write, but never trust it)
        entry = json.loads(line)
        key = (entry["t"], entry["n"])
        if "m" in entry:
            sent[key] = entry
            order.append(key)
            if entry["t"] not in report.attempts:
                report.attempts.append(entry["t"])
        else:
            outcome[key] = entry
            if "upload" in entry:
                upload_sha[entry["upload"]] = entry["sha"]
    seen_changes: Counter[str] = Counter()
    reached: dict[str, int] = defaultdict(int)  # blob sha -> highest byte offset sent so far
    for key in order:
        entry, result = sent[key], outcome.get(key)
        attempt = entry["t"]
        if result is None:
            report.in_flight[attempt] = f"{entry['m']} {entry['p']}"
        elif "error" in result and not result["left"]:
            continue  # refused at connect: nothing went out
        report.requests[attempt] += 1
        for change in entry.get("changes", ()):
            report.changes_sent += 1
            if seen_changes[change]:
                report.resent_changes[attempt] += 1
            seen_changes[change] += 1
        if "upload" in entry:
            blob = upload_sha.get(entry["upload"], entry["upload"])
            start, end = entry["offset"], entry["offset"] + entry["len"]
            report.chunk_bytes_sent += entry["len"]
            overlap = min(end, reached[blob]) - start
            if overlap > 0:
                report.resent_chunk_bytes[attempt] += overlap
            reached[blob] = max(reached[blob], end)
    return report
