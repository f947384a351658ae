"""Usage events and the dashboard's summary: idempotent uploads, validation, and the privacy rules.

Staff see only their own use; librarians and admins see everyone's aggregated, and a search term
only when at least two different people searched it (no one's individual searches show).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sync.protocol import MAX_USAGE_EVENTS, CommunityRole
from sync.server.db import Database
from sync.server.models import RecordRow
from tests.sync.server.helpers import User, add_membership, login, version


def _now(days: int = 0) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).replace(microsecond=0).isoformat()


def view(record_id: str, *, days: int = 0, event_id: str | None = None) -> dict[str, Any]:
    return {"id": event_id or str(uuid.uuid4()), "kind": "view", "at": _now(days), "record_id": record_id}


def search(query: str, hits: int) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "kind": "search", "at": _now(), "query": query, "hits": hits}


def mark(record_id: str, helped: bool = True) -> dict[str, Any]:
    kind = "helped" if helped else "unhelped"
    return {"id": str(uuid.uuid4()), "kind": kind, "at": _now(), "record_id": record_id}


def send(user: User, *events: dict[str, Any]) -> dict[str, Any]:
    response = user.request("POST", "/usage/events", json={"events": list(events)})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def summary_of(user: User) -> dict[str, Any]:
    response = user.request("GET", "/usage/summary")
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_an_upload_sent_again_stores_nothing_twice(client: TestClient) -> None:
    alice = login(client, "alice")
    record = str(uuid.uuid4())
    events = [view(record), search("water tariffs", 3), mark(record)]
    assert send(alice, *events) == {"stored": 3, "duplicates": 0, "ignored": 0}
    assert send(alice, *events) == {
        "stored": 0,
        "duplicates": 3,
        "ignored": 0,
    }  # the answer was lost: sent again
    mine = summary_of(alice)
    assert mine["totals"]["views"] == 1 and mine["totals"]["searches"] == 1
    assert mine["top_records"] == [{"id": record, "views": 1, "people": 1, "helped": 1}]


def test_another_users_event_id_never_overwrites_theirs(client: TestClient) -> None:
    alice, bob = login(client, "alice"), login(client, "bob")
    event = search("secret plans", 0)
    send(alice, event)
    assert send(bob, {**event, "query": "something else"}) == {"stored": 0, "duplicates": 1, "ignored": 0}
    assert [t["term"] for t in summary_of(alice)["gaps"]] == ["secret plans"]
    assert summary_of(bob)["gaps"] == []


@pytest.mark.parametrize(
    "event",
    [
        {"kind": "view"},  # no record
        {"kind": "search", "query": "   "},  # no query
        {"kind": "helped", "record_id": str(uuid.uuid4()), "at": "2026-13-45T10:00:00Z"},  # no date
    ],
)
def test_events_that_say_nothing_are_ignored_and_the_rest_kept(
    client: TestClient, event: dict[str, Any]
) -> None:
    alice = login(client, "alice")
    bad = {"id": str(uuid.uuid4()), "at": _now(), **event}
    assert send(alice, view(str(uuid.uuid4())), bad) == {"stored": 1, "duplicates": 0, "ignored": 1}
    assert summary_of(alice)["totals"]["views"] == 1


@pytest.mark.parametrize(
    "event",
    [
        {"kind": "view", "record_id": "not-a-uuid"},
        {"kind": "clicked", "record_id": str(uuid.uuid4())},
        {"kind": "search", "query": "x" * 201},
        {"kind": "search", "query": "x", "hits": -1},
        {"kind": "view", "record_id": str(uuid.uuid4()), "at": "yesterday"},
    ],
)
def test_malformed_events_are_refused_whole(client: TestClient, event: dict[str, Any]) -> None:
    alice = login(client, "alice")
    bad = {"id": str(uuid.uuid4()), "at": _now(), **event}
    response = alice.request("POST", "/usage/events", json={"events": [view(str(uuid.uuid4())), bad]})
    assert response.status_code == 422, response.text
    assert summary_of(alice)["totals"]["views"] == 0


def test_a_batch_is_bounded(client: TestClient) -> None:
    alice = login(client, "alice")
    events = [view(str(uuid.uuid4())) for _ in range(MAX_USAGE_EVENTS + 1)]
    assert alice.request("POST", "/usage/events", json={"events": events}).status_code == 422
    assert send(alice, *events[:MAX_USAGE_EVENTS])["stored"] == MAX_USAGE_EVENTS


def test_an_event_from_a_clock_far_ahead_is_dated_when_it_arrived(client: TestClient) -> None:
    alice = login(client, "alice")
    ahead = (datetime.now(UTC) + timedelta(days=400)).replace(microsecond=0).isoformat()
    send(alice, {**view(str(uuid.uuid4())), "at": ahead})
    periods = {row["period"] for row in summary_of(alice)["districts"]}
    assert periods == {datetime.now(UTC).strftime("%Y-%m")}


def test_staff_see_their_own_use_and_never_anothers_searches(client: TestClient) -> None:
    alice, bob, carol = login(client, "alice"), login(client, "bob"), login(client, "carol")
    record = str(uuid.uuid4())
    send(alice, view(record), search("Alice's private worry", 0), search("water", 4))
    send(bob, view(record), view(str(uuid.uuid4())), search("water", 4), search("Bob only", 0))
    mine = summary_of(alice)
    assert mine["scope"] == "own"
    assert mine["totals"] == {"views": 1, "searches": 2, "zero_hit_searches": 1, "helped": 0, "people": 1}
    assert {t["term"] for t in mine["search_terms"]} == {"alice's private worry", "water"}
    assert [t["term"] for t in mine["gaps"]] == ["alice's private worry"]
    assert mine["top_records"] == [{"id": record, "views": 1, "people": 1, "helped": 0}]
    assert "bob only" not in str(summary_of(alice))
    assert summary_of(carol)["totals"]["views"] == 0


def test_librarians_see_aggregates_and_only_terms_two_people_searched(client: TestClient) -> None:
    alice, bob, lib = login(client, "alice"), login(client, "bob"), login(client, "lib")
    popular, other = str(uuid.uuid4()), str(uuid.uuid4())
    send(alice, view(popular), view(popular, days=40), mark(popular), search("Drought relief", 0))
    send(alice, search("only alice looked", 0), search("water", 2))
    send(bob, view(popular), view(other), mark(popular), mark(popular, helped=False))
    send(bob, search("drought   RELIEF", 0), search("water", 0))
    everyone = summary_of(lib)
    assert everyone["scope"] == "everyone" and everyone["min_people"] == 2
    assert everyone["totals"]["people"] == 2 and everyone["totals"]["views"] == 4
    assert everyone["top_records"][0] == {"id": popular, "views": 3, "people": 2, "helped": 1}
    assert {t["term"] for t in everyone["search_terms"]} == {"drought relief", "water"}
    # "water" found nothing for one person only: not a gap anyone else may see.
    assert everyone["gaps"] == [{"term": "drought relief", "searches": 2, "people": 2, "zero_hits": 2}]
    assert "only alice looked" not in str(everyone)
    assert summary_of(login(client, "root"))["scope"] == "everyone"


def test_activity_per_community_and_district_per_month(client: TestClient, app: Any) -> None:
    alice, bob, lib = login(client, "alice"), login(client, "bob"), login(client, "lib")
    community = str(uuid.uuid4())
    add_membership(app.state.context.settings, "alice", community, CommunityRole.MEMBER)
    profile = {"fields": {"name": "Alice A.", "handle": "alice", "district": "Ugu"}, "tags": [], "links": []}
    alice.create(version(kind="expert", payload=profile))
    send(alice, view(str(uuid.uuid4())), view(str(uuid.uuid4()), days=70))
    send(bob, view(str(uuid.uuid4())))
    everyone = summary_of(lib)
    month = datetime.now(UTC).strftime("%Y-%m")
    earlier = (datetime.now(UTC) - timedelta(days=70)).strftime("%Y-%m")
    communities = {(a["group"], a["period"]): a["events"] for a in everyone["communities"]}
    assert communities == {(community, month): 1, (community, earlier): 1}
    districts = {(a["group"], a["period"]): a["events"] for a in everyone["districts"]}
    assert districts == {("Ugu", month): 1, ("Ugu", earlier): 1, ("", month): 1}


def test_stale_knowledge_is_published_unchanged_and_unopened_for_a_year(client: TestClient, app: Any) -> None:
    alice, lib = login(client, "alice"), login(client, "lib")
    ids = [lib.create(version(kind="article"))["envelope"]["id"] for _ in range(3)]
    mine = alice.create(version(kind="case_study", status="submitted"))
    lib.update(mine, status="published")
    db: Database = app.state.context.db
    with db.write() as session:
        for row in session.query(RecordRow):
            row.stored_at = datetime.now(UTC) - timedelta(days=500)
    send(alice, view(ids[0]), view(ids[1], days=400))  # the second was opened, but over a year ago
    everyone = summary_of(lib)
    assert everyone["stale_count"] == 3
    assert set(everyone["stale"]) == {ids[1], ids[2], mine["envelope"]["id"]}
    assert summary_of(alice)["stale"] == [mine["envelope"]["id"]]  # staff: their own records only


def test_usage_needs_a_sign_in(client: TestClient) -> None:
    assert client.get("/api/v1/usage/summary").status_code == 401
    assert client.post("/api/v1/usage/events", json={"events": []}).status_code == 401


def test_every_part_of_the_summary_on_both_backends(backend_client: TestClient) -> None:
    settings = backend_client.app.state.context.settings  # type: ignore[attr-defined]
    alice, bob, lib = (
        login(backend_client, "alice"),
        login(backend_client, "bob"),
        login(backend_client, "lib"),
    )
    community = str(uuid.uuid4())
    add_membership(settings, "bob", community, CommunityRole.FACILITATOR)
    profile = {"fields": {"name": "Bob B.", "handle": "bob", "district": "Amathole"}, "tags": [], "links": []}
    bob.create(version(kind="expert", payload=profile))
    record = str(uuid.uuid4())
    for person in (alice, bob):
        assert send(person, view(record), mark(record), search("Informal  trading", 0))["stored"] == 3
    assert send(alice, view(record))["stored"] == 1
    everyone = summary_of(lib)
    assert everyone["top_records"] == [{"id": record, "views": 3, "people": 2, "helped": 2}]
    assert everyone["gaps"] == [{"term": "informal trading", "searches": 2, "people": 2, "zero_hits": 2}]
    assert {a["group"] for a in everyone["districts"]} == {"Amathole", ""}
    assert {a["group"] for a in everyone["communities"]} == {community}
    assert summary_of(alice)["totals"]["views"] == 2
