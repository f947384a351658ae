"""A term merged by a librarian reaches a colleague whose records still name the old term."""

from __future__ import annotations

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, new_record_id


def _term(label: str, *alt: str) -> Record:
    return Record(new_record_id(), Kind.TERM, {"label": label, "alt_labels": list(alt), "scheme": "local"})


def test_a_merged_terms_replacement_syncs_and_is_followed(make_client) -> None:
    lib = make_client("lib")
    bob = make_client("bob")
    keep, gone = _term("Water supply", "drinking water"), _term("Potable water", "safe water")
    lib.session.save_term(keep.with_changes(owner=lib.session.me()))
    lib.session.save_term(gone.with_changes(owner=lib.session.me()))
    assert lib.service.sync().rejected == []
    bob.service.sync()
    assert bob.session.store.get(gone.id) is not None

    # Offline, Bob tags his draft with the old term; meanwhile the librarian merges it away.
    draft = Record(
        new_record_id(),
        Kind.CASE_STUDY,
        {"title": "Clinic taps", "summary": "Ward 4 clinics and their taps."},
        tags=("Potable water",),
        links=(Link(Relation.ABOUT, gone.id),),
        owner=bob.session.me(),
    )
    bob.session.save(draft)
    lib.session.merge_terms(keep.id, gone.id)
    report = lib.service.sync()
    assert report.rejected == [] and report.conflicts == 0

    report = bob.service.sync()
    assert report.rejected == [] and report.conflicts == 0
    tombstone = bob.session.store.get(gone.id)
    assert tombstone.deleted and Link(Relation.DUPLICATE_OF, keep.id, "merged") in tombstone.links
    view = bob.session.view(draft.id)  # his draft is his alone: the librarian never sees it
    assert view is not None
    [about] = [link for link in view.links if link.relation == "about"]
    assert (about.id, about.title, about.replaces) == (keep.id, "Water supply", "Potable water")
    # Searching the replacement's labels finds Bob's record (its old link stands for the replacement).
    for typed in ("water supply", "drinking water", "potable water", "safe water"):
        assert draft.id in {hit.id for hit in bob.session.search(typed).hits}, typed
