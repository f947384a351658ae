"""The vocabulary's pure functions (desktop/core/vocabulary.py): edge cases of tagging, merging, retiring."""

from __future__ import annotations

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation
from desktop.core.vocabulary import (
    TermUsage,
    add_term,
    follow_replacements,
    plan_bulk_tag,
    plan_merge,
    plan_retire,
    rank_matches,
    remove_term,
    replace_term,
    replacement_of,
    restore_term,
    tag_labels,
    tombstone,
)


def term(tid: str, label: str, alt: tuple[str, ...] = (), broader: tuple[Record, ...] = ()) -> Record:
    return Record(
        tid,
        Kind.TERM,
        {"label": label, "alt_labels": list(alt), "broader": [b.title for b in broader]},
        links=tuple(Link(Relation.BROADER, b.id) for b in broader),
    )


WATER = term("t-water", "Water", ("H2O",))
SUPPLY = term("t-supply", "Water supply", ("drinking water",), (WATER,))
PUMPS = term("t-pumps", "Hand pumps", (), (SUPPLY,))


def test_merging_a_broader_term_into_its_own_narrower_term() -> None:
    edit = plan_merge(SUPPLY, WATER, TermUsage(narrower=(SUPPLY,)))
    survivor = edit.records[0]
    assert survivor.id == SUPPLY.id
    assert survivor.links_of(Relation.BROADER) == []  # it was under the loser: no loop onto itself
    assert survivor.fields["alt_labels"] == ["drinking water", "Water", "H2O"]
    assert edit.records[-1].deleted and edit.records[-1].id == WATER.id


def test_experts_keep_terms_in_their_expertise_field() -> None:
    expert = Record("e-1", Kind.EXPERT, {"name": "Sipho", "expertise": ["water", "roads"]})
    tagged = add_term(expert, SUPPLY)
    assert tagged.fields["expertise"] == ["water", "roads", "Water supply"] and tagged.tags == ()
    moved = replace_term(add_term(expert, WATER), WATER, SUPPLY)
    assert tag_labels(moved) == ["Water supply", "roads"]  # in place; "water" was the old label
    assert moved.links_of(Relation.ABOUT) == [SUPPLY.id]
    assert tag_labels(remove_term(moved, SUPPLY)) == ["roads"]


def test_a_record_tagged_with_both_terms_keeps_one_tag() -> None:
    record = Record(
        "r-1",
        Kind.CASE_STUDY,
        {"title": "Borehole rota"},
        tags=("Water", "Water supply"),
        links=(Link(Relation.ABOUT, WATER.id), Link(Relation.ABOUT, SUPPLY.id)),
    )
    merged = replace_term(record, WATER, SUPPLY)
    assert merged.tags == ("Water supply",)
    assert merged.links_of(Relation.ABOUT) == [SUPPLY.id]


def test_retiring_without_replacement_lifts_narrower_terms() -> None:
    edit = plan_retire(SUPPLY, TermUsage(narrower=(PUMPS,)))
    pumps = next(r for r in edit.records if r.id == PUMPS.id)
    assert pumps.links_of(Relation.BROADER) == [WATER.id] and pumps.fields["broader"] == ["Water"]
    assert {r.id for r in edit.records} == {PUMPS.id, SUPPLY.id}  # no other term changes
    assert WATER.fields["alt_labels"] == ["H2O"]


def test_a_replacement_takes_the_retired_terms_labels_as_alternative_labels() -> None:
    # Labels differing only in case or spacing are one label; the replacement's own preferred
    # label is never one of its alternatives.
    old = term("t-old", "Potable  water", ("drinking WATER", "Borehole water", "water supply"))
    edit = plan_retire(old, TermUsage(), SUPPLY)
    replacement, ended = edit.records
    assert replacement.id == SUPPLY.id and replacement.links == SUPPLY.links
    assert replacement.fields["alt_labels"] == ["drinking water", "Potable water", "Borehole water"]
    assert {k: v for k, v in replacement.fields.items() if k != "alt_labels"} == {
        k: v for k, v in SUPPLY.fields.items() if k != "alt_labels"
    }
    assert ended.deleted and replacement_of(ended) == SUPPLY.id
    # A replacement that has every label already is not written again.
    again = plan_retire(term("t-dup", "drinking water"), TermUsage(), SUPPLY)
    assert [r.id for r in again.records] == ["t-dup"]


