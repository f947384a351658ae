"""Server test fixtures: a real SQLite file in a temp folder (or a PostgreSQL database), the app, users."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sync.protocol import Role
from sync.server.api import create_app
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
    settings = make_settings(tmp_path_factory.mktemp("pg-template"), url)
    migrate_database(settings)
    return url.rsplit("/", 1)[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database on each backend: an SQLite file, and a database in the throw-away cluster."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.db'}"
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    template: str = request.getfixturevalue("migrated_template")
    url = cluster.create_database(template=template)
    try:
        yield url
    finally:
        cluster.drop_database(url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An SQLite file in the test's temp folder."""
    return f"sqlite:///{tmp_path / 'server.db'}"


@pytest.fixture
def settings(tmp_path: Path, sqlite_url: str) -> Settings:
    """Settings on SQLite with a cheap hash (tests that want both backends use ``backend_settings``)."""
    return make_settings(tmp_path / "data", sqlite_url)


@pytest.fixture
def backend_settings(tmp_path: Path, database_url: str) -> Settings:
    """Settings on each backend in turn."""
    return make_settings(tmp_path / "data", database_url)


def _app_with_users(settings: Settings) -> FastAPI:
    app = create_app(settings)
    add_users(settings, STANDARD_USERS)
    return app


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    """The app on SQLite, with the standard users."""
    application = _app_with_users(settings)
    yield application
    application.state.context.db.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An in-process client that sends the protocol header."""
    with TestClient(app, headers=PROTOCOL) as test_client:
        yield test_client


@pytest.fixture
def backend_client(backend_settings: Settings) -> Iterator[TestClient]:
    """An in-process client on each backend in turn, with the standard users."""
    application = _app_with_users(backend_settings)
    with TestClient(application, headers=PROTOCOL) as test_client:
        yield test_client
    application.state.context.db.dispose()
