"""The deletion fail-safe counts only deletions of records a device could hold (found by R4).

A device that was away while another device of the same person made and deleted many
short-lived records must not be told "this sync would delete 23 of your 11 records":
it never had them, so the pull deletes nothing of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.core.kinds import Kind
from desktop.core.records import Record, new_record_id


def _note(title: str) -> Record:
    return Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": title})


def test_records_made_and_deleted_while_a_device_was_away_are_not_its_deletions(
    make_client: Callable[..., Any],
) -> None:
    laptop = make_client("alice", label="laptop")
    desktop = make_client("alice", label="desktop")
    kept = [_note(f"kept {n}") for n in range(5)]
    for record in kept:
        laptop.session.save(record)
    laptop.service.sync()
    desktop.service.sync()

    short_lived = [_note(f"scratch {n}") for n in range(25)]
    for record in short_lived:
        laptop.session.save(record)
    laptop.service.sync()
    for record in short_lived:
        laptop.session.delete(record.id)
    laptop.service.sync()

    report = desktop.service.sync()  # would raise DeletionFailsafeError if the 25 counted
    assert report.verified
    assert all(desktop.session.store.get(r.id) is not None for r in kept)


def test_deleting_most_of_what_a_device_holds_still_asks_first(make_client: Callable[..., Any]) -> None:
    import pytest

    from sync.engine import DeletionFailsafeError

    laptop = make_client("alice", label="laptop")
    desktop = make_client("alice", label="desktop")
    records = [_note(f"note {n}") for n in range(30)]
    for record in records:
        laptop.session.save(record)
    laptop.service.sync()
    desktop.service.sync()
    for record in records[:25]:
        laptop.session.delete(record.id)
    laptop.service.sync()
    with pytest.raises(DeletionFailsafeError):
        desktop.service.sync()
    assert all(not desktop.session.store.get(r.id).deleted for r in records)
