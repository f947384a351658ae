"""Between the domain's :class:`Record` and the protocol's :class:`RecordVersion`.

The envelope carries what the server authorizes on (owner, co-authors, community,
status, visibility, revision, deletion); the payload carries the rest of the record
as the store keeps it. Envelope parts the desktop does not model (the reviewers a
server names) are carried over from the last synced version; the only reviewers added
here are the people a record is addressed to by its links (a question asked of an expert).
"""

from __future__ import annotations

from typing import Any

from desktop.core.kinds import Kind
from desktop.core.ports import AttachmentInfo
from desktop.core.records import Link, Record, Relation, Source, Status, Visibility
from sync import protocol as p

#: Record parts that travel in the envelope, not the payload.
_ENVELOPE_KEYS = ("id", "kind", "status", "visibility", "owner", "co_authors", "deleted")


def community_of(record: Record) -> str:
    """The community a record belongs to: a community itself, else its first "in community" link."""
    if record.kind is Kind.COMMUNITY:
        return record.id
    communities = record.links_of(Relation.IN_COMMUNITY)
    return communities[0] if communities else ""


#: Links whose note names a person the record is addressed to: they go in the envelope's
#: ``reviewers``, so the server lets that person read it (a request for help, a question asked
#: of an expert).
ADDRESSED_RELATIONS = frozenset({Relation.REQUESTED_OF, Relation.ASKED_OF})


def reviewers_of(record: Record, base: p.RecordVersion | None) -> list[str]:
    """The envelope's reviewers: the server's (from the last synced version), and the people
    a new record is addressed to by its links (their user names, in the links' notes)."""
    named = list(base.envelope.reviewers) if base is not None else []
    for link in record.links:
        if link.relation in ADDRESSED_RELATIONS and p.valid_user_name(link.note) and link.note not in named:
            named.append(link.note)
    return named[:20]


def version_of(
    record: Record, attachments: list[AttachmentInfo], base: p.RecordVersion | None = None
) -> p.RecordVersion:
    """The protocol version of a local record (its attachments as refs)."""
    content = record.content_json()
    payload = {key: value for key, value in content.items() if key not in _ENVELOPE_KEYS}
    payload["created_at"] = record.created_at
    envelope = p.Envelope(
        id=record.id,
        kind=record.kind.value,
        owner=record.owner[:64],
        co_authors=[name for name in record.co_authors if p.valid_user_name(name)],
        reviewers=reviewers_of(record, base),
        community=community_of(record),
        status=p.Status(record.status.value),
        visibility=p.Visibility(record.visibility.value),
        revision=record.revision,
        parent_revision=record.parent_revision,
        deleted=record.deleted,
        updated_at=record.updated_at,
    )
    refs = [
        p.AttachmentRef(
            sha256=a.sha256, filename=a.filename[:255], media_type=a.media_type[:127], size=a.size
        )
        for a in attachments
    ]
    return p.RecordVersion(envelope=envelope, payload=payload, attachments=refs)


def record_of(version: p.RecordVersion) -> Record:
    """The local record of a protocol version (revision ids kept as the server gave them).

    Raises ValueError (or KeyError/TypeError) for a payload that is not a record; the caller
    turns that into a clear message and applies nothing of the batch.
    """
    envelope, payload = version.envelope, version.payload
    source = payload.get("source")
    links = payload.get("links") or []
    tags = payload.get("tags") or []
    fields = payload.get("fields") or {}
    if not isinstance(fields, dict) or not isinstance(links, list) or not isinstance(tags, list):
        raise ValueError("the payload's fields, links or tags have the wrong shape")
    return Record(
        id=envelope.id,
        kind=Kind(envelope.kind),
        fields=dict(fields),
        tags=tuple(str(tag) for tag in tags),
        links=tuple(Link.from_json(_link_json(link)) for link in links),
        source=Source.from_json(source) if isinstance(source, dict) else None,
        status=Status(envelope.status.value),
        visibility=Visibility(envelope.visibility.value),
        owner=envelope.owner,
        co_authors=tuple(envelope.co_authors),
        deleted=envelope.deleted,
        created_at=str(payload.get("created_at") or ""),
        updated_at=envelope.updated_at,
        revision=envelope.revision,
        parent_revision=envelope.parent_revision,
    )


def _link_json(link: Any) -> dict[str, Any]:
    if not isinstance(link, dict) or "relation" not in link or "target_id" not in link:
        raise ValueError("a link of the payload has the wrong shape")
    return link


def attachment_infos(version: p.RecordVersion, added_at: str) -> list[AttachmentInfo]:
    """The attachments a version refers to, as the store lists them."""
    return [
        AttachmentInfo(
            record_id=version.envelope.id,
            sha256=ref.sha256,
            filename=ref.filename,
            media_type=ref.media_type,
            size=ref.size,
            added_at=added_at,
        )
        for ref in version.attachments
    ]
