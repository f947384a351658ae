"""Fixtures for the client-side sync tests: the real server app in-process, real desktop profiles.

Each "client" is a real profile folder (SQLite store, Whoosh index) with a SyncService
whose HTTP goes to the server app through tests/support/asgi_transport.py (faults
optional). The retry policy never sleeps, so a run with dropped answers stays fast.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.sync_service import SyncService
from sync.client import RetryPolicy
from sync.protocol import Role
from sync.server.api import create_app
from tests.support.asgi_transport import ASGIAdapter, Faults, in_process_session
from tests.support.postgres import postgres_cluster as postgres_cluster  # a fixture, shared
from tests.sync.server.helpers import PASSWORD, add_users, make_settings

SERVER_URL = "http://127.0.0.1"  # in-process: no socket; loopback needs no http allowance
USERS = {"alice": Role.STAFF, "bob": Role.STAFF, "carol": Role.STAFF, "lib": Role.LIBRARIAN}


@dataclass
class SyncClientProfile:
    """One desktop profile signed in to the test server."""

    name: str
    session: Session
    service: SyncService
    adapter: ASGIAdapter
    closed: bool = field(default=False)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.session.close()
            self.adapter.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Any]:
    """The server app on a fresh SQLite file, with alice, bob, carol (staff) and lib (librarian)."""
    settings = make_settings(tmp_path / "server")
    app = create_app(settings)
    add_users(settings, USERS)
    app.state.settings_for_tests = settings
    yield app
    app.state.context.db.dispose()


def no_sleep_retry(seed: int = 0, attempts: int = 6) -> RetryPolicy:
    """Retries without waiting (the backoff itself is checked in the client's own tests)."""
    return RetryPolicy(
        attempts=attempts, base_delay=0.0, max_delay=0.0, sleep=lambda _s: None, rng=random.Random(seed)
    )


@pytest.fixture
def make_client(server: Any, tmp_path: Path) -> Iterator[Callable[..., SyncClientProfile]]:
    """Make a signed-in client profile: ``make_client("alice")`` (``faults=Faults(...)`` optional)."""
    made: list[SyncClientProfile] = []

    def make(
        user: str, *, label: str = "", faults: Faults | None = None, sign_in: bool = True
    ) -> SyncClientProfile:
        folder = tmp_path / f"client-{label or user}-{len(made)}"
        session = Session.open(ProfilePaths(folder, "--data-dir"))
        http, adapter = in_process_session(server, faults)
        service = SyncService(session, http=http, use_keyring=False, retry=no_sleep_retry(len(made)))
        profile = SyncClientProfile(label or user, session, service, adapter)
        made.append(profile)
        if sign_in:
            adapter.enabled = False  # sign in on a clean link; faults are for the syncs
            service.login(SERVER_URL, user, PASSWORD)
            adapter.enabled = True
        return profile

    yield make
    for profile in made:
        profile.close()
