"""Canonical exports for comparing replicas (RELIABILITY.md 4.0): per kind, sorted by id, SHA-256.

A replica (a profile's store) and the server database are each reduced to the synced
fields of every record, tombstones included: id, kind, revision, deletion, the envelope
fields the server decides (owner, status, visibility, co-authors), the payload (fields,
tags, links) and the attachments by SHA-256. Equal hashes mean equal synced content.
Attachment bytes are checked separately: every file a replica or the server holds must
hash to its name.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session as OrmSession

from desktop.core.records import Record
from desktop.store.repository import RecordRepository
from desktop.store.sync_mapping import record_of
from sync.server.models import Blob, RecordRow
from sync.server.records import row_to_version

Export = dict[str, dict[str, dict[str, Any]]]  # kind -> id -> canonical entry


def entry_of(record: Record, attachments: Iterable[str]) -> dict[str, Any]:
    """The synced fields of one record as plain JSON values."""
    return {
        "id": record.id,
        "kind": record.kind.value,
        "revision": record.revision,
        "deleted": record.deleted,
        "owner": record.owner,
        "status": record.status.value,
        "visibility": record.visibility.value,
        "co_authors": sorted(record.co_authors),
        "fields": record.fields,
        "tags": sorted(record.tags),
        "links": [link.to_json() for link in record.links],
        "attachments": sorted(set(attachments)),
    }


def replica_export(store: RecordRepository, ids: Iterable[str] | None = None) -> Export:
    """Every record of a profile (or those of ``ids``), tombstones included."""
    wanted = set(ids) if ids is not None else None
    export: Export = {}
    for record in store.iter_records(None, include_deleted=True):
        if wanted is not None and record.id not in wanted:
            continue
        shas = [a.sha256 for a in store.attachments(record.id)]
        export.setdefault(record.kind.value, {})[record.id] = entry_of(record, shas)
    return export


def server_export(database_url: str, ids: Iterable[str] | None = None) -> Export:
    """Every record in the server database (or those of ``ids``), read directly from its tables."""
    wanted = set(ids) if ids is not None else None
    export: Export = {}
    engine = create_engine(database_url)
    try:
        with OrmSession(engine) as session:
            for row in session.scalars(select(RecordRow).order_by(RecordRow.id)):
                if wanted is not None and row.id not in wanted:
                    continue
                version = row_to_version(row)
                shas = [ref.sha256 for ref in version.attachments]
                export.setdefault(row.kind, {})[row.id] = entry_of(record_of(version), shas)
    finally:
        engine.dispose()
    return export


def kind_hashes(export: Export) -> dict[str, str]:
    """Per kind, SHA-256 over the canonical JSON lines of its records in id order."""
    hashes = {}
    for kind in sorted(export):
        digest = hashlib.sha256()
        for record_id in sorted(export[kind]):
            line = json.dumps(
                export[kind][record_id], sort_keys=True, ensure_ascii=False, separators=(",", ":")
            )
            digest.update(line.encode("utf-8") + b"\n")
        hashes[kind] = digest.hexdigest()
    return hashes


def canonical_hash(export: Export) -> str:
    """One SHA-256 for the whole export (over the per-kind hashes)."""
    lines = "".join(f"{kind} {value}\n" for kind, value in kind_hashes(export).items())
    return hashlib.sha256(lines.encode()).hexdigest()


def first_difference(left: Export, right: Export) -> str:
    """A readable description of the first record that differs (for an assertion message)."""
    for kind in sorted(set(left) | set(right)):
        mine, theirs = left.get(kind, {}), right.get(kind, {})
        for record_id in sorted(set(mine) | set(theirs)):
            if mine.get(record_id) != theirs.get(record_id):
                return f"{kind} {record_id}: {mine.get(record_id)} != {theirs.get(record_id)}"
    return "no difference"


def file_sha256(path: Path) -> str:
    """SHA-256 (hex) of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bad_replica_files(store: RecordRepository) -> list[str]:
    """Attachments of live records whose bytes are missing here or do not hash to their SHA-256."""
    bad = []
    for record in store.iter_records(None):
        for attachment in store.attachments(record.id):
            path = store.blob_path(attachment.sha256)
            if not path.is_file() or file_sha256(path) != attachment.sha256:
                bad.append(f"{record.id}:{attachment.sha256}")
    return bad


def bad_server_blobs(database_url: str, blob_dir: Path) -> list[str]:
    """Blobs the server database lists whose file is missing or does not hash to its name."""
    bad = []
    engine = create_engine(database_url)
    try:
        with OrmSession(engine) as session:
            for sha in session.scalars(select(Blob.sha256)):
                path = blob_dir / sha[:2] / sha
                if not path.is_file() or file_sha256(path) != sha:
                    bad.append(sha)
    finally:
        engine.dispose()
    return bad
