"""Usage events recorded on this computer (views, settled searches, "this helped me" marks).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    # Written off the GUI thread in batches; ``sent`` turns true once the server acknowledged the
    # event (its id makes a re-sent batch a no-op there). Kept afterwards: the local summary and
    # the "this helped me" state of each record read them.
    op.create_table(
        "usage_events",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("record_id", sa.String(), nullable=False),
        sa.Column("query", sa.String(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(), nullable=False),
        sa.Column("sent", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_usage_events_sent", "usage_events", ["sent"])
    op.create_index("ix_usage_events_record", "usage_events", ["record_id", "kind", "at"])
    op.create_index("ix_usage_events_kind_at", "usage_events", ["kind", "at"])


def downgrade():
    op.drop_table("usage_events")
