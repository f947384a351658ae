"""The expert finder: who knows about a topic, and the evidence for it."""

from __future__ import annotations

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation
from desktop.search import ExpertFilters, ExpertFinder, ExpertMatch, SearchIndex
from desktop.store import RecordRepository
from tests.search.conftest import rid


def test_ranking_and_evidence(index: SearchIndex, store: RecordRepository) -> None:
    experts = ExpertFinder(index, store).find("sanitation")
    assert [e.name for e in experts][:1] == ["Thandi Nkosi"]  # profile, authored case study, site visit
    thandi = experts[0]
    relations = {(e.relation, e.record_id) for e in thandi.evidence}
    assert ("profile", rid("thandi")) in relations
    assert ("author", rid("sanitation-case")) in relations
    assert ("participant", rid("drought-visit")) in relations
    assert thandi.organisation == "City of Cape Town"
    names = [e.name for e in experts]
    assert "Lerato Mokoena" in names  # facilitates the matching community
    lerato = experts[names.index("Lerato Mokoena")]
    assert [(e.relation, e.record_id, e.kind) for e in lerato.evidence] == [
        ("facilitator", rid("water-cop"), Kind.COMMUNITY)
    ]
    sipho = experts[names.index("Sipho Dlamini")]
    assert ("answered", rid("question")) in {(e.relation, e.record_id) for e in sipho.evidence}
    assert experts == sorted(experts, key=lambda e: -e.score)


def test_only_existing_experts_are_returned(index: SearchIndex, store: RecordRepository) -> None:
    # The café case study's AUTHOR link points at a profile that does not exist.
    found = ExpertFinder(index, store).find("cafe")
    assert all(e.id != rid("ghost-person") for e in found)
    index.apply(store.delete(rid("sipho")), store)
    assert all(e.id != rid("sipho") for e in ExpertFinder(index, store).find("visualization"))


def test_more_evidence_ranks_higher(index: SearchIndex, store: RecordRepository) -> None:
    changes = store.save_many(
        [
            Record(
                rid(f"dash-{n}"),
                Kind.CASE_STUDY,
                {"title": f"Drought dashboard {n}"},
                links=(Link(Relation.AUTHOR, rid("sipho")),),
            )
            for n in range(3)
        ]
    )
    index.apply(changes, store)
    experts = ExpertFinder(index, store).find("drought")
    assert experts[0].name == "Sipho Dlamini"


def test_json_shape(index: SearchIndex, store: RecordRepository) -> None:
    data = ExpertFinder(index, store).find_result("sanitation", limit=2).to_json()
    assert data["topic"] == "sanitation" and len(data["experts"]) == 2
    assert set(data["experts"][0]) == {
        "id",
        "name",
        "organisation",
        "district",
        "availability",
        "handle",
        "score",
        "evidence",
    }
    assert set(data["experts"][0]["evidence"][0]) == {"relation", "record_id", "kind", "title"}
    assert ExpertFinder(index, store).find("") == []


# -- the evidence of issue 5: reviews, peer reviews, accepted answers, terms, filters ---------


def _save(index: SearchIndex, store: RecordRepository, *records: Record) -> None:
    index.apply(store.save_many(list(records)), store)


def _person(name: str, **fields: object) -> Record:
    return Record(rid(name), Kind.EXPERT, {"name": name.title(), **fields})


def _relations(experts: list[ExpertMatch], name: str) -> set[tuple[str, str]]:
    (match,) = [e for e in experts if e.name == name]
    return {(e.relation, e.record_id) for e in match.evidence}


def test_publishing_or_returning_is_reviewing(index: SearchIndex, store: RecordRepository) -> None:
    log = [
        {"action": "submitted", "by": "olga", "at": "2026-01-01T00:00:00+00:00", "comment": ""},
        {"action": "returned", "by": "rita", "at": "2026-01-02T00:00:00+00:00", "comment": "Cite it"},
    ]
    _save(
        index,
        store,
        _person("rita", handle="rita"),
        _person("olga", handle="olga"),
        Record(rid("reviewed"), Kind.ARTICLE, {"title": "Greywater reuse", "review_log": log}),
    )
    experts = ExpertFinder(index, store).find("greywater")
    assert _relations(experts, "Rita") == {("reviewed", rid("reviewed"))}
    assert "Olga" not in [e.name for e in experts]  # submitting is not reviewing


