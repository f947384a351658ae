"""Hostile input: malformed JSON, wrong types, oversized and endless bodies, deep JSON, gzip bombs.

Every answer is a clean 4xx with an ``ErrorBody``, never a 500 (the TestClient re-raises
server exceptions, so a crash fails the test outright).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import uuid
import zlib

import pytest
from fastapi.testclient import TestClient

from sync.protocol import API_PREFIX, MAX_BODY_BYTES, MAX_PAYLOAD_BYTES, PROTOCOL_HEADER, ErrorBody
from sync.server.middleware import BodyLimitMiddleware
from tests.sync.server.helpers import change_id, login, version


def _error(response_code: int, body: bytes) -> str:
    assert 400 <= response_code < 500, response_code
    return ErrorBody.model_validate_json(body).error


@pytest.fixture
def headers(client: TestClient) -> dict[str, str]:
    return login(client, "alice").headers


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"not json at all",
        b"[]",
        b'{"changes": "many"}',
        b'{"changes": [{"change_id": 5}]}',
        b'{"changes": [{"change_id": "abcdefgh", "base_revision": "", "record": {"envelope": {}}}]}',
        b'{"changes": [], "extra": true}',
        b"\xff\xfe\x00garbage",
        json.dumps({"changes": [{"change_id": "x" * 65, "base_revision": "", "record": version()}]}).encode(),
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    ],
    ids=[
        "cut",
        "text",
        "array",
        "wrong-type",
        "wrong-field-type",
        "empty-envelope",
        "extra-field",
        "binary",
        "long-change-id",
        "deep-array",
        "deep-object",
    ],
)
def test_malformed_push_bodies_get_a_clean_4xx(
    client: TestClient, headers: dict[str, str], body: bytes
) -> None:
    response = client.post(
        f"{API_PREFIX}/sync/push", content=body, headers={**headers, "Content-Type": "application/json"}
    )
    assert _error(response.status_code, response.content) in ("invalid",)


def test_a_deep_payload_inside_a_valid_push_is_rejected_not_crashed(client: TestClient) -> None:
    alice = login(client, "alice")
    deep: object = "leaf"
    for _ in range(200):
        deep = {"d": deep}
    (result,) = alice.push(version(payload={"fields": deep}))  # type: ignore[dict-item]
    assert result["outcome"] == "rejected" and result["code"] == "invalid"


def test_a_payload_over_its_limit_is_rejected_too_large(client: TestClient) -> None:
    alice = login(client, "alice")
    (result,) = alice.push(version(payload={"fields": {"body": "x" * (MAX_PAYLOAD_BYTES + 1)}}))
    assert result["outcome"] == "rejected" and result["code"] == "too_large"


def test_an_oversized_body_is_413_by_its_length(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(f"{API_PREFIX}/sync/push", content=b" " * (MAX_BODY_BYTES + 1), headers=headers)
    assert response.status_code == 413 and _error(413, response.content) == "too_large"


@pytest.mark.parametrize("compressed", [False, True])
def test_an_endless_body_is_read_no_further_than_the_limit(compressed: bool) -> None:
    """The middleware stops reading at the limit (the TestClient would buffer the body first)."""
    limit = 100_000
    block = gzip.compress(b"\0" * 65536) if compressed else b" " * 4096
    received = 0
    answered: list[int] = []

    async def endless() -> dict[str, object]:
        nonlocal received
        received += len(block)
        assert received < 1000 * limit, "the middleware never stopped reading"
        return {"type": "http.request", "body": block, "more_body": True}

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.start":
            answered.append(int(message["status"]))  # type: ignore[call-overload]

    async def app(*_args: object) -> None:
        raise AssertionError("the app must not see an oversized body")

    headers = [(b"content-encoding", b"gzip")] if compressed else []
    middleware = BodyLimitMiddleware(app, limit=limit)  # type: ignore[arg-type]
    scope = {"type": "http", "method": "POST", "path": "/x", "headers": headers}
    asyncio.run(middleware(scope, endless, send))  # type: ignore[arg-type]
    assert answered == [413]
    # Compressed, the limit applies to the inflated bytes: far fewer raw bytes are read.
    assert received <= (limit if not compressed else limit // 10) + len(block)


def test_a_gzip_bomb_is_413_without_inflating_it(client: TestClient, headers: dict[str, str]) -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"\0" * (1 << 20)
    bomb = b"".join(compressor.compress(zeros) for _ in range(128)) + compressor.flush()  # 128 MiB of zeros
    assert len(bomb) < MAX_BODY_BYTES
    response = client.post(
        f"{API_PREFIX}/sync/push", content=bomb, headers={**headers, "Content-Encoding": "gzip"}
    )
    assert response.status_code == 413 and _error(413, response.content) == "too_large"


def test_a_gzip_body_is_accepted_and_bad_gzip_is_400(client: TestClient, headers: dict[str, str]) -> None:
    body = json.dumps({"changes": [{"change_id": change_id(), "base_revision": "", "record": version()}]})
    good = client.post(
        f"{API_PREFIX}/sync/push",
        content=gzip.compress(body.encode()),
        headers={**headers, "Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    assert good.status_code == 200 and good.json()["results"][0]["outcome"] == "accepted"
    bad = client.post(
        f"{API_PREFIX}/sync/push", content=b"not gzip", headers={**headers, "Content-Encoding": "gzip"}
    )
    assert bad.status_code == 400
    cut = client.post(
        f"{API_PREFIX}/sync/push",
        content=gzip.compress(body.encode())[:20],
        headers={**headers, "Content-Encoding": "gzip"},
    )
    assert cut.status_code == 400
    other = client.post(
        f"{API_PREFIX}/sync/push", content=b"{}", headers={**headers, "Content-Encoding": "br"}
    )
    assert other.status_code == 415


def test_answers_are_gzipped_for_clients_that_accept_it(client: TestClient) -> None:
    lib = login(client, "lib")
    for _ in range(10):
        lib.create(version())
    response = lib.request("GET", "/sync/pull", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip" and len(response.json()["changes"]) == 10


@pytest.mark.parametrize("value", [None, "", "0", "abc", "1.5", "-1"])
def test_a_missing_or_outdated_protocol_header_is_426(client: TestClient, value: str | None) -> None:
    headers = {PROTOCOL_HEADER: value} if value is not None else {}
    plain = TestClient(client.app)
    response = plain.get(f"{API_PREFIX}/me", headers=headers)
    assert response.status_code == 426 and _error(426, response.content) == "outdated_client"
    assert plain.get("/health").status_code == 200
    assert plain.get("/openapi.json").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/sync/pull?cursor=-1", "/sync/pull?limit=0", "/sync/pull?limit=100000", "/sync/pull?cursor=abc",
     "/records/not-a-uuid", "/blobs/not-a-sha", "/sync/index?after=zzz", "/sync/resynced"],
)  # fmt: skip
def test_wrong_parameters_are_422_or_404(client: TestClient, headers: dict[str, str], path: str) -> None:
    method = "POST" if "resynced" in path else "GET"
    response = client.request(method, API_PREFIX + path, headers=headers)
    assert response.status_code in (404, 422), response.text
    ErrorBody.model_validate_json(response.content)


def test_unknown_paths_and_methods_answer_error_bodies(client: TestClient, headers: dict[str, str]) -> None:
    missing = client.get(f"{API_PREFIX}/nothing-here", headers=headers)
    assert missing.status_code == 404 and _error(404, missing.content) == "not_found"
    wrong = client.delete(f"{API_PREFIX}/me", headers=headers)
    assert wrong.status_code == 405 and "allow" in wrong.headers
    ErrorBody.model_validate_json(wrong.content)


def test_a_wrong_upload_offset_header_is_422(client: TestClient, headers: dict[str, str]) -> None:
    state = client.post(
        f"{API_PREFIX}/blobs/uploads", json={"sha256": "a" * 64, "size": 3}, headers=headers
    ).json()
    for value in ("-1", "x", ""):
        response = client.put(
            f"{API_PREFIX}/blobs/uploads/{state['upload_id']}",
            headers={**headers, "Upload-Offset": value},
            content=b"a",
        )
        assert response.status_code == 422


def test_nul_characters_are_refused_on_every_backend(backend_client: TestClient) -> None:
    """PostgreSQL cannot store NUL in text; SQLite could, so both refuse it alike."""
    alice = login(backend_client, "alice")
    (in_payload,) = alice.push(version(payload={"fields": {"title": "a\x00b"}}))
    (in_key,) = alice.push(version(payload={"fields": {"x\x00": 1}}))
    ref = {"sha256": "0" * 64, "filename": "a\x00.txt", "size": 1}
    (in_name,) = alice.push(version(attachments=[ref]))
    for result in (in_payload, in_key, in_name):
        assert result["outcome"] == "rejected" and result["code"] in ("invalid", "missing_blob")
    assert in_payload["code"] == in_key["code"] == "invalid"
    for field in ("username", "device_name"):
        body = {
            "username": "alice",
            "password": "whatever pass",
            "device_id": str(uuid.uuid4()),
            field: "a\x00",
        }
        response = backend_client.post(f"{API_PREFIX}/auth/login", json=body)
        assert response.status_code == 422 and _error(422, response.content) == "invalid"
