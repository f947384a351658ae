"""Merging duplicates and undoing it in the store: links, attachments, history, outbox, undo after reopen."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from desktop.core.kinds import Kind
from desktop.core.merging import MergeRefused, check_may_merge
from desktop.core.records import Link, Record, Relation
from desktop.store import RecordRepository, open_store
from desktop.store.merges import MergeStore
from tests.store.conftest import make_record


def _allow(_records: Sequence[Record]) -> None:
    return None


def _world(repo: RecordRepository) -> dict[str, Record]:
    survivor = make_record(
        Kind.CENTRE_ITEM,
        "Plain language for public servants",
        fields={"isbn": ["0198526636"], "publisher": "OUP"},
        tags=("Plain language",),
    )
    loser = make_record(
        Kind.CENTRE_ITEM,
        "Plain language for public servants.",
        fields={"isbn": ["9780804429573"], "year": 2001, "call_number": "808.02"},
        tags=("Writing", "plain language"),
        links=(Link(Relation.ABOUT, "term-1"), Link(Relation.DUPLICATE_OF, "placeholder")),
    )
    loser = loser.with_changes(
        links=(Link(Relation.ABOUT, "term-1"), Link(Relation.DUPLICATE_OF, survivor.id))
    )
    citing = make_record(Kind.CASE_STUDY, "Clinic letters", links=(Link(Relation.CITES, loser.id),))
    both = make_record(
        Kind.CASE_STUDY,
        "Rates notices",
        links=(Link(Relation.CITES, loser.id), Link(Relation.CITES, survivor.id)),
    )
    repo.save_many([survivor, loser, citing, both])
    repo.add_attachment(loser.id, b"scanned cover", "cover.png", "image/png")
    repo.add_attachment(survivor.id, b"shared file", "a.txt", "text/plain")
    repo.add_attachment(loser.id, b"shared file", "a.txt", "text/plain")
    return {"survivor": survivor, "loser": loser, "citing": citing, "both": both}


def test_merge_keeps_fields_tags_links_attachments_and_history(repo: RecordRepository) -> None:
    world = _world(repo)
    sid, lid = world["survivor"].id, world["loser"].id
    loser_history = [info.revision for info in repo.history(lid)]
    pending_before = repo.pending_outbox_count()
    result = MergeStore(repo).merge(sid, lid, user="thandi", authorize=_allow)

    survivor = repo.get(sid)
    loser = repo.get(lid)
    assert survivor is not None and loser is not None
    assert survivor.fields["publisher"] == "OUP"  # its own fields stay
    assert (
        survivor.fields["year"] == 2001 and survivor.fields["call_number"] == "808.02"
    )  # the ones it lacked
    assert survivor.fields["isbn"] == ["0198526636", "9780804429573"]  # list fields joined
    assert survivor.tags == ("Plain language", "Writing")  # case-insensitive union
    assert Link(Relation.ABOUT, "term-1") in survivor.links
    assert all(link.target_id not in (sid, lid) for link in survivor.links)
    assert loser.deleted and Link(Relation.DUPLICATE_OF, sid, "merged") in loser.links
    # Incoming links now point at the survivor, each once.
    citing, both = repo.get(world["citing"].id), repo.get(world["both"].id)
    assert citing is not None and citing.links == (Link(Relation.CITES, sid),)
    assert both is not None and both.links == (Link(Relation.CITES, sid),)
    assert {b.source_id for b in repo.backlinks(sid)} == {world["citing"].id, world["both"].id}
    # Every attachment, the shared file once.
    assert sorted(a.filename for a in repo.attachments(sid)) == ["a.txt", "cover.png"]
    # The loser's history is kept; every change is in the outbox (survivor, tombstone, 2 retargeted).
    assert [info.revision for info in repo.history(lid)][1:] == loser_history
    assert repo.pending_outbox_count() >= pending_before + 4
    ops = {e.record_id: e.op for e in repo.outbox_entries(state="pending")}
    assert ops[lid] == "delete" and ops[sid] == "upsert"
    assert set(result.changes.deleted) == {lid}
    assert set(result.changes.updated) == {sid, world["citing"].id, world["both"].id}
    assert result.entry.retargeted == 2 and result.entry.attachments == 1


def test_undo_after_reopen_restores_every_record_as_new_revisions(profile: Path) -> None:
    repo = open_store(profile)
    world = _world(repo)
    sid, lid = world["survivor"].id, world["loser"].id
    before = {key: repo.get(record.id) for key, record in world.items()}
    merge_id = MergeStore(repo).merge(sid, lid, user="thandi", authorize=_allow).entry.id
    revisions_after_merge = {rid: repo.get(rid).revision for rid in (sid, lid)}  # type: ignore[union-attr]
    repo.close()

    repo = open_store(profile)  # the log is in the database: undo works after a restart
    try:
        store = MergeStore(repo)
        assert [entry.id for entry in store.merges()] == [merge_id]
        result = store.undo(merge_id)
        for key, old in before.items():
            now = repo.get(old.id)  # type: ignore[union-attr]
            assert now is not None and old is not None
            assert now.content_json() == old.content_json(), key
            assert now.revision != old.revision  # a new revision, so the undo syncs
        assert not repo.get(lid).deleted  # type: ignore[union-attr]
        assert sorted(a.filename for a in repo.attachments(sid)) == ["a.txt"]
        assert sorted(a.filename for a in repo.attachments(lid)) == ["a.txt", "cover.png"]
        for rid, revision in revisions_after_merge.items():
            assert revision in [info.revision for info in repo.history(rid)]  # history kept, not rewritten
        assert result.entry.undone and store.merges()[0].undone
        assert store.merged_into(sid) == []
        with pytest.raises(MergeRefused, match="undone already"):
            store.undo(merge_id)
    finally:
        repo.close()


def test_undo_is_refused_when_a_record_changed_since(repo: RecordRepository) -> None:
    world = _world(repo)
    store = MergeStore(repo)
    merge_id = store.merge(world["survivor"].id, world["loser"].id, user="", authorize=_allow).entry.id
    edited = repo.get(world["citing"].id)
    assert edited is not None
    repo.save(edited.with_fields(summary="edited after the merge"))
    with pytest.raises(MergeRefused, match="Clinic letters"):
        store.undo(merge_id)
    assert repo.get(world["loser"].id).deleted  # type: ignore[union-attr]


def test_a_refused_merge_writes_nothing(repo: RecordRepository) -> None:
    world = _world(repo)
    seq = repo.last_seq()
    pending = repo.pending_outbox_count()
    with pytest.raises(MergeRefused, match="Librarians merge"):
        MergeStore(repo).merge(
            world["survivor"].id,
            world["loser"].id,
            user="sipho",
            authorize=lambda records: check_may_merge(records, "sipho", "staff"),
        )
    assert repo.last_seq() == seq and repo.pending_outbox_count() == pending
    assert MergeStore(repo).merges() == []
    assert not repo.get(world["loser"].id).deleted  # type: ignore[union-attr]


def test_records_of_different_kinds_or_in_the_trash_are_not_merged(repo: RecordRepository) -> None:
    article = make_record(Kind.ARTICLE, "A")
    case = make_record(Kind.CASE_STUDY, "A")
    gone = make_record(Kind.CASE_STUDY, "B")
    repo.save_many([article, case, gone])
    repo.delete(gone.id)
    store = MergeStore(repo)
    with pytest.raises(MergeRefused, match="same kind"):
        store.merge(article.id, case.id, user="", authorize=_allow)
    with pytest.raises(MergeRefused, match="trash"):
        store.merge(case.id, gone.id, user="", authorize=_allow)


def test_duplicate_facts_read_from_the_columns(repo: RecordRepository) -> None:
    expert = make_record(Kind.EXPERT, "Thandi")
    article = make_record(
        Kind.ARTICLE,
        "Reposted",
        fields={"date": "2024-07-09", "url": "https://www.example.gov/a/"},
        links=(Link(Relation.AUTHOR, expert.id),),
    )
    repo.save_many([expert, article])
    [facts] = MergeStore(repo).duplicate_facts()
    assert facts.id == article.id and facts.url == "example.gov/a" and facts.year == 2024
    assert facts.authors == frozenset({f"id:{expert.id}"})
