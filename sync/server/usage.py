"""Usage events: stored idempotently, and summed into the dashboard's summary, scoped by role.

Staff get a summary of their own use. Librarians and admins get everyone's, aggregated:
counts per record, per month and community or district, and search terms only when at
least :data:`MIN_PEOPLE` different people searched them, so that nobody's individual
searches are shown to anyone else (a term one person searched is that person's search).
The heavy parts are GROUP BY queries; what Python does afterwards is on grouped rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, case, exists, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from sync import protocol as p
from sync.server.auth import Principal
from sync.server.db import Database, utc_now
from sync.server.models import Membership, RecordRow, UsageEvent, UsageRollup, User

#: A search term is shown to librarians only when this many different people searched it.
MIN_PEOPLE = 2
#: The summary covers this much time back from now (activity, most used, searches, stale).
PERIOD = timedelta(days=365)
#: An event dated further ahead than this (a clock set wrong) is dated when it arrived instead.
CLOCK_SLACK = timedelta(days=1)
#: Kinds that count as knowledge (what is used, what went stale).
KNOWLEDGE_KINDS = ("case_study", "article", "centre_item", "site_visit")
#: A "this helped me" mark weighs as much as this many views when ranking the most used records.
HELPED_WEIGHT = 5
#: Records ranked by views before marks are merged in (the rest cannot reach the top list).
VIEW_CANDIDATES = 200

_RECORD_KINDS = frozenset({"view", "helped", "unhelped"})


def _parse_time(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _normalized(query: str) -> str:
    return " ".join(query.casefold().split())[:200]


def _rows_of(upload: p.UsageUpload, user_id: int, now: datetime) -> tuple[dict[str, dict[str, Any]], int]:
    """The rows of an upload (the last of an id twice in one batch) and how many events were ignored.

    An event that names no record (a view, a mark) or no query (a search), or whose time is not
    a real date, is ignored rather than refusing the batch: the rest of the batch is good, and
    sending it again would ignore the same event again.
    """
    rows: dict[str, dict[str, Any]] = {}
    ignored = 0
    for event in upload.events:
        query = _normalized(event.query.replace("\x00", "")) if event.kind == "search" else ""
        try:
            at = _parse_time(event.at)
        except ValueError:
            at = None
        if (
            at is None
            or (event.kind in _RECORD_KINDS and not event.record_id)
            or (event.kind == "search" and not query)
        ):
            ignored += 1
            continue
        if at > now + CLOCK_SLACK:
            at = now
        rows[event.id] = {
            "id": event.id,
            "user_id": user_id,
            "kind": event.kind,
            "record_id": event.record_id or "",
            "query": query,
            "hits": event.hits if event.kind == "search" else 0,
            "at": at,
            "period": at.strftime("%Y-%m"),
            "received_at": now,
        }
    return rows, ignored


def store_events(*, db: Database, principal: Principal, upload: p.UsageUpload) -> p.UsageUploadResult:
    """Keep a batch of the principal's events; ids the server has already are not stored again."""
    now = utc_now()
    rows, ignored = _rows_of(upload, principal.user_id, now)
    if not rows:
        return p.UsageUploadResult(stored=0, duplicates=0, ignored=ignored)
    with db.write_connection() as connection:
        known = set(connection.execute(select(UsageEvent.id).where(UsageEvent.id.in_(list(rows)))).scalars())
        new = [row for event_id, row in rows.items() if event_id not in known]
        stored: set[str] = set()
        if new:
            stored = set(connection.execute(_insert_ignoring_known(connection), new).scalars())
            _roll_up(connection, [row for row in new if row["id"] in stored])
    return p.UsageUploadResult(
        stored=len(stored), duplicates=len(upload.events) - ignored - len(stored), ignored=ignored
    )


