"""Import files parsed in a child process: the same records as in-process, and a dead child is survivable."""

from __future__ import annotations

import os
import signal
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


def test_a_child_that_dies_costs_one_file_and_the_next_gets_a_new_child(corpus: Path, tmp_path: Path) -> None:
    folder = corpus / "knowledge_base" / "govuk_content_items" / "case_study"
    files = _files(folder)
    with ProcessParser({}) as child:
        first = child.parse(*files[0])
        assert first is not None and first.records
        pid = child.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        lost = child.parse(*files[1])
        assert lost is not None and lost.errors and "stopped the file reader" in lost.errors[0]
        again = child.parse(*files[1])
        assert again is not None and again.records and child.pid != pid


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
