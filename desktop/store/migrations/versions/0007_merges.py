"""The merge log: which record was merged into which, and what to write back to undo it.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    # One row per merge. ``details`` holds the versions from before the merge (the survivor, the
    # loser and every record whose links were retargeted) and the revisions the merge wrote, so an
    # undo after a restart knows what to restore and can refuse when a record changed since.
    op.create_table(
        "merges",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("survivor_id", sa.String(), nullable=False, index=True),
        sa.Column("loser_id", sa.String(), nullable=False, index=True),
        sa.Column("survivor_title", sa.String(), nullable=False, server_default=""),
        sa.Column("loser_title", sa.String(), nullable=False, server_default=""),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("merged_at", sa.String(), nullable=False),
        sa.Column("merged_by", sa.String(), nullable=False, server_default=""),
        sa.Column("undone_at", sa.String(), nullable=True),
        sa.Column("details", sa.Text(), nullable=False),
    )


def downgrade():
    op.drop_table("merges")
