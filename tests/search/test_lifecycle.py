"""The index as a cache of the store: apply, delete, catch up, check, rebuild and recover (R10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation
from desktop.search import SCHEMA_VERSION, SearchIndex
from desktop.search.stamp import STAMP_NAME, read_stamp
from desktop.store import RecordRepository
from tests.search.conftest import ids, rid


def _assert_equal_to_store(index: SearchIndex, store: RecordRepository) -> None:
    check = index.check(store)
    assert (check.missing, check.stale, check.ghost) == (0, 0, 0), check
    assert check.ok and check.watermark == store.last_seq()
    assert index.indexed_revisions() == {r.id: r.revision for r in store.iter_records()}


def test_built_index_equals_store_and_is_stamped(
    index: SearchIndex, store: RecordRepository, tmp_path: Path
) -> None:
    _assert_equal_to_store(index, store)
    stamp = read_stamp(tmp_path / "index")
    assert (
        stamp is not None and stamp.schema_version == SCHEMA_VERSION and stamp.watermark == store.last_seq()
    )
    assert (tmp_path / "index" / stamp.generation).is_dir()


def test_apply_update_is_visible_immediately(index: SearchIndex, store: RecordRepository) -> None:
    assert index.search("aquifer").total == 0
    record = store.get(rid("sanitation-case"))
    assert record is not None
    changes = store.save(record.with_fields(title="Aquifer recharge in Khayelitsha"))
    index.apply(changes, store)
    assert ids(index.search("aquifer").hits) == [rid("sanitation-case")]
    assert rid("sanitation-case") not in ids(index.search("community-led").hits)
    _assert_equal_to_store(index, store)


def test_repeated_edits_reuse_readers_without_double_counting(
    index: SearchIndex, store: RecordRepository
) -> None:
    # Each autosave adds a segment and marks the old version deleted in an older one; the
    # searcher keeps its readers of unchanged segments and must see every new deletion set.
    record = store.get(rid("sanitation-case"))
    assert record is not None
    for n, word in enumerate(("aquifer", "borehole", "cistern", "desalination")):
        record = store.get(rid("sanitation-case")) or record
        index.apply(store.save(record.with_fields(title=f"{word.title()} works in Khayelitsha")), store)
        assert ids(index.search(word).hits) == [rid("sanitation-case")]
        assert index.search("Khayelitsha").total == len(ids(index.search("Khayelitsha").hits))
        assert ids(index.search("Khayelitsha").hits).count(rid("sanitation-case")) == 1
        assert index.doc_count() == len(list(store.iter_records())), n
    assert index.search("aquifer").total == 0
    index.optimize()
    assert index.segment_count() == 1
    assert ids(index.search("desalination").hits) == [rid("sanitation-case")]
    assert ids(index.search('"desalination works"').hits) == [rid("sanitation-case")]  # inlined positions
    _assert_equal_to_store(index, store)


def test_small_segments_are_merged_in_the_background(index: SearchIndex, store: RecordRepository) -> None:
    from desktop.search.index import MERGE_AFTER_SEGMENTS

    for n in range(MERGE_AFTER_SEGMENTS + 3):
        record = store.get(rid("sanitation-case"))
        assert record is not None
        index.apply(store.save(record.with_fields(title=f"Khayelitsha works {n} xyzzy{n}")), store)
        assert ids(index.search(f"xyzzy{n}").hits) == [rid("sanitation-case")]
    merger = index._merger
    assert merger is not None
    merger.join()
    assert index.segment_count() <= MERGE_AFTER_SEGMENTS
    assert ids(index.search(f"xyzzy{MERGE_AFTER_SEGMENTS + 2}").hits) == [rid("sanitation-case")]
    assert index.search("xyzzy0").total == 0
    _assert_equal_to_store(index, store)


def test_delete_removes(index: SearchIndex, store: RecordRepository) -> None:
    index.apply(store.delete(rid("handbook")), store)
    assert index.search("9780306406157").total == 0
    assert rid("handbook") not in ids(index.search("handbook").hits)
    _assert_equal_to_store(index, store)


def test_renamed_expert_reindexes_what_links_to_them(index: SearchIndex, store: RecordRepository) -> None:
    expert = store.get(rid("thandi"))
    assert expert is not None
    index.apply(store.save(expert.with_fields(name="Thandiwe Nkosi-Mbeki")), store)
    facets = dict(index.search("Khayelitsha").facets["author"])
    assert facets == {"Thandiwe Nkosi-Mbeki": 1}


def test_catch_up_after_the_watermark_falls_behind(index: SearchIndex, store: RecordRepository) -> None:
    # Writes the index never heard of (a crash between store commit and index update).
    store.save(Record(rid("new-1"), Kind.ARTICLE, {"title": "Borehole maintenance schedules"}))
    store.delete(rid("cafe"))
    check = index.check(store)
    assert check.watermark < check.store_seq and check.missing == 1 and check.ghost == 1
    assert index.catch_up(store) == 2
    assert ids(index.search("borehole").hits) == [rid("new-1")]
    _assert_equal_to_store(index, store)


def test_apply_also_picks_up_missed_changes(index: SearchIndex, store: RecordRepository) -> None:
    store.save(Record(rid("missed"), Kind.ARTICLE, {"title": "Missed greywater note"}))
    changes = store.save(Record(rid("seen"), Kind.ARTICLE, {"title": "Seen greywater note"}))
    index.apply(changes, store)
    assert set(ids(index.search("greywater").hits)) == {rid("missed"), rid("seen")}
    _assert_equal_to_store(index, store)


def test_vocabulary_edit_changes_expansion_at_once(index: SearchIndex, store: RecordRepository) -> None:
    assert rid("dataviz") not in ids(index.search("civic data").hits)
    term = store.get(rid("open-data"))
    assert term is not None
    index.apply(store.save(term.with_fields(alt_labels=["civic data"])), store)
    assert rid("dataviz") in ids(index.search("civic data").hits)


def test_schema_version_mismatch_rebuilds(
    index: SearchIndex, store: RecordRepository, tmp_path: Path
) -> None:
    stamp_path = tmp_path / "index" / STAMP_NAME
    data = json.loads(stamp_path.read_text())
    data["schema_version"] = SCHEMA_VERSION - 1
    stamp_path.write_text(json.dumps(data))
    index.close()
    reopened = SearchIndex.open(tmp_path / "index", store)
    assert not reopened.ready
    readiness = reopened.ensure_ready(store, procs=1)
    assert readiness.action == "rebuilt" and "schema version" in readiness.reason
    _assert_equal_to_store(reopened, store)
    reopened.close()


def test_garbage_in_the_index_folder_rebuilds(
    index: SearchIndex, store: RecordRepository, tmp_path: Path
) -> None:
    stamp = read_stamp(tmp_path / "index")
    assert stamp is not None
    index.close()
    for path in (tmp_path / "index" / stamp.generation).iterdir():
        path.write_bytes(b"\x00garbage" * 10)
    reopened = SearchIndex.open(tmp_path / "index", store)
    readiness = reopened.ensure_ready(store, procs=1)
    assert readiness.action == "rebuilt", readiness
    _assert_equal_to_store(reopened, store)
    assert [p.name for p in (tmp_path / "index").iterdir() if p.is_dir()] == [
        read_stamp(tmp_path / "index").generation
    ]  # type: ignore[union-attr]
    reopened.close()


def test_missing_generation_and_broken_stamp_rebuild(
    index: SearchIndex, store: RecordRepository, tmp_path: Path
) -> None:
    index.close()
    (tmp_path / "index" / STAMP_NAME).write_text("{not json")
    reopened = SearchIndex.open(tmp_path / "index", store)
    assert reopened.ensure_ready(store, procs=1).action == "rebuilt"
    _assert_equal_to_store(reopened, store)
    reopened.close()


def test_held_write_lock_is_abandoned_with_its_generation(
    index: SearchIndex, store: RecordRepository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stamp = read_stamp(tmp_path / "index")
    assert stamp is not None
    index.close()
    monkeypatch.setattr("desktop.search.index.LOCK_WAIT", 0.3)
    # A writer that hangs (whoosh #141 / #323): start-up gives up waiting and builds a new
    # generation, but leaves the hung writer's folder alone while it still holds the lock.
    from whoosh.filedb.filestore import FileStorage

    stuck = FileStorage(str(tmp_path / "index" / stamp.generation)).open_index().writer()
    try:
        reopened = SearchIndex.open(tmp_path / "index", store)
        readiness = reopened.ensure_ready(store, procs=1)
        assert readiness.action == "rebuilt" and "lock" in readiness.reason
        _assert_equal_to_store(reopened, store)
        new_stamp = read_stamp(tmp_path / "index")
        assert new_stamp is not None and new_stamp.generation != stamp.generation
        assert (tmp_path / "index" / stamp.generation).is_dir(), "a generation in use is never removed"
    finally:
        stuck.cancel()
    reopened.rebuild(store, procs=1)
    assert not (tmp_path / "index" / stamp.generation).exists(), "removed once its writer let go"
    reopened.close()


def test_a_merge_in_another_process_is_waited_for_not_rebuilt(
    index: SearchIndex, store: RecordRepository, tmp_path: Path
) -> None:
    # The CI failure this guards: one process's background merge held the whoosh lock while
    # the other started, rebuilt, and removed the folder the first was still writing to.
    import threading

    from whoosh.filedb.filestore import FileStorage

    stamp = read_stamp(tmp_path / "index")
    assert stamp is not None
    index.close()
    merging = FileStorage(str(tmp_path / "index" / stamp.generation)).open_index().writer()
    releaser = threading.Timer(0.4, merging.cancel)
    releaser.start()
    reopened = SearchIndex.open(tmp_path / "index", store)
    readiness = reopened.ensure_ready(store, procs=1)
    releaser.join()
    assert readiness.action == "ok", readiness
    assert read_stamp(tmp_path / "index") == stamp
    reopened.close()


def test_a_rebuild_by_another_process_is_followed(
    index: SearchIndex, store: RecordRepository, tmp_path: Path
) -> None:
    # Two processes share the index folder; the other one rebuilds (imbizo reindex) while we
    # are open. Our next write must go to the new generation, not the removed one.
    other = SearchIndex.open(tmp_path / "index", store)
    other.ensure_ready(store, procs=1)
    other.rebuild(store, procs=1)
    record = store.get(rid("dataviz"))
    assert record is not None
    index.apply(store.save(record.with_fields(title="Dashboards for councillors")), store)
    assert ids(index.search("councillors").hits) == [rid("dataviz")]
    stamp = read_stamp(tmp_path / "index")
    assert stamp is not None and stamp.watermark == store.last_seq()
    other.close()
    index.close()
    reopened = SearchIndex.open(tmp_path / "index", store)
    assert reopened.ensure_ready(store, procs=1).action == "ok"
    _assert_equal_to_store(reopened, store)
    reopened.close()


def test_startup_repairs_a_few_wrong_documents(
    index: SearchIndex, store: RecordRepository, tmp_path: Path
) -> None:
    # The stamp claims the index is current, but one record changed without reaching it.
    record = store.get(rid("dataviz"))
    assert record is not None
    store.save(record.with_fields(title="Dashboards for councillors"))
    stamp = read_stamp(tmp_path / "index")
    assert stamp is not None
    data = json.loads((tmp_path / "index" / STAMP_NAME).read_text())
    data["watermark"] = store.last_seq()
    (tmp_path / "index" / STAMP_NAME).write_text(json.dumps(data))
    index.close()
    reopened = SearchIndex.open(tmp_path / "index", store)
    readiness = reopened.ensure_ready(store, procs=1)
    assert readiness.action == "repaired" and readiness.check.ok
    assert ids(reopened.search("councillors").hits) == [rid("dataviz")]
    reopened.close()


def test_rebuild_with_two_processes_equals_store(index: SearchIndex, store: RecordRepository) -> None:
    more = [
        Record(
            rid(f"bulk-{n}"),
            Kind.ARTICLE,
            {"title": f"Bulk article {n} on stormwater"},
            links=(Link(Relation.AUTHOR, rid("sipho")),),
        )
        for n in range(120)
    ]
    store.save_many(more)
    assert index.rebuild(store, procs=2) == 12 + 120
    _assert_equal_to_store(index, store)
    result = index.search("stormwater", limit=3)
    assert result.total == 120 and dict(result.facets["author"]) == {"Sipho Dlamini": 120}


def test_a_large_vocabulary_does_not_crowd_out_knowledge(index: SearchIndex, store: RecordRepository) -> None:
    # Ten EuroVoc-like terms with "water" in their one-word-heavy labels, one case study about water.
    terms = [
        Record(
            id=rid(f"water-term-{n}"), kind=Kind.TERM, fields={"label": f"water {word}", "scheme": "eurovoc"}
        )
        for n, word in enumerate(
            ("supply", "quality", "treatment", "resources", "policy", "law", "pollution")
        )
    ]
    study = Record(
        id=rid("water-kiosks"),
        kind=Kind.CASE_STUDY,
        fields={
            "title": "Prepaid kiosks cut queues at the standpipes of two informal settlements for water",
            "summary": "Residents buy credit at the kiosk and collect at any hour.",
        },
    )
    index.apply(store.save_many([*terms, study]), store)
    hits = index.search("water", kinds=[Kind.TERM, Kind.CASE_STUDY], limit=20).hits
    assert hits[0].id == rid("water-kiosks")
    assert {h.id for h in hits} >= {t.id for t in terms}, "terms stay findable"


def test_a_big_backlog_is_rebuilt_not_caught_up(
    index: SearchIndex, store: RecordRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another process imported many records while this index was closed: catching them up one
    # writer at a time is far slower than a rebuild on both cores.
    monkeypatch.setattr("desktop.search.index.REBUILD_BACKLOG_MIN", 10)
    many = [
        Record(id=rid(f"bulk-{n}"), kind=Kind.ARTICLE, fields={"title": f"Bulk import item {n}"})
        for n in range(40)
    ]
    store.save_many(many)
    readiness = index.ensure_ready(store, procs=1)
    assert readiness.action == "rebuilt"
    assert "changes to catch up" in readiness.reason
    _assert_equal_to_store(index, store)


def test_a_small_backlog_is_caught_up_in_place(index: SearchIndex, store: RecordRepository) -> None:
    store.save(Record(id=rid("one-more"), kind=Kind.ARTICLE, fields={"title": "One more item"}))
    assert index.ensure_ready(store, procs=1).action == "caught_up"
    _assert_equal_to_store(index, store)
