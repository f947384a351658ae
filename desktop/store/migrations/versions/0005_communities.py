"""Communities: the questions a person follows, and the notifications syncs brought.

Revision ID: 0005
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    # Questions followed on this profile (asking or answering follows; not synced).
    op.create_table(
        "follows",
        sa.Column("record_id", sa.String(), primary_key=True),
        sa.Column("since", sa.String(), nullable=False),
    )
    # What a sync brought for this person. ``key`` names the event, so a page applied twice or a
    # retried sync never adds one twice.
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(), nullable=False, unique=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("record_id", sa.String(), nullable=False),
        sa.Column("subject_id", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("read_at", sa.String(), nullable=True),
    )
    op.create_index("ix_notifications_unread", "notifications", ["read_at", "id"])


def downgrade():
    op.drop_index("ix_notifications_unread", table_name="notifications")
    op.drop_table("notifications")
    op.drop_table("follows")
