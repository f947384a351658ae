"""Usage events and the dashboard's summary: idempotent uploads, validation, and the privacy rules.

Staff see only their own use; librarians and admins see everyone's aggregated, and a search term
only when at least two different people searched it (no one's individual searches show).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import and_, case, func, select

from sync.protocol import MAX_USAGE_ACTIVITY, MAX_USAGE_EVENTS, CommunityRole, Role
from sync.server import usage
from sync.server.access import Actor
from sync.server.auth import Principal
from sync.server.db import Database, create_db_engine
from sync.server.migrate import alembic_config, head_revision, migrate_database
from sync.server.models import Membership, RecordRow, UsageEvent, UsageRollup
from sync.server.models import User as UserRow
from sync.server.usage import PERIOD
from tests.support.postgres import PostgresCluster
from tests.sync.server.helpers import User, add_membership, add_users, login, make_settings, version


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


# -- the rollup: the summary reads per-person months kept as events arrive (server migration 0003) --


def _event(kind: str, at: datetime, **fields: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "kind": kind, "at": at.replace(microsecond=0).isoformat(), **fields}


def _year_of_use(now: datetime, record: str, seed: int) -> list[dict[str, Any]]:
    """Events from 14 months ago to now, a few minutes either side of the summary's first moment."""
    edge = now - PERIOD
    moments = [now - timedelta(days=d, hours=seed) for d in (0, 3, 31, 95, 180, 300, 364, 400, 420)]
    moments += [edge + timedelta(minutes=5), edge - timedelta(minutes=5), edge + timedelta(days=2)]
    events = []
    for i, at in enumerate(moments):
        events.append(_event("view", at, record_id=record))
        events.append(_event("search", at, query=f"topic {i % 3}", hits=i % 2))
        if i % 4 == seed % 4:
            events.append(_event("helped" if i % 3 else "unhelped", at, record_id=record))
    return events


def _direct(db: Database, since: datetime, user_id: int | None) -> dict[str, Any]:
    """What the summary counts, straight from the events (the GROUP BY the rollup replaced)."""
    scope = [UsageEvent.at >= since] + ([UsageEvent.user_id == user_id] if user_id is not None else [])
    zero = func.sum(case((and_(UsageEvent.kind == "search", UsageEvent.hits == 0), 1), else_=0))
    with db.read_connection() as connection:
        kinds = {
            kind: (int(n), int(z or 0))
            for kind, n, z in connection.execute(
                select(UsageEvent.kind, func.count(), zero).where(*scope).group_by(UsageEvent.kind)
            )
        }
        people = connection.execute(
            select(func.count(func.distinct(UsageEvent.user_id))).where(*scope)
        ).scalar()
        communities = {
            (c, period): int(n)
            for c, period, n in connection.execute(
                select(Membership.community_id, UsageEvent.period, func.count())
                .join(Membership, Membership.user_id == UsageEvent.user_id)
                .where(*scope)
                .group_by(Membership.community_id, UsageEvent.period)
            )
        }
        months = {
            (who, period): int(n)
            for who, period, n in connection.execute(
                select(UsageEvent.user_id, UsageEvent.period, func.count())
                .where(*scope)
                .group_by(UsageEvent.user_id, UsageEvent.period)
            )
        }
    return {
        "totals": {
            "views": kinds.get("view", (0, 0))[0],
            "searches": kinds.get("search", (0, 0))[0],
            "zero_hit_searches": sum(z for _, z in kinds.values()),
            "helped": kinds.get("helped", (0, 0))[0],
            "people": int(people or 0),
        },
        "communities": communities,
        "months": months,
    }


def _rollup_and_count(db: Database) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The rollup's rows, and the same rows counted from every event."""

    def kind_is(kind: str) -> Any:
        return func.sum(case((UsageEvent.kind == kind, 1), else_=0))

    zero = func.sum(case((and_(UsageEvent.kind == "search", UsageEvent.hits == 0), 1), else_=0))
    counted = select(
        UsageEvent.user_id, UsageEvent.period, kind_is("view"), kind_is("search"), zero,
        kind_is("helped"), kind_is("unhelped"),
    ).group_by(UsageEvent.user_id, UsageEvent.period)  # fmt: skip
    rolled = select(
        UsageRollup.user_id, UsageRollup.period, UsageRollup.views, UsageRollup.searches,
        UsageRollup.zero_hits, UsageRollup.helped, UsageRollup.unhelped,
    )  # fmt: skip
    with db.read_connection() as connection:
        return (
            sorted((r[0], r[1], *map(int, r[2:])) for r in connection.execute(rolled)),
            sorted((r[0], r[1], *map(int, r[2:])) for r in connection.execute(counted)),
        )


