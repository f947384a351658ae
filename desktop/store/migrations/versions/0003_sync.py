"""Sync state: the last synced version of each record, open conflicts, files the server holds.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    # The server's version of each synced record, as it last arrived: the base of three-way merges,
    # of the digest that checks a sync, and of what a push says it was made on. No foreign key: a
    # base outlives nothing, but a removal drops the record and its base in one transaction.
    op.create_table(
        "sync_base",
        sa.Column("record_id", sa.String(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("revision", sa.String(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("version", sa.Text(), nullable=False),
        sa.Column("synced_at", sa.String(), nullable=False),
    )
    op.create_index("ix_sync_base_kind", "sync_base", ["kind", "deleted"])
    # A conflict kept open: the server's version is current, the local side waits here. A record
    # can clash again before anyone resolves it; every local side is kept, one row each.
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(), nullable=False, index=True),
        sa.Column("server_revision", sa.String(), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("local_content", sa.Text(), nullable=False),
        sa.Column("local_attachments", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
    )
    # Files the server holds (uploaded or downloaded), or refused as too large for it.
    op.create_table(
        "sync_blobs",
        sa.Column("sha256", sa.String(), primary_key=True),
        sa.Column("state", sa.String(), nullable=False),
    )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("error", sa.Text(), nullable=True))
    # False while a synced file's bytes are still on the server (large files come on demand).
    with op.batch_alter_table("attachments") as batch:
        batch.add_column(sa.Column("present", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade():
    with op.batch_alter_table("attachments") as batch:
        batch.drop_column("present")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("error")
    op.drop_table("sync_blobs")
    op.drop_table("sync_conflicts")
    op.drop_index("ix_sync_base_kind", "sync_base")
    op.drop_table("sync_base")
