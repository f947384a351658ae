"""Communities on the server: community-only items stay in the community; questions asked of a
named expert; who answers; only the asker (or a librarian) accepts an answer."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from sync.protocol import CommunityRole, Role, Status, Visibility
from sync.server.access import Access, Actor, first_push, visible
from tests.sync.server.helpers import User, edited, login, version


def _community(lib: User) -> str:
    stored = lib.create(
        version(kind="community", payload={"fields": {"name": "Water"}, "tags": [], "links": []})
    )
    return str(stored["envelope"]["id"])


def _question(
    user: User, *, community: str = "", asked: str = "", expert_id: str = "", title: str = "How?"
) -> dict[str, Any]:
    links = [{"relation": "in_community", "target_id": community, "note": ""}] if community else []
    if asked:
        links.append({"relation": "asked_of", "target_id": expert_id or community or _ID, "note": asked})
    return version(
        kind="question",
        community=community,
        reviewers=[asked] if asked else [],
        payload={"fields": {"title": title}, "tags": [], "links": links},
    )


def _answer(question_id: str, *, community: str = "", accepted: bool = False) -> dict[str, Any]:
    fields: dict[str, Any] = {"body": "Like this."}
    if accepted:
        fields["accepted"] = True
    return version(
        kind="answer",
        community=community,
        payload={"fields": fields, "tags": [], "links": [{"relation": "answers", "target_id": question_id}]},
    )


_ID = "eeeeeeee-0000-4000-8000-00000000000e"


def _ids(entries: list[dict[str, Any]]) -> set[str]:
    return {e["record"]["envelope"]["id"] for e in entries if e.get("record")}


def _join(user: User, community: str) -> None:
    assert user.request("POST", f"/communities/{community}/join").status_code == 204


def test_a_non_member_neither_reads_nor_pulls_nor_answers_community_items(client: TestClient) -> None:
    lib, alice, bob = login(client, "lib"), login(client, "alice"), login(client, "bob")
    community = _community(lib)
    _join(alice, community)
    alice = login(client, "alice")  # the token's memberships are read at each request anyway
    question = alice.create(_question(alice, community=community))
    qid = question["envelope"]["id"]
    assert question["envelope"]["visibility"] == "community"

    entries, _, _ = bob.pull_all()
    assert qid not in _ids(entries)
    assert bob.request("GET", f"/records/{qid}").status_code == 404
    digest = bob.request("GET", "/sync/digest").json()
    assert "question" not in digest["kinds"] or digest["kinds"]["question"]["count"] == 0
    index = bob.request("GET", "/sync/index").json()
    assert qid not in {e["id"] for e in index["entries"]}
    (refused,) = bob.push(_answer(qid, community=community))
    assert refused["outcome"] == "rejected" and refused["code"] == "forbidden"
    # A member reads and answers it; a librarian reads it.
    entries, _, _ = lib.pull_all()
    assert qid in _ids(entries)
    _join(bob, community)
    answer = bob.create(_answer(qid, community=community))
    assert answer["envelope"]["community"] == community


def test_leaving_takes_the_community_items_away_at_the_next_pull(client: TestClient) -> None:
    lib, alice, bob = login(client, "lib"), login(client, "alice"), login(client, "bob")
    community = _community(lib)
    _join(alice, community)
    _join(bob, community)
    qid = alice.create(_question(alice, community=community))["envelope"]["id"]
    entries, cursor, _ = bob.pull_all()
    assert qid in _ids(entries)
    assert bob.request("DELETE", f"/communities/{community}/members/bob").status_code == 204
    # The access epoch moved: bob's device is told to reconcile, and the index no longer lists it.
    _, _, resync = bob.pull_all(cursor)
    assert resync
    listed = {e["id"] for e in bob.request("GET", "/sync/index").json()["entries"]}
    assert qid not in listed
    assert bob.request("GET", f"/records/{qid}").status_code == 404


def test_a_question_asked_of_a_named_expert_is_read_by_the_asker_the_expert_and_librarians(
    client: TestClient,
) -> None:
    lib, alice, bob, carol = (login(client, name) for name in ("lib", "alice", "bob", "carol"))
    question = alice.create(_question(alice, asked="carol"))
    qid = question["envelope"]["id"]
    assert question["envelope"]["status"] == "published"
    assert question["envelope"]["reviewers"] == ["carol"]
    for user, sees in ((alice, True), (carol, True), (lib, True), (bob, False)):
        assert (user.request("GET", f"/records/{qid}").status_code == 200) is sees, user.name
        assert (qid in _ids(user.pull_all()[0])) is sees, user.name
    # carol answers: the answer is read by the same people as the question.
    answer = carol.create(_answer(qid))
    aid = answer["envelope"]["id"]
    assert answer["envelope"]["community"] == ""
    assert set(answer["envelope"]["reviewers"]) == {"alice", "carol"}
    for user, sees in ((alice, True), (carol, True), (lib, True), (bob, False)):
        assert (user.request("GET", f"/records/{aid}").status_code == 200) is sees, user.name
    (refused,) = bob.push(_answer(qid))
    assert refused["outcome"] == "rejected"
    # A question with neither a community nor a person asked is refused.
    (nowhere,) = alice.push(_question(alice))
    assert nowhere["outcome"] == "rejected"


def test_only_the_asker_or_a_librarian_accepts_an_answer(client: TestClient) -> None:
    lib, alice, bob = login(client, "lib"), login(client, "alice"), login(client, "bob")
    community = _community(lib)
    _join(alice, community)
    _join(bob, community)
    question = alice.create(_question(alice, community=community))
    qid = question["envelope"]["id"]
    other = alice.create(_question(alice, community=community, title="Other"))
    answer = bob.create(_answer(qid, community=community))
    aid = answer["envelope"]["id"]
    elsewhere = bob.create(_answer(other["envelope"]["id"], community=community))

    def accepting(stored: dict[str, Any], answer_id: str) -> tuple[dict[str, Any], str]:
        new = edited(stored)
        new["payload"]["fields"] = {**new["payload"]["fields"], "accepted_answer": answer_id}
        return new, stored["envelope"]["revision"]

    (by_bob,) = bob.push(accepting(question, aid))
    assert by_bob["outcome"] == "rejected" and by_bob["code"] == "forbidden"
    (wrong,) = alice.push(accepting(question, elsewhere["envelope"]["id"]))
    assert wrong["outcome"] == "rejected" and wrong["code"] == "invalid"
    (not_answer,) = alice.push(accepting(question, other["envelope"]["id"]))
    assert not_answer["outcome"] == "rejected"
    (by_alice,) = alice.push(accepting(question, aid))
    assert by_alice["outcome"] == "accepted"
    stored = by_alice["record"]
    assert stored["payload"]["fields"]["accepted_answer"] == aid
    # Who changed it is shown to others: naming someone else is refused, naming oneself is kept.
    impostor, base = accepting(stored, "")
    impostor["payload"]["fields"]["accepted_by"] = "alice"
    (named_other,) = lib.push((impostor, base))
    assert named_other["outcome"] == "rejected" and named_other["code"] == "invalid"
    honest, base = accepting(stored, "")
    honest["payload"]["fields"]["accepted_by"] = "lib"
    (by_lib,) = lib.push((honest, base))
    assert by_lib["outcome"] == "accepted"
    assert by_lib["record"]["payload"]["fields"]["accepted_by"] == "lib"
    # The answer's own flag is not the answerer's to set.
    flagged = edited(answer)
    flagged["payload"]["fields"] = {**flagged["payload"]["fields"], "accepted": True}
    (self_accept,) = bob.push((flagged, answer["envelope"]["revision"]))
    assert self_accept["outcome"] == "rejected" and self_accept["code"] == "forbidden"
    (first_flagged,) = bob.push(_answer(qid, community=community, accepted=True))
    assert first_flagged["outcome"] == "rejected"


def test_withdrawing_or_replacing_the_accepted_answer_is_the_asker_s_or_a_librarian_s_on_every_backend(
    backend_client: TestClient,
) -> None:
    """The same people who accept an answer withdraw the acceptance or accept another instead:
    the asker and librarians; another staff member (a member who answered, or the community's
    facilitator) is refused, and the server's version stays as it was."""
    lib, alice, bob, carol = (login(backend_client, name) for name in ("lib", "alice", "bob", "carol"))
    community = _community(lib)
    for user in (alice, bob):
        _join(user, community)
    facilitate = {"user": "carol", "role": CommunityRole.FACILITATOR.value}
    assert lib.request("PUT", f"/communities/{community}/members", json=facilitate).status_code == 204
    stored = alice.create(_question(alice, community=community))
    qid = stored["envelope"]["id"]
    first = bob.create(_answer(qid, community=community))["envelope"]["id"]
    second = carol.create(_answer(qid, community=community))["envelope"]["id"]

    def marking(user: User, answer_id: str) -> dict[str, Any]:
        """``user`` pushes the question with ``answer_id`` accepted ("" withdraws) over the stored one."""
        new = edited(stored)
        new["payload"]["fields"] = {**new["payload"]["fields"], "accepted_answer": answer_id}
        (result,) = user.push((new, stored["envelope"]["revision"]))
        return dict(result)

    def accepted_on_server() -> str:
        fields = alice.request("GET", f"/records/{qid}").json()["payload"]["fields"]
        return str(fields.get("accepted_answer") or "")

    steps = [  # (who, what they set, whether the server takes it)
        (alice, first, True),  # the asker accepts
        (bob, "", False),  # the answerer withdraws: refused
        (carol, second, False),  # the facilitator accepts hers instead: refused
        (alice, "", True),  # the asker withdraws: the question is open again
        (alice, first, True),
        (alice, second, True),  # the asker accepts another instead
        (carol, "", False),
        (bob, first, False),
        (lib, "", True),  # a librarian withdraws
        (lib, second, True),  # ... accepts one ...
        (lib, first, True),  # ... and another instead
    ]
    for user, answer_id, allowed in steps:
        before = accepted_on_server()
        result = marking(user, answer_id)
        if allowed:
            assert result["outcome"] == "accepted", (user.name, answer_id, result)
            stored = result["record"]
            assert accepted_on_server() == answer_id
        else:
            assert result["outcome"] == "rejected" and result["code"] == "forbidden", (user.name, result)
            assert accepted_on_server() == before
    # Replacing names an answer to this question, as accepting does.
    other = alice.create(_question(alice, community=community, title="Other"))
    elsewhere = bob.create(_answer(other["envelope"]["id"], community=community))["envelope"]["id"]
    wrong = marking(alice, elsewhere)
    assert wrong["outcome"] == "rejected" and wrong["code"] == "invalid"
    assert accepted_on_server() == first


