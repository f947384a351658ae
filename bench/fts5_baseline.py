"""The comparison engine: SQLite FTS5 over the same records, answering the same query classes.

It gets the same fields as the Whoosh index (title, summary, body, tags) with a
Porter stemmer and diacritics folding, bm25 ranking and snippets, so the ratio
Whoosh/FTS5 compares like with like.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from desktop.core.records import Record

_FACETS = ("kind", "year")


def _year(record: Record) -> str:
    for name in ("date", "start_date", "year"):
        value = record.fields.get(name)
        if value:
            return str(value)[:4]
    return ""


def _body(record: Record) -> str:
    skip = {"title", "name", "label", "summary", "marc"}
    parts = []
    for name, value in record.fields.items():
        if name in skip or not value:
            continue
        parts.append(" ".join(map(str, value)) if isinstance(value, list) else str(value))
    return "\n".join(parts)


class Fts5Index:
    """An FTS5 table in its own SQLite file (WAL, synchronous=FULL like the store)."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5("
            "id UNINDEXED, kind UNINDEXED, year UNINDEXED, title, summary, body, tags, "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )

    def add(self, records: Iterable[Record]) -> int:
        """Index records in one transaction; returns how many."""
        rows = [
            (
                r.id,
                r.kind.value,
                _year(r),
                r.title,
                str(r.fields.get("summary") or ""),
                _body(r),
                " ".join(r.tags),
            )
            for r in records
        ]
        with self.db:
            self.db.executemany("INSERT INTO docs VALUES (?,?,?,?,?,?,?)", rows)
        return len(rows)

    def update_one(self, record: Record) -> None:
        """Replace one record and commit (the autosave case)."""
        with self.db:
            self.db.execute("DELETE FROM docs WHERE id = ?", (record.id,))
            self.db.execute(
                "INSERT INTO docs VALUES (?,?,?,?,?,?,?)",
                (
                    record.id,
                    record.kind.value,
                    _year(record),
                    record.title,
                    str(record.fields.get("summary") or ""),
                    _body(record),
                    " ".join(record.tags),
                ),
            )

    def search(self, match: str, *, kind: str | None = None, limit: int = 10) -> list[tuple[str, str, str]]:
        """Top hits with a title highlight and a body snippet, bm25 with a title boost."""
        sql = (
            "SELECT id, highlight(docs, 3, '[[', ']]'), snippet(docs, 5, '[[', ']]', '…', 16) "
            "FROM docs WHERE docs MATCH ?"
        )
        params: list[object] = [match]
        if kind:
            sql += " AND kind = ?"
            params.append(kind)
        sql += " ORDER BY bm25(docs, 0, 0, 0, 10.0, 3.0, 1.0, 3.0) LIMIT ?"
        params.append(limit)
        return self.db.execute(sql, params).fetchall()

    def facet_counts(self, match: str) -> dict[str, list[tuple[str, int]]]:
        """Counts per kind and year of everything that matches."""
        result = {}
        for facet in _FACETS:
            rows = self.db.execute(
                f"SELECT {facet}, count(*) FROM docs WHERE docs MATCH ? GROUP BY {facet} ORDER BY 2 DESC",
                (match,),
            ).fetchall()
            result[facet] = [(str(v), int(c)) for v, c in rows]
        return result

    def close(self) -> None:
        """Close the database."""
        self.db.close()


def quote_terms(words: Iterable[str]) -> str:
    """An FTS5 AND query of plain words, each quoted so no word is read as syntax."""
    return " ".join('"' + w.replace('"', "") + '"' for w in words)
