"""What changed between two versions of a record, as readable text."""

from __future__ import annotations

from desktop.core.diff import FieldChange, diff_records, summarize
from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, Status


def _visit(**fields: object) -> Record:
    return Record(id="v1", kind=Kind.SITE_VISIT, fields={"title": "Water board visit", **fields})


def test_unchanged_records_have_no_changes() -> None:
    assert diff_records(_visit(purpose="Learn"), _visit(purpose="Learn")) == []


def test_changed_fields_come_in_display_order_with_labels() -> None:
    old = _visit(purpose="Learn", host="Water board")
    new = _visit(purpose="Learn about tariffs", host="Water board", place="Mthatha")
    assert diff_records(old, new) == [
        FieldChange("place", "Place", "", "Mthatha"),
        FieldChange("purpose", "Purpose", "Learn", "Learn about tariffs"),
    ]


def test_follow_ups_tags_links_and_status_read_as_text() -> None:
    old = _visit(follow_ups=[{"action": "Send report", "owner": "Nomsa", "due": "2025-06-01", "done": False}])
    new = old.with_fields(
        follow_ups=[{"action": "Send report", "owner": "Nomsa", "due": "2025-06-01", "done": True}]
    ).with_changes(
        tags=("water", "tariffs"),
        links=(Link(Relation.PARTICIPANT, "e1"), Link(Relation.CITES, "gone", note="page 4")),
        status=Status.PUBLISHED,
    )
    changes = {change.field: change for change in diff_records(old, new, titles={"e1": "Thandi Demo"})}
    assert changes["follow_ups"].label == "Follow-up actions"
    assert changes["follow_ups"].old == "Send report (Nomsa, due 2025-06-01)"
    assert changes["follow_ups"].new == "Send report (Nomsa, due 2025-06-01) [done]"
    assert changes["tags"].new == "water\ntariffs"
    assert changes["links"].new == "participant: Thandi Demo\ncites: gone (page 4)"
    assert (changes["status"].old, changes["status"].new) == ("draft", "published")
    assert "{" not in changes["follow_ups"].new, "no raw JSON"


def test_a_first_version_lists_everything_it_holds() -> None:
    record = Record(id="e", kind=Kind.EXPERT, fields={"name": "Thandi", "languages": ["isiXhosa", "English"]})
    changes = diff_records(None, record)
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("name", "", "Thandi"),
        ("languages", "", "isiXhosa\nEnglish"),
        ("status", "", "draft"),
        ("visibility", "", "everyone"),
    ]


def test_unknown_fields_and_the_trash_state_are_shown() -> None:
    old = _visit()
    new = _visit(legacy_code="X1").with_changes(deleted=True)
    fields = [(c.field, c.label, c.new) for c in diff_records(old, new)]
    assert ("legacy_code", "Legacy code", "X1") in fields
    assert ("deleted", "In the trash", "yes") in fields


def test_summary_names_the_first_changes() -> None:
    changes = [FieldChange(name, name.title(), "", "x") for name in ("a", "b", "c", "d", "e")]
    assert summarize(changes) == "A, B, C and 2 more"
    assert summarize(changes[:2]) == "A, B"
    assert summarize([]) == ""


def test_an_accepted_answer_reads_as_the_answer_not_its_id() -> None:
    question = Record(id="q1", kind=Kind.QUESTION, fields={"title": "Who repairs pumps?"})
    accepted = question.with_fields(accepted_answer="a1")
    titles = {"a1": "The water committee keeps a list..."}
    assert diff_records(question, accepted, titles=titles) == [
        FieldChange("accepted_answer", "Accepted answer", "", "The water committee keeps a list...")
    ]
    [change] = diff_records(question, question.with_fields(accepted_answer="a2"), titles=titles)
    assert change.new == "(a record not in this profile)"
