"""The cheaper read path gives the answers the rules give: rows read as they are, pages, sign-in.

The feed, digest and index decide ``visible`` on Core rows of the records table (no Access
built per row), pulls read ``limit + 1`` rows at a time, and a sign-in is one query with the
user's memberships joined: these check each against the plain form, on both backends.
"""

from __future__ import annotations

import itertools

import pytest
from fastapi.testclient import TestClient

from sync.protocol import CommunityRole, Envelope, RecordVersion, Status, Visibility
from sync.server import feed
from sync.server.access import Actor, visible
from sync.server.api import create_app
from sync.server.auth import authenticate
from sync.server.config import Settings
from sync.server.db import Database
from sync.server.records import columns_access, row_access, store_version
from tests.sync.server.helpers import PROTOCOL, add_membership, login, new_id, new_revision, version
from tests.sync.server.test_access import ACTORS, A, B


def _stored(db: Database, status: Status, visibility: Visibility, community: str, deleted: bool) -> None:
    envelope = Envelope(
        id=new_id(),
        kind="case_study",
        owner="olga",
        co_authors=["cory"],
        reviewers=["rita"],
        community=community,
        status=status,
        visibility=visibility,
        revision=new_revision(),
        deleted=deleted,
    )
    record = RecordVersion(envelope=envelope, payload={"fields": {"title": "t"}}, attachments=[])
    with db.write() as session:
        store_version(session, version=record, existing=None, user_name="olga", action="create")


def test_visible_reads_a_stored_row_as_it_reads_the_rows_access(backend_settings: Settings) -> None:
    db = Database(backend_settings.database_url)
    try:
        combos = itertools.product(Status, Visibility, ("", A, B), (False, True))
        for status, visibility, community, deleted in combos:
            _stored(db, status, visibility, community, deleted)
        with db.read_connection() as connection:
            rows = connection.execute(feed._ACCESS_AFTER, {"after": ""}).all()
            whole = connection.execute(feed._ROWS_AFTER, {"after": 0, "upto": 2**62, "batch": 500}).all()
        assert len(rows) == len(whole) == len(Status) * len(Visibility) * 3 * 2
        decided = 0
        for actor in ACTORS.values():
            for row in rows:
                assert visible(actor, row) is visible(actor, columns_access(row)), (actor, row)
                decided += visible(actor, row)
            for row in whole:
                assert visible(actor, row) is visible(actor, row_access(row)), (actor, row)
        assert 0 < decided < len(ACTORS) * len(rows)  # some rows are hidden from some actors
    finally:
        db.dispose()


@pytest.mark.parametrize("limit", [1, 2, 3, 100])
def test_pages_of_a_feed_with_hidden_rows_between_are_the_feed(
    backend_client: TestClient, limit: int
) -> None:
    alice, bob, lib = (login(backend_client, name) for name in ("alice", "bob", "lib"))
    expected: list[str] = []
    for number in range(7):
        alice.create(version())  # a draft: hidden from bob
        if number % 2:
            alice.create(version())
        expected.append(lib.create(version())["envelope"]["id"])  # published: bob reads it
    entries, cursor, _ = bob.pull_all(limit=limit)
    assert [e["record"]["envelope"]["id"] for e in entries] == expected
    pages, after = 0, 0
    while True:
        page = bob.request("GET", "/sync/pull", params={"cursor": after, "limit": limit}).json()
        pages += 1
        assert len(page["changes"]) <= limit and page["cursor"] >= after
        after = page["cursor"]
        if not page["has_more"]:
            break
    assert after == cursor and pages >= len(expected) // limit
    summary = bob.request("GET", "/sync/pending", params={"cursor": 0}).json()
    assert (summary["changes"], summary["deletions"], summary["latest"]) == (len(expected), 0, cursor)


def test_a_sign_in_names_every_membership_and_none(backend_settings: Settings) -> None:
    add_membership(backend_settings, "alice", A, CommunityRole.MEMBER)
    add_membership(backend_settings, "alice", B, CommunityRole.FACILITATOR)
    app = create_app(backend_settings, migrate=False)
    try:
        with TestClient(app, headers=PROTOCOL) as client:
            alice, bob = login(client, "alice"), login(client, "bob")
        with app.state.context.db.read_statement() as connection:
            principal = authenticate(connection, alice.token)
            nobody = authenticate(connection, bob.token)
            unknown = authenticate(connection, "not a token")
    finally:
        app.state.context.db.dispose()
    assert principal is not None and nobody is not None and unknown is None
    assert principal.actor == Actor(
        "alice", principal.actor.role, {A: CommunityRole.MEMBER, B: CommunityRole.FACILITATOR}
    )
    assert dict(nobody.actor.communities) == {}
    assert alice.info["communities"] == {A: "member", B: "facilitator"}
