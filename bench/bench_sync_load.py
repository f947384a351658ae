"""Pushes and pulls per second with 20 concurrent clients, on SQLite and on PostgreSQL.

    python -m bench.bench_sync_load                    # 20 clients, 30 s per backend
    python -m bench.bench_sync_load --pg-processes 3   # three server processes on PostgreSQL
    python -m bench.bench_sync_load --smoke            # 2 clients for 2 s, as CI runs it

Real ``imbizo-server`` processes: one on an SQLite file; ``--pg-processes`` (default 2) on
one PostgreSQL database of the throw-away cluster of tests/support/postgres.py, sharing
it and one blob folder (clients are spread over them, as a reverse proxy would). The
accounts are made with ``imbizo-server adduser`` (cheap argon2): every fifth (user01, user06...) is a
librarian (what they push is published, so every client pulls it), the others staff
(their pushes are drafts, which only they pull back).

Each client is its own process running ``sync.client.SyncClient`` in a closed loop for the
same wall-clock window: push a batch (half new records made from corpus articles, half
edits of one field of its own records), then pull the feed until it is caught up. Prints
changes/s and requests/s, p50/p95 latency per request kind, and where the CPU went.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.bench_search import load
from bench.common import CORPUS, p50_p95
from bench.sync_common import Servers, corpus_records, exit_on_sigterm, postgres, servers
from bench.sync_load_client import BATCH, ClientResult
from bench.sync_meter import line
from desktop.core.kinds import Kind
from desktop.store.sync_mapping import version_of


def _templates(count: int, *, smoke: bool = False) -> list[tuple[str, dict[str, Any]]]:
    """Payloads of corpus articles and case studies (the records people write and edit)."""
    chosen = [r for r in corpus_records(smoke=smoke) if r.kind in (Kind.ARTICLE, Kind.CASE_STUDY)]
    chosen = chosen[:: max(1, len(chosen) // count)][:count]
    return [(r.kind.value, version_of(r, []).payload) for r in chosen]


def _cpu_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    import os

    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(values) - idle) / tick, sum(values) / tick


def run_load(
    running: Servers,
    users: list[str],
    templates: list[tuple[str, dict[str, Any]]],
    duration: float,
    seed: int,
) -> tuple[list[ClientResult], float, dict[str, float]]:
    """Start one client process per user, release them together; returns results, the window and CPU use."""
    procs = []
    for n, user in enumerate(users):
        proc = subprocess.Popen(
            [sys.executable, "-m", "bench.sync_load_client"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1],
        )  # fmt: skip
        assert proc.stdin is not None
        settings = {
            "url": running.urls[n % len(running.urls)],
            "user": user,
            "templates": templates,
            "seed": seed + n,
            "duration": duration,
        }
        proc.stdin.write(json.dumps(settings) + "\n")
        proc.stdin.flush()
        procs.append(proc)
    try:
        for proc in procs:
            assert proc.stdout is not None
            if proc.stdout.readline().strip() != "ready":
                raise RuntimeError("a load client did not start")
        busy0, total0 = _cpu_busy()
        server0, database0 = running.cpu_seconds(), running.database_cpu_seconds()
        start = time.perf_counter()
        for proc in procs:
            assert proc.stdin is not None
            with contextlib.suppress(BrokenPipeError):  # a client that failed to sign in has ended
                proc.stdin.write("go\n")
                proc.stdin.flush()
        lines = [proc.communicate(timeout=duration + 120)[0] for proc in procs]
        window = time.perf_counter() - start
        busy1, total1 = _cpu_busy()
        server1, database1 = running.cpu_seconds(), running.database_cpu_seconds()
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    results = [ClientResult(**json.loads(text.strip().splitlines()[-1])) for text in lines]
    cpu = {
        "machine": (busy1 - busy0) / window,
        "servers": (server1 - server0) / window,
        "database": (database1 - database0) / window,
        "clients": sum(r.cpu_seconds for r in results) / window,
        "cores": (total1 - total0) / window,
    }
    return results, window, cpu


def report(
    label: str, results: list[ClientResult], window: float, cpu: dict[str, float], processes: int
) -> None:
    """One block of figures per backend."""
    pushes = [ms for r in results for ms in r.latencies["push"]]
    pulls = [ms for r in results for ms in r.latencies["pull"]]
    pushed, pulled = sum(r.pushed for r in results), sum(r.pulled for r in results)
    errors = [e for r in results for e in r.errors]
    refused = sum(r.refused for r in results)
    print(
        line(
            label,
            f"{pushed / window:,.1f}",
            f"{pulled / window:,.1f}",
            f"{len(pushes) / window:,.1f}",
            f"{len(pulls) / window:,.1f}",
            "{:.0f} / {:.0f}".format(*p50_p95(pushes)),
            "{:.0f} / {:.0f}".format(*p50_p95(pulls)),
            "{:.0f} / {:.0f}".format(*p50_p95(pushes + pulls)),
            width=14,
        )
    )
    others = max(0.0, cpu["machine"] - cpu["servers"] - cpu["clients"] - cpu["database"])
    print(
        f"  {window:.1f} s; {len(pushes)} pushes ({pushed:,} changes accepted, {refused} refused), "
        f"{len(pulls)} pulls ({pulled:,} entries)\n  CPU in cores: server processes {cpu['servers']:.2f}, "
        f"PostgreSQL {cpu['database']:.2f}, clients {cpu['clients']:.2f}, other work on the machine "
        f"{others:.2f}, of {cpu['cores']:.0f} cores"
    )
    server_ms = (cpu["servers"] + cpu["database"]) * window * 1000
    print(
        f"  each server process had {cpu['servers'] / processes:.2f} of a core; server and database CPU "
        f"per accepted change (its push and the pulls that delivered it): {server_ms / max(1, pushed):.1f} ms"
    )
    for error in errors[:5]:
        print(f"  client error: {error}")


@contextmanager
def backend(kind: str, work: Path, users: dict[str, str], pg_processes: int) -> Iterator[Servers | None]:
    """Server processes on SQLite (one) or on a PostgreSQL database (several); None without PostgreSQL."""
    if kind == "sqlite":
        with servers(work / "sqlite", users) as running:
            yield running
        return
    with postgres() as cluster:
        if cluster is None:
            yield None
            return
        url = cluster.create_database()
        try:
            postmaster = int((cluster.data_dir / "postmaster.pid").read_text().split()[0])
            with servers(
                work / "postgresql", users, database_url=url, processes=pg_processes, database_pid=postmaster
            ) as running:
                yield running
        finally:
            cluster.drop_database(url)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark on both backends and print its figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="2 clients for 2 s (as CI runs it)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0, help="measured window per backend")
    parser.add_argument("--pg-processes", type=int, default=2, help="server processes on PostgreSQL")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--backend", choices=("both", "sqlite", "postgresql"), default="both")
    args = parser.parse_args(argv)
    exit_on_sigterm()
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}; set IMBIZO_CORPUS", file=sys.stderr)
        return 1
    clients, seconds = (2, 2.0) if args.smoke else (args.clients, args.seconds)
    users = {f"user{n:02d}": ("librarian" if n % 5 == 1 else "staff") for n in range(1, clients + 1)}
    templates = _templates(10 if args.smoke else 100, smoke=args.smoke)
    kinds = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    work = Path(tempfile.mkdtemp(prefix="imbizo-bench-sync-load-"))
    blocks: list[tuple[str, list[ClientResult], float, dict[str, float], int]] = []
    try:
        librarians = sum(role == "librarian" for role in users.values())
        print(
            f"== sync load: {clients} clients ({librarians} librarians), {seconds:.0f} s per backend, "
            f"batches of {BATCH} changes, seed {args.seed}; {load()}",
            flush=True,
        )
        for kind in kinds:
            with backend(kind, work, users, args.pg_processes) as running:
                if running is None:
                    continue
                label = (
                    "SQLite, 1 process" if kind == "sqlite" else f"PostgreSQL, {len(running.urls)} processes"
                )
                results, window, cpu = run_load(running, list(users), templates, seconds, args.seed)
                blocks.append((label, results, window, cpu, len(running.urls)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        line(
            "backend",
            "pushed/s",
            "pulled/s",
            "push req/s",
            "pull req/s",
            "push p50/p95",
            "pull p50/p95",
            "all p50/p95",
            width=14,
        )
    )
    for block in blocks:
        report(*block)
    print(f"({load()})")
    print("  (changes/s: records accepted by pushes, feed entries received by pulls; latency in ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
