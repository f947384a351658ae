"""Declarative models of the local database.

These mirror ``migrations/versions``; the migrations, not ``create_all``, create
the schema. A record row keeps the whole synced content as JSON (``content``) plus
the envelope columns the store queries on.
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Base class of the store's tables."""


class RecordRow(Base):
    """The current version of a record (tombstones too)."""

    __tablename__ = "records"
    __table_args__ = (
        Index("ix_records_kind_title", "kind", "deleted", text("title COLLATE NOCASE")),
        Index("ix_records_kind_updated", "kind", "deleted", "updated_at"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    kind: Mapped[str] = mapped_column(String, index=True)
    title: Mapped[str] = mapped_column(String, default="")
    status: Mapped[str] = mapped_column(String)
    visibility: Mapped[str] = mapped_column(String)
    owner: Mapped[str] = mapped_column(String, default="")
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    generation: Mapped[int] = mapped_column(Integer)
    revision: Mapped[str] = mapped_column(String)
    parent_revision: Mapped[str] = mapped_column(String, default="")
    content_hash: Mapped[str] = mapped_column(String)
    created_at: Mapped[str] = mapped_column(String)
    updated_at: Mapped[str] = mapped_column(String, index=True)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    content: Mapped[str] = mapped_column(Text)


class RevisionRow(Base):
    """One saved version of a record (its full content), for history and merges."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("record_id", "revision", name="uq_revisions_record_revision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(String, ForeignKey("records.id", ondelete="CASCADE"))
    revision: Mapped[str] = mapped_column(String)
    parent_revision: Mapped[str] = mapped_column(String, default="")
    saved_at: Mapped[str] = mapped_column(String)
    content: Mapped[str] = mapped_column(Text)


class LinkRow(Base):
    """A link of a record. ``target_id`` has no foreign key: targets may arrive later."""

    __tablename__ = "links"
    __table_args__ = (Index("ix_links_target_id", "target_id"),)

    source_id: Mapped[str] = mapped_column(
        String, ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    relation: Mapped[str] = mapped_column(String)
    target_id: Mapped[str] = mapped_column(String)
    note: Mapped[str] = mapped_column(String, default="")


class AttachmentRow(Base):
    """A file attached to a record; the bytes live in the blob folder under ``sha256``."""

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("record_id", "sha256", name="uq_attachments_record_sha"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(String, ForeignKey("records.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(String, index=True)
    filename: Mapped[str] = mapped_column(String)
    media_type: Mapped[str] = mapped_column(String)
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[str] = mapped_column(String)
    #: Text extracted from a PDF or text document (indexed with the record); None until extracted.
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: pending (not tried yet), done, none (nothing to extract) or failed.
    text_state: Mapped[str] = mapped_column(String, default="pending", server_default="pending", index=True)
    #: False while a synced file's bytes are still only on the server (large files come on demand).
    present: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


class WorkingCopyRow(Base):
    """An editor's unsaved state (autosaved every few seconds); no revision, outbox entry or index update."""

    __tablename__ = "working_copies"

    record_id: Mapped[str] = mapped_column(String, primary_key=True)
    kind: Mapped[str] = mapped_column(String)
    base_revision: Mapped[str] = mapped_column(String)
    updated_at: Mapped[str] = mapped_column(String)
    content: Mapped[str] = mapped_column(Text)


class OutboxRow(Base):
    """A local change waiting to be pushed; written in the same transaction as the change."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_id: Mapped[str] = mapped_column(String, unique=True)
    record_id: Mapped[str] = mapped_column(String, index=True)
    revision: Mapped[str] = mapped_column(String)
    op: Mapped[str] = mapped_column(String)
    created_at: Mapped[str] = mapped_column(String)
    #: pending (to push), done (the server has it), rejected (``error`` says why), or conflict
    #: (held until a person resolves it).
    state: Mapped[str] = mapped_column(String, default="pending", index=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)


class MetaRow(Base):
    """Small key/value settings of the store (the change-feed counter, sync cursors, ...)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SyncBaseRow(Base):
    """The server's version of a synced record as it last arrived (``version`` is its protocol JSON)."""

    __tablename__ = "sync_base"
    __table_args__ = (Index("ix_sync_base_kind", "kind", "deleted"),)

    record_id: Mapped[str] = mapped_column(String, primary_key=True)
    kind: Mapped[str] = mapped_column(String)
    revision: Mapped[str] = mapped_column(String)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    version: Mapped[str] = mapped_column(Text)
    synced_at: Mapped[str] = mapped_column(String)


class SyncConflictRow(Base):
    """A local side of an open conflict (the server's version is current); one row per clash."""

    __tablename__ = "sync_conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(String, index=True)
    server_revision: Mapped[str] = mapped_column(String)
    fields: Mapped[str] = mapped_column(Text)  # JSON list of the conflicting field names
    local_content: Mapped[str] = mapped_column(Text)  # the local record's JSON
    local_attachments: Mapped[str] = mapped_column(Text)  # JSON list of its attachment refs
    created_at: Mapped[str] = mapped_column(String)


class SyncBlobRow(Base):
    """A file the server holds (``on_server``) or refused (``too_large``)."""

    __tablename__ = "sync_blobs"

    sha256: Mapped[str] = mapped_column(String, primary_key=True)
    state: Mapped[str] = mapped_column(String)


class FollowRow(Base):
    """A question followed on this profile (local, not synced)."""

    __tablename__ = "follows"

    record_id: Mapped[str] = mapped_column(String, primary_key=True)
    since: Mapped[str] = mapped_column(String)


class NotificationRow(Base):
    """What a sync brought for this person; ``key`` names the event (never stored twice)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_unread", "read_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String, unique=True)
    kind: Mapped[str] = mapped_column(String)
    record_id: Mapped[str] = mapped_column(String)
    subject_id: Mapped[str] = mapped_column(String)
    title: Mapped[str] = mapped_column(String)
    actor: Mapped[str] = mapped_column(String)
    created_at: Mapped[str] = mapped_column(String)
    read_at: Mapped[str | None] = mapped_column(String, nullable=True)


class UsageEventRow(Base):
    """A usage event recorded here (see desktop/core/usage.py); ``sent`` once the server has it."""

    __tablename__ = "usage_events"
    __table_args__ = (
        Index("ix_usage_events_record", "record_id", "kind", "at"),
        Index("ix_usage_events_kind_at", "kind", "at"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    kind: Mapped[str] = mapped_column(String)
    record_id: Mapped[str] = mapped_column(String, default="")
    query: Mapped[str] = mapped_column(String, default="")
    hits: Mapped[int] = mapped_column(Integer, default=0)
    at: Mapped[str] = mapped_column(String)
    sent: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0", index=True)


class MergeRow(Base):
    """One merge (migration 0007): who went into whom, and what an undo writes back."""

    __tablename__ = "merges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    survivor_id: Mapped[str] = mapped_column(String, index=True)
    loser_id: Mapped[str] = mapped_column(String, index=True)
    survivor_title: Mapped[str] = mapped_column(String, default="")
    loser_title: Mapped[str] = mapped_column(String, default="")
    kind: Mapped[str] = mapped_column(String)
    merged_at: Mapped[str] = mapped_column(String)
    merged_by: Mapped[str] = mapped_column(String, default="")
    undone_at: Mapped[str | None] = mapped_column(String, nullable=True)
    #: JSON: {"before": {id: {"content": ..., "created_at": ...}}, "after": {id: revision},
    #: "attachments": [sha256 copied to the survivor]}
    details: Mapped[str] = mapped_column(Text)
