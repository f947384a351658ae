"""Records, their links and where they came from.

A record is the unit of knowledge and of sync: an envelope (id, kind, status,
owner, revision, ...) and a payload (``fields``). Links are first-class values:
they point from a record to another record's id, which may not exist locally yet
(an imported article names an author whose profile arrives later).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from desktop.core.kinds import TITLE_FIELD, Kind

#: Namespace for name-based record ids: the same source key gives the same id on
#: every machine, so two offices importing one collection offline agree.
IMBIZO_NAMESPACE = uuid.UUID("5b0f3c1e-6a43-4c55-9d43-1f0e6b8a9c21")


class Status(StrEnum):
    """Workflow status of shared knowledge."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    RETURNED = "returned"
    RETIRED = "retired"


class Visibility(StrEnum):
    """Who may read a published record."""

    EVERYONE = "everyone"
    COMMUNITY = "community"


class Relation(StrEnum):
    """How a record points at another. Read as "<source> <relation> <target>"."""

    AUTHOR = "author"  # record -> expert who wrote it
    PARTICIPANT = "participant"  # site visit / case study -> expert who took part
    MEMBER = "member"  # community -> expert
    FACILITATOR = "facilitator"  # community -> expert
    ABOUT = "about"  # record -> vocabulary term
    CITES = "cites"  # record -> record
    ANSWERS = "answers"  # answer -> question
    IN_COMMUNITY = "in_community"  # record -> community
    BROADER = "broader"  # term -> broader term
    DUPLICATE_OF = "duplicate_of"  # suspected duplicate -> the other record
    REVISES = "revises"  # a proposed revision -> the published record it would change
    REQUESTED_OF = "requested_of"  # request -> expert profile asked for help (the note holds their user name)
    REGARDING = "regarding"  # request -> the record it is about (a draft to peer-review)
    ASKED_OF = "asked_of"  # question -> expert profile asked (the note holds their user name)
    BUILDS_ON = "builds_on"  # case study -> knowledge it built on (reuse: "applied in")
    NOT_DUPLICATE_OF = "not_duplicate_of"  # librarian's word: not a duplicate of it (note: who, when)


#: How a link reads from its target's side ("what cites it", "what they wrote").
INVERSE_LABELS: dict[Relation, str] = {
    Relation.AUTHOR: "authored",
    Relation.PARTICIPANT: "took part in",
    Relation.MEMBER: "member of",
    Relation.FACILITATOR: "facilitates",
    Relation.ABOUT: "tagged on",
    Relation.CITES: "cited by",
    Relation.ANSWERS: "answered by",
    Relation.IN_COMMUNITY: "holds",
    Relation.BROADER: "narrower",
    Relation.DUPLICATE_OF: "suspected duplicate",
    Relation.REVISES: "proposed revisions",
    Relation.REQUESTED_OF: "requests received",
    Relation.REGARDING: "requests about it",
    Relation.ASKED_OF: "asked",
    Relation.BUILDS_ON: "applied in",
    Relation.NOT_DUPLICATE_OF: "not a duplicate of",
}


@dataclass(frozen=True)
class Link:
    """A typed pointer from one record to another record's id."""

    relation: Relation
    target_id: str
    note: str = ""

    def to_json(self) -> dict[str, str]:
        """The link as plain JSON values."""
        return {"relation": self.relation.value, "target_id": self.target_id, "note": self.note}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Link:
        """Inverse of :meth:`to_json`."""
        return cls(Relation(data["relation"]), str(data["target_id"]), str(data.get("note", "")))


