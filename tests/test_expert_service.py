"""Peer learning on one profile: availability, requests made and answered, people to ask (no Qt)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, record_id_for
from desktop.core.requests import RequestError, asked_user
from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.store.sync_mapping import version_of


def rid(name: str) -> str:
    return record_id_for("test", name)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    with Session.open(ProfilePaths(tmp_path / "profile", "--data-dir")) as opened:
        opened.set_me("olga")
        opened.save_many(
            [
                Record(rid("olga"), Kind.EXPERT, {"name": "Olga", "handle": "olga"}),
                Record(
                    rid("petra"),
                    Kind.EXPERT,
                    {"name": "Petra", "handle": "petra", "expertise": ["boreholes"]},
                ),
                Record(rid("nobody"), Kind.EXPERT, {"name": "Nomsa", "expertise": ["boreholes"]}),
                Record(
                    rid("draft"),
                    Kind.CASE_STUDY,
                    {"title": "Borehole repairs in Ward 9"},
                    tags=("boreholes",),
                    links=(Link(Relation.AUTHOR, rid("olga")),),
                    owner="olga",
                ),
            ]
        )
        yield opened


def test_a_request_names_the_expert_and_reaches_them_through_the_envelope(session: Session) -> None:
    request = session.request_help(rid("petra"), "peer_review", "Please read it", regarding=rid("draft"))
    assert request.owner == "olga" and request.fields["state"] == "open"
    assert request.links == (
        Link(Relation.REQUESTED_OF, rid("petra"), "petra"),
        Link(Relation.REGARDING, rid("draft")),
    )
    assert version_of(session.store.get(request.id), []).envelope.reviewers == ["petra"]
    (mine,) = session.experts.overview().outgoing
    assert (mine.other_name, mine.regarding_title, mine.state) == (
        "Petra",
        "Borehole repairs in Ward 9",
        "open",
    )


@pytest.mark.parametrize(
    ("expert", "kind", "regarding", "problem"),
    [
        ("nobody", "mentoring", "", "no user name"),
        ("olga", "mentoring", "", "yourself"),
        ("petra", "peer_review", "", "draft"),
        ("petra", "gossip", "", "unknown request type"),
        ("draft", "advice", "", "no such expert"),
    ],
)
def test_requests_that_cannot_be_made(
    session: Session, expert: str, kind: str, regarding: str, problem: str
) -> None:
    with pytest.raises(RequestError, match=problem):
        session.request_help(rid(expert), kind, "hello", regarding)


def test_the_person_asked_accepts_then_reports_the_outcome(session: Session) -> None:
    request = session.request_help(rid("petra"), "mentoring", "Mentor me?")
    with pytest.raises(RequestError, match="person asked"):
        session.respond_to_request(request.id, "accepted")  # olga asked; petra answers
    session.set_me("petra")
    assert session.experts.overview().waiting == 1
    with pytest.raises(RequestError, match="cannot become done"):
        session.respond_to_request(request.id, "done")
    session.respond_to_request(request.id, "accepted")
    session.respond_to_request(request.id, "done", "Six sessions; she runs the repairs team now.")
    (theirs,) = session.experts.overview().incoming
    assert (theirs.state, theirs.outcome, theirs.other_name) == (
        "done",
        "Six sessions; she runs the repairs team now.",
        "Olga",
    )
    assert asked_user(session.store.get(request.id)) == "petra"


def test_availability_is_saved_on_my_own_profile(session: Session) -> None:
    session.experts.set_availability(["peer_review", "advice", "nonsense"])
    assert session.store.get(rid("olga")).fields["availability"] == ["advice", "peer_review"]
    session.set_me("someone-else")
    with pytest.raises(RequestError, match="no expert profile"):
        session.experts.set_availability(["advice"])


def test_a_record_suggests_people_other_than_its_authors(session: Session) -> None:
    people = session.experts.suggestions(rid("draft"))
    assert {p.name for p in people} == {"Petra", "Nomsa"}  # Olga wrote it
    assert session.experts.suggestions(rid("draft")) is people  # cached until something changes
    assert session.experts.suggestions(rid("petra")) == []  # people are not asked about people
    assert session.experts.filter_choices() == ([], [])
