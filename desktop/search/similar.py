""" "More like this": the records nearest to a text (a record's title and summary), for a librarian
reviewing a submission beside what the knowledge base already holds.

The key terms of the text are weighed against the whole index (Whoosh's Bo1 model: words
frequent here and rare in the collection weigh most), then searched in the prose fields with
the usual boosts. No term vectors are needed, so the schema (and its version) stays as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from whoosh import query as wq

from desktop.core.kinds import Kind
from desktop.search.results import Hit
from desktop.search.schema import FIELD_BOOSTS
from desktop.search.snippets import make_snippet

#: Key terms taken from the text, and the fields they are looked for in.
KEY_TERMS = 12
MIN_TERM_LENGTH = 3
_FIELDS = ("title", "summary", "topics", "body")


def key_terms(searcher: Any, text: str, count: int = KEY_TERMS) -> list[tuple[str, float]]:
    """The ``count`` most telling indexed words of ``text`` (stemmed as the index has them).

    Weighed per field (a word counts only where the index has it) and merged by best weight,
    so a knowledge base whose prose sits in summaries rather than bodies is served as well.
    """
    if not text.strip():
        return []
    weights: dict[str, float] = {}
    for field in _FIELDS:
        for term, weight in searcher.key_terms_from_text(field, text, numterms=count * 2):
            if len(term) >= MIN_TERM_LENGTH:  # "el", "do": short words say little about a topic
                weights[term] = max(weight, weights.get(term, 0.0))
    ranked = sorted(weights, key=lambda term: (-weights[term], term))[:count]
    return [(term, weights[term]) for term in ranked]


def similar_hits(
    searcher: Any, text: str, *, exclude: str = "", kinds: Sequence[Kind] = (), limit: int = 8
) -> list[Hit]:
    """The records most like ``text``, best first, without the record ``exclude``."""
    terms = key_terms(searcher, text)
    if not terms or limit <= 0:
        return []
    # Each word counts by how telling it is, in every field it is found in (title most).
    clauses = [
        wq.Term(field, term, boost=FIELD_BOOSTS.get(field, 1.0) * weight)
        for term, weight in terms
        for field in _FIELDS
    ]
    filt = wq.Or([wq.Term("kind", Kind(k).value) for k in kinds]) if kinds else None
    mask = wq.Term("id", exclude) if exclude else None
    results = searcher.search(wq.Or(clauses), limit=limit, filter=filt, mask=mask, terms=False)
    analyzer = searcher.schema["body"].analyzer
    wanted = frozenset(term for term, _ in terms)
    hits = []
    for hit in results:
        stored = hit.fields()
        snippet = make_snippet([stored.get("summary", ""), stored.get("body_head", "")], wanted, analyzer)
        hits.append(
            Hit(
                id=str(stored["id"]),
                kind=Kind(stored["kind"]),
                title=str(stored.get("title", "")),
                score=float(hit.score or 0.0),
                snippet=snippet,
            )
        )
    return hits
