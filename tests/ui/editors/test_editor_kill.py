"""The promise of autosave: a SIGKILL mid-typing loses at most the last 3 seconds of typing.

A real child process opens the profile in an editor (offscreen) and types into a
field key by key, reporting each key with a timestamp. The parent kills it with
SIGKILL mid-typing, then reads the working copy from the store.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from editor_helpers import find

from desktop.session import Session

CHILD = Path(__file__).with_name("kill_typing_child.py")
ROOT = Path(__file__).resolve().parents[3]
CASE = "Plain-language water interruption notices cut complaint calls"
TEXT = " ".join(["residents read short notices in their own language first"] * 20)
KEY_INTERVAL_MS = 25
TYPE_FOR_S = 6.0
MAY_LOSE_S = 3.0
START_TIMEOUT_S = 60.0


def _reader(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line.strip())
    lines.put(None)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_mid_typing_loses_at_most_the_last_three_seconds(demo_profile, tmp_path) -> None:
    with Session.open(demo_profile) as session:
        record = find(session, CASE)
    original = record.fields["lessons"]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    log = (tmp_path / "child.log").open("w")
    child = subprocess.Popen(
        [
            sys.executable,
            str(CHILD),
            str(demo_profile.data_dir),
            record.id,
            "lessons",
            TEXT,
            str(KEY_INTERVAL_MS),
        ],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        cwd=ROOT,
        env=env,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(child.stdout, lines), daemon=True).start()
    progress: list[tuple[int, float]] = []
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            assert line is not None and line != "done", f"child ended early: {line}"
            if line.startswith("typed "):
                _, count, stamp = line.split()
                progress.append((int(count), float(stamp)))
                if progress[-1][1] - progress[0][1] >= TYPE_FOR_S:
                    break
            elif line != "ready":
                pytest.fail(f"unexpected line from the child: {line}")
        killed_at = time.time()
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
        log.close()

    typed_by = max((count for count, stamp in progress if stamp <= killed_at - MAY_LOSE_S), default=0)
    assert typed_by > 50, f"the child typed too slowly to test anything: {progress[:3]}…"
    with Session.open(demo_profile) as session:
        working = session.working_copy(record.id)
        assert session.store.get(record.id).fields["lessons"] == original  # nothing committed
    assert working is not None, (tmp_path / "child.log").read_text()
    saved_text = working.record.fields["lessons"]
    assert saved_text.startswith(original)
    typed = saved_text[len(original) :]
    assert TEXT.startswith(typed), "the working copy holds something other than what was typed"
    assert len(typed) >= typed_by, (
        f"lost more than {MAY_LOSE_S} s of typing: {len(typed)} characters kept, {typed_by} typed by then"
    )
