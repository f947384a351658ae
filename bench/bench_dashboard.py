"""Dashboard load time at the corpus size and at 100,000 records.

    python -m bench.bench_dashboard                    # a copy of the corpus profile
    python -m bench.bench_dashboard --records 100000   # also the corpus scaled up to 100,000 records
    python -m bench.bench_dashboard --smoke            # a corpus slice, in seconds (CI)

For each size: a server database (SQLite, migrated to the head schema) holds the profile's
knowledge as published records, one account per person and their expert profiles (a district
each, one district with a single person), memberships of the profile's communities, and a year
and a quarter of usage events in proportion to the records (``--events-per-record``, default
20): views of knowledge that a few records draw most of, searches of real tags and titles words
(about one in seven found nothing, some of those by several people), "this helped me" marks and
some taken back. Most people's events are written into the table at the schema they came in
(0002), then the database is migrated to the head schema (timed); the rest of the people upload
theirs through the server's own upload path, 500 at a time (timed). The client profile gets
"builds on" links from case studies and articles to what they applied. Timed: the librarian's
summary on the server, a staff member's (the busiest and a typical one), the client's model of
the dashboard from the kept summary, and the first paint of the page (offscreen).
Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from alembic import command
from sqlalchemy import Insert, Table

from bench.bench_expert_finder import DEFAULT_PROFILE, _cache_root, _copies, smoke_paths
from bench.common import CORPUS, row, timed_ms
from desktop.core.kinds import Kind
from desktop.core.records import Link, Relation
from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.store import RecordRepository
from desktop.usage_service import SUMMARY_KEY, UsageService
from sync import protocol as p
from sync.protocol import Role
from sync.server import usage
from sync.server.access import Actor
from sync.server.auth import Principal
from sync.server.config import Settings
from sync.server.db import Database, create_db_engine
from sync.server.migrate import alembic_config, migrate_database
from sync.server.models import Membership, RecordRow, UsageEvent, User

_KNOWLEDGE = (Kind.ARTICLE, Kind.CASE_STUDY, Kind.CENTRE_ITEM, Kind.SITE_VISIT)
_DISTRICTS = (
    "Cape Town", "eThekwini", "Tshwane", "Johannesburg", "Nelson Mandela Bay", "Mangaung",
    "Ugu", "Amathole", "Vhembe", "Capricorn", "Overberg", "Waterberg",
)  # fmt: skip
_LONELY_DISTRICT = "Namakwa"  # one person only: shown as counts, like every district
_MISSING = (
    "borehole", "permits", "tariff", "backlog", "indigent", "register", "informal", "trading",
    "drought", "relief", "spaza", "licensing", "ward", "committee", "load", "shedding", "sanitation",
    "vouchers", "grant", "arrears", "fleet", "rural", "clinic", "roster",
)  # fmt: skip
#: The schema the events table came in: the bench writes most events at it, then migrates to the head.
_EVENTS_REVISION = "0002"
#: The events span this much time back (a quarter more than the summary's year, so some fall outside).
_SPAN = timedelta(days=456)


def _insert(model: type[Any]) -> Insert:
    """A core INSERT into a model's table (bulk rows, no ORM objects)."""
    return cast(Table, model.__table__).insert()


def _zipf_pick(rng: random.Random, items: list[Any], skew: float = 1.1) -> Any:
    """An item, the first ones far more often (rank ~ Pareto), as use of knowledge is."""
    return items[min(len(items) - 1, int(rng.paretovariate(skew)) - 1)]


# -- the client profiles -----------------------------------------------------------------------------


def corpus_store(work: Path, source: Path, smoke: bool) -> Path:
    """A profile with the corpus (a copy of ``source``, without its index) or, for smoke, a slice."""
    target = work / "corpus"
    if smoke or not (source / "imbizo.db").exists():
        with Session.open(ProfilePaths(target, "bench")) as session:
            session.import_paths(smoke_paths() if smoke else [CORPUS])
        return target
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.lock", "lock", "index"))
    return target


