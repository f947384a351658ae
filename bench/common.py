"""Small helpers shared by the benchmarks: timing, percentiles, printing."""

from __future__ import annotations

import os
import resource
import statistics
import time
from collections.abc import Callable, Iterable
from pathlib import Path

CORPUS = Path(os.environ.get("IMBIZO_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus"))


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank) of values; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def timed_ms(func: Callable[[], object]) -> float:
    """Milliseconds one call of func takes."""
    start = time.perf_counter()
    func()
    return (time.perf_counter() - start) * 1000


def p50_p95(values: Iterable[float]) -> tuple[float, float]:
    """Median and 95th percentile."""
    items = list(values)
    return (statistics.median(items) if items else 0.0, percentile(items, 95))


def folder_size_mb(path: Path) -> float:
    """Total size of the files under path, in MB."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def row(label: str, *cells: str) -> str:
    """One aligned line of a figures table."""
    return f"{label:<34}" + "".join(f"{c:>22}" for c in cells)
