"""Duplicate detection over the whole corpus catalogue and knowledge base: time, precision, recall.

    python -m bench.bench_duplicates                             # the whole corpus (cached import)
    python -m bench.bench_duplicates --profile /work/corpus-profile  # a ready profile, copied first
    python -m bench.bench_duplicates --smoke                     # a few corpus slices (seconds)

Works on a copy. First it runs detection on the copy as it is (the duplicates the corpus already
holds, listed), then plants duplicates in it, seeded:

- ``isbn``: a catalogue record under another control number and source key, its ISBN written in
  the other form (ISBN-10 <-> ISBN-13, hyphens, a "(pbk.)" qualifier);
- ``repost``: an article reposted under another file name and slug (same title, date, authors);
- ``title``: a record copied with a lightly edited title (one letter changed, case and punctuation);
- ``url``: an article with a source URL copied with the URL in another form (http, www, trailing
  slash, tracking parameters).

and decoys that only share a title, which must not be found: ``edition`` (the same title and
authors, a later year, another edition statement and ISBN) and ``event`` (the same title and
authors a month later, as a recurring meeting).

Recall is the share of planted pairs found in one group; precision the share of the pairs found
after planting (those not found before) that are planted or join records of one true cluster
(a planted copy of a record that already had a duplicate). Also printed: how many pairs of
records share a normalised title in the corpus, and how many of them are shown (the flood that
editions, printings and recurring events would cause). Figures only, no assertions.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.common import CORPUS, row
from desktop.core.duplicates import DuplicateFacts, candidate_pairs, find_duplicates
from desktop.core.identifiers import normalize_isbn
from desktop.core.kinds import Kind
from desktop.core.records import Record, Relation, Source, new_record_id
from desktop.store import RecordRepository, open_store
from desktop.store.merges import MergeStore

SMOKE_SLICES = (
    "knowledge_base/digitalgov/news/2024/07",
    "knowledge_base/digitalgov/resources",
    "library/marc2bibframe2_dataset/nlm.xml",
    "library/pymarc_test",
)
PLANTS = {"isbn": 40, "repost": 40, "title": 40, "url": 30, "edition": 30, "event": 30}
SMOKE_PLANTS = {"isbn": 5, "repost": 5, "title": 5, "url": 5, "edition": 5, "event": 5}
#: Plants that must NOT be found: a new edition of a book, the next meeting of a recurring event.
DECOYS = ("edition", "event")


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _pairs(groups: Iterable[object]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for group in groups:
        ids = sorted(m.id for m in group.members)  # type: ignore[attr-defined]
        found.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    return found


def _isbn_other_form(isbn: str) -> str:
    """An ISBN written differently: ISBN-13 as a hyphenated ISBN-10 with a qualifier, or the reverse."""
    digits = normalize_isbn(isbn)
    if digits.startswith("978"):
        core = digits[3:12]
        check = (11 - sum((10 - i) * int(d) for i, d in enumerate(core)) % 11) % 11
        ten = core + ("X" if check == 10 else str(check))
        return f"{ten[0]}-{ten[1:4]}-{ten[4:9]}-{ten[9]} (pbk.)"
    return f"{digits[:3]}-{digits[3]}-{digits[4:7]}-{digits[7:12]}-{digits[12]}"


def _random_isbn(rng: random.Random) -> str:
    core = "978" + "".join(str(rng.randrange(10)) for _ in range(9))
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(core))
    return core + str((10 - total % 10) % 10)


def _typo(title: str, rng: random.Random) -> str:
    """One letter of a longer word changed, then the case and the final punctuation."""
    words = title.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if long_words:
        i = rng.choice(long_words)
        w = words[i]
        j = rng.randrange(1, len(w) - 1)
        words[i] = w[:j] + ("e" if w[j] != "e" else "a") + w[j + 1 :]
    edited = " ".join(words)
    return (edited.lower() if rng.random() < 0.5 else edited) + ("." if not edited.endswith(".") else "")


def _url_other_form(url: str) -> str:
    """The URL over http, with www., a trailing slash and tracking parameters added."""
    parts = urlsplit(url)
    host = parts.netloc if parts.netloc.startswith("www.") else "www." + parts.netloc
    query = "&".join(q for q in (parts.query, "utm_source=newsletter&utm_medium=email") if q)
    return urlunsplit(("http", host, parts.path.rstrip("/") + "/", query, ""))


def _copy(record: Record, suffix: str, **fields: object) -> Record:
    source = record.source or Source("bench", "")
    source = replace(source, key=f"{source.key}-{suffix}", path=f"{source.path}.{suffix}")
    return record.with_changes(
        id=new_record_id(),
        fields={**record.fields, **fields},
        source=source,
        revision="",
        parent_revision="",
        created_at="",
        updated_at="",
    )


def plant(repo: RecordRepository, counts: dict[str, int], seed: int) -> dict[str, list[tuple[str, str]]]:
    """Plant duplicates in the store; returns (original id, planted id) per plant kind."""
    rng = random.Random(seed)
    kb = list(repo.iter_records([Kind.ARTICLE, Kind.CASE_STUDY, Kind.CENTRE_ITEM]))
    with_isbn = [
        r
        for r in kb
        if r.kind is Kind.CENTRE_ITEM and any(normalize_isbn(i) for i in r.fields.get("isbn") or [])
    ]
    articles = [r for r in kb if r.kind is Kind.ARTICLE and r.fields.get("date") and r.title]
    with_url = [r for r in articles if str(r.fields.get("url") or "").startswith("http")]
    dated = [
        r
        for r in kb
        if len(r.title.split()) >= 4
        and (r.fields.get("date") or r.fields.get("year"))
        and (r.kind is not Kind.CENTRE_ITEM or r.fields.get("authors"))
    ]
    used: set[str] = set()
    planted: dict[str, list[tuple[str, str]]] = defaultdict(list)
    copies: list[Record] = []

    def pick(pool: list[Record], n: int) -> list[Record]:
        free = [r for r in pool if r.id not in used]
        chosen = rng.sample(free, min(n, len(free)))
        used.update(r.id for r in chosen)
        return chosen

    for original in pick(with_isbn, counts["isbn"]):
        isbns = [_isbn_other_form(i) for i in original.fields["isbn"] if normalize_isbn(i)]
        copy = _copy(original, "isbn", isbn=isbns, control_number=f"B{rng.randrange(10**8):08d}")
        copies.append(copy)
        planted["isbn"].append((original.id, copy.id))
    for original in pick(articles, counts["repost"]):
        copy = _copy(original, "repost")
        copies.append(copy)
        planted["repost"].append((original.id, copy.id))
    for original in pick(dated, counts["title"]):
        title_field = "title"
        copy = _copy(original, "title", **{title_field: _typo(original.title, rng)})
        if copy.kind is Kind.CENTRE_ITEM:  # another record of the same book: not its identifiers
            copy = copy.with_fields(isbn=[], issn=[], control_number="", url="")
        copies.append(copy)
        planted["title"].append((original.id, copy.id))
    for original in pick(with_url, counts["url"]):
        copy = _copy(
            original,
            "url",
            url=_url_other_form(str(original.fields["url"])),
            title=original.title + " (repost)",
        )
        copy = copy.with_changes(links=())  # another poster: no shared author, only the URL
        copies.append(copy)
        planted["url"].append((original.id, copy.id))
    books = [
        r
        for r in kb
        if r.kind is Kind.CENTRE_ITEM
        and r.fields.get("authors")
        and r.fields.get("year")
        and not r.fields.get("issn")
    ]
    for original in pick(books, counts.get("edition", 0)):
        copy = _copy(
            original,
            "edition",
            year=int(original.fields["year"]) + rng.choice((1, 3, 7)),
            edition=rng.choice(("2nd ed.", "3rd ed.", "New rev. ed.")),
            isbn=[_random_isbn(rng)],
            control_number=f"E{rng.randrange(10**8):08d}",
            url="",
        )
        if copy.source is not None:  # another catalogue record: its own link, if any
            copy = copy.with_changes(source=replace(copy.source, url=""))
        copies.append(copy)
        planted["edition"].append((original.id, copy.id))
    meetings = [r for r in articles if r.links_of(Relation.AUTHOR) and len(str(r.fields["date"])) >= 10]
    for original in pick(meetings, counts.get("event", 0)):
        day = date.fromisoformat(str(original.fields["date"])[:10]) + timedelta(days=rng.choice((28, 35, 91)))
        copy = _copy(original, "event", date=day.isoformat(), url="")
        if copy.source is not None:  # the next meeting has a page of its own
            copy = copy.with_changes(source=replace(copy.source, url=""))
        copies.append(copy)
        planted["event"].append((original.id, copy.id))
    repo.save_many(copies)
    return planted


def _clusters(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[root(a)] = root(b)
    return {x: root(x) for x in parent}


def _timed_detection(store: MergeStore, runs: int) -> tuple[list[DuplicateFacts], list[object], float, float]:
    read_s, find_s = [], []
    facts: list[DuplicateFacts] = []
    groups: list[object] = []
    for _ in range(runs):
        start = time.perf_counter()
        facts = store.duplicate_facts()
        read_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        groups = list(find_duplicates(facts))
        find_s.append(time.perf_counter() - start)
    return facts, groups, statistics.median(read_s), statistics.median(find_s)


def _not_duplicates(repo: RecordRepository, store: MergeStore, groups: list[object], runs: int) -> None:
    """Say every group the corpus had is not duplicates (as links, like the app), then time the
    read of those pairs and detection leaving them out."""
    from desktop.core.dismissals import plan_dismissal

    start = time.perf_counter()
    for group in groups:
        ids = [m.id for m in group.members]  # type: ignore[attr-defined]
        changed = plan_dismissal(repo.get_many(ids), ids, "bench", "librarian", "bench")
        repo.save_many(changed)
    write_s = time.perf_counter() - start
    read_s, find_s, left = [], [], 0
    for _ in range(runs):
        start = time.perf_counter()
        dismissed = store.dismissed_pairs()
        read_s.append(time.perf_counter() - start)
        facts = store.duplicate_facts()
        start = time.perf_counter()
        left = len(find_duplicates(facts, dismissed=dismissed))
        find_s.append(time.perf_counter() - start)
    print(row("not duplicates: groups said so", f"{len(groups)}", f"{write_s * 1000:.0f} ms to save"))
    print(row("  pairs read (median)", f"{len(dismissed)}", f"{statistics.median(read_s) * 1000:.1f} ms"))
    detect_ms = statistics.median(find_s) * 1000
    print(row("  detect leaving them out", f"{detect_ms:.0f} ms", f"groups left: {left}"))


def _shared_title_pairs(facts: list[DuplicateFacts]) -> set[tuple[str, str]]:
    by_title: dict[str, list[str]] = defaultdict(list)
    for item in facts:
        if item.norm_title:
            by_title[item.norm_title].append(item.id)
    pairs: set[tuple[str, str]] = set()
    for ids in by_title.values():
        ids.sort()
        pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    return pairs


def run(profile: Path, counts: dict[str, int], seed: int, runs: int) -> None:
    """Measure on ``profile`` (a private copy: it is written to)."""
    repo = open_store(profile)
    try:
        store = MergeStore(repo)
        facts, before, read_s, find_s = _timed_detection(store, runs)
        n = len(facts)
        print(row("records compared", f"{n:,}"))
        print(
            row(
                "  of which",
                ", ".join(
                    f"{k.value} {sum(1 for f in facts if f.kind is k):,}"
                    for k in Kind
                    if any(f.kind is k for f in facts)
                ),
            )
        )
        print(
            row(
                "candidate pairs (blocking)",
                f"{len(candidate_pairs(facts)):,}",
                f"all pairs: {n * (n - 1) // 2:,}",
            )
        )
        print(row("read facts (median)", f"{read_s * 1000:.0f} ms"))
        print(row("detect groups (median)", f"{find_s * 1000:.0f} ms"))
        print(row("total, whole profile", f"{(read_s + find_s):.2f} s"))
        print(row("groups already in the corpus", f"{len(before)}"))
        for group in before[:15]:
            names = " | ".join(m.title[:40] for m in group.members)  # type: ignore[attr-defined]
            codes = ",".join(r.code for r in group.reasons)  # type: ignore[attr-defined]
            print(f"    {group.score:.2f} {codes:<24} {names}")  # type: ignore[attr-defined]
        shared = _shared_title_pairs(facts)
        flagged = _pairs(before)
        print(row("pairs sharing a title", f"{len(shared):,}", f"shown: {len(shared & flagged):,}"))

        planted = plant(repo, counts, seed)
        facts, after, read_s, find_s = _timed_detection(store, runs)
        print(row("after planting: records", f"{len(facts):,}"))
        print(row("detect after planting", f"{(read_s + find_s) * 1000:.0f} ms"))
        found_pairs = _pairs(after)
        truth_pairs = [_ordered(*p) for kind, pairs in planted.items() if kind not in DECOYS for p in pairs]
        clusters = _clusters([*truth_pairs, *_pairs(before)])
        for kind, pairs in planted.items():
            hit = sum(1 for p in pairs if (min(p), max(p)) in found_pairs)
            label = f"decoys shown, {kind}" if kind in DECOYS else f"recall, {kind}"
            print(row(label, f"{hit}/{len(pairs)}", f"{hit / len(pairs):.0%}" if pairs else "-"))
        hits = sum(1 for p in truth_pairs if p in found_pairs)
        titles = {f.id: f.title for f in facts}
        by_id = {f.id: f for f in facts}
        for a, b in [p for p in truth_pairs if p not in found_pairs][:10]:
            print(f"    missed: {titles.get(a, a)[:45]!r} ({by_id[a].url})")
            print(f"        ~ {titles.get(b, b)[:45]!r} ({by_id[b].url})")
        print(
            row("recall, all planted", f"{hits}/{len(truth_pairs)}", f"{hits / max(1, len(truth_pairs)):.1%}")
        )
        new_pairs = found_pairs - _pairs(before)
        correct = sum(1 for a, b in new_pairs if a in clusters and clusters.get(a) == clusters.get(b))
        print(
            row(
                "precision, new pairs",
                f"{correct}/{len(new_pairs)}",
                f"{correct / max(1, len(new_pairs)):.1%}",
            )
        )
        wrong = [p for p in new_pairs if not (p[0] in clusters and clusters.get(p[0]) == clusters.get(p[1]))]
        for a, b in wrong[:10]:
            print(f"    false pair: {titles.get(a, a)[:50]!r} ~ {titles.get(b, b)[:50]!r}")
        _not_duplicates(repo, store, before, runs)
    finally:
        repo.close()


def _smoke_profile(work: Path) -> Path:
    from desktop.importers import import_paths

    profile = work / "profile"
    repo = open_store(profile)
    try:
        import_paths([CORPUS / s for s in SMOKE_SLICES], repo)
    finally:
        repo.close()
    return profile


def main(argv: list[str] | None = None) -> int:
    """Print detection time and precision/recall on planted duplicates."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="a few corpus slices, a few planted duplicates")
    parser.add_argument(
        "--profile", type=Path, help="a ready profile to copy (default: the cached corpus import)"
    )
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3, help="detection runs per figure (median)")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir() and not args.profile:
        print(f"bench_duplicates: the shared corpus is not at {CORPUS}", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="imbizo-bench-duplicates-"))
    try:
        if args.smoke:
            print("duplicates (smoke: corpus slices)")
            profile = _smoke_profile(work)
            counts = SMOKE_PLANTS
        else:
            if args.profile:
                source = args.profile
            else:
                from bench.bench_startup import corpus_profile

                source = corpus_profile()
            print(f"duplicates (a copy of {source})")
            profile = work / "profile"
            shutil.copytree(source, profile, ignore=shutil.ignore_patterns("*.lock", "index", "thumbnails"))
            counts = PLANTS
        run(profile, counts, args.seed, 1 if args.smoke else args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
