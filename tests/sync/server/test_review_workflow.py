"""The curation workflow on the server: who may submit, publish, return and retire, and the review
history (``fields.review_log``) each change appends (PROTOCOL.md "Review history").

The pushes run on both backends: an SQLite file and a database in a throw-away PostgreSQL
cluster (the ``client`` and ``settings`` of this module are conftest's ``backend_*``)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict

from sync.protocol import PROTOCOL_HEADER, CommunityRole, PushOutcome, Role, Status, Visibility
from sync.server.access import Access, Actor
from sync.server.config import Settings
from sync.server.review_log import check_review_log
from tests.sync.server.helpers import User, add_membership, change_id, edited, login, version

AT = "2026-12-02T10:00:00+00:00"


def entry(action: str, by: str, comment: str = "", at: str = AT) -> dict[str, Any]:
    return {"action": action, "by": by, "at": at, "comment": comment}


def payload(*log: dict[str, Any], title: str = "A case") -> dict[str, Any]:
    return {"fields": {"title": title, "review_log": list(log)}, "tags": [], "links": []}


def change(user: User, stored: dict[str, Any], status: str, *added: dict[str, Any]) -> dict[str, Any]:
    """Push ``stored`` moved to ``status`` with ``added`` appended to its review history."""
    new = edited(stored, status=status)
    fields = dict(new["payload"].get("fields") or {})
    fields["review_log"] = [*fields.get("review_log", []), *added]
    new["payload"] = {**new["payload"], "fields": fields}
    (result,) = user.push((new, stored["envelope"]["revision"]))
    return result


def accepted(result: dict[str, Any]) -> dict[str, Any]:
    assert result["outcome"] == "accepted", result
    record: dict[str, Any] = result["record"]
    return record


def refused(result: dict[str, Any], code: str = "forbidden") -> str:
    assert result["outcome"] == "rejected" and result["code"] == code, result
    return str(result["reason"])


# -- the rules as a table (pure functions) --------------------------------------------------------

ALICE, LIB = Actor("alice", Role.STAFF), Actor("lib", Role.LIBRARIAN)
FAY = Actor("fay", Role.STAFF, {"c": CommunityRole.FACILITATOR})


def access(status: Status) -> Access:
    return Access("case_study", "alice", (), (), "c", status, Visibility.EVERYONE)


S, R = entry("submitted", "alice"), entry("returned", "lib", "Add sources")
LOG_CASES = [
    # (actor, status before, history before, history pushed, status pushed, refused with)
    (ALICE, Status.DRAFT, [], [S], Status.SUBMITTED, None),
    (ALICE, Status.RETURNED, [S, R], [S, R, S], Status.SUBMITTED, None),
    (ALICE, Status.DRAFT, [], [entry("submitted", "bob")], Status.SUBMITTED, "must be your own"),
    (ALICE, Status.DRAFT, [], [entry("published", "alice")], Status.PUBLISHED, "may not record"),
    (ALICE, Status.DRAFT, [], [S], Status.DRAFT, "ends with 'submitted'"),
    (LIB, Status.SUBMITTED, [S], [S, entry("published", "lib")], Status.PUBLISHED, None),
    (LIB, Status.SUBMITTED, [S], [S, R], Status.RETURNED, None),
    (LIB, Status.SUBMITTED, [S], [S, entry("returned", "lib", "  ")], Status.RETURNED, "needs a comment"),
    (LIB, Status.SUBMITTED, [S], [S], Status.RETURNED, "needs a comment"),
    (LIB, Status.SUBMITTED, [S], [S], Status.PUBLISHED, None),  # older clients write no entry
    (LIB, Status.PUBLISHED, [], [entry("retired", "lib"), entry("reopened", "lib")], Status.DRAFT, None),
    (LIB, Status.PUBLISHED, [], [entry("published", "lib")], Status.PUBLISHED, "does not change"),
    (LIB, Status.PUBLISHED, [], [entry("retired", "lib")], Status.PUBLISHED, "ends with 'retired'"),
    (FAY, Status.SUBMITTED, [S], [S, entry("published", "fay")], Status.PUBLISHED, "may not record"),
    (LIB, Status.SUBMITTED, [S], [], Status.SUBMITTED, "cannot be changed"),
    (
        LIB,
        Status.SUBMITTED,
        [S],
        [entry("submitted", "alice", "edited")],
        Status.SUBMITTED,
        "cannot be changed",
    ),
    (LIB, Status.SUBMITTED, [], [entry("published", "lib", at="yesterday")], Status.PUBLISHED, "ISO 8601"),
    (LIB, Status.SUBMITTED, [], [entry("approved", "lib")], Status.PUBLISHED, "unknown review action"),
]


@pytest.mark.parametrize(("actor", "before", "old", "new", "after", "problem"), LOG_CASES)
def test_the_review_history_rules(
    actor: Actor,
    before: Status,
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    after: Status,
    problem: str | None,
) -> None:
    found = check_review_log(actor, access(before), payload(*old), payload(*new), after)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found.reason, found


def test_a_review_history_that_is_not_a_list_is_invalid() -> None:
    bad = {"fields": {"title": "x", "review_log": {"action": "submitted"}}}
    found = check_review_log(ALICE, access(Status.DRAFT), payload(), bad, Status.SUBMITTED)
    assert found is not None and found.code == "invalid"


# -- the workflow through pushes, on SQLite and on PostgreSQL ----------------------------------------


@pytest.fixture
def settings(backend_settings: Settings) -> Settings:
    """This test's server settings, on each backend in turn (with the standard users)."""
    return backend_settings


