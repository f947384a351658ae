"""The expert finder: "who knows about X", ranked by the evidence connecting people to X.

The topic is free text, or a vocabulary term (its preferred and alternative labels and the
records tagged with it all match). Evidence, each weighted and scaled by how well its record
matches X (score / best score):

- ``profile``: the person's expert profile (expertise, bio, role, name) matches X;
- ``author``: they authored a matching record (Relation.AUTHOR);
- ``reviewed``: they published or returned a matching record as a librarian (its
  ``review_log``, by user name = the profile's ``handle``), or completed a peer-review
  request regarding it;
- ``participant``: they took part in a matching site visit or case study (PARTICIPANT);
- ``facilitator``: they facilitate a matching community (FACILITATOR);
- ``accepted_answer``: their answer to a matching question was accepted;
- ``answered``: they answered a matching question (an accepted answer weighs more).

Only people whose expert record exists (and is not deleted) in the store are returned, and
only those passing the filters (district, organisation, availability).
"""

from __future__ import annotations

import logging
import math
import re
import threading
import weakref
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from whoosh import query as wq

from desktop.core.kinds import Kind
from desktop.core.ports import RecordStore
from desktop.core.records import Record, Relation
from desktop.core.vocabulary import follow_replacements
from desktop.search.analysis import fold
from desktop.search.index import SearchIndex
from desktop.search.query import make_parser, parse_user_query, union_trees
from desktop.search.results import Evidence, ExpertMatch, ExpertResult
from desktop.search.schema import FIELD_BOOSTS

logger = logging.getLogger(__name__)

#: Vocabulary labels (folded) -> term id, per searcher (weakly: a searcher is replaced on change).
_TERM_LABELS: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()
_LABELS_LOCK = threading.Lock()

WEIGHTS: dict[str, float] = {
    "profile": 3.0,
    "author": 2.0,
    "accepted_answer": 2.0,
    "reviewed": 1.5,
    "facilitator": 1.5,
    "participant": 1.0,
    "answered": 1.0,
}
#: How many matching records are examined for evidence.
EVIDENCE_POOL = 300
#: Evidence items listed per person (all of them count towards the score).
EVIDENCE_SHOWN = 10
#: What an expert may offer (``availability`` of an expert profile; ``request_type`` of a request).
AVAILABILITY = ("advice", "mentoring", "peer_review")
#: Labels of a vocabulary term a topic query takes (the preferred label first).
TERM_LABELS = 24
#: Review-log actions that show someone reviewed a record.
REVIEW_ACTIONS = frozenset({"published", "returned"})
#: Kinds whose records carry a review history.
_REVIEWABLE = frozenset({Kind.CASE_STUDY, Kind.ARTICLE, Kind.SITE_VISIT, Kind.CENTRE_ITEM})


class EvidenceStore(RecordStore, Protocol):
    """What the finder reads from the store besides records (``desktop.store.expert_queries``)."""

    def sources_linking(
        self, target_ids: Iterable[str], relation: Relation, kind: Kind
    ) -> list[tuple[str, str]]:
        """(source, target) ids of live ``kind`` records linking by ``relation`` to the targets."""
        ...

    def experts_by_handle(self, handles: Iterable[str]) -> dict[str, str]:
        """The live expert profile id of each user name that has one."""
        ...


@dataclass(frozen=True)
class ExpertFilters:
    """Who may be listed: exact district and organisation (case-insensitive), one availability."""

    district: str = ""
    organisation: str = ""
    available: str = ""

    def admits(self, person: Record) -> bool:
        """Whether the expert profile ``person`` passes every filter set."""
        fields = person.fields
        if self.district and place_key(str(fields.get("district") or "")) != place_key(self.district):
            return False
        if self.organisation and place_key(str(fields.get("organisation") or "")) != place_key(
            self.organisation
        ):
            return False
        return not self.available or self.available in availability_of(person)


def place_key(name: str) -> str:
    """A district or organisation as the filters compare it: case, accents, spaces and punctuation
    left out, as people type them differently ("Washington, D.C." is "Washington, DC")."""
    return re.sub(r"[\W_]+", "", fold(name))