@dataclass
class MonthCounts:
    """One person's events in one month, by kind (a row of the rollup, or of the events counted)."""

    views: int = 0
    searches: int = 0
    zero_hits: int = 0
    helped: int = 0
    unhelped: int = 0

    @property
    def events(self) -> int:
        """Every event of the month (a search that found nothing is one of the searches)."""
        return self.views + self.searches + self.helped + self.unhelped

    def add(self, kind: str, count: int, zero_hits: int = 0) -> None:
        """Count ``count`` events of ``kind`` (``zero_hits`` of them searches that found nothing)."""
        name = _COUNTED[kind]
        setattr(self, name, getattr(self, name) + count)
        self.zero_hits += zero_hits


_COUNTED = {"view": "views", "search": "searches", "helped": "helped", "unhelped": "unhelped"}
_ROLLUP_COUNTS = ("views", "searches", "zero_hits", "helped", "unhelped")


def _roll_up(connection: Connection, stored: list[dict[str, Any]]) -> None:
    """Add the events just stored to their person's months (in the same transaction).

    Only events this transaction inserted are counted (a concurrent retry that stored an id first
    counted it), and the rows are added to in a fixed order, so two uploads never deadlock.
    """
    months: dict[tuple[int, str], MonthCounts] = defaultdict(MonthCounts)
    for row in stored:
        zero = 1 if row["kind"] == "search" and row["hits"] == 0 else 0
        months[(row["user_id"], row["period"])].add(row["kind"], 1, zero)
    if not months:
        return
    values = [
        {"user_id": user_id, "period": period, **{name: getattr(counts, name) for name in _ROLLUP_COUNTS}}
        for (user_id, period), counts in sorted(months.items())
    ]
    table = cast(Table, UsageRollup.__table__)
    upsert = pg_insert(table) if connection.dialect.name == "postgresql" else sqlite_insert(table)
    statement = upsert.on_conflict_do_update(
        index_elements=["user_id", "period"],
        set_={name: table.c[name] + upsert.excluded[name] for name in _ROLLUP_COUNTS},
    )
    connection.execute(statement, values)


def _insert_ignoring_known(connection: Connection) -> Any:
    """INSERT that skips an id a concurrent retry of the batch stored meanwhile; returns the ids stored."""
    table = UsageEvent
    if connection.dialect.name == "postgresql":
        return pg_insert(table).on_conflict_do_nothing(index_elements=["id"]).returning(UsageEvent.id)
    return sqlite_insert(table).on_conflict_do_nothing(index_elements=["id"]).returning(UsageEvent.id)


def summary(*, db: Database, principal: Principal, now: datetime | None = None) -> p.UsageSummary:
    """The dashboard's summary for the principal: their own use (staff) or everyone's (librarians)."""
    moment = now or utc_now()
    since = moment - PERIOD
    own = not principal.actor.is_librarian
    scope = [UsageEvent.at >= since]
    if own:
        scope.append(UsageEvent.user_id == principal.user_id)
    with db.read_connection() as connection:
        months = person_months(connection, since, principal.user_id if own else None)
        totals = _totals(months)
        top = _top_records(connection, scope, principal.user_id if own else None)
        terms, gaps = _search_terms(connection, scope, own)
        communities = _per_community(connection, months)
        districts = _per_district(connection, months)
        stale, stale_count = _stale(connection, since, principal.actor.name if own else None)
    return p.UsageSummary(
        scope="own" if own else "everyone",
        generated_at=moment.replace(microsecond=0).isoformat(),
        since=since.replace(microsecond=0).isoformat(),
        min_people=1 if own else MIN_PEOPLE,
        totals=totals,
        top_records=top,
        search_terms=terms,
        gaps=gaps,
        communities=communities,
        districts=districts,
        stale=stale,
        stale_count=stale_count,
    )


PersonMonths = dict[tuple[int, str], MonthCounts]


