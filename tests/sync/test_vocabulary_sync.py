"""Vocabulary changes travel like any other edit: a term merged by a librarian reaches a colleague
whose records still name the old term; a term retired for a replacement gives the replacement its
labels, and a colleague's laptop finds the replacement (and what used the old term) by them."""

from __future__ import annotations

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, Status, new_record_id


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


def test_a_replacement_with_the_retired_terms_labels_reaches_colleagues(make_client) -> None:
    lib = make_client("lib")
    bob = make_client("bob")
    saving = _term("energy saving", "rational use of energy")
    policy = _term("energy policy")
    for made in (saving, policy):
        lib.session.save_term(made.with_changes(owner=lib.session.me()))
    assert lib.service.sync().rejected == []
    bob.service.sync()
    case = Record(  # published: everyone has it, and the retirement retags it
        new_record_id(),
        Kind.CASE_STUDY,
        {"title": "Solar geysers", "summary": "What the ward learnt about geyser timers."},
        owner=lib.session.me(),
        status=Status.PUBLISHED,
        tags=("energy saving",),
        links=(Link(Relation.ABOUT, saving.id),),
    )
    lib.session.save(case)
    assert lib.service.sync().rejected == []
    draft = Record(  # bob's own draft: the librarian never sees it, so it keeps the old term
        new_record_id(),
        Kind.CASE_STUDY,
        {"title": "Kiosk lighting", "summary": "Notes from the taxi rank kiosks."},
        owner=bob.session.me(),
        tags=("energy saving",),
        links=(Link(Relation.ABOUT, saving.id),),
    )
    bob.session.save(draft)
    assert bob.service.sync().rejected == []

    lib.session.retire_term(saving.id, policy.id)
    report = lib.service.sync()
    assert report.rejected == [] and report.conflicts == 0 and report.verified
    report = bob.service.sync()
    assert report.rejected == [] and report.conflicts == 0

    replaced = bob.session.store.get(policy.id)
    assert replaced is not None and not replaced.deleted
    assert replaced.fields["alt_labels"] == ["energy saving", "rational use of energy"]
    assert bob.session.store.get(saving.id).deleted
    assert bob.session.store.get(case.id).links_of(Relation.ABOUT) == [policy.id]
    for typed in ("energy saving", "rational use"):
        assert [m.id for m in bob.session.find_terms(typed)] == [policy.id], typed
    for query in ("energy saving", "rational use of energy", "energy policy"):
        assert {case.id, draft.id} <= {hit.id for hit in bob.session.search(query).hits}, query
    view = bob.session.view(draft.id)  # the draft's old term leads to the replacement
    assert view is not None
    assert [(link.id, link.replaces) for link in view.links] == [(policy.id, "energy saving")]
