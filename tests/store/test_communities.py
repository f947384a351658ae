"""Follows and notifications in the store: what a feed page brings, stored once however often applied."""

from __future__ import annotations

from pathlib import Path

from desktop.core.communities import (
    ACCEPTED,
    ASKED_OF_ME,
    NEW_ANSWER,
    WITHDRAWN,
    accepted_by,
    new_answer,
    new_question,
    with_accepted,
)
from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, Status, Visibility
from desktop.store import RecordRepository, open_store
from desktop.store.replica import ACCOUNT_KEY, StoreReplica
from desktop.store.sync_mapping import version_of
from sync import protocol as p
from tests.store.conftest import make_record

COMMUNITY = "aaaaaaaa-0000-4000-8000-000000000001"


def _server(record: Record, generation: int = 1, reviewers: tuple[str, ...] = ()) -> p.RecordVersion:
    """``record`` as the server would send it (a server revision, published)."""
    stored = record.with_changes(
        status=Status.PUBLISHED, visibility=Visibility.COMMUNITY, revision=f"{generation}-{'ab' * 16}"
    )
    version = version_of(stored, [])
    envelope = version.envelope.model_copy(update={"reviewers": list(reviewers)})
    return version.model_copy(update={"envelope": envelope})


def _page(replica: StoreReplica, versions: list[p.RecordVersion], cursor: int) -> None:
    entries = [p.FeedEntry(seq=cursor + i + 1, record=v) for i, v in enumerate(versions)]
    replica.apply_feed(entries, cursor + len(versions))


def test_following_is_local_and_idempotent(repo: RecordRepository) -> None:
    question_id = "bbbbbbbb-0000-4000-8000-000000000002"
    assert not repo.is_following(question_id)
    repo.follow(question_id)
    repo.follow(question_id)
    assert repo.followed() == [question_id]
    repo.follow(question_id, on=False)
    assert repo.followed() == []


def test_a_feed_page_makes_each_notification_once_however_often_it_is_applied(repo: RecordRepository) -> None:
    repo.set_meta(ACCOUNT_KEY, "alice")
    replica = StoreReplica(repo)
    mine = new_question("Pumps?", "", owner="alice", community_id=COMMUNITY)
    repo.save_and_follow([mine], [mine.id])
    answer = new_answer(mine, "Use solar pumps.", owner="bob")
    asked = new_question(
        "Budget?", "", owner="bob", expert_id="cccccccc-0000-4000-8000-000000000003", expert_user="alice"
    )
    page = [_server(answer), _server(asked, reviewers=("alice",))]
    _page(replica, page, 0)
    _page(replica, page, 0)  # the same page again (a sync cut before its checkpoint was known)
    kinds = sorted(n.kind for n in repo.notifications())
    assert kinds == sorted([NEW_ANSWER, ASKED_OF_ME])
    assert repo.unread_count() == 2
    # The accepted answer arrives later (alice is the asker, so it is not news to her) ...
    accepted = _server(mine.with_fields(accepted_answer=answer.id), generation=2)
    _page(replica, [accepted], 2)
    assert repo.unread_count() == 2
    # ... but bob, the answerer, is told; once, even when the version comes twice.
    repo.set_meta(ACCOUNT_KEY, "bob")
    repo.save(make_record(Kind.CASE_STUDY))  # an unrelated change between two syncs
    other = new_question("Other?", "", owner="carol", community_id=COMMUNITY)
    other_answer = new_answer(other, "Mine.", owner="bob")
    _page(replica, [_server(other), _server(other_answer)], 3)
    _page(replica, [_server(other.with_fields(accepted_answer=other_answer.id), 2)], 5)
    _page(replica, [_server(other.with_fields(accepted_answer=other_answer.id), 2)], 5)
    assert [n.kind for n in repo.notifications()].count(ACCEPTED) == 1
    # Read marks survive; nothing I did myself notifies me.
    assert repo.mark_read() == 3
    assert repo.unread_count() == 0
    own = new_answer(other, "Another of mine.", owner="bob")
    _page(replica, [_server(own)], 6)
    assert repo.unread_count() == 0


