"""The index schema, its version and the query-time field boosts.

Bump :data:`SCHEMA_VERSION` whenever the schema or what goes into a field changes:
an index stamped with another version is rebuilt at start-up.
"""

from __future__ import annotations

from whoosh.fields import COLUMN, ID, STORED, TEXT, FieldType, Schema

from desktop.search.analysis import edge_ngram_analyzer, exact_analyzer, text_analyzer

SCHEMA_VERSION = 3  # 3: attachment names and text

#: Prose fields searched by a user query, with their query-time boosts (title >> tags/summary > body).
FIELD_BOOSTS: dict[str, float] = {
    "title": 6.0,
    "topics": 3.0,
    "summary": 2.0,
    "people": 1.5,
    "context": 1.0,
    "body": 1.0,
    "attachments": 0.7,
}

#: Facet name -> the exact (filterable) field behind it.
FACET_FIELDS: dict[str, str] = {
    "kind": "kind",
    "topic": "f_topic",
    "organisation": "f_organisation",
    "district": "f_district",
    "community": "f_community",
    "year": "f_year",
    "author": "f_author",
}
FACETS: tuple[str, ...] = tuple(FACET_FIELDS)


def _exact() -> FieldType:
    """A multi-valued exact field: one term per whole value, not scored."""
    field = TEXT(analyzer=exact_analyzer(), phrase=False)
    field.scorable = False
    return field


def build_schema() -> Schema:
    """A fresh schema object (whoosh fields are mutable: never share one between indexes)."""
    prose = text_analyzer
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(stored=True),
        title=TEXT(analyzer=prose(), stored=True, spelling=True),
        topics=TEXT(analyzer=prose(), spelling=True),
        summary=TEXT(analyzer=prose(), stored=True, spelling=True),
        people=TEXT(analyzer=prose()),
        context=TEXT(analyzer=prose()),
        body=TEXT(analyzer=prose()),
        # Names and extracted text of attached files (PDFs, text documents).
        attachments=TEXT(analyzer=prose()),
        # First ~2,000 characters of the prose, kept only for snippets.
        body_head=STORED(),
        # Edge n-grams of titles, names, labels and alternative labels (search-as-you-type).
        ac=TEXT(analyzer=edge_ngram_analyzer(), phrase=False),
        # Normalised identifiers: ISBN, ISSN, LCCN, control numbers, URLs, record ids.
        ident=_exact(),
        # "relation:target_id" for every link (expert finder, answers to a question).
        links=_exact(),
        f_topic=_exact(),
        f_organisation=_exact(),
        f_district=_exact(),
        f_community=_exact(),
        f_year=_exact(),
        f_author=_exact(),
        # Display values of every facet as JSON, read in bulk when counting facets.
        facets=COLUMN(),
        # "id\x1frevision", read in bulk by the consistency check.
        idrev=COLUMN(),
        # Stored extras: people links for the expert finder, labels of vocabulary terms.
        people_links=STORED(),
        labels=STORED(),
    )
