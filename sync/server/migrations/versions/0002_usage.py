"""Usage events: views, settled searches and "this helped me" marks uploaded by clients.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "usage_events",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("query", sa.String(200), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("received_at", WHEN, nullable=False),
    )
    op.create_index("ix_usage_events_kind_at", "usage_events", ["kind", "at"])
    op.create_index("ix_usage_events_user_at", "usage_events", ["user_id", "at"])
    op.create_index("ix_usage_events_record", "usage_events", ["record_id", "kind", "at"])


def downgrade() -> None:
    op.drop_table("usage_events")