def test_the_rollup_and_a_direct_count_agree_after_uploads_sent_again(backend_client: TestClient) -> None:
    context = backend_client.app.state.context  # type: ignore[attr-defined]
    db: Database = context.db
    alice, bob, carol = (login(backend_client, n) for n in ("alice", "bob", "carol"))
    community = str(uuid.uuid4())
    add_membership(context.settings, "alice", community, CommunityRole.MEMBER)
    add_membership(context.settings, "bob", community, CommunityRole.FACILITATOR)
    profile = {
        "fields": {"name": "Carol C.", "handle": "carol", "district": "Namakwa"},
        "tags": [],
        "links": [],
    }
    carol.create(version(kind="expert", payload=profile))  # the only person of her district
    now = datetime.now(UTC)
    record = str(uuid.uuid4())
    for seed, person in enumerate((alice, bob, carol)):
        events = _year_of_use(now, record, seed)
        half = len(events) // 2
        assert send(person, *events[:half])["stored"] == half
        assert send(person, *events[:half])["stored"] == 0  # the answer was lost: sent again
        again = send(person, *events[half - 3 :])  # three already there, the rest new
        assert again == {"stored": len(events) - half, "duplicates": 3, "ignored": 0}
    rolled, counted = _rollup_and_count(db)
    assert rolled == counted and len(rolled) > 3

    with db.read() as session:
        ids = dict(session.execute(select(UserRow.name, UserRow.id)).all())
    since = now - PERIOD
    for name, role in (("lib", Role.LIBRARIAN), ("alice", Role.STAFF), ("carol", Role.STAFF)):
        principal = Principal(ids[name], 0, "", Actor(name, role))
        made = usage.summary(db=db, principal=principal, now=now)
        direct = _direct(db, since, None if role is Role.LIBRARIAN else ids[name])
        assert made.totals.model_dump() == direct["totals"], name
        assert {(a.group, a.period): a.events for a in made.communities} == direct["communities"], name
        districts: dict[tuple[str, str], int] = defaultdict(int)
        for (who, period), n in direct["months"].items():
            districts[("Namakwa" if who == ids["carol"] else "", period)] += n
        assert {(a.group, a.period): a.events for a in made.districts} == districts, name
    assert made.totals.views == 9  # carol's: 12 moments, 3 before the year began (one by 5 minutes)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_upgrade_rolls_up_the_events_already_stored(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'server.db'}"
    else:
        cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
        url = cluster.create_database()
        request.addfinalizer(lambda: cluster.drop_database(url))
    settings = make_settings(tmp_path / "data", url)
    settings.ensure_dirs()
    engine = create_db_engine(url)
    config = alembic_config()
    with engine.begin() as connection:  # a server from before the rollup, with use stored
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    engine.dispose()
    add_users(settings, {"alice": Role.STAFF, "bob": Role.STAFF})
    db = Database(url)
    with db.read() as session:
        ids = list(session.execute(select(UserRow.id)).scalars())
    now = datetime.now(UTC)
    rows = [
        {**event, "user_id": user_id, "record_id": event.get("record_id", ""),
         "query": event.get("query", ""), "hits": event.get("hits", 0),
         "at": datetime.fromisoformat(event["at"]), "period": event["at"][:7], "received_at": now}
        for seed, user_id in enumerate(ids)
        for event in _year_of_use(now, str(uuid.uuid4()), seed)
    ]  # fmt: skip
    with db.write_connection() as connection:
        connection.execute(UsageEvent.__table__.insert(), rows)
    db.dispose()
    assert migrate_database(settings) == ("0002", head_revision())
    db = Database(url)
    try:
        rolled, counted = _rollup_and_count(db)
    finally:
        db.dispose()
    assert rolled == counted and sum(r[2] for r in rolled) == 24


def test_hundreds_of_communities_still_give_a_summary_with_nothing_left_out(
    client: TestClient, app: Any
) -> None:
    alice, lib = login(client, "alice"), login(client, "lib")
    db: Database = app.state.context.db
    communities = [str(uuid.uuid4()) for _ in range(usage.MAX_GROUPS + 10)]
    with db.write() as session:
        alice_id = session.execute(select(UserRow.id).where(UserRow.name == "alice")).scalar_one()
        session.add_all(Membership(user_id=alice_id, community_id=c, role="member") for c in communities)
    now = datetime.now(UTC)
    months = [now - timedelta(days=30 * i) for i in range(13)]  # 13 months: 160 x 13 rows > 2,000
    send(alice, *(_event("view", at, record_id=str(uuid.uuid4())) for at in months))
    everyone = summary_of(lib)
    groups = {a["group"] for a in everyone["communities"]}
    assert len(groups) == usage.MAX_GROUPS + 1 and "<others>" in groups
    assert len(everyone["communities"]) <= MAX_USAGE_ACTIVITY
    assert sum(a["events"] for a in everyone["communities"]) == len(communities) * everyone["totals"]["views"]
    others = sum(a["events"] for a in everyone["communities"] if a["group"] == "<others>")
    assert others == 10 * everyone["totals"]["views"]
