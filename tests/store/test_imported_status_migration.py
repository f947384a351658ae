"""Store migration 0008: records an earlier import left as drafts become published, in place."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from desktop.core.kinds import Kind
from desktop.core.records import Source, Status
from desktop.store import open_store
from desktop.store.migrate import HEAD_REVISION
from tests.store.conftest import make_record

SOURCE = Source(collection="govuk_content_items", key="abc/en", licence="OGL-UK-3.0")


def test_imported_drafts_become_published_and_nothing_else_changes(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    imported = make_record(Kind.ARTICLE, "Imported", source=SOURCE)
    edited = make_record(Kind.ARTICLE, "Imported, then edited", source=SOURCE)
    mine = make_record(title="Alice's draft", owner="alice")
    servers = make_record(
        Kind.ARTICLE, "A staff import the server keeps as bob's draft", source=SOURCE, owner="bob"
    )
    pushed = make_record(Kind.ARTICLE, "Imported and pushed", source=SOURCE)
    with open_store(profile) as repo:
        repo.save_many([imported, edited, mine, servers, pushed])
        repo.save(edited.with_fields(summary="A second version"))
        db = repo.db_path
    connection = sqlite3.connect(db)
    with connection:
        # As an earlier version left it: schema 0007, imports as drafts; one of them pushed.
        connection.execute("UPDATE alembic_version SET version_num = '0007'")
        connection.execute("UPDATE outbox SET state = 'done' WHERE record_id = ?", (pushed.id,))
    seq_before = int(connection.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()[0])
    connection.close()

    with open_store(profile) as repo:
        statuses = {r.id: repo.get(r.id).status for r in (imported, edited, mine, servers, pushed)}
        assert statuses == {
            imported.id: Status.PUBLISHED,
            edited.id: Status.PUBLISHED,
            mine.id: Status.DRAFT,
            servers.id: Status.DRAFT,
            pushed.id: Status.DRAFT,
        }
        assert repo.get(edited.id).fields["summary"] == "A second version"
        assert len(repo.history(edited.id)) == 2  # no version added: the current one rewritten

    connection = sqlite3.connect(db)
    try:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION
        rows = connection.execute(
            "SELECT id, status, revision, generation, content_hash, content, seq FROM records"
        ).fetchall()
        for record_id, status, revision, generation, content_hash, content, seq in rows:
            assert hashlib.sha256(content.encode("utf-8")).hexdigest() == content_hash
            assert revision == f"{generation}-{content_hash[:32]}"
            assert f'"status":"{status}"' in content
            (stored,) = connection.execute(
                "SELECT content FROM revisions WHERE record_id = ? AND revision = ?", (record_id, revision)
            ).fetchone()
            assert stored == content
            if record_id in (imported.id, edited.id):
                assert seq > seq_before  # the index catches up with the new revision id
                newest = connection.execute(
                    "SELECT revision FROM outbox WHERE record_id = ? ORDER BY id DESC LIMIT 1", (record_id,)
                ).fetchone()[0]
                assert newest == revision  # the pending push sends the published version
        (edited_parent,) = connection.execute(
            "SELECT parent_revision FROM records WHERE id = ?", (edited.id,)
        ).fetchone()
        assert (
            connection.execute(
                "SELECT count(*) FROM revisions WHERE record_id = ? AND revision = ?",
                (edited.id, edited_parent),
            ).fetchone()[0]
            == 1
        )
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        connection.close()
