"""A first sync of real knowledge: a librarian's profile that imported the corpus pushes all of it to
a real ``imbizo-server`` process, and a colleague's new profile pulls all of it; on SQLite and on
a throw-away PostgreSQL cluster.

By default a slice of the corpus with every kind in it (news articles, GOV.UK case studies, 18F
methods, MARC catalogue records, vocabulary terms, communities and the experts who wrote the
articles: about 360 records), so the test command stays fast; ``IMBIZO_CORPUS_SYNC=whole``
syncs the whole corpus (about 12,600 records, minutes).

The checks: nothing lost (every record on both profiles, with the same synced content as the
server holds, by canonical hash), nothing doubled (one server row per record, and a second sync
moves nothing), and what arrived is searchable on the new profile.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.sync_service import SyncService
from sync.protocol import Role
from tests.conftest import CORPUS
from tests.support.canonical import kind_hashes, replica_export, server_export
from tests.support.postgres import PostgresCluster
from tests.support.sync_processes import server_group
from tests.sync.server.helpers import PASSWORD

WHOLE = os.environ.get("IMBIZO_CORPUS_SYNC") == "whole"
SLICE = (
    "knowledge_base/digitalgov/news/2014/05",
    "knowledge_base/govuk_content_items/case_study",
    "knowledge_base/18f_methods",
    "library/pymarc_test",
    "vocab/digitalgov_topics",
    "experts/digitalgov/communities",
)
AUTHORS = CORPUS / "experts" / "digitalgov" / "authors"
SLICE_AUTHORS = 150  # of about 1,040 author profiles (the experts): the first in name order
USERS = {"lib": Role.LIBRARIAN, "reader": Role.STAFF}

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the project")


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(base URL, database URL) of one real server process on the backend of the parameter."""
    database_url = None
    cluster: PostgresCluster | None = None
    if request.param == "postgresql":
        cluster = request.getfixturevalue("postgres_cluster")
        database_url = cluster.create_database()
    root = tmp_path / "server"
    root.mkdir()
    try:
        with server_group(root, database_url, USERS) as group:
            yield group[0].url, database_url or f"sqlite:///{root / 'server.db'}"
    finally:
        if cluster is not None and database_url is not None:
            cluster.drop_database(database_url)


def _some_authors() -> list[Path]:
    return sorted(path for path in AUTHORS.iterdir() if path.is_dir())[:SLICE_AUTHORS]


def _signed_in(folder: Path, url: str, user: str) -> tuple[Session, SyncService]:
    session = Session.open(ProfilePaths(folder, "--data-dir"))
    service = SyncService(session, use_keyring=False)
    service.login(url, user, PASSWORD)
    return session, service


@pytest.mark.timeout(3600 if WHOLE else 600)
def test_a_first_sync_of_the_corpus_loses_nothing_and_doubles_nothing(
    server: tuple[str, str], tmp_path: Path
) -> None:
    url, database_url = server
    librarian, lib_service = _signed_in(tmp_path / "librarian", url, "lib")
    reader, reader_service = _signed_in(tmp_path / "reader", url, "reader")
    try:
        paths = [CORPUS] if WHOLE else [CORPUS / part for part in SLICE] + _some_authors()
        imported = librarian.import_paths(paths)
        assert imported.added > (10_000 if WHOLE else 350), imported
        ids = {r.id for r in librarian.store.iter_records() if not r.demo}

        pushed = lib_service.sync()
        assert (pushed.pushed, pushed.rejected, pushed.verified) == (len(ids), [], True)
        pulled = reader_service.sync()  # a librarian's import is published: a colleague reads all of it
        assert (pulled.pulled, pulled.conflicts, pulled.verified) == (len(ids), 0, True)

        on_server = server_export(database_url)
        assert {i for rows in on_server.values() for i in rows} == ids  # one row per record, no other
        server_hashes = kind_hashes(on_server)
        assert kind_hashes(replica_export(librarian.store, ids)) == server_hashes
        assert kind_hashes(replica_export(reader.store, ids)) == server_hashes

        again = [lib_service.sync(), reader_service.sync()]
        assert [(r.pushed, r.pulled, r.merged) for r in again] == [(0, 0, 0), (0, 0, 0)]

        some = sorted(ids)[:: max(1, len(ids) // 20)]  # a spread of records, every kind likely
        for record in librarian.store.get_many(some).values():
            words = " ".join(record.title.split()[:6])
            hits = reader.search(words, limit=50).hits
            assert record.id in {hit.id for hit in hits}, f"{record.kind.value} {record.title!r} not found"
    finally:
        librarian.close()
        reader.close()