@pytest.fixture
def client(backend_client: TestClient) -> TestClient:
    """An in-process client of the server on ``settings``' database."""
    return backend_client


def test_submit_return_resubmit_publish_retire_each_writes_its_entry(client: TestClient) -> None:
    alice, lib = login(client, "alice"), login(client, "lib")
    draft = alice.create(version(payload=payload()))
    submitted = accepted(change(alice, draft, "submitted", entry("submitted", "alice")))
    assert submitted["envelope"]["status"] == "submitted"
    returned = accepted(change(lib, submitted, "returned", entry("returned", "lib", "Name your sources")))
    # The author reads the comment after their next pull.
    (seen,) = [
        e["record"] for e in alice.pull_all()[0] if e["record"]["envelope"]["id"] == draft["envelope"]["id"]
    ]
    assert seen["payload"]["fields"]["review_log"][-1]["comment"] == "Name your sources"
    again = accepted(change(alice, returned, "submitted", entry("submitted", "alice")))
    published = accepted(change(lib, again, "published", entry("published", "lib")))
    retired = accepted(change(lib, published, "retired", entry("retired", "lib", "Out of date")))
    actions = [e["action"] for e in retired["payload"]["fields"]["review_log"]]
    assert actions == ["submitted", "returned", "submitted", "published", "retired"]
    history = alice.request("GET", f"/records/{draft['envelope']['id']}/history")
    assert history.status_code == 200
    assert [(e["user"], e["action"]) for e in history.json()["entries"]] == [
        ("alice", "create"),
        ("alice", "submit"),
        ("lib", "return"),
        ("alice", "submit"),
        ("lib", "publish"),
        ("lib", "retire"),
    ]


def test_only_librarians_and_admins_publish_return_and_retire(client: TestClient) -> None:
    alice, bob, root = login(client, "alice"), login(client, "bob"), login(client, "root")
    submitted = alice.create(version(status="submitted", co_authors=["bob"], payload=payload()))
    for user in (alice, bob):
        for status, action in (("published", "published"), ("returned", "returned"), ("retired", "retired")):
            refused(change(user, submitted, status, entry(action, user.name, "comment")))
    published = accepted(change(root, submitted, "published", entry("published", "root")))
    refused(change(alice, published, "retired", entry("retired", "alice")))
    assert (
        accepted(change(root, published, "retired", entry("retired", "root")))["envelope"]["status"]
        == "retired"
    )


def test_a_co_author_submits_a_returned_record_and_others_cannot(client: TestClient) -> None:
    alice, bob, carol, lib = (login(client, n) for n in ("alice", "bob", "carol", "lib"))
    submitted = alice.create(version(status="submitted", co_authors=["bob"], payload=payload()))
    returned = accepted(change(lib, submitted, "returned", entry("returned", "lib", "Shorter, please")))
    # carol cannot even see it; bob, a co-author, resubmits it.
    assert refused(change(carol, returned, "submitted", entry("submitted", "carol")), "not_found")
    refused(change(bob, returned, "submitted", entry("submitted", "alice")))  # in another's name
    assert (
        accepted(change(bob, returned, "submitted", entry("submitted", "bob")))["envelope"]["status"]
        == "submitted"
    )


