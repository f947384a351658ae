"""A file detached while the sync uploads it is left out; the sync goes on (found by R4).

The person removes an attachment while a sync is running: its bytes leave the profile
(no other record uses them) before the sync gets to read them. The sync must not stop
with an error: the record no longer refers to the file, so it goes up without it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.core.kinds import Kind
from desktop.core.records import Record, new_record_id


def test_a_file_detached_while_the_sync_uploads_it_is_left_out(make_client: Callable[..., Any]) -> None:
    laptop = make_client("alice", label="laptop")
    desktop = make_client("alice", label="desktop")
    record = Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": "Meter photos"})
    laptop.session.save(record)
    kept = laptop.session.store.add_attachment(record.id, b"k" * 3000, "kept.bin", "application/octet-stream")
    gone = laptop.session.store.add_attachment(record.id, b"g" * 5000, "gone.bin", "application/octet-stream")

    def detach_first(step: str, done: int, _total: int) -> None:
        if step == "upload" and done == 1:
            laptop.session.remove_attachment(record.id, gone.sha256)

    report = laptop.service.sync(progress=detach_first)
    assert report.verified and laptop.service.status().pending == 0
    desktop.service.sync()
    assert [a.sha256 for a in desktop.session.attachments(record.id)] == [kept.sha256]
    assert desktop.session.blob_path(kept.sha256).read_bytes() == b"k" * 3000