def person_months(connection: Connection, since: datetime, user_id: int | None) -> PersonMonths:
    """Events since ``since`` per (person, month), of one person or of everyone.

    The months after the one ``since`` falls in come whole from the rollup; that first month
    only from the day of ``since`` on, so it is counted from its events (through an index that
    holds every column the count needs).
    """
    first = since.astimezone(UTC).strftime("%Y-%m")
    months: PersonMonths = defaultdict(MonthCounts)
    rolled = select(UsageRollup).where(UsageRollup.period > first)
    if user_id is not None:
        rolled = rolled.where(UsageRollup.user_id == user_id)
    for row in connection.execute(rolled).mappings():
        months[(row["user_id"], row["period"])] = MonthCounts(**{name: row[name] for name in _ROLLUP_COUNTS})
    zero = func.sum(case((and_(UsageEvent.kind == "search", UsageEvent.hits == 0), 1), else_=0))
    edge = select(UsageEvent.user_id, UsageEvent.kind, func.count(), zero).where(
        UsageEvent.period == first, UsageEvent.at >= since
    )
    if user_id is not None:
        edge = edge.where(UsageEvent.user_id == user_id)
    for who, kind, count, zeros in connection.execute(edge.group_by(UsageEvent.user_id, UsageEvent.kind)):
        months[(who, first)].add(kind, int(count), int(zeros or 0))
    return months


def _totals(months: PersonMonths) -> p.UsageTotals:
    summed = MonthCounts()
    for counts in months.values():
        for name in _ROLLUP_COUNTS:
            setattr(summed, name, getattr(summed, name) + getattr(counts, name))
    return p.UsageTotals(
        views=summed.views,
        searches=summed.searches,
        zero_hit_searches=summed.zero_hits,
        helped=summed.helped,
        people=len({user_id for (user_id, _), counts in months.items() if counts.events}),
    )


def standing_marks(rows: Iterable[tuple[int, str, str]]) -> Counter[str]:
    """People whose "this helped me" mark stands, per record, from (user, record, kind) in time order."""
    latest: dict[tuple[int, str], bool] = {}
    for user_id, record_id, kind in rows:
        latest[(user_id, record_id)] = kind == "helped"
    return Counter(record_id for (_, record_id), helped in latest.items() if helped)


def _top_records(connection: Connection, scope: list[Any], user_id: int | None) -> list[p.UsageRecordCount]:
    """The most used records: views in the period plus standing "this helped me" marks (weighted).

    Views are counted per record first; how many different people viewed is counted only for the
    records shown (a distinct count per record over every view was half of this part's time)."""
    kind = _kind(user_id is not None)
    views = func.count()
    counted = {
        record_id: int(n)
        for record_id, n in connection.execute(
            select(UsageEvent.record_id, views)
            .where(kind.in_(("view",)), *scope)
            .group_by(UsageEvent.record_id)
            .order_by(views.desc())
            .limit(VIEW_CANDIDATES)
        )
    }
    marks = select(UsageEvent.user_id, UsageEvent.record_id, UsageEvent.kind).where(
        kind.in_(("helped", "unhelped"))
    )
    if user_id is not None:  # a mark stands until taken back, however old: not limited to the period
        marks = marks.where(UsageEvent.user_id == user_id)
    helped = standing_marks(connection.execute(marks.order_by(UsageEvent.at, UsageEvent.received_at)).all())
    missing = [record_id for record_id in helped if record_id not in counted]
    if missing:
        counted.update(_view_counts(connection, kind, scope, missing))

    def score(record_id: str) -> tuple[int, int, str]:
        n = counted.get(record_id, 0)
        return (n + HELPED_WEIGHT * helped.get(record_id, 0), n, record_id)

    ranked = [r for r in sorted(set(counted) | set(helped), key=score, reverse=True) if _is_uuid(r)]
    ranked = ranked[: p.USAGE_TOP]
    people = _view_people(connection, kind, scope, ranked)
    return [
        p.UsageRecordCount(
            id=record_id,
            views=counted.get(record_id, 0),
            people=people.get(record_id, 0),
            helped=helped.get(record_id, 0),
        )
        for record_id in ranked
    ]


