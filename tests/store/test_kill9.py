"""R1: kill -9 during local edits. Every acknowledged edit survives; nothing is half-applied.

Children are forked from a forkserver that pre-imported the store (no interpreter
start-up per kill point) and each continues the previous child's profile, so state
accumulates. ``IMBIZO_LONG=1`` runs 1,000 kill points instead of 200;
``IMBIZO_KILL_POINTS`` and ``IMBIZO_SEED`` override. On failure a trace file is
written (to ``IMBIZO_TRACE_DIR`` or the test's tmp folder) and its path is in the message.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from desktop.store import RecordRepository
from tests.store.kill_worker import run_worker
from tests.store.killcheck import Model, parse_output, verify

LONG = os.environ.get("IMBIZO_LONG") == "1"
KILL_POINTS = int(os.environ.get("IMBIZO_KILL_POINTS", "1000" if LONG else "200"))
PARALLEL = 2


def _wait_until(condition: Any, deadline_s: float) -> bool:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return bool(condition())


class Runner:
    """Kill-point loop over one profile (one of the parallel lanes)."""

    def __init__(self, ctx: Any, profile: Path, rng: random.Random, kills: int, trace_dir: Path) -> None:
        self.ctx = ctx
        self.profile = profile
        self.rng = rng
        self.kills = kills
        self.trace_dir = trace_dir
        self.model = Model()
        self.seen_blobs: set[str] = set()
        self.failure: str | None = None
        self.stats: Counter[str] = Counter()

    def run(self) -> None:
        try:
            for number in range(self.kills):
                if not self.one(number):
                    return
        except Exception as exc:  # surfaced by the test thread
            self.failure = f"{self.profile.name}: {exc!r}"

    def one(self, number: int) -> bool:
        seed = self.rng.randrange(2**31)
        mode = self.rng.choices(["long", "short", "hook"], weights=[20, 50, 30])[0]
        kill_at = self.rng.randint(1, 25) if mode == "hook" else 0
        delay = {"long": self.rng.uniform(0, 3), "short": self.rng.uniform(0, 0.25), "hook": 2.0}[mode]
        out = self.profile.parent / f"{self.profile.name}-{number}.out"
        process = self.ctx.Process(
            target=run_worker, args=(str(self.profile), seed, str(out)), kwargs={"kill_at_hook": kill_at}
        )
        process.start()
        if not _wait_until(lambda: b"READY" in (out.read_bytes() if out.exists() else b""), 60):
            process.kill()
            self.failure = f"{self.profile.name}: child {number} never got ready"
            return False
        if mode == "hook":
            process.join(delay)  # the child kills itself at its kill_at-th hook
        else:
            time.sleep(delay)  # the random kill point itself, not a wait for a condition
        process.kill()
        process.join(30)
        if process.exitcode != -9:
            self.failure = f"{self.profile.name}: child {number} exited with {process.exitcode}, not SIGKILL"
            return False
        iteration = parse_output(out)
        with RecordRepository(self.profile) as repo:
            problems = verify(repo, self.model, iteration, self.seen_blobs)
        self.stats["kills"] += 1
        self.stats[f"mode_{mode}"] += 1
        self.stats["acked_ops"] += len(iteration.acked)
        self.stats["in_flight"] += iteration.in_flight is not None
        if problems:
            trace = self.trace_dir / f"kill9-trace-{self.profile.name}-{number}-seed{seed}.json"
            trace.write_text(
                json.dumps(
                    {
                        "profile": str(self.profile),
                        "kill_point": number,
                        "child_seed": seed,
                        "mode": mode,
                        "delay": delay,
                        "kill_at_hook": kill_at,
                        "problems": problems,
                        "output": out.read_text(errors="replace").splitlines(),
                    },
                    indent=1,
                )
            )
            self.failure = f"{self.profile.name} kill point {number}: {problems[:5]} (trace: {trace})"
            return False
        out.unlink()
        return True


@pytest.mark.timeout(3600 if LONG else 600)
def test_kill9_during_local_edits(tmp_path: Path) -> None:
    seed = int(os.environ.get("IMBIZO_SEED", random.randrange(2**31)))
    print(f"\nR1 kill -9 seed={seed} kill_points={KILL_POINTS} (replay with IMBIZO_SEED={seed})")
    trace_dir = Path(os.environ.get("IMBIZO_TRACE_DIR", tmp_path))
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tests.store.kill_warmup"])
    master = random.Random(seed)
    runners = [
        Runner(
            ctx,
            tmp_path / f"profile{lane}",
            random.Random(master.randrange(2**31)),
            KILL_POINTS // PARALLEL + (lane < KILL_POINTS % PARALLEL),
            trace_dir,
        )
        for lane in range(PARALLEL)
    ]
    started = time.monotonic()
    threads = [threading.Thread(target=r.run) for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    failures = [r.failure for r in runners if r.failure]
    assert not failures, f"seed {seed}: {failures}"
    # A last full check, hashing every blob.
    for runner in runners:
        with RecordRepository(runner.profile) as repo:
            report = repo.check()
            assert report.ok, report.problems
    stats: Counter[str] = sum((r.stats for r in runners), Counter())
    records = sum(len(r.model.records) for r in runners)
    modes = {k: v for k, v in stats.items() if k.startswith("mode")}
    per_kill = elapsed / max(stats["kills"], 1) * PARALLEL
    print(
        f"R1: {stats['kills']} kill points in {elapsed:.1f} s ({per_kill:.2f} s per kill per lane), "
        f"{stats['acked_ops']} acknowledged ops, {records} records, "
        f"{stats['in_flight']} kills inside an op; modes {modes}; 0 lost, 0 partial, integrity ok"
    )
    assert stats["kills"] == KILL_POINTS
