"""Bytes on the wire per synced record, against gzip -6 of the same records' JSON.

    python -m bench.bench_sync_bytes               # the whole corpus (about 12,600 records)
    python -m bench.bench_sync_bytes --records 500 # a slice of it
    python -m bench.bench_sync_bytes --smoke       # 30 records, as CI runs it

A real ``imbizo-server`` process (SQLite), two real desktop profiles and the real sync
engine; the bytes are counted by tests/support/fault_proxy.py's FaultProxy (no faults)
between them, so they are what the wire carried: request and response heads and bodies.
Client A (a librarian) holds the corpus and syncs first (its push, then the pull that
brings its own pushes back); client B (staff) starts empty and pulls everything. Then A
edits one field of one record (and then of ``--edits`` records), syncs, and B syncs.

The comparison is gzip -6 of the same records' JSON as the protocol writes it (envelope +
payload + file refs, one JSON array), computed in the same run. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from bench.bench_search import load
from bench.common import CORPUS
from bench.sync_common import client_profile, exit_on_sigterm, servers, service_for
from bench.sync_meter import (
    Synced,
    WireFigures,
    gzip6,
    json_of,
    kb,
    line,
    metered_sync,
    ratio,
    slim_answer_saving,
    stored_versions,
)
from desktop.core.kinds import Kind
from desktop.session import Session
from desktop.sync_service import SyncService
from sync.client import GZIP_ABOVE_BYTES
from tests.support.fault_proxy import FaultProxy

USERS = {"lib": "librarian", "reader": "staff"}


def _steps(label: str, synced: Synced) -> None:
    """One line per metered step of a sync, then the whole sync."""
    for name, figures in synced.engine.steps.items():
        if figures.requests:
            print(line(f"  {label} {name}", str(figures.requests), kb(figures.up), kb(figures.down)))
    whole = synced.engine.total()
    print(line(f"  {label} whole sync", str(whole.requests), kb(whole.up), kb(whole.down)))


def _heads(synced: Synced) -> str:
    """Bytes of HTTP heads per request (what the wire carried beyond the bodies)."""
    whole, enc = synced.engine.total(), synced.encodings
    if not whole.requests:
        return "no requests"
    up = (whole.up - enc.request_body_bytes) / whole.requests
    down = (whole.down - enc.response_body_bytes) / whole.requests
    return f"heads: {up:.0f} B per request, {down:.0f} B per response"


def _compare(label: str, records: int, gzip_bytes: int, wire: WireFigures, data_up: bool) -> None:
    """One comparison line: the wire bytes of a step against gzip -6 of its records' JSON."""
    data = wire.up if data_up else wire.down
    per = f"{wire.total / records:,.0f} B" if records else "-"
    print(
        line(
            label,
            f"{records:,}",
            kb(gzip_bytes),
            kb(data),
            ratio(data, gzip_bytes),
            kb(wire.total),
            ratio(wire.total, gzip_bytes),
            per,
        )
    )


def _savings(label: str, synced: Synced, gzip_bytes: int) -> None:
    """Estimated bytes of A's sync without its own pushes coming back (in answers and in the feed)."""
    whole = synced.engine.total()
    full, slim, slimmed = slim_answer_saving(synced.client)
    own = stored_versions(synced.client)
    echoes = [v for v in synced.client.pulled if (v.envelope.id, v.envelope.revision) in own]
    echoed = len(echoes)
    echo_body = gzip6(json_of(echoes)) if echoes else 0
    after = whole.total - (full - slim) - echo_body
    print(
        f"  {label}: {kb(whole.total)} both ways ({ratio(whole.total, gzip_bytes)} gzip) -> about "
        f"{kb(after)} ({ratio(after, gzip_bytes)}): push answers {kb(full)} -> {kb(slim)} with "
        f"{slimmed} payloads not sent back; {echoed} of {len(synced.client.pulled)} pulled entries were "
        f"versions its push answers had brought ({kb(echo_body)})"
    )


def _edit(session: Session, count: int, round_no: int) -> list[str]:
    """Change one field (the summary) of ``count`` articles, as a person editing would."""
    edited = []
    for record in session.store.iter_records([Kind.ARTICLE, Kind.CASE_STUDY]):
        summary = str(record.fields.get("summary") or "")
        session.save(record.with_fields(summary=f"{summary} (checked on site, round {round_no})".strip()))
        edited.append(record.id)
        if len(edited) >= count:
            break
    return edited


def _sync_pair(a: SyncService, b: SyncService, proxy: FaultProxy) -> tuple[Synced, Synced]:
    """A syncs (pushes), then B syncs (pulls what A pushed)."""
    return metered_sync(a, proxy), metered_sync(b, proxy)


def _table_head() -> None:
    print(
        line(
            "what moved",
            "records",
            "gzip -6 JSON",
            "data way",
            "data/gzip",
            "both ways",
            "both/gzip",
            "per record",
        )
    )


def measure(work: Path, records: int | None, edits: int, *, smoke: bool = False) -> None:
    """Run the syncs and print the tables."""
    with servers(work / "server", USERS) as running:
        port = int(running.urls[0].rsplit(":", 1)[1])
        with FaultProxy(("127.0.0.1", port)) as proxy:
            a_session = client_profile(work / "a", records, smoke=smoke)
            b_session = client_profile(work / "b", 0)
            try:
                a = service_for(a_session, proxy.url, "lib")
                b = service_for(b_session, proxy.url, "reader")
                print(f"client A holds {a_session.store.count():,} records; B holds none", flush=True)
                first_a, first_b = _sync_pair(a, b, proxy)
                edit_one = _sync_pair(a, b, proxy) if _edit(a_session, 1, 1) else None
                edit_many = _sync_pair(a, b, proxy) if _edit(a_session, edits, 2) else None
            finally:
                a_session.close()
                b_session.close()
    report(first_a, first_b, edit_one, edit_many)