def test_withdrawn_and_replaced_acceptances_notify_followers_and_the_answerer_once_each(
    tmp_path: Path,
) -> None:
    """Accept, withdraw, accept again, accept another instead: each change is news to those who
    follow the question and to the answerer concerned (once, however often its version comes),
    never to the asker who made it."""
    question = new_question("Meters?", "", owner="carol", community_id=COMMUNITY)
    bobs, dans = new_answer(question, "Prepaid.", owner="bob"), new_answer(question, "Smart.", owner="dan")
    versions = [  # the question's accepted answer, version by version
        _server(question.with_fields(accepted_answer=answer_id), generation)
        for generation, answer_id in enumerate([bobs.id, "", bobs.id, dans.id, ""], start=2)
    ]

    def told(account: str, *, follows: bool) -> list[tuple[str, str]]:
        """The acceptance notices ``account``'s own profile gets as the versions arrive (each page
        twice; a follower is also told of the two answers, as ever)."""
        store = open_store(tmp_path / account)
        try:
            store.set_meta(ACCOUNT_KEY, account)
            store.follow(question.id, follows)
            replica = StoreReplica(store)
            _page(replica, [_server(question), _server(bobs), _server(dans)], 0)
            for cursor, version in enumerate(versions, start=10):
                _page(replica, [version], cursor)
                _page(replica, [version], cursor)
            notices = reversed(store.notifications())
            return [(n.kind, n.subject_id) for n in notices if n.kind in (ACCEPTED, WITHDRAWN)]
        finally:
            store.close()

    everything = [
        (ACCEPTED, bobs.id),
        (WITHDRAWN, bobs.id),
        (ACCEPTED, bobs.id),  # accepted again after the withdrawal: news again
        (ACCEPTED, dans.id),  # dan's instead
        (WITHDRAWN, dans.id),
    ]
    assert told("eve", follows=True) == everything
    # bob, not following: what concerns his answer.
    assert told("bob", follows=False) == [(ACCEPTED, bobs.id), (WITHDRAWN, bobs.id), (ACCEPTED, bobs.id)]
    assert told("carol", follows=True) == []  # the asker made every change


def test_a_librarian_s_withdrawal_names_the_librarian_and_tells_the_asker(tmp_path: Path) -> None:
    """A librarian withdraws (then sets) the accepted answer for the asker: the notices name the
    librarian, not the asker, and the asker is told; the librarian, who acted, is not."""
    question = new_question("Tariffs?", "", owner="carol", community_id=COMMUNITY)
    answer = new_answer(question, "Stepped.", owner="bob")
    accepted = with_accepted(question, answer.id, by="carol")
    withdrawn = with_accepted(accepted, "", by="lib", librarian=True)
    assert accepted_by(accepted) == "carol" and accepted_by(withdrawn) == "lib"

    def told(account: str) -> list[tuple[str, str]]:
        store = open_store(tmp_path / account)
        try:
            store.set_meta(ACCOUNT_KEY, account)
            replica = StoreReplica(store)
            _page(replica, [_server(question), _server(answer)], 0)
            _page(replica, [_server(accepted, 2)], 2)
            _page(replica, [_server(withdrawn, 3)], 3)
            return [
                (n.kind, n.actor) for n in reversed(store.notifications()) if n.kind in (ACCEPTED, WITHDRAWN)
            ]
        finally:
            store.close()

    assert told("carol") == [(WITHDRAWN, "lib")]  # the asker: not her own acceptance, but the withdrawal
    assert told("bob") == [(ACCEPTED, "carol"), (WITHDRAWN, "lib")]
    assert told("lib") == []  # she follows nothing here, and the withdrawal was her own


def test_an_answer_to_a_question_i_do_not_follow_is_no_notification(repo: RecordRepository) -> None:
    repo.set_meta(ACCOUNT_KEY, "alice")
    replica = StoreReplica(repo)
    question = new_question("Roads?", "", owner="carol", community_id=COMMUNITY)
    _page(replica, [_server(question), _server(new_answer(question, "Gravel.", owner="bob"))], 0)
    assert repo.notifications() == []
    repo.follow(question.id)
    _page(replica, [_server(new_answer(question, "Tar.", owner="bob"))], 2)
    (notice,) = repo.notifications()
    assert notice.record_id == question.id and notice.title == "Roads?" and notice.actor == "bob"


def test_community_queries_find_knowledge_by_link_and_topic(repo: RecordRepository) -> None:
    term = "dddddddd-0000-4000-8000-000000000004"
    community = make_record(Kind.COMMUNITY, "Water", id=COMMUNITY, links=(Link(Relation.ABOUT, term),))
    here = (Link(Relation.IN_COMMUNITY, COMMUNITY),)
    shared = make_record(title="Shared here", links=here, status=Status.PUBLISHED)
    on_topic = make_record(
        Kind.ARTICLE, "On topic", links=(Link(Relation.ABOUT, term),), status=Status.PUBLISHED
    )
    elsewhere = make_record(title="Elsewhere", status=Status.PUBLISHED)
    # Not knowledge the community can rely on: a draft, an item in review, a retired one.
    unpublished = [
        make_record(title=f"{status.value} here", links=here, status=status)
        for status in (Status.DRAFT, Status.SUBMITTED, Status.RETIRED)
    ]
    question = new_question("Pumps?", "", owner="alice", community_id=COMMUNITY)
    repo.save_many([community, shared, on_topic, elsewhere, question, *unpublished])
    titles = {s.title for s in repo.community_knowledge(COMMUNITY, [term])}
    assert titles == {"Shared here", "On topic"}
    assert repo.community_knowledge_count(COMMUNITY, [term]) == 2
    assert [s.title for s in repo.community_questions(COMMUNITY)] == ["Pumps?"]
    assert {s.title for s in repo.community_activity(COMMUNITY, [term])} == {
        "Shared here",
        "On topic",
        "Pumps?",
        *(r.title for r in unpublished),  # its activity shows every change
    }