def test_peer_reviews_and_accepted_answers_count(index: SearchIndex, store: RecordRepository) -> None:
    _save(
        index,
        store,
        _person("petra", handle="petra"),
        _person("anna"),
        Record(rid("draft"), Kind.CASE_STUDY, {"title": "Greywater gardens"}),
        Record(
            rid("peer"),
            Kind.REQUEST,
            {"request_type": "peer_review", "message": "Please read", "state": "done"},
            links=(Link(Relation.REQUESTED_OF, rid("petra")), Link(Relation.REGARDING, rid("draft"))),
        ),
        Record(rid("q"), Kind.QUESTION, {"title": "Is greywater safe?"}),
        Record(
            rid("a"),
            Kind.ANSWER,
            {"body": "Yes, filtered.", "accepted": True},
            links=(Link(Relation.ANSWERS, rid("q")), Link(Relation.AUTHOR, rid("anna"))),
        ),
    )
    experts = ExpertFinder(index, store).find("greywater")
    assert _relations(experts, "Petra") == {("reviewed", rid("draft"))}
    assert _relations(experts, "Anna") == {("accepted_answer", rid("q"))}


def test_a_peer_review_counts_only_once_done(index: SearchIndex, store: RecordRepository) -> None:
    _save(
        index,
        store,
        _person("petra"),
        Record(rid("draft"), Kind.CASE_STUDY, {"title": "Greywater gardens"}),
        Record(
            rid("peer"),
            Kind.REQUEST,
            {"request_type": "peer_review", "state": "accepted"},
            links=(Link(Relation.REQUESTED_OF, rid("petra")), Link(Relation.REGARDING, rid("draft"))),
        ),
    )
    assert ExpertFinder(index, store).find("greywater") == []


def test_an_accepted_answer_outranks_a_plain_one(index: SearchIndex, store: RecordRepository) -> None:
    question = Record(rid("q"), Kind.QUESTION, {"title": "Who budgets for boreholes?"})
    answers = [
        Record(
            rid(f"a-{who}"),
            Kind.ANSWER,
            {"body": f"Answer by {who}"},
            links=(Link(Relation.ANSWERS, rid("q")), Link(Relation.AUTHOR, rid(who))),
        )
        for who in ("anna", "bongi")
    ]
    _save(index, store, _person("anna"), _person("bongi"), question, *answers)
    plain = ExpertFinder(index, store).find("boreholes")
    assert {e.name for e in plain} == {"Anna", "Bongi"} and plain[0].score == plain[1].score
    # The question's accepted_answer (set by the asker) is enough.
    _save(index, store, question.with_fields(accepted_answer=rid("a-bongi")))
    ranked = ExpertFinder(index, store).find("boreholes")
    assert [e.name for e in ranked] == ["Bongi", "Anna"]
    assert ranked[0].evidence[0].relation == "accepted_answer"


def test_filters_by_district_organisation_and_availability(
    index: SearchIndex, store: RecordRepository
) -> None:
    _save(
        index,
        store,
        _person("anna", expertise=["boreholes"], district="Durban", organisation="eThekwini Municipality"),
        _person("bongi", expertise=["boreholes"], district="Cape Town", availability=["mentoring", "advice"]),
    )
    finder = ExpertFinder(index, store)
    assert [e.name for e in finder.find("boreholes", filters=ExpertFilters(district="durban"))] == ["Anna"]
    by_org = finder.find("boreholes", filters=ExpertFilters(organisation="eThekwini municipality"))
    assert [e.name for e in by_org] == ["Anna"]
    mentors = finder.find("boreholes", filters=ExpertFilters(available="mentoring"))
    assert [e.name for e in mentors] == ["Bongi"] and mentors[0].availability == ["advice", "mentoring"]
    assert finder.find("boreholes", filters=ExpertFilters(available="peer_review")) == []
    assert [e.name for e in finder.find("boreholes", exclude=[rid("anna")])] == ["Bongi"]


def test_a_vocabulary_term_brings_its_alternative_labels_and_tagged_records(
    index: SearchIndex, store: RecordRepository
) -> None:
    _save(
        index,
        store,
        _person("anna"),
        _person("bongi"),
        Record(
            rid("swm"), Kind.TERM, {"label": "Solid waste management", "alt_labels": ["refuse collection"]}
        ),
        Record(
            rid("r1"),
            Kind.ARTICLE,
            {"title": "Routes for the trucks"},
            tags=("Refuse collection",),  # an alternative label of the term, as a plain tag
            links=(Link(Relation.AUTHOR, rid("anna")),),
        ),
        Record(
            rid("r2"),
            Kind.ARTICLE,
            {"title": "Kerbside pickups"},
            links=(Link(Relation.AUTHOR, rid("bongi")), Link(Relation.ABOUT, rid("swm"))),
        ),
    )
    finder = ExpertFinder(index, store)
    for found in (finder.find("", term_id=rid("swm")), finder.find("solid waste management")):
        assert {e.name for e in found} == {"Anna", "Bongi"}
    assert {e.name for e in finder.find("refuse collection")} == {"Anna", "Bongi"}