@dataclass(frozen=True)
class Source:
    """Where an imported record came from, and on what terms it may be reused.

    ``key`` is the identity inside the source (front-matter slug, GOV.UK
    content_id and locale, MARC 003+001, vocabulary scheme and concept id);
    ``status`` keeps source-side states (``draft``, ``withdrawn``) as metadata,
    never as workflow status.
    """

    collection: str
    key: str
    path: str = ""
    url: str = ""
    licence: str = ""
    attribution: str = ""
    status: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The source as plain JSON values."""
        return {
            "collection": self.collection,
            "key": self.key,
            "path": self.path,
            "url": self.url,
            "licence": self.licence,
            "attribution": self.attribution,
            "status": dict(self.status),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Source:
        """Inverse of :meth:`to_json`."""
        return cls(
            collection=str(data.get("collection", "")),
            key=str(data.get("key", "")),
            path=str(data.get("path", "")),
            url=str(data.get("url", "")),
            licence=str(data.get("licence", "")),
            attribution=str(data.get("attribution", "")),
            status=dict(data.get("status") or {}),
        )


def new_record_id() -> str:
    """A fresh random record id (for records written by people)."""
    return str(uuid.uuid4())


def record_id_for(collection_kind: str, source_key: str) -> str:
    """The stable id of an imported record, derived from its source identity.

    ``collection_kind`` names the identity space (e.g. ``"digitalgov:author"``,
    ``"govuk"``, ``"marc"``, ``"vocab:eurovoc"``) so keys from different sources
    never collide.
    """
    return str(uuid.uuid5(IMBIZO_NAMESPACE, f"{collection_kind}\x1f{source_key}"))


def utc_now() -> str:
    """The current UTC time as an ISO 8601 string with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Record:
    """One piece of knowledge of a given kind.

    ``revision`` and ``parent_revision`` are set by the store when it saves the
    record; callers leave them empty for new records.
    """

    id: str
    kind: Kind
    fields: dict[str, Any] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    source: Source | None = None
    status: Status = Status.DRAFT
    visibility: Visibility = Visibility.EVERYONE
    owner: str = ""
    co_authors: tuple[str, ...] = ()
    demo: bool = False
    deleted: bool = False
    created_at: str = ""
    updated_at: str = ""
    revision: str = ""
    parent_revision: str = ""

    @property
    def title(self) -> str:
        """The human name of the record (title, name, label, or the start of an answer)."""
        value = self.fields.get(TITLE_FIELD.get(self.kind, "title"), "")
        text = str(value or "").strip()
        if self.kind in (Kind.ANSWER, Kind.REQUEST) and len(text) > 80:
            return text[:77].rstrip() + "..."
        return text

    def with_changes(self, **changes: Any) -> Record:
        """A copy with some attributes replaced (records are immutable values)."""
        return replace(self, **changes)

    def with_fields(self, **values: Any) -> Record:
        """A copy with some payload fields replaced."""
        merged = dict(self.fields)
        merged.update(values)
        return replace(self, fields=merged)

    def links_of(self, relation: Relation) -> list[str]:
        """Target ids of this record's links of one relation, in order."""
        return [link.target_id for link in self.links if link.relation is relation]

    def content_json(self) -> dict[str, Any]:
        """The synced content of the record, as canonical JSON values.

        Excludes revision bookkeeping and timestamps, so the same content always
        hashes the same on every machine.
        """
        return {
            "id": self.id,
            "kind": self.kind.value,
            "fields": self.fields,
            "tags": list(self.tags),
            "links": [link.to_json() for link in self.links],
            "source": self.source.to_json() if self.source else None,
            "status": self.status.value,
            "visibility": self.visibility.value,
            "owner": self.owner,
            "co_authors": list(self.co_authors),
            "demo": self.demo,
            "deleted": self.deleted,
        }

    def content_hash(self) -> str:
        """SHA-256 of the canonical content JSON (hex)."""
        canonical = json.dumps(self.content_json(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def to_json(self) -> dict[str, Any]:
        """Everything about the record as plain JSON values (used by ``show --json``)."""
        data = self.content_json()
        data.update(
            title=self.title,
            created_at=self.created_at,
            updated_at=self.updated_at,
            revision=self.revision,
            parent_revision=self.parent_revision,
        )
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Record:
        """Inverse of :meth:`to_json` (unknown keys are ignored)."""
        source = data.get("source")
        return cls(
            id=str(data["id"]),
            kind=Kind(data["kind"]),
            fields=dict(data.get("fields") or {}),
            tags=tuple(str(t) for t in data.get("tags") or ()),
            links=tuple(Link.from_json(link) for link in data.get("links") or ()),
            source=Source.from_json(source) if source else None,
            status=Status(data.get("status", Status.DRAFT.value)),
            visibility=Visibility(data.get("visibility", Visibility.EVERYONE.value)),
            owner=str(data.get("owner", "")),
            co_authors=tuple(str(c) for c in data.get("co_authors") or ()),
            demo=bool(data.get("demo", False)),
            deleted=bool(data.get("deleted", False)),
            created_at=str(data.get("created_at", "")),
            updated_at=str(data.get("updated_at", "")),
            revision=str(data.get("revision", "")),
            parent_revision=str(data.get("parent_revision", "")),
        )


def revision_id(generation: int, content_hash: str) -> str:
    """A revision id: generation number and a short content hash (CouchDB style)."""
    return f"{generation}-{content_hash[:32]}"


def revision_generation(revision: str) -> int:
    """The generation number of a revision id (0 for none)."""
    if not revision:
        return 0
    head, _, _ = revision.partition("-")
    return int(head) if head.isdigit() else 0
