"""The read and edit rules of PROTOCOL.md "Who reads, who edits" as tables over pure functions."""

from __future__ import annotations

import pytest

from sync.protocol import CommunityRole, Role, Status, Visibility
from sync.server.access import (
    Access,
    Actor,
    EditDecision,
    edit_decision,
    first_push,
    may_move,
    may_set_authors,
    status_change_allowed,
    visible,
)

A, B = "aaaaaaaa-0000-4000-8000-000000000001", "bbbbbbbb-0000-4000-8000-000000000002"

ACTORS = {
    "owner": Actor("olga", Role.STAFF),
    "co_author": Actor("cory", Role.STAFF),
    "reviewer": Actor("rita", Role.STAFF),
    "member_a": Actor("mona", Role.STAFF, {A: CommunityRole.MEMBER}),
    "facilitator_a": Actor("fay", Role.STAFF, {A: CommunityRole.FACILITATOR}),
    "staff_b": Actor("sam", Role.STAFF, {B: CommunityRole.FACILITATOR}),
    "librarian": Actor("lib", Role.LIBRARIAN),
    "admin": Actor("root", Role.ADMIN),
}


def access(status: Status, visibility: Visibility = Visibility.EVERYONE, kind: str = "case_study") -> Access:
    return Access(kind, "olga", ("cory",), ("rita",), A, status, visibility)


# Who reads: status (and visibility) -> the actors who may, per PROTOCOL.md's table.
READERS = {
    (Status.DRAFT, Visibility.EVERYONE): {"owner", "co_author", "reviewer"},
    (Status.RETURNED, Visibility.EVERYONE): {"owner", "co_author", "reviewer"},
    (Status.SUBMITTED, Visibility.EVERYONE): {
        "owner",
        "co_author",
        "reviewer",
        "librarian",
        "admin",
        "facilitator_a",
    },
    (Status.PUBLISHED, Visibility.EVERYONE): set(ACTORS),
    (Status.PUBLISHED, Visibility.COMMUNITY): {"member_a", "facilitator_a", "librarian", "admin"},
    (Status.RETIRED, Visibility.EVERYONE): {"owner", "librarian", "admin"},
}


@pytest.mark.parametrize(("status", "visibility"), list(READERS))
@pytest.mark.parametrize("who", list(ACTORS))
def test_who_reads(status: Status, visibility: Visibility, who: str) -> None:
    expected = who in READERS[(status, visibility)]
    assert visible(ACTORS[who], access(status, visibility)) is expected


def test_a_tombstone_is_read_by_whoever_could_read_its_last_live_version() -> None:
    tombstone = Access("case_study", "olga", (), (), A, Status.DRAFT, Visibility.EVERYONE, deleted=True)
    assert visible(ACTORS["owner"], tombstone)
    assert not visible(ACTORS["librarian"], tombstone)


EDITORS = {
    (Status.DRAFT, Visibility.EVERYONE): ({"owner", "co_author"}, set()),
    (Status.RETURNED, Visibility.EVERYONE): ({"owner", "co_author"}, set()),
    (Status.SUBMITTED, Visibility.EVERYONE): ({"librarian", "admin"}, set()),
    # Everyone else who reads a record published to everyone proposes.
    (Status.PUBLISHED, Visibility.EVERYONE): (
        {"librarian", "admin"},
        {"owner", "co_author", "reviewer", "member_a", "facilitator_a", "staff_b"},
    ),
    (Status.PUBLISHED, Visibility.COMMUNITY): ({"librarian", "admin", "facilitator_a"}, set()),
    (Status.RETIRED, Visibility.EVERYONE): ({"librarian", "admin"}, set()),
}


@pytest.mark.parametrize(("status", "visibility"), list(EDITORS))
@pytest.mark.parametrize("who", list(ACTORS))
def test_who_edits(status: Status, visibility: Visibility, who: str) -> None:
    editors, proposers = EDITORS[(status, visibility)]
    expected = (
        EditDecision.EDIT
        if who in editors
        else EditDecision.PROPOSE
        if who in proposers
        else EditDecision.DENY
    )
    assert (
        edit_decision(ACTORS[who], access(status, visibility), "11111111-0000-4000-8000-000000000000")
        == expected
    )


