"""What a sync pulls is searchable: indexed in batches during the sync, and all of it when it ends."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop.core.changes import Changes
from desktop.core.kinds import Kind
from desktop.core.records import Record, new_record_id
from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.sync_service import BatchedIndexing
from tests.sync.conftest import SyncClientProfile


def _case(title: str) -> Record:
    return Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": title, "summary": "notes"})


def _found(session: Session, words: str) -> set[str]:
    return {hit.id for hit in session.search(words).hits}


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_batches_index_at_once_then_at_most_every_few_seconds(tmp_path: Path) -> None:
    clock = _Clock()
    with Session.open(ProfilePaths(tmp_path / "p", "--data-dir")) as session:
        indexing = BatchedIndexing(session, every=5.0, clock=clock)
        first, second, third = _case("Borehole pumps"), _case("Borehole meters"), _case("Borehole fees")
        # The store writes as a sync does (no index update of its own), then tells the indexer.
        indexing(session.store.save(first))
        assert _found(session, "borehole") == {first.id}  # the first batch at once
        clock.now += 1.0
        indexing(session.store.save(second))
        assert _found(session, "borehole") == {first.id}  # one second later: it waits
        clock.now += 4.5
        indexing(session.store.save(third))
        assert _found(session, "borehole") == {first.id, second.id, third.id}  # 5.5 s: both at once
        indexing(Changes())
        indexing.flush()  # nothing waiting: no index write
        later = _case("Borehole repairs")
        indexing(session.store.save(later))
        assert later.id not in _found(session, "borehole")
        indexing.flush()  # the end of the sync: the rest
        assert later.id in _found(session, "borehole")


def test_every_record_of_a_long_pull_is_searchable_when_the_sync_ends(
    make_client: Callable[..., SyncClientProfile],
) -> None:
    lib = make_client("lib")
    alice = make_client("alice")
    records = [_case(f"Water committee {n} minutes") for n in range(230)]  # three pages of the feed
    lib.session.store.save_many(records)
    assert lib.service.sync().pushed == len(records)

    report = alice.service.sync()
    assert report.pulled == len(records)
    hits = alice.session.search("water committee", limit=1000).hits
    assert {hit.id for hit in hits} == {r.id for r in records}
