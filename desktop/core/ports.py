"""What the domain needs from storage, as a protocol the store implements.

Importers, the search index and the services depend on this protocol, never on
SQLAlchemy; ``desktop.store.RecordRepository`` is the implementation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from desktop.core.changes import ChangeEntry, Changes
from desktop.core.kinds import Kind
from desktop.core.records import Record, Relation


@dataclass(frozen=True)
class Backlink:
    """A link seen from its target: ``source_id`` points at the target with ``relation``."""

    source_id: str
    source_kind: Kind
    source_title: str
    relation: Relation


@dataclass(frozen=True)
class RevisionInfo:
    """One saved version of a record, newest first in a history."""

    revision: str
    parent_revision: str
    saved_at: str
    record: Record


@dataclass(frozen=True)
class AttachmentInfo:
    """A file attached to a record, stored by content hash."""

    record_id: str
    sha256: str
    filename: str
    media_type: str
    size: int
    added_at: str
    #: Extraction of its text for search: pending, done, none (nothing to extract) or failed.
    text_state: str = "pending"
    #: False while the file is only on the server (above the download limit: fetched when opened).
    present: bool = True


class RecordStore(Protocol):
    """The local store of records: the truth that the index caches."""

    def get(self, record_id: str) -> Record | None:
        """The current version of a record (deleted ones too), or None."""
        ...

    def get_many(self, record_ids: Iterable[str]) -> dict[str, Record]:
        """Current versions of the records that exist among ``record_ids``."""
        ...

    def save(self, record: Record) -> Changes:
        """Validate and save one record with its revision, links and outbox entry, in one transaction."""
        ...

    def save_many(self, records: Sequence[Record]) -> Changes:
        """Save several records in one transaction: all or nothing."""
        ...

    def delete(self, record_id: str) -> Changes:
        """Turn a record into a tombstone (kept for sync and for the trash)."""
        ...

    def history(self, record_id: str) -> list[RevisionInfo]:
        """Every saved version of a record, newest first."""
        ...

    def backlinks(self, target_id: str) -> list[Backlink]:
        """Links from live records that point at ``target_id``."""
        ...

    def linking_to(self, target_ids: Iterable[str]) -> set[str]:
        """Ids of the live records with a link to any of ``target_ids`` (one query per few hundred)."""
        ...

    def iter_records(
        self, kinds: Iterable[Kind] | None = None, *, include_deleted: bool = False
    ) -> Iterator[Record]:
        """Every record (of some kinds), streamed in batches, never all in memory."""
        ...

    def revisions(self, kinds: Iterable[Kind] | None = None) -> Iterator[tuple[str, str]]:
        """(id, revision) of every live record (of some kinds), in id order, without loading records."""
        ...

    def count(self, kind: Kind | None = None) -> int:
        """Number of live records (of one kind)."""
        ...

    def changes_since(self, seq: int, limit: int = 1000) -> list[ChangeEntry]:
        """Change-feed entries after ``seq``, oldest first, one per record (its latest)."""
        ...

    def last_seq(self) -> int:
        """The change-feed position of the newest change."""
        ...

    def attachments(self, record_id: str) -> list[AttachmentInfo]:
        """Files attached to a record."""
        ...

    def attachment_texts(
        self, record_ids: Iterable[str], *, max_chars: int = 300_000
    ) -> dict[str, list[tuple[str, str]]]:
        """(file name, extracted text or "") of each attachment of these records, fetched in bulk."""
        ...
