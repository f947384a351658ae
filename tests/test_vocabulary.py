"""The controlled vocabulary through the session: merge, retire, bulk-tag, edit, find, and search expansion.

Runs on a slice of the real vocabularies in ../shared/corpus/vocab: EuroVoc's "energy policy"
microthesaurus (about 50 concepts, with alternative labels and a hierarchy) and the current
Local Government Service List, imported with the real importer into a real profile.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, new_record_id
from desktop.core.vocabulary import VocabularyRefused, tag_labels
from desktop.importers.vocab import term_id
from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.store import RecordRepository

MICROTHESAURUS = "6606 energy policy"

CONSUMPTION = term_id("eurovoc", "142")  # "energy consumption", alt "use of energy"; narrower: energy audit
ENERGY_USE = term_id("eurovoc", "4629")  # "energy use"
AUDIT = term_id("eurovoc", "c_6c8b04b9")  # "energy audit", broader: energy consumption
MARKET = term_id("eurovoc", "4886")  # "energy market", broader of energy use and energy consumption
SAVING = term_id("eurovoc", "642")  # "energy saving", alt "rational use of energy"
POLICY = term_id("eurovoc", "2498")  # "energy policy"


def write_slice(corpus: Path, folder: Path) -> list[Path]:
    """The EuroVoc rows of one microthesaurus as a CSV of their own, and the current LGSL file."""
    source = corpus / "vocab" / "eurovoc" / "eurovoc_concepts_en_fr.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if row["microthesauri"] == MICROTHESAURUS]
        fieldnames = reader.fieldnames or []
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "eurovoc_energy.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames)
        writer.writeheader()
        writer.writerows(rows)
    return [target, corpus / "vocab" / "lgsl_govuk_publisher" / "local_services_current.csv"]


@pytest.fixture(scope="module")
def vocab_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import CORPUS

    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    base = tmp_path_factory.mktemp("vocab")
    profile = base / "profile"
    with Session.open(ProfilePaths(profile, "test")) as session:
        report = session.import_paths(write_slice(CORPUS, base / "csv"))
        assert not report.errors
        session.store.set_meta("sync.role", "librarian")  # as a librarian's sign-in leaves it
    return profile


@pytest.fixture
def session(vocab_template: Path, tmp_path: Path) -> Iterator[Session]:
    import shutil

    folder = tmp_path / "profile"
    shutil.copytree(vocab_template, folder)
    opened = Session.open(ProfilePaths(folder, "test"))
    yield opened
    opened.close()


def article(title: str, tags: tuple[str, ...] = (), about: tuple[str, ...] = ()) -> Record:
    return Record(
        new_record_id(),
        Kind.CASE_STUDY,
        {"title": title, "summary": f"{title}: what the district learnt."},
        tags=tags,
        links=tuple(Link(Relation.ABOUT, t) for t in about),
    )


def term(session: Session, record_id: str) -> Record:
    found = session.store.get(record_id)
    assert found is not None
    return found


def ids(session: Session, query: str) -> set[str]:
    return {hit.id for hit in session.search(query, limit=50).hits}


def test_the_slice_is_a_real_hierarchy(session: Session) -> None:
    entries = {entry.id: entry for entry in session.terms()}
    assert {"eurovoc", "lgsl"} <= {entry.scheme for entry in entries.values()}
    assert len([e for e in entries.values() if e.scheme == "lgsl"]) > 100
    assert entries[AUDIT].broader == (CONSUMPTION,)
    assert "use of energy" in entries[CONSUMPTION].alt_labels


def test_merge_absorbs_labels_moves_narrower_terms_and_retags_in_one_write(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    linked = article("Meter readings", ("energy consumption", "water"), (CONSUMPTION,))
    free = article("Kiosk power", ("Energy consumption",))
    both = article("Both terms", ("energy use", "energy consumption"), (ENERGY_USE, CONSUMPTION))
    expert = Record(
        new_record_id(),
        Kind.EXPERT,
        {"name": "Naledi Energy", "expertise": ["energy consumption"]},
        links=(Link(Relation.ABOUT, CONSUMPTION),),
    )
    untouched = article("Unrelated", ("energy market",), (MARKET,))
    session.save_many([linked, free, both, expert, untouched])
    before_outbox = len(session.store.outbox_entries())
    untouched_revision = term(session, untouched.id).revision

    calls: list[int] = []
    original = RecordRepository.save_many

    def counting(self: RecordRepository, records: list[Record]) -> object:
        calls.append(len(list(records)))
        return original(self, records)

    monkeypatch.setattr(RecordRepository, "save_many", counting)
    result = session.merge_terms(ENERGY_USE, CONSUMPTION)

    assert len(calls) == 1  # one transaction: survivor, narrower term, retagged records, tombstone
    assert result.retagged == 4
    survivor = term(session, ENERGY_USE)
    assert {"energy consumption", "use of energy"} <= set(survivor.fields["alt_labels"])
    assert term(session, AUDIT).links_of(Relation.BROADER) == [ENERGY_USE]
    assert term(session, AUDIT).fields["broader"] == ["energy use"]
    loser = term(session, CONSUMPTION)
    assert loser.deleted
    for record in (linked, free, both, expert):
        stored = term(session, record.id)
        assert stored.links_of(Relation.ABOUT) == [ENERGY_USE]
        assert "energy consumption" not in [label.lower() for label in tag_labels(stored)]
        assert "energy use" in tag_labels(stored)
    assert tag_labels(term(session, linked.id)) == ["energy use", "water"]  # in place, others kept
    assert term(session, untouched.id).revision == untouched_revision
    outbox = session.store.outbox_entries()
    assert len(outbox) - before_outbox == calls[0]  # every record of the merge waits to be pushed
    assert {e.record_id for e in outbox[before_outbox:]} >= {ENERGY_USE, AUDIT, CONSUMPTION, linked.id}
    # The index follows: the old label finds the retagged records through the survivor.
    assert linked.id in ids(session, "energy consumption")


def test_a_merged_term_leads_to_the_term_it_was_merged_into(session: Session) -> None:
    session.merge_terms(ENERGY_USE, CONSUMPTION)
    loser = term(session, CONSUMPTION)
    assert loser.deleted and Link(Relation.DUPLICATE_OF, ENERGY_USE, "merged") in loser.links
    # A record still naming the old term (tagged offline by a colleague, synced after the merge).
    late = article("Meter audit", ("energy consumption", "meters"), (CONSUMPTION,))
    both = article("Both", ("energy use",), (CONSUMPTION, ENERGY_USE))
    session.save_many([late, both])
    view = session.view(late.id)
    assert view is not None
    [about] = [link for link in view.links if link.relation == "about"]
    assert (about.id, about.title, about.exists) == (ENERGY_USE, "energy use", True)
    assert about.replaces == "energy consumption"
    shown = session.view(both.id)
    assert shown is not None
    assert [link.id for link in shown.links if link.relation == "about"] == [ENERGY_USE]  # once
    # Search follows too: the replacement's labels and topic are indexed for the old link.
    assert late.id in ids(session, "energy use")
    assert late.id in {hit.id for hit in session.search("meters", filters={"topic": ["energy use"]}).hits}
    assert late.id in ids(session, "use of energy")  # the merged term's own alternative label


def test_a_retired_term_with_a_replacement_leads_to_it(session: Session) -> None:
    session.retire_term(SAVING, POLICY)
    assert Link(Relation.DUPLICATE_OF, POLICY, "replaced") in term(session, SAVING).links
    late = article("Geyser timers", ("energy saving",), (SAVING,))
    session.save(late)
    view = session.view(late.id)
    assert view is not None
    assert [(link.id, link.replaces) for link in view.links] == [(POLICY, "energy saving")]
    session.retire_term(MARKET)  # no replacement: its tombstone leads nowhere
    assert not [link for link in term(session, MARKET).links if link.relation is Relation.DUPLICATE_OF]


def test_merge_is_all_or_nothing(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    record = article("Meter readings", ("energy consumption",), (CONSUMPTION,))
    session.save(record)
    seq = session.store.last_seq()

    from desktop.store import repository

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(repository._WriteBatch, "execute", broken)
    with pytest.raises(Exception, match="space"):
        session.merge_terms(ENERGY_USE, CONSUMPTION)
    assert session.store.last_seq() == seq
    assert not term(session, CONSUMPTION).deleted
    assert term(session, record.id).links_of(Relation.ABOUT) == [CONSUMPTION]


def test_merge_refuses_a_term_into_itself(session: Session) -> None:
    with pytest.raises(ValueError):
        session.merge_terms(SAVING, SAVING)


def test_retire_with_a_replacement_or_removing_the_tag(session: Session) -> None:
    a = article("Solar geysers", ("energy saving", "housing"), (SAVING,))
    session.save(a)
    result = session.retire_term(SAVING, POLICY)
    assert result.retagged == 1
    assert term(session, a.id).links_of(Relation.ABOUT) == [POLICY]
    assert tag_labels(term(session, a.id)) == ["energy policy", "housing"]
    assert term(session, SAVING).deleted
    # Its narrower term (energy recovery) now hangs from the replacement.
    recovery = term(session, term_id("eurovoc", "2945"))
    assert recovery.links_of(Relation.BROADER) == [POLICY]

    b = article("Grid maps", ("energy market",), (MARKET,))
    session.save(b)
    session.retire_term(MARKET)
    stored = term(session, b.id)
    assert stored.links_of(Relation.ABOUT) == [] and stored.tags == ()
    energy_use = term(session, ENERGY_USE)  # was narrower than the market: lifted to its broader term
    assert energy_use.links_of(Relation.BROADER) == [POLICY]


def test_a_replacement_takes_the_retired_terms_labels_and_syncs_them(session: Session) -> None:
    retagged = article("Solar geysers", ("energy saving", "housing"), (SAVING,))
    already = article("Provincial strategy", ("energy policy",), (POLICY,))  # about it before
    session.save_many([retagged, already])
    before_outbox = len(session.store.outbox_entries())
    policy_revision = term(session, POLICY).revision
    saving = term(session, SAVING)
    assert "rational use of energy" in saving.fields["alt_labels"] and not term(session, POLICY).fields.get(
        "alt_labels"
    )
    session.retire_term(SAVING, POLICY)

    policy = term(session, POLICY)
    assert policy.fields["alt_labels"] == ["energy saving", *saving.fields["alt_labels"]]
    assert policy.title == "energy policy" and not policy.deleted
    # A normal edit of the replacement: a new revision on the old one, waiting to be pushed.
    assert policy.parent_revision == policy_revision and policy.revision != policy_revision
    assert POLICY in {e.record_id for e in session.store.outbox_entries()[before_outbox:]}
    assert [e.label for e in session.terms() if e.id == POLICY] == ["energy policy"]
    # The old labels find the records now tagged with the replacement, both ways round.
    for query in ("energy saving", "rational use of energy"):
        assert {retagged.id, already.id} <= ids(session, query), query
    assert retagged.id in ids(session, "energy policy")
    # Typed in a tag field, the old label is offered as the replacement.
    [offered] = [m for m in session.find_terms("energy saving") if m.id == POLICY]
    assert offered.by_alternative and offered.matched == "energy saving"
    assert SAVING not in {m.id for m in session.find_terms("energy saving")}


def test_retiring_without_a_replacement_changes_no_other_term(session: Session) -> None:
    terms_before = {r.id: r.revision for r in session.store.iter_records([Kind.TERM])}
    narrower = {r.id for r in session.term_usage(SAVING).narrower}
    assert narrower  # energy recovery: lifted to the retired term's broader term
    session.retire_term(SAVING)
    changed = {r.id for r in session.store.iter_records([Kind.TERM]) if r.revision != terms_before.get(r.id)}
    assert changed == narrower
    assert term(session, SAVING).deleted
    assert not [m for m in session.find_terms("rational use of energy") if m.id != SAVING]


def test_bulk_tag_and_untag_in_one_write(session: Session) -> None:
    records = [article(f"Report {n}", ("housing",) if n else ()) for n in range(5)]
    session.save_many(records)
    chosen = [r.id for r in records[:4]]
    seq = session.store.last_seq()
    result = session.tag_records(chosen, SAVING)
    assert result.retagged == 4 and set(result.record_ids) == set(chosen)
    assert result.changes.seq == seq + 4  # one write: four revisions
    for rid in chosen:
        stored = term(session, rid)
        assert SAVING in stored.links_of(Relation.ABOUT) and "energy saving" in stored.tags
    assert set(chosen) <= ids(session, "rational use of energy")  # the alternative label finds them
    again = session.tag_records(chosen, SAVING)
    assert again.retagged == 0 and again.changes.empty
    undo = session.tag_records(list(result.record_ids), SAVING, remove=True)
    assert undo.retagged == 4
    assert term(session, records[1].id).tags == ("housing",)
    assert SAVING not in term(session, records[1].id).links_of(Relation.ABOUT)


def test_undo_of_a_bulk_tag_keeps_a_tag_a_record_already_had(session: Session) -> None:
    had = article("Geyser rebates", ("energy saving", "housing"))  # a free tag equal to the term's label
    had_alt = article("Efficiency drive", ("rational use of energy",))
    bare = article("Ward report", ("roads",))
    session.save_many([had, had_alt, bare])
    before = {r.id: term(session, r.id) for r in (had, had_alt, bare)}
    result = session.tag_records(list(before), SAVING)
    assert set(result.record_ids) == set(before)  # each changed: at least the about link was added
    assert {r.id for r in result.before} == set(before)
    undo = session.restore_tagging(result.before, SAVING)
    assert set(undo.record_ids) == set(before)
    for record_id, was in before.items():
        now = term(session, record_id)
        assert (now.tags, now.links) == (was.tags, was.links)
    assert had.id in ids(session, "energy saving")  # its own tag still finds it


def test_a_free_tag_that_is_an_alternative_label_becomes_the_preferred_one(session: Session) -> None:
    record = article("Efficiency drive", ("rational use of energy",))
    session.save(record)
    session.tag_records([record.id], SAVING)
    assert term(session, record.id).tags == ("energy saving",)


def test_renaming_a_term_carries_the_label_to_its_records(session: Session) -> None:
    record = article("Geysers", ("energy saving",), (SAVING,))
    session.save(record)
    renamed = term(session, SAVING).with_fields(label="energy conservation")
    result = session.save_term(renamed)
    assert result.retagged == 1
    assert term(session, record.id).tags == ("energy conservation",)
    recovery = term(session, term_id("eurovoc", "2945"))
    assert recovery.fields["broader"] == ["energy conservation"]


def test_find_terms_by_preferred_and_alternative_labels(session: Session) -> None:
    found = session.find_terms("use of energy")
    assert found[0].id == CONSUMPTION and found[0].by_alternative  # the whole alternative label
    assert found[0].label == "energy consumption"
    assert any(m.id == SAVING for m in found)  # "rational use of energy" contains it
    assert session.find_terms("energy use")[0].id == ENERGY_USE
    assert session.find_terms("   ") == []
    assert session.find_terms("100%_\\") == []  # LIKE wildcards are literal


def test_usage_lists_tagged_records_and_narrower_terms(session: Session) -> None:
    record = article("Meter readings", ("energy consumption",), (CONSUMPTION,))
    session.save(record)
    usage = session.term_usage(CONSUMPTION)
    assert [r.id for r in usage.tagged] == [record.id]
    assert [r.id for r in usage.narrower] == [AUDIT]
    entries = {entry.id: entry for entry in session.terms()}
    assert entries[CONSUMPTION].uses == 1


def test_search_expands_alternative_labels_both_ways(session: Session) -> None:
    about = article("Township retrofit", ("energy saving",), (SAVING,))
    tagged = article("Street lights", ("Energy saving",))  # a tag only, no link
    free_alt = article("Schools programme", ("rational use of energy",))  # a free tag: the alternative
    session.save_many([about, tagged, free_alt])
    by_alternative = ids(session, "rational use of energy")
    assert {about.id, tagged.id, free_alt.id} <= by_alternative
    by_preferred = ids(session, "energy saving")
    assert {about.id, tagged.id, free_alt.id} <= by_preferred  # the other way round
    # With more words, the rest of the query still narrows the expansion.
    assert ids(session, "rational use of energy retrofit") & {about.id, tagged.id, free_alt.id} == {about.id}
    assert free_alt.id in ids(session, "energy saving schools")


def test_staff_may_not_curate_and_bulk_tag_only_what_they_may_change(session: Session) -> None:
    session.store.set_meta("sync.role", "staff")
    with pytest.raises(VocabularyRefused):
        session.merge_terms(ENERGY_USE, CONSUMPTION)
    with pytest.raises(VocabularyRefused):
        session.retire_term(SAVING)
    with pytest.raises(VocabularyRefused):
        session.save_term(term(session, SAVING).with_fields(scope_note="mine"))
    mine = article("My draft").with_changes(owner=session.me())
    theirs = article("Someone else's").with_changes(owner="someone-else")
    session.save_many([mine, theirs])
    result = session.tag_records([mine.id, theirs.id], SAVING)
    assert result.record_ids == (mine.id,) and result.skipped == 1
    assert term(session, theirs.id).tags == ()
    assert not term(session, CONSUMPTION).deleted