def _view_counts(
    connection: Connection, kind: Any, scope: list[Any], record_ids: list[str]
) -> dict[str, int]:
    """Views in the period of each of ``record_ids`` (in chunks, as the IN list may be long)."""
    counts: dict[str, int] = {}
    for start in range(0, len(record_ids), _CHUNK):
        chunk = record_ids[start : start + _CHUNK]
        counts.update(
            (record_id, int(n))
            for record_id, n in connection.execute(
                select(UsageEvent.record_id, func.count())
                .where(kind.in_(("view",)), UsageEvent.record_id.in_(chunk), *scope)
                .group_by(UsageEvent.record_id)
            )
        )
    return counts


def _view_people(
    connection: Connection, kind: Any, scope: list[Any], record_ids: list[str]
) -> dict[str, int]:
    """How many different people viewed each of ``record_ids`` in the period."""
    if not record_ids:
        return {}
    people = func.count(func.distinct(UsageEvent.user_id))
    return {
        record_id: int(n)
        for record_id, n in connection.execute(
            select(UsageEvent.record_id, people)
            .where(kind.in_(("view",)), UsageEvent.record_id.in_(record_ids), *scope)
            .group_by(UsageEvent.record_id)
        )
    }


def _kind(own: bool) -> Any:
    """The events' kind column, to filter by; for one person's own use, one no index can serve.

    One person's events are best read through their (user, time) index: a few thousand rows. The
    covering indexes that start with the kind serve everyone's; without table statistics SQLite
    takes them for one person too and reads every view or search of everyone to keep theirs
    (measured at the corpus size: a staff summary 3-4x slower than through the person's index).
    ``kind || ''`` is the same value, and no index matches it, on SQLite and PostgreSQL alike.
    """
    return UsageEvent.kind.concat("") if own else UsageEvent.kind


def _is_uuid(value: str) -> bool:
    import re

    return re.fullmatch(p.UUID_PATTERN.strip("^$"), value) is not None


def _search_terms(
    connection: Connection, scope: list[Any], own: bool
) -> tuple[list[p.UsageTerm], list[p.UsageTerm]]:
    """The most searched terms and the gaps (terms that found nothing), with the privacy rule.

    One grouping of the period's searches serves both lists (each had its own, and grouping
    hundreds of thousands of searches with two distinct counts was the cost of this part)."""
    searches = func.count()
    people = func.count(func.distinct(UsageEvent.user_id))
    zero = func.sum(case((UsageEvent.hits == 0, 1), else_=0))
    zero_people = func.count(func.distinct(case((UsageEvent.hits == 0, UsageEvent.user_id))))
    grouped = (
        select(UsageEvent.query, searches, people, zero, zero_people)
        .where(_kind(own).in_(("search",)), *scope)
        .group_by(UsageEvent.query)
    )
    if not own:  # only terms that at least MIN_PEOPLE people searched (or found nothing for) leave here
        grouped = grouped.having(or_(people >= MIN_PEOPLE, zero_people >= MIN_PEOPLE))
    rows = [
        (str(term), int(n), int(who), int(z or 0), int(zp))
        for term, n, who, z, zp in connection.execute(grouped)
    ]
    shown = rows if own else [r for r in rows if r[2] >= MIN_PEOPLE]
    lacking = [r for r in rows if r[3] > 0] if own else [r for r in rows if r[4] >= MIN_PEOPLE]
    terms = [
        p.UsageTerm(term=term, searches=n, people=who, zero_hits=z)
        for term, n, who, z, _ in sorted(shown, key=lambda r: (-r[1], r[0]))[: p.USAGE_TOP]
    ]
    found_nothing = [
        p.UsageTerm(term=term, searches=n, people=zp, zero_hits=z)
        for term, n, _, z, zp in sorted(lacking, key=lambda r: (-r[3], r[0]))[: p.USAGE_TOP]
    ]
    return terms, found_nothing