def test_a_replacement_narrower_than_the_retired_term_takes_its_labels_and_leaves_it() -> None:
    edit = plan_retire(SUPPLY, TermUsage(narrower=(PUMPS,)), PUMPS)
    [pumps] = [r for r in edit.records if r.id == PUMPS.id]  # one record: moved and relabelled
    assert pumps.links_of(Relation.BROADER) == [] and pumps.fields["broader"] == []
    assert pumps.fields["alt_labels"] == ["Water supply", "drinking water"]


def test_completion_ranks_whole_then_start_then_word_then_anywhere() -> None:
    candidates = [
        ("a", "Groundwater", "", ()),
        ("b", "Water", "", ("H2O",)),
        ("c", "Waste water", "", ()),
        ("d", "Water supply", "", ("drinking water",)),
    ]
    found = rank_matches("water", candidates, 10)
    assert [m.id for m in found] == ["b", "d", "c", "a"]
    assert rank_matches("drinking", candidates, 10)[0].by_alternative


def test_undoing_a_bulk_tag_puts_back_exactly_the_tags_a_record_had() -> None:
    # A free tag equal to the term's label, typed before the term existed: the bulk add only linked it.
    had_tag = Record("r-1", Kind.CASE_STUDY, {"title": "Borehole rota"}, tags=("Water supply", "rota"))
    had_alt = Record("r-2", Kind.CASE_STUDY, {"title": "Clinic taps"}, tags=("drinking water",))
    bare = Record("r-3", Kind.CASE_STUDY, {"title": "Ward report"}, tags=("roads",))
    expert = Record("e-1", Kind.EXPERT, {"name": "Sipho"})
    edit = plan_bulk_tag([had_tag, had_alt, bare, expert], SUPPLY)
    assert len(edit.records) == 4
    by_id = {r.id: r for r in edit.records}
    assert by_id["r-1"].tags == ("Water supply", "rota") and by_id["r-2"].tags == ("Water supply",)
    for before in (had_tag, had_alt, bare, expert):
        assert restore_term(by_id[before.id], before, SUPPLY) == before


def test_undoing_a_bulk_tag_keeps_what_changed_since() -> None:
    before = Record("r-1", Kind.CASE_STUDY, {"title": "Borehole rota"}, tags=("Water supply",))
    tagged = add_term(before, SUPPLY)
    edited = tagged.with_changes(
        tags=(*tagged.tags, "maintenance"), links=(*tagged.links, Link(Relation.ABOUT, WATER.id))
    )
    undone = restore_term(edited, before, SUPPLY)
    assert undone.tags == ("maintenance", "Water supply")  # the tag it had stays, the new one too
    assert undone.links_of(Relation.ABOUT) == [WATER.id]  # only the bulk tag's link went
    # An untagging undone gives the link and the label back.
    linked = Record(
        "r-2",
        Kind.CASE_STUDY,
        {"title": "Taps"},
        tags=("Water supply",),
        links=(Link(Relation.ABOUT, SUPPLY.id),),
    )
    assert restore_term(remove_term(linked, SUPPLY), linked, SUPPLY) == linked


def test_a_merged_or_replaced_terms_tombstone_names_its_replacement() -> None:
    merged = plan_merge(SUPPLY, WATER, TermUsage()).records[-1]
    assert merged.deleted and merged.links[-1] == Link(Relation.DUPLICATE_OF, SUPPLY.id, "merged")
    assert replacement_of(merged) == SUPPLY.id
    retired = plan_retire(PUMPS, TermUsage(), WATER).records[-1]
    assert retired.deleted and replacement_of(retired) == WATER.id
    assert replacement_of(plan_retire(PUMPS, TermUsage()).records[-1]) is None  # nothing took its place
    assert replacement_of(SUPPLY) is None  # a live term


def test_replacements_are_followed_along_a_chain_and_never_round_a_loop() -> None:
    gone = plan_merge(SUPPLY, WATER, TermUsage()).records[-1]  # water -> supply
    supply_gone = plan_merge(PUMPS, SUPPLY, TermUsage()).records[-1]  # supply -> pumps
    store = {r.id: r for r in (gone, supply_gone, PUMPS)}
    fetch = lambda ids: {i: store[i] for i in ids if i in store}  # noqa: E731
    resolved = follow_replacements({WATER.id: gone, "other": SUPPLY}, fetch)
    assert resolved[WATER.id] == PUMPS and resolved["other"] == SUPPLY
    looped = {WATER.id: gone, SUPPLY.id: tombstone(SUPPLY, WATER)}  # each merged into the other
    fetch_loop = lambda ids: {i: looped[i] for i in ids if i in looped}  # noqa: E731
    assert follow_replacements({WATER.id: gone}, fetch_loop)[WATER.id] == gone  # stays the tombstone