def test_returning_without_a_comment_is_refused_with_a_clear_reason(client: TestClient) -> None:
    alice, lib = login(client, "alice"), login(client, "lib")
    submitted = alice.create(version(status="submitted", payload=payload()))
    assert "needs a comment" in refused(change(lib, submitted, "returned"))
    assert "needs a comment" in refused(change(lib, submitted, "returned", entry("returned", "lib")))


def test_forged_or_edited_entries_are_refused(client: TestClient) -> None:
    alice, lib = login(client, "alice"), login(client, "lib")
    # A first push may not carry another's entry either.
    (forged_first,) = alice.push(version(status="submitted", payload=payload(entry("published", "lib"))))
    assert "your own" in refused(forged_first)
    submitted = alice.create(version(status="submitted", payload=payload(entry("submitted", "alice"))))
    assert "your own" in refused(change(lib, submitted, "published", entry("published", "root")))
    returned = accepted(change(lib, submitted, "returned", entry("returned", "lib", "Check the figures")))
    # The author tones the librarian's comment down while resubmitting: refused.
    softened = edited(returned, status="submitted")
    log = [dict(e) for e in returned["payload"]["fields"]["review_log"]]
    log[-1]["comment"] = "Looks great"
    softened["payload"] = payload(*log, entry("submitted", "alice"))
    (result,) = alice.push((softened, returned["envelope"]["revision"]))
    assert "cannot be changed" in refused(result)
    # Dropping the entry is refused the same way.
    dropped = edited(returned, status="submitted")
    dropped["payload"] = payload(entry("submitted", "alice"))
    (result,) = alice.push((dropped, returned["envelope"]["revision"]))
    assert "cannot be changed" in refused(result)
    # An entry with no status change is refused.
    assert "ends with" in refused(change(alice, returned, "returned", entry("submitted", "alice")))


def test_a_proposal_keeps_the_published_history(client: TestClient) -> None:
    alice, lib = login(client, "alice"), login(client, "lib")
    submitted = alice.create(version(status="submitted", payload=payload(entry("submitted", "alice"))))
    published = accepted(change(lib, submitted, "published", entry("published", "lib")))
    bob = login(client, "bob")
    assert change(bob, published, "published")["outcome"] == "proposed"
    assert "keeps the record's review history" in refused(
        change(bob, published, "published", entry("published", "bob"))
    )


def test_a_facilitator_reads_submitted_community_items_but_does_not_review_them(
    client: TestClient, settings: Settings
) -> None:
    lib, alice = login(client, "lib"), login(client, "alice")
    community = lib.create(version(kind="community"))["envelope"]["id"]
    add_membership(settings, "carol", community, CommunityRole.FACILITATOR)
    add_membership(settings, "alice", community, CommunityRole.MEMBER)
    carol = login(client, "carol")
    submitted = alice.create(
        version(status="submitted", community=community, visibility="community", payload=payload())
    )
    record_id = submitted["envelope"]["id"]
    assert carol.request("GET", f"/records/{record_id}").status_code == 200
    assert carol.request("GET", f"/records/{record_id}/history").status_code == 200
    for status in ("published", "returned", "retired"):
        refused(change(carol, submitted, status, entry(status, "carol", "comment")))
    # Once published to the community, the facilitator edits it, but still may not retire it.
    published = accepted(change(lib, submitted, "published", entry("published", "lib")))
    edit = accepted(change(carol, published, "published"))
    assert edit["envelope"]["status"] == "published"
    refused(change(carol, edit, "retired", entry("retired", "carol")))


def test_the_history_is_for_those_who_may_read_the_record(client: TestClient) -> None:
    alice, bob = login(client, "alice"), login(client, "bob")
    draft = alice.create(version(payload=payload()))
    path = f"/records/{draft['envelope']['id']}/history"
    assert bob.request("GET", path).status_code == 404
    entries = alice.request("GET", path).json()["entries"]
    assert [(e["user"], e["action"]) for e in entries] == [("alice", "create")]
    assert entries[0]["at"].endswith("+00:00") and entries[0]["revision"] == draft["envelope"]["revision"]
    assert alice.request("GET", "/records/00000000-0000-4000-8000-000000000000/history").status_code == 404


