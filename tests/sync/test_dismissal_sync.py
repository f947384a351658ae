"""“Not duplicates” travels with the records: a librarian dismisses a group, a colleague syncs and no
longer sees it; two librarians dismissing and editing at once merge without a conflict."""

from __future__ import annotations

import pytest

from desktop.core.dismissals import DismissalRefused
from desktop.core.kinds import Kind
from desktop.core.records import Record, Relation, new_record_id


def _item(title: str, isbn: str, **fields: object) -> Record:
    values = {"title": title, "isbn": [isbn], **fields}
    return Record(id=new_record_id(), kind=Kind.CENTRE_ITEM, fields=values)


def test_a_librarians_not_duplicates_reaches_colleagues_and_can_be_taken_back(make_client) -> None:
    lib = make_client("lib")
    bob = make_client("bob")
    book = _item("Water safety plans", "0-19-852663-6", publisher="WHO")
    manual = _item("Water safety plans", "9780198526636", edition="Field manual")
    lib.session.save_many([book, manual])
    assert lib.service.sync().rejected == []
    bob.service.sync()
    assert len(bob.session.find_duplicates()) == 1

    with pytest.raises(DismissalRefused, match="Librarians decide"):  # staff may not change catalogue items
        bob.session.dismiss_duplicates([book.id, manual.id])

    lib.session.dismiss_duplicates([book.id, manual.id])
    report = lib.service.sync()
    assert report.rejected == [] and report.conflicts == 0 and report.verified
    bob.service.sync()
    assert bob.session.find_duplicates() == []
    [seen] = bob.session.dismissed_duplicates()
    assert seen.note.startswith(lib.session.me())
    [marked] = bob.session.find_duplicates(include_dismissed=True)
    assert marked.dismissed

    # The record holding the word is edited on another laptop while it is taken back: both survive.
    holder_id = next(
        r.id
        for r in (lib.session.store.get(book.id), lib.session.store.get(manual.id))
        if any(link.relation is Relation.NOT_DUPLICATE_OF for link in r.links)
    )
    ann = make_client("lib", label="lib-laptop")  # the same librarian on a second laptop
    ann.service.sync()
    edited = ann.session.store.get(holder_id)
    ann.session.save(edited.with_changes(fields={**edited.fields, "call_number": "628.1"}))
    lib.session.restore_duplicates([seen.pair])
    assert lib.service.sync().rejected == []
    report = ann.service.sync()
    assert report.rejected == [] and report.conflicts == 0
    lib.service.sync()
    bob.service.sync()
    for client in (lib, ann, bob):
        record = client.session.store.get(holder_id)
        assert record.fields["call_number"] == "628.1"
        assert client.session.dismissed_duplicates() == []
        assert len(client.session.find_duplicates()) == 1
