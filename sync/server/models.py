"""The server's tables (SQLAlchemy 2 declarative); the Alembic migrations create the same schema.

A record row holds the current version of one record; ``record_history`` keeps one row per
stored version with the access fields it had, which is how the feed tells a user that a
record they could read is gone from their view.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: JSON on SQLite, JSONB on PostgreSQL.
JsonType = JSON().with_variant(JSONB(), "postgresql")

#: The meta key of the feed sequence counter.
FEED_SEQ_KEY = "feed_seq"


class Base(DeclarativeBase):
    """Declarative base of the server schema."""


class Meta(Base):
    """Server-wide counters; ``feed_seq`` is the last sequence number handed out."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)


class User(Base):
    """An account. ``access_epoch`` is the feed sequence of the last change of what they may read."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    disabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    access_epoch: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Device(Base):
    """A client profile (its uuid); it belongs to one user for good."""

    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    #: The access epoch this device has reconciled up to (see ``POST /sync/resynced``).
    seen_epoch: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Token(Base):
    """A bearer token, stored only as its SHA-256."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LoginFailure(Base):
    """One failed login of an account name (known or not), for the throttle."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_name_at", "username", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Membership(Base):
    """A user's role in one community of practice."""

    __tablename__ = "memberships"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    community_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), nullable=False)


class RecordRow(Base):
    """The current version of a record: envelope columns, payload and attachments as JSON."""

    __tablename__ = "records"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    owner: Mapped[str] = mapped_column(String(64), nullable=False)
    co_authors: Mapped[list[str]] = mapped_column(JsonType, nullable=False)
    reviewers: Mapped[list[str]] = mapped_column(JsonType, nullable=False)
    community: Mapped[str] = mapped_column(String(36), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    visibility: Mapped[str] = mapped_column(String(20), nullable=False)
    revision: Mapped[str] = mapped_column(String(80), nullable=False)
    parent_revision: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    updated_at: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JsonType, nullable=False)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JsonType, nullable=False)
    #: The feed sequence of this version (unique: one version per sequence number).
    seq: Mapped[int] = mapped_column(BigInteger, nullable=False, unique=True)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class RecordHistory(Base):
    """Who stored which version of a record, when, and the access fields that version had."""

    __tablename__ = "record_history"
    __table_args__ = (Index("ix_record_history_record_seq", "record_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), nullable=False)
    seq: Mapped[int] = mapped_column(BigInteger, nullable=False)
    revision: Mapped[str] = mapped_column(String(80), nullable=False)
    user_name: Mapped[str] = mapped_column(String(64), nullable=False)
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    access: Mapped[dict[str, Any]] = mapped_column(JsonType, nullable=False)


class RecordBlob(Base):
    """Which blobs the current version of a record refers to (who may download a blob)."""

    __tablename__ = "record_blobs"

    record_id: Mapped[str] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    filename: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    media_type: Mapped[str] = mapped_column(String(127), nullable=False, default="application/octet-stream")


class PushResultRow(Base):
    """The stored answer to a pushed change, so a retry gets the same answer."""

    __tablename__ = "push_results"

    change_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    result: Mapped[dict[str, Any]] = mapped_column(JsonType, nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Blob(Base):
    """A complete, verified blob; its bytes are in the blob folder under its hash."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Upload(Base):
    """An unfinished upload; its bytes so far are in the blob folder under the (server-made) id."""

    __tablename__ = "uploads"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    offset: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    uploader_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class UsageEvent(Base):
    """One usage event a client uploaded (a view, a settled search, a "this helped me" mark).

    ``id`` is the client's event id: an event sent again after a cut link is stored once.
    ``period`` (``YYYY-MM`` of ``at``) is kept so that activity per month groups the same way
    on SQLite and PostgreSQL.
    """

    __tablename__ = "usage_events"
    __table_args__ = (
        Index("ix_usage_events_kind_at", "kind", "at"),
        Index("ix_usage_events_user_at", "user_id", "at"),
        Index("ix_usage_events_record", "record_id", "kind", "at"),
        # Covering: views per record, searches per term, and the first month of the summary's year.
        Index("ix_usage_events_views", "kind", "record_id", "at", "user_id"),
        Index("ix_usage_events_terms", "kind", "query", "at", "user_id", "hits"),
        Index("ix_usage_events_period", "period", "at", "user_id", "kind", "hits"),
        # Covering: the "this helped me" marks in time order (the latest of each person stands).
        Index("ix_usage_events_marks", "kind", "at", "received_at", "user_id", "record_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    record_id: Mapped[str] = mapped_column(String(36), nullable=False, default="")
    query: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    hits: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    period: Mapped[str] = mapped_column(String(7), nullable=False)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class UsageRollup(Base):
    """One person's events in one month (``YYYY-MM``), counted as they are stored.

    Kept in the transaction that stores the events (only those that were new), so it always
    equals a count of ``usage_events``; the summary reads it instead of grouping every event.
    """

    __tablename__ = "usage_rollup"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    views: Mapped[int] = mapped_column(Integer, nullable=False)
    searches: Mapped[int] = mapped_column(Integer, nullable=False)
    zero_hits: Mapped[int] = mapped_column(Integer, nullable=False)
    helped: Mapped[int] = mapped_column(Integer, nullable=False)
    unhelped: Mapped[int] = mapped_column(Integer, nullable=False)
