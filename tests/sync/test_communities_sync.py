"""Communities across devices: membership from the server, questions asked of an expert, notifications
after a sync, and leaving a community takes its items off the leaver's devices at the next sync."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.core.communities import ACCEPTED, ASKED_OF_ME, NEW_ANSWER
from desktop.core.kinds import Kind
from desktop.core.records import Record, new_record_id
from tests.sync.conftest import SyncClientProfile

Make = Callable[..., SyncClientProfile]


def _community(lib: SyncClientProfile) -> str:
    community = Record(id=new_record_id(), kind=Kind.COMMUNITY, fields={"name": "Water and sanitation"})
    lib.session.save(community)
    lib.service.sync()
    return community.id


def _join(profile: SyncClientProfile, community_id: str) -> None:
    client = profile.service.client()
    try:
        profile.session.communities.change_membership(client, community_id, "join")
    finally:
        client.close()


def test_leaving_a_community_removes_its_items_from_the_leavers_device(make_client: Make) -> None:
    lib, alice, bob = make_client("lib"), make_client("alice"), make_client("bob")
    community = _community(lib)
    for profile in (alice, bob):
        _join(profile, community)
    alice.service.sync()  # the community record
    question = alice.session.ask_question("Who cleans the boreholes?", community_id=community)
    alice.service.sync()
    bob.service.sync()
    assert bob.session.store.get(question.id) is not None
    overview = bob.session.communities.overview(community)
    assert overview is not None and overview.my_role == "member"
    assert [q.id for q in overview.questions] == [question.id]
    client = bob.service.client()
    try:
        left = bob.session.communities.change_membership(client, community, "leave")
    finally:
        client.close()
    assert left is not None and left.my_role == ""
    report = bob.service.sync()
    assert report.removed >= 1
    assert bob.session.store.get(question.id) is None
    assert bob.session.store.get(community) is not None  # the community itself is for everyone


def test_ask_an_expert_answer_accept_and_the_notifications_after_each_sync(make_client: Make) -> None:
    alice, carol = make_client("alice"), make_client("carol")
    profile = Record(id=new_record_id(), kind=Kind.EXPERT, fields={"name": "Carol Dube", "handle": "carol"})
    carol.session.save(profile)
    carol.service.sync()
    alice.service.sync()
    question = alice.session.ask_question("How do we budget for pumps?", "Details.", expert_id=profile.id)
    assert alice.session.store.is_following(question.id)
    alice.service.sync()
    carol.service.sync()
    (asked,) = carol.session.communities.notifications()
    assert asked.kind == ASKED_OF_ME and asked.record_id == question.id
    answer = carol.session.answer_question(question.id, "Plan for maintenance first.")
    carol.service.sync()
    alice.service.sync()
    notices = alice.session.communities.notifications()
    assert [(n.kind, n.subject_id) for n in notices] == [(NEW_ANSWER, answer.id)]
    thread = alice.session.communities.thread(question.id)
    assert thread is not None and thread.mine and [a.id for a in thread.answers] == [answer.id]
    alice.session.accept_answer(question.id, answer.id)
    alice.service.sync()
    carol.service.sync()
    carol.service.sync()  # a second sync brings nothing new and no second notice
    kinds = [n.kind for n in carol.session.communities.notifications()]
    assert kinds.count(ACCEPTED) == 1
    seen: Any = carol.session.communities.thread(question.id)
    assert seen.accepted_id == answer.id
