"""Peer learning on one profile: availability, requests made and answered, people to ask (no Qt)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, record_id_for
from desktop.core.requests import RequestError, asked_user
from desktop.importers.markdown import split_front_matter
from desktop.importers.text import str_list
from desktop.paths import ProfilePaths
from desktop.search import ExpertFilters
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


def test_a_place_spelled_differently_is_one_filter_choice(session: Session) -> None:
    # As in the corpus, where "Washington, DC" and "Washington, D.C." are one district.
    places = [
        ("Washington, DC", "GSA"),
        ("Washington, D.C.", "G.S.A."),
        ("washington dc", "GSA"),
        ("NYC", ""),
    ]
    session.save_many(
        [
            Record(
                rid(f"dc-{n}"),
                Kind.EXPERT,
                {"name": f"Expert {n}", "expertise": ["boreholes"], "district": d, "organisation": o},
            )
            for n, (d, o) in enumerate([places[0], *places])
        ]
    )
    districts, organisations = session.experts.filter_choices()
    assert districts == [("NYC", 1), ("Washington, DC", 4)]  # the most common spelling names it
    assert organisations == [("GSA", 4)]
    found = session.find_experts("boreholes", filters=ExpertFilters(district="Washington, D.C."))
    assert sorted(e.name for e in found) == ["Expert 0", "Expert 1", "Expert 2", "Expert 3"]


# -- on the real corpus: the people suggested for a record include those with the clear evidence ---

#: Two months of Digital.gov news (54 articles), their authors and the Digital.gov topics.
NEWS_MONTHS = ("2014/01", "2014/02")


def _authors_of(articles: list[Path]) -> set[str]:
    """The author slugs in the front matter of ``articles`` (the folders of their profiles)."""
    return {
        slug
        for path in articles
        for slug in str_list(split_front_matter(path.read_text(encoding="utf-8"))[0].get("authors"))
    }


@pytest.fixture(scope="module")
def corpus_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    from tests.conftest import CORPUS

    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    digitalgov = CORPUS / "knowledge_base" / "digitalgov" / "news"
    months = [digitalgov / month for month in NEWS_MONTHS]
    authors = CORPUS / "experts" / "digitalgov" / "authors"
    people = [authors / slug for slug in sorted(_authors_of([p for m in months for p in m.glob("*.md")]))]
    folder = tmp_path_factory.mktemp("corpus-slice") / "profile"
    with Session.open(ProfilePaths(folder, "--data-dir")) as opened:
        report = opened.import_paths(
            [*months, *[p for p in people if p.is_dir()], CORPUS / "vocab" / "digitalgov_topics"]
        )
        assert not report.errors
        yield opened


def _suggested_for(session: Session, title: str) -> list[str]:
    (hit,) = session.search(f'"{title}"', kinds=[Kind.ARTICLE], limit=1).hits
    assert hit.title == title
    return [person.name for person in session.experts.suggestions(hit.id)]


@pytest.mark.parametrize(
    ("title", "author", "expected"),
    [
        # Contact centres: the two other articles on them that month, by Mary Ann Monroe and Tonya Beres
        # (shared topics "Contact centers", "User experience"; shared title words).
        (
            "Top 8 Best Practices for Federal Contact Centers",
            "Barbara Walton",
            {"Mary Ann Monroe", "Tonya Beres"},
        ),
        (
            "Three Concepts for Excellence in Contact Centers",
            "Mary Ann Monroe",
            {"Barbara Walton", "Tonya Beres"},
        ),
        # Responsive design, by title words: "DigitalGov Search is Now Responsive" (Ammie Farraj Feijoo),
        # "Responsive Web Design Workshop" (Jacob Parcell); the topic "Mobile" is shared by many.
        ("Energy.gov goes Responsive", "", {"Ammie Farraj Feijoo", "Jacob Parcell"}),  # no author
    ],
)
def test_suggestions_on_the_corpus_include_the_authors_of_closely_related_articles(
    corpus_session: Session, title: str, author: str, expected: set[str]
) -> None:
    people = _suggested_for(corpus_session, title)
    assert expected <= set(people), people
    if author:
        assert author not in people  # its own author is not asked about it
