"""Usage events go to the server at sync: over a link that drops requests and answers, none is lost
and none is doubled; the summary is kept for the dashboard, scoped by the user's role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, new_record_id
from desktop.core.usage import UsageEvent, UsageKind, helped_event
from desktop.usage_service import SUMMARY_KEY
from sync.client import NetworkError
from sync.server.models import UsageEvent as ServerEvent
from tests.support.asgi_transport import Faults
from tests.sync.conftest import SyncClientProfile


def _server_events(server: Any) -> tuple[int, int]:
    with server.state.context.db.read() as session:
        rows = session.execute(select(func.count(), func.count(func.distinct(ServerEvent.id)))).one()
    return int(rows[0]), int(rows[1])


def test_events_cut_on_the_way_arrive_once(
    make_client: Callable[..., SyncClientProfile], server: Any
) -> None:
    alice = make_client("alice", faults=Faults(p_request=0.3, p_response=0.3, seed=5))
    events = [UsageEvent(UsageKind.VIEW, record_id=new_record_id()) for _ in range(1100)]
    events += [UsageEvent(UsageKind.SEARCH, query=f"term {i}", hits=i % 2) for i in range(100)]
    alice.session.record_usage(events)
    for _ in range(30):
        try:
            alice.service.sync()
        except NetworkError:
            continue
        if alice.session.store.usage_pending_count() == 0:
            break
    assert alice.session.store.usage_pending_count() == 0
    assert _server_events(server) == (1200, 1200)
    assert alice.adapter.faults is not None and sum(alice.adapter.faults.counts.values()) > 0
    alice.adapter.enabled = False
    alice.service.sync()  # nothing left to send: nothing more arrives
    assert _server_events(server) == (1200, 1200)


def test_a_librarian_sees_everyones_use_and_the_summary_stays_offline(
    make_client: Callable[..., SyncClientProfile], server: Any
) -> None:
    lib, alice, bob = make_client("lib"), make_client("alice"), make_client("bob")
    guide = Record(new_record_id(), Kind.ARTICLE, fields={"title": "Rainwater tanks"})
    lib.session.save(guide)
    lib.service.sync()
    for person in (alice, bob):
        person.service.sync()
        person.session.record_usage(
            [
                UsageEvent(UsageKind.VIEW, record_id=guide.id),
                helped_event(guide.id, True),
                UsageEvent(UsageKind.SEARCH, query="borehole repairs", hits=0),
            ]
        )
    alice.session.record_usage([UsageEvent(UsageKind.SEARCH, query="my own worry", hits=0)])
    case = Record(
        new_record_id(),
        Kind.CASE_STUDY,
        fields={"title": "Tanks in Ugu"},
        links=(Link(Relation.BUILDS_ON, guide.id),),
    )
    alice.session.save(case)
    for person in (alice, bob, lib):
        person.service.sync()
    assert lib.service.usage is not None and lib.service.usage.summary
    board = lib.session.usage_dashboard()
    assert board.scope == "everyone"
    top = board.used[0]
    assert (top.id, top.title, top.views, top.helped) == (guide.id, "Rainwater tanks", 2, 2)
    assert [g.term for g in board.gaps] == ["borehole repairs"]
    assert "my own worry" not in {t.term for t in board.terms + board.gaps}
    own = alice.session.usage_dashboard()
    assert own.scope == "own" and {g.term for g in own.gaps} == {"borehole repairs", "my own worry"}
    assert own.used[0].applied_in == 1  # alice's case study builds on the guide (local links)
    kept = lib.session.store.get_meta(SUMMARY_KEY)
    server.state.context.db.dispose()
    assert lib.session.usage_dashboard().used[0].id == guide.id and kept  # read from what was kept


def test_a_profile_that_never_synced_shows_its_own_use(make_client: Callable[..., SyncClientProfile]) -> None:
    carol = make_client("carol", sign_in=False)
    carol.session.record_usage([UsageEvent(UsageKind.SEARCH, query="nothing here", hits=0)])
    board = carol.session.usage_dashboard()
    assert board.scope == "local" and board.waiting == 1 and [g.term for g in board.gaps] == ["nothing here"]