def distinct_places(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """Filter choices from how many people have each spelling of a district or organisation: one
    choice per :func:`place_key` (its most common spelling) with everyone who has it, by name."""
    groups: dict[str, dict[str, int]] = defaultdict(dict)
    for name, count in counts.items():
        if place_key(name):
            groups[place_key(name)][name] = count
    choices = [
        (min(spellings, key=lambda s: (-spellings[s], s.casefold())), sum(spellings.values()))
        for spellings in groups.values()
    ]
    return sorted(choices, key=lambda choice: choice[0].casefold())


def availability_of(person: Record) -> list[str]:
    """What an expert profile offers, of :data:`AVAILABILITY`, in that order."""
    offered = {
        str(item).strip().lower().replace(" ", "_") for item in person.fields.get("availability") or ()
    }
    return [item for item in AVAILABILITY if item in offered]


@dataclass
class _Candidate:
    score: float = 0.0
    evidence: list[tuple[float, Evidence]] = field(default_factory=list)

    def add(self, relation: str, weight: float, record_id: str, kind: Kind, title: str) -> None:
        if any(e.record_id == record_id and e.relation == relation for _, e in self.evidence):
            return
        self.score += WEIGHTS[relation] * weight
        self.evidence.append((WEIGHTS[relation] * weight, Evidence(relation, record_id, kind, title)))


@dataclass(frozen=True)
class _Match:
    """A matching record: what the evidence lists, and how well it matches (0..1]."""

    id: str
    kind: Kind
    title: str
    weight: float


class ExpertFinder:
    """Ranks people for a topic from the index's matches and the store's records."""

    def __init__(self, index: SearchIndex, store: EvidenceStore) -> None:
        self.index = index
        self.store = store

    def find(
        self,
        topic: str,
        limit: int = 10,
        *,
        filters: ExpertFilters | None = None,
        term_id: str = "",
        exclude: Collection[str] = (),
    ) -> list[ExpertMatch]:
        """People who know about ``topic`` (or the term ``term_id``), best first, with the evidence.

        ``exclude`` leaves some people out (a record's own authors, when suggesting whom to ask).
        """
        if limit <= 0:
            return []
        searcher = self.index.searcher()
        query = self._query(searcher, topic, term_id)
        return self._found(searcher, query, limit, filters, exclude)

    def find_about(
        self,
        record: Record,
        limit: int = 10,
        *,
        filters: ExpertFilters | None = None,
        exclude: Collection[str] = (),
    ) -> list[ExpertMatch]:
        """People who know about what ``record`` is about: the finder run on the record's topics (its
        tags, subjects and vocabulary terms, exactly) and the words of its title and topics, matched
        in titles and topics only. Its whole text would match far more, and cost seconds on a large
        knowledge base, for suggestions no better (a shared tag or title word is the clear evidence).
        """
        if limit <= 0:
            return []
        searcher = self.index.searcher()
        # A term merged into another since the record was tagged stands for the one that took its place.
        terms = follow_replacements(self.store.get_many(record.links_of(Relation.ABOUT)), self.store.get_many)
        labels = [t.title for t in terms.values() if t.kind is Kind.TERM and not t.deleted]
        query = related_query(searcher, record, labels)
        return self._found(searcher, query, limit, filters, exclude)

    def _found(
        self,
        searcher: Any,
        query: Any | None,
        limit: int,
        filters: ExpertFilters | None,
        exclude: Collection[str],
    ) -> list[ExpertMatch]:
        """The people the records matching ``query`` give evidence for, ranked."""
        if query is None:
            return []
        results = searcher.search(query, limit=EVIDENCE_POOL, terms=False)
        if results.is_empty():
            return []
        best = max(float(hit.score or 0.0) for hit in results) or 1.0
        candidates: dict[str, _Candidate] = defaultdict(_Candidate)
        matches: dict[str, _Match] = {}
        for hit in results:
            stored = hit.fields()
            match = _Match(
                str(stored["id"]),
                Kind(stored["kind"]),
                str(stored.get("title", "")),
                float(hit.score or 0.0) / best,
            )
            matches[match.id] = match
            if match.kind is Kind.EXPERT:
                candidates[match.id].add("profile", match.weight, match.id, match.kind, match.title)
            if match.kind is Kind.ANSWER:
                continue  # credited as an answer to its question (see _answers)
            for relation, person in stored.get("people_links") or []:
                if relation in WEIGHTS:
                    candidates[person].add(relation, match.weight, match.id, match.kind, match.title)
        records = self.store.get_many(
            m.id for m in matches.values() if m.kind in _REVIEWABLE or m.kind is Kind.QUESTION
        )
        self._reviews(matches, records, candidates)
        self._answers(matches, records, candidates)
        return self._ranked(candidates, limit, filters or ExpertFilters(), set(exclude))

    # -- the topic -----------------------------------------------------------------------------

    def _query(self, searcher: Any, topic: str, term_id: str) -> Any | None:
        """The topic's query; a vocabulary term (picked, or typed as one of its labels) widens it to
        the records tagged with the term or any of its labels (tags only, not the whole text: some
        vocabularies list dozens of loosely related labels, and each would match thousands)."""
        parser = make_parser(searcher.schema)
        term_id = term_id or self._term_named(searcher, topic)
        parts = [q for q in [parse_user_query(parser, topic) if topic.strip() else None] if q is not None]
        if term_id:
            term = searcher.document(id=term_id)
            if term is not None and term.get("kind") == Kind.TERM.value:
                parts.extend(self._term_parts(searcher, term_id, term.get("labels") or [], topic))
        if not parts:
            return None
        return union_trees(parts[0] if len(parts) == 1 else wq.Or(parts))

    def _term_parts(self, searcher: Any, term_id: str, labels: list[str], topic: str) -> list[Any]:
        boost = FIELD_BOOSTS["topics"]
        parts: list[Any] = [wq.Term("links", f"{Relation.ABOUT.value}:{term_id}".lower(), boost=boost)]
        for label in dict.fromkeys(label.strip().lower() for label in labels[:TERM_LABELS]):
            if label:
                parts.append(wq.Term("f_topic", label, boost=boost))
        if not topic.strip() and labels:
            preferred = parse_user_query(make_parser(searcher.schema), labels[0])
            if preferred is not None:
                parts.append(preferred)
        return parts

    def _term_named(self, searcher: Any, topic: str) -> str:
        """The id of a vocabulary term one of whose labels is exactly ``topic``, or ""."""
        wanted = fold(topic.strip())
        if not wanted:
            return ""
        with _LABELS_LOCK:
            labels = _TERM_LABELS.get(searcher)
        if labels is None:
            # Once per searcher (a new one comes with every index change): thousands of stored
            # label lists read in one pass cost less than one scored search of the labels.
            labels = {}
            for doc in searcher.documents(kind=Kind.TERM.value):
                for label in doc.get("labels") or ():
                    labels.setdefault(fold(str(label).strip()), str(doc["id"]))
            with _LABELS_LOCK:
                _TERM_LABELS[searcher] = labels
        return labels.get(wanted, "")

    # -- evidence read from the store -----------------------------------------------------------

    def _reviews(
        self, matches: Mapping[str, _Match], records: Mapping[str, Record], candidates: dict[str, _Candidate]
    ) -> None:
        """Credit who published or returned a matching record, and who completed a peer review of it."""
        reviewers: dict[str, set[str]] = defaultdict(set)  # user name -> record ids they reviewed
        for record in records.values():
            for entry in record.fields.get("review_log") or ():
                if isinstance(entry, dict) and entry.get("action") in REVIEW_ACTIONS and entry.get("by"):
                    reviewers[str(entry["by"])].add(record.id)
        for name, person in self.store.experts_by_handle(reviewers).items():
            for record_id in reviewers[name]:
                m = matches[record_id]
                candidates[person].add("reviewed", m.weight, m.id, m.kind, m.title)
        pairs = self.store.sources_linking(matches, Relation.REGARDING, Kind.REQUEST)
        requests = self.store.get_many(source for source, _ in pairs)
        for source, target in pairs:
            request = requests.get(source)
            if request is None or request.fields.get("request_type") != "peer_review":
                continue
            if request.fields.get("state") != "done":
                continue
            m = matches[target]
            for person in request.links_of(Relation.REQUESTED_OF):
                candidates[person].add("reviewed", m.weight, m.id, m.kind, m.title)

    def _answers(
        self, matches: Mapping[str, _Match], records: Mapping[str, Record], candidates: dict[str, _Candidate]
    ) -> None:
        """Credit the authors of answers to a matching question, or of matching answers, as answers to
        the question; an accepted answer counts for more."""
        questions = {rid: r for rid, r in records.items() if r.kind is Kind.QUESTION}
        pairs = dict(self.store.sources_linking(questions, Relation.ANSWERS, Kind.ANSWER))
        answer_hits = [m.id for m in matches.values() if m.kind is Kind.ANSWER]
        answers = self.store.get_many([*pairs, *answer_hits])
        for answer_id in answer_hits:
            answer = answers.get(answer_id)
            asked = answer.links_of(Relation.ANSWERS) if answer is not None else []
            if asked and answer_id not in pairs:
                pairs[answer_id] = asked[0]
        missing = [q for q in pairs.values() if q not in questions]
        questions.update(
            (rid, r) for rid, r in self.store.get_many(missing).items() if r.kind is Kind.QUESTION
        )
        for answer_id, question_id in pairs.items():
            answer, question = answers.get(answer_id), questions.get(question_id)
            if answer is None or question is None or question.deleted:
                continue
            weight = max(
                matches[question_id].weight if question_id in matches else 0.0,
                matches[answer_id].weight if answer_id in matches else 0.0,
            )
            accepted = (
                bool(answer.fields.get("accepted")) or question.fields.get("accepted_answer") == answer_id
            )
            relation = "accepted_answer" if accepted else "answered"
            for person in answer.links_of(Relation.AUTHOR):
                candidates[person].add(relation, weight, question_id, Kind.QUESTION, question.title)

    # -- ranking ---------------------------------------------------------------------------------

    def _ranked(
        self, candidates: dict[str, _Candidate], limit: int, filters: ExpertFilters, exclude: set[str]
    ) -> list[ExpertMatch]:
        people = {
            rid: r
            for rid, r in self.store.get_many(c for c in candidates if c not in exclude).items()
            if r.kind is Kind.EXPERT and not r.deleted and filters.admits(r)
        }
        matches = []
        for person_id, candidate in candidates.items():
            person = people.get(person_id)
            if person is None:
                continue  # filtered out, or a link to a profile that does not exist (yet)
            evidence = [e for _, e in sorted(candidate.evidence, key=lambda item: -item[0])]
            matches.append(
                ExpertMatch(
                    id=person_id,
                    name=person.title,
                    organisation=str(person.fields.get("organisation") or ""),
                    score=candidate.score,
                    evidence=evidence[:EVIDENCE_SHOWN],
                    district=str(person.fields.get("district") or ""),
                    availability=availability_of(person),
                    handle=str(person.fields.get("handle") or ""),
                )
            )
        matches.sort(key=lambda m: (-m.score, m.name.casefold(), m.id))
        return matches[:limit]

    def find_result(self, topic: str, limit: int = 10, **options: Any) -> ExpertResult:
        """``find`` wrapped with its topic, for ``{topic, experts}`` JSON."""
        return ExpertResult(topic, self.find(topic, limit, **options))


#: Topics (exact) and words of a record that its related-records query takes.
RELATED_TOPICS = 12
RELATED_WORDS = 16


def related_query(searcher: Any, record: Record, term_labels: Iterable[str] = ()) -> Any | None:
    """A query for records about what ``record`` is about, matched in titles and topics only: each of
    its topics (tags, subjects, the labels ``term_labels`` of its vocabulary terms) as an exact topic,
    weighted by how rare it is; each word of its title and topics in a title; and people whose
    expertise has those words. None when the record has nothing to go on."""
    subjects = [str(s) for s in record.fields.get("subjects") or () if isinstance(s, str)]
    topics = [t.strip() for t in [*record.tags, *subjects, *term_labels] if t.strip()]
    exact = searcher.schema["f_topic"].analyzer
    values = dict.fromkeys(token.text for topic in topics for token in exact(topic))
    total = max(searcher.doc_count(), 1)
    parts: list[Any] = []
    for value in list(values)[:RELATED_TOPICS]:
        frequency = searcher.doc_frequency("f_topic", value)
        if frequency:
            rarity = math.log(1 + total / frequency)
            parts.append(wq.Term("f_topic", value, boost=FIELD_BOOSTS["topics"] * rarity))
    prose = searcher.schema["title"].analyzer
    words = dict.fromkeys(
        token.text for text in [record.title, *topics] for token in prose(text, mode="query")
    )
    chosen = list(words)[:RELATED_WORDS]
    parts.extend(wq.Term("title", word, boost=FIELD_BOOSTS["title"]) for word in chosen)
    if chosen:
        # People whose expertise (their profile's topics) has the words: the finder's best evidence.
        expertise = wq.Or([wq.Term("topics", word, boost=FIELD_BOOSTS["topics"]) for word in chosen])
        parts.append(wq.And([wq.Term("kind", Kind.EXPERT.value), expertise]))
    return union_trees(wq.Or(parts)) if parts else None
