"""The extraction worker: a real child process, killed when a document takes too long."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from desktop.media.errors import MediaError
from desktop.media.worker import ExtractionWorker
from tests.media.samples import write_pdf


def stall_on_slow_files(path: Path, media_type: str) -> str:
    """An extractor that never returns for a file named ``slow*`` (a PDF built to stall a parser)."""
    if path.name.startswith("slow"):
        while True:  # holds the child's interpreter, as a looping parser would
            pass
    return f"read {path.name} as {media_type}"


def crash_on_bad_files(path: Path, media_type: str) -> str:
    """An extractor whose process dies on ``bad*`` files (a parser crashing the interpreter)."""
    if path.name.startswith("bad"):
        os._exit(3)
    return "fine"


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # (the worker joins what it kills, so no zombie is left to answer)
    return False


def test_real_pdf_is_extracted_in_a_child_process(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "report.pdf", ["Rainwater harvesting at Ndwedwe clinic"])
    with ExtractionWorker(timeout=60) as worker:
        assert "Rainwater harvesting" in worker.extract(pdf, "application/pdf")
        assert worker.pid is not None and worker.pid != os.getpid()
        with pytest.raises(MediaError, match=r"protected|damaged"):
            bad = tmp_path / "broken.pdf"
            bad.write_bytes(b"%PDF-1.4 nonsense")
            worker.extract(bad, "application/pdf")
        assert "Rainwater" in worker.extract(pdf, "application/pdf")  # the same child carries on


def test_a_stalling_document_is_killed_at_the_timeout(tmp_path: Path) -> None:
    with ExtractionWorker(timeout=1.5, function=stall_on_slow_files) as worker:
        assert (
            worker.extract(tmp_path / "first.pdf", "application/pdf") == "read first.pdf as application/pdf"
        )
        pid = worker.pid
        assert pid is not None
        started = time.monotonic()
        with pytest.raises(MediaError, match=r"longer than 1\.5 seconds"):
            worker.extract(tmp_path / "slow.pdf", "application/pdf")
        assert time.monotonic() - started < 10
        assert _gone(pid) and worker.pid is None
        # The next document gets a fresh child.
        assert worker.extract(tmp_path / "next.txt", "text/plain") == "read next.txt as text/plain"
        assert worker.pid not in (None, pid)


def test_a_crashing_child_is_reported_and_replaced(tmp_path: Path) -> None:
    with ExtractionWorker(timeout=30, function=crash_on_bad_files) as worker:
        with pytest.raises(MediaError, match="stopped the text reader"):
            worker.extract(tmp_path / "bad.pdf", "application/pdf")
        assert worker.extract(tmp_path / "good.pdf", "application/pdf") == "fine"


def test_close_ends_the_child() -> None:
    worker = ExtractionWorker(timeout=30, function=crash_on_bad_files)
    worker.extract(Path("good.pdf"), "application/pdf")
    pid = worker.pid
    assert pid is not None
    worker.close()
    assert worker.pid is None and _gone(pid)