def _per_community(connection: Connection, months: PersonMonths) -> list[p.UsageActivity]:
    """Events per month by the members of each community (a person in two counts in both)."""
    people = sorted({user_id for user_id, _ in months})
    communities: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(people), _CHUNK):
        for user_id, community in connection.execute(
            select(Membership.user_id, Membership.community_id).where(
                Membership.user_id.in_(people[start : start + _CHUNK])
            )
        ):
            communities[user_id].append(community)
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for (user_id, period), counts in months.items():
        for community in communities.get(user_id, ()):
            totals[(community, period)] += counts.events
    return _activity(totals)


def _per_district(connection: Connection, months: PersonMonths) -> list[p.UsageActivity]:
    """Events per month by the people of each district (their expert profile's, by its handle)."""
    user_ids = sorted({user_id for user_id, _ in months})
    names: dict[int, str] = {}
    for start in range(0, len(user_ids), _CHUNK):
        names.update(
            connection.execute(
                select(User.id, User.name).where(User.id.in_(user_ids[start : start + _CHUNK]))
            ).all()
        )
    handle = RecordRow.payload[("fields", "handle")].as_string()
    district = RecordRow.payload[("fields", "district")].as_string()
    districts: dict[str, str] = {}
    handles = sorted(set(names.values()))
    for start in range(0, len(handles), _CHUNK):
        for name, place in connection.execute(
            select(handle, district).where(
                RecordRow.kind == "expert",
                RecordRow.deleted.is_(False),
                handle.in_(handles[start : start + _CHUNK]),
            )
        ):
            if name and place:
                districts.setdefault(str(name), str(place).strip()[:200])
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for (user_id, period), counts in months.items():
        totals[(districts.get(names.get(user_id, ""), ""), period)] += counts.events
    return _activity(totals)


#: Groups (communities, districts) a summary names: 13 months each, with the sum of the rest,
#: stay within :data:`sync.protocol.MAX_USAGE_ACTIVITY` rows.
MAX_GROUPS = 150


def _activity(totals: dict[tuple[str, str], int]) -> list[p.UsageActivity]:
    """(group, month) -> events as activity rows: the busiest :data:`MAX_GROUPS` groups by name and
    the rest summed per month as :data:`sync.protocol.USAGE_OTHERS`, so nothing drops out of the
    totals and an organisation with hundreds of communities still gets its summary."""
    per_group: Counter[str] = Counter()
    for (group, _), n in totals.items():
        per_group[group] += n
    named = {
        group for group, _ in sorted(per_group.items(), key=lambda item: (-item[1], item[0]))[:MAX_GROUPS]
    }
    kept: dict[tuple[str, str], int] = defaultdict(int)
    for (group, period), n in totals.items():
        kept[(group if group in named else p.USAGE_OTHERS, period)] += n
    return [
        p.UsageActivity(group=group, period=period, events=n)
        for (group, period), n in sorted(kept.items())
        if n
    ]


#: Ids bound in one IN (...) at most (SQLite's limit on parameters is far above; PostgreSQL's too).
_CHUNK = 900


def _stale(connection: Connection, since: datetime, owner: str | None) -> tuple[list[str], int]:
    """Published knowledge not changed and not opened by anyone since ``since``, oldest first."""
    opened = exists().where(
        UsageEvent.record_id == RecordRow.id, UsageEvent.kind == "view", UsageEvent.at >= since
    )
    conditions = [
        RecordRow.kind.in_(KNOWLEDGE_KINDS),
        RecordRow.deleted.is_(False),
        RecordRow.status == "published",
        RecordRow.stored_at < since,
        ~opened,
    ]
    if owner is not None:
        conditions.append(RecordRow.owner == owner)
    count = connection.execute(select(func.count()).select_from(RecordRow).where(*conditions)).scalar()
    ids = connection.execute(
        select(RecordRow.id)
        .where(*conditions)
        .order_by(RecordRow.stored_at, RecordRow.id)
        .limit(p.USAGE_TOP * 2)
    ).scalars()
    return list(ids), int(count or 0)
