"""The draft behind an editor: values in, the same record out, and only edited relations changed."""

from __future__ import annotations

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation
from desktop.ui.editors.draft import VOCAB_TAGS, RecordDraft, SetValueCommand, people_key, vocab_chips

TERM_A, TERM_B, PERSON, OTHER = "term-a", "term-b", "person-1", "record-9"


def _record() -> Record:
    return Record(
        id="r1",
        kind=Kind.CASE_STUDY,
        fields={"title": "Pumps", "organisations": ["Ward 7"], "marc": "kept"},
        tags=("Water", "pumps"),
        links=(
            Link(Relation.CITES, OTHER, "see p. 4"),
            Link(Relation.ABOUT, TERM_A),
            Link(Relation.AUTHOR, PERSON, "lead author"),
            Link(Relation.ABOUT, TERM_B),
        ),
    )


def _draft(record: Record) -> RecordDraft:
    keys = ["title", "organisations", "summary", people_key(Relation.AUTHOR), VOCAB_TAGS]
    draft = RecordDraft(record, keys)
    draft.load(record, {TERM_A: "water", TERM_B: "Sanitation"})
    return draft


def test_tags_pair_with_the_terms_they_name_and_leftover_terms_are_kept() -> None:
    chips = vocab_chips(["Water", "pumps"], [TERM_A, TERM_B], {TERM_A: "water", TERM_B: "Sanitation"})
    assert chips == (("Water", TERM_A), ("pumps", ""), ("", TERM_B))


def test_an_untouched_draft_gives_back_the_same_record() -> None:
    record = _record()
    assert _draft(record).record().content_hash() == record.content_hash()


def test_only_the_edited_relations_change_and_kept_links_keep_their_notes() -> None:
    record = _record()
    draft = _draft(record)
    draft.set_value(VOCAB_TAGS, (("Water", TERM_A), ("Roads", "term-c")))
    draft.set_value(people_key(Relation.AUTHOR), (PERSON, "person-2"))
    draft.set_value("summary", "")  # emptied, and never there: stays absent
    draft.set_value("organisations", ())
    result = draft.record()
    assert result.tags == ("Water", "Roads")
    assert result.links == (
        Link(Relation.CITES, OTHER, "see p. 4"),
        Link(Relation.ABOUT, TERM_A),
        Link(Relation.AUTHOR, PERSON, "lead author"),
        Link(Relation.AUTHOR, "person-2"),  # new links follow, in the order of the form's fields
        Link(Relation.ABOUT, "term-c"),
    )
    assert "summary" not in result.fields
    assert result.fields["organisations"] == [] and result.fields["marc"] == "kept"


def test_typing_merges_until_the_focus_moves(qtbot) -> None:
    from PySide6.QtGui import QUndoStack

    draft = _draft(_record())
    stack = QUndoStack()
    for text, generation in (("Pumps 1", 0), ("Pumps 12", 0), ("Pumps 123", 1)):
        stack.push(SetValueCommand(draft, "title", text, "Edit title", merge=True, generation=generation))
    assert stack.count() == 2
    stack.undo()
    assert draft.value("title") == "Pumps 12"
    stack.undo()
    assert draft.value("title") == "Pumps"
    stack.redo()
    assert draft.value("title") == "Pumps 12"
