"""Requests for advice, mentoring or peer review (PROTOCOL.md "Kinds with their own rules").

A request is read and edited by its owner (the requester), the person asked (the envelope's
``reviewers``) and librarians, whatever its status; nobody else learns it exists.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sync.protocol import Role, Status, Visibility
from sync.server.access import Access, Actor, EditDecision, edit_decision, first_push, visible
from tests.sync.server.helpers import login, version

OLGA, RITA = Actor("olga", Role.STAFF), Actor("rita", Role.STAFF)
OTHERS = {"staff": Actor("sam", Role.STAFF), "admin": Actor("root", Role.ADMIN)}
LIBRARIAN = Actor("lib", Role.LIBRARIAN)
RID = "11111111-0000-4000-8000-000000000000"


def request_access(status: Status = Status.PUBLISHED, reviewers: tuple[str, ...] = ("rita",)) -> Access:
    return Access("request", "olga", (), reviewers, "", status, Visibility.EVERYONE)


@pytest.mark.parametrize("status", list(Status))
def test_a_request_is_read_and_edited_by_the_requester_the_one_asked_and_librarians(status: Status) -> None:
    access = request_access(status)
    for actor in (OLGA, RITA, LIBRARIAN):
        assert visible(actor, access)
        assert edit_decision(actor, access, RID) == EditDecision.EDIT
    # Admins have librarian rights on content; other staff never see it, even published to everyone.
    assert visible(OTHERS["admin"], access)
    assert not visible(OTHERS["staff"], access)
    assert edit_decision(OTHERS["staff"], access, RID) == EditDecision.DENY


def test_a_request_must_name_the_person_asked_and_is_published_at_once() -> None:
    decision = first_push(OLGA, request_access(Status.DRAFT), RID)
    assert decision.allowed and decision.status == Status.PUBLISHED
    assert decision.visibility == Visibility.EVERYONE
    refused = first_push(OLGA, request_access(Status.DRAFT, reviewers=()), RID)
    assert not refused.allowed and "person asked" in refused.reason


def _request(reviewer: str) -> dict[str, object]:
    fields = {"request_type": "mentoring", "message": "Could you mentor me?", "state": "open"}
    return version(
        kind="request",
        reviewers=[reviewer],
        payload={"fields": fields, "tags": [], "links": []},
    )


def test_the_person_asked_sees_accepts_and_the_requester_sees_the_answer(client: TestClient) -> None:
    alice, bob, carol = login(client, "alice"), login(client, "bob"), login(client, "carol")
    stored = alice.create(_request("bob"))
    assert stored["envelope"]["status"] == "published" and stored["envelope"]["reviewers"] == ["bob"]
    record_id = stored["envelope"]["id"]

    (entry,) = [e for e in bob.pull_all()[0] if e["record"]["envelope"]["id"] == record_id]
    assert carol.pull_all()[0] == []
    assert carol.request("GET", f"/records/{record_id}").status_code == 404

    answer = entry["record"]
    answer["payload"] = {**answer["payload"], "fields": {**answer["payload"]["fields"], "state": "accepted"}}
    result = bob.update(answer)
    assert result["outcome"] == "accepted", result
    # The person asked may not hand the request on to someone else.
    moved = bob.update(result["record"], reviewers=["carol"])
    assert moved["outcome"] == "accepted" and moved["record"]["envelope"]["reviewers"] == ["bob"]
    (seen,) = [e for e in alice.pull_all()[0] if e["record"]["envelope"]["id"] == record_id]
    assert seen["record"]["payload"]["fields"]["state"] == "accepted"
    # Anyone else is told there is no such record.
    intruder = _request("bob") | {"envelope": stored["envelope"]}
    (refused,) = carol.push((intruder, stored["envelope"]["revision"]))
    assert refused["outcome"] == "rejected"


def test_a_request_naming_nobody_is_rejected(client: TestClient) -> None:
    alice = login(client, "alice")
    (result,) = alice.push(version(kind="request", payload={"fields": {"request_type": "advice"}}))
    assert result["outcome"] == "rejected" and result["code"] == "forbidden"
