"""Push, pull, digest and index round trips on SQLite and PostgreSQL (PROTOCOL.md "Push", "Pull")."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from sync.protocol import Role, combine_digests, row_digest
from sync.server import accounts
from sync.server.config import Settings
from sync.server.db import Database
from tests.sync.server.helpers import change_id, edited, login, new_id, version


def test_a_pushed_record_comes_back_through_pull_digest_index_and_get(backend_client: TestClient) -> None:
    alice = login(backend_client, "alice")
    stored = alice.create(version(owner="alice"))
    record_id = stored["envelope"]["id"]
    assert stored["envelope"]["owner"] == "alice" and stored["envelope"]["status"] == "draft"

    entries, cursor, resync = alice.pull_all()
    assert [e["record"]["envelope"]["id"] for e in entries] == [record_id]
    assert entries[0]["record"] == stored and cursor == entries[0]["seq"] and not resync

    digest = alice.request("GET", "/sync/digest").json()
    assert digest["kinds"] == {
        "case_study": {
            "count": 1,
            "digest": combine_digests([row_digest(record_id, stored["envelope"]["revision"])]),
        }
    }
    assert digest["cursor"] == cursor
    index = alice.request("GET", "/sync/index").json()
    assert index["entries"] == [
        {"id": record_id, "revision": stored["envelope"]["revision"], "deleted": False}
    ]
    assert index["next_after"] is None and index["cursor"] == cursor
    assert alice.request("GET", f"/records/{record_id}").json() == stored


def test_the_server_keeps_the_clients_revision_when_it_changes_nothing(backend_client: TestClient) -> None:
    alice = login(backend_client, "alice")
    pushed = version(owner="alice")
    stored = alice.create(pushed)
    assert stored["envelope"]["revision"] == pushed["envelope"]["revision"]
    # An envelope the server corrects (owner) gets a server revision, child of the pushed one.
    other = version(owner="someone-else")
    corrected = alice.create(other)
    assert corrected["envelope"]["owner"] == "alice"
    assert corrected["envelope"]["revision"].startswith("2-")
    assert corrected["envelope"]["parent_revision"] == other["envelope"]["revision"]


def test_a_retried_change_id_answers_the_stored_result_and_stores_one_row(backend_client: TestClient) -> None:
    alice = login(backend_client, "alice")
    body = {"changes": [{"change_id": change_id(), "base_revision": "", "record": version(owner="alice")}]}
    first = alice.request("POST", "/sync/push", json=body).json()
    again = alice.request("POST", "/sync/push", json=body).json()
    assert first == again and first["results"][0]["outcome"] == "accepted"
    entries, _, _ = alice.pull_all()
    assert len(entries) == 1
    # The same change id from another user is not answered with alice's result.
    bob = login(backend_client, "bob")
    stolen = bob.request("POST", "/sync/push", json=body).json()["results"][0]
    assert stolen["outcome"] == "rejected" and stolen["record"] is None


def test_a_stale_base_is_a_conflict_with_the_servers_version_and_stores_nothing(
    backend_client: TestClient,
) -> None:
    alice = login(backend_client, "alice")
    stored = alice.create(version(owner="alice"))
    newer = alice.update(stored)
    assert newer["outcome"] == "accepted"
    stale = alice.update(stored)
    assert stale["outcome"] == "conflict"
    assert stale["record"] == newer["record"]
    current = alice.request("GET", f"/records/{stored['envelope']['id']}").json()
    assert current == newer["record"]


def test_pushing_a_version_the_server_already_has_is_accepted_without_a_new_feed_entry(
    backend_client: TestClient,
) -> None:
    alice = login(backend_client, "alice")
    pushed = version(owner="alice")
    alice.create(pushed)
    _, cursor, _ = alice.pull_all()
    (again,) = alice.push((pushed, "1-00000000"))
    assert again["outcome"] == "accepted"
    assert alice.pull_all(cursor)[0] == []


def test_first_push_status_follows_the_pushers_role(backend_client: TestClient) -> None:
    alice, lib, root = (login(backend_client, n) for n in ("alice", "lib", "root"))
    assert alice.create(version(status="published"))["envelope"]["status"] == "draft"
    assert alice.create(version(status="submitted"))["envelope"]["status"] == "submitted"
    assert lib.create(version(status="draft"))["envelope"]["status"] == "published"
    assert root.create(version())["envelope"]["status"] == "published"
    assert (
        alice.create(version(kind="expert", payload={"handle": "alice"}))["envelope"]["status"] == "published"
    )
    (term,) = alice.push(version(kind="term"))
    assert term["outcome"] == "rejected" and term["code"] == "forbidden"
    (someone_else,) = alice.push(version(kind="expert", payload={"handle": "bob"}))
    assert someone_else["outcome"] == "rejected"


def test_a_staff_edit_of_a_published_record_becomes_a_proposal_that_revises_it(
    backend_client: TestClient,
) -> None:
    lib, alice = login(backend_client, "lib"), login(backend_client, "alice")
    published = lib.create(version(payload={"fields": {"title": "Water"}, "links": []}))
    push_id = change_id()
    mine = edited(published)
    answer = alice.request(
        "POST",
        "/sync/push",
        json={
            "changes": [
                {"change_id": push_id, "base_revision": published["envelope"]["revision"], "record": mine}
            ]
        },
    ).json()["results"][0]
    assert answer["outcome"] == "proposed"
    assert answer["record"] == published  # the client puts the server's version back
    proposal_id = str(uuid.uuid5(uuid.UUID(published["envelope"]["id"]), push_id))
    proposal = alice.request("GET", f"/records/{proposal_id}").json()
    assert proposal["envelope"]["status"] == "submitted" and proposal["envelope"]["owner"] == "alice"
    assert {"relation": "revises", "target_id": published["envelope"]["id"], "note": ""} in proposal[
        "payload"
    ]["links"]
    entries, _, _ = alice.pull_all()
    assert proposal_id in {e["record"]["envelope"]["id"] for e in entries if e["record"]}
    # The librarian sees it in review; another staff member does not.
    assert lib.request("GET", f"/records/{proposal_id}").status_code == 200
    assert login(backend_client, "bob").request("GET", f"/records/{proposal_id}").status_code == 404


def test_the_feed_is_in_sequence_order_each_record_once_and_pages_with_has_more(
    backend_client: TestClient,
) -> None:
    lib = login(backend_client, "lib")
    stored = [lib.create(version()) for _ in range(7)]
    lib.update(stored[2])  # record 2 moves to the end of the feed
    entries, cursor, _ = lib.pull_all(limit=3)
    ids = [e["record"]["envelope"]["id"] for e in entries]
    expected = [s["envelope"]["id"] for s in stored]
    assert ids == expected[:2] + expected[3:] + [expected[2]]
    seqs = [e["seq"] for e in entries]
    assert seqs == sorted(seqs) and len(set(ids)) == len(ids)
    first_page = lib.request("GET", "/sync/pull", params={"cursor": 0, "limit": 3}).json()
    assert first_page["has_more"] and len(first_page["changes"]) == 3
    assert first_page["cursor"] == first_page["changes"][-1]["seq"]
    last = lib.request("GET", "/sync/pull", params={"cursor": cursor, "limit": 3}).json()
    assert last == {"changes": [], "cursor": cursor, "has_more": False, "resync": False}
    pending = lib.request("GET", "/sync/pending", params={"cursor": 0}).json()
    assert len(pending.pop("server_id")) == 16  # the database's identity (sync target safety, R7)
    assert pending == {"cursor": 0, "changes": 7, "deletions": 0, "latest": cursor}


def test_records_others_may_not_read_are_skipped_but_the_cursor_moves_past_them(
    backend_client: TestClient,
) -> None:
    alice, bob = login(backend_client, "alice"), login(backend_client, "bob")
    for _ in range(3):
        alice.create(version())
    entries, cursor, _ = bob.pull_all(limit=2)
    assert entries == [] and cursor >= 3


def test_a_deletion_travels_as_a_tombstone_and_leaves_the_digest(backend_client: TestClient) -> None:
    alice = login(backend_client, "alice")
    stored = alice.create(version())
    _, cursor, _ = alice.pull_all()
    result = alice.update(stored, deleted=True, status="submitted")
    assert result["outcome"] == "accepted"
    tombstone = result["record"]["envelope"]
    assert tombstone["deleted"] and tombstone["status"] == "draft"  # a deletion keeps the last live access
    entries, _, _ = alice.pull_all(cursor)
    assert entries[0]["record"]["envelope"]["deleted"]
    assert alice.request("GET", "/sync/digest").json()["kinds"] == {}
    assert alice.request("GET", "/sync/index").json()["entries"][0]["deleted"] is True
    pending = alice.request("GET", "/sync/pending", params={"cursor": cursor}).json()
    assert pending["changes"] == 1 and pending["deletions"] == 1


def test_a_record_that_leaves_a_users_view_is_sent_as_removed(backend_client: TestClient) -> None:
    alice, bob = login(backend_client, "alice"), login(backend_client, "bob")
    stored = alice.create(version(co_authors=["bob"]))
    entries, cursor, _ = bob.pull_all()
    assert [e["record"]["envelope"]["id"] for e in entries] == [stored["envelope"]["id"]]
    dropped = alice.update(stored, co_authors=[])
    assert dropped["outcome"] == "accepted"
    alice.update(dropped["record"])  # a second change after the removal: still a removal for bob
    entries, _, _ = bob.pull_all(cursor)
    assert entries == [{"seq": entries[0]["seq"], "record": None, "removed": stored["envelope"]["id"]}]
    # A user who never saw it gets nothing.
    assert login(backend_client, "carol").pull_all(cursor)[0] == []


def test_a_retired_record_is_removed_for_readers_and_kept_for_the_owner(backend_client: TestClient) -> None:
    lib, alice, bob = (login(backend_client, n) for n in ("lib", "alice", "bob"))
    draft = alice.create(version())
    submitted = alice.update(draft, status="submitted")["record"]
    published = lib.update(submitted, status="published")
    assert published["outcome"] == "accepted" and published["record"]["envelope"]["status"] == "published"
    _, bob_cursor, _ = bob.pull_all()
    retired = lib.update(published["record"], status="retired")["record"]
    entries, _, _ = bob.pull_all(bob_cursor)
    assert entries[-1]["removed"] == retired["envelope"]["id"]
    assert alice.request("GET", f"/records/{retired['envelope']['id']}").status_code == 200
    assert bob.request("GET", f"/records/{retired['envelope']['id']}").status_code == 404


def test_joining_leaving_or_a_role_change_asks_devices_to_resync(
    backend_client: TestClient, backend_settings: Settings
) -> None:
    lib, alice = login(backend_client, "lib"), login(backend_client, "alice")
    community = lib.create(version(kind="community", payload={"fields": {"name": "Water"}}))["envelope"]["id"]
    members_only = lib.create(version(visibility="community", community=community))
    _, cursor, resync = alice.pull_all()
    assert not resync
    assert alice.request("POST", f"/communities/{community}/join").status_code == 204
    page = alice.request("GET", "/sync/pull", params={"cursor": cursor}).json()
    assert page["resync"] is True
    # Reconcile: page the index, then say so with the index's cursor.
    index = alice.request("GET", "/sync/index").json()
    assert members_only["envelope"]["id"] in {e["id"] for e in index["entries"]}
    assert alice.request("POST", "/sync/resynced", params={"cursor": index["cursor"]}).status_code == 204
    assert alice.request("GET", "/sync/pull", params={"cursor": index["cursor"]}).json()["resync"] is False
    # Another device of alice's still has to reconcile.
    laptop = login(backend_client, "alice")
    assert laptop.request("GET", "/sync/pull").json()["resync"] is False  # a new device starts current
    assert alice.request("DELETE", f"/communities/{community}/members/alice").status_code == 204
    assert alice.request("GET", "/sync/pull", params={"cursor": index["cursor"]}).json()["resync"] is True
    assert laptop.request("GET", "/sync/pull").json()["resync"] is True
    index = laptop.request("GET", "/sync/index").json()
    assert laptop.request("POST", "/sync/resynced", params={"cursor": index["cursor"]}).status_code == 204
    assert laptop.request("GET", "/sync/pull").json()["resync"] is False
    db = Database(backend_settings.database_url)
    with db.write() as session:
        accounts.set_role(session=session, name="alice", role=Role.LIBRARIAN)
    db.dispose()
    assert laptop.request("GET", "/sync/pull").json()["resync"] is True
    # Now a librarian, alice reads the community's records without being a member.
    assert laptop.request("GET", f"/records/{members_only['envelope']['id']}").status_code == 200


def test_a_client_past_the_servers_horizon_is_asked_to_resync(backend_client: TestClient) -> None:
    alice = login(backend_client, "alice")
    alice.create(version())
    page = alice.request("GET", "/sync/pull", params={"cursor": 10_000}).json()
    assert page == {"changes": [], "cursor": 1, "has_more": False, "resync": True}


def test_the_index_pages_in_id_order(backend_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import sync.server.feed as feed

    lib = login(backend_client, "lib")
    ids = sorted(lib.create(version(record_id=new_id()))["envelope"]["id"] for _ in range(5))
    monkeypatch.setattr(feed, "INDEX_PAGE_SIZE", 2)  # a small page exercises the paging
    pages: list[list[str]] = []
    after: str | None = None
    for _ in range(10):
        params = {"after": after} if after else {}
        page = lib.request("GET", "/sync/index", params=params).json()
        pages.append([e["id"] for e in page["entries"]])
        after = page["next_after"]
        if after is None:
            break
    assert pages == [ids[0:2], ids[2:4], ids[4:5]]
