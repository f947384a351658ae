"""Import the corpus, build the index, and time every query class against SQLite FTS5.

    python -m bench.bench_search                  # the whole ../shared/corpus
    python -m bench.bench_search --records 100000 # also a 100,000-record profile (cached)
    python -m bench.bench_search --smoke          # a small slice, as CI runs it

Prints figures; asserts nothing about time (figures are for the notes).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from bench.common import CORPUS, folder_size_mb, p50_p95, peak_rss_mb, row, timed_ms
from bench.fts5_baseline import Fts5Index, quote_terms
from bench.queries import QuerySet, draw_queries
from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, record_id_for
from desktop.paths import ProfilePaths
from desktop.search import SCHEMA_VERSION
from desktop.session import Session

SMOKE_PATHS = (
    "knowledge_base/digitalgov/news/2014/05",
    "knowledge_base/govuk_content_items/case_study",
    "library/pymarc_test",
    "vocab/digitalgov_topics",
    "experts/digitalgov/communities",
)


def _timings(func: Callable[[Any], object], items: Sequence[Any]) -> tuple[float, float]:
    return p50_p95(timed_ms(partial(func, item)) for item in items)


def _fmt(pair: tuple[float, float]) -> str:
    return f"{pair[0]:.1f} / {pair[1]:.1f}"


def _ratio(whoosh: tuple[float, float], fts: tuple[float, float]) -> str:
    if not fts[0] or not fts[1]:
        return "n/a"
    return f"{whoosh[0] / fts[0]:.1f}x / {whoosh[1] / fts[1]:.1f}x"


def measure_queries(session: Session, fts: Fts5Index, queries: QuerySet) -> None:
    """Time each query class on Whoosh and FTS5 and print p50/p95 with the ratio."""
    ix = session.index
    rows: list[tuple[str, tuple[float, float], tuple[float, float] | None]] = []

    rows.append(
        (
            "single term",
            _timings(lambda q: ix.search(q, facets=False), queries.single),
            _timings(lambda q: fts.search(quote_terms([q])), queries.single),
        )
    )
    rows.append(
        (
            "two terms AND",
            _timings(lambda q: ix.search(f"{q[0]} {q[1]}", facets=False), queries.two_and),
            _timings(lambda q: fts.search(quote_terms(q)), queries.two_and),
        )
    )
    rows.append(
        (
            "phrase",
            _timings(lambda q: ix.search(f'"{q[0]} {q[1]}"', facets=False), queries.phrase),
            _timings(lambda q: fts.search('"' + f"{q[0]} {q[1]}" + '"'), queries.phrase),
        )
    )
    typed = [w[:n] for w in queries.prefix_words for n in range(1, len(w) + 1)]
    rows.append(
        (
            f"prefix as typed ({len(typed)} keystrokes)",
            _timings(lambda p: ix.as_you_type(p), typed),
            _timings(lambda p: fts.search(f'title : "{p}"*'), typed),
        )
    )
    rows.append(
        (
            "term + facet filter",
            _timings(lambda q: ix.search(q[0], filters={"kind": [q[1]]}, facets=False), queries.filtered),
            _timings(lambda q: fts.search(quote_terms([q[0]]), kind=q[1]), queries.filtered),
        )
    )
    rows.append(
        (
            "facet counts",
            _timings(lambda q: ix.search(q, facets=True), queries.single),
            _timings(lambda q: fts.facet_counts(quote_terms([q])), queries.single),
        )
    )
    rows.append(("expert finder", _timings(lambda t: session.find_experts(t), queries.topics), None))
    if queries.labels:  # expanded through the vocabulary: alternative <-> preferred labels
        rows.append(
            (
                f"vocabulary label ({len(queries.labels)})",
                _timings(lambda q: ix.search(q, facets=False), queries.labels),
                _timings(lambda q: fts.search(quote_terms(q.split())), queries.labels),
            )
        )

    print(row("query class (ms, p50 / p95)", "Whoosh", "FTS5", "Whoosh/FTS5"))
    for label, whoosh, fts_figs in rows:
        print(
            row(
                label,
                _fmt(whoosh),
                _fmt(fts_figs) if fts_figs else "-",
                _ratio(whoosh, fts_figs) if fts_figs else "-",
            )
        )


def measure_edit_visible(session: Session, fts: Fts5Index, rounds: int) -> None:
    """A saved edit must be findable at once: time save + index update + a search that finds it."""
    rng = random.Random(7)
    target = next(session.store.iter_records([Kind.ARTICLE, Kind.CASE_STUDY]))
    whoosh_ms, fts_ms, save_ms, search_ms, found = [], [], [], [], 0
    for _round in range(rounds):
        token = "zq" + "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))
        edited = target.with_fields(summary=f"{target.fields.get('summary', '')} {token}".strip()[-5000:])
        start = time.perf_counter()
        session.save(edited)
        saved = time.perf_counter()
        hits = session.index.search(token, facets=False).hits
        end = time.perf_counter()
        whoosh_ms.append((end - start) * 1000)
        save_ms.append((saved - start) * 1000)
        search_ms.append((end - saved) * 1000)
        found += bool(hits and hits[0].id == target.id)
        start = time.perf_counter()
        fts.update_one(edited)
        fts.search(quote_terms([token]))
        fts_ms.append((time.perf_counter() - start) * 1000)
        target = session.store.get(target.id) or edited
    w, f = p50_p95(whoosh_ms), p50_p95(fts_ms)
    print(row("saved edit visible in search", _fmt(w), _fmt(f), _ratio(w, f)))
    print(
        f"  (store commit + index update {_fmt(p50_p95(save_ms))}, then search {_fmt(p50_p95(search_ms))}; "
        f"found {found}/{rounds})"
    )


def build_fts(session: Session, folder: Path) -> Fts5Index:
    """FTS5 over the same records; prints its build figures."""
    fts = Fts5Index(folder / "fts5.db")
    start = time.perf_counter()
    batch: list[Record] = []
    total = 0
    for record in session.store.iter_records():
        batch.append(record)
        if len(batch) >= 2000:
            total += fts.add(batch)
            batch = []
    total += fts.add(batch)
    seconds = time.perf_counter() - start
    print(
        f"FTS5 build: {total} docs in {seconds:.1f} s ({total / max(seconds, 1e-9):.0f} docs/s), "
        f"{(folder / 'fts5.db').stat().st_size / 1e6:.1f} MB"
    )
    return fts


#: Above this many records the one-process rebuild is skipped (it only shows what procs=2 gains).
ONE_PROCESS_UP_TO = 20_000


def load() -> str:
    """The 1/5/15-minute load averages: other work on the machine skews every figure."""
    try:
        one, five, fifteen = os.getloadavg()
        return f"load {one:.2f} {five:.2f} {fifteen:.2f}"
    except OSError:
        return "load n/a"


def measure_rebuild(session: Session, procs: int) -> dict[str, float]:
    """Rebuild the whole index with ``procs`` processes; prints and returns seconds and size."""
    start = time.perf_counter()
    session.index.rebuild(session.store, procs=procs)
    seconds = time.perf_counter() - start
    docs = session.index.doc_count()
    size = folder_size_mb(session.paths.index_dir)
    print(
        f"Whoosh rebuild, procs={procs}: {docs} docs in {seconds:.1f} s "
        f"({docs / max(seconds, 1e-9):.0f} docs/s), {size:.1f} MB; "
        f"peak RSS {peak_rss_mb():.0f} MB; {load()}"
    )
    return {"rebuild_seconds": seconds, "index_mb": size}


def measure_profile(
    session: Session, folder: Path, query_count: int, edit_rounds: int, *, rebuild: bool = True
) -> None:
    """Rebuild the index (one process, then both cores as the app does), the query table, the edit latency."""
    if rebuild and session.store.count() <= ONE_PROCESS_UP_TO:
        measure_rebuild(session, procs=1)
    if rebuild:
        measure_rebuild(session, procs=2)  # what Session.reindex() and start-up use
    fts = build_fts(session, folder)
    records = list(session.store.iter_records())
    queries = draw_queries(records, query_count)
    del records
    print(f"({load()})")
    measure_queries(session, fts, queries)
    measure_edit_visible(session, fts, edit_rounds)
    print(f"({load()}; {session.index.segment_count()} index segments after the edits)")
    fts.close()


def import_corpus(session: Session, smoke: bool) -> None:
    """Import the corpus (or a slice of it) and print the import figures."""
    paths = [CORPUS / p for p in SMOKE_PATHS] if smoke else [CORPUS]
    start = time.perf_counter()
    report = session.import_paths(paths)
    seconds = time.perf_counter() - start
    records = report.added + report.updated + report.unchanged
    print(
        f"Import: {report.files} files, {records} records in {seconds:.1f} s "
        f"({records / max(seconds, 1e-9):.0f} records/s), {len(report.errors)} files skipped"
    )


def _corpus_key(records: int) -> str:
    digest = hashlib.sha256()
    for path in sorted(CORPUS.rglob("*")):
        if path.is_file():
            digest.update(f"{path.relative_to(CORPUS)}:{path.stat().st_size}\n".encode())
    digest.update(f"schema={SCHEMA_VERSION};records={records}".encode())
    return digest.hexdigest()[:16]


def _synthetic_records(source: Session, count: int, seed: int = 100_000) -> list[Record]:
    rng = random.Random(seed)
    paragraphs: list[str] = []
    titles: list[list[str]] = []
    tags: set[str] = set()
    experts: list[str] = []
    for record in source.store.iter_records():
        if record.kind is Kind.EXPERT:
            experts.append(record.id)
        body = str(record.fields.get("body") or "")
        paragraphs.extend(p.strip() for p in body.split("\n\n") if len(p.strip()) > 120)
        if record.kind in (Kind.ARTICLE, Kind.CASE_STUDY):
            titles.append(record.title.split())
        tags.update(record.tags)
    tag_pool = sorted(tags) or ["general"]
    records = []
    for n in range(count):
        words = rng.choice(titles) + rng.choice(titles)
        title = " ".join(rng.sample(words, min(len(words), rng.randint(4, 9))))
        body = "\n\n".join(rng.sample(paragraphs, 8))[:4400]
        links = (
            tuple(Link(Relation.AUTHOR, rng.choice(experts)) for _ in range(rng.randint(0, 2)))
            if experts
            else ()
        )
        records.append(
            Record(
                id=record_id_for("bench:synthetic", str(n)),
                kind=rng.choice((Kind.ARTICLE, Kind.CASE_STUDY)),
                fields={
                    "title": title or f"Record {n}",
                    "summary": rng.choice(paragraphs)[:400],
                    "body": body,
                    "organisations": [f"Department {rng.randint(1, 40)}"],
                    "date": f"{rng.randint(2005, 2026)}-06-01",
                },
                tags=tuple(rng.sample(tag_pool, min(3, len(tag_pool)))),
                links=links,
            )
        )
    return records


def _cache_root() -> Path:
    return Path(os.environ.get("IMBIZO_BENCH_CACHE", Path.home() / ".cache" / "imbizo-bench"))


def _import_folder(smoke: bool) -> Path:
    """Where the store of an imported corpus is cached (keyed by the corpus files, not the schema)."""
    digest = hashlib.sha256()
    for path in sorted(CORPUS.rglob("*")):
        if path.is_file():
            digest.update(f"{path.relative_to(CORPUS)}:{path.stat().st_size}\n".encode())
    digest.update(f"smoke={smoke}".encode())
    return _cache_root() / f"import-{digest.hexdigest()[:16]}"


def _cached_import(smoke: bool) -> Path | None:
    """The cached profile folder of an earlier import of the same corpus, if complete."""
    folder = _import_folder(smoke)
    return folder / "profile" if (folder / "complete.json").exists() else None


def _save_import(session: Session, smoke: bool) -> None:
    """Keep a copy of the imported store: the import takes longer than everything measured after it."""
    folder = _import_folder(smoke)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    session.backup(folder / "profile" / session.paths.database.name)  # SQLite's backup API: consistent
    (folder / "complete.json").write_text(json.dumps({"smoke": smoke}))


def big_profile(corpus_session: Session | None, count: int, query_count: int, edit_rounds: int) -> None:
    """A profile of ``count`` records recombined from corpus paragraphs, cached outside the repository.

    Its index is built once, timed, when the cache is made; later runs reuse both and print the
    figures of that build (a rebuild of 100,000 records takes tens of minutes on two cores).
    """
    folder = _cache_root() / f"profile-{_corpus_key(count)}"
    done = folder / "complete.json"
    print(f"\n== {count:,}-record profile ({folder})")
    info = json.loads(done.read_text()) if done.exists() else {}
    if "rebuild_seconds" not in info:
        if corpus_session is None:
            print("no cached profile of this size: run without --big-only first", file=sys.stderr)
            return
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        with Session.open(ProfilePaths(folder / "profile", "bench")) as big:
            records = _synthetic_records(corpus_session, count)
            start = time.perf_counter()
            for i in range(0, len(records), 500):
                big.store.save_many(records[i : i + 500])  # the store only: the index is built next
            seconds = time.perf_counter() - start
            print(f"Store: {count} records saved in {seconds:.1f} s ({count / seconds:.0f} records/s)")
            del records
            info = {"records": count, **measure_rebuild(big, procs=2)}
        done.write_text(json.dumps(info))
    else:
        built = info["rebuild_seconds"]
        print(
            f"(reusing the cached profile; its index was built with procs=2 in {built:.0f} s, "
            f"{count / built:.0f} docs/s, {info.get('index_mb', 0):.0f} MB)"
        )
    with Session.open(ProfilePaths(folder / "profile", "bench")) as big:
        work = Path(tempfile.mkdtemp(prefix="imbizo-fts-"))
        try:
            measure_profile(big, work, query_count, edit_rounds, rebuild=False)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="a small slice of the corpus (as CI runs it)")
    parser.add_argument("--records", type=int, default=0, help="also build a profile of this many records")
    parser.add_argument("--queries", type=int, default=0, help="queries per class (default 200; smoke 30)")
    parser.add_argument(
        "--big-only",
        action="store_true",
        help="with --records: only measure the cached big profile, not the corpus",
    )
    parser.add_argument(
        "--reuse-import",
        action="store_true",
        help="reuse the store of an earlier import of the same corpus (skips the import figures)",
    )
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}; set IMBIZO_CORPUS", file=sys.stderr)
        return 1
    query_count = args.queries or (30 if args.smoke else 200)
    edit_rounds = 10 if args.smoke else 30
    if args.big_only and args.records:
        big_profile(None, args.records, query_count, edit_rounds)
        return 0
    work = Path(tempfile.mkdtemp(prefix="imbizo-bench-"))
    try:
        print(f"== {'corpus slice' if args.smoke else 'whole corpus'} ({CORPUS}); {load()}")
        imported = _cached_import(args.smoke) if args.reuse_import else None
        if imported is not None:
            shutil.copytree(imported, work / "profile", ignore=shutil.ignore_patterns("index", "logs"))
            print(f"(the store of an earlier import, {imported}; without --reuse-import it is imported anew)")
        with Session.open(ProfilePaths(work / "profile", "bench")) as session:
            if imported is None:
                import_corpus(session, args.smoke)
                _save_import(session, args.smoke)
            measure_profile(session, work, query_count, edit_rounds)
            if args.records:
                big_profile(session, args.records, query_count, edit_rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
