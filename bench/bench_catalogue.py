"""The staged catalogue import over the whole corpus catalogue (725 MARC records in 10 files).

    python -m bench.bench_catalogue           # the whole corpus catalogue, 3 runs per figure
    python -m bench.bench_catalogue --smoke   # pymarc_test only, 1 run (seconds)

Into a fresh profile (a Session: store and search index): the preview (parsed in this process,
and in the child process as the app does), the import of it (one transaction per batch, the index
caught up after each), a second preview (every record unchanged), the plain ``imbizo import``
path for comparison (ratio staged / plain), and the CSV and MARCXML exports. Figures only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import CORPUS, row
from desktop.paths import ProfilePaths
from desktop.session import Session


def _files(smoke: bool) -> list[Path]:
    folders = ["library/pymarc_test"] if smoke else ["library/pymarc_test", "library/marc2bibframe2_dataset"]
    return [CORPUS / folder for folder in folders]


def _seconds(runs: int, setup: Callable[[], object], work: Callable[[object], object]) -> float:
    """Median seconds of ``work(setup())`` over ``runs`` (setup not timed)."""
    times = []
    for _ in range(runs):
        state = setup()
        start = time.perf_counter()
        work(state)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    runs = 1 if args.smoke else args.runs
    paths = _files(args.smoke)
    if not all(p.exists() for p in paths):
        print(f"the corpus catalogue is not at {CORPUS}", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory(prefix="imbizo-bench-catalogue-") as tmp:
        base = Path(tmp)
        counter = iter(range(10_000))

        def fresh() -> Session:
            return Session.open(ProfilePaths(base / f"p{next(counter)}", "--data-dir"))

        def staged(session: object) -> None:
            assert isinstance(session, Session)
            preview = session.preview_import(paths)
            for _ in session.import_preview_steps(preview):
                pass
            session.close()

        def plain(session: object) -> None:
            assert isinstance(session, Session)
            session.import_paths(paths)
            session.close()

        probe = fresh()
        preview = probe.preview_import(paths)
        records = len(preview.items)
        in_process = _seconds(runs, lambda: probe, lambda s: s.preview_import(paths))  # type: ignore[attr-defined]
        in_child = _seconds(runs, lambda: probe, lambda s: s.preview_import(paths, parse_in_child=True))  # type: ignore[attr-defined]
        for _ in probe.import_preview_steps(preview):
            pass
        again = _seconds(runs, lambda: probe, lambda s: s.preview_import(paths))  # type: ignore[attr-defined]
        unchanged = probe.preview_import(paths).counts()["unchanged"]
        export_csv = _seconds(runs, lambda: probe, lambda s: s.export_catalogue(base / "c.csv", "csv"))  # type: ignore[attr-defined]
        export_xml = _seconds(runs, lambda: probe, lambda s: s.export_catalogue(base / "c.xml", "marcxml"))  # type: ignore[attr-defined]
        probe.close()
        staged_s = _seconds(runs, fresh, staged)
        plain_s = _seconds(runs, fresh, plain)

    print(f"catalogue: {records} records in {len(paths)} folder(s), median of {runs} run(s)")
    print(row("figure", "seconds", "records/s"))
    for label, seconds in (
        ("preview (parse in process)", in_process),
        ("preview (parse in a child)", in_child),
        ("preview + import, fresh profile", staged_s),
        ("plain import, fresh profile", plain_s),
        (f"preview again ({unchanged} unchanged)", again),
        ("export CSV", export_csv),
        ("export MARCXML", export_xml),
    ):
        print(row(label, f"{seconds:.3f}", f"{records / seconds:,.0f}" if seconds else "-"))
    print(row("staged / plain import", f"{staged_s / plain_s:.2f}x" if plain_s else "-"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
