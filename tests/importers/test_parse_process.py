"""Import files parsed in a child process: the same records as in-process, and a dead child is survivable."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

from desktop.importers.model import RunContext
from desktop.importers.parse_process import ProcessParser
from desktop.importers.run import Parser, iter_files


def _files(folder: Path) -> list[tuple[Path, Path | None]]:
    return sorted(iter_files([folder]))[:12]


def test_the_child_parses_exactly_as_the_app_would(corpus: Path) -> None:
    folder = corpus / "knowledge_base" / "digitalgov" / "news" / "2014" / "05"
    here = Parser(RunContext(topic_labels={"accessibility": "Accessibility"}))
    with ProcessParser({"accessibility": "Accessibility"}) as child:
        for path, root in _files(folder):
            mine, theirs = here.parse(path, root), child.parse(path, root)
            assert (mine is None) == (theirs is None)
            if mine is not None and theirs is not None:
                assert [r.content_hash() for r in theirs.records] == [r.content_hash() for r in mine.records]
                assert (theirs.errors, theirs.notes, theirs.format) == (mine.errors, mine.notes, mine.format)


def _kill_the_reader_of(fifo: Path, pid: int) -> None:
    """Wait until the child opens ``fifo`` (it is then inside that file's parse), and SIGKILL it."""
    with fifo.open("wb"):  # returns once the reader has opened the other end
        os.kill(pid, signal.SIGKILL)


def test_a_child_that_dies_costs_one_file_and_the_next_gets_a_new_child(corpus: Path, tmp_path: Path) -> None:
    # The child dies while it reads a file, not between files: a named pipe as the file holds
    # it in that file's read until the test kills it. (Killing an idle child raced: a child
    # already gone when the next file came was replaced at once, and that file was not lost.)
    folder = corpus / "knowledge_base" / "govuk_content_items" / "case_study"
    files = _files(folder)
    fifo = tmp_path / "damaged.md"
    os.mkfifo(fifo)
    with ProcessParser({}) as child:
        first = child.parse(*files[0])
        assert first is not None and first.records
        pid = child.pid
        assert pid is not None
        killer = threading.Thread(target=_kill_the_reader_of, args=(fifo, pid))
        killer.start()
        lost = child.parse(fifo, tmp_path)
        killer.join()
        assert lost is not None and lost.errors and "stopped the file reader" in lost.errors[0]
        again = child.parse(*files[1])
        assert again is not None and again.records and child.pid != pid


def test_a_child_that_died_between_files_costs_no_file(corpus: Path) -> None:
    files = _files(corpus / "knowledge_base" / "govuk_content_items" / "case_study")
    with ProcessParser({}) as child:
        assert child.parse(*files[0]) is not None
        pid = child.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while child.pid is not None and time.monotonic() < deadline:  # until the parser reaps it
            time.sleep(0.01)
        assert child.pid is None, "the parser never noticed its child had died"
        again = child.parse(*files[1])
        assert again is not None and again.records and not again.errors and child.pid != pid


def test_a_big_file_arrives_in_chunks_and_whole(corpus: Path) -> None:
    eurovoc = next((corpus / "vocab").rglob("*eurovoc*.csv"), None)
    if eurovoc is None:
        import pytest

        pytest.skip("no EuroVoc file in the corpus")
    here = Parser(RunContext()).parse(eurovoc, corpus / "vocab")
    with ProcessParser({}) as child:
        there = child.parse(eurovoc, corpus / "vocab")
    assert here is not None and there is not None and len(there.records) == len(here.records) > 1000
    assert [r.id for r in there.records] == [r.id for r in here.records]
