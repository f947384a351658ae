"""S2: the authorization matrix, every operation of the OpenAPI schema x every role x every kind of object.

Each cell has an explicit expected answer: an HTTP status, or for a push the outcome
(``accepted``, ``proposed``) or the rejection code (``forbidden``, ``not_found``).
The inventory test fails when the schema has an operation the matrix does not cover.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sync.protocol import CommunityRole, Role
from sync.server.api import create_app
from sync.server.auth import token_digest
from sync.server.config import Settings
from sync.server.db import Database
from sync.server.models import Membership, RecordRow, Token
from sync.server.models import User as UserRow
from tests.sync.server.helpers import (
    PASSWORD,
    PROTOCOL,
    add_users,
    change_id,
    edited,
    login,
    make_settings,
    new_id,
    sha256_of,
    version,
)

ROLES = (
    "anonymous",
    "expired",
    "disabled",
    "owner",
    "co_author",
    "reviewer",
    "staff_a",
    "staff_b",
    "facilitator_a",
    "librarian",
    "admin",
)
NAMES = {
    "expired": "exp",
    "disabled": "dis",
    "owner": "olga",
    "co_author": "cory",
    "reviewer": "rita",
    "staff_a": "mona",
    "staff_b": "sam",
    "facilitator_a": "fay",
    "librarian": "lib",
    "admin": "root",
}
NOBODY = ("anonymous", "expired", "disabled")
SIGNED_IN = tuple(r for r in ROLES if r not in NOBODY)


def expect(signed_in: str, *, nobody: str = "401", **by_role: str) -> dict[str, str]:
    """A row of the matrix: every role's expected answer (``by_role`` overrides the default)."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, unknown
    return {role: by_role.get(role, nobody if role in NOBODY else signed_in) for role in ROLES}


def only(allowed: str, denied: str, *roles: str) -> dict[str, str]:
    """``allowed`` for ``roles``, ``denied`` for the other signed-in roles, 401 for the rest."""
    return expect(denied, **dict.fromkeys(roles, allowed))


READERS_DRAFT = ("owner", "co_author", "reviewer")
READERS_SUBMITTED = (*READERS_DRAFT, "facilitator_a", "librarian", "admin")
MEMBERS_A = ("owner", "staff_a", "facilitator_a")
READERS_COMM_A = (*MEMBERS_A, "librarian", "admin")
READERS_COMM_B = ("staff_b", "librarian", "admin")
LIBRARIANS = ("librarian", "admin")
ACCEPTED_BY_LIBRARIANS = dict.fromkeys(LIBRARIANS, "accepted")