# -- a review overtaken by another librarian's return ------------------------------------------------


class PushResult1(BaseModel):
    """A push result as a protocol 1 client reads it: a field it does not know fails the answer."""

    model_config = ConfigDict(extra="forbid")
    change_id: str
    outcome: PushOutcome
    record: dict[str, Any] | None = None
    code: str = ""
    reason: str = ""


class PushResponse1(BaseModel):
    """A push answer as a protocol 1 client reads it."""

    model_config = ConfigDict(extra="forbid")
    results: list[PushResult1]


def returned_under_review(client: TestClient) -> tuple[dict[str, Any], dict[str, Any]]:
    """alice's submission as root (a second reviewer) read it, and lib's return of it meanwhile."""
    alice, lib = login(client, "alice"), login(client, "lib")
    submitted = alice.create(version(status="submitted", payload=payload(entry("submitted", "alice"))))
    returned = accepted(change(lib, submitted, "returned", entry("returned", "lib", "Name the wards")))
    return submitted, returned


def test_a_review_of_what_another_librarian_returned_meanwhile_is_overtaken(client: TestClient) -> None:
    submitted, _ = returned_under_review(client)
    root = login(client, "root")
    for status in ("published", "returned", "retired"):
        result = change(root, submitted, status, entry(status, "root", "Fine by me"))
        assert (result["outcome"], result["code"]) == ("rejected", "overtaken"), result
        assert result["review"] == entry("returned", "lib", "Name the wards")
        assert result["record"] is None  # root may not read it: nothing of its content
        assert "lib returned this record first" in result["reason"]
        assert "Name the wards" in result["reason"]
    alice = login(client, "alice")  # the author reads it (lib and root no longer may)
    history = alice.request("GET", f"/records/{submitted['envelope']['id']}/history").json()["entries"]
    assert [(e["user"], e["action"]) for e in history] == [("alice", "create"), ("lib", "return")]


def publish_body(submitted: dict[str, Any]) -> dict[str, Any]:
    """A push body publishing ``submitted`` as it was when it was submitted (its revision as base)."""
    new = edited(submitted, status="published")
    return {
        "changes": [
            {"change_id": change_id(), "base_revision": submitted["envelope"]["revision"], "record": new}
        ]
    }


def test_an_overtaken_change_is_answered_the_same_on_a_retry(client: TestClient) -> None:
    submitted, _ = returned_under_review(client)
    root = login(client, "root")
    body = publish_body(submitted)
    first, again = (root.request("POST", "/sync/push", json=body).json() for _ in range(2))
    assert first == again and first["results"][0]["code"] == "overtaken"


def test_an_older_client_gets_the_overtaken_refusal_without_the_field_it_does_not_know(
    client: TestClient,
) -> None:
    submitted, _ = returned_under_review(client)
    root = login(client, "root")
    body = publish_body(submitted)
    answer = root.request("POST", "/sync/push", json=body, headers={PROTOCOL_HEADER: "1"})
    (result,) = answer.json()["results"]
    assert "review" not in result and result["code"] == "overtaken"
    PushResponse1.model_validate(answer.json())  # what a protocol 1 client parses


def test_who_could_not_read_the_base_still_finds_no_such_record(client: TestClient) -> None:
    submitted, _ = returned_under_review(client)
    carol, root = login(client, "carol"), login(client, "root")
    # Staff never read another's submission: the returned record is not there for them.
    assert refused(change(carol, submitted, "submitted"), "not_found") == "there is no such record"
    # A base the server never stored, or none: the librarian learns nothing either.
    forged = edited(submitted, status="published")
    for base in ("", "1-" + "0" * 32):
        (result,) = root.push((forged, base))
        assert refused(result, "not_found") == "there is no such record"
    # A draft that was never in review: root never read it.
    draft = login(client, "alice").create(version(payload=payload()))
    assert refused(change(root, draft, "published", entry("published", "root")), "not_found")
