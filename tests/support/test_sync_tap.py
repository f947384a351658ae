"""The wire tap's arithmetic: resent changes and chunk bytes per attempt, cut lines, refused connects."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.sync_tap import read_tap


def _write(path: Path, *entries: dict[str, object]) -> None:
    path.write_text("".join(json.dumps(e) + "\n" for e in entries))


def test_resends_are_counted_in_the_attempt_that_sent_them_again(tmp_path: Path) -> None:
    tap = tmp_path / "tap.jsonl"
    _write(
        tap,
        {"t": "a#1", "n": 1, "m": "POST", "p": "/api/v1/blobs/uploads"},
        {"t": "a#1", "n": 1, "status": 200, "upload": "u1", "sha": "s1", "complete": False},
        {
            "t": "a#1",
            "n": 2,
            "m": "PUT",
            "p": "/api/v1/blobs/uploads/u1",
            "upload": "u1",
            "offset": 0,
            "len": 100,
        },
        {"t": "a#1", "n": 2, "status": 200},
        {
            "t": "a#1",
            "n": 3,
            "m": "PUT",
            "p": "/api/v1/blobs/uploads/u1",
            "upload": "u1",
            "offset": 100,
            "len": 100,
        },
        {"t": "a#1", "n": 4, "m": "POST", "p": "/api/v1/sync/push", "changes": ["c1", "c2"]},
        # a#1 was killed with both requests in flight; a#2 resumes
        {
            "t": "a#2",
            "n": 1,
            "m": "PUT",
            "p": "/api/v1/blobs/uploads/u1",
            "upload": "u1",
            "offset": 100,
            "len": 100,
        },
        {"t": "a#2", "n": 1, "status": 200},
        {"t": "a#2", "n": 2, "m": "POST", "p": "/api/v1/sync/push", "changes": ["c1", "c2", "c3"]},
        {"t": "a#2", "n": 2, "error": "ConnectionError", "left": False},  # refused: never left
        {"t": "a#2", "n": 3, "m": "POST", "p": "/api/v1/sync/push", "changes": ["c1", "c2", "c3"]},
        {"t": "a#2", "n": 3, "status": 200},
    )
    with tap.open("a") as handle:
        handle.write('{"t": "a#2", "n": 4, "m": "GE')  # a torn last line is ignored
    report = read_tap(tap)
    assert report.attempts == ["a#1", "a#2"]
    assert report.in_flight == {"a#1": "POST /api/v1/sync/push"}
    assert report.resent_changes == {"a#2": 2}  # c1 and c2 again; the refused send does not count
    assert report.resent_chunk_bytes == {"a#2": 100}
    assert report.changes_sent == 5 and report.chunk_bytes_sent == 300
    assert report.requests == {"a#1": 4, "a#2": 2}