MATRIX: dict[tuple[str, str], dict[str, dict[str, str]]] = {
    ("GET", "/health"): {"-": expect("200", nobody="200")},
    ("POST", "/api/v1/auth/login"): {"-": expect("200", anonymous="401", expired="200", disabled="401")},
    ("POST", "/api/v1/auth/logout"): {"-": expect("204")},
    ("POST", "/api/v1/auth/password"): {"-": expect("204")},
    ("GET", "/api/v1/me"): {"-": expect("200")},
    ("GET", "/api/v1/sync/pull"): {"-": expect("200")},
    ("GET", "/api/v1/sync/pending"): {"-": expect("200")},
    ("GET", "/api/v1/sync/digest"): {"-": expect("200")},
    ("GET", "/api/v1/sync/index"): {"-": expect("200")},
    ("POST", "/api/v1/sync/resynced"): {"-": expect("204")},
    ("POST", "/api/v1/blobs/uploads"): {"-": expect("200")},
    ("POST", "/api/v1/usage/events"): {"-": expect("200")},
    ("GET", "/api/v1/usage/summary"): {"-": expect("200")},
    ("GET", "/api/v1/records/{record_id}"): {
        "draft": only("200", "404", *READERS_DRAFT),
        "submitted": only("200", "404", *READERS_SUBMITTED),
        "community_a": only("200", "404", *READERS_COMM_A),
        "community_b": only("200", "404", *READERS_COMM_B),
        "public": expect("200"),
        "retired": only("200", "404", "owner", *LIBRARIANS),
        "missing": expect("404"),
    },
    ("GET", "/api/v1/records/{record_id}/history"): {
        "draft": only("200", "404", *READERS_DRAFT),
        "submitted": only("200", "404", *READERS_SUBMITTED),
        "community_a": only("200", "404", *READERS_COMM_A),
        "community_b": only("200", "404", *READERS_COMM_B),
        "public": expect("200"),
        "retired": only("200", "404", "owner", *LIBRARIANS),
        "missing": expect("404"),
    },
    ("POST", "/api/v1/sync/push"): {
        "draft": expect("not_found", owner="accepted", co_author="accepted", reviewer="forbidden"),
        "submitted": expect(
            "not_found", **{**dict.fromkeys(READERS_SUBMITTED, "forbidden"), **ACCEPTED_BY_LIBRARIANS}
        ),
        "community_a": expect(
            "not_found",
            owner="forbidden",
            staff_a="forbidden",
            facilitator_a="accepted",
            librarian="accepted",
            admin="accepted",
        ),
        "community_b": expect("not_found", staff_b="forbidden", librarian="accepted", admin="accepted"),
        "public": expect("proposed", librarian="accepted", admin="accepted"),
        "retired": expect("not_found", owner="forbidden", librarian="accepted", admin="accepted"),
        "missing": expect("accepted"),
    },
    ("GET", "/api/v1/blobs/{sha256}"): {
        "draft": only("200", "404", *READERS_DRAFT),
        "community_a": only("200", "404", *READERS_COMM_A),
        "community_b": only("200", "404", *READERS_COMM_B),
        "public": expect("200"),
        "unreferenced": expect("404"),
        "missing": expect("404"),
    },
    ("PUT", "/api/v1/blobs/uploads/{upload_id}"): {
        "own_upload": only("200", "404", "owner"),
        "missing": expect("404"),
    },
    ("GET", "/api/v1/communities/{community_id}/members"): {
        "community_a": only("200", "403", *READERS_COMM_A),
        "community_b": only("200", "403", *READERS_COMM_B),
        "missing": expect("404"),
    },
    ("PUT", "/api/v1/communities/{community_id}/members"): {
        "community_a": only("204", "403", "facilitator_a", *LIBRARIANS),
        "community_b": only("204", "403", *LIBRARIANS),
        "missing": expect("404"),
    },
    ("DELETE", "/api/v1/communities/{community_id}/members/{user}"): {
        "community_a": only("204", "403", "facilitator_a", *LIBRARIANS),
        "community_b": only("204", "403", *LIBRARIANS),
        "missing": expect("404"),
    },
    ("POST", "/api/v1/communities/{community_id}/join"): {
        "community_a": expect("204"),
        "community_b": expect("204"),
        "missing": expect("404"),
    },
}


@dataclass
class World:
    """One server with users, communities, records of every kind of access, blobs and tokens."""

    client: TestClient
    settings: Settings
    db: Database
    records: dict[str, str] = field(default_factory=dict)
    blobs: dict[str, str] = field(default_factory=dict)
    communities: dict[str, str] = field(default_factory=dict)
    dead_tokens: dict[str, str] = field(default_factory=dict)

    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, role: str, *, fresh: bool = False) -> str | None:
        """A token for ``role`` (``fresh`` for a cell that ends it); dead roles get dead tokens."""
        if role == "anonymous":
            return None
        if role in self.dead_tokens:
            return self.dead_tokens[role]
        if fresh or role not in self.tokens:
            self.tokens[role] = login(self.client, NAMES[role]).token
        return self.tokens[role]

    def current(self, record_id: str) -> dict[str, Any]:
        """The server's current version of a record, read past the access checks."""
        with self.db.read() as session:
            row = session.get(RecordRow, record_id)
            assert row is not None
            from sync.server.records import row_to_version

            return row_to_version(row).model_dump(mode="json")