def scaled_store(corpus: Path, count: int, work: Path, smoke: bool) -> Path:
    """The corpus store scaled up to ``count`` records (store only: the dashboard reads no index).

    Cached outside the repository unless ``smoke``; the cached copy is copied before use.
    """
    key = hashlib.sha256(f"{corpus.resolve() if smoke else DEFAULT_PROFILE}:{count}:v1".encode()).hexdigest()
    folder = work / "scaled-cache" if smoke else _cache_root() / f"dashboard-{key[:12]}"
    done = folder / "complete.json"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        shutil.copytree(corpus, folder / "profile", ignore=shutil.ignore_patterns("*.lock", "lock", "index"))
        store = RecordRepository(folder / "profile")
        try:
            start = time.perf_counter()
            source = _SourceShim(store)
            records = _copies(source, count)  # type: ignore[arg-type]  # only .store is used
            for i in range(0, len(records), 500):
                store.save_many(records[i : i + 500])
            seconds = time.perf_counter() - start
        finally:
            store.close()
        done.write_text(json.dumps({"added": len(records), "seconds": seconds}))
        print(f"Scaled up: {len(records):,} records made and saved in {seconds:.1f} s")
    target = work / f"scaled-{count}"
    shutil.copytree(folder / "profile", target)
    return target


@dataclasses.dataclass
class _SourceShim:
    """What bench_expert_finder's copier reads of a session: its store."""

    store: RecordRepository


