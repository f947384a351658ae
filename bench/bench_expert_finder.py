"""Expert-finder latency (p50/p95) over real topics, at the corpus size and at 100,000 records.

    python -m bench.bench_expert_finder                    # a copy of the corpus profile (or an import)
    python -m bench.bench_expert_finder --records 100000   # also the corpus scaled up to 100,000 records
    python -m bench.bench_expert_finder --smoke            # a corpus slice scaled to 600 records (CI)

The corpus profile is ``--profile DIR`` (default /work/corpus-profile, else IMBIZO_CORPUS_PROFILE),
copied first; without one, ../shared/corpus is imported. The topics are real: the most used tags
and vocabulary terms of the corpus and expertise from its expert profiles. The big profile is the
corpus plus varied copies of its knowledge, people and evidence (new ids, authors drawn from the
copied people, site-visit participants, questions with accepted and plain answers, completed peer
reviews, review histories), built once and cached outside the repository.
Prints figures; asserts nothing about time.
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
from collections import Counter
from functools import partial
from pathlib import Path

from bench.common import CORPUS, folder_size_mb, p50_p95, row, timed_ms
from desktop.core.kinds import Kind, field_spec
from desktop.core.records import Link, Record, Relation, record_id_for
from desktop.importers.markdown import split_front_matter
from desktop.importers.text import str_list
from desktop.paths import ProfilePaths
from desktop.search import SCHEMA_VERSION, ExpertFilters
from desktop.session import Session

DEFAULT_PROFILE = Path(os.environ.get("IMBIZO_CORPUS_PROFILE", "/work/corpus-profile"))
#: The smoke slice: two months of Digital.gov news, the profiles of its authors, the Digital.gov topics.
SMOKE_NEWS = ("knowledge_base/digitalgov/news/2014/01", "knowledge_base/digitalgov/news/2014/02")
SMOKE_AUTHORS = "experts/digitalgov/authors"
SMOKE_VOCABULARY = "vocab/digitalgov_topics"
SMOKE_RECORDS = 600
#: Kinds copied when the corpus is scaled up (vocabulary terms stay one vocabulary).
_COPIED = (Kind.EXPERT, Kind.ARTICLE, Kind.CASE_STUDY, Kind.SITE_VISIT, Kind.COMMUNITY, Kind.CENTRE_ITEM)
_DISTRICTS = ("Cape Town", "eThekwini", "Tshwane", "Johannesburg", "Nelson Mandela Bay", "Mangaung")
_OFFERS = (
    (),
    ("advice",),
    ("mentoring",),
    ("peer_review",),
    ("advice", "mentoring"),
    ("advice", "peer_review"),
)


def _cache_root() -> Path:
    return Path(os.environ.get("IMBIZO_BENCH_CACHE", Path.home() / ".cache" / "imbizo-bench"))


# -- the topics ------------------------------------------------------------------------------------


def real_topics(session: Session, count: int) -> list[str]:
    """The most used tags (vocabulary labels among them) and some expertise of real profiles."""
    tags: Counter[str] = Counter()
    expertise: Counter[str] = Counter()
    for record in session.store.iter_records([Kind.ARTICLE, Kind.CASE_STUDY, Kind.EXPERT]):
        if record.kind is Kind.EXPERT:
            expertise.update(str(e) for e in record.fields.get("expertise") or ())
        else:
            tags.update(record.tags)
    chosen = [t for t, _ in tags.most_common(count * 3 // 4)]
    chosen += [e for e, _ in expertise.most_common(count) if e not in chosen][: count - len(chosen)]
    return chosen or ["water"]


def measure(session: Session, topics: list[str], label: str) -> dict[str, float]:
    """Finder latency over ``topics``: plain, with a filter, and for record suggestions."""
    for topic in topics[:5]:  # warm the searcher and the SQLite page cache, as a session in use is
        session.find_experts(topic)
    mentoring = ExpertFilters(available="mentoring")
    plain = p50_p95(timed_ms(partial(session.find_experts, t)) for t in topics)
    filtered = p50_p95(timed_ms(partial(session.find_experts, t, filters=mentoring)) for t in topics)
    found = sum(bool(session.find_experts(t)) for t in topics)
    sample = [h.id for t in topics[:20] for h in session.search(t, kinds=[Kind.ARTICLE], limit=1).hits]
    suggest = p50_p95(timed_ms(partial(session.experts.suggestions, r)) for r in sample)
    print(f"\n{label}: {session.store.count():,} records, {len(topics)} topics ({found} with someone found)")
    print(row("expert finder (ms)", "p50", "p95"))
    print(row("  topic", f"{plain[0]:.1f}", f"{plain[1]:.1f}"))
    print(row("  topic + available for mentoring", f"{filtered[0]:.1f}", f"{filtered[1]:.1f}"))
    print(row(f"  people to ask about a record ({len(sample)})", f"{suggest[0]:.1f}", f"{suggest[1]:.1f}"))
    return {"p50": plain[0], "p95": plain[1]}


# -- the corpus profile ----------------------------------------------------------------------------


def corpus_profile(work: Path, source: Path | None, smoke: bool) -> Path:
    """A profile holding the corpus: a copy of ``source``, else an import (timed) of the corpus."""
    target = work / "corpus"
    if source is not None and (source / "imbizo.db").exists() and not smoke:
        start = time.perf_counter()
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.lock", "lock"))
        print(f"Copied the corpus profile {source} in {time.perf_counter() - start:.1f} s")
        return target
    paths = smoke_paths() if smoke else [CORPUS]
    with Session.open(ProfilePaths(target, "bench")) as session:
        start = time.perf_counter()
        report = session.import_paths(paths)
        records = report.added + report.updated + report.unchanged
        print(f"Import (store and index): {records} records in {time.perf_counter() - start:.1f} s")
    return target


def smoke_paths() -> list[Path]:
    """The smoke slice's folders: only the authors its news names (all 1,044 would take most of the
    import time, for people with no evidence in the slice)."""
    news = [CORPUS / month for month in SMOKE_NEWS]
    named = {
        slug
        for path in sorted(p for month in news for p in month.rglob("*.md"))
        for slug in str_list(split_front_matter(path.read_text(encoding="utf-8"))[0].get("authors"))
    }
    people = [CORPUS / SMOKE_AUTHORS / slug for slug in sorted(named)]
    return [*news, *[p for p in people if p.is_dir()], CORPUS / SMOKE_VOCABULARY]


# -- scaling up --------------------------------------------------------------------------------------


def _copies(source: Session, target_count: int, seed: int = 5) -> list[Record]:
    """Varied copies of the corpus's knowledge and people, with new ids and evidence links, so that
    the profile reaches ``target_count`` records."""
    rng = random.Random(seed)
    originals = list(source.store.iter_records(_COPIED))
    experts = [r for r in originals if r.kind is Kind.EXPERT]
    knowledge = [r for r in originals if r.kind in (Kind.ARTICLE, Kind.CASE_STUDY)]
    words = sorted({w for r in knowledge[:2000] for w in r.title.split() if len(w) > 4}) or ["practice"]
    logged = True  # review histories (desktop/core/review.py) on a share of the copies
    need = max(0, target_count - source.store.count())
    per_copy = len(originals) + len(knowledge) // 5 * 3 + len(knowledge) // 10  # + Q, A, A and requests
    records: list[Record] = []
    copy = 0
    while len(records) < need:
        copy += 1
        people = {e.id: record_id_for("bench:experts", f"{copy}:{e.id}") for e in experts}
        handles = {people[e.id]: f"u{copy}-{e.fields.get('handle') or e.id[:8]}"[:60] for e in experts}
        pool = list(people.values())
        for original in originals:
            records.append(_varied(original, copy, people, handles, words, logged, rng))
        for original in rng.sample(knowledge, len(knowledge) // 5):
            records.extend(_thread(original, copy, pool, rng))
        for original in rng.sample(knowledge, len(knowledge) // 10):
            records.append(_peer_review(original, copy, handles, rng))
        if copy > 1000 or per_copy == 0:
            break
    return records[:need]


def _varied(
    original: Record,
    copy: int,
    people: dict[str, str],
    handles: dict[str, str],
    words: list[str],
    logged: bool,
    rng: random.Random,
) -> Record:
    new_id = record_id_for("bench:experts", f"{copy}:{original.id}")
    pool = list(handles)
    fields = dict(original.fields)
    if original.kind is Kind.EXPERT:
        fields["name"] = f"{original.title} ({copy})"
        fields["handle"] = handles[new_id]
        fields["district"] = rng.choice(_DISTRICTS)
        fields["availability"] = list(rng.choice(_OFFERS))
    else:
        title_field = "name" if original.kind is Kind.COMMUNITY else "title"
        fields[title_field] = f"{original.title} {rng.choice(words).lower()}"
        if logged and original.kind in (Kind.ARTICLE, Kind.CASE_STUDY) and rng.random() < 0.3:
            by = handles[rng.choice(pool)]
            fields["review_log"] = [
                {"action": "published", "by": by, "at": "2026-01-01T00:00:00+00:00", "comment": ""}
            ]
    links = []
    for link in original.links:
        if link.relation in (Relation.AUTHOR, Relation.PARTICIPANT, Relation.FACILITATOR, Relation.MEMBER):
            # Mostly the copied person; sometimes someone else, so people differ between copies.
            target = people.get(link.target_id) if rng.random() < 0.8 else rng.choice(pool)
            links.append(Link(link.relation, target or rng.choice(pool)))
        elif link.relation in (Relation.ABOUT, Relation.CITES):
            links.append(link)
    if original.kind is Kind.SITE_VISIT or (original.kind is Kind.CASE_STUDY and rng.random() < 0.5):
        links.extend(Link(Relation.PARTICIPANT, rng.choice(pool)) for _ in range(rng.randint(1, 3)))
    return Record(
        id=new_id,
        kind=original.kind,
        fields=fields,
        tags=original.tags,
        links=tuple(links),
    )


def _thread(original: Record, copy: int, pool: list[str], rng: random.Random) -> list[Record]:
    """A question about a piece of knowledge, with two answers (one accepted)."""
    question_id = record_id_for("bench:experts", f"{copy}:q:{original.id}")
    answers = [record_id_for("bench:experts", f"{copy}:a{n}:{original.id}") for n in (1, 2)]
    fields = {"title": f"Who has done this before: {original.title}?", "body": "Asking for our district."}
    if field_spec(Kind.QUESTION, "accepted_answer") is not None:
        fields["accepted_answer"] = answers[0]
    question = Record(question_id, Kind.QUESTION, fields, tags=original.tags)
    replies = [
        Record(
            answer_id,
            Kind.ANSWER,
            {"body": f"We did, in {rng.choice(_DISTRICTS)}.", "accepted": n == 0},
            links=(Link(Relation.ANSWERS, question_id), Link(Relation.AUTHOR, rng.choice(pool))),
        )
        for n, answer_id in enumerate(answers)
    ]
    return [question, *replies]


def _peer_review(original: Record, copy: int, handles: dict[str, str], rng: random.Random) -> Record:
    expert = rng.choice(list(handles))
    return Record(
        record_id_for("bench:experts", f"{copy}:r:{original.id}"),
        Kind.REQUEST,
        {"request_type": "peer_review", "message": "Please review", "state": "done", "outcome": "Reviewed"},
        links=(
            Link(Relation.REQUESTED_OF, expert, handles[expert]),
            Link(Relation.REGARDING, record_id_for("bench:experts", f"{copy}:{original.id}")),
        ),
        owner="bench",
    )


def origin_of(source: Path | None, smoke: bool) -> str:
    """What the corpus profile was made from, for the cache key of its scaled-up copy: the source
    profile's database (path, size, time), else the corpus folder (the copy's own path changes)."""
    db = source / "imbizo.db" if source is not None else None
    if db is not None and db.exists() and not smoke:
        stat = db.stat()
        return f"{db.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
    return f"import:{CORPUS.resolve()}:{smoke}"


def big_profile(corpus: Path, count: int, origin: str) -> Path:
    """The corpus scaled up to ``count`` records (cached by ``origin``; build figures printed once)."""
    key = hashlib.sha256(f"{origin}:{count}:schema={SCHEMA_VERSION}:v1".encode()).hexdigest()[:12]
    folder = _cache_root() / f"experts-{key}"
    done = folder / "complete.json"
    if done.exists():
        info = json.loads(done.read_text())
        print(
            f"\n(reusing {folder}: {info['added']:,} records were saved in {info['store_seconds']:.0f} s and "
            f"indexed (procs=2) in {info['index_seconds']:.0f} s, {info['index_mb']:.0f} MB)"
        )
        return folder / "profile"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copytree(corpus, folder / "profile", ignore=shutil.ignore_patterns("*.lock", "lock", "index"))
    with Session.open(ProfilePaths(folder / "profile", "bench")) as session:
        start = time.perf_counter()
        records = _copies(session, count)
        made = time.perf_counter() - start
        start = time.perf_counter()
        for i in range(0, len(records), 500):
            session.store.save_many(records[i : i + 500])  # the store only: the index is rebuilt next
        store_seconds = time.perf_counter() - start
        start = time.perf_counter()
        session.index.rebuild(session.store, procs=2)
        index_seconds = time.perf_counter() - start
        info = {
            "added": len(records),
            "store_seconds": store_seconds,
            "index_seconds": index_seconds,
            "index_mb": folder_size_mb(session.paths.index_dir),
        }
        print(
            f"\nScaled up: {len(records):,} records made in {made:.1f} s, saved in {store_seconds:.1f} s, "
            f"index rebuilt (procs=2) in {index_seconds:.1f} s ({session.store.count():,} records, "
            f"{info['index_mb']:.0f} MB)"
        )
    done.write_text(json.dumps(info))
    return folder / "profile"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--smoke", action="store_true", help=f"a corpus slice scaled to {SMOKE_RECORDS:,} records"
    )
    parser.add_argument(
        "--records", type=int, default=0, help="also the corpus scaled up to this many records"
    )
    parser.add_argument("--profile", type=Path, default=DEFAULT_PROFILE, help="a profile holding the corpus")
    parser.add_argument("--topics", type=int, default=0, help="topics to time (default 60; smoke 10)")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir() and (args.smoke or not (args.profile / "imbizo.db").exists()):
        # The smoke slice is always imported from the corpus (set IMBIZO_CORPUS from a worktree).
        wanted = "" if args.smoke else f" and no profile at {args.profile}"
        print(f"no corpus at {CORPUS}{wanted}", file=sys.stderr)
        return 1
    topic_count = args.topics or (10 if args.smoke else 60)
    work = Path(tempfile.mkdtemp(prefix="imbizo-bench-experts-"))
    try:
        corpus = corpus_profile(work, args.profile, args.smoke)
        with Session.open(ProfilePaths(corpus, "bench")) as session:
            topics = real_topics(session, topic_count)
            print(f"Topics: {', '.join(topics[:8])}, ...")
            measure(session, topics, "corpus slice" if args.smoke else "whole corpus")
        records = SMOKE_RECORDS if args.smoke else args.records
        if records:
            if args.smoke:
                big = work / "scaled"
                shutil.copytree(corpus, big, ignore=shutil.ignore_patterns("*.lock", "lock", "index"))
                with Session.open(ProfilePaths(big, "bench")) as session:
                    added = _copies(session, records)
                    start = time.perf_counter()
                    session.save_many(added)
                    seconds = time.perf_counter() - start
                    print(f"\nScaled up: {len(added):,} records saved and indexed in {seconds:.1f} s")
            else:
                big = big_profile(corpus, records, origin_of(args.profile, args.smoke))
            with Session.open(ProfilePaths(big, "bench")) as session:
                measure(session, topics, f"scaled to {records:,}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
