"""Server test fixtures: a real SQLite file in a temp folder (or a PostgreSQL database), the app, users."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sync.protocol import Role
from sync.server.api import create_app, make_context
from sync.server.config import Settings
from sync.server.migrate import migrate_database
from tests.support.postgres import PostgresCluster
from tests.support.postgres import postgres_cluster as postgres_cluster  # a fixture, shared
from tests.sync.server.helpers import PROTOCOL, add_users, make_settings

#: The accounts most tests use.
STANDARD_USERS = {
    "alice": Role.STAFF,
    "bob": Role.STAFF,
    "carol": Role.STAFF,
    "lib": Role.LIBRARIAN,
    "root": Role.ADMIN,
}


@pytest.fixture(scope="session")
def migrated_template(postgres_cluster: PostgresCluster, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A PostgreSQL database with the current schema, copied for each test (copying beats migrating)."""
    url = postgres_cluster.create_database()
    migrate_database(make_settings(tmp_path_factory.mktemp("pg-template"), url))
    return url.rsplit("/", 1)[1]


@pytest.fixture(scope="session")
def seeded_template(postgres_cluster: PostgresCluster, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated PostgreSQL database with the standard users."""
    url = postgres_cluster.create_database()
    settings = make_settings(tmp_path_factory.mktemp("pg-seeded"), url)
    migrate_database(settings)
    add_users(settings, STANDARD_USERS)
    return url.rsplit("/", 1)[1]


@pytest.fixture(scope="session")
def sqlite_seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with the standard users, copied for each test."""
    base = tmp_path_factory.mktemp("sqlite-seeded")
    settings = make_settings(base / "data", f"sqlite:///{base / 'server.db'}")
    migrate_database(settings)
    add_users(settings, STANDARD_USERS)  # its engine is disposed: the WAL is folded back into the file
    return base / "server.db"


@pytest.fixture(scope="session")
def app_shell(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """One app for the session (building routes costs more than a test); each test gives it a context."""
    base = tmp_path_factory.mktemp("shell")
    return create_app(make_settings(base / "data", f"sqlite:///{base / 'server.db'}"))


def _database(request: pytest.FixtureRequest, kind: str, tmp_path: Path, *, seeded: bool) -> Iterator[str]:
    if kind == "sqlite":
        path = tmp_path / "server.db"
        if seeded:
            shutil.copyfile(request.getfixturevalue("sqlite_seeded"), path)
        yield f"sqlite:///{path}"
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    template: str = request.getfixturevalue("seeded_template" if seeded else "migrated_template")
    url = cluster.create_database(template=template)
    try:
        yield url
    finally:
        cluster.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh migrated database (no users) on each backend: an SQLite file, a database in the cluster."""
    yield from _database(request, request.param, tmp_path, seeded=False)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An SQLite file in the test's temp folder (not created yet)."""
    return f"sqlite:///{tmp_path / 'server.db'}"


@pytest.fixture
def settings(tmp_path: Path, sqlite_url: str) -> Settings:
    """Settings on SQLite with a cheap hash (tests that want both backends use ``backend_settings``)."""
    return make_settings(tmp_path / "data", sqlite_url)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings on each backend in turn, on a database with the standard users."""
    for url in _database(request, request.param, tmp_path, seeded=True):
        yield make_settings(tmp_path / "data", url)


def _client_on(app: FastAPI, settings: Settings) -> Iterator[TestClient]:
    app.state.context = make_context(settings)
    try:
        with TestClient(app, headers=PROTOCOL) as test_client:
            yield test_client
    finally:
        app.state.context.db.dispose()


@pytest.fixture
def app(app_shell: FastAPI, settings: Settings, sqlite_seeded: Path) -> FastAPI:
    """The app on this test's SQLite file, with the standard users."""
    shutil.copyfile(sqlite_seeded, settings.database_url.removeprefix("sqlite:///"))
    app_shell.state.context = make_context(settings)
    return app_shell


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An in-process client that sends the protocol header."""
    try:
        with TestClient(app, headers=PROTOCOL) as test_client:
            yield test_client
    finally:
        app.state.context.db.dispose()


@pytest.fixture
def backend_client(app_shell: FastAPI, backend_settings: Settings) -> Iterator[TestClient]:
    """An in-process client on each backend in turn, with the standard users."""
    yield from _client_on(app_shell, backend_settings)
