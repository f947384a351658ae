"""Helpers for the server tests: settings with a cheap hash, seeded users, signed-in clients, versions."""

from __future__ import annotations

import hashlib
import itertools
import secrets
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from sync.protocol import API_PREFIX, PROTOCOL_HEADER, PROTOCOL_VERSION, CommunityRole, Role
from sync.server import accounts
from sync.server.auth import Passwords
from sync.server.config import Argon2Params, Settings
from sync.server.db import Database
from sync.server.models import Membership

PASSWORD = "correct horse battery"
#: Argon2 at its cheapest, so a login costs well under a millisecond in tests.
CHEAP_ARGON2 = Argon2Params(time_cost=1, memory_cost_kib=8, parallelism=1)
PROTOCOL = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
_change_ids = itertools.count(1)


def make_settings(data_dir: Path, database_url: str | None = None, **changes: Any) -> Settings:
    """Settings on ``data_dir`` (SQLite there unless ``database_url``), with a cheap password hash."""
    environ = {"DATABASE_URL": database_url} if database_url else {}
    return Settings.load(data_dir, environ).with_changes(**{"argon2": CHEAP_ARGON2, **changes})


def add_users(settings: Settings, users: Mapping[str, Role]) -> None:
    """Create accounts (all with :data:`PASSWORD`)."""
    db = Database(settings.database_url)
    passwords = Passwords(settings.argon2)
    try:
        with db.write() as session:
            for name, role in users.items():
                accounts.create_user(
                    session=session, passwords=passwords, name=name, role=role, password=PASSWORD
                )
    finally:
        db.dispose()


def add_membership(settings: Settings, user: str, community: str, role: CommunityRole) -> None:
    """Put ``user`` in ``community`` directly in the database (as seeding; the API is tested elsewhere)."""
    db = Database(settings.database_url)
    try:
        with db.write() as session:
            found = accounts.find_user(session, user)
            assert found is not None
            session.add(Membership(user_id=found.id, community_id=community, role=role.value))
    finally:
        db.dispose()


def new_id() -> str:
    """A random record id."""
    return str(uuid.uuid4())


def new_revision(generation: int = 1) -> str:
    """A client-made revision id."""
    return f"{generation}-{secrets.token_hex(16)}"


def change_id() -> str:
    """A fresh change id."""
    return f"change-{next(_change_ids):06d}-{secrets.token_hex(4)}"


def version(
    *,
    record_id: str | None = None,
    kind: str = "case_study",
    owner: str = "",
    status: str = "draft",
    visibility: str = "everyone",
    community: str = "",
    co_authors: Iterable[str] = (),
    reviewers: Iterable[str] = (),
    revision: str | None = None,
    deleted: bool = False,
    payload: dict[str, Any] | None = None,
    attachments: Iterable[dict[str, Any]] = (),
) -> dict[str, Any]:
    """A record version as JSON, with sensible defaults."""
    return {
        "envelope": {
            "id": record_id or new_id(),
            "kind": kind,
            "owner": owner,
            "co_authors": list(co_authors),
            "reviewers": list(reviewers),
            "community": community,
            "status": status,
            "visibility": visibility,
            "revision": revision or new_revision(),
            "deleted": deleted,
        },
        "payload": payload
        if payload is not None
        else {"fields": {"title": "A case"}, "tags": [], "links": []},
        "attachments": list(attachments),
    }


def edited(stored: Mapping[str, Any], **envelope: Any) -> dict[str, Any]:
    """The next version of a server answer: new revision, ``envelope`` fields replaced, payload touched."""
    env = dict(stored["envelope"])
    generation = int(env["revision"].split("-")[0]) + 1
    env.update(envelope)
    env["parent_revision"] = stored["envelope"]["revision"]
    env["revision"] = new_revision(generation)
    payload = dict(stored["payload"])
    payload["edit"] = secrets.token_hex(4)
    return {"envelope": env, "payload": payload, "attachments": list(stored["attachments"])}


def sha256_of(data: bytes) -> str:
    """Hex SHA-256."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class User:
    """A signed-in user on a test client (TestClient in-process, or httpx/requests against a live server)."""

    client: TestClient | httpx.Client
    name: str
    token: str
    device: str
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        """Protocol and bearer headers."""
        return {**PROTOCOL, "Authorization": f"Bearer {self.token}"}

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A request under the API prefix with this user's headers."""
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.request(method, API_PREFIX + path, headers=headers, **kwargs)

    def push(self, *changes: tuple[dict[str, Any], str] | dict[str, Any]) -> list[dict[str, Any]]:
        """Push versions (or (version, base) pairs) with fresh change ids; returns the results."""
        body = []
        for item in changes:
            record, base = item if isinstance(item, tuple) else (item, "")
            body.append({"change_id": change_id(), "base_revision": base, "record": record})
        response = self.request("POST", "/sync/push", json={"changes": body})
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        return results

    def create(self, record: dict[str, Any]) -> dict[str, Any]:
        """Push a new record and return the stored version (asserting it was accepted)."""
        (result,) = self.push(record)
        assert result["outcome"] == "accepted", result
        stored: dict[str, Any] = result["record"]
        return stored

    def update(self, stored: Mapping[str, Any], **envelope: Any) -> dict[str, Any]:
        """Push an edit of ``stored`` on its revision; returns the result."""
        (result,) = self.push((edited(stored, **envelope), stored["envelope"]["revision"]))
        return result

    def pull_all(self, cursor: int = 0, limit: int = 100) -> tuple[list[dict[str, Any]], int, bool]:
        """Every feed entry after ``cursor`` (paging), the last cursor, and whether resync was asked."""
        entries: list[dict[str, Any]] = []
        resync = False
        for _ in range(10_000):
            response = self.request("GET", "/sync/pull", params={"cursor": cursor, "limit": limit})
            assert response.status_code == 200, response.text
            page = response.json()
            entries.extend(page["changes"])
            resync = resync or page["resync"]
            cursor = page["cursor"]
            if not page["has_more"]:
                return entries, cursor, resync
        raise AssertionError("the feed never ended")


def login(client: TestClient | httpx.Client, name: str, *, device: str | None = None) -> User:
    """Sign in ``name`` (password :data:`PASSWORD`) from ``device`` (a new one by default)."""
    device = device or new_id()
    response = client.post(
        f"{API_PREFIX}/auth/login",
        json={"username": name, "password": PASSWORD, "device_id": device},
        headers=PROTOCOL,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    return User(client=client, name=name, token=body["token"], device=device, info=body["user"])
