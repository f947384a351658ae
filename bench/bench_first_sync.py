"""Time of a first sync of the whole corpus over a slow link, against the transfer-time floor.

    python -m bench.bench_first_sync                # the whole corpus (about 20 minutes)
    python -m bench.bench_first_sync --records 500  # a slice, extrapolated to the whole corpus
    python -m bench.bench_first_sync --smoke        # 20 records, as CI runs it

The link: tests/support/fault_proxy.py's FaultProxy between the real desktop profiles and a
real ``imbizo-server`` process (SQLite), 256 kbit/s each way (one link shared by every
connection) and 300 ms round trips (150 ms each way). Two first syncs are timed:

- A, a librarian's profile that imported the corpus, syncs for the first time (it pushes
  everything, then pulls what the feed holds, its own pushes included);
- B, a new profile (staff), syncs for the first time and pulls everything.

The floor of each is ``gzip -6 of the records' JSON / bandwidth + round trips x RTT`` with
the round trips the sync actually made (each request waits for its answer). Also printed:
the time the bytes that did cross would need at that rate (wire time) and the time the
client spent outside requests (applying, indexing). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_search import load
from bench.common import CORPUS
from bench.sync_common import client_profile, corpus_records, exit_on_sigterm, servers, service_for
from bench.sync_meter import Synced, gzip6, json_of, kb, line, metered_sync
from desktop.store.sync_mapping import version_of
from sync import protocol as p
from tests.support.fault_proxy import FaultProxy, parse_rate

USERS = {"lib": "librarian", "reader": "staff"}
RATE = parse_rate("256kbit")  # bytes per second, each way
RTT = 0.300


def _floor(gzip_bytes: int, round_trips: int) -> float:
    """Seconds no protocol can beat on this link: the compressed records, and one RTT per request."""
    return gzip_bytes / RATE + round_trips * RTT


def _sizes(label: str, synced: Synced, records: int, gzip_bytes: int) -> None:
    """What one first sync moved."""
    whole = synced.engine.total()
    print(line(label, f"{records:,}", str(whole.requests), kb(gzip_bytes), kb(whole.up), kb(whole.down)))


def _times(label: str, synced: Synced, gzip_bytes: int) -> tuple[float, float]:
    """How long one first sync took against its floor; returns (measured, floor) seconds."""
    whole = synced.engine.total()
    floor = _floor(gzip_bytes, whole.requests)
    wire = (whole.up + whole.down) / RATE + whole.requests * RTT
    local = synced.seconds - synced.client.network_seconds
    print(
        line(
            label,
            f"{synced.seconds:,.1f} s",
            f"{floor:,.1f} s",
            f"{synced.seconds / floor:.2f}x" if floor else "n/a",
            f"{wire:,.1f} s",
            f"{local:,.1f} s",
        )
    )
    return synced.seconds, floor


def _whole_corpus_floor() -> tuple[int, int]:
    """(records, gzip -6 bytes of their JSON) of the whole corpus, for the extrapolation."""
    records = corpus_records()
    return len(records), gzip6(json_of(version_of(r, []) for r in records))


def measure(work: Path, records: int | None, *, smoke: bool = False) -> None:
    """Sign in unthrottled, throttle the link, time both first syncs and print them."""
    started = time.perf_counter()
    with servers(work / "server", USERS) as running:
        port = int(running.urls[0].rsplit(":", 1)[1])
        with FaultProxy(("127.0.0.1", port)) as proxy:
            a_session = client_profile(work / "a", records, smoke=smoke)
            b_session = client_profile(work / "b", 0)
            try:
                a = service_for(a_session, proxy.url, "lib")
                b = service_for(b_session, proxy.url, "reader")
                count = a_session.store.count()
                proxy.configure(rate=RATE, rate_shared=True, latency=RTT / 2)
                print(f"client A holds {count:,} records; link 256 kbit/s each way, RTT 300 ms", flush=True)
                first_a = metered_sync(a, proxy)
                print(f"(A's first sync done in {first_a.seconds:.0f} s)", flush=True)
                first_b = metered_sync(b, proxy)
            finally:
                a_session.close()
                b_session.close()
    pushed, pulled = json_of(first_a.client.pushed), json_of(first_b.client.pulled)
    a_label, b_label = "A: push the corpus (+ its pull)", "B: pull the corpus"
    print(line("first sync", "records", "requests", "gzip -6 JSON", "sent (up)", "received"))
    _sizes(a_label, first_a, len(first_a.client.pushed), gzip6(pushed))
    _sizes(b_label, first_b, len(first_b.client.pulled), gzip6(pulled))
    print(line("", "measured", "floor", "vs floor", "wire time", "client local"))
    a_time, _ = _times(a_label, first_a, gzip6(pushed))
    b_time, _ = _times(b_label, first_b, gzip6(pulled))
    echo = first_a.engine.steps.get("pull")
    if echo is not None and echo.requests:
        print(
            f"  (A's pull brought back its own {len(first_a.client.pulled):,} pushes: {kb(echo.down)} "
            f"down in {echo.seconds:.1f} s of its {first_a.seconds:.1f} s)"
        )
    print(
        "  floor = gzip -6 of the records' JSON / 256 kbit/s + requests x 300 ms; wire time = the bytes\n"
        "  that crossed (both ways) / 256 kbit/s + requests x 300 ms; client local = time outside requests"
    )
    print(f"(the whole run, set-up included, took {time.perf_counter() - started:.0f} s)")
    if records is not None and not smoke:
        total, total_gzip = _whole_corpus_floor()
        scale = total / max(1, len(first_b.client.pulled))
        pulls = first_b.engine.steps["pull"].requests
        b_requests = first_b.engine.total().requests - pulls + math.ceil(total / p.DEFAULT_PULL_LIMIT)
        print(
            f"EXTRAPOLATED, not measured: the whole corpus ({total:,} records, gzip -6 {kb(total_gzip)}), "
            f"times scaled linearly from {len(first_b.client.pulled):,} records: "
            f"A about {a_time * scale:,.0f} s, "
            f"B about {b_time * scale:,.0f} s; B's floor {_floor(total_gzip, b_requests):,.0f} s "
            f"({b_requests} round trips)"
        )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="20 records (as CI runs it)")
    parser.add_argument("--records", type=int, default=0, help="a slice of this many records (default: all)")
    args = parser.parse_args(argv)
    exit_on_sigterm()
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}; set IMBIZO_CORPUS", file=sys.stderr)
        return 1
    records = 20 if args.smoke else (args.records or None)
    work = Path(tempfile.mkdtemp(prefix="imbizo-bench-first-sync-"))
    try:
        what = "the whole corpus" if records is None else f"a slice of {records} records"
        print(f"== first sync over 256 kbit/s, 300 ms RTT: {what}; {load()}", flush=True)
        measure(work, records, smoke=args.smoke)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
