"""Usage summary at volume: covering indexes on the events, and a per-person, per-month rollup.

The librarian's summary grouped every event of the year on each request (16.5 s at the corpus
size). The rollup keeps, for each person and month, how many views, searches, searches that
found nothing, and marks given and taken back; it is added to in the transaction that stores
the events, so it never disagrees with them. The covering indexes answer the per-record,
per-term and edge-of-the-year questions from the index alone.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COUNTS = ("views", "searches", "zero_hits", "helped", "unhelped")


def upgrade() -> None:
    op.create_index("ix_usage_events_views", "usage_events", ["kind", "record_id", "at", "user_id"])
    op.create_index("ix_usage_events_terms", "usage_events", ["kind", "query", "at", "user_id", "hits"])
    op.create_index("ix_usage_events_period", "usage_events", ["period", "at", "user_id", "kind", "hits"])
    op.create_table(
        "usage_rollup",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("period", sa.String(7), primary_key=True),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
    )
    op.execute(
        "INSERT INTO usage_rollup (user_id, period, views, searches, zero_hits, helped, unhelped) "
        "SELECT user_id, period, "
        "SUM(CASE WHEN kind = 'view' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN kind = 'search' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN kind = 'search' AND hits = 0 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN kind = 'helped' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN kind = 'unhelped' THEN 1 ELSE 0 END) "
        "FROM usage_events GROUP BY user_id, period"
    )


def downgrade() -> None:
    op.drop_table("usage_rollup")
    op.drop_index("ix_usage_events_period", "usage_events")
    op.drop_index("ix_usage_events_terms", "usage_events")
    op.drop_index("ix_usage_events_views", "usage_events")
