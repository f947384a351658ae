"""The initial schema: records, revisions, links, attachments, outbox, meta.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "records",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("visibility", sa.String(), nullable=False),
        sa.Column("owner", sa.String(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("revision", sa.String(), nullable=False),
        sa.Column("parent_revision", sa.String(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("updated_at", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
    )
    op.create_index("ix_records_kind", "records", ["kind"])
    op.create_index("ix_records_updated_at", "records", ["updated_at"])
    op.create_index("ix_records_seq", "records", ["seq"])

    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(), sa.ForeignKey("records.id", ondelete="CASCADE"), nullable=False),
        sa.Column("revision", sa.String(), nullable=False),
        sa.Column("parent_revision", sa.String(), nullable=False),
        sa.Column("saved_at", sa.String(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.UniqueConstraint("record_id", "revision", name="uq_revisions_record_revision"),
    )

    op.create_table(
        "links",
        sa.Column(
            "source_id", sa.String(), sa.ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("relation", sa.String(), nullable=False),
        sa.Column("target_id", sa.String(), nullable=False),  # no FK: the target may arrive later
        sa.Column("note", sa.String(), nullable=False),
    )
    op.create_index("ix_links_target_id", "links", ["target_id"])

    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(), sa.ForeignKey("records.id", ondelete="CASCADE"), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("filename", sa.String(), nullable=False),
        sa.Column("media_type", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.String(), nullable=False),
        sa.UniqueConstraint("record_id", "sha256", name="uq_attachments_record_sha"),
    )
    op.create_index("ix_attachments_sha256", "attachments", ["sha256"])

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("change_id", sa.String(), nullable=False, unique=True),
        sa.Column("record_id", sa.String(), nullable=False),
        sa.Column("revision", sa.String(), nullable=False),
        sa.Column("op", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
    )
    op.create_index("ix_outbox_record_id", "outbox", ["record_id"])
    op.create_index("ix_outbox_state", "outbox", ["state"])

    op.create_table(
        "meta",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )


def downgrade():
    for table in ("meta", "outbox", "attachments", "links", "revisions", "records"):
        op.drop_table(table)
