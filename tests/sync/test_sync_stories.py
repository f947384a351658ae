"""Sync stories: people on real profiles, editing offline, syncing with the real server (in-process).

Each story reads as what happens in an office: Thandi writes a case study offline,
Sipho edits it on his laptop, both sync; the checks are on what each person then has.
"""

from __future__ import annotations

import pytest
from PIL import Image

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, Status, new_record_id
from sync.engine import AccountMismatchError


def case_study(title: str, **fields: object) -> Record:
    values = {"title": title, "summary": "What we did", "district": "Northern Demo District"}
    values.update(fields)
    return Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields=values)


def test_a_case_study_written_offline_reaches_a_colleague(make_client) -> None:
    alice = make_client("alice")
    lib = make_client("lib")
    record = case_study("Standpipe tokens in Ward 9")
    alice.session.save(record)

    report = alice.service.sync()
    assert report.pushed == 1 and report.verified
    stored = alice.session.store.get(record.id)
    assert stored.owner == "alice" and stored.status is Status.DRAFT  # the server decides both
    assert alice.service.status().pending == 0

    lib_report = lib.service.sync()
    assert lib_report.pulled == 0  # a staff draft is not the librarian's to read
    assert lib.session.store.get(record.id) is None

    alice.session.save(stored.with_changes(status=Status.SUBMITTED))
    alice.service.sync()
    lib.service.sync()
    seen = lib.session.store.get(record.id)
    assert seen is not None and seen.status is Status.SUBMITTED
    assert [hit.id for hit in lib.session.search("standpipe tokens").hits] == [
        record.id
    ]  # indexed on arrival


def test_two_offline_edits_of_different_fields_merge(make_client) -> None:
    alice = make_client("alice")
    lib = make_client("lib")
    record = case_study("Clinic queue numbers")
    lib.session.save(record)
    lib.service.sync()  # a librarian's record is published: everyone reads it
    alice.service.sync()
    assert alice.session.store.get(record.id).status is Status.PUBLISHED

    mine = lib.session.store.get(record.id)
    lib.session.save(mine.with_fields(summary="Numbers handed out at the gate"))
    theirs = alice.session.store.get(record.id)
    alice.session.save(theirs.with_fields(district="Southern Demo District"))

    lib.service.sync()
    report = alice.service.sync()  # alice may not edit a published record: she proposes
    assert report.proposed == 1
    lib.service.sync()
    assert lib.session.store.get(record.id).fields["summary"] == "Numbers handed out at the gate"


def test_the_same_field_edited_on_two_machines_of_one_person_is_a_conflict_kept_both_ways(
    make_client,
) -> None:
    laptop = make_client("alice", label="laptop")
    desktop = make_client("alice", label="desktop")
    record = case_study("Borehole roster")
    laptop.session.save(record)
    laptop.service.sync()
    desktop.service.sync()

    laptop.session.save(laptop.session.store.get(record.id).with_fields(title="Borehole roster, Ward 7"))
    desktop.session.save(desktop.session.store.get(record.id).with_fields(title="Weekly borehole roster"))
    laptop.service.sync()
    report = desktop.service.sync()
    assert report.conflicts == 1
    [conflict] = desktop.service.conflicts()
    assert conflict.fields == ("title",)
    assert conflict.mine.fields["title"] == "Weekly borehole roster"
    assert (
        desktop.session.store.get(record.id).fields["title"] == "Borehole roster, Ward 7"
    )  # server's is current

    desktop.service.resolve(record.id, "mine")
    desktop.service.sync()
    laptop.service.sync()
    assert laptop.session.store.get(record.id).fields["title"] == "Weekly borehole roster"
    assert not desktop.service.conflicts()


def test_different_fields_on_two_machines_of_one_person_merge_cleanly(make_client) -> None:
    laptop = make_client("alice", label="laptop")
    desktop = make_client("alice", label="desktop")
    record = case_study("Water notices")
    laptop.session.save(record)
    laptop.service.sync()
    desktop.service.sync()
    laptop.session.save(
        laptop.session.store.get(record.id).with_changes(links=(Link(Relation.CITES, new_record_id()),))
    )
    desktop.session.save(desktop.session.store.get(record.id).with_fields(lessons="Test with residents"))
    laptop.service.sync()
    report = desktop.service.sync()
    assert report.merged == 1 and report.conflicts == 0
    laptop.service.sync()
    for profile in (laptop, desktop):
        final = profile.session.store.get(record.id)
        assert final.fields["lessons"] == "Test with residents" and len(final.links) == 1
    assert laptop.session.store.get(record.id).revision == desktop.session.store.get(record.id).revision


def test_a_delete_reaches_the_other_machine_and_an_edit_against_it_is_kept(make_client) -> None:
    laptop = make_client("alice", label="laptop")
    desktop = make_client("alice", label="desktop")
    gone, kept = case_study("To delete"), case_study("Edited while deleted")
    for record in (gone, kept):
        laptop.session.save(record)
    laptop.service.sync()
    desktop.service.sync()

    laptop.session.delete(gone.id)
    laptop.session.delete(kept.id)
    desktop.session.save(desktop.session.store.get(kept.id).with_fields(summary="Still needed"))
    laptop.service.sync()
    report = desktop.service.sync()
    assert desktop.session.store.get(gone.id).deleted  # in the trash, restorable
    assert report.conflicts == 1  # an edit against a deletion is never dropped
    [conflict] = desktop.service.conflicts()
    assert conflict.record_id == kept.id and conflict.mine.fields["summary"] == "Still needed"


def test_another_account_cannot_sync_a_profile_holding_unsynced_work(make_client) -> None:
    alice = make_client("alice")
    alice.session.save(case_study("Unsynced"))
    with pytest.raises(AccountMismatchError):
        alice.service.login("http://127.0.0.1", "bob", "correct horse battery")


def test_attachments_travel_with_their_record(make_client, tmp_path) -> None:
    laptop = make_client("alice", label="laptop")
    desktop = make_client("alice", label="desktop")
    record = case_study("Photos of the pump house")
    laptop.session.save(record)
    photo = tmp_path / "pump.png"
    Image.effect_noise((640, 480), 60).convert("RGB").save(photo)  # noise: it does not compress away
    info = laptop.session.add_attachment(record.id, photo)
    report = laptop.service.sync()
    assert report.uploaded == 1

    pulled = desktop.service.sync()
    assert pulled.downloaded == 1
    [arrived] = desktop.session.attachments(record.id)
    assert arrived.sha256 == info.sha256
    assert desktop.session.blob_path(info.sha256).read_bytes() == photo.read_bytes()
