"""S3: password hashes, the login throttle, tokens, revocation and no user enumeration."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sync.protocol import API_PREFIX, Role
from sync.server import accounts
from sync.server.auth import Passwords, token_digest
from sync.server.config import Argon2Params, Settings
from sync.server.db import Database
from sync.server.models import Token, User
from tests.sync.server.helpers import PASSWORD, PROTOCOL, login, new_id

LOGIN = f"{API_PREFIX}/auth/login"


def _attempt(
    client: TestClient, name: str, password: str, device: str | None = None
) -> tuple[int, dict[str, str]]:
    response = client.post(
        LOGIN, json={"username": name, "password": password, "device_id": device or new_id()}
    )
    return response.status_code, response.json()


def test_production_hash_parameters_meet_owasp_and_every_stored_hash_is_argon2id(tmp_path: Path) -> None:
    production = Settings.load(tmp_path, {})
    params = production.argon2
    assert (params.memory_cost_kib >= 19456 and params.time_cost >= 2) or (
        params.memory_cost_kib >= 47104 and params.time_cost >= 1
    )
    stored = Passwords(params).hash("a long enough password")
    match = re.fullmatch(r"\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[^$]+\$[^$]+", stored)
    assert match is not None
    assert (int(match[1]), int(match[2])) == (params.memory_cost_kib, params.time_cost)


def test_a_login_upgrades_a_hash_made_with_other_parameters(settings: Settings, client: TestClient) -> None:
    weaker = Passwords(Argon2Params(time_cost=1, memory_cost_kib=16, parallelism=2))
    db = Database(settings.database_url)
    with db.write() as session:
        user = accounts.find_user(session, "alice")
        assert user is not None
        user.password_hash = weaker.hash(PASSWORD)
    assert _attempt(client, "alice", PASSWORD)[0] == 200
    with db.read() as session:
        upgraded = session.query(User).filter_by(name="alice").one().password_hash
    assert ",p=1$" in upgraded and not Passwords(settings.argon2).needs_rehash(upgraded)
    db.dispose()


def test_ten_failures_throttle_the_account_whatever_the_password(client: TestClient) -> None:
    for _ in range(10):
        assert _attempt(client, "alice", "wrong password")[0] == 401
    status, body = _attempt(client, "alice", PASSWORD)
    assert status == 429 and body["error"] == "throttled"
    # Other accounts are not affected; unknown names are throttled the same way.
    assert _attempt(client, "bob", PASSWORD)[0] == 200
    for _ in range(10):
        _attempt(client, "nobody", "x")
    assert _attempt(client, "nobody", "x")[0] == 429


def test_the_throttle_ends_after_the_window_and_a_success_clears_failures(settings: Settings) -> None:
    from sync.server.auth import is_throttled, record_failure
    from sync.server.db import utc_now

    db = Database(settings.database_url)
    from sync.server.migrate import migrate_database

    migrate_database(settings)
    with db.write() as session:
        for _ in range(10):
            record_failure(session, username="zed", settings=settings)
    with db.read() as session:
        now = utc_now()
        assert is_throttled(session, username="zed", settings=settings, now=now)
        assert not is_throttled(session, username="zed", settings=settings, now=now + timedelta(minutes=16))
    with db.write() as session:
        for _ in range(9):
            record_failure(session, username="yan", settings=settings)
    with db.read() as session:
        assert not is_throttled(session, username="yan", settings=settings)
    db.dispose()


def test_unknown_user_and_wrong_password_answer_identically(client: TestClient) -> None:
    unknown = _attempt(client, "no-such-user", "whatever password")
    wrong = _attempt(client, "alice", "whatever password")
    assert unknown == wrong
    assert unknown[0] == 401


def test_unknown_users_cost_one_verification_like_known_ones(tmp_path: Path) -> None:
    """Timing: with a hash costing ~30 ms both answers take about as long (without the dummy: ~4x apart)."""
    import statistics
    import time

    from sync.server.api import create_app
    from sync.server.models import LoginFailure
    from tests.sync.server.helpers import add_users, make_settings

    settings = make_settings(tmp_path, argon2=Argon2Params(time_cost=1, memory_cost_kib=32768, parallelism=1))
    app = create_app(settings)
    add_users(settings, {"alice": Role.STAFF})
    db = Database(settings.database_url)
    timings: dict[str, list[float]] = {"alice": [], "no-such-user": []}
    with TestClient(app, headers=PROTOCOL) as client:
        for trial in range(12):
            if trial % 8 == 0:  # stay under the throttle, which would answer without hashing
                with db.write() as session:
                    session.query(LoginFailure).delete()
            for name, times in timings.items():
                started = time.perf_counter()
                assert _attempt(client, name, "wrong password")[0] == 401
                times.append(time.perf_counter() - started)
    db.dispose()
    app.state.context.db.dispose()
    ratio = statistics.median(timings["no-such-user"]) / statistics.median(timings["alice"])
    assert 0.6 < ratio < 1.6, ratio


def test_disabled_users_cannot_sign_in_and_answer_like_a_wrong_password(
    settings: Settings, client: TestClient
) -> None:
    alice = login(client, "alice")
    db = Database(settings.database_url)
    with db.write() as session:
        accounts.disable_user(session=session, name="alice")
    db.dispose()
    assert alice.request("GET", "/me").status_code == 401
    assert _attempt(client, "alice", PASSWORD) == _attempt(client, "no-such-user", PASSWORD)


def test_tokens_are_long_random_and_stored_only_hashed(settings: Settings, client: TestClient) -> None:
    tokens = {login(client, "alice").token for _ in range(3)}
    assert len(tokens) == 3
    for token in tokens:
        assert len(token) >= 22  # at least 128 bits in URL-safe base64
    db = Database(settings.database_url)
    with db.read() as session:
        stored = {row.token_hash for row in session.query(Token)}
    db.dispose()
    assert stored == {token_digest(t) for t in tokens}
    database = Path(settings.database_url.removeprefix("sqlite:///"))
    raw = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))  # the WAL too
    for token in tokens:
        assert token.encode() not in raw
    assert PASSWORD.encode() not in raw


def test_logout_ends_that_session_only(client: TestClient) -> None:
    phone, laptop = login(client, "alice"), login(client, "alice")
    assert phone.request("POST", "/auth/logout").status_code == 204
    assert phone.request("GET", "/me").json()["error"] == "bad_token"
    assert laptop.request("GET", "/me").status_code == 200


def test_a_password_change_ends_every_session(client: TestClient) -> None:
    phone, laptop = login(client, "alice"), login(client, "alice")
    wrong = phone.request(
        "POST", "/auth/password", json={"old_password": "nope", "new_password": "a new password"}
    )
    assert wrong.status_code == 403
    assert phone.request("GET", "/me").status_code == 200
    changed = phone.request(
        "POST", "/auth/password", json={"old_password": PASSWORD, "new_password": "a new password"}
    )
    assert changed.status_code == 204
    assert phone.request("GET", "/me").status_code == 401
    assert laptop.request("GET", "/me").status_code == 401
    assert _attempt(client, "alice", "a new password")[0] == 200


@pytest.mark.parametrize("action", ["disable", "resetpw"])
def test_an_administrator_ends_every_session_within_one_request(
    settings: Settings, client: TestClient, action: str
) -> None:
    alice = login(client, "alice")
    db = Database(settings.database_url)
    with db.write() as session:
        if action == "disable":
            accounts.disable_user(session=session, name="alice")
        else:
            accounts.reset_password(
                session=session, passwords=Passwords(settings.argon2), name="alice", password="x" * 12
            )
    db.dispose()
    response = alice.request("GET", "/me")
    assert response.status_code == 401 and response.json()["error"] == "bad_token"


def test_an_expired_token_is_refused(settings: Settings, client: TestClient) -> None:
    alice = login(client, "alice")
    db = Database(settings.database_url)
    with db.write() as session:
        row = session.query(Token).filter_by(token_hash=token_digest(alice.token)).one()
        row.expires_at = row.created_at - timedelta(seconds=1)
    db.dispose()
    assert alice.request("GET", "/me").json()["error"] == "bad_token"


def test_tokens_last_thirty_days(client: TestClient) -> None:
    from datetime import datetime

    response = client.post(LOGIN, json={"username": "alice", "password": PASSWORD, "device_id": new_id()})
    body = response.json()
    expires = datetime.fromisoformat(body["expires_at"])
    from sync.server.db import utc_now

    assert timedelta(days=29, hours=23) < expires - utc_now() <= timedelta(days=30)


def test_a_device_belongs_to_one_user(client: TestClient) -> None:
    device = new_id()
    login(client, "alice", device=device)
    status, body = _attempt(client, "bob", PASSWORD, device)
    assert status == 409 and body["error"] == "device_taken"
    assert _attempt(client, "alice", PASSWORD, device)[0] == 200


def test_me_tells_role_and_communities(client: TestClient) -> None:
    me = login(client, "lib").request("GET", "/me").json()
    assert me == {"name": "lib", "role": Role.LIBRARIAN.value, "communities": {}}


def test_requests_without_a_token_or_with_garbage_are_401(client: TestClient) -> None:
    assert client.get(f"{API_PREFIX}/me").json()["error"] == "auth_required"
    garbage = client.get(f"{API_PREFIX}/me", headers={**PROTOCOL, "Authorization": "Bearer not-a-token"})
    assert garbage.status_code == 401 and garbage.json()["error"] == "bad_token"
    assert garbage.headers["www-authenticate"] == "Bearer"


def test_sessions_ended_more_than_a_day_ago_are_forgotten_at_the_next_login(
    settings: Settings, client: TestClient
) -> None:
    old, recent = login(client, "alice"), login(client, "alice")
    db = Database(settings.database_url)
    with db.write() as session:
        row = session.query(Token).filter_by(token_hash=token_digest(old.token)).one()
        row.expires_at = row.created_at - timedelta(days=2)
    login(client, "alice")
    with db.read() as session:
        hashes = {t.token_hash for t in session.query(Token)}
    db.dispose()
    assert token_digest(old.token) not in hashes and token_digest(recent.token) in hashes
