"""Reads of the controlled vocabulary: every term for the browser, terms by label, what uses a term."""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import AbstractContextManager

from sqlalchemy import text
from sqlalchemy.orm import Session

from desktop.core.kinds import Kind
from desktop.core.records import Record, Relation
from desktop.core.vocabulary import TAG_FIELDS, TermEntry, TermMatch, TermUsage, rank_matches, uses_term
from desktop.store.rows import core

_TERMS = text(
    "SELECT id, title, json_extract(content, '$.fields.scheme') AS scheme,"
    " json_extract(content, '$.fields.notation') AS notation,"
    " json_extract(content, '$.fields.alt_labels') AS alt_labels"
    " FROM records WHERE kind = 'term' AND deleted = 0"
)
_BROADER = text(
    "SELECT l.source_id, l.target_id FROM links l JOIN records r ON r.id = l.source_id"
    " WHERE l.relation = 'broader' AND r.kind = 'term' AND r.deleted = 0 ORDER BY l.source_id, l.position"
)
_USES = text(
    "SELECT l.target_id, count(DISTINCT l.source_id) AS uses"
    " FROM links l JOIN records r ON r.id = l.source_id"
    " WHERE l.relation = 'about' AND r.deleted = 0 GROUP BY l.target_id"
)
_LABEL_LIKE = text(
    "SELECT id, title, json_extract(content, '$.fields.scheme') AS scheme,"
    " json_extract(content, '$.fields.alt_labels') AS alt_labels"
    " FROM records WHERE kind = 'term' AND deleted = 0"
    " AND (title LIKE :pattern ESCAPE '\\'"
    " OR json_extract(content, '$.fields.alt_labels') LIKE :pattern ESCAPE '\\')"
)
#: Live records (not terms) carrying a label among their tags or their kind's tag field.
_TAGGED_WITH = text(
    "SELECT id FROM records WHERE deleted = 0 AND kind != 'term' AND ("
    " EXISTS (SELECT 1 FROM json_each(records.content, '$.tags') WHERE lower(value) = :label)"
    + "".join(
        f" OR (kind = '{kind.value}' AND EXISTS (SELECT 1 FROM json_each(records.content, '$.fields.{name}')"
        " WHERE lower(value) = :label))"
        for kind, name in TAG_FIELDS.items()
    )
    + ")"
)
_LINKED = text(
    "SELECT DISTINCT l.source_id FROM links l JOIN records r ON r.id = l.source_id"
    " WHERE l.target_id = :target AND l.relation = :relation AND r.deleted = 0"
)
#: Terms offered while typing are ranked in Python from at most this many label matches.
MATCH_CANDIDATES = 400


def _labels(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    try:
        items = json.loads(value)
    except ValueError:
        return ()
    return tuple(str(item) for item in items) if isinstance(items, list) else ()


def _like(needle: str) -> str:
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class VocabularyQueries:
    """The vocabulary side of RecordRepository (a mixin; the repository supplies the rest)."""

    def _read_session(self) -> AbstractContextManager[Session]:  # pragma: no cover - overridden
        raise NotImplementedError

    def get_many(self, record_ids: Iterable[str]) -> dict[str, Record]:  # pragma: no cover - RecordQueries
        raise NotImplementedError

    def term_entries(self) -> list[TermEntry]:
        """Every live term with its broader term ids and how many records are about it (three queries)."""
        with self._read_session() as session:
            connection = core(session)
            broader: dict[str, list[str]] = {}
            for source, target in connection.execute(_BROADER):
                broader.setdefault(source, []).append(target)
            uses = {row.target_id: row.uses for row in connection.execute(_USES)}
            return [
                TermEntry(
                    row.id,
                    row.title,
                    row.scheme or "",
                    row.notation or "",
                    _labels(row.alt_labels),
                    tuple(broader.get(row.id, ())),
                    uses.get(row.id, 0),
                )
                for row in connection.execute(_TERMS)
            ]

    def find_terms(self, text_typed: str, limit: int = 12) -> list[TermMatch]:
        """Live terms whose preferred or alternative labels contain ``text_typed``, best matches first."""
        needle = " ".join(text_typed.split())
        if not needle:
            return []
        with self._read_session() as session:
            rows = (
                core(session)
                .execute(_LABEL_LIKE.bindparams(pattern=_like(needle)))
                .fetchmany(MATCH_CANDIDATES)
            )
        candidates = ((row.id, row.title, row.scheme or "", _labels(row.alt_labels)) for row in rows)
        return rank_matches(needle, candidates, limit)

    def term_usage(self, term: Record) -> TermUsage:
        """The live records tagged with or about ``term``, and its live narrower terms."""
        with self._read_session() as session:
            connection = core(session)
            about = set(
                connection.execute(_LINKED, {"target": term.id, "relation": Relation.ABOUT.value}).scalars()
            )
            label = " ".join(term.title.split()).lower()
            tagged = set(connection.execute(_TAGGED_WITH, {"label": label}).scalars()) if label else set()
            narrower = set(
                connection.execute(_LINKED, {"target": term.id, "relation": Relation.BROADER.value}).scalars()
            )
        records = self.get_many(about | tagged | narrower)
        using = [r for rid, r in records.items() if rid in about | tagged and uses_term(r, term)]
        below = [r for rid, r in records.items() if rid in narrower and r.kind is Kind.TERM]
        key = lambda r: (r.title.casefold(), r.id)  # noqa: E731
        return TermUsage(tuple(sorted(using, key=key)), tuple(sorted(below, key=key)))
