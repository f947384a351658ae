"""Usage events on this computer: written in batches, uploaded at sync, and summed for the dashboard.

A mixin of RecordRepository. Events are written in small transactions that do not wait for the
profile's write lock (an import holding it between its batches never delays them); SQLite's own
lock orders them. The summary of this computer's events has the shape of the server's
(``sync.protocol.UsageSummary``, scope ``own``), so the dashboard reads one kind of thing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, case, exists, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from desktop.core.records import Relation
from desktop.core.usage import KNOWLEDGE_KINDS, UsageEvent, UsageKind
from desktop.store.models import LinkRow, RecordRow, UsageEventRow
from desktop.store.queries import BATCH_SIZE
from desktop.store.rows import core
from sync import protocol as p

#: The summary covers this much time back (as the server's does).
PERIOD = timedelta(days=365)
#: A "this helped me" mark weighs as much as this many views when ranking (as on the server).
HELPED_WEIGHT = 5

_INSERT = sqlite_insert(UsageEventRow).on_conflict_do_nothing(index_elements=["id"])


class UsageStore:
    """Usage events of this profile (a mixin of RecordRepository, which supplies the sessions)."""

    def _read_session(self) -> AbstractContextManager[Session]:  # pragma: no cover - overridden
        raise NotImplementedError

    def _quick_write_session(self, action: str) -> AbstractContextManager[Session]:  # pragma: no cover
        raise NotImplementedError

    # -- writing and uploading ---------------------------------------------------------------

    def record_usage(self, events: Sequence[UsageEvent]) -> int:
        """Keep a batch of events in one small transaction (an id kept before is skipped)."""
        rows = [
            {
                "id": e.id,
                "kind": e.kind.value,
                "record_id": e.record_id,
                "query": e.query,
                "hits": e.hits,
                "at": e.at,
                "sent": False,
            }
            for e in events
        ]
        if not rows:
            return 0
        with self._quick_write_session("record what was used") as session:
            core(session).execute(_INSERT, rows)
        return len(rows)

    def pending_usage(self, limit: int) -> list[UsageEvent]:
        """Up to ``limit`` events the server does not have yet, oldest first (the same ids every time)."""
        query = (
            select(UsageEventRow)
            .where(UsageEventRow.sent.is_(False))
            .order_by(UsageEventRow.at, UsageEventRow.id)
            .limit(max(0, limit))
        )
        with self._read_session() as session:
            return [
                UsageEvent(UsageKind(row.kind), row.record_id, row.query, row.hits, row.at, row.id)
                for row in session.scalars(query)
            ]

    def usage_sent(self, event_ids: Iterable[str]) -> None:
        """The server acknowledged these events: never send them again."""
        ids = list(event_ids)
        with self._quick_write_session("note what was uploaded") as session:
            for start in range(0, len(ids), BATCH_SIZE):
                chunk = ids[start : start + BATCH_SIZE]
                session.execute(update(UsageEventRow).where(UsageEventRow.id.in_(chunk)).values(sent=True))

    def usage_pending_count(self) -> int:
        """Events waiting for the next sync."""
        with self._read_session() as session:
            count = session.scalar(select(func.count()).where(UsageEventRow.sent.is_(False)))
            return int(count or 0)

    def helped(self, record_id: str) -> bool:
        """True when this person's latest mark on the record says "this helped me"."""
        query = (
            select(UsageEventRow.kind)
            .where(
                UsageEventRow.record_id == record_id,
                UsageEventRow.kind.in_((UsageKind.HELPED.value, UsageKind.UNHELPED.value)),
            )
            .order_by(UsageEventRow.at.desc(), UsageEventRow.id.desc())
            .limit(1)
        )
        with self._read_session() as session:
            return session.scalar(query) == UsageKind.HELPED.value

    # -- reading for the dashboard -------------------------------------------------------------

    def applied_in_counts(self, limit: int = p.USAGE_TOP) -> list[tuple[str, int]]:
        """Records most built on: (record id, live case studies whose "builds on" links name it)."""
        sources = func.count(func.distinct(LinkRow.source_id))
        query = (
            select(LinkRow.target_id, sources)
            .join(RecordRow, RecordRow.id == LinkRow.source_id)
            .where(LinkRow.relation == Relation.BUILDS_ON.value, RecordRow.deleted.is_(False))
            .group_by(LinkRow.target_id)
            .order_by(sources.desc(), LinkRow.target_id)
            .limit(limit)
        )
        with self._read_session() as session:
            return [(str(target), int(n)) for target, n in session.execute(query)]

    def applied_in(self, record_ids: Sequence[str]) -> dict[str, int]:
        """For each of ``record_ids`` that something builds on, how many live records do."""
        found: dict[str, int] = {}
        sources = func.count(func.distinct(LinkRow.source_id))
        with self._read_session() as session:
            for start in range(0, len(record_ids), BATCH_SIZE):
                chunk = list(record_ids[start : start + BATCH_SIZE])
                query = (
                    select(LinkRow.target_id, sources)
                    .join(RecordRow, RecordRow.id == LinkRow.source_id)
                    .where(
                        LinkRow.relation == Relation.BUILDS_ON.value,
                        RecordRow.deleted.is_(False),
                        LinkRow.target_id.in_(chunk),
                    )
                    .group_by(LinkRow.target_id)
                )
                found.update((str(target), int(n)) for target, n in session.execute(query))
        return found

    def titles_of(self, record_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """record id -> (kind, title) of the live records among ``record_ids`` (no content read)."""
        ids = list(dict.fromkeys(record_ids))
        found: dict[str, tuple[str, str]] = {}
        with self._read_session() as session:
            for start in range(0, len(ids), BATCH_SIZE):
                chunk = ids[start : start + BATCH_SIZE]
                query = select(RecordRow.id, RecordRow.kind, RecordRow.title).where(
                    RecordRow.id.in_(chunk), RecordRow.deleted.is_(False)
                )
                found.update((row.id, (row.kind, row.title)) for row in session.execute(query))
        return found

    def local_usage_summary(self, now: datetime | None = None) -> p.UsageSummary:
        """This computer's use as a summary of scope ``own`` (for a profile that never synced)."""
        moment = now or datetime.now(UTC)
        since = (moment - PERIOD).replace(microsecond=0).isoformat()
        recent = UsageEventRow.at >= since
        with self._read_session() as session:
            counts = dict(
                session.execute(
                    select(UsageEventRow.kind, func.count()).where(recent).group_by(UsageEventRow.kind)
                ).all()
            )
            views = func.count()
            viewed = dict(
                session.execute(
                    select(UsageEventRow.record_id, views)
                    .where(recent, UsageEventRow.kind == UsageKind.VIEW.value)
                    .group_by(UsageEventRow.record_id)
                    .order_by(views.desc())
                    .limit(200)
                ).all()
            )
            marks = session.execute(
                select(UsageEventRow.record_id, UsageEventRow.kind)
                .where(UsageEventRow.kind.in_((UsageKind.HELPED.value, UsageKind.UNHELPED.value)))
                .order_by(UsageEventRow.at, UsageEventRow.id)
            ).all()
            latest = {record_id: kind == UsageKind.HELPED.value for record_id, kind in marks}
            helped = Counter(record_id for record_id, standing in latest.items() if standing)
            zero = func.sum(case((UsageEventRow.hits == 0, 1), else_=0))
            searches = func.count()
            terms = session.execute(
                select(UsageEventRow.query, searches, zero)
                .where(recent, UsageEventRow.kind == UsageKind.SEARCH.value)
                .group_by(UsageEventRow.query)
                .order_by(searches.desc(), UsageEventRow.query)
            ).all()
            month = func.substr(UsageEventRow.at, 1, 7)
            months = session.execute(select(month, func.count()).where(recent).group_by(month)).all()
            stale, stale_count = _stale(session, since)
        ranked = sorted(
            set(viewed) | set(helped),
            key=lambda rid: (viewed.get(rid, 0) + HELPED_WEIGHT * helped.get(rid, 0), rid),
            reverse=True,
        )[: p.USAGE_TOP]
        all_terms = [
            p.UsageTerm(term=t, searches=int(n), people=1, zero_hits=int(z or 0)) for t, n, z in terms
        ]
        return p.UsageSummary(
            scope="own",
            generated_at=moment.replace(microsecond=0).isoformat(),
            since=since,
            min_people=1,
            totals=p.UsageTotals(
                views=int(counts.get(UsageKind.VIEW.value, 0)),
                searches=int(counts.get(UsageKind.SEARCH.value, 0)),
                zero_hit_searches=sum(t.zero_hits for t in all_terms),
                helped=int(counts.get(UsageKind.HELPED.value, 0)),
                people=1 if counts else 0,
            ),
            top_records=[
                p.UsageRecordCount(id=rid, views=int(viewed.get(rid, 0)), people=1, helped=helped.get(rid, 0))
                for rid in ranked
                if _is_uuid(rid)
            ],
            search_terms=all_terms[: p.USAGE_TOP],
            gaps=sorted((t for t in all_terms if t.zero_hits), key=lambda t: (-t.zero_hits, t.term))[
                : p.USAGE_TOP
            ],
            districts=[
                p.UsageActivity(group="", period=str(month), events=int(n)) for month, n in months if month
            ],
            stale=stale,
            stale_count=stale_count,
        )


def _is_uuid(value: str) -> bool:
    import re

    return re.fullmatch(p.UUID_PATTERN.strip("^$"), value) is not None


def _stale(session: Session, since: str) -> tuple[list[str], int]:
    """Knowledge here not changed and not opened on this computer since ``since``, oldest first."""
    opened = exists().where(
        and_(
            UsageEventRow.record_id == RecordRow.id,
            UsageEventRow.kind == UsageKind.VIEW.value,
            UsageEventRow.at >= since,
        )
    )
    conditions = (
        RecordRow.kind.in_(KNOWLEDGE_KINDS),
        RecordRow.deleted.is_(False),
        RecordRow.updated_at < since,
        ~opened,
    )
    count = session.scalar(select(func.count()).select_from(RecordRow).where(*conditions))
    ids = session.scalars(
        select(RecordRow.id)
        .where(*conditions)
        .order_by(RecordRow.updated_at, RecordRow.id)
        .limit(p.USAGE_TOP * 2)
    )
    return list(ids), int(count or 0)
