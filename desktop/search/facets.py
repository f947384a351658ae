"""Facet counts and facet filters.

Counting follows PERFORMANCE.md: the page of hits comes from a normal scored
search, and counts come from a separate unscored pass over the matching document
numbers. The per-document facet values are read once per segment from a column
and cached by segment id (segments never change; a commit only adds segments or
marks deletions, which the unscored pass already skips), so a search after an
autosave re-reads only the new, small segment.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from whoosh import query as wq

from desktop.search.analysis import fold
from desktop.search.schema import FACET_FIELDS, FACETS

FacetDict = dict[str, list[str]]
FACET_LIMIT = 25


def filter_query(kinds: Sequence[str], filters: Mapping[str, Sequence[str]]) -> Any | None:
    """Same facet: values ORed; different facets (and ``kinds``): ANDed. None when nothing filters."""
    clauses: list[Any] = []
    if kinds:
        clauses.append(wq.Or([wq.Term("kind", str(k)) for k in kinds]))
    for facet, values in filters.items():
        if facet not in FACET_FIELDS:
            known = ", ".join(FACETS)
            raise ValueError(f"unknown facet {facet!r}; known facets: {known}")
        if isinstance(values, str):
            values = [values]
        field = FACET_FIELDS[facet]
        terms = [str(v) if facet == "kind" else str(v).strip().lower() for v in values if str(v).strip()]
        if terms:
            clauses.append(wq.Or([wq.Term(field, t) for t in terms]))
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else wq.And(clauses)


class FacetCache:
    """Per-segment lists of each document's facet values, decoded once from the ``facets`` column."""

    def __init__(self) -> None:
        self._segments: dict[str, list[FacetDict]] = {}
        self._lock = threading.Lock()

    def _segment_values(self, leaf: Any) -> list[FacetDict]:
        reader = leaf.reader()
        segment = reader.segment()
        key = segment.segment_id() if segment is not None else f"anon-{id(reader)}"
        with self._lock:
            cached = self._segments.get(key)
        if cached is not None:
            return cached
        values: list[FacetDict] = []
        if reader.has_column("facets"):
            for raw in reader.column_reader("facets"):
                values.append(json.loads(raw.decode("utf-8")) if raw else {})
        else:
            values = [{} for _ in range(reader.doc_count_all())]
        with self._lock:
            self._segments[key] = values
        return values

    def for_searcher(self, searcher: Any) -> list[FacetDict]:
        """Facet values indexed by the searcher's global document numbers."""
        combined: list[FacetDict] = []
        for leaf, offset in searcher.leaf_searchers():
            if len(combined) < offset:
                combined.extend({} for _ in range(offset - len(combined)))
            combined.extend(self._segment_values(leaf))
        return combined

    def retain(self, searcher: Any) -> None:
        """Forget segments the searcher no longer uses (after merges and rebuilds)."""
        live = set()
        for leaf, _ in searcher.leaf_searchers():
            segment = leaf.reader().segment()
            if segment is not None:
                live.add(segment.segment_id())
        with self._lock:
            for key in list(self._segments):
                if key not in live:
                    del self._segments[key]


def count_facets(
    values: list[FacetDict], docnums: Iterable[int], limit: int = FACET_LIMIT
) -> dict[str, list[tuple[str, int]]]:
    """Counts of each facet value over ``docnums``, most frequent first (ties by value)."""
    counters: dict[str, Counter[str]] = {facet: Counter() for facet in FACETS}
    for docnum in docnums:
        doc = values[docnum] if docnum < len(values) else {}
        for facet, items in doc.items():
            counter = counters.get(facet)
            if counter is not None:
                counter.update(items)
    return {
        facet: sorted(counter.items(), key=lambda item: (-item[1], fold(item[0])))[:limit]
        for facet, counter in counters.items()
    }
