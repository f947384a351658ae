"""R1/R3 companions: the write lock across processes and threads; concurrent writers never corrupt."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from desktop.store import RecordRepository, StoreBusyError, open_store
from tests.store.conftest import make_record
from tests.store.killcheck import Model, parse_output

ROOT = Path(__file__).resolve().parents[2]

HOLDER = """
import sys
from pathlib import Path
from desktop.store import open_store
repo = open_store(Path(sys.argv[1]))
with repo.writing():
    print("HELD", flush=True)
    sys.stdin.readline()
print("RELEASED", flush=True)
"""


def test_a_second_process_gets_store_busy_within_the_timeout(profile: Path) -> None:
    open_store(profile).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(profile)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "HELD"
        started = time.monotonic()
        with pytest.raises(StoreBusyError, match="Another Imbizo process"):
            repo = RecordRepository(profile, lock_timeout=0.5)  # opening takes the lock too
        assert 0.4 < time.monotonic() - started < 3.0
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "RELEASED"
        holder.wait(10)
        repo = RecordRepository(profile, lock_timeout=0.5)
        repo.save(make_record())
        repo.close()
    finally:
        holder.kill()
        holder.wait()


def test_a_write_waits_for_the_lock_then_fails_busy(profile: Path) -> None:
    repo = RecordRepository(profile, lock_timeout=0.3)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(profile)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "HELD"
        record = make_record()
        with pytest.raises(StoreBusyError):
            repo.save(record)
        assert repo.get(record.id) is None  # reads never wait for the lock
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(10)
        repo.save(record)
    finally:
        holder.kill()
        holder.wait()
        repo.close()


def test_writing_is_reentrant_and_excludes_other_threads(profile: Path) -> None:
    repo = RecordRepository(profile, lock_timeout=0.2)
    outcome: list[str] = []
    with repo.writing():
        with repo.writing():
            repo.save(make_record(title="nested"))  # the same thread re-enters

        def other() -> None:
            try:
                repo.save(make_record(title="other thread"))
                outcome.append("saved")
            except StoreBusyError:
                outcome.append("busy")

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert outcome == ["busy"]
    repo.save(make_record(title="after"))
    assert repo.count() == 2
    repo.close()


def test_two_processes_writing_concurrently_never_corrupt(profile: Path, tmp_path: Path) -> None:
    open_store(profile).close()
    outs = [tmp_path / f"writer{n}.out" for n in range(2)]
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.store.kill_worker",
                str(profile),
                str(n + 1),
                "--out",
                str(out),
                "--ops",
                "30",
                "--own-only",
            ],
            cwd=ROOT,
        )
        for n, out in enumerate(outs)
    ]
    for writer in writers:
        assert writer.wait(120) == 0
    model = Model()
    for out in outs:
        iteration = parse_output(out)
        assert len(iteration.acked) == 30 and iteration.in_flight is None
        for state in iteration.acked:
            model.apply(state)
    with open_store(profile) as repo:
        assert repo.check().ok
        stored = {r.id: r.content_hash() for r in repo.iter_records(include_deleted=True)}
        assert stored == model.records
        attached = {(a.record_id, a.sha256) for rid in stored for a in repo.attachments(rid)}
        assert attached == model.attachments
        seqs = [e.seq for e in repo.changes_since(0, limit=100_000)]
        assert len(seqs) == len(set(seqs)) == len(stored) and max(seqs) <= repo.last_seq()
