"""Parsing import files in a child process, so the app's interpreter stays free for its window.

The parsers are Python over C helpers that hold the interpreter for long stretches: a
1 MB GOV.UK JSON file in ``json.loads``, YAML front matter in the C loader, regular
expressions over long bodies, a 7,000-term vocabulary CSV. Run on a worker thread of
the app they still stall the GUI thread for hundreds of milliseconds at a time
(bench/bench_gui_stall.py measured 459 ms). In a child process (``spawn``, safe beside
Qt's threads) they cannot. The child keeps its own parser with the run's context (the
topic labels), fed one file at a time, in the run's order, so it parses exactly as the
in-process parser would. A file that stops the child, or takes longer than the time
limit, is reported as that file's error and the next file gets a fresh child.
"""

from __future__ import annotations

import logging
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Any

from desktop.child_process import ChildProcess
from desktop.importers.model import ParsedFile

logger = logging.getLogger(__name__)

#: Seconds one file may take to parse before the child is stopped.
PARSE_TIMEOUT_S = 120.0
#: Records per message from the child (a chunk unpickles in a few milliseconds).
RECORDS_PER_MESSAGE = 100


class ProcessParser:
    """The ``parse(path, root)`` of the in-process parser, answered by a child process."""

    def __init__(
        self,
        topic_labels: dict[str, str],
        community_ids: dict[str, str] | None = None,
        *,
        timeout: float = PARSE_TIMEOUT_S,
    ) -> None:
        self.topic_labels = dict(topic_labels)
        self.community_ids = dict(community_ids or {})
        self.timeout = timeout
        self._child = ChildProcess(_serve, (self.topic_labels, self.community_ids), "imbizo-import-parser")

    @property
    def pid(self) -> int | None:
        """The child's process id, or None when no child is running."""
        return self._child.pid

    def parse(self, path: Path, root: Path | None) -> ParsedFile | None:
        """Parse one file in the child; a child that fails or stalls becomes the file's error."""
        # A restarted child knows what this run learned.
        self._child.args = (self.topic_labels, self.community_ids)
        conn = self._child.connection()
        try:
            conn.send((str(path), str(root) if root is not None else None))
            if not conn.poll(self.timeout):
                self._child.kill()
                return _failed(
                    path, f"reading it took longer than {self.timeout:g} seconds, so it was stopped"
                )
            records: list[Any] = []
            status, value = conn.recv()
            while status == "records":  # a big file's records come in chunks (see _serve)
                records.extend(value)
                status, value = conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._child.kill()
            return _failed(
                path, "it stopped the file reader (the file may be damaged or built to crash readers)"
            )
        if status == "labels":  # the child learned labels or communities: keep them for a restart
            (labels, communities), value = value
            self.topic_labels.update(labels)
            self.community_ids.update(communities)
            status = "ok"
        if status == "ok":
            parsed: ParsedFile | None = value
            if parsed is not None and records:
                parsed.records = records
            return parsed
        return _failed(path, str(value))

    def close(self) -> None:
        """Let the child exit (killing it if it does not)."""
        self._child.close()

    def __enter__(self) -> ProcessParser:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _failed(path: Path, why: str) -> ParsedFile:
    logger.warning("import: %s: %s", path, why)
    return ParsedFile(path=path, errors=[why])


def _serve(conn: Connection, topic_labels: dict[str, str], community_ids: dict[str, str]) -> None:
    """The child's loop: receive (path, root), send ("ok" | "labels", parsed) or ("error", message)."""
    from desktop.importers.model import RunContext
    from desktop.importers.run import Parser

    parser = Parser(RunContext(topic_labels=dict(topic_labels), community_ids=dict(community_ids)))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        path, root = job
        context = parser.context
        before, known = dict(context.topic_labels), dict(context.community_ids)
        try:
            parsed = parser.parse(Path(path), Path(root) if root is not None else None)
            learned = {k: v for k, v in context.topic_labels.items() if before.get(k) != v}
            joined = {k: v for k, v in context.community_ids.items() if known.get(k) != v}
            result: tuple[str, Any] = (
                ("labels", ((learned, joined), parsed)) if learned or joined else ("ok", parsed)
            )
        except MemoryError:
            result = ("error", "the file is too large to read on this computer")
        except BaseException as exc:  # never let the child die on a parser's surprise
            result = ("error", f"it could not be read ({type(exc).__name__}: {exc})")
        try:
            if result[0] != "error":
                _send_records(conn, result)
            conn.send(result)
        except (OSError, ValueError):
            return


def _send_records(conn: Connection, result: tuple[str, Any]) -> None:
    """Send a parsed file's records ahead of it, a chunk at a time, and take them off the result.

    Unpickling holds the receiving interpreter: one 7,000-term vocabulary in one message held
    the app's for 400 ms (bench/bench_gui_stall.py); in chunks it lets go between them.
    """
    parsed = result[1][1] if result[0] == "labels" else result[1]
    if parsed is None or len(parsed.records) <= RECORDS_PER_MESSAGE:
        return
    records, parsed.records = parsed.records, []
    for start in range(0, len(records), RECORDS_PER_MESSAGE):
        conn.send(("records", records[start : start + RECORDS_PER_MESSAGE]))
