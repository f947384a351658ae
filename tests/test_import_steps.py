"""Session.import_steps: the same import as import_paths, a batch at a time, the lock held only per batch."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.changes import ImportProgress, ImportReport
from desktop.paths import ProfilePaths
from desktop.session import Session

NEWS = "knowledge_base/digitalgov/news/2015/03"


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Session:
    # Batches by file count only, so the figures below do not depend on the machine's speed.
    monkeypatch.setattr("desktop.session.IMPORT_BATCH_SECONDS", 0.0)
    opened = Session.open(ProfilePaths(tmp_path / "profile", "test"))
    yield opened
    opened.close()


def _drain(steps) -> tuple[list[ImportProgress], ImportReport]:
    progress = []
    while True:
        try:
            progress.append(next(steps))
        except StopIteration as end:
            return progress, end.value


def test_steps_import_in_batches_and_match_the_one_call_import(
    corpus: Path, session: Session, tmp_path: Path
) -> None:
    paths = [corpus / NEWS]
    total = len(list((corpus / NEWS).glob("*.md")))
    steps = session.import_steps(paths, batch_files=4)
    locked_between_steps = []
    progress = []
    while True:
        try:
            progress.append(next(steps))
        except StopIteration as end:
            report = end.value
            break
        locked_between_steps.append(session.store._lock.is_held)
    assert not any(locked_between_steps), "the write lock must be free between batches"
    assert progress[0].done == 0 and progress[0].total == total
    assert [p.done for p in progress[1:]] == [min(n, total) for n in range(4, total + 4, 4)]
    assert progress[-1].current == "" and progress[-1].added == report.added
    assert report.files == total and report.added == total and not report.errors
    assert session.search("digital").total > 0  # indexed at the end

    with Session.open(ProfilePaths(tmp_path / "other", "test")) as other:
        assert other.import_paths(paths).added == report.added
    again = _drain(session.import_steps(paths, batch_files=50))[1]
    assert (again.added, again.updated, again.unchanged) == (0, 0, report.added)


def test_cancel_between_batches_keeps_what_was_imported(corpus: Path, session: Session) -> None:
    stop = {"now": False}
    steps = session.import_steps([corpus / NEWS], batch_files=3, cancelled=lambda: stop["now"])
    next(steps)
    first = next(steps)
    stop["now"] = True
    rest, report = _drain(steps)
    assert rest == []
    assert first.done == 3 and report.files == 3
    assert session.store.count() == report.added == 3
    assert any("cancelled after 3 of" in message for _file, message in report.notes)
    assert session.check().ok  # the index caught up with what the cancelled import saved


def test_skipped_files_say_why(tmp_path: Path, session: Session) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    (folder / "notes.txt").write_text("plain text", encoding="utf-8")
    (folder / "README.md").write_text("# about", encoding="utf-8")
    report = _drain(session.import_steps([folder]))[1]
    reasons = {Path(name).name: why for name, why in report.skips}
    assert report.skipped == 3 == len(report.skips)
    assert "not a supported format" in reasons["notes.txt"]
    assert "not valid JSON" in reasons["broken.json"]
    assert "not collection content" in reasons["README.md"]


def test_a_step_stops_early_once_its_time_is_up(corpus: Path, session: Session) -> None:
    from desktop.importers import ImportRun

    run = ImportRun([corpus / NEWS], session.store)
    assert run.step(10, max_seconds=1e-9) == 1  # past the budget after the first file
    assert run.step(3) == 3 and run.position == 4
