"""The expert finder: "who knows about X", ranked by the evidence connecting people to X.

Evidence, each weighted and scaled by how well its record matches X (score / best score):
- ``profile``: the person's expert profile (expertise, bio, role, name) matches X;
- ``author``: they authored a matching record (Relation.AUTHOR);
- ``participant``: they took part in a matching site visit or case study (PARTICIPANT);
- ``facilitator``: they facilitate a matching community (FACILITATOR);
- ``answered``: they authored an answer to a matching question.
Only people whose expert record exists (and is not deleted) in the store are returned.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq

from desktop.core.kinds import Kind
from desktop.core.ports import RecordStore
from desktop.core.records import Relation
from desktop.search.index import SearchIndex
from desktop.search.query import make_parser, parse_user_query
from desktop.search.results import Evidence, ExpertMatch, ExpertResult

logger = logging.getLogger(__name__)

WEIGHTS: dict[str, float] = {
    "profile": 3.0,
    "author": 2.0,
    "facilitator": 1.5,
    "answered": 1.5,
    "participant": 1.0,
}
#: How many matching records are examined for evidence.
EVIDENCE_POOL = 300
#: Evidence items listed per person (all of them count towards the score).
EVIDENCE_SHOWN = 10


@dataclass
class _Candidate:
    score: float = 0.0
    evidence: list[tuple[float, Evidence]] = field(default_factory=list)

    def add(self, relation: str, weight: float, record_id: str, kind: Kind, title: str) -> None:
        if any(e.record_id == record_id and e.relation == relation for _, e in self.evidence):
            return
        self.score += WEIGHTS[relation] * weight
        self.evidence.append((WEIGHTS[relation] * weight, Evidence(relation, record_id, kind, title)))


class ExpertFinder:
    """Ranks people for a topic from the index's matches and the store's expert records."""

    def __init__(self, index: SearchIndex, store: RecordStore) -> None:
        self.index = index
        self.store = store

    def find(self, topic: str, limit: int = 10) -> list[ExpertMatch]:
        """People who know about ``topic``, best first, each with the evidence for it."""
        searcher = self.index.searcher()
        query = parse_user_query(make_parser(searcher.schema), topic)
        if query is None or limit <= 0:
            return []
        results = searcher.search(query, limit=EVIDENCE_POOL, terms=False)
        if results.is_empty():
            return []
        best = max(float(hit.score or 0.0) for hit in results) or 1.0
        candidates: dict[str, _Candidate] = defaultdict(_Candidate)
        for hit in results:
            stored = hit.fields()
            kind = Kind(stored["kind"])
            weight = float(hit.score or 0.0) / best
            record_id, title = str(stored["id"]), str(stored.get("title", ""))
            if kind is Kind.EXPERT:
                candidates[record_id].add("profile", weight, record_id, kind, title)
            for relation, person in stored.get("people_links") or []:
                if relation in WEIGHTS:
                    candidates[person].add(relation, weight, record_id, kind, title)
            if kind is Kind.QUESTION:
                self._answers(searcher, record_id, title, weight, candidates)
        return self._ranked(candidates, limit)

    def _answers(
        self, searcher: Any, question_id: str, title: str, weight: float, candidates: dict[str, _Candidate]
    ) -> None:
        """Credit the authors of answers to a matching question."""
        link = f"{Relation.ANSWERS.value}:{question_id}".lower()
        for answer in searcher.search(wq.Term("links", link), limit=50, terms=False):
            for relation, person in answer.get("people_links") or []:
                if relation == Relation.AUTHOR.value:
                    candidates[person].add("answered", weight, question_id, Kind.QUESTION, title)

    def _ranked(self, candidates: dict[str, _Candidate], limit: int) -> list[ExpertMatch]:
        people = {
            rid: r
            for rid, r in self.store.get_many(candidates).items()
            if r.kind is Kind.EXPERT and not r.deleted
        }
        matches = []
        for person_id, candidate in candidates.items():
            person = people.get(person_id)
            if person is None:
                continue  # links may point at profiles that do not exist (yet)
            evidence = [e for _, e in sorted(candidate.evidence, key=lambda item: -item[0])]
            matches.append(
                ExpertMatch(
                    id=person_id,
                    name=person.title,
                    organisation=str(person.fields.get("organisation") or ""),
                    score=candidate.score,
                    evidence=evidence[:EVIDENCE_SHOWN],
                )
            )
        matches.sort(key=lambda m: (-m.score, m.name.casefold(), m.id))
        return matches[:limit]

    def find_result(self, topic: str, limit: int = 10) -> ExpertResult:
        """``find`` wrapped with its topic, for ``{topic, experts}`` JSON."""
        return ExpertResult(topic, self.find(topic, limit))
