"""Three-way merge of record versions: one side's change wins, sets merge, only true clashes conflict."""

from __future__ import annotations

from desktop.core.kinds import Kind
from desktop.core.merge import DELETED, merge_records
from desktop.core.records import Link, Record, Relation, Status

RID = "7b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3"


def visit(**fields) -> Record:
    base = {"title": "Ward 3 standpipes", "place": "Ward 3", "purpose": "See the queue system"}
    base.update(fields)
    return Record(id=RID, kind=Kind.SITE_VISIT, fields=base, status=Status.DRAFT, owner="thandi")


def test_different_fields_changed_on_each_side_merge_cleanly() -> None:
    base = visit()
    mine = visit(place="Ward 3, Mthatha")
    theirs = visit(purpose="See how tokens end the morning scramble")
    result = merge_records(base, mine, theirs)
    assert result.clean
    assert result.record.fields["place"] == "Ward 3, Mthatha"
    assert result.record.fields["purpose"] == "See how tokens end the morning scramble"


def test_the_same_scalar_changed_differently_is_a_conflict_and_theirs_stays() -> None:
    result = merge_records(visit(), visit(title="Mine"), visit(title="Theirs"))
    assert result.conflicts == ("title",)
    assert result.record.fields["title"] == "Theirs"


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    result = merge_records(visit(), visit(title="Same"), visit(title="Same"))
    assert result.clean and result.record.fields["title"] == "Same"


def test_tags_and_links_merge_as_sets() -> None:
    base = visit().with_changes(tags=("water", "queues"), links=(Link(Relation.PARTICIPANT, "a"),))
    mine = base.with_changes(
        tags=("water", "queues", "tokens"), links=(*base.links, Link(Relation.PARTICIPANT, "b"))
    )
    theirs = base.with_changes(tags=("water",), links=(*base.links, Link(Relation.PARTICIPANT, "c")))
    result = merge_records(base, mine, theirs)
    assert result.clean
    assert result.record.tags == ("water", "tokens")  # theirs removed "queues", mine added "tokens"
    assert [link.target_id for link in result.record.links] == ["a", "b", "c"]


def test_follow_up_actions_merge_item_by_item() -> None:
    actions = [
        {"action": "Draft a script", "owner": "sipho", "done": False},
        {"action": "Ask IT", "done": False},
    ]
    base = visit(follow_ups=actions)
    mine = visit(follow_ups=[{**actions[0], "done": True}, actions[1], {"action": "Mine new", "done": False}])
    theirs = visit(follow_ups=[actions[0], {**actions[1], "due": "2026-12-20"}, {"action": "Theirs new"}])
    result = merge_records(base, mine, theirs)
    assert result.clean
    merged = result.record.fields["follow_ups"]
    assert merged[0]["done"] is True and merged[1]["due"] == "2026-12-20"
    assert [item["action"] for item in merged[2:]] == ["Mine new", "Theirs new"]


def test_one_action_part_changed_on_both_sides_conflicts() -> None:
    base = visit(follow_ups=[{"action": "Ask IT", "owner": "sipho"}])
    mine = visit(follow_ups=[{"action": "Ask IT", "owner": "thandi"}])
    theirs = visit(follow_ups=[{"action": "Ask IT", "owner": "lindiwe"}])
    assert merge_records(base, mine, theirs).conflicts == ("follow_ups.owner",)


def test_a_list_field_merges_as_a_set() -> None:
    base = Record(id=RID, kind=Kind.CENTRE_ITEM, fields={"title": "T", "isbn": ["1", "2"]})
    mine = base.with_fields(isbn=["1", "2", "3"])
    theirs = base.with_fields(isbn=["2"])
    assert merge_records(base, mine, theirs).record.fields["isbn"] == ["2", "3"]


def test_the_server_owns_status_and_owner() -> None:
    base = visit()
    mine = visit().with_changes(status=Status.SUBMITTED)
    theirs = visit().with_changes(status=Status.PUBLISHED, owner="librarian")
    result = merge_records(base, mine, theirs)
    assert result.clean and result.record.status is Status.PUBLISHED and result.record.owner == "librarian"
    untouched_by_them = merge_records(base, mine, visit())
    assert untouched_by_them.record.status is Status.SUBMITTED


def test_delete_against_edit_is_a_conflict_and_delete_against_nothing_is_not() -> None:
    base = visit()
    deleted = base.with_changes(deleted=True)
    assert merge_records(base, deleted, visit(title="Edited")).conflicts == (DELETED,)
    assert merge_records(base, visit(title="Edited"), deleted).conflicts == (DELETED,)
    assert merge_records(base, deleted, base).record.deleted
    assert merge_records(base, base, deleted).record.deleted


def test_a_field_removed_on_one_side_stays_removed() -> None:
    base = visit()
    mine = base.with_changes(fields={k: v for k, v in base.fields.items() if k != "place"})
    result = merge_records(base, mine, visit(title="Theirs"))
    assert "place" not in result.record.fields and result.record.fields["title"] == "Theirs"


def test_no_base_means_every_difference_is_a_conflict() -> None:
    result = merge_records(None, visit(title="A"), visit(title="B"))
    assert result.conflicts == ("title",)
