"""“Not duplicates”: the rules (desktop/core/dismissals.py), detection honouring them, and a real profile."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.dismissals import DismissalRefused, pair_of, pairs_among, plan_dismissal, plan_restore
from desktop.core.duplicates import DuplicateFacts, find_duplicates
from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, Status, new_record_id
from desktop.paths import ProfilePaths
from desktop.session import ROLE_KEY, Session


def book(title: str, isbn: str, **fields: object) -> Record:
    return Record(
        id=new_record_id(),
        kind=Kind.CENTRE_ITEM,
        status=Status.PUBLISHED,
        fields={"title": title, "isbn": [isbn], **fields},
    )


def facts(record_id: str, title: str, isbn: str) -> DuplicateFacts:
    return DuplicateFacts.of(record_id, Kind.CENTRE_ITEM, {"title": title, "isbn": [isbn]})


# --- the rules ------------------------------------------------------------------------------


def test_pairs_are_ordered_and_each_once() -> None:
    assert pair_of("b", "a") == pair_of("a", "b") == ("a", "b")
    assert pairs_among(["c", "a", "b", "a"]) == [("a", "b"), ("a", "c"), ("b", "c")]


def test_a_dismissal_is_one_link_per_pair_and_idempotent() -> None:
    a, b, c = (book(t, "0198526636") for t in ("One", "Two", "Three"))
    records = {r.id: r for r in (a, b, c)}
    changed = plan_dismissal(records, [a.id, b.id, c.id], "thandi", "librarian", "thandi, 2026-12-02")
    links = [(r.id, link) for r in changed for link in r.links]
    assert len(links) == 3 and all(link.relation is Relation.NOT_DUPLICATE_OF for _, link in links)
    assert {pair_of(rid, link.target_id) for rid, link in links} == set(pairs_among(records))
    assert all(link.note == "thandi, 2026-12-02" for _, link in links)
    again = {**records, **{r.id: r for r in changed}}
    assert plan_dismissal(again, [a.id, c.id], "thandi", "librarian", "later") == []


def test_staff_may_not_dismiss_catalogue_records_but_may_their_own_drafts() -> None:
    a, b = book("One", "0198526636"), book("Two", "0198526636")
    with pytest.raises(DismissalRefused, match="Librarians decide about duplicates"):
        plan_dismissal({a.id: a, b.id: b}, [a.id, b.id], "sipho", "staff", "")
    mine = Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": "Mine"}, owner="sipho")
    published = Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": "Theirs"}, owner="x")
    published = published.with_changes(status=Status.PUBLISHED)
    both = {mine.id: mine, published.id: published}
    [changed] = plan_dismissal(both, [published.id, mine.id], "sipho", "", "")
    assert changed.id == mine.id  # the link goes on the record the user may change
    with pytest.raises(DismissalRefused, match="at least two"):
        plan_dismissal({a.id: a}, [a.id, a.id], "thandi", "librarian", "")
    with pytest.raises(DismissalRefused, match="no record"):
        plan_dismissal({a.id: a}, [a.id, "missing"], "thandi", "librarian", "")


def test_restore_removes_the_link_from_either_side() -> None:
    a, b = book("One", "0198526636"), book("Two", "0198526636")
    a = a.with_changes(links=(Link(Relation.CITES, "x"), Link(Relation.NOT_DUPLICATE_OF, b.id)))
    b = b.with_changes(links=(Link(Relation.NOT_DUPLICATE_OF, a.id),))
    changed = plan_restore({a.id: a, b.id: b}, [(b.id, a.id)], "thandi", "librarian")
    assert {r.id: r.links for r in changed} == {a.id: (Link(Relation.CITES, "x"),), b.id: ()}
    with pytest.raises(DismissalRefused):
        plan_restore({a.id: a}, [(a.id, b.id)], "sipho", "staff")


def test_detection_leaves_dismissed_pairs_out_or_lists_them_last() -> None:
    found = [facts("a", "Plain language", "0198526636"), facts("b", "Plain language.", "9780198526636")]
    found += [facts("c", "Water boards", "080442957X"), facts("d", "Water boards", "9780804429573")]
    assert len(find_duplicates(found)) == 2
    [live] = find_duplicates(found, dismissed={("a", "b")})
    assert {m.id for m in live.members} == {"c", "d"} and not live.dismissed
    groups = find_duplicates(found, dismissed={("a", "b")}, include_dismissed=True)
    assert [(sorted(m.id for m in g.members), g.dismissed) for g in groups] == [
        (["c", "d"], False),
        (["a", "b"], True),
    ]
    assert groups[1].to_json()["dismissed"] is True


def test_a_record_found_alike_later_is_still_proposed() -> None:
    found = [facts(i, "Plain language", "0198526636") for i in ("a", "b", "c")]
    [group] = find_duplicates(found, dismissed={("a", "b")})
    assert {m.id for m in group.members} == {"a", "b", "c"}  # c joins both: still one group to look at
    assert find_duplicates(found, dismissed=set(pairs_among("abc"))) == []


# --- on a profile ---------------------------------------------------------------------------


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    opened = Session.open(ProfilePaths(tmp_path / "profile", "test"))
    opened.store.set_meta(ROLE_KEY, "librarian")
    try:
        yield opened
    finally:
        opened.close()


def test_dismiss_and_restore_on_a_profile_survive_a_reopen_and_go_to_the_outbox(
    session: Session, tmp_path: Path
) -> None:
    a = book("Plain language for public servants", "0198526636")
    b = book("Plain language", "9780198526636", edition="2nd ed.", year=2001)
    session.save_many([a, b])
    [group] = session.find_duplicates()
    pending = session.store.pending_outbox_count()
    changes = session.dismiss_duplicates([m.id for m in group.members])
    assert len(changes.updated) == 1 and session.store.pending_outbox_count() == pending + 1
    assert session.find_duplicates() == []
    session.close()
    with Session.open(ProfilePaths(tmp_path / "profile", "test")) as reopened:
        [dismissed] = reopened.find_duplicates(include_dismissed=True)
        assert dismissed.dismissed
        [item] = reopened.dismissed_duplicates()
        assert {item.first_title, item.second_title} == {a.title, b.title}
        assert {item.first_detail, item.second_detail} == {"", "2nd ed., 2001"}
        assert item.note.startswith(reopened.me())
        reopened.restore_duplicates([item.pair])
        assert reopened.dismissed_duplicates() == []
        [back] = reopened.find_duplicates()
        assert not back.dismissed and {m.id for m in back.members} == {a.id, b.id}


def test_a_merge_keeps_what_the_merged_record_was_said_not_to_duplicate(session: Session) -> None:
    a, b = book("Plain language", "0198526636"), book("Plain language.", "9780198526636")
    c = book("Plain language", "080442957X", year=1990)
    session.save_many([a, b, c])
    session.dismiss_duplicates([b.id, c.id])
    session.merge_records(a.id, b.id)
    assert [d.pair for d in session.dismissed_duplicates()] == [pair_of(a.id, c.id)]