def test_the_rules_as_a_table() -> None:
    community = "aaaaaaaa-0000-4000-8000-000000000001"
    alice = Actor("alice", Role.STAFF)
    carol = Actor("carol", Role.STAFF)
    member = Actor("mona", Role.STAFF, {community: CommunityRole.MEMBER})
    lib = Actor("lib", Role.LIBRARIAN)
    asked = Access("question", "alice", (), ("carol",), "", Status.PUBLISHED, Visibility.COMMUNITY)
    assert [visible(a, asked) for a in (alice, carol, member, lib)] == [True, True, False, True]
    in_community = Access(
        "question", "alice", (), ("carol",), community, Status.PUBLISHED, Visibility.COMMUNITY
    )
    # In a community: its members and the person asked; the asker only as a member.
    assert [visible(a, in_community) for a in (alice, carol, member, lib)] == [False, True, True, True]
    # Other community-only kinds never open to reviewers.
    case = Access("case_study", "alice", (), ("carol",), community, Status.PUBLISHED, Visibility.COMMUNITY)
    assert not visible(carol, case)
    pushed = Access("question", "", (), ("carol",), "", Status.DRAFT, Visibility.EVERYONE)
    assert first_push(alice, pushed, _ID).allowed
    nowhere = Access("question", "", (), (), "", Status.DRAFT, Visibility.EVERYONE)
    assert not first_push(alice, nowhere, _ID).allowed
    decision = first_push(
        carol, Access("answer", "", (), (), "", Status.DRAFT, Visibility.EVERYONE), _ID, asked
    )
    assert (
        decision.allowed and decision.community == "" and set(decision.reviewers or ()) == {"alice", "carol"}
    )
    assert not first_push(
        member, Access("answer", "", (), (), "", Status.DRAFT, Visibility.EVERYONE), _ID, asked
    ).allowed