def report(
    first_a: Synced,
    first_b: Synced,
    edit_one: tuple[Synced, Synced] | None,
    edit_many: tuple[Synced, Synced] | None,
) -> None:
    """Print the step table, the comparison table and the encodings."""
    pushed_json = json_of(first_a.client.pushed)
    pulled_json = json_of(first_b.client.pulled)
    echo_json = json_of(first_a.client.pulled)
    print(
        f"\nFirst syncs: A pushed {len(first_a.client.pushed):,} records "
        f"({kb(len(pushed_json))} of JSON, gzip -6 {kb(gzip6(pushed_json))}) in {first_a.seconds:.1f} s; "
        f"B pulled {len(first_b.client.pulled):,} in {first_b.seconds:.1f} s "
        f"(A: {first_a.report.pushed:,} accepted, {len(first_a.report.rejected)} rejected; "
        f"B verified: {first_b.report.verified})"
    )
    print(line("step", "requests", "sent (up)", "received"))
    _steps("A", first_a)
    _steps("B", first_b)
    print()
    _table_head()
    push = first_a.engine.steps["push"]
    _compare("first push (A's push step)", len(first_a.client.pushed), gzip6(pushed_json), push, True)
    pull = first_b.engine.steps["pull"]
    _compare("first pull (B's pull step)", len(first_b.client.pulled), gzip6(pulled_json), pull, False)
    echo = first_a.engine.steps.get("pull", WireFigures())
    _compare("A's pull of its own pushes", len(first_a.client.pulled), gzip6(echo_json), echo, False)
    _compare(
        "A's whole first sync", len(first_a.client.pushed), gzip6(pushed_json), first_a.engine.total(), True
    )
    _compare(
        "B's whole first sync", len(first_b.client.pulled), gzip6(pulled_json), first_b.engine.total(), False
    )
    for label, pair in (("1 edit", edit_one), ("edits", edit_many)):
        if pair is None:
            continue
        a, b = pair
        count = len(a.client.pushed)
        name = f"{count} edits" if label == "edits" else label
        a_json, b_json = json_of(a.client.pushed), json_of(b.client.pulled)
        _compare(f"{name}: A's whole sync", count, gzip6(a_json), a.engine.total(), True)
        _compare(f"{name}: B's whole sync", len(b.client.pulled), gzip6(b_json), b.engine.total(), False)
        _compare(f"{name}: A's push step only", count, gzip6(a_json), a.engine.steps["push"], True)
        _compare(
            f"{name}: B's pull step only", len(b.client.pulled), gzip6(b_json), b.engine.steps["pull"], False
        )
    print(
        "\n(data way: the wire bytes, heads included, in the direction the records travel; data/gzip: that\n"
        "over gzip -6 of the records' JSON; both ways, both/gzip: both directions; per record: both ways\n"
        "over records)"
    )
    print(
        "\nESTIMATES, not measured: A's syncs if its own pushes did not come back to it, neither as the\n"
        "payload in each push result (when the server stored the pushed payload) nor in its pull"
    )
    _savings("A's first sync", first_a, gzip6(pushed_json))
    if edit_one is not None:
        _savings("A, 1 edit", edit_one[0], gzip6(json_of(edit_one[0].client.pushed)))
    if edit_many is not None:
        _savings("A, edits", edit_many[0], gzip6(json_of(edit_many[0].client.pushed)))
    print("\nEncodings and heads:")
    for label, synced in (("A first sync", first_a), ("B first sync", first_b)):
        print(f"  {label}: {synced.encodings.describe()}; {_heads(synced)}")
    if edit_one is not None:
        for label, synced in zip(("A, 1 edit", "B, 1 edit"), edit_one, strict=True):
            print(f"  {label}: {synced.encodings.describe()}; {_heads(synced)}")
    encodings = [first_a.encodings, first_b.encodings]
    if any(e.requests_with_body > e.requests_gzip for e in encodings):
        print(f"  NOTE: the client sends request bodies of up to {GZIP_ABOVE_BYTES} bytes uncompressed.")
    if any(e.large_plain_responses for e in encodings):
        print("  NOTE: the server answered some responses over 1 KB without gzip.")
    if all(e.requests_gzip == 0 for e in encodings):
        print("  NOTE: the client does not compress request bodies at all.")
    if all(e.responses_gzip == 0 for e in encodings):
        print("  NOTE: the server's responses are not gzip-compressed.")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="30 records (as CI runs it)")
    parser.add_argument("--records", type=int, default=0, help="a slice of this many records (default: all)")
    parser.add_argument("--edits", type=int, default=20, help="records edited in the second edit round")
    args = parser.parse_args(argv)
    exit_on_sigterm()
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}; set IMBIZO_CORPUS", file=sys.stderr)
        return 1
    records = 30 if args.smoke else (args.records or None)
    work = Path(tempfile.mkdtemp(prefix="imbizo-bench-sync-bytes-"))
    try:
        what = "the whole corpus" if records is None else f"{records} records"
        print(f"== sync bytes: {what}; {load()}", flush=True)
        measure(work, records, 5 if args.smoke else args.edits, smoke=args.smoke)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
