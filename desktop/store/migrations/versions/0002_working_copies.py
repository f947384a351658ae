"""Working copies (autosave), extracted attachment text, and indexes for paged lists.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    # An editor's unsaved state, written every couple of seconds. No foreign key: a new
    # record has a working copy before it has a row in ``records``.
    op.create_table(
        "working_copies",
        sa.Column("record_id", sa.String(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("base_revision", sa.String(), nullable=False),
        sa.Column("updated_at", sa.String(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
    )
    # Text extracted from PDFs and text documents, indexed with the record. A cache of the blob:
    # ``text_state`` is pending (not tried yet), done, none (nothing to extract) or failed.
    with op.batch_alter_table("attachments") as batch:
        batch.add_column(sa.Column("text", sa.Text(), nullable=True))
        batch.add_column(sa.Column("text_state", sa.String(), nullable=False, server_default="pending"))
    op.create_index("ix_attachments_text_state", "attachments", ["text_state"])
    # Paged, sorted lists per kind (Knowledge base, Site visits, ...) at 100,000 records.
    # Titles sort case-insensitively, so the index is on that expression.
    op.create_index("ix_records_kind_title", "records", ["kind", "deleted", sa.text("title COLLATE NOCASE")])
    op.create_index("ix_records_kind_updated", "records", ["kind", "deleted", "updated_at"])


def downgrade():
    op.drop_index("ix_records_kind_updated", "records")
    op.drop_index("ix_records_kind_title", "records")
    op.drop_index("ix_attachments_text_state", "attachments")
    with op.batch_alter_table("attachments") as batch:
        batch.drop_column("text_state")
        batch.drop_column("text")
    op.drop_table("working_copies")
