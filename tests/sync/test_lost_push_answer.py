"""A push whose answer never arrived, then a newer local edit: no conflict with oneself (found by R4).

The sync is killed after the server stored a pushed version but before the profile
recorded the answer; the person edits the record again; the next sync pushes the newer
version. The server's version is the profile's own earlier one (or the server's child of
it), so both sides share it: the newer edit goes up cleanly, no conflict is opened and
nothing typed is set aside.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from desktop.core.kinds import Kind
from desktop.core.records import Record, Status, new_record_id
from desktop.store.replica import StoreReplica


def _push_without_answer(profile: Any) -> None:
    """Push what is pending, as a sync would, and drop the answer (the process was killed)."""
    client = profile.service.client()
    try:
        client.push(StoreReplica(profile.session.store).pending_changes(50))
    finally:
        client.close()


@pytest.mark.parametrize(
    "first_push, status",
    [(False, Status.DRAFT), (True, Status.DRAFT), (True, Status.PUBLISHED)],
    ids=["edit", "new record", "new record the server makes a draft"],
)
def test_an_edit_after_a_lost_push_answer_goes_up_without_a_conflict(
    make_client: Callable[..., Any], first_push: bool, status: Status
) -> None:
    laptop = make_client("alice", label="laptop")
    desktop = make_client("alice", label="desktop")
    record = Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": "Pump rota"}, status=status)
    laptop.session.save(record)
    if not first_push:
        laptop.service.sync()
        laptop.session.save(laptop.session.store.get(record.id).with_fields(summary="second"))
    _push_without_answer(laptop)
    current = laptop.session.store.get(record.id)
    laptop.session.save(current.with_fields(summary="third", lessons="ask the caretaker"))

    report = laptop.service.sync()
    assert report.conflicts == 0 and not laptop.service.conflicts()
    assert laptop.service.status().pending == 0 and report.verified
    desktop.service.sync()
    arrived = desktop.session.store.get(record.id)
    assert arrived is not None
    assert (arrived.fields["summary"], arrived.fields["lessons"]) == ("third", "ask the caretaker")


@pytest.mark.parametrize("first_push", [False, True], ids=["edit", "new record the server gives an owner"])
def test_a_delete_after_a_lost_push_answer_is_not_a_conflict(
    make_client: Callable[..., Any], first_push: bool
) -> None:
    laptop = make_client("alice")
    record = Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": "Old rota"})
    laptop.session.store.save(record)  # no owner yet: the server names one at the first push
    if not first_push:
        laptop.service.sync()
        laptop.session.save(laptop.session.store.get(record.id).with_fields(summary="edited"))
    _push_without_answer(laptop)
    laptop.session.delete(record.id)
    report = laptop.service.sync()
    assert report.conflicts == 0 and not laptop.service.conflicts()
    assert laptop.session.store.get(record.id).deleted
    assert laptop.service.status().pending == 0 and report.verified


def test_a_delete_while_the_push_is_under_way_is_kept(make_client: Callable[..., Any]) -> None:
    """The answer arrives after the record was deleted here: the deletion is pushed next, not undone."""
    laptop = make_client("alice", label="laptop")
    desktop = make_client("alice", label="desktop")
    record = Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": "Scratch"})
    laptop.session.store.save(record)  # no owner yet: the server names one (a new revision)
    replica = StoreReplica(laptop.session.store)
    client = laptop.service.client()
    changes = replica.pending_changes(50)
    answer = client.push(changes)
    client.close()
    laptop.session.delete(record.id)  # while the answer was on its way
    replica.apply_push_results(changes, answer.results)
    assert laptop.session.store.get(record.id).deleted

    report = laptop.service.sync()
    assert report.conflicts == 0 and laptop.service.status().pending == 0
    desktop.service.sync()
    assert desktop.session.store.get(record.id).deleted


def test_an_edit_by_another_device_still_conflicts(make_client: Callable[..., Any]) -> None:
    """The shared version is only ever one this profile made: a real clash is still a conflict."""
    laptop = make_client("alice", label="laptop")
    desktop = make_client("alice", label="desktop")
    record = Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": "Rota"})
    laptop.session.save(record)
    laptop.service.sync()
    desktop.service.sync()
    desktop.session.save(desktop.session.store.get(record.id).with_fields(title="Desktop's rota"))
    desktop.service.sync()
    laptop.session.save(laptop.session.store.get(record.id).with_fields(title="Laptop's rota"))
    assert laptop.service.sync().conflicts == 1
