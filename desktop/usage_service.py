"""Knowing what is used: recording usage events, uploading them at sync, and building the dashboard.

No Qt. The app records events through :meth:`UsageService.record` (on the write lane, in
batches), :func:`sync_usage` runs at the end of every sync (upload, then fetch the summary
and keep it, so the dashboard works offline), and :meth:`UsageService.dashboard` builds
what the dashboard page shows (on a reader thread): the kept server summary, or before any
sync the summary of this computer's events, with every record named from this profile.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.core.usage import (
    Dashboard,
    SearchTerm,
    UsageEvent,
    UsedRecord,
    month_periods,
    series_of,
)
from desktop.store import RecordRepository
from sync import protocol as p
from sync.client import ServerRefused, SyncClient

logger = logging.getLogger(__name__)

#: The meta key of the last summary the server sent (its JSON).
SUMMARY_KEY = "usage.summary"
#: Upload rounds one sync makes at most (500 events each: a quarter of a million events).
MAX_ROUNDS = 500


@dataclass
class UsageSyncReport:
    """What one sync did with usage: events sent, events the server had already, a summary kept."""

    sent: int = 0
    duplicates: int = 0
    summary: bool = False
    supported: bool = True


def sync_usage(store: RecordRepository, client: SyncClient) -> UsageSyncReport:
    """Upload every waiting event in batches, then fetch and keep the summary.

    Each batch is marked sent only after the server acknowledged it; a cut link leaves the batch
    waiting with the same event ids, and the server stores an id once, so nothing is lost or
    doubled. A server without usage endpoints (404) is left alone.
    """
    report = UsageSyncReport()
    try:
        for _ in range(MAX_ROUNDS):
            batch = store.pending_usage(p.MAX_USAGE_EVENTS)
            if not batch:
                break
            answer = client.upload_usage([p.UsageEventIn.model_validate(event.to_json()) for event in batch])
            store.usage_sent(event.id for event in batch)
            report.sent += answer.stored
            report.duplicates += answer.duplicates
        summary = client.usage_summary()
    except ServerRefused as exc:
        if exc.status != 404:
            raise
        logger.info("the server keeps no usage (%s): events stay here", exc)
        report.supported = False
        return report
    store.set_meta(SUMMARY_KEY, summary.model_dump_json())
    report.summary = True
    logger.info("usage: %d events sent (%d already there), summary kept", report.sent, report.duplicates)
    return report


class UsageService:
    """Usage of one profile's store."""

    def __init__(self, store: RecordRepository):
        self.store = store

    def record(self, events: Sequence[UsageEvent]) -> int:
        """Keep a batch of events (one small transaction)."""
        return self.store.record_usage(events)

    def helped(self, record_id: str) -> bool:
        """Whether this person marked the record "this helped me"."""
        return self.store.helped(record_id)

    def kept_summary(self) -> p.UsageSummary | None:
        """The last summary the server sent, or None."""
        text = self.store.get_meta(SUMMARY_KEY)
        if not text:
            return None
        try:
            return p.UsageSummary.model_validate_json(text)
        except ValueError:
            logger.warning("the kept usage summary is unreadable; using this computer's events")
            return None

    def dashboard(self) -> Dashboard:
        """The dashboard: the server's last summary, or this computer's own before any sync."""
        kept = self.kept_summary()
        summary = kept or self.store.local_usage_summary()
        return self._build(summary, local=kept is None)

    def _build(self, summary: p.UsageSummary, *, local: bool) -> Dashboard:
        applied_top = self.store.applied_in_counts()
        counted = {row.id: row for row in summary.top_records}
        ids = list(dict.fromkeys([*counted, *(rid for rid, _ in applied_top)]))
        applied = self.store.applied_in(ids)
        community_ids = {row.group for row in summary.communities}
        named = self.store.titles_of([*ids, *summary.stale, *community_ids])

        def used(record_id: str) -> UsedRecord:
            kind, title = named.get(record_id, ("", ""))
            row = counted.get(record_id)
            return UsedRecord(
                record_id,
                kind,
                title,
                record_id in named,
                views=row.views if row else 0,
                helped=row.helped if row else 0,
                applied_in=applied.get(record_id, 0),
            )

        records = [used(record_id) for record_id in ids]
        records.sort(key=lambda r: (r.views + 5 * r.helped + 5 * r.applied_in, r.views), reverse=True)
        periods = month_periods(summary.generated_at)
        community_names = {cid: named[cid][1] for cid in community_ids if cid in named}
        return Dashboard(
            scope="local" if local else summary.scope,
            as_of="" if local else summary.generated_at,
            since=summary.since,
            min_people=summary.min_people,
            totals=summary.totals.model_dump(),
            used=records[: p.USAGE_TOP],
            terms=[_term(t) for t in summary.search_terms],
            gaps=[_term(t) for t in summary.gaps],
            periods=periods,
            communities=series_of(
                [(a.group, a.period, a.events) for a in summary.communities], periods, community_names
            ),
            districts=series_of([(a.group, a.period, a.events) for a in summary.districts], periods, {}),
            stale=[used(record_id) for record_id in summary.stale],
            stale_count=summary.stale_count,
            waiting=self.store.usage_pending_count(),
        )


def _term(term: p.UsageTerm) -> SearchTerm:
    return SearchTerm(term.term, term.searches, term.people, term.zero_hits)
