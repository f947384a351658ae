"""Imported records are published: those an earlier version imported as drafts become published.

An import used to give every record it made the default status, draft, although its publisher
(GOV.UK, Digital.gov, a library catalogue, a vocabulary) had published it and no one here owns
it (no one could submit it). This step publishes the records that are still as an import left
them: with a source, no owner, status draft, not demo, and never synced (a synced record's
status is the server's). They were never sent anywhere, so each one's current version is
rewritten in place (its status, content hash and revision id; the revision's row, the pending
outbox rows and an editor's working copy that name it follow) rather than getting a version no
one made; each gets a new change-feed position, so the search index catches up with the new
revision ids at the next start.

Revision ID: 0008
Revises: 0007
"""

import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_CANDIDATES = sa.text(
    "SELECT id, generation, revision, content FROM records "
    "WHERE status = 'draft' AND owner = '' AND demo = 0 "
    "AND json_extract(content, '$.source') IS NOT NULL "
    "AND id NOT IN (SELECT record_id FROM sync_base) "
    "AND id NOT IN (SELECT record_id FROM outbox WHERE state != 'pending') "
    "ORDER BY seq"
)


#: What names a record's current revision besides the record row: its revision row, the child
#: revision rows (none for a current version, kept for safety), pending pushes, a working copy.
_FOLLOWERS = [
    sa.text(
        "UPDATE revisions SET revision = :new, content = :content WHERE record_id = :id AND revision = :old"
    ),
    sa.text("UPDATE revisions SET parent_revision = :new WHERE record_id = :id AND parent_revision = :old"),
    sa.text(
        "UPDATE outbox SET revision = :new WHERE record_id = :id AND revision = :old AND state = 'pending'"
    ),
    sa.text("UPDATE working_copies SET base_revision = :new WHERE record_id = :id AND base_revision = :old"),
]


def _dump(content: object) -> str:
    """The canonical content JSON the store writes and hashes (desktop/store/rows.py dump_content)."""
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def upgrade():
    bind = op.get_bind()
    rows = bind.execute(_CANDIDATES).all()
    if not rows:
        return
    seq = int(bind.execute(sa.text("SELECT value FROM meta WHERE key = 'seq'")).scalar() or 0)
    for row in rows:
        content = json.loads(row.content)
        content["status"] = "published"
        text = _dump(content)
        content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
        new_revision = f"{row.generation}-{content_hash[:32]}"
        seq += 1
        values = {"id": row.id, "old": row.revision, "new": new_revision, "content": text}
        bind.execute(
            sa.text(
                "UPDATE records SET status = 'published', content = :content, content_hash = :hash, "
                "revision = :new, seq = :seq WHERE id = :id"
            ),
            {**values, "hash": content_hash, "seq": seq},
        )
        for statement in _FOLLOWERS:
            bind.execute(statement, values)
    bind.execute(
        sa.text(
            "INSERT INTO meta (key, value) VALUES ('seq', :seq) ON CONFLICT (key) DO UPDATE SET value = :seq"
        ),
        {"seq": str(seq)},
    )


def downgrade():
    # The published status is what these records should always have had; nothing to undo.
    pass
