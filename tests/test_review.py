"""The curation workflow on a profile: the rules (desktop/core/review.py) and the session's review methods."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cli.main import main
from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, Status, new_record_id
from desktop.core.review import (
    QueueFilter,
    ReviewAction,
    ReviewEntry,
    ReviewError,
    allowed_actions,
    apply_review,
    edited_beyond_review,
    overtaken_edit_reason,
    overtaken_out_of_sight,
    review_log,
    with_step,
)
from desktop.paths import ProfilePaths
from desktop.session import Session

A = ReviewAction


def study(title: str = "Borehole rota", owner: str = "alice", **changes: object) -> Record:
    record = Record(
        id=new_record_id(),
        kind=Kind.CASE_STUDY,
        fields={"title": title},
        owner=owner,
        created_at="2026-01-01",
    )
    return record.with_changes(**changes)


ALLOWED = [
    # (status, who, librarian, kind, actions)
    (Status.DRAFT, "alice", False, Kind.CASE_STUDY, [A.SUBMITTED]),
    (Status.DRAFT, "bob", False, Kind.CASE_STUDY, []),
    (Status.DRAFT, "cory", False, Kind.CASE_STUDY, [A.SUBMITTED]),  # a co-author
    (Status.RETURNED, "alice", False, Kind.SITE_VISIT, [A.SUBMITTED]),
    (Status.SUBMITTED, "alice", False, Kind.CASE_STUDY, []),
    (Status.SUBMITTED, "lib", True, Kind.CASE_STUDY, [A.PUBLISHED, A.RETURNED]),
    (Status.PUBLISHED, "lib", True, Kind.ARTICLE, [A.RETIRED]),
    (Status.PUBLISHED, "alice", False, Kind.ARTICLE, []),
    (Status.PUBLISHED, "lib", True, Kind.CENTRE_ITEM, [A.RETIRED]),
    (Status.RETIRED, "lib", True, Kind.CASE_STUDY, [A.PUBLISHED]),
    (Status.DRAFT, "lib", True, Kind.CASE_STUDY, [A.PUBLISHED]),  # a librarian's own work
    (Status.PUBLISHED, "lib", True, Kind.EXPERT, []),
]


@pytest.mark.parametrize(("status", "who", "librarian", "kind", "actions"), ALLOWED)
def test_who_may_take_which_action(
    status: Status, who: str, librarian: bool, kind: Kind, actions: list[ReviewAction]
) -> None:
    record = study(status=status, kind=kind, co_authors=("cory",))
    assert allowed_actions(record, who, librarian) == actions


def test_each_action_appends_its_entry_and_a_return_needs_a_comment() -> None:
    draft = study()
    submitted = apply_review(draft, A.SUBMITTED, by="alice", librarian=False, at="2026-12-01T09:00:00+00:00")
    assert submitted.status is Status.SUBMITTED
    with pytest.raises(ReviewError, match="needs a comment"):
        apply_review(submitted, A.RETURNED, by="lib", librarian=True, comment="   ")
    with pytest.raises(ReviewError, match="cannot mark it published"):
        apply_review(submitted, A.PUBLISHED, by="alice", librarian=False)
    returned = apply_review(submitted, A.RETURNED, by="lib", librarian=True, comment=" Add the costs. ")
    assert returned.status is Status.RETURNED
    log = review_log(returned)
    assert [(e.action, e.by, e.comment) for e in log] == [
        (A.SUBMITTED, "alice", ""),
        (A.RETURNED, "lib", "Add the costs."),
    ]
    assert draft.fields.get("review_log") is None  # records are values: the draft is unchanged


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    opened = Session.open(ProfilePaths(tmp_path / "profile", "test"))
    opened.set_me("alice")
    yield opened
    opened.close()


def test_the_session_reviews_and_lists_the_queue_for_each_role(session: Session) -> None:
    community = Record(
        id=new_record_id(), kind=Kind.COMMUNITY, fields={"name": "Water"}, status=Status.PUBLISHED
    )
    water = study(
        "Pump rota",
        links=(Link(Relation.IN_COMMUNITY, community.id),),
        fields={"title": "Pump rota", "service_area": "Water"},
    )
    clinic = study("Clinic tickets", fields={"title": "Clinic tickets", "service_area": "Health"})
    someone_elses = study("Market days", owner="bob", status=Status.SUBMITTED)
    session.save_many([community, water, clinic, someone_elses])
    assert session.role() == "" and not session.is_librarian()
    session.review(clinic.id, "submitted")
    session.review(water.id, A.SUBMITTED)
    # Staff see their own items in review, oldest submission first.
    assert [i.record.id for i in session.review_queue()] == [clinic.id, water.id]
    session.set_role("librarian")
    assert session.is_librarian()
    assert {i.record.id for i in session.review_queue()} == {clinic.id, water.id, someone_elses.id}
    only_water = session.review_queue(QueueFilter(community=community.id))
    assert [i.record.id for i in only_water] == [water.id]
    assert [i.record.id for i in session.review_queue(QueueFilter(service_area="health"))] == [clinic.id]
    session.set_me("lib")
    session.review(water.id, "returned", "Say who runs the rota.")
    session.set_me("alice")
    session.set_role("staff")
    (returned,) = session.returned_to_me()
    assert returned.record.id == water.id and returned.returned is not None
    assert returned.returned.comment == "Say who runs the rota." and returned.returned.by == "lib"
    with pytest.raises(ReviewError):
        session.review(someone_elses.id, "published")
    assert session.store.get(water.id).status is Status.RETURNED


def test_more_like_this_finds_the_nearest_records_and_not_the_record_itself(session: Session) -> None:
    records = [
        study(
            "Borehole pump maintenance rota",
            fields={
                "title": "Borehole pump maintenance rota",
                "summary": "Villagers share the borehole pump maintenance.",
            },
        ),
        study(
            "Pump repairs by village committees",
            fields={
                "title": "Pump repairs by village committees",
                "summary": "Committees repair the borehole pump.",
            },
        ),
        study(
            "Clinic queue tickets",
            fields={"title": "Clinic queue tickets", "summary": "Numbered tickets shorten the clinic queue."},
        ),
    ]
    session.save_many(records)
    similar = session.similar_records(records[0].id)
    assert similar and similar[0].id == records[1].id
    assert records[0].id not in {hit.id for hit in similar}


def test_the_command_line_submits_and_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    draft = study("Ward meetings")
    with Session.open(ProfilePaths(tmp_path / "cli", "test")) as session:
        session.set_me("alice")
        session.save(draft)
    data_dir = str(tmp_path / "cli")
    assert main(["--data-dir", data_dir, "submit", draft.id[:8]]) == 0
    assert "submitted" in capsys.readouterr().out
    assert main(["--data-dir", data_dir, "review"]) == 0
    assert "Ward meetings" in capsys.readouterr().out
    assert main(["--data-dir", data_dir, "review", draft.id, "--publish"]) == 1  # staff do not publish
    assert "cannot mark it published" in capsys.readouterr().err
    assert main(["--data-dir", data_dir, "review", "--retire"]) == 2


def test_a_merge_keeps_each_records_review_history_its_own() -> None:
    from desktop.core.merging import plan_merge

    kept = study("Ward meetings", status=Status.PUBLISHED)
    merged = apply_review(study("Ward meetings (copy)"), A.SUBMITTED, by="alice", librarian=False)
    plan = plan_merge(kept, merged, [])
    assert "review_log" not in plan.survivor.fields and "review_log" not in plan.added_fields


# -- two reviewers at once: the merge of review histories -----------------------------------------


def _acted(record: Record, *steps: tuple[ReviewAction, str, str]) -> Record:
    for action, by, comment in steps:
        record = apply_review(record, action, by=by, librarian=by != "alice", comment=comment)
    return record


OVERTAKING = [
    # (the server's actions, mine, the status after the merge, mine kept, mine overtaken)
    ([(A.PUBLISHED, "lib", "")], [(A.RETURNED, "lin", "Add costs")], Status.PUBLISHED, [], ["returned"]),
    ([(A.RETURNED, "lib", "Add costs")], [(A.PUBLISHED, "lin", "")], Status.RETURNED, [], ["published"]),
    ([(A.PUBLISHED, "lib", "")], [(A.PUBLISHED, "lin", "")], Status.PUBLISHED, [], ["published"]),
    ([(A.RETURNED, "lib", "Add costs")], [(A.RETURNED, "lin", "Shorter")], Status.RETURNED, [], ["returned"]),
    # Both published; my retirement, decided on the published record, still applies.
    (
        [(A.PUBLISHED, "lib", "")],
        [(A.PUBLISHED, "lin", ""), (A.RETIRED, "lin", "")],
        Status.RETIRED,
        ["retired"],
        ["published"],
    ),
    # A return and a resubmission came back to "submitted": my publication was of what came before.
    (
        [(A.RETURNED, "lib", "Add costs"), (A.SUBMITTED, "alice", "")],
        [(A.PUBLISHED, "lin", "")],
        Status.SUBMITTED,
        [],
        ["published"],
    ),
]


@pytest.mark.parametrize(("theirs_steps", "mine_steps", "status", "kept", "overtaken"), OVERTAKING)
def test_a_review_another_reviewer_overtook_is_left_out_and_said(
    theirs_steps: list[tuple[ReviewAction, str, str]],
    mine_steps: list[tuple[ReviewAction, str, str]],
    status: Status,
    kept: list[str],
    overtaken: list[str],
) -> None:
    from desktop.core.merge import merge_records

    base = apply_review(study(), A.SUBMITTED, by="alice", librarian=False)
    theirs, mine = _acted(base, *theirs_steps), _acted(base, *mine_steps)
    result = merge_records(base, mine.with_fields(summary="typo fixed"), theirs)
    assert result.clean  # not a conflict for the person to resolve
    merged_log = review_log(result.record)
    assert merged_log[: len(review_log(theirs))] == review_log(theirs)  # the server's entries stay
    assert [e.action.value for e in merged_log[len(review_log(theirs)) :]] == kept
    assert result.record.status is status
    assert result.record.fields["summary"] == "typo fixed"  # the rest merges as before
    assert [o.mine.action.value for o in result.overtaken] == overtaken
    first = review_log(theirs)[-1]
    for item in result.overtaken:
        assert item.first == first
        reason = item.reason("Borehole rota")
        assert reason.startswith(f"{first.by} {first.action.value} “Borehole rota” first")
        assert "was not sent" in reason
        if item.mine.comment:
            assert item.mine.comment in reason  # nothing typed is lost
        if first.comment:
            assert f"saying “{first.comment}”" in reason  # what the other reviewer said


def test_review_histories_grown_on_one_side_or_rewritten_merge_as_before() -> None:
    from desktop.core.merge import merge_records

    base = apply_review(study(), A.SUBMITTED, by="alice", librarian=False)
    published = apply_review(base, A.PUBLISHED, by="lib", librarian=True)
    only_mine = merge_records(base, published, base.with_fields(summary="edited"))
    assert only_mine.clean and not only_mine.overtaken and only_mine.record.status is Status.PUBLISHED
    rewritten = base.with_fields(review_log=[{**base.fields["review_log"][0], "comment": "changed"}])
    returned = apply_review(base, A.RETURNED, by="lib", librarian=True, comment="Why?")
    assert merge_records(base, rewritten, returned).conflicts == ("review_log",)


# -- a review overtaken out of sight (another librarian returned the record first) ------------------


def test_the_actions_taken_since_the_synced_version_are_the_ones_overtaken() -> None:
    base = apply_review(study(), A.SUBMITTED, by="alice", librarian=False, at="2026-12-01T09:00:00+00:00")
    mine = apply_review(base, A.PUBLISHED, by="lin", librarian=True, comment="Good to go")
    mine = apply_review(mine, A.RETIRED, by="lin", librarian=True, comment="The wards merged.")
    first = ReviewEntry(A.RETURNED, "lib", "2026-12-02T14:05:00+00:00", "Which wards?")
    steps = overtaken_out_of_sight(base, mine, first)
    assert [item.mine.action for item in steps] == [A.PUBLISHED, A.RETIRED]
    assert steps[0].reason("Borehole rota") == (
        "lib returned “Borehole rota” first (2026-12-02 14:05 UTC, saying “Which wards?”): "
        'your publication was not sent. Your comment was: "Good to go"'
    )
    assert not edited_beyond_review(base, mine)  # only the review actions: the copy may go
    edited = mine.with_changes(fields={**mine.fields, "summary": "Now monthly."})
    assert edited_beyond_review(base, edited)
    kept = with_step(base, edited, first)
    assert kept.status is Status.RETURNED and kept.fields["summary"] == "Now monthly."
    assert [(e.action, e.by) for e in review_log(kept)] == [(A.SUBMITTED, "alice"), (A.RETURNED, "lib")]
    assert overtaken_edit_reason(first, "Borehole rota").endswith(
        "your changes were not sent; they are kept on this computer only."
    )
