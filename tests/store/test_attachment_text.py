"""Attachment text: pending work, storing the outcome, bulk reads for the index; no revision, no outbox."""

from __future__ import annotations

import pytest

from desktop.store import RecordRepository
from desktop.store.attachment_text import TEXT_DONE, TEXT_FAILED, TEXT_NONE
from tests.store.conftest import make_record


def test_text_is_stored_without_a_revision_or_outbox_entry(repo: RecordRepository) -> None:
    record = make_record()
    repo.save(record)
    info = repo.add_attachment(record.id, b"%PDF-1.4 pretend", "report.pdf", "application/pdf")
    assert info.text_state == "pending"
    assert [a.sha256 for a in repo.pending_text_attachments(10)] == [info.sha256]
    history, outbox, seq = len(repo.history(record.id)), len(repo.outbox_entries()), repo.last_seq()
    revision = repo.history(record.id)[0].revision

    assert repo.set_attachment_text(record.id, info.sha256, "borehole pump minutes", TEXT_DONE)

    assert len(repo.history(record.id)) == history and len(repo.outbox_entries()) == outbox
    assert repo.last_seq() == seq + 1  # the record moved in the change feed, so the index re-reads it
    assert repo.changes_since(seq)[0].record_id == record.id
    stored = repo.get(record.id)
    assert stored is not None and stored.revision == revision
    assert repo.pending_text_attachments(10) == []
    assert repo.attachments(record.id)[0].text_state == TEXT_DONE
    assert repo.attachment_text(record.id, info.sha256) == "borehole pump minutes"


def test_failed_and_none_states_do_not_move_the_record(repo: RecordRepository) -> None:
    record = make_record()
    repo.save(record)
    a = repo.add_attachment(record.id, b"\x89PNG fake", "photo.png", "image/png")
    b = repo.add_attachment(record.id, b"%PDF locked", "locked.pdf", "application/pdf")
    seq = repo.last_seq()
    assert repo.set_attachment_text(record.id, a.sha256, None, TEXT_NONE)
    assert repo.set_attachment_text(record.id, b.sha256, "The PDF is protected by a password.", TEXT_FAILED)
    assert repo.last_seq() == seq
    texts = repo.attachment_texts([record.id])
    assert texts == {record.id: [("photo.png", ""), ("locked.pdf", "")]}  # a failure reason is never indexed


def test_unknown_attachment_or_state(repo: RecordRepository) -> None:
    record = make_record()
    repo.save(record)
    assert not repo.set_attachment_text(record.id, "0" * 64, "text", TEXT_DONE)
    with pytest.raises(ValueError, match="state"):
        repo.set_attachment_text(record.id, "0" * 64, "text", "maybe")


def test_bulk_texts_for_many_records_are_capped(repo: RecordRepository) -> None:
    records = [make_record(title=f"Record {n}") for n in range(1200)]
    repo.save_many(records)
    for record in records[::100]:
        info = repo.add_attachment(record.id, record.id.encode(), f"{record.id}.txt", "text/plain")
        repo.set_attachment_text(record.id, info.sha256, "x" * 50 + record.id, TEXT_DONE)
    texts = repo.attachment_texts([r.id for r in records], max_chars=40)
    assert set(texts) == {r.id for r in records[::100]}
    assert all(items[0][1] == "x" * 40 for items in texts.values())


def test_pending_skips_deleted_records(repo: RecordRepository) -> None:
    live, gone = make_record(title="Live"), make_record(title="Gone")
    repo.save_many([live, gone])
    repo.add_attachment(live.id, b"live text", "a.txt", "text/plain")
    repo.add_attachment(gone.id, b"gone text", "b.txt", "text/plain")
    repo.delete(gone.id)
    assert [a.record_id for a in repo.pending_text_attachments(10)] == [live.id]
    assert len(repo.pending_text_attachments(0)) == 0
