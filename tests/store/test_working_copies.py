"""Working copies: an editor's autosaved state, on a real SQLite store."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from desktop.core.editing import MAX_WORKING_COPY_CHARS
from desktop.core.kinds import Kind
from desktop.core.records import Record, new_record_id
from desktop.core.validation import ValidationError
from desktop.store import RecordRepository, open_store
from tests.store.conftest import make_record


def test_a_working_copy_round_trips(repo: RecordRepository) -> None:
    record = make_record(fields={"summary": "Half a thought", "district": "Amathole"}, tags=("water",))
    saved = repo.save_working_copy(record, "3-abc")
    loaded = repo.working_copy(record.id)
    assert loaded is not None
    assert loaded.record.content_hash() == record.content_hash()
    assert loaded.record.fields["summary"] == "Half a thought"
    assert loaded.base_revision == "3-abc"
    assert loaded.updated_at == saved.updated_at
    assert [wc.record.id for wc in repo.working_copies()] == [record.id]
    assert repo.working_copy(new_record_id()) is None


def test_a_working_copy_makes_no_revision_outbox_entry_or_change(repo: RecordRepository) -> None:
    record = make_record()
    repo.save(record)
    seq, outbox, history = repo.last_seq(), len(repo.outbox_entries()), len(repo.history(record.id))
    repo.save_working_copy(record.with_fields(summary="typing"), repo.get(record.id).revision)
    assert repo.last_seq() == seq
    assert len(repo.outbox_entries()) == outbox
    assert len(repo.history(record.id)) == history
    assert repo.get(record.id).fields.get("summary") is None


def test_the_latest_working_copy_replaces_the_previous_one(repo: RecordRepository) -> None:
    record = make_record()
    repo.save_working_copy(record.with_fields(summary="first"), "")
    repo.save_working_copy(record.with_fields(summary="second"), "")
    copies = repo.working_copies()
    assert len(copies) == 1
    assert copies[0].record.fields["summary"] == "second"


def test_a_draft_may_miss_required_fields_and_hold_a_half_typed_date(repo: RecordRepository) -> None:
    draft = Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": "", "date": "2024-0"})
    repo.save_working_copy(draft, "")
    loaded = repo.working_copy(draft.id)
    assert loaded is not None and loaded.record.fields["date"] == "2024-0"


def test_working_copies_survive_closing_the_store(profile: Path) -> None:
    record = make_record(fields={"lessons": "Keep the rota on the clinic door."})
    with open_store(profile) as store:
        store.save_working_copy(record, "")
    with open_store(profile) as store:
        loaded = store.working_copy(record.id)
    assert loaded is not None
    assert loaded.record.fields["lessons"] == "Keep the rota on the clinic door."


def test_discard_forgets_the_working_copy(repo: RecordRepository) -> None:
    record = make_record()
    repo.save_working_copy(record, "")
    repo.discard_working_copy(record.id)
    assert repo.working_copy(record.id) is None
    repo.discard_working_copy(record.id)  # nothing to discard is fine


def test_saving_the_same_content_removes_the_working_copy(repo: RecordRepository) -> None:
    record = make_record(fields={"summary": "Final words"})
    repo.save_working_copy(record, "")
    repo.save(record)
    assert repo.working_copy(record.id) is None


def test_saving_keeps_a_newer_working_copy(repo: RecordRepository) -> None:
    """The editor queued a save of version A, then autosaved B before the save ran: B must survive."""
    record = make_record(fields={"summary": "Version A"})
    newer = record.with_fields(summary="Version B, typed after the save was queued")
    repo.save_working_copy(newer, "")
    repo.save(record)
    loaded = repo.working_copy(record.id)
    assert loaded is not None
    assert loaded.record.fields["summary"] == "Version B, typed after the save was queued"


def test_saving_many_removes_only_the_equal_working_copies(repo: RecordRepository) -> None:
    same, other = make_record(title="Same"), make_record(title="Other")
    repo.save_working_copy(same, "")
    repo.save_working_copy(other.with_fields(summary="draft"), "")
    repo.save_many([same, other])
    assert repo.working_copy(same.id) is None
    assert repo.working_copy(other.id) is not None


def test_an_unchanged_save_still_removes_an_equal_working_copy(repo: RecordRepository) -> None:
    record = make_record()
    repo.save(record)
    repo.save_working_copy(record, repo.get(record.id).revision)
    changes = repo.save(record)
    assert changes.unchanged == (record.id,)
    assert repo.working_copy(record.id) is None


def test_a_huge_working_copy_gets_a_clear_error(repo: RecordRepository) -> None:
    record = make_record(fields={"title": "x" * 5_000})
    with pytest.raises(ValidationError, match="Title is too long"):
        repo.save_working_copy(record, "")
    sections = {
        name: "y" * 2_000_000 for name in ("summary", "context", "approach", "results", "lessons", "body")
    }
    assert sum(map(len, sections.values())) >= MAX_WORKING_COPY_CHARS  # each field within its own limit
    with pytest.raises(ValidationError, match="too large to autosave"):
        repo.save_working_copy(make_record(fields=sections), "")
    assert repo.working_copies() == []


def test_an_invalid_working_copy_gets_a_clear_error(repo: RecordRepository) -> None:
    with pytest.raises(ValidationError, match="not a field of a case_study"):
        repo.save_working_copy(make_record(fields={"colour": "blue"}), "")
    with pytest.raises(ValidationError, match="cannot be stored"):
        repo.save_working_copy(make_record(fields={"summary": object()}), "")
    with pytest.raises(ValidationError, match="too many items"):
        repo.save_working_copy(make_record(fields={"organisations": ["a"] * 3_000}), "")
    assert repo.working_copies() == []


def test_a_working_copy_does_not_wait_for_the_write_lock(repo: RecordRepository) -> None:
    """An import holding the profile's write lock must not block an autosave."""
    record = make_record()
    done = threading.Event()
    failures: list[BaseException] = []

    def autosave() -> None:
        try:
            repo.save_working_copy(record, "")
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)
        done.set()

    with repo.writing():  # held by this thread, as a long import would
        worker = threading.Thread(target=autosave)
        worker.start()
        assert done.wait(3.0), "the autosave waited for the write lock"
    worker.join()
    assert not failures
    assert repo.working_copy(record.id) is not None
