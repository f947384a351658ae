"""Vocabulary CSV files into ``term`` records.

Three shapes are recognised by their headers:

- EuroVoc's flat export (``concept_id, prefLabel_en, altLabels_en, broader_ids,
  broader_en, scopeNote_en``; lists separated by `` | ``), scheme ``eurovoc``;
- the Local Government Service List (``LGSL, Description, Providing Tier``),
  scheme ``lgsl``, the code as notation;
- a generic list (``label``/``preferred label``, optional ``id``, ``alt labels``,
  ``broader``, ``scope note``, ``scheme``), scheme from the column or the file name.

The identity of a term is its scheme and concept id (``vocab:<scheme>``, id).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, record_id_for
from desktop.importers.errors import ImportFileError
from desktop.importers.model import SourceFile, make_record
from desktop.importers.text import clean_text, limit, one_line

_PIPES = re.compile(r"\s*\|\s*")
_PIPES_OR_SEMICOLONS = re.compile(r"\s*[|;]\s*")
csv.field_size_limit(8_000_000)


def term_id(scheme: str, concept_id: str) -> str:
    """Record id of a vocabulary concept."""
    return record_id_for(f"vocab:{scheme}", concept_id)


def _norm(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def _split(value: str, pattern: re.Pattern[str] = _PIPES) -> list[str]:
    items: list[str] = []
    for item in pattern.split(value or ""):
        text = one_line(item)
        if text and text not in items:
            items.append(limit(text, 500))
    return items


def parse_vocab_csv(text: str, src: SourceFile, notes: list[str]) -> list[Record]:
    """Terms from one vocabulary CSV file; ImportFileError if its headers are not recognised."""
    header_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header_line.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False))
    except csv.Error as exc:
        raise ImportFileError(f"not readable CSV: {exc}") from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ImportFileError("the CSV file is empty (no header row)")
    headers = [_norm(h) for h in rows[0]]
    builder = _choose(headers, src)
    if builder is None:
        raise ImportFileError(
            "the CSV headers are not a known vocabulary layout "
            f"(found: {', '.join(h for h in rows[0][:8])}); expected a 'label' column"
        )
    records: list[Record] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {headers[i]: row[i] if i < len(row) else "" for i in range(len(headers))}
        if len(row) > len(headers) and any(cell.strip() for cell in row[len(headers) :]):
            notes.append(f"row {number} has more cells than headers; the extra cells were ignored")
        record = builder(values, src, number, notes)
        if record is not None:
            records.append(record)
    if not records:
        raise ImportFileError("the CSV file has a header but no terms")
    return records


_Builder = Callable[[dict[str, str], SourceFile, int, list[str]], Record | None]


def _choose(headers: list[str], src: SourceFile) -> _Builder | None:
    names = set(headers)
    if {"concept_id", "preflabel_en"} <= names:
        return _eurovoc
    if {"lgsl", "description"} <= names:
        return _lgsl
    if names & {"label", "preferred_label", "preflabel", "pref_label", "term", "name"}:
        return _generic
    return None


def _term(
    scheme: str,
    concept_id: str,
    src: SourceFile,
    *,
    label: str,
    alt_labels: list[str],
    broader_ids: list[str],
    broader_labels: list[str],
    notation: str,
    scope_note: str,
    url: str = "",
) -> Record:
    fields = {
        "label": limit(label, 1000),
        "alt_labels": alt_labels,
        "broader": broader_labels,
        "scheme": scheme,
        "notation": notation[:1000],
        "scope_note": scope_note,
    }
    links = [Link(Relation.BROADER, term_id(scheme, b)) for b in broader_ids if b != concept_id]
    source = src.source(f"{scheme}:{concept_id}", url=url)
    return make_record(
        f"vocab:{scheme}", Kind.TERM, fields, source, links=links, record_id=term_id(scheme, concept_id)
    )


def _eurovoc(values: dict[str, str], src: SourceFile, number: int, notes: list[str]) -> Record | None:
    concept_id = one_line(values.get("concept_id"))
    label = one_line(values.get("preflabel_en"))
    if not concept_id or not label:
        notes.append(f"row {number} has no concept id or English label; skipped")
        return None
    url = one_line(values.get("uri"))
    return _term(
        "eurovoc",
        concept_id,
        src,
        label=label,
        alt_labels=_split(values.get("altlabels_en", "")),
        broader_ids=_split(values.get("broader_ids", "")),
        broader_labels=_split(values.get("broader_en", "")),
        notation=concept_id,
        scope_note=clean_text(values.get("scopenote_en")),
        url=url if url.startswith(("http://", "https://")) else "",
    )


def _lgsl(values: dict[str, str], src: SourceFile, number: int, notes: list[str]) -> Record | None:
    code = one_line(values.get("lgsl"))
    label = one_line(values.get("description"))
    if not code or not label:
        notes.append(f"row {number} has no LGSL code or description; skipped")
        return None
    tier = one_line(values.get("providing_tier"))
    return _term(
        "lgsl",
        code,
        src,
        label=label,
        alt_labels=[],
        broader_ids=[],
        broader_labels=[],
        notation=code,
        scope_note=f"Providing tier: {tier}" if tier else "",
    )


def _generic(values: dict[str, str], src: SourceFile, number: int, notes: list[str]) -> Record | None:
    label = ""
    for name in ("preferred_label", "preflabel", "pref_label", "label", "term", "name"):
        label = one_line(values.get(name))
        if label:
            break
    if not label:
        notes.append(f"row {number} has no label; skipped")
        return None
    scheme = one_line(values.get("scheme")) or _norm(src.path.stem) or "vocabulary"
    concept_id = one_line(values.get("id")) or one_line(values.get("concept_id")) or label
    alt = values.get("alt_labels") or values.get("alternative_labels") or values.get("altlabels") or ""
    broader = _split(values.get("broader") or values.get("broader_term") or "", _PIPES_OR_SEMICOLONS)
    broader_ids = _split(values.get("broader_id") or values.get("broader_ids") or "", _PIPES_OR_SEMICOLONS)
    return _term(
        scheme,
        concept_id,
        src,
        label=label,
        alt_labels=_split(alt, _PIPES_OR_SEMICOLONS),
        broader_ids=broader_ids or broader,
        broader_labels=broader,
        notation=one_line(values.get("notation")) or one_line(values.get("code")),
        scope_note=clean_text(
            values.get("scope_note") or values.get("definition") or values.get("description")
        ),
    )
