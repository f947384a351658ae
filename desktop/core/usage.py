"""Knowing what is used: usage events and the rules that decide which ones are worth keeping.

Pure Python (no Qt, no SQL). The app records four kinds of event locally: a record opened in
a detail view, a settled search (its query and how many hits it found, nothing found
included), and "this helped me" marked or unmarked. They sync as events with client-made
ids (a retried upload is a no-op) and the server aggregates them; ``builds_on`` links
between records ("applied in") are reuse, counted from the links themselves.

A person's individual searches never leave their scope: the dashboard of a librarian shows a
search term only when at least :data:`MIN_PEOPLE` different people searched it (see
sync/PROTOCOL.md).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from desktop.core.records import utc_now

#: Re-opening the same record within this many seconds counts as one view (flipping back and forth
#: between two results, Back and forward, a refresh after a save are not new uses).
VIEW_DEBOUNCE_S = 30 * 60
#: The same query searched again within this many seconds is one search (typing on, then back).
SEARCH_DEBOUNCE_S = 10 * 60
#: The longest query kept (a pasted paragraph is cut, never refused).
MAX_QUERY = 200
#: A search term is shown beyond its own searcher only when this many different people searched it.
MIN_PEOPLE = 2


class UsageKind(StrEnum):
    """What one usage event records."""

    VIEW = "view"
    SEARCH = "search"
    HELPED = "helped"
    UNHELPED = "unhelped"


@dataclass(frozen=True)
class UsageEvent:
    """One thing a person did, recorded on this computer; ``id`` makes its upload idempotent."""

    kind: UsageKind
    record_id: str = ""
    query: str = ""
    hits: int = 0
    at: str = field(default_factory=utc_now)
    id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def to_json(self) -> dict[str, Any]:
        """The event as the upload sends it."""
        data: dict[str, Any] = {"id": self.id, "kind": self.kind.value, "at": self.at}
        if self.record_id:
            data["record_id"] = self.record_id
        if self.kind is UsageKind.SEARCH:
            data["query"] = self.query
            data["hits"] = self.hits
        return data


def normalize_query(text: str) -> str:
    """A query as it is counted: case folded, spaces collapsed, at most :data:`MAX_QUERY` characters."""
    return " ".join(str(text).casefold().split())[:MAX_QUERY].strip()


class UsageFilter:
    """Decides which views and searches are new uses (re-opens and repeats within a while are not).

    ``clock`` is monotonic seconds (injectable for tests). Holds a few hundred entries at most:
    entries older than their window are dropped as new ones come.
    """

    def __init__(
        self,
        *,
        view_window: float = VIEW_DEBOUNCE_S,
        search_window: float = SEARCH_DEBOUNCE_S,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.view_window = view_window
        self.search_window = search_window
        self.clock = clock
        self._views: dict[str, float] = {}
        self._searches: dict[str, float] = {}

    def view(self, record_id: str) -> UsageEvent | None:
        """The event of opening ``record_id``, or None when it was opened within the window."""
        if not record_id or not self._fresh(self._views, record_id, self.view_window):
            return None
        return UsageEvent(UsageKind.VIEW, record_id=record_id)

    def search(self, text: str, hits: int) -> UsageEvent | None:
        """The event of a settled search, or None for an empty query or a repeat within the window."""
        query = normalize_query(text)
        if not query or not self._fresh(self._searches, query, self.search_window):
            return None
        return UsageEvent(UsageKind.SEARCH, query=query, hits=max(0, int(hits)))

    def _fresh(self, seen: dict[str, float], key: str, window: float) -> bool:
        now = self.clock()
        if len(seen) > 500:
            for old in [k for k, at in seen.items() if now - at >= window]:
                del seen[old]
        last = seen.get(key)
        seen[key] = now
        return last is None or now - last >= window


def helped_event(record_id: str, helped: bool) -> UsageEvent:
    """The event of marking (or unmarking) "this helped me" on a record."""
    return UsageEvent(UsageKind.HELPED if helped else UsageKind.UNHELPED, record_id=record_id)


#: The name of the series that sums the groups a chart has no room for (the UI translates it).
OTHERS = "<others>"
#: Kinds whose records count as knowledge on the dashboard (what is used, what went stale).
KNOWLEDGE_KINDS = ("case_study", "article", "centre_item", "site_visit")


@dataclass(frozen=True)
class UsedRecord:
    """A record on the dashboard, named from this profile's copy (``exists`` False when it has none)."""

    id: str
    kind: str
    title: str
    exists: bool
    views: int = 0
    helped: int = 0
    applied_in: int = 0


@dataclass(frozen=True)
class SearchTerm:
    """A search term: searches, different people, and searches that found nothing."""

    term: str
    searches: int
    people: int
    zero_hits: int


@dataclass(frozen=True)
class Series:
    """Events per month of one group (a community or a district), one value per period of the chart."""

    name: str
    values: tuple[int, ...]

    @property
    def total(self) -> int:
        """Events over every period."""
        return sum(self.values)


@dataclass(frozen=True)
class Dashboard:
    """What the dashboard page shows; built off the GUI thread.

    ``scope``: ``own`` (a staff member's use, from the server), ``everyone`` (a librarian's view,
    from the server) or ``local`` (this computer's events, before any sync). ``as_of`` is when the
    server made the summary ("" for local); ``waiting`` counts events not uploaded yet.
    """

    scope: str
    as_of: str
    since: str
    min_people: int
    totals: dict[str, int]
    used: list[UsedRecord]
    terms: list[SearchTerm]
    gaps: list[SearchTerm]
    periods: list[str]
    communities: list[Series]
    districts: list[Series]
    stale: list[UsedRecord]
    stale_count: int
    waiting: int = 0


def month_periods(until: str, count: int = 12) -> list[str]:
    """The ``count`` months (``YYYY-MM``) ending with the month of ``until`` (an ISO date), oldest first."""
    year, month = int(until[:4]), int(until[5:7])
    periods = []
    for _ in range(count):
        periods.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return periods[::-1]


def series_of(
    rows: list[tuple[str, str, int]], periods: list[str], names: dict[str, str], top: int = 6
) -> list[Series]:
    """(group, period, events) rows as one series per group over ``periods``, the busiest ``top`` first.

    ``names`` names the groups (a community's id -> its name); the rest of the groups are summed
    into "Others" (with a group already named :data:`OTHERS`: what the server summed) so the chart
    stays readable and nothing is dropped from the totals.
    """
    index = {period: i for i, period in enumerate(periods)}
    per_group: dict[str, list[int]] = {}
    for group, period, events in rows:
        if period in index:
            per_group.setdefault(group, [0] * len(periods))[index[period]] += events
    summed = per_group.pop(OTHERS, None)  # groups the server already summed (beyond its busiest)
    ranked = sorted(per_group.items(), key=lambda item: (-sum(item[1]), item[0]))
    shown = [Series(names.get(group, group), tuple(values)) for group, values in ranked[:top]]
    rest = ranked[top:] + ([(OTHERS, summed)] if summed else [])
    if rest:
        summed = [sum(values[i] for _, values in rest) for i in range(len(periods))]
        shown.append(Series(OTHERS, tuple(summed)))
    return shown
