"""What parsing a file produces, and what a parser is told about the file it reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Source, Status, record_id_for
from desktop.importers.licences import Collection, Terms


@dataclass
class ParsedFile:
    """The records parsed from one file, or why it cannot be imported.

    A file with ``errors`` is never imported (all or nothing per file); ``notes``
    are remarks that do not stop the import (a date not understood, a section
    page skipped, a key repeated inside the file). Catalogue files (CSV, RIS) reject
    single rows: ``rejected`` holds (which row, why) for each, and ``covers`` names the
    fields the file carries (None: every field of its records' kinds), so an import can
    leave the other fields of an existing record alone.
    """

    path: Path
    format: str = ""
    records: list[Record] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    covers: tuple[str, ...] | None = None

    @property
    def ok(self) -> bool:
        """True when the file can be imported (no errors)."""
        return not self.errors


@dataclass
class RunContext:
    """State shared by the files of one import run.

    ``topic_labels`` maps Digital.gov topic slugs to their labels, filled from the
    store and from topic files read earlier in the run, so article tags read well.
    ``community_ids`` maps the names a Digital.gov community's page goes by (its slug, file
    name and old addresses) to its record id, so an article that links to it is shared in it.
    """

    topic_labels: dict[str, str] = field(default_factory=dict)
    community_ids: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceFile:
    """One file being parsed: where it sits in its collection and its licence terms."""

    path: Path
    collection: Collection
    terms: Terms

    @property
    def rel(self) -> str:
        """Path inside the collection, with forward slashes."""
        return self.collection.relative(self.path)

    def source(self, key: str, *, url: str = "", status: dict[str, Any] | None = None) -> Source:
        """The :class:`Source` of a record parsed from this file."""
        return Source(
            collection=self.collection.name,
            key=key,
            path=self.rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
            url=url,
            licence=self.terms.licence,
            attribution=self.terms.attribution,
            status=dict(status or {}),
        )


def compact(fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` without empty values (None, "", [])."""
    return {name: value for name, value in fields.items() if value not in (None, "", [], ())}


def make_record(
    space: str,
    kind: Kind,
    fields: dict[str, Any],
    source: Source,
    *,
    tags: list[str] | None = None,
    links: list[Link] | None = None,
    record_id: str | None = None,
) -> Record:
    """An imported record whose id derives from ``space`` and the source key (unless given).

    It is published: its publisher (GOV.UK, Digital.gov, a library catalogue, a vocabulary)
    published it, and it is nobody's draft here (it has no owner who could submit it). What
    the source says of it (a draft there, withdrawn, expired) stays in ``source.status`` for
    the librarian, who retires what went stale. Importing it again keeps its status here
    (:func:`desktop.core.review.imported_over`).
    """
    unique_links: list[Link] = []
    for link in links or []:
        if link not in unique_links:
            unique_links.append(link)
    unique_tags: list[str] = []
    for tag in tags or []:
        if tag and tag not in unique_tags:
            unique_tags.append(tag)
    return Record(
        id=record_id or record_id_for(space, source.key),
        kind=kind,
        fields=compact(fields),
        tags=tuple(unique_tags),
        links=tuple(unique_links),
        source=source,
        status=Status.PUBLISHED,
    )