def _seed(client: TestClient, settings: Settings, db: Database) -> World:
    world = World(client=client, settings=settings, db=db)
    users = {name: Role.STAFF for name in NAMES.values()}
    users.update(lib=Role.LIBRARIAN, root=Role.ADMIN, extra=Role.STAFF)
    add_users(settings, users)
    lib, olga = login(client, "lib"), login(client, "olga")
    for key in ("community_a", "community_b"):
        world.communities[key] = lib.create(version(kind="community"))["envelope"]["id"]
    a, b = world.communities["community_a"], world.communities["community_b"]
    with db.write() as session:
        ids = {row.name: row.id for row in session.query(UserRow)}
        for name, community, role in (
            ("olga", a, CommunityRole.MEMBER),
            ("mona", a, CommunityRole.MEMBER),
            ("fay", a, CommunityRole.FACILITATOR),
            ("sam", b, CommunityRole.MEMBER),
        ):
            session.add(Membership(user_id=ids[name], community_id=community, role=role.value))
    olga = login(client, "olga")

    def attached(label: str) -> list[dict[str, Any]]:
        data = f"bytes of {label} {secrets.token_hex(8)}".encode()
        _upload(olga.request, data)
        world.blobs[label] = sha256_of(data)
        return [{"sha256": sha256_of(data), "filename": f"{label}.txt", "size": len(data)}]

    people = {"co_authors": ["cory"], "reviewers": ["rita"], "community": a}
    world.records["draft"] = olga.create(version(**people, attachments=attached("draft")))["envelope"]["id"]
    world.records["submitted"] = olga.create(version(**people, status="submitted"))["envelope"]["id"]

    def published(label: str, **envelope: Any) -> str:
        draft = olga.create(version(status="submitted", attachments=attached(label), **envelope))
        result = lib.update(draft, status="published")
        assert result["record"]["envelope"]["status"] == "published", result
        return str(result["record"]["envelope"]["id"])

    world.records["community_a"] = published("community_a", visibility="community", community=a)
    world.records["public"] = published("public")
    retired = published("retired")
    assert lib.update(world.current(retired), status="retired")["outcome"] == "accepted"
    world.records["retired"] = retired
    # A record of community B, owned by a librarian (olga is not in B).
    world.records["community_b"] = lib.create(version(visibility="community", community=b))["envelope"]["id"]
    blob_b = f"bytes of community_b {secrets.token_hex(8)}".encode()
    _upload(lib.request, blob_b)
    world.blobs["community_b"] = sha256_of(blob_b)
    stored_b = world.current(world.records["community_b"])
    (result_b,) = lib.push(
        (
            {
                **edited(stored_b),
                "attachments": [{"sha256": sha256_of(blob_b), "filename": "b.txt", "size": len(blob_b)}],
            },
            stored_b["envelope"]["revision"],
        )
    )
    assert result_b["outcome"] == "accepted"
    unreferenced = b"never attached to anything"
    _upload(olga.request, unreferenced)
    world.blobs["unreferenced"] = sha256_of(unreferenced)
    world.blobs["missing"] = sha256_of(b"no such blob")
    world.records["missing"] = new_id()
    world.communities["missing"] = new_id()
    world.dead_tokens["expired"] = _expired_token(world)
    world.dead_tokens["disabled"] = _disabled_token(world)
    return world


def _upload(request: Callable[..., Any], data: bytes) -> None:
    state = request("POST", "/blobs/uploads", json={"sha256": sha256_of(data), "size": len(data)}).json()
    if not state["complete"]:
        done = request(
            "PUT", f"/blobs/uploads/{state['upload_id']}", headers={"Upload-Offset": "0"}, content=data
        )
        assert done.json()["complete"], done.text


