"""The expert finder: who knows about a topic, and the evidence for it."""

from __future__ import annotations

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation
from desktop.search import ExpertFinder, SearchIndex
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
    assert set(data["experts"][0]) == {"id", "name", "organisation", "score", "evidence"}
    assert set(data["experts"][0]["evidence"][0]) == {"relation", "record_id", "kind", "title"}
    assert ExpertFinder(index, store).find("") == []
