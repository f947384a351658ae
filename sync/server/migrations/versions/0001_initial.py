"""The server schema: accounts, devices, tokens, memberships, records and their history, blobs, uploads.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.BigInteger(), nullable=False),
    )
    op.bulk_insert(sa.table("meta", sa.column("key"), sa.column("value")), [{"key": "feed_seq", "value": 0}])
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("access_epoch", sa.BigInteger(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("seen_epoch", sa.BigInteger(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "device_id", sa.String(36), sa.ForeignKey("devices.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("revoked_at", WHEN, nullable=True),
    )
    op.create_index("ix_tokens_user_id", "tokens", ["user_id"])
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("at", WHEN, nullable=False),
    )
    op.create_index("ix_login_failures_name_at", "login_failures", ["username", "at"])
    op.create_table(
        "memberships",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("community_id", sa.String(36), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
    )
    op.create_table(
        "records",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("co_authors", JSON, nullable=False),
        sa.Column("reviewers", JSON, nullable=False),
        sa.Column("community", sa.String(36), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("visibility", sa.String(20), nullable=False),
        sa.Column("revision", sa.String(80), nullable=False),
        sa.Column("parent_revision", sa.String(80), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("attachments", JSON, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False, unique=True),
        sa.Column("stored_at", WHEN, nullable=False),
    )
    op.create_table(
        "record_history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "record_id", sa.String(36), sa.ForeignKey("records.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("revision", sa.String(80), nullable=False),
        sa.Column("user_name", sa.String(64), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("access", JSON, nullable=False),
    )
    op.create_index("ix_record_history_record_seq", "record_history", ["record_id", "seq"])
    op.create_table(
        "record_blobs",
        sa.Column(
            "record_id", sa.String(36), sa.ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("media_type", sa.String(127), nullable=False),
    )
    op.create_index("ix_record_blobs_sha256", "record_blobs", ["sha256"])
    op.create_table(
        "push_results",
        sa.Column("change_id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("result", JSON, nullable=False),
        sa.Column("at", WHEN, nullable=False),
    )
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_table(
        "uploads",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("uploader_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_index("ix_uploads_sha256", "uploads", ["sha256"])


def downgrade() -> None:
    for table in (
        "uploads",
        "blobs",
        "push_results",
        "record_blobs",
        "record_history",
        "records",
        "memberships",
        "login_failures",
        "tokens",
        "devices",
        "users",
        "meta",
    ):
        op.drop_table(table)
