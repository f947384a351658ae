"""Usage events on a real SQLite store: batches, what waits for the upload, helped marks, the summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from desktop.core.kinds import Kind
from desktop.core.records import Link, Relation
from desktop.core.usage import UsageEvent, UsageFilter, UsageKind, helped_event, normalize_query
from desktop.store import RecordRepository
from tests.store.conftest import make_record


def _at(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).replace(microsecond=0).isoformat()


def test_a_batch_is_one_write_and_recording_it_again_adds_nothing(repo: RecordRepository) -> None:
    events = [UsageEvent(UsageKind.VIEW, record_id=f"r{i}") for i in range(1200)]
    assert repo.record_usage(events) == 1200
    repo.record_usage(events[:10])  # the same ids again (a retried flush)
    assert repo.usage_pending_count() == 1200
    first = repo.pending_usage(500)
    assert len(first) == 500 and repo.pending_usage(500) == first  # the same ids every time
    repo.usage_sent(e.id for e in first)
    assert repo.usage_pending_count() == 700
    assert {e.id for e in repo.pending_usage(1000)}.isdisjoint(e.id for e in first)


def test_an_event_round_trips_as_the_upload_sends_it(repo: RecordRepository) -> None:
    event = UsageEvent(UsageKind.SEARCH, query="water tariffs", hits=0, at=_at(1))
    repo.record_usage([event])
    (back,) = repo.pending_usage(10)
    assert back == event
    assert back.to_json() == {
        "id": event.id,
        "kind": "search",
        "at": event.at,
        "query": "water tariffs",
        "hits": 0,
    }


def test_the_latest_mark_decides_whether_it_helped(repo: RecordRepository) -> None:
    assert repo.helped("r1") is False
    repo.record_usage([helped_event("r1", True)])
    assert repo.helped("r1") is True
    repo.record_usage([UsageEvent(UsageKind.UNHELPED, record_id="r1", at="9999-01-01T00:00:00+00:00")])
    assert repo.helped("r1") is False


def test_reopens_and_repeated_searches_within_a_while_are_one_use() -> None:
    now = [0.0]
    usage = UsageFilter(view_window=60, search_window=60, clock=lambda: now[0])
    assert usage.view("a") is not None
    assert usage.view("a") is None and usage.view("b") is not None
    assert usage.search("  Water   TARIFFS ", 0) is not None
    assert usage.search("water tariffs", 3) is None  # the same query, normalized
    now[0] = 61
    assert usage.view("a") is not None
    searched = usage.search("water tariffs", 3)
    assert searched is not None and searched.query == "water tariffs" and searched.hits == 3
    assert usage.search("   ", 0) is None
    assert normalize_query("x" * 300) == "x" * 200


def test_the_summary_of_this_computer(repo: RecordRepository) -> None:
    used, other = make_record(title="Used a lot"), make_record(title="Once")
    repo.save_many([used, other])
    repo.record_usage(
        [
            UsageEvent(UsageKind.VIEW, record_id=used.id, at=_at(1)),
            UsageEvent(UsageKind.VIEW, record_id=used.id, at=_at(2)),
            UsageEvent(UsageKind.VIEW, record_id=other.id, at=_at(40)),
            UsageEvent(UsageKind.VIEW, record_id=other.id, at=_at(500)),  # over a year ago: not counted
            helped_event(other.id, True),
            UsageEvent(UsageKind.SEARCH, query="sanitation", hits=0, at=_at(3)),
            UsageEvent(UsageKind.SEARCH, query="sanitation", hits=0, at=_at(4)),
            UsageEvent(UsageKind.SEARCH, query="clinic", hits=7, at=_at(5)),
        ]
    )
    summary = repo.local_usage_summary()
    assert summary.scope == "own"
    assert (
        summary.totals.views == 3 and summary.totals.searches == 3 and summary.totals.zero_hit_searches == 2
    )
    assert [(r.id, r.views, r.helped) for r in summary.top_records] == [(other.id, 1, 1), (used.id, 2, 0)]
    assert [(g.term, g.zero_hits) for g in summary.gaps] == [("sanitation", 2)]
    assert sum(a.events for a in summary.districts) == 7


def test_applied_in_counts_live_case_studies_that_build_on_a_record(repo: RecordRepository) -> None:
    guide = make_record(Kind.ARTICLE, title="A guide")
    built = [make_record(title=f"Case {i}", links=(Link(Relation.BUILDS_ON, guide.id),)) for i in range(3)]
    repo.save_many([guide, *built])
    repo.delete(built[0].id)
    assert repo.applied_in_counts() == [(guide.id, 2)]
    assert repo.applied_in([guide.id, built[1].id]) == {guide.id: 2}
    assert repo.titles_of([guide.id, "missing"]) == {guide.id: ("article", "A guide")}
    assert [b.relation for b in repo.backlinks(guide.id)] == [Relation.BUILDS_ON, Relation.BUILDS_ON]
