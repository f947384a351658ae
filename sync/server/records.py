"""Record rows: conversion to and from the wire model, revisions, storing a version with its history.

The services in :mod:`sync.server.push` and :mod:`sync.server.feed` build on these.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from sync.protocol import AttachmentRef, Envelope, RecordVersion, Status, Visibility
from sync.server.access import Access, payload_handle
from sync.server.db import next_seq, utc_now
from sync.server.models import RecordBlob, RecordHistory, RecordRow

#: Revisions carry at most 9 digits of generation (protocol.Revision).
MAX_GENERATION = 999_999_998


def row_to_version(row: Any) -> RecordVersion:
    """The wire model of a stored record (an ORM row, or a Core row of the records table)."""
    envelope = Envelope(
        id=row.id,
        kind=row.kind,  # the column only holds protocol kinds (validated here)
        owner=row.owner,
        co_authors=list(row.co_authors),
        reviewers=list(row.reviewers),
        community=row.community,
        status=row.status,
        visibility=row.visibility,
        revision=row.revision,
        parent_revision=row.parent_revision,
        deleted=row.deleted,
        updated_at=row.updated_at,
    )
    attachments = [AttachmentRef.model_validate(item) for item in row.attachments]
    return RecordVersion(envelope=envelope, payload=dict(row.payload), attachments=attachments)


def row_access(row: Any) -> Access:
    """The access fields of a stored record (read from its columns: no validation of the payload)."""
    handle = payload_handle(row.payload) if row.kind == "expert" else ""
    return replace(columns_access(row), handle=handle)


#: The columns that decide who may read a record, and what the digest and index need.
ACCESS_COLUMNS = (
    RecordRow.id,
    RecordRow.kind,
    RecordRow.owner,
    RecordRow.co_authors,
    RecordRow.reviewers,
    RecordRow.community,
    RecordRow.status,
    RecordRow.visibility,
    RecordRow.revision,
    RecordRow.deleted,
)


def columns_access(row: Any) -> Access:
    """The read access of a row of :data:`ACCESS_COLUMNS` (no payload: reading never depends on it)."""
    return Access(
        kind=row.kind,
        owner=row.owner,
        co_authors=tuple(row.co_authors),
        reviewers=tuple(row.reviewers),
        community=row.community,
        status=Status(row.status),
        visibility=Visibility(row.visibility),
        deleted=row.deleted,
    )


def generation(revision: str) -> int:
    """The generation number of a revision id (0 for none)."""
    head, _, _ = revision.partition("-")
    return int(head) if head.isdigit() else 0


def content_hash(version: RecordVersion) -> str:
    """SHA-256 (hex) of a version's content without its revision bookkeeping."""
    envelope = version.envelope.model_dump(mode="json", exclude={"revision", "parent_revision", "updated_at"})
    content = {
        "envelope": envelope,
        "payload": version.payload,
        "attachments": [a.model_dump(mode="json") for a in version.attachments],
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def server_revision(version: RecordVersion, *, base_generation: int) -> RecordVersion:
    """``version`` under a server-made revision ``<base_generation + 1>-<hash>``, child of the pushed one."""
    revision = f"{min(base_generation, MAX_GENERATION) + 1}-{content_hash(version)[:32]}"
    envelope = version.envelope.model_copy(
        update={"revision": revision, "parent_revision": version.envelope.revision}
    )
    return version.model_copy(update={"envelope": envelope})


_RECORDS = RecordRow.__table__
# Built once and run as Core on the transaction's connection: building a statement and the ORM's
# unit of work cost several times what the database takes to run them (push is the hot write).
_GET_ROW = select(_RECORDS).where(RecordRow.id == bindparam("record_id"))
_GET_ROW_FOR_UPDATE = _GET_ROW.with_for_update()
_INSERT_RECORD = insert(RecordRow)
#: The SET clause comes from the parameters' names (every column but the id).
_UPDATE_RECORD = update(RecordRow).where(RecordRow.id == bindparam("record_id"))
_DELETE_BLOB_REFS = delete(RecordBlob).where(RecordBlob.record_id == bindparam("record_id"))
_INSERT_BLOB_REF = insert(RecordBlob)
_INSERT_HISTORY = insert(RecordHistory)


def get_row(session: Session | Connection, record_id: str, *, for_update: bool = False) -> Any:
    """The stored record ``record_id`` as a row of the records table, or None (locked for the
    transaction with ``for_update`` on PostgreSQL)."""
    connection = session.connection() if isinstance(session, Session) else session
    statement = _GET_ROW_FOR_UPDATE if for_update else _GET_ROW
    return connection.execute(statement, {"record_id": record_id}).one_or_none()


def store_version(
    session: Session | Connection, *, version: RecordVersion, existing: Any, user_name: str, action: str
) -> Any:
    """Write ``version`` as the record's current version with the next feed sequence, and its history row.

    ``existing`` is the record's current row (from :func:`get_row`), None for a new record.
    Returns the stored row (its columns as attributes, as :func:`get_row` answers).
    Taking the sequence holds the feed lock (PostgreSQL) to the commit, so callers
    check everything first and store last.
    """
    connection = session.connection() if isinstance(session, Session) else session
    envelope = version.envelope
    values: dict[str, Any] = {
        "kind": envelope.kind,
        "owner": envelope.owner,
        "co_authors": list(envelope.co_authors),
        "reviewers": list(envelope.reviewers),
        "community": envelope.community,
        "status": envelope.status.value,
        "visibility": envelope.visibility.value,
        "revision": envelope.revision,
        "parent_revision": envelope.parent_revision,
        "deleted": envelope.deleted,
        "updated_at": envelope.updated_at,
        "payload": version.payload,
        "attachments": [a.model_dump(mode="json") for a in version.attachments],
        "stored_at": utc_now(),
    }
    values["seq"] = next_seq(connection)
    if existing is None:
        connection.execute(_INSERT_RECORD, {"id": envelope.id, **values})
    else:
        connection.execute(_UPDATE_RECORD, {"record_id": envelope.id, **values})
    _replace_blob_refs(connection, record_id=envelope.id, attachments=version.attachments)
    connection.execute(
        _INSERT_HISTORY,
        {
            "record_id": envelope.id,
            "seq": values["seq"],
            "revision": envelope.revision,
            "user_name": user_name,
            "action": action,
            "at": values["stored_at"],
            "access": Access.of(envelope, version.payload).to_json(),
        },
    )
    return SimpleNamespace(id=envelope.id, **values)


def _replace_blob_refs(
    connection: Connection, *, record_id: str, attachments: Iterable[AttachmentRef]
) -> None:
    connection.execute(_DELETE_BLOB_REFS, {"record_id": record_id})
    refs: dict[str, dict[str, str]] = {}
    for attachment in attachments:
        refs.setdefault(
            attachment.sha256,
            {
                "record_id": record_id,
                "sha256": attachment.sha256,
                "filename": attachment.filename,
                "media_type": attachment.media_type,
            },
        )
    if refs:
        connection.execute(_INSERT_BLOB_REF, list(refs.values()))


def contains_nul(value: Any) -> bool:
    """True when a JSON value has a NUL character in a string or key (PostgreSQL cannot store one)."""
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def json_depth(value: Any, *, limit: int) -> int:
    """The nesting depth of a JSON value, counting no further than ``limit + 1`` (iterative: no recursion)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest
