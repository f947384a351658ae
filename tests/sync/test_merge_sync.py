"""A merge and its undo travel like any other change: a librarian merges, a colleague syncs, sees it."""

from __future__ import annotations

import pytest

from desktop.core.kinds import Kind
from desktop.core.merging import MergeRefused
from desktop.core.records import Link, Record, Relation, new_record_id


def _item(title: str, isbn: str, **fields: object) -> Record:
    values = {"title": title, "isbn": [isbn], **fields}
    return Record(id=new_record_id(), kind=Kind.CENTRE_ITEM, fields=values)


def test_a_librarians_merge_and_undo_reach_a_colleague(make_client) -> None:
    lib = make_client("lib")
    bob = make_client("bob")
    assert lib.session.role() == "librarian"
    keep = _item("Water safety plans", "0-19-852663-6", publisher="WHO")
    gone = _item("Water safety plans.", "9780198526636 (pbk.)", year=2009)
    citing = Record(
        id=new_record_id(),
        kind=Kind.CASE_STUDY,
        fields={"title": "Ward 9 borehole testing"},
        links=(Link(Relation.CITES, gone.id),),
    )
    lib.session.save_many([keep, gone, citing])
    lib.session.store.add_attachment(gone.id, b"scanned title page", "title-page.txt", "text/plain")
    assert lib.service.sync().rejected == []
    bob.service.sync()
    [group] = bob.session.find_duplicates()
    assert {m.id for m in group.members} == {keep.id, gone.id}

    with pytest.raises(MergeRefused, match="Librarians merge"):  # staff may not change catalogue items
        bob.session.merge_records(keep.id, gone.id)

    merge = lib.session.merge_records(keep.id, gone.id)
    report = lib.service.sync()
    assert report.rejected == [] and report.conflicts == 0 and report.verified
    assert lib.service.status().pending == 0
    bob.service.sync()
    seen_gone, seen_keep, seen_citing = (bob.session.store.get(r.id) for r in (gone, keep, citing))
    assert seen_gone.deleted and Link(Relation.DUPLICATE_OF, keep.id, "merged") in seen_gone.links
    assert seen_keep.fields["year"] == 2009 and seen_keep.fields["publisher"] == "WHO"
    assert seen_citing.links == (Link(Relation.CITES, keep.id),)
    assert [a.filename for a in bob.session.attachments(keep.id)] == ["title-page.txt"]
    assert bob.session.find_duplicates() == []

    lib.session.undo_merge(merge.entry.id)
    report = lib.service.sync()
    assert report.rejected == [] and report.conflicts == 0
    bob.service.sync()
    assert not bob.session.store.get(gone.id).deleted
    assert bob.session.store.get(citing.id).links == (Link(Relation.CITES, gone.id),)
    assert bob.session.attachments(keep.id) == []
    assert "year" not in bob.session.store.get(keep.id).fields
