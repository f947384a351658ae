"""The longest stall of the GUI thread while importing the corpus and while typing in search.

    python -m bench.bench_gui_stall           # the whole ../shared/corpus (several minutes)
    python -m bench.bench_gui_stall --smoke   # a small slice, as CI runs it (< 30 s)

A real MainWindow (offscreen) on an empty profile. A heartbeat QTimer fires every
5 ms on the GUI thread; the gap between two beats is how long the GUI thread could
not run its event loop. Measured (a) while the window's import flow imports the corpus,
(b) while a query is typed into the search box a key at a time over that profile.
A watchdog thread samples the GUI thread's Python stack whenever a beat is late, so the
worst stalls say where they happened. Target: no stall over 50 ms. Prints figures;
asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import CORPUS, percentile

BEAT_MS = 5
STALL_MS = 50.0
LONG_C_CALL_MS = 20.0
SMOKE_PATHS = (
    "knowledge_base/digitalgov/news/2014/05",
    "knowledge_base/govuk_content_items/case_study",
    "vocab/digitalgov_topics",
)
QUERIES = ("water services", "digital accessibility", "plain language", "communty")
KEY_GAP_MS = 60  # a fast typist: about 16 keys a second


@dataclass
class Stall:
    """One late heartbeat: how long, in which phase, and where the GUI thread was."""

    ms: float
    phase: str
    where: str = ""
    end: float = 0.0  # perf_counter() when the late beat came
    cpu_ms: float = 0.0  # the GUI thread computing (Qt and Python work on the GUI thread)
    queued_ms: float = 0.0  # the GUI thread runnable but given no CPU (machine load), Linux only

    def split(self) -> str:
        """Where the time went: computing, waiting for a CPU, or waiting for the GIL (the rest)."""
        blocked = max(self.ms - self.cpu_ms - self.queued_ms - BEAT_MS, 0.0)
        return f"gui cpu {self.cpu_ms:5.1f}, no cpu {self.queued_ms:5.1f}, gil/idle {blocked:5.1f}"


def _run_delay_ms() -> float:
    """Milliseconds this thread has waited on a run queue (Linux schedstat); 0 elsewhere."""
    try:
        with open("/proc/thread-self/schedstat", encoding="ascii") as stats:
            return int(stats.read().split()[1]) / 1e6
    except (OSError, IndexError, ValueError):
        return 0.0


@dataclass
class Heartbeat:
    """Beats a QTimer on the GUI thread and records every gap; a watchdog samples late beats' stacks."""

    phase: str = "idle"
    gaps: dict[str, list[float]] = field(default_factory=dict)
    stalls: list[Stall] = field(default_factory=list)
    _last: float = 0.0
    _last_cpu: float = 0.0
    _last_queued: float = 0.0
    _sample: str = ""
    _others: str = ""
    _running: bool = True

    def start(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(BEAT_MS)
        self._timer.timeout.connect(self._beat)
        self._last = time.perf_counter()
        self._timer.start()
        self._main = threading.main_thread().ident
        self._watchdog = threading.Thread(target=self._watch, name="stall-watchdog", daemon=True)
        self._watchdog.start()

    def stop(self) -> None:
        self._running = False
        self._timer.stop()

    def set_phase(self, phase: str) -> None:
        self.phase = phase
        self.gaps.setdefault(phase, [])
        # A phase starts with a fresh beat.
        self._last, self._last_cpu, self._last_queued = (
            time.perf_counter(),
            time.thread_time() * 1000,
            _run_delay_ms(),
        )
        self._sample = ""

    def _beat(self) -> None:
        now = time.perf_counter()
        cpu, queued = time.thread_time() * 1000, _run_delay_ms()
        gap = (now - self._last) * 1000
        self.gaps.setdefault(self.phase, []).append(gap)
        if gap > STALL_MS:
            where = self._sample + (f"  || other threads: {self._others}" if self._others else "")
            stall = Stall(gap, self.phase, where, now, cpu - self._last_cpu, queued - self._last_queued)
            self.stalls.append(stall)
        self._last, self._last_cpu, self._last_queued = now, cpu, queued
        self._sample = self._others = ""

    def _watch(self) -> None:
        # Sample once per late beat, about 30 ms into the stall, so the stack shows what blocks.
        sampled_for = 0.0
        while self._running:
            time.sleep(0.01)
            last = self._last
            if (time.perf_counter() - last) * 1000 > 30 and sampled_for != last:
                sampled_for = last
                frames = sys._current_frames()
                frame = frames.get(self._main or 0)
                if frame is not None:
                    self._sample = _short_stack(frame)
                # The other threads too: when the GUI thread waits for the GIL, the holder is
                # usually one of them, caught just after the long call it was in.
                others = [
                    _short_stack(f)
                    for ident, f in frames.items()
                    if ident not in (self._main, threading.get_ident())
                ]
                self._others = " || ".join(others)[:900]


def _short_stack(frame: object) -> str:
    """The innermost project frames of a stack, as 'file:line function' entries."""
    entries = traceback.extract_stack(frame)  # type: ignore[arg-type]
    ours = [e for e in entries if "/desktop/" in e.filename or "/bench/" in e.filename]
    shown = (ours or entries)[-4:]
    return " <- ".join(f"{Path(e.filename).name}:{e.lineno} {e.name}" for e in reversed(shown))


def _wait(app: object, condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)  # type: ignore[attr-defined]


def _summary(label: str, gaps: list[float], stalls: list[Stall]) -> None:
    over = [s for s in stalls if s.ms > STALL_MS]
    worst = max(gaps, default=0.0)
    print(
        f"{label:<28} {sum(gaps) / 1000:6.1f} s  beats {len(gaps):>6}  max {worst:6.1f} ms  "
        f"p99 {percentile(gaps, 99):5.1f} ms  stalls > {STALL_MS:.0f} ms: {len(over):>3}  "
        f"{'OK' if not over else 'OVER TARGET'}"
    )
    if over:
        total = Stall(
            sum(s.ms for s in over),
            label,
            "",
            0.0,
            sum(s.cpu_ms for s in over),
            sum(s.queued_ms for s in over),
        )
        total.ms -= BEAT_MS * (len(over) - 1)
        print(f"{'':<30}in those stalls: {total.split()} ms")


@dataclass
class GilTrace:
    """``--trace-gil``: C calls in worker threads that ran longer than ``LONG_C_CALL_MS``.

    A C function that holds the GIL (a regex, json, pickle, a C parser) keeps the GUI thread
    from running any Python slot until it returns; the stall report names the ones that
    overlapped each stall. Profiling slows the workers down, so figures with it are for
    finding causes, not for the notes.
    """

    calls: list[tuple[float, float, str, str]] = field(default_factory=list)  # start, end, name, caller
    _local: threading.local = field(default_factory=threading.local)

    def profile(self, frame: Any, event: str, arg: Any) -> None:
        if event == "c_call":
            stack = getattr(self._local, "stack", None)
            if stack is None:
                stack = self._local.stack = []
            stack.append(time.perf_counter())
        elif event in ("c_return", "c_exception"):
            stack = getattr(self._local, "stack", None)
            if not stack:
                return
            start = stack.pop()
            end = time.perf_counter()
            if (end - start) * 1000 > LONG_C_CALL_MS:
                code = frame.f_code
                name = getattr(arg, "__qualname__", None) or getattr(arg, "__name__", str(arg))
                module = getattr(arg, "__module__", "") or ""
                caller = f"{Path(code.co_filename).name}:{frame.f_lineno} {code.co_name}"
                self.calls.append((start, end, f"{module}.{name}".lstrip("."), caller))

    def install(self) -> None:
        """Profile the task manager's jobs and any Python thread started from now on."""
        import desktop.ui.tasks as tasks

        threading.setprofile(self.profile)
        for job in (tasks._Job, tasks._StepJob):
            original = job.run

            def run(runnable: Any, original: Callable[[Any], None] = original) -> None:
                sys.setprofile(self.profile)
                try:
                    original(runnable)
                finally:
                    sys.setprofile(None)

            job.run = run  # type: ignore[method-assign, assignment]

    def report(self, stalls: list[Stall]) -> None:
        """The long C calls that overlapped stalls, grouped by function."""
        grouped: dict[tuple[str, str], list[float]] = {}
        for stall in stalls:
            stall_start = stall.end - stall.ms / 1000
            for start, end, name, caller in self.calls:
                if start < stall.end and end > stall_start:
                    grouped.setdefault((name, caller), []).append((end - start) * 1000)
        print(f"long C calls (> {LONG_C_CALL_MS:.0f} ms) in workers overlapping the stalls:")
        for (name, caller), durations in sorted(grouped.items(), key=lambda kv: -sum(kv[1]))[:15]:
            print(f"  {len(durations):>4} x  max {max(durations):6.1f} ms  {name}  (from {caller})")


def run(paths: list[Path], *, smoke: bool, trace: GilTrace | None = None) -> int:
    """Import ``paths`` through a real window's import flow, then type queries; print stall figures."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from desktop.paths import ProfilePaths
    from desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    beat = Heartbeat()
    with tempfile.TemporaryDirectory(prefix="imbizo-stall-") as tmp:
        window = MainWindow(ProfilePaths(Path(tmp) / "profile", "--data-dir"))
        window.show()
        beat.start()
        beat.set_phase("open profile")
        window.open_profile()
        _wait(app, lambda: window.record_count is not None, 120, "the profile to open")

        beat.set_phase("import")
        started = time.perf_counter()
        flow = window.import_paths(paths)
        assert flow is not None
        last_phase = ["import"]

        # How long each write-lane step took, from one progress report to the next: a save queued
        # during the import waits for at most one step.
        step_marks = [time.perf_counter()]

        def on_progress(progress: object) -> None:
            step_marks.append(time.perf_counter())
            done, total = progress.done, progress.total  # type: ignore[attr-defined]
            phase = "import: indexing at the end" if total and done >= total else "import"
            if phase != last_phase[0]:
                last_phase[0] = phase
                beat.phase = phase
                beat.gaps.setdefault(phase, [])

        flow.progressed.connect(on_progress)
        _wait(app, lambda: flow.report is not None, 3600, "the import")
        import_s = time.perf_counter() - started
        step_marks.append(time.perf_counter())
        steps_ms = [(b - a) * 1000 for a, b in itertools.pairwise(step_marks)]
        beat.set_phase("after import (refresh)")
        _wait(app, lambda: window.record_count not in (None, 0), 60, "the count")
        QTest.qWait(500)
        report = flow.report
        assert report is not None
        if flow.report_box is not None:
            flow.report_box.close()

        beat.set_phase("typing in search")
        edit = window.search.query_edit
        window.focus_search()
        for query in QUERIES:
            edit.clear()
            for char in query:
                QTest.keyClicks(edit, char)
                QTest.qWait(KEY_GAP_MS)

            def answered(query: str = query) -> bool:
                answer = window.search.last_answer
                return answer is not None and answer.text == query

            _wait(app, answered, 30, f"the results for {query!r}")
            QTest.qWait(150)
            QTest.keyClick(edit, Qt.Key.Key_Down)  # into the results: the detail view renders a record
            QTest.qWait(200)
            window.focus_search()
        beat.set_phase("done")
        beat.stop()
        window.close()

    print(f"== GUI stall ({'corpus slice' if smoke else 'whole corpus'}: {', '.join(str(p) for p in paths)})")
    print(
        f"import: {report.files} files, {report.added} added, {report.skipped} skipped in {import_s:.1f} s "
        f"(batches of {flow.batch_files} files)"
    )
    batches = steps_ms[1:-1]  # between the first report (files listed) and the last (the index update)
    print(
        f"write-lane steps: {len(steps_ms)}; listing files {steps_ms[0]:.0f} ms; batches p50 "
        f"{percentile(batches, 50):.0f} ms, p95 {percentile(batches, 95):.0f} ms, "
        f"max {max(batches, default=0):.0f} ms; "
        f"index update at the end {steps_ms[-1]:.0f} ms (a save queued meanwhile waits for one step)"
    )
    for phase, gaps in beat.gaps.items():
        if phase in ("idle", "done") or not gaps:
            continue
        _summary(phase, gaps, [s for s in beat.stalls if s.phase == phase])
    worst = sorted(beat.stalls, key=lambda s: -s.ms)[:10]
    if worst:
        print("worst stalls (GUI thread's stack ~30 ms into the stall):")
        for stall in worst:
            where = stall.where or "(no stack sampled: the watchdog waited for the GIL too)"
            print(f"  {stall.ms:7.1f} ms  [{stall.phase}]  ({stall.split()})  {where}")
    if trace is not None:
        trace.report(beat.stalls)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="a small slice of the corpus (as CI runs it)")
    parser.add_argument(
        "--trace-gil",
        action="store_true",
        help="name the long C calls in workers that overlap stalls (slows the import down)",
    )
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}; set IMBIZO_CORPUS", file=sys.stderr)
        return 2
    paths = [CORPUS / p for p in SMOKE_PATHS] if args.smoke else [CORPUS]
    trace = None
    if args.trace_gil:
        trace = GilTrace()
        trace.install()
    return run(paths, smoke=args.smoke, trace=trace)


if __name__ == "__main__":
    sys.exit(main())