def add_reuse(store: RecordRepository, rng: random.Random) -> int:
    """Links "builds on" from from some case studies and articles to knowledge they applied; how many."""
    knowledge = [r for r in store.iter_records([Kind.ARTICLE, Kind.CASE_STUDY, Kind.CENTRE_ITEM])]
    if len(knowledge) < 2:
        return 0
    targets = [r.id for r in rng.sample(knowledge, max(1, len(knowledge) // 20))]
    sources = rng.sample([r for r in knowledge if r.kind is not Kind.CENTRE_ITEM], len(knowledge) // 25)
    changed = []
    for record in sources:
        picked = {_zipf_pick(rng, targets) for _ in range(rng.randint(1, 3))} - {record.id}
        links = tuple(Link(Relation.BUILDS_ON, target) for target in sorted(picked))
        if links:
            changed.append(dataclasses.replace(record, links=record.links + links))
    for i in range(0, len(changed), 500):
        store.save_many(changed[i : i + 500])
    return len(changed)


# -- the server ----------------------------------------------------------------------------------------


@dataclasses.dataclass
class Population:
    """The people of the bench's server: staff principals (busiest first) and a librarian."""

    staff: list[Principal]
    librarian: Principal
    events: int


def server_for(folder: Path) -> tuple[Settings, Database]:
    """A server database in ``folder`` (SQLite) at the schema the usage events came in (0002)."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = Settings(
        data_dir=folder, database_url=f"sqlite:///{folder / 'server.db'}", blob_dir=folder / "blobs"
    )
    settings.ensure_dirs()
    engine = create_db_engine(settings.database_url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, _EVENTS_REVISION)
    engine.dispose()
    return settings, Database(settings.database_url)


def populate(
    db: Database, settings: Settings, store: RecordRepository, per_record: int, rng: random.Random
) -> Population:
    """People, published knowledge, expert profiles, memberships and usage events on the server.

    Most people's events are written straight into the table, then the database is migrated to
    the head schema (timed: what an upgrade costs a server holding that much use); the rest of
    the people upload theirs through the server's upload path, 500 at a time (timed).
    """
    records = store.count()
    now = datetime.now(UTC)
    knowledge = [(r.id, r.kind.value) for r in store.iter_records(_KNOWLEDGE)]
    communities = [r.id for r in store.iter_records([Kind.COMMUNITY])]
    titles = [r.title for r in store.iter_records([Kind.ARTICLE, Kind.CASE_STUDY])][:5000]
    tags = sorted({t for r in store.iter_records([Kind.ARTICLE, Kind.CASE_STUDY]) for t in r.tags})
    people = max(12, records // 60)
    names = [f"person{i:05d}" for i in range(people)]
    with db.write() as session:
        session.execute(
            _insert(User),
            [{"name": n, "role": "staff", "password_hash": "x", "disabled": False, "access_epoch": 0,
              "created_at": now} for n in names]
            + [{"name": "librarian", "role": "librarian", "password_hash": "x", "disabled": False,
                "access_epoch": 0, "created_at": now}],
        )  # fmt: skip
    with db.read() as session:
        ids = dict(session.query(User.name, User.id).all())
    rng.shuffle(knowledge)
    stored_at = [now - timedelta(days=rng.randint(30, 1200)) for _ in knowledge]
    rows: list[dict[str, Any]] = []
    for (record_id, kind), when in zip(knowledge, stored_at, strict=True):
        owner = rng.choice(names) if rng.random() < 0.3 else "import"
        rows.append(_record_row(record_id, kind, owner, {"fields": {}}, when, len(rows) + 1))
    for index, name in enumerate(names):
        if rng.random() < 0.9:
            district = _LONELY_DISTRICT if index == 7 else _zipf_pick(rng, list(_DISTRICTS), 0.8)
            payload = {"fields": {"name": name, "handle": name, "district": district}}
            rows.append(_record_row(str(uuid.uuid4()), "expert", name, payload, now, len(rows) + 1))
    memberships = {
        (ids[name], community)
        for name in names
        for community in rng.sample(communities, min(len(communities), rng.randint(0, 3)))
    }
    with db.write() as session:
        for i in range(0, len(rows), 2000):
            session.execute(_insert(RecordRow), rows[i : i + 2000])
        if memberships:
            session.execute(
                _insert(Membership),
                [{"user_id": u, "community_id": c, "role": "member"} for u, c in sorted(memberships)],
            )
    terms = [t.casefold() for t in tags] + [w.casefold() for t in titles[:800] for w in t.split()[:3]]
    terms = list(dict.fromkeys(t for t in terms if len(t) > 3)) or ["water"]
    rng.shuffle(terms)
    missing = [f"{a} {b}" for a in _MISSING for b in _MISSING if a != b]
    rng.shuffle(missing)
    activity = sorted((rng.lognormvariate(0, 1) for _ in names), reverse=True)
    total = per_record * records
    weight = sum(activity)
    principals = [Principal(ids[name], 0, "", Actor(name, Role.STAFF)) for name in names]
    uploading = set(rng.sample(range(people), max(3, people // 20)))
    later: list[tuple[Principal, list[dict[str, Any]]]] = []
    written = 0
    start = time.perf_counter()
    for index, (principal, level) in enumerate(zip(principals, activity, strict=True)):
        events = _events_of(rng, round(total * level / weight), knowledge, terms, missing, now)
        if index in uploading:
            later.append((principal, events))
            continue
        table_rows = [_event_row(event, principal.user_id, now) for event in events]
        with db.write_connection() as connection:
            for i in range(0, len(table_rows), 5000):
                connection.execute(_insert(UsageEvent), table_rows[i : i + 5000])
        written += len(table_rows)
    print(f"  {people:,} people, {len(knowledge):,} knowledge records, {len(communities):,} communities")
    print(f"  {written:,} events written into the table in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    db.dispose()
    before, after = migrate_database(settings)
    print(f"  server schema {before} -> {after} in {time.perf_counter() - start:.1f} s")
    stored = 0
    start = time.perf_counter()
    for principal, events in later:
        for i in range(0, len(events), p.MAX_USAGE_EVENTS):
            upload = p.UsageUpload.model_validate({"events": events[i : i + p.MAX_USAGE_EVENTS]})
            stored += usage.store_events(db=db, principal=principal, upload=upload).stored
    seconds = time.perf_counter() - start
    print(
        f"  {stored:,} events of {len(later)} people uploaded in {seconds:.1f} s "
        f"({stored / max(seconds, 1e-9):,.0f}/s, batches of {p.MAX_USAGE_EVENTS})"
    )
    librarian = Principal(ids["librarian"], 0, "", Actor("librarian", Role.LIBRARIAN))
    return Population(principals, librarian, written + stored)


def _event_row(event: dict[str, Any], user_id: int, now: datetime) -> dict[str, Any]:
    """An event as the server stores it (what sync/server/usage.py makes of an upload)."""
    at = datetime.fromisoformat(event["at"])
    return {
        "id": event["id"], "user_id": user_id, "kind": event["kind"],
        "record_id": event.get("record_id", ""), "query": event.get("query", ""),
        "hits": event.get("hits", 0), "at": at, "period": at.strftime("%Y-%m"), "received_at": now,
    }  # fmt: skip


def _record_row(
    record_id: str, kind: str, owner: str, payload: dict[str, Any], when: datetime, seq: int
) -> dict[str, Any]:
    return {
        "id": record_id, "kind": kind, "owner": owner, "co_authors": [], "reviewers": [],
        "community": "", "status": "published", "visibility": "everyone", "revision": f"1-{seq:x}",
        "parent_revision": "", "deleted": False, "updated_at": when.isoformat(), "payload": payload,
        "attachments": [], "seq": seq, "stored_at": when,
    }  # fmt: skip


def _events_of(
    rng: random.Random,
    count: int,
    knowledge: list[tuple[str, str]],
    terms: list[str],
    missing: list[str],
    now: datetime,
) -> list[dict[str, Any]]:
    """One person's events, oldest first: about 70% views, 25% searches, 4% marks, 1% taken back."""
    events: list[dict[str, Any]] = []
    viewed: list[str] = []
    for _ in range(count):
        at = (now - _SPAN * rng.random() ** 1.3).replace(microsecond=0).isoformat()
        event: dict[str, Any] = {"id": str(uuid.uuid4()), "at": at}
        roll = rng.random()
        if roll < 0.70 or not viewed:
            record_id = _zipf_pick(rng, knowledge, 0.9)[0]
            viewed.append(record_id)
            event |= {"kind": "view", "record_id": record_id}
        elif roll < 0.95:
            if rng.random() < 0.15:
                event |= {"kind": "search", "query": _zipf_pick(rng, missing, 0.7), "hits": 0}
            else:
                event |= {"kind": "search", "query": _zipf_pick(rng, terms, 0.8), "hits": rng.randint(1, 400)}
        elif roll < 0.99:
            event |= {"kind": "helped", "record_id": rng.choice(viewed)}
        else:
            event |= {"kind": "unhelped", "record_id": rng.choice(viewed)}
        events.append(event)
    events.sort(key=lambda e: e["at"])
    return events


# -- measuring ------------------------------------------------------------------------------------------


def _runs(fn: Callable[[], object], times: int) -> tuple[float, float]:
    """The first call's milliseconds and the median of the next ones."""
    first = timed_ms(fn)
    rest = [timed_ms(fn) for _ in range(times)]
    return first, statistics.median(rest) if rest else first


def measure(label: str, store_dir: Path, work: Path, per_record: int, seed: int) -> None:
    """Build the server and the client profile of one size, then time each part of the dashboard."""
    rng = random.Random(seed)
    store = RecordRepository(store_dir)
    try:
        print(f"\n{label}: {store.count():,} records")
        reused = add_reuse(store, rng)
        settings, db = server_for(work / f"server-{label.replace(' ', '-')}")
        try:
            people = populate(db, settings, store, per_record, rng)
            print(f'  {reused:,} records given "builds on" links')
            typical = people.staff[len(people.staff) // 2]
            everyone = usage.summary(db=db, principal=people.librarian)
            own = usage.summary(db=db, principal=people.staff[0])
            print(row("dashboard part (ms)", "first", "median of 3"))
            for name, fn in (
                ("  librarian summary (server)", lambda: usage.summary(db=db, principal=people.librarian)),
                ("  busiest staff summary (server)", lambda: usage.summary(db=db, principal=people.staff[0])),
                ("  typical staff summary (server)", lambda: usage.summary(db=db, principal=typical)),
            ):
                first, median = _runs(fn, 3)
                print(row(name, f"{first:,.1f}", f"{median:,.1f}"))
            _summary_parts(db, people.librarian)
            service = UsageService(store)
            for name, summary in (("librarian", everyone), ("staff", own)):
                store.set_meta(SUMMARY_KEY, summary.model_dump_json())
                first, median = _runs(service.dashboard, 3)
                print(row(f"  client model, {name}", f"{first:,.1f}", f"{median:,.1f}"))
            store.set_meta(SUMMARY_KEY, everyone.model_dump_json())
            first, median = _runs(lambda: _first_paint(service), 3)
            print(row("  first paint, librarian (offscreen)", f"{first:,.1f}", f"{median:,.1f}"))
            print(
                f"  librarian summary: {everyone.totals.views:,} views, "
                f"{everyone.totals.searches:,} searches "
                f"({everyone.totals.zero_hit_searches:,} found nothing), {len(everyone.gaps)} gaps shown, "
                f"{len(everyone.communities)} community-months, {everyone.stale_count:,} stale; "
                f"{len(everyone.model_dump_json()) / 1000:.1f} KB"
            )
        finally:
            db.dispose()
    finally:
        store.close()


def _summary_parts(db: Database, librarian: Principal) -> None:
    """Where the librarian's summary spends its time: each part once, on one read connection."""
    since = datetime.now(UTC) - usage.PERIOD
    scope = [UsageEvent.at >= since]
    with db.read_connection() as connection:
        months: dict[Any, Any] = {}

        def person_months() -> None:
            months.update(usage.person_months(connection, since, None))

        parts: list[tuple[str, Callable[[], object]]] = [
            ("months (rollup)", person_months),
            ("most used", lambda: usage._top_records(connection, scope, None)),
            ("terms and gaps", lambda: usage._search_terms(connection, scope, False)),
            ("per community", lambda: usage._per_community(connection, months)),
            ("per district", lambda: usage._per_district(connection, months)),
            ("stale", lambda: usage._stale(connection, since, None)),
        ]
        for name, fn in parts:
            print(row(f"    part: {name}", f"{timed_ms(fn):,.1f}", ""))


_qt: dict[str, Any] = {}


def _first_paint(service: UsageService) -> None:
    """Build the page, give it the dashboard and render it once, as the first show does."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    from PySide6.QtWidgets import QApplication

    from desktop.ui.pages.dashboard_page import DashboardPage
    from desktop.ui.tasks import TaskManager

    app = QApplication.instance() or QApplication([])
    _qt["app"] = app
    tasks = _qt.setdefault("tasks", TaskManager())
    page = DashboardPage(tasks)
    page.resize(1400, 1000)
    page.show_dashboard(service.dashboard())
    page.show()
    app.processEvents()
    page.grab()
    page.close()
    page.deleteLater()
    app.processEvents()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="a corpus slice and 3,000 records, in seconds")
    parser.add_argument("--records", type=int, default=0, help="also the corpus scaled up to this many")
    parser.add_argument("--profile", type=Path, default=DEFAULT_PROFILE, help="a profile holding the corpus")
    parser.add_argument(
        "--events-per-record", type=int, default=0, help="usage events per record (20; smoke 5)"
    )
    args = parser.parse_args(argv)
    if not CORPUS.is_dir() and not (args.profile / "imbizo.db").exists():
        print(f"no corpus at {CORPUS} and no profile at {args.profile}", file=sys.stderr)
        return 1
    per_record = args.events_per_record or (5 if args.smoke else 20)
    work = Path(tempfile.mkdtemp(prefix="imbizo-bench-dashboard-"))
    try:
        corpus = corpus_store(work, args.profile, args.smoke)
        measure("corpus slice" if args.smoke else "whole corpus", corpus, work, per_record, seed=5)
        records = 3000 if args.smoke else args.records
        if records:
            big = scaled_store(corpus, records, work, args.smoke)
            measure(f"scaled to {records:,}", big, work, per_record, seed=6)
    finally:
        if "tasks" in _qt:
            _qt.pop("tasks").shutdown()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