def _expired_token(world: World) -> str:
    token = login(world.client, "exp").token
    with world.db.write() as session:
        row = session.query(Token).filter_by(token_hash=token_digest(token)).one()
        row.expires_at = row.created_at - timedelta(minutes=1)
    return token


def _disabled_token(world: World) -> str:
    from sync.server import accounts

    token = login(world.client, "dis").token
    with world.db.write() as session:
        accounts.disable_user(session=session, name="dis")
    return token


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The seeded server, shared by every cell (cells that change state put it back)."""
    base: Path = tmp_path_factory.mktemp("matrix")
    settings = make_settings(base / "data", f"sqlite:///{base / 'server.db'}")
    app = create_app(settings)
    db = Database(settings.database_url)
    with TestClient(app, headers=PROTOCOL) as client:
        yield _seed(client, settings, db)
    db.dispose()
    app.state.context.db.dispose()


def _memberships(world: World) -> list[tuple[int, str, str]]:
    with world.db.read() as session:
        return [(m.user_id, m.community_id, m.role) for m in session.query(Membership)]


def _restore_memberships(world: World, rows: list[tuple[int, str, str]]) -> None:
    with world.db.write() as session:
        session.query(Membership).delete()
        for user_id, community, role in rows:
            session.add(Membership(user_id=user_id, community_id=community, role=role))


def _extra_in(world: World, community: str) -> None:
    with world.db.write() as session:
        extra = session.query(UserRow).filter_by(name="extra").one()
        if session.get(Membership, (extra.id, community)) is None:
            session.add(Membership(user_id=extra.id, community_id=community, role="member"))


def _new_upload(world: World) -> str:
    owner = login(world.client, "olga")
    data = secrets.token_bytes(32)
    state = owner.request(
        "POST", "/blobs/uploads", json={"sha256": sha256_of(data), "size": len(data)}
    ).json()
    return str(state["upload_id"])


def run_cell(world: World, method: str, path: str, target: str, role: str) -> str:
    """Carry out one cell; returns the status, or for a push the outcome or rejection code."""
    ends_session = path in ("/api/v1/auth/logout", "/api/v1/auth/password")
    token = world.token(role, fresh=ends_session)
    headers = dict(PROTOCOL)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    kwargs: dict[str, Any] = {}
    url = path
    if path == "/api/v1/auth/login":
        name = NAMES.get(role, "nobody-at-all")
        kwargs["json"] = {"username": name, "password": PASSWORD, "device_id": new_id()}
    elif path == "/api/v1/auth/password":
        kwargs["json"] = {"old_password": PASSWORD, "new_password": PASSWORD}
    elif path == "/api/v1/sync/resynced":
        kwargs["params"] = {"cursor": 1}
    elif path == "/api/v1/blobs/uploads":
        kwargs["json"] = {"sha256": sha256_of(secrets.token_bytes(8)), "size": 8}
    elif path == "/api/v1/usage/events":
        kwargs["json"] = {"events": []}
    elif "{record_id}" in path:
        url = path.format(record_id=world.records[target])
    elif path == "/api/v1/sync/push":
        kwargs["json"] = {"changes": [_push_change(world, target)]}
    elif "{sha256}" in path:
        url = path.format(sha256=world.blobs[target])
    elif "{upload_id}" in path:
        upload = _new_upload(world) if target == "own_upload" else secrets.token_urlsafe(24)
        url = path.format(upload_id=upload)
        headers["Upload-Offset"] = "0"
        kwargs["content"] = b"x"
    elif "{community_id}" in path:
        community = world.communities[target]
        url = path.format(community_id=community, user="extra")
        if method == "PUT":
            kwargs["json"] = {"user": "extra", "role": "member"}
        if method == "DELETE" and target != "missing":
            _extra_in(world, community)
    changes_members = "{community_id}" in path and method != "GET"
    saved = _memberships(world) if changes_members else []
    try:
        response = world.client.request(method, url, headers=headers, **kwargs)
    finally:
        if changes_members:
            _restore_memberships(world, saved)
        if ends_session:
            world.tokens.pop(role, None)
    if path == "/api/v1/sync/push" and response.status_code == 200:
        result = response.json()["results"][0]
        return str(result["code"] if result["outcome"] == "rejected" else result["outcome"])
    return str(response.status_code)


def _push_change(world: World, target: str) -> dict[str, Any]:
    if target == "missing":
        return {"change_id": change_id(), "base_revision": "", "record": version()}
    current = world.current(world.records[target])
    return {
        "change_id": change_id(),
        "base_revision": current["envelope"]["revision"],
        "record": edited(current),
    }


CELLS = [
    pytest.param(method, path, target, role, expected, id=f"{method} {path} [{target}] {role}")
    for (method, path), targets in MATRIX.items()
    for target, row in targets.items()
    for role, expected in row.items()
]


@pytest.mark.parametrize(("method", "path", "target", "role", "expected"), CELLS)
def test_cell(world: World, method: str, path: str, target: str, role: str, expected: str) -> None:
    assert run_cell(world, method, path, target, role) == expected


def test_the_matrix_covers_every_operation_of_the_schema(world: World) -> None:
    schema = world.client.get("/openapi.json").json()
    operations = {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "put", "post", "delete", "patch", "head", "options")
    }
    assert operations == set(MATRIX)
    for row in (row for targets in MATRIX.values() for row in targets.values()):
        assert set(row) == set(ROLES)


def test_b_with_as_ids_is_denied_on_every_object_endpoint(world: World) -> None:
    """IDOR: staff of community B alone, with the ids of community A's objects, gets nothing."""
    sam = login(world.client, "sam")
    record = world.records["draft"]
    assert sam.request("GET", f"/records/{record}").status_code == 404
    assert sam.request("GET", f"/blobs/{world.blobs['draft']}").status_code == 404
    assert sam.request("GET", f"/communities/{world.communities['community_a']}/members").status_code == 403
    entries, _, _ = sam.pull_all()
    assert record not in {e["record"]["envelope"]["id"] for e in entries if e["record"]}
    assert record not in {e["id"] for e in sam.request("GET", "/sync/index").json()["entries"]}


