"""The real server: ``imbizo-server serve`` as subprocesses on 127.0.0.1, talked to over HTTP with requests.

Two processes sharing one database and one blob folder (SQLite and PostgreSQL) keep
one feed in commit order, continue each other's uploads and share the login throttle.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import secrets
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

from sync.protocol import API_PREFIX, PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.sync.server.helpers import PASSWORD, new_revision, version
from tests.sync.server.live import cheap_env, live_server, run_cli

HEADERS = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}


class Remote:
    """A signed-in requests session against a live server."""

    def __init__(self, base_url: str, name: str, device: str | None = None) -> None:
        self.base = base_url + API_PREFIX
        self.session = requests.Session()
        self.session.headers.update(HEADERS)
        answer = self.session.post(
            f"{self.base}/auth/login",
            json={"username": name, "password": PASSWORD, "device_id": device or str(uuid.uuid4())},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        self.session.headers["Authorization"] = f"Bearer {answer.json()['token']}"

    def push(self, *records: dict[str, Any]) -> list[dict[str, Any]]:
        body = {
            "changes": [
                {"change_id": secrets.token_hex(8), "base_revision": "", "record": r} for r in records
            ]
        }
        answer = self.session.post(
            f"{self.base}/sync/push",
            data=gzip.compress(json.dumps(body).encode()),
            headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        results: list[dict[str, Any]] = answer.json()["results"]
        return results

    def feed(self) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = []
        cursor = 0
        for _ in range(1000):
            page = self.session.get(
                f"{self.base}/sync/pull", params={"cursor": cursor, "limit": 7}, timeout=30
            ).json()
            entries.extend(page["changes"])
            cursor = page["cursor"]
            if not page["has_more"]:
                return entries
        raise AssertionError("the feed never ended")


def _add_users(data_dir: Path, env: dict[str, str], *names: str, role: str = "staff") -> None:
    for name in names:
        done = run_cli(data_dir, "adduser", name, "--role", role, stdin=PASSWORD + "\n", env=env)
        assert done.returncode == 0, done.stderr


def test_a_real_server_process_serves_the_protocol(tmp_path: Path) -> None:
    env = cheap_env()
    data = tmp_path / "server"
    _add_users(data, env, "alice")
    with live_server(data, env) as server:
        health = requests.get(f"{server.url}/health", timeout=30).json()
        assert health["status"] == "ok" and health["database"] == "sqlite"
        assert requests.get(f"{server.url}{API_PREFIX}/me", timeout=30).status_code == 426
        alice = Remote(server.url, "alice")
        (result,) = alice.push(version())
        assert result["outcome"] == "accepted"
        entries = alice.feed()
        assert [e["record"]["envelope"]["id"] for e in entries] == [result["record"]["envelope"]["id"]]
        pulled = alice.session.get(f"{alice.base}/sync/pull", headers={"Accept-Encoding": "gzip"}, timeout=30)
        assert pulled.json()["changes"]
        assert all(PASSWORD not in line for line in server.log)
    assert server.process.returncode in (0, -15)
    assert (data / "server.db").exists() and (data / "blobs").is_dir()


def test_two_processes_share_one_database_and_blob_folder(tmp_path: Path, database_url: str) -> None:
    shared = {"IMBIZO_BLOB_DIR": str(tmp_path / "shared-blobs")}
    sqlite = database_url.startswith("sqlite")
    env = cheap_env(None if sqlite else database_url, **shared)
    # On SQLite both processes open the same file through the same data folder.
    first_dir = tmp_path / "one"
    second_dir = first_dir if sqlite else tmp_path / "two"
    _add_users(first_dir, env, "alice", "bob")
    with live_server(first_dir, env) as one, live_server(second_dir, env) as two:
        alice, bob = Remote(one.url, "alice"), Remote(two.url, "bob")
        per_user = 12

        def push_many(remote: Remote) -> list[str]:
            ids = []
            for _ in range(per_user):
                (result,) = remote.push(version(co_authors=["alice", "bob"]))
                assert result["outcome"] == "accepted", result
                ids.append(result["record"]["envelope"]["id"])
            return ids

        with ThreadPoolExecutor(max_workers=2) as pool:
            pushed = [
                f.result(timeout=120) for f in [pool.submit(push_many, alice), pool.submit(push_many, bob)]
            ]
        everything = set(pushed[0]) | set(pushed[1])
        feed_one, feed_two = Remote(one.url, "alice").feed(), Remote(two.url, "alice").feed()
        assert feed_one == feed_two
        seqs = [entry["seq"] for entry in feed_one]
        assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
        assert {entry["record"]["envelope"]["id"] for entry in feed_one} == everything
        assert len(feed_one) == 2 * per_user

        _upload_across(alice, Remote(two.url, "alice"))
        _throttle_is_shared(one.url, two.url)


def _upload_across(first: Remote, second: Remote) -> None:
    """An upload started on one process is finished on the other."""
    data = os.urandom(300_000)
    sha = hashlib.sha256(data).hexdigest()
    start = first.session.post(
        f"{first.base}/blobs/uploads", json={"sha256": sha, "size": len(data)}, timeout=30
    )
    state = start.json()
    half = first.session.put(
        f"{first.base}/blobs/uploads/{state['upload_id']}",
        data=data[:100_000],
        headers={"Upload-Offset": "0", "Content-Type": "application/octet-stream"},
        timeout=30,
    ).json()
    resumed = second.session.post(
        f"{second.base}/blobs/uploads", json={"sha256": sha, "size": len(data)}, timeout=30
    )
    assert resumed.json()["upload_id"] == state["upload_id"] and resumed.json()["offset"] == half["offset"]
    offset = half["offset"]
    while offset < len(data):
        answer = second.session.put(
            f"{second.base}/blobs/uploads/{state['upload_id']}",
            data=data[offset : offset + 256 * 1024],
            headers={"Upload-Offset": str(offset), "Content-Type": "application/octet-stream"},
            timeout=30,
        ).json()
        offset = answer["offset"]
    assert answer["complete"]
    ref = {"sha256": sha, "filename": "photo.jpg", "size": len(data)}
    (result,) = first.push(version(revision=new_revision(), attachments=[ref]))
    assert result["outcome"] == "accepted"
    assert second.session.get(f"{second.base}/blobs/{sha}", timeout=30).content == data


def _throttle_is_shared(url_one: str, url_two: str) -> None:
    attempt = {"username": "bob", "password": "wrong password", "device_id": str(uuid.uuid4())}
    for index in range(10):
        url = url_one if index % 2 else url_two
        assert (
            requests.post(
                f"{url}{API_PREFIX}/auth/login", json=attempt, headers=HEADERS, timeout=30
            ).status_code
            == 401
        )
    right = {**attempt, "password": PASSWORD}
    for url in (url_one, url_two):
        assert (
            requests.post(
                f"{url}{API_PREFIX}/auth/login", json=right, headers=HEADERS, timeout=30
            ).status_code
            == 429
        )
