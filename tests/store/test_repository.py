"""The repository's records: revisions, links, tombstones, the change feed, the outbox, paging."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from desktop.core.kinds import Kind
from desktop.core.ports import RecordStore
from desktop.core.records import Link, Relation, revision_id
from desktop.core.validation import ValidationError
from desktop.store import RecordNotFoundError, RecordRepository, open_store, queries
from tests.store.conftest import make_record


def test_repository_satisfies_the_record_store_protocol(repo: RecordRepository) -> None:
    store: RecordStore = repo  # mypy checks the structure; the loop checks at run time
    for name in RecordStore.__dict__:
        if not name.startswith("_"):
            assert callable(getattr(store, name)), name


def test_save_creates_then_updates_with_revisions(repo: RecordRepository) -> None:
    record = make_record(links=(Link(Relation.AUTHOR, "expert-1"),))
    first = repo.save(record)
    assert first.created == (record.id,) and first.seq == 1
    stored = repo.get(record.id)
    assert stored is not None
    assert stored.revision == revision_id(1, record.content_hash())
    assert stored.parent_revision == "" and stored.created_at and stored.updated_at

    again = repo.save(stored)  # same content (revision fields are not content)
    assert again.unchanged == (record.id,) and again.empty and again.seq == 1

    edited = stored.with_fields(summary="Shorter queues with SMS reminders")
    second = repo.save(edited)
    assert second.updated == (record.id,) and second.seq == 2
    now = repo.get(record.id)
    assert now is not None
    assert now.revision.startswith("2-") and now.parent_revision == stored.revision
    assert now.created_at == stored.created_at
    assert [h.revision for h in repo.history(record.id)] == [now.revision, stored.revision]
    assert repo.history(record.id)[1].record.fields == record.fields


def test_links_are_replaced_and_backlinks_show_live_sources_only(repo: RecordRepository) -> None:
    expert = make_record(Kind.EXPERT, "Thandi Nkosi")
    study = make_record(links=(Link(Relation.AUTHOR, expert.id), Link(Relation.CITES, "not-here-yet")))
    other = make_record(title="Other", links=(Link(Relation.PARTICIPANT, expert.id),))
    repo.save_many([study, other])  # the expert arrives later: links may dangle
    assert {b.source_id for b in repo.backlinks(expert.id)} == {study.id, other.id}
    assert repo.backlinks("not-here-yet")[0].relation is Relation.CITES
    repo.save(study.with_changes(links=(Link(Relation.CITES, "elsewhere"),)))
    assert [b.source_id for b in repo.backlinks(expert.id)] == [other.id]
    repo.delete(other.id)
    assert repo.backlinks(expert.id) == []
    backlink = repo.backlinks("elsewhere")[0]
    assert (backlink.source_kind, backlink.source_title) == (Kind.CASE_STUDY, "Clinic queues")


def test_linking_to_many_targets_at_once_names_each_live_source_once(repo: RecordRepository) -> None:
    experts = [make_record(Kind.EXPERT, f"Expert {n}") for n in range(3)]
    both = make_record(
        title="Both", links=(Link(Relation.AUTHOR, experts[0].id), Link(Relation.AUTHOR, experts[1].id))
    )
    one = make_record(title="One", links=(Link(Relation.PARTICIPANT, experts[1].id),))
    gone = make_record(title="Gone", links=(Link(Relation.AUTHOR, experts[0].id),))
    repo.save_many([*experts, both, one, gone])
    repo.delete(gone.id)
    assert repo.linking_to([experts[0].id, experts[1].id]) == {both.id, one.id}
    assert repo.linking_to([experts[2].id]) == set() and repo.linking_to([]) == set()
    many = [experts[0].id] + [f"missing-{n}" for n in range(1200)]  # more than one query's worth
    assert repo.linking_to(many) == {both.id}


def test_delete_makes_a_tombstone_and_undelete_restores(repo: RecordRepository) -> None:
    record = make_record()
    repo.save(record)
    changes = repo.delete(record.id)
    assert changes.deleted == (record.id,)
    tomb = repo.get(record.id)
    assert tomb is not None and tomb.deleted and tomb.revision.startswith("2-")
    assert repo.count() == 0 and [r.id for r in repo.trash()] == [record.id]
    assert repo.delete(record.id).unchanged == (record.id,)
    assert repo.undelete(record.id).updated == (record.id,)
    assert repo.count() == 1 and repo.trash() == []
    assert [e.op for e in repo.outbox_entries()] == ["upsert", "delete", "upsert"]
    with pytest.raises(RecordNotFoundError):
        repo.delete("missing")


def test_invalid_record_raises_before_anything_is_written(repo: RecordRepository) -> None:
    good = make_record()
    bad = make_record(fields={"year": "not a field of a case study"})
    with pytest.raises(ValidationError):
        repo.save_many([good, bad])
    assert repo.get(good.id) is None and repo.last_seq() == 0 and repo.outbox_entries() == []


def test_save_many_is_all_or_nothing_on_a_database_error(repo: RecordRepository) -> None:
    repo.save(make_record(id="taken"))
    records = [make_record(title=f"Item {n}") for n in range(50)]
    # Sabotage the 30th insert at the SQL level: a trigger that aborts the transaction.
    with repo.engine.begin() as connection:
        connection.exec_driver_sql(
            f"CREATE TRIGGER boom BEFORE INSERT ON records WHEN NEW.id = '{records[29].id}' "
            "BEGIN SELECT RAISE(ABORT, 'boom'); END"
        )
    with pytest.raises(Exception, match="boom"):
        repo.save_many(records)
    assert repo.get_many(r.id for r in records) == {}
    assert repo.last_seq() == 1 and len(repo.outbox_entries()) == 1
    with repo.engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER boom")
    changes = repo.save_many(records)
    assert len(changes.created) == 50 and changes.seq == 51


def test_change_feed_orders_by_seq_one_entry_per_record(repo: RecordRepository) -> None:
    a, b = make_record(title="A"), make_record(title="B")
    repo.save_many([a, b])
    repo.save(a.with_fields(summary="edited"))
    repo.delete(b.id)
    entries = repo.changes_since(0)
    assert [(e.record_id, e.seq, e.deleted) for e in entries] == [(a.id, 3, False), (b.id, 4, True)]
    assert [e.record_id for e in repo.changes_since(3)] == [b.id]
    assert len(repo.changes_since(0, limit=1)) == 1
    assert repo.last_seq() == 4


def test_demo_records_never_reach_the_outbox(repo: RecordRepository) -> None:
    demo = make_record(demo=True)
    real = make_record()
    repo.save_many([demo, real])
    repo.save(demo.with_fields(summary="x"))
    repo.delete(demo.id)
    assert [e.record_id for e in repo.outbox_entries()] == [real.id]
    assert repo.pending_outbox_count() == 1
    entry = repo.outbox_entries()[0]
    assert entry.state == "pending" and entry.op == "upsert" and len(entry.change_id) == 36


def test_iter_records_streams_in_batches(repo: RecordRepository, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "BATCH_SIZE", 7)
    experts = [make_record(Kind.EXPERT, f"Expert {n}") for n in range(20)]
    studies = [make_record(title=f"Study {n}") for n in range(16)]
    repo.save_many(experts + studies)
    repo.delete(studies[0].id)
    iterator = repo.iter_records()
    next(iterator)
    assert len(list(iterator)) == 34
    assert len(list(repo.iter_records([Kind.EXPERT]))) == 20
    assert len(list(repo.iter_records([Kind.CASE_STUDY], include_deleted=True))) == 16
    assert repo.count() == 35 and repo.count(Kind.CASE_STUDY) == 15


def test_list_records_pages_and_orders(repo: RecordRepository) -> None:
    records = [make_record(title=f"Title {n:02d}") for n in range(25)]
    repo.save_many(records)
    page = repo.list_records(Kind.CASE_STUDY, offset=10, limit=10, order="title asc")
    assert [r.title for r in page] == [f"Title {n:02d}" for n in range(10, 20)]
    assert len(repo.list_records(limit=100)) == 25
    assert repo.list_records(order="title desc", limit=1)[0].title == "Title 24"
    with pytest.raises(ValueError, match="unknown order"):
        repo.list_records(order="id; DROP TABLE records")


def test_get_many_and_meta(repo: RecordRepository) -> None:
    records = [make_record(title=f"T{n}") for n in range(3)]
    repo.save_many(records)
    assert set(repo.get_many([records[0].id, "missing", records[2].id])) == {records[0].id, records[2].id}
    assert repo.get_meta("index.watermark") is None
    repo.set_meta("index.watermark", "3")
    assert repo.get_meta("index.watermark") == "3"
    with pytest.raises(ValueError):
        repo.set_meta("seq", "100")


def test_threads_share_one_repository(repo: RecordRepository) -> None:
    errors: list[BaseException] = []

    def work(lane: int) -> None:
        try:
            for n in range(15):
                record = make_record(title=f"lane {lane} item {n}")
                repo.save(record)
                assert repo.get(record.id) is not None
                repo.count()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(lane,)) for lane in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert repo.count() == 60 and repo.last_seq() == 60
    assert sorted(e.seq for e in repo.changes_since(0, limit=100)) == list(range(1, 61))


def test_reopen_keeps_everything(profile: Path) -> None:
    with open_store(profile) as first:
        record = make_record()
        first.save(record)
    with open_store(profile) as second:
        assert second.get(record.id) is not None and second.last_seq() == 1
