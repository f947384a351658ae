"""Blobs: resumable chunked uploads, dedupe, downloads with Range, and S4's hostile names and sizes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sync.protocol import CHUNK_BYTES
from sync.server.config import Settings
from sync.server.filenames import content_disposition, sanitize_filename
from tests.support.postgres import PostgresCluster
from tests.sync.server.helpers import User, edited, login, sha256_of, version

HOSTILE_NAMES = [
    "../../../etc/passwd",
    "..\\..\\windows\\system32\\config",
    "/etc/passwd",
    "C:\\Windows\\win.ini",
    "\\\\host\\share\\file.txt",
    "report\x00.pdf",
    "%2e%2e%2f%2e%2e%2fsecret",
    "ｒｅｐｏｒｔ．ｐｄｆ",
    "cafe\u0301.txt",
    "x" * 300 + ".pdf",
    "é" * 200 + ".txt",
    "CON",
    "aux.txt",
    "trailing. . ",
    "line\r\nSet-Cookie: evil=1",
    "invoice\u202efdp.exe",
    "",
    "...",
]


def upload(user: User, data: bytes, *, chunk: int = CHUNK_BYTES) -> dict[str, Any]:
    """Upload ``data`` in chunks, following the server's offset; returns the final state."""
    state: dict[str, Any] = user.request(
        "POST", "/blobs/uploads", json={"sha256": sha256_of(data), "size": len(data)}
    ).json()
    for _ in range(len(data) // chunk + 3):
        if state["complete"]:
            return state
        offset = state["offset"]
        response = user.request(
            "PUT",
            f"/blobs/uploads/{state['upload_id']}",
            headers={"Upload-Offset": str(offset)},
            content=data[offset : offset + chunk],
        )
        assert response.status_code in (200, 409), response.text
        state = response.json()
    raise AssertionError("the upload did not finish")


def attach(user: User, data: bytes, name: str = "notes.txt") -> tuple[dict[str, Any], str]:
    """A record of ``user`` with ``data`` attached as ``name``; returns the stored version and the hash."""
    assert upload(user, data)["complete"]
    ref = {"sha256": sha256_of(data), "filename": name, "media_type": "text/plain", "size": len(data)}
    return user.create(version(attachments=[ref])), ref["sha256"]


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def test_an_upload_in_chunks_completes_and_downloads_whole_and_in_ranges(client: TestClient) -> None:
    alice = login(client, "alice")
    data = os.urandom(CHUNK_BYTES * 2 + 1234)
    stored, sha = attach(alice, data)
    whole = alice.request("GET", f"/blobs/{sha}")
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["x-content-type-options"] == "nosniff"
    assert whole.headers["content-disposition"] == content_disposition("notes.txt")
    assert "content-encoding" not in whole.headers
    part = alice.request("GET", f"/blobs/{sha}", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == data[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(data)}"
    tail = alice.request("GET", f"/blobs/{sha}", headers={"Range": "bytes=-10"})
    assert tail.content == data[-10:]
    rest = alice.request("GET", f"/blobs/{sha}", headers={"Range": f"bytes={len(data) - 5}-"})
    assert rest.content == data[-5:]
    past = alice.request("GET", f"/blobs/{sha}", headers={"Range": f"bytes={len(data)}-"})
    assert past.status_code == 416 and past.headers["content-range"] == f"bytes */{len(data)}"
    assert stored["attachments"][0]["sha256"] == sha


def test_a_known_blob_is_complete_at_once(client: TestClient) -> None:
    alice, bob = login(client, "alice"), login(client, "bob")
    data = b"the same bytes twice"
    upload(alice, data)
    again = bob.request("POST", "/blobs/uploads", json={"sha256": sha256_of(data), "size": len(data)}).json()
    assert again["complete"] and again["offset"] == len(data)
    empty = alice.request("POST", "/blobs/uploads", json={"sha256": sha256_of(b""), "size": 0}).json()
    assert empty["complete"]


def test_an_interrupted_upload_resumes_from_the_servers_offset(client: TestClient) -> None:
    alice = login(client, "alice")
    data = os.urandom(CHUNK_BYTES + 500)
    sha = sha256_of(data)
    started = alice.request("POST", "/blobs/uploads", json={"sha256": sha, "size": len(data)}).json()
    first = alice.request(
        "PUT", f"/blobs/uploads/{started['upload_id']}", headers={"Upload-Offset": "0"}, content=data[:1000]
    ).json()
    assert first["offset"] == 1000 and not first["complete"]
    # The client lost the answer and starts again: the server says where it stands.
    resumed = alice.request("POST", "/blobs/uploads", json={"sha256": sha, "size": len(data)}).json()
    assert resumed["upload_id"] == started["upload_id"] and resumed["offset"] == 1000
    # A chunk at a stale offset is refused with the state.
    stale = alice.request(
        "PUT", f"/blobs/uploads/{started['upload_id']}", headers={"Upload-Offset": "0"}, content=data[:1000]
    )
    assert stale.status_code == 409 and stale.json()["offset"] == 1000
    done = upload(alice, data)
    assert done["complete"]
    assert alice.request("GET", f"/blobs/{sha}").status_code == 404  # no record refers to it yet
    attach(alice, data)
    assert alice.request("GET", f"/blobs/{sha}").content == data


def test_a_blob_kept_before_a_lost_commit_is_not_uploaded_again(
    client: TestClient, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server dies after moving the finished file under its hash, before the commit (R4 found it).

    The rolled-back transaction leaves the upload row at its old offset and no blob row,
    but the file is in place: the next start answers complete instead of offset 0.
    """
    from sync.server import blobs

    keep = blobs._verify_and_keep

    def killed_before_commit(session: Any, store: Any, upload: Any) -> bool:
        keep(session, store, upload)
        raise RuntimeError("killed before the commit")

    alice = login(client, "alice")
    data = os.urandom(CHUNK_BYTES + 700)
    start = {"sha256": sha256_of(data), "size": len(data)}
    state = alice.request("POST", "/blobs/uploads", json=start).json()
    first = alice.request(
        "PUT",
        f"/blobs/uploads/{state['upload_id']}",
        headers={"Upload-Offset": "0"},
        content=data[:CHUNK_BYTES],
    ).json()
    monkeypatch.setattr(blobs, "_verify_and_keep", killed_before_commit)
    with pytest.raises(RuntimeError):
        alice.request(
            "PUT",
            f"/blobs/uploads/{state['upload_id']}",
            headers={"Upload-Offset": str(first["offset"])},
            content=data[CHUNK_BYTES:],
        )
    monkeypatch.setattr(blobs, "_verify_and_keep", keep)
    again = alice.request("POST", "/blobs/uploads", json=start).json()
    assert again["complete"] and again["offset"] == len(data)
    assert not list((settings.blob_dir / "uploads").glob("*.part"))
    attach(alice, data)
    assert alice.request("GET", f"/blobs/{start['sha256']}").content == data


def test_a_file_under_a_hash_it_does_not_have_is_not_adopted(client: TestClient, settings: Settings) -> None:
    alice = login(client, "alice")
    data = b"the real bytes"
    sha = sha256_of(data)
    planted = settings.blob_dir / sha[:2] / sha
    planted.parent.mkdir(parents=True, exist_ok=True)
    planted.write_bytes(b"other bytes!!!")  # same size, other content
    state = alice.request("POST", "/blobs/uploads", json={"sha256": sha, "size": len(data)}).json()
    assert not state["complete"] and state["offset"] == 0


def test_a_hash_mismatch_discards_the_upload(client: TestClient, settings: Settings) -> None:
    alice = login(client, "alice")
    claimed = sha256_of(b"what I said")
    state = alice.request("POST", "/blobs/uploads", json={"sha256": claimed, "size": 11}).json()
    wrong = alice.request(
        "PUT", f"/blobs/uploads/{state['upload_id']}", headers={"Upload-Offset": "0"}, content=b"what I sent"
    )
    assert wrong.status_code == 422 and wrong.json()["error"] == "invalid"
    assert not (settings.blob_dir / claimed[:2] / claimed).exists()
    assert files_under(settings.blob_dir) == set()
    fresh = alice.request("POST", "/blobs/uploads", json={"sha256": claimed, "size": 11}).json()
    assert fresh["upload_id"] != state["upload_id"] and fresh["offset"] == 0


def test_a_blob_over_the_limit_is_refused_before_anything_is_written(
    tmp_path: Path, settings: Settings
) -> None:
    from sync.server.api import create_app
    from tests.sync.server.conftest import STANDARD_USERS
    from tests.sync.server.helpers import PROTOCOL, add_users

    small = settings.with_changes(max_blob_bytes=1000)
    app = create_app(small)
    add_users(small, STANDARD_USERS)
    with TestClient(app, headers=PROTOCOL) as client:
        alice = login(client, "alice")
        big = alice.request("POST", "/blobs/uploads", json={"sha256": sha256_of(b"x"), "size": 1001})
        assert big.status_code == 413 and big.json()["error"] == "too_large"
        assert files_under(small.blob_dir) == set()
        # A chunk past the announced size is refused too, and nothing past the limit is written.
        state = alice.request("POST", "/blobs/uploads", json={"sha256": sha256_of(b"y" * 1000), "size": 1000})
        over = alice.request(
            "PUT",
            f"/blobs/uploads/{state.json()['upload_id']}",
            headers={"Upload-Offset": "0"},
            content=b"y" * 1001,
        )
        assert over.status_code == 413
        assert sum(p.stat().st_size for p in files_under(small.blob_dir)) <= 1000
    app.state.context.db.dispose()


def test_a_chunk_over_chunk_bytes_is_refused(client: TestClient) -> None:
    alice = login(client, "alice")
    data = b"z" * (CHUNK_BYTES + 1)
    state = alice.request(
        "POST", "/blobs/uploads", json={"sha256": sha256_of(data), "size": len(data)}
    ).json()
    over = alice.request(
        "PUT", f"/blobs/uploads/{state['upload_id']}", headers={"Upload-Offset": "0"}, content=data
    )
    assert over.status_code == 413


def test_only_the_uploader_continues_an_upload(client: TestClient) -> None:
    alice, bob = login(client, "alice"), login(client, "bob")
    state = alice.request("POST", "/blobs/uploads", json={"sha256": sha256_of(b"abc"), "size": 3}).json()
    stolen = bob.request(
        "PUT", f"/blobs/uploads/{state['upload_id']}", headers={"Upload-Offset": "0"}, content=b"a"
    )
    assert stolen.status_code == 404


def test_a_push_naming_a_blob_the_server_lacks_is_rejected_missing_blob(client: TestClient) -> None:
    alice = login(client, "alice")
    ref = {"sha256": sha256_of(b"never uploaded"), "filename": "a.txt", "size": 14}
    (result,) = alice.push(version(attachments=[ref]))
    assert result["outcome"] == "rejected" and result["code"] == "missing_blob"
    upload(alice, b"never uploaded")
    wrong_size = {**ref, "size": 99}
    (result,) = alice.push(version(attachments=[wrong_size]))
    assert result["outcome"] == "rejected" and result["code"] == "invalid"


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_attachment_names_never_become_paths(
    client: TestClient, settings: Settings, name: str
) -> None:
    alice = login(client, "alice")
    before = files_under(settings.data_dir.parent)
    data = f"content for {name!r}".encode()
    if "\x00" in name:
        # A NUL cannot be stored on PostgreSQL: refused on every backend, with nothing written.
        upload(alice, data)
        ref = {"sha256": sha256_of(data), "filename": name, "size": len(data)}
        (result,) = alice.push(version(attachments=[ref]))
        assert result["outcome"] == "rejected" and result["code"] == "invalid"
        name = name.replace("\x00", "")
    _, sha = attach(alice, data, name[:255])
    created = files_under(settings.data_dir.parent) - before
    blob_root = settings.blob_dir.resolve()
    for path in created:
        assert path.resolve().is_relative_to(blob_root) or path.name.startswith("server.db")
    assert (settings.blob_dir / sha[:2] / sha).read_bytes() == data
    header = alice.request("GET", f"/blobs/{sha}").headers["content-disposition"]
    assert "\r" not in header and "\n" not in header and "/" not in header.split("filename*=")[0]
    shown = sanitize_filename(name[:255])
    assert shown and "/" not in shown and "\\" not in shown and "\x00" not in shown and "\u202e" not in shown
    assert len(shown) <= 150 and shown.strip(" .") == shown


def test_sanitized_names_keep_what_is_harmless() -> None:
    assert sanitize_filename("Site visit – Polokwane.pdf") == "Site visit – Polokwane.pdf"
    assert sanitize_filename("../../etc/passwd") == "passwd"
    assert sanitize_filename("CON") == "_CON"
    assert sanitize_filename("a" * 300 + ".pdf").endswith(".pdf")
    assert (
        content_disposition("résumé.pdf")
        == "attachment; filename=\"r_sum_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf"
    )


def test_a_blob_is_downloadable_only_by_readers_of_a_record_that_refers_to_it(client: TestClient) -> None:
    alice, bob, lib = (login(client, n) for n in ("alice", "bob", "lib"))
    stored, sha = attach(alice, b"alice's private notes")
    assert bob.request("GET", f"/blobs/{sha}").status_code == 404
    assert lib.request("GET", f"/blobs/{sha}").status_code == 404  # a draft: not even librarians
    shared = alice.update(stored, co_authors=["bob"])
    assert shared["outcome"] == "accepted"
    assert bob.request("GET", f"/blobs/{sha}").status_code == 200
    # When the current version no longer refers to it, neither may read it through that record.
    current = shared["record"]
    (dropped,) = alice.push(({**edited(current), "attachments": []}, current["envelope"]["revision"]))
    assert dropped["outcome"] == "accepted"
    assert bob.request("GET", f"/blobs/{sha}").status_code == 404


def test_uploads_unfinished_for_months_are_dropped_with_their_bytes(
    client: TestClient, settings: Settings
) -> None:
    from datetime import timedelta

    from sync.server.blobs import UPLOAD_LIFETIME
    from sync.server.db import Database
    from sync.server.models import Upload

    alice = login(client, "alice")
    old = alice.request("POST", "/blobs/uploads", json={"sha256": sha256_of(b"old"), "size": 3}).json()
    partial = settings.blob_dir / "uploads" / f"{old['upload_id']}.part"
    assert partial.exists()
    db = Database(settings.database_url)
    with db.write() as session:
        upload = session.get(Upload, old["upload_id"])
        assert upload is not None
        upload.created_at = upload.created_at - UPLOAD_LIFETIME - timedelta(days=1)
    alice.request("POST", "/blobs/uploads", json={"sha256": sha256_of(b"new"), "size": 3})
    with db.read() as session:
        assert session.get(Upload, old["upload_id"]) is None
    db.dispose()
    assert not partial.exists()


def test_two_processes_finishing_the_same_blob_at_once_both_end_complete(
    postgres_cluster: PostgresCluster,
    seeded_template: str,
    app_shell: FastAPI,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PostgreSQL (READ COMMITTED): another process may store the blob between our check and our commit.

    (SQLite serializes writers with BEGIN IMMEDIATE, so there the race cannot happen.)
    """
    from sync.server import blobs
    from sync.server.api import make_context
    from sync.server.db import Database, utc_now
    from sync.server.models import Blob
    from tests.sync.server.helpers import PROTOCOL, make_settings

    url = postgres_cluster.create_database(template=seeded_template)
    settings = make_settings(tmp_path / "data", url)
    app_shell.state.context = make_context(settings)
    other = Database(url)
    keep = blobs._verify_and_keep

    def racing(session: Any, store: Any, upload: Any) -> bool:
        kept = keep(session, store, upload)
        with other.write() as rival:  # the other process commits first
            rival.add(Blob(sha256=upload.sha256, size=upload.size, created_at=utc_now()))
        return kept

    monkeypatch.setattr(blobs, "_verify_and_keep", racing)
    data = b"the same photo, sent by two people"
    try:
        with TestClient(app_shell, headers=PROTOCOL) as client:
            alice = login(client, "alice")
            start = {"sha256": sha256_of(data), "size": len(data)}
            state = alice.request("POST", "/blobs/uploads", json=start).json()
            done = alice.request(
                "PUT", f"/blobs/uploads/{state['upload_id']}", headers={"Upload-Offset": "0"}, content=data
            )
            assert done.status_code == 200 and done.json()["complete"]
            again = alice.request("POST", "/blobs/uploads", json=start).json()
            assert again["complete"]
    finally:
        other.dispose()
        app_shell.state.context.db.dispose()
        postgres_cluster.drop_database(url)
    assert (settings.blob_dir / sha256_of(data)[:2] / sha256_of(data)).read_bytes() == data