@pytest.mark.parametrize(
    ("kind", "handle", "editors"),
    [
        ("expert", "mona", {"owner", "member_a", "librarian", "admin"}),
        ("term", "", {"librarian", "admin"}),
        ("centre_item", "", {"librarian", "admin"}),
        ("question", "", {"owner", "librarian", "admin"}),
        ("answer", "", {"owner", "librarian", "admin"}),
    ],
)
def test_kinds_with_their_own_editors(kind: str, handle: str, editors: set[str]) -> None:
    record = Access(kind, "olga", (), (), A, Status.PUBLISHED, Visibility.COMMUNITY, handle=handle)
    for who, actor in ACTORS.items():
        decision = edit_decision(actor, record, "11111111-0000-4000-8000-000000000000")
        assert (decision == EditDecision.EDIT) is (who in editors), who


def test_a_community_is_edited_by_its_facilitators_and_librarians() -> None:
    community = Access("community", "lib", (), (), "", Status.PUBLISHED, Visibility.EVERYONE)
    assert edit_decision(ACTORS["facilitator_a"], community, A) == EditDecision.EDIT
    assert edit_decision(ACTORS["librarian"], community, A) == EditDecision.EDIT
    assert edit_decision(ACTORS["member_a"], community, A) == EditDecision.PROPOSE
    assert edit_decision(ACTORS["staff_b"], community, A) == EditDecision.PROPOSE


@pytest.mark.parametrize(
    ("who", "before", "after", "allowed"),
    [
        ("owner", Status.DRAFT, Status.SUBMITTED, True),
        ("co_author", Status.RETURNED, Status.SUBMITTED, True),
        ("owner", Status.DRAFT, Status.PUBLISHED, False),
        ("owner", Status.SUBMITTED, Status.DRAFT, False),
        ("reviewer", Status.DRAFT, Status.SUBMITTED, False),
        ("facilitator_a", Status.PUBLISHED, Status.RETIRED, False),
        ("librarian", Status.SUBMITTED, Status.RETURNED, True),
        ("librarian", Status.PUBLISHED, Status.RETIRED, True),
        ("admin", Status.SUBMITTED, Status.PUBLISHED, True),
        ("owner", Status.DRAFT, Status.DRAFT, True),
    ],
)
def test_status_changes(who: str, before: Status, after: Status, allowed: bool) -> None:
    assert status_change_allowed(ACTORS[who], access(before), after) is allowed


def test_only_owners_and_librarians_name_authors_and_only_authors_before_publication_move_records() -> None:
    assert may_set_authors(ACTORS["owner"], access(Status.DRAFT))
    assert not may_set_authors(ACTORS["co_author"], access(Status.DRAFT))
    assert may_move(ACTORS["co_author"], access(Status.DRAFT))
    assert not may_move(ACTORS["owner"], access(Status.PUBLISHED))
    assert may_move(ACTORS["librarian"], access(Status.PUBLISHED))


@pytest.mark.parametrize(
    ("who", "kind", "pushed_status", "community", "handle", "outcome"),
    [
        ("owner", "case_study", Status.PUBLISHED, "", "", Status.DRAFT),
        ("owner", "site_visit", Status.SUBMITTED, "", "", Status.SUBMITTED),
        ("librarian", "article", Status.DRAFT, "", "", Status.PUBLISHED),
        ("admin", "case_study", Status.DRAFT, "", "", Status.PUBLISHED),
        ("member_a", "question", Status.DRAFT, A, "", Status.PUBLISHED),
        ("member_a", "answer", Status.DRAFT, A, "", Status.PUBLISHED),
        ("staff_b", "question", Status.DRAFT, A, "", None),
        ("owner", "expert", Status.DRAFT, "", "olga", Status.PUBLISHED),
        ("owner", "expert", Status.DRAFT, "", "someone", None),
        ("owner", "term", Status.DRAFT, "", "", None),
        ("owner", "centre_item", Status.DRAFT, "", "", None),
        ("facilitator_a", "community", Status.DRAFT, "", "", None),
        ("librarian", "community", Status.DRAFT, "", "", Status.PUBLISHED),
        ("librarian", "term", Status.DRAFT, "", "", Status.PUBLISHED),
    ],
)
def test_first_push(
    who: str, kind: str, pushed_status: Status, community: str, handle: str, outcome: Status | None
) -> None:
    pushed = Access(kind, "", (), (), community, pushed_status, Visibility.EVERYONE, handle=handle)
    decision = first_push(ACTORS[who], pushed, "11111111-0000-4000-8000-000000000000")
    assert decision.allowed is (outcome is not None)
    if outcome is not None:
        assert decision.status == outcome
    if kind in ("question", "answer") and outcome is not None:
        assert decision.visibility == Visibility.COMMUNITY


def test_access_survives_its_json_form() -> None:
    original = Access(
        "expert", "olga", ("cory",), ("rita",), A, Status.RETIRED, Visibility.COMMUNITY, True, "olga"
    )
    assert Access.from_json(original.to_json()) == original