def test_an_owner_cannot_publish_or_hand_over_a_record_bopla(world: World) -> None:
    olga = login(world.client, "olga")
    draft = olga.create(version(community=world.communities["community_a"]))
    publish = olga.update(draft, status="published")
    assert publish["outcome"] == "rejected" and publish["code"] == "forbidden"
    handed = olga.update(draft, owner="lib")
    assert handed["outcome"] == "accepted" and handed["record"]["envelope"]["owner"] == "olga"
    # A co-author may edit but not change who the authors are.
    shared = olga.create(version(co_authors=["cory"]))
    cory = login(world.client, "cory")
    renamed = cory.update(shared, co_authors=["cory", "mona"], reviewers=["mona"])
    assert renamed["outcome"] == "accepted"
    assert renamed["record"]["envelope"]["co_authors"] == ["cory"]
    assert renamed["record"]["envelope"]["reviewers"] == []


def test_answers_never_carry_hidden_fields(world: World) -> None:
    me = login(world.client, "olga").request("GET", "/me").text
    assert "password" not in me and "argon2" not in me and "hash" not in me


def test_leaving_a_community_is_allowed_for_the_member_themselves(world: World) -> None:
    saved = _memberships(world)
    try:
        mona = login(world.client, "mona")
        community = world.communities["community_a"]
        assert mona.request("DELETE", f"/communities/{community}/members/mona").status_code == 204
        assert mona.request("DELETE", f"/communities/{community}/members/mona").status_code == 404
        # Someone else is not removed by a plain member.
        assert mona.request("DELETE", f"/communities/{community}/members/fay").status_code == 403
    finally:
        _restore_memberships(world, saved)
