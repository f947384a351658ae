"""Turning records into index documents.

Linked names (authors, communities, vocabulary terms, the question an answer
answers) are resolved at index time from the records a batch links to, fetched
with one ``store.get_many`` call per batch. When a linked record changes, the
records pointing at it are re-indexed (see ``SearchIndex``), so the names stay fresh.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from desktop.core.kinds import Kind
from desktop.core.ports import RecordStore
from desktop.core.records import Record, Relation
from desktop.core.vocabulary import follow_replacements
from desktop.search.analysis import SEP, join_values
from desktop.search.identifiers import index_forms

#: Links whose targets are resolved to names when a record is indexed.
RESOLVED_RELATIONS = frozenset(
    {
        Relation.AUTHOR,
        Relation.PARTICIPANT,
        Relation.FACILITATOR,
        Relation.ABOUT,
        Relation.IN_COMMUNITY,
        Relation.ANSWERS,
    }
)
#: Links the expert finder follows from a record to a person.
PEOPLE_RELATIONS = (Relation.AUTHOR, Relation.PARTICIPANT, Relation.FACILITATOR)
#: Kinds whose changes alter other records' documents (their names are copied there).
NAMED_KINDS = frozenset({Kind.EXPERT, Kind.COMMUNITY, Kind.TERM, Kind.QUESTION})

BODY_HEAD_CHARS = 2_000
SUMMARY_STORED_CHARS = 1_000

_SUMMARY_FIELDS = ("summary", "abstract", "purpose", "bio", "role", "scope_note")
_BODY_FIELDS = ("body", "context", "approach", "results", "lessons", "observations")
_TOPIC_FIELDS = ("subjects", "expertise", "service_area", "category", "document_type", "format")
_CONTEXT_FIELDS = (
    "organisations",
    "organisation",
    "publisher",
    "district",
    "place",
    "host",
    "holding_centre",
)
_MARKDOWN = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`#>]+|<[^>]+>")


def _texts(fields: Mapping[str, Any], names: Sequence[str]) -> list[str]:
    """String values of ``names`` in ``fields``, lists flattened, empties dropped."""
    out: list[str] = []
    for name in names:
        value = fields.get(name)
        if isinstance(value, list | tuple):
            out.extend(str(v) for v in value if str(v).strip())
        elif value not in (None, "") and not isinstance(value, bool):
            out.append(str(value))
    return out


def plain_text(text: str) -> str:
    """Markdown and HTML markup reduced to readable plain text (for snippets)."""
    text = _MARKDOWN.sub(lambda m: m.group(1) or " ", text)
    return re.sub(r"\s+", " ", text).strip()


def linked_ids(records: Iterable[Record]) -> set[str]:
    """Targets of the links that indexing these records resolves to names."""
    return {link.target_id for r in records for link in r.links if link.relation in RESOLVED_RELATIONS}


def fetch_linked(store: RecordStore, records: Sequence[Record]) -> dict[str, Record]:
    """The live records these records link to, in one ``get_many`` call.

    A link to a merged or replaced term stands for the term that took its place (its labels
    and topic are indexed), so a record tagged offline with the old term is still found by it.
    """
    targets = linked_ids(records)
    if not targets:
        return {}
    found = follow_replacements(store.get_many(targets), store.get_many)
    return {rid: r for rid, r in found.items() if not r.deleted}


def _year(fields: Mapping[str, Any]) -> list[str]:
    for name in ("date", "start_date", "year"):
        value = fields.get(name)
        if value is None or isinstance(value, bool):
            continue
        match = re.match(r"^\s*(\d{4})", str(value))
        if match:
            return [match.group(1)]
    return []


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        text = re.sub(r"\s+", " ", str(value)).strip()
        if text and text.casefold() not in seen:
            seen[text.casefold()] = text
    return list(seen.values())


def facet_values(record: Record, linked: Mapping[str, Record]) -> dict[str, list[str]]:
    """Display values of every facet of ``record`` (see ``schema.FACETS``)."""
    fields = record.fields

    def titles(relation: Relation, kind: Kind) -> list[str]:
        return [linked[t].title for t in record.links_of(relation) if t in linked and linked[t].kind is kind]

    authors = titles(Relation.AUTHOR, Kind.EXPERT) or _texts(fields, ("authors",))
    return {
        "kind": [record.kind.value],
        "topic": _unique([*record.tags, *_texts(fields, ("subjects",)), *titles(Relation.ABOUT, Kind.TERM)]),
        "organisation": _unique(_texts(fields, ("organisations", "organisation", "publisher"))),
        "district": _unique(_texts(fields, ("district",))),
        "community": _unique(titles(Relation.IN_COMMUNITY, Kind.COMMUNITY)),
        "year": _year(fields),
        "author": _unique(authors),
    }


def _identifiers(record: Record) -> set[str]:
    fields = record.fields
    forms = index_forms(_texts(fields, ("isbn",)), isbn=True)
    forms |= index_forms(_texts(fields, ("issn",)), issn=True)
    forms |= index_forms(_texts(fields, ("lccn", "control_number", "url", "call_number")))
    forms.add(record.id.lower())
    if record.source:
        forms |= index_forms([record.source.key, record.source.url])
    return forms


def _actions(fields: Mapping[str, Any]) -> list[str]:
    out = []
    for action in fields.get("follow_ups") or ():
        if isinstance(action, dict):
            out.append(" ".join(str(action.get(k, "")) for k in ("action", "owner")))
    return out


#: Document boosts per kind. A vocabulary of thousands of short, title-only terms (EuroVoc) would
#: otherwise fill the first page for any common word ("water": nine terms before any knowledge);
#: terms stay findable, below the knowledge and people that use them.
KIND_BOOSTS: dict[Kind, float] = {Kind.TERM: 0.2}


def build_document(record: Record, linked: Mapping[str, Record], attachments: str = "") -> dict[str, Any]:
    """The index document of a live record; ``linked`` holds the records it links to.

    ``attachments`` is the names and extracted text of its attached files
    (``desktop.search.attachments``), searched like the body but ranked below it.
    """
    fields = record.fields
    facets = facet_values(record, linked)
    names = [linked[link.target_id].title for link in record.links if link.target_id in linked]
    term_labels = [
        label
        for t in record.links_of(Relation.ABOUT)
        if t in linked and linked[t].kind is Kind.TERM
        for label in [linked[t].title, *_texts(linked[t].fields, ("alt_labels",))]
    ]
    question_titles = [linked[t].title for t in record.links_of(Relation.ANSWERS) if t in linked]
    own_labels = _texts(fields, ("alt_labels",)) if record.kind is Kind.TERM else []

    title = record.title
    summary = "\n".join(_texts(fields, _SUMMARY_FIELDS))
    body_parts = _texts(fields, _BODY_FIELDS) + _actions(fields)
    if record.kind is Kind.ANSWER:
        body_parts.extend(question_titles)  # an answer is about its question
    body = "\n".join(body_parts)
    head_source = body if record.kind is not Kind.ANSWER else "\n".join(_texts(fields, ("body",)))
    people_links = [
        [link.relation.value, link.target_id] for link in record.links if link.relation in PEOPLE_RELATIONS
    ]
    doc: dict[str, Any] = {
        "id": record.id,
        "kind": record.kind.value,
        "title": title,
        "topics": "\n".join([*record.tags, *_texts(fields, _TOPIC_FIELDS), *term_labels, *own_labels]),
        "summary": summary,
        "_stored_summary": plain_text(summary)[:SUMMARY_STORED_CHARS],
        "people": "\n".join([*_texts(fields, ("authors", "name", "host")), *names]),
        "context": "\n".join(_texts(fields, _CONTEXT_FIELDS) + facets["community"]),
        "body": plain_text(body),
        "attachments": attachments,
        "body_head": plain_text(head_source[: BODY_HEAD_CHARS * 2])[:BODY_HEAD_CHARS],
        "ac": "\n".join([title, *own_labels]),
        "ident": join_values(sorted(_identifiers(record))),
        "links": join_values([f"{link.relation.value}:{link.target_id}" for link in record.links]),
        "facets": json.dumps(facets, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
        "idrev": f"{record.id}{SEP}{record.revision}".encode(),
        "people_links": people_links,
        "labels": [title, *own_labels] if record.kind is Kind.TERM else [],
    }
    for facet, values in facets.items():
        if facet != "kind":
            doc[f"f_{facet}"] = join_values(values)
    if record.kind in KIND_BOOSTS:
        doc["_boost"] = KIND_BOOSTS[record.kind]
    return {k: v for k, v in doc.items() if v not in ("", None)}
