"""A vocabulary change travels like any other edit: a librarian retires a term for a replacement,
and a colleague's laptop, after its next sync, finds the replacement (and what was retagged) by the
retired term's labels."""

from __future__ import annotations

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, Status, new_record_id


def _term(label: str, *alt: str) -> Record:
    return Record(new_record_id(), Kind.TERM, {"label": label, "alt_labels": list(alt), "scheme": "local"})


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
