"""Values returned by the search package, each with ``to_json()``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop.core.kinds import Kind


@dataclass(frozen=True)
class Hit:
    """One search result: the record, its score, a marked snippet and its facet values."""

    id: str
    kind: Kind
    title: str
    score: float
    snippet: str
    facet_values: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """``{id, kind, title, score, snippet, ...facet fields}``."""
        data: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind.value,
            "title": self.title,
            "score": round(self.score, 4),
            "snippet": self.snippet,
        }
        for name, values in self.facet_values.items():
            if name != "kind":
                data[name] = list(values)
        return data


@dataclass(frozen=True)
class SearchResult:
    """A page of hits, the total, facet counts over all hits and a "did you mean"."""

    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None = None

    def to_json(self) -> dict[str, Any]:
        """``{query, total, hits, facets, suggestion}``; facet counts as ``[[value, count], ...]``."""
        return {
            "query": self.query,
            "total": self.total,
            "hits": [hit.to_json() for hit in self.hits],
            "facets": {
                name: [[value, count] for value, count in counts] for name, counts in self.facets.items()
            },
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class IndexCheck:
    """How the index compares with the store (R10): every count 0 means equal."""

    schema_version: int | None
    expected_schema_version: int
    watermark: int
    store_seq: int
    missing: int = 0
    stale: int = 0
    ghost: int = 0
    missing_ids: tuple[str, ...] = ()
    stale_ids: tuple[str, ...] = ()
    ghost_ids: tuple[str, ...] = ()

    @property
    def schema_ok(self) -> bool:
        """True when the index was built with this version's schema."""
        return self.schema_version == self.expected_schema_version

    @property
    def ok(self) -> bool:
        """True when the index holds exactly the store's live records at their revisions."""
        return self.schema_ok and not (self.missing or self.stale or self.ghost)

    @property
    def problems(self) -> list[str]:
        """Each way the index differs from the store, in words (empty when ok)."""
        found = []
        if not self.schema_ok:
            found.append(
                f"the index was built with schema {self.schema_version}, this version uses "
                f"{self.expected_schema_version} (run imbizo reindex)"
            )
        if self.watermark < self.store_seq:
            found.append(f"the index is behind the database (change {self.watermark} of {self.store_seq})")
        for count, what in ((self.missing, "missing from"), (self.stale, "out of date in"), (self.ghost, "")):
            if count and what:
                found.append(f"{count} record(s) {what} the index")
            elif count:
                found.append(f"{count} record(s) in the index no longer in the database")
        return found

    def to_json(self) -> dict[str, Any]:
        """Counts and versions as plain JSON values."""
        return {
            "schema_version": self.schema_version,
            "expected_schema_version": self.expected_schema_version,
            "watermark": self.watermark,
            "store_seq": self.store_seq,
            "missing": self.missing,
            "stale": self.stale,
            "ghost": self.ghost,
            "ok": self.ok,
        }


@dataclass(frozen=True)
class Evidence:
    """One record connecting a person to a topic, and how (``profile``, ``author``, ...)."""

    relation: str
    record_id: str
    kind: Kind
    title: str

    def to_json(self) -> dict[str, Any]:
        """``{relation, record_id, kind, title}``."""
        return {
            "relation": self.relation,
            "record_id": self.record_id,
            "kind": self.kind.value,
            "title": self.title,
        }


@dataclass(frozen=True)
class ExpertMatch:
    """A person who knows about a topic, with the evidence for it."""

    id: str
    name: str
    organisation: str
    score: float
    evidence: list[Evidence]
    district: str = ""
    #: What they offer: ``advice``, ``mentoring``, ``peer_review``.
    availability: list[str] = field(default_factory=list)
    #: The user name their profile belongs to ("" when nobody signs in as them): whom to ask.
    handle: str = ""

    def to_json(self) -> dict[str, Any]:
        """``{id, name, organisation, district, availability, handle, score, evidence}``."""
        return {
            "id": self.id,
            "name": self.name,
            "organisation": self.organisation,
            "district": self.district,
            "availability": list(self.availability),
            "handle": self.handle,
            "score": round(self.score, 4),
            "evidence": [e.to_json() for e in self.evidence],
        }


@dataclass(frozen=True)
class ExpertResult:
    """The answer to "who knows about X"."""

    topic: str
    experts: list[ExpertMatch]

    def to_json(self) -> dict[str, Any]:
        """``{topic, experts}``."""
        return {"topic": self.topic, "experts": [e.to_json() for e in self.experts]}
