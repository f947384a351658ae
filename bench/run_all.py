"""Run every benchmark; ``--smoke`` runs them at the small size CI uses (figures are for the notes)."""

from __future__ import annotations

import argparse
import sys

from bench import (
    bench_catalogue,
    bench_dashboard,
    bench_duplicates,
    bench_expert_finder,
    bench_first_sync,
    bench_gui_stall,
    bench_search,
    bench_server_requests,
    bench_startup,
    bench_sync_bytes,
    bench_sync_load,
)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks in turn; the first non-zero exit code stops the run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args(argv)
    for bench in (
        bench_search,
        bench_gui_stall,
        bench_startup,
        bench_sync_bytes,
        bench_first_sync,
        bench_sync_load,
        bench_server_requests,
        bench_duplicates,
        bench_catalogue,
        bench_dashboard,
        bench_expert_finder,
    ):
        code = int(bench.main(["--smoke"] if args.smoke else []))
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
