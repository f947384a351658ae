"""The ``imbizo-server`` command as real subprocesses: accounts, roles, backup and restore, exit codes."""

from __future__ import annotations

import io
import sys
import tarfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sync.protocol import API_PREFIX, Role
from sync.server import cli
from sync.server.api import create_app
from sync.server.backup import BackupError, backup, restore
from sync.server.config import Settings
from sync.server.migrate import migrate_database
from tests.sync.server.helpers import PASSWORD, PROTOCOL, add_users, make_settings, new_id, version
from tests.sync.server.live import run_cli


def _login(client: TestClient, name: str, password: str = PASSWORD) -> int:
    response = client.post(
        f"{API_PREFIX}/auth/login", json={"username": name, "password": password, "device_id": new_id()}
    )
    return response.status_code


def _settings(data: Path) -> Settings:
    return make_settings(data)


def test_accounts_round_trip_through_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "server"
    added = run_cli(data, "adduser", "alice", "--role", "staff", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert PASSWORD not in added.stdout + added.stderr
    assert run_cli(data, "setrole", "alice", "librarian").returncode == 0

    app = create_app(_settings(data))
    with TestClient(app, headers=PROTOCOL) as client:
        answer = client.post(
            f"{API_PREFIX}/auth/login",
            json={"username": "alice", "password": PASSWORD, "device_id": new_id()},
        ).json()
        assert answer["user"]["role"] == "librarian"
        token = {"Authorization": f"Bearer {answer['token']}"}
        reset = run_cli(data, "resetpw", "alice", stdin="another long password\n")
        assert reset.returncode == 0 and "1 session(s) ended" in reset.stdout
        assert PASSWORD not in reset.stdout + reset.stderr
        assert client.get(f"{API_PREFIX}/me", headers=token).status_code == 401
        assert _login(client, "alice") == 401 and _login(client, "alice", "another long password") == 200
        disabled = run_cli(data, "disable", "alice")
        assert disabled.returncode == 0
        assert _login(client, "alice", "another long password") == 401
    app.state.context.db.dispose()


def _main(monkeypatch: pytest.MonkeyPatch, *argv: str, stdin: str = "") -> int:
    """The command in-process (its code paths and exit codes; the round trips above use subprocesses)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    monkeypatch.setenv("IMBIZO_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("IMBIZO_ARGON2_MEMORY_KIB", "8")
    monkeypatch.setenv("IMBIZO_ARGON2_PARALLELISM", "1")
    return cli.main(list(argv))


def test_failures_exit_1_and_usage_errors_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "server")
    assert _main(monkeypatch, "--data-dir", data, "adduser", "alice", "--role", "staff", stdin=PASSWORD) == 0
    assert _main(monkeypatch, "--data-dir", data, "adduser", "alice", "--role", "staff", stdin=PASSWORD) == 1
    assert "already" in capsys.readouterr().err
    assert (
        _main(monkeypatch, "--data-dir", data, "adduser", "bad name!", "--role", "staff", stdin=PASSWORD) == 1
    )
    assert _main(monkeypatch, "--data-dir", data, "adduser", "bob", "--role", "staff", stdin="short\n") == 1
    assert "at least" in capsys.readouterr().err
    assert _main(monkeypatch, "--data-dir", data, "adduser", "carol", "--role", "emperor") == 2
    assert _main(monkeypatch, "--data-dir", data, "setrole", "nobody", "librarian") == 1
    assert _main(monkeypatch, "--data-dir", data, "disable", "nobody") == 1
    assert _main(monkeypatch, "--data-dir", data, "resetpw", "nobody", stdin="a long new password") == 1
    assert _main(monkeypatch, "no-such-command") == 2
    assert _main(monkeypatch) == 2
    assert _main(monkeypatch, "--data-dir", data, "restore", str(tmp_path / "missing.tar.gz")) == 1
    monkeypatch.setenv("IMBIZO_MAX_BLOB_BYTES", "lots")
    assert _main(monkeypatch, "--data-dir", data, "migrate") == 2
    assert "IMBIZO_MAX_BLOB_BYTES" in capsys.readouterr().err
    assert PASSWORD not in capsys.readouterr().out


def test_migrate_reports_the_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _main(monkeypatch, "--data-dir", str(tmp_path), "migrate") == 0
    assert "was empty" in capsys.readouterr().out
    assert _main(monkeypatch, "--data-dir", str(tmp_path), "migrate") == 0
    assert "up to date" in capsys.readouterr().out


def _seed_with_blob(data: Path) -> tuple[str, bytes]:
    """A server with alice, one record and one attached blob; returns the record id and the blob."""
    settings = _settings(data)
    migrate_database(settings)
    add_users(settings, {"alice": Role.LIBRARIAN})
    app = create_app(settings)
    blob = b"a photo of the site visit"
    from tests.sync.server.helpers import login, sha256_of

    with TestClient(app, headers=PROTOCOL) as client:
        alice = login(client, "alice")
        state = alice.request(
            "POST", "/blobs/uploads", json={"sha256": sha256_of(blob), "size": len(blob)}
        ).json()
        alice.request(
            "PUT", f"/blobs/uploads/{state['upload_id']}", headers={"Upload-Offset": "0"}, content=blob
        )
        ref = {"sha256": sha256_of(blob), "filename": "site.jpg", "size": len(blob)}
        record = alice.create(version(attachments=[ref]))["envelope"]["id"]
    app.state.context.db.dispose()
    return record, blob


def test_backup_and_restore_round_trip(tmp_path: Path) -> None:
    data = tmp_path / "server"
    record, blob = _seed_with_blob(data)
    archive = tmp_path / "backup.tar.gz"
    made = run_cli(data, "backup", str(archive))
    assert made.returncode == 0 and "1 blobs" in made.stdout, made.stderr
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "database/server.db"} <= names

    # Restoring over a server that has accounts needs --force.
    refused = run_cli(data, "restore", str(archive))
    assert refused.returncode == 1 and "--force" in refused.stderr

    fresh = tmp_path / "elsewhere"
    restored = run_cli(fresh, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    app = create_app(_settings(fresh))
    from tests.sync.server.helpers import login, sha256_of

    with TestClient(app, headers=PROTOCOL) as client:
        alice = login(client, "alice")
        assert alice.request("GET", f"/records/{record}").status_code == 200
        assert alice.request("GET", f"/blobs/{sha256_of(blob)}").content == blob
        alice.create(version())  # a change after the backup...
    app.state.context.db.dispose()
    again = run_cli(fresh, "restore", "--force", str(archive))
    assert again.returncode == 0, again.stderr
    app = create_app(_settings(fresh))
    with TestClient(app, headers=PROTOCOL) as client:
        entries, _, _ = login(client, "alice").pull_all()
        assert [e["record"]["envelope"]["id"] for e in entries] == [record]  # ...is gone again
    app.state.context.db.dispose()


@pytest.mark.parametrize(
    "member",
    ["../escape", "/etc/passwd", "blobs/aa/" + "b" * 64, "database/../../x", "link"],
)
def test_restore_refuses_archives_with_unexpected_members(tmp_path: Path, member: str) -> None:
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        manifest = b'{"format": "imbizo-server-backup", "version": 1, "database": "sqlite", "schema": "0001"}'
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
        evil = tarfile.TarInfo(member)
        if member == "link":
            evil.type = tarfile.SYMTYPE
            evil.linkname = "/etc/passwd"
            tar.addfile(evil)
        else:
            evil.size = 3
            tar.addfile(evil, io.BytesIO(b"bad"))
    target = _settings(tmp_path / "target")
    with pytest.raises(BackupError, match=r"unexpected member|misplaced blob"):
        restore(target, archive)
    assert not (tmp_path / "escape").exists() and not (tmp_path / "target" / "server.db").exists()


def test_restore_refuses_a_damaged_blob(tmp_path: Path) -> None:
    data = tmp_path / "server"
    _seed_with_blob(data)
    archive = tmp_path / "backup.tar.gz"
    assert backup(_settings(data), archive) == 1
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            content = source.extractfile(member)
            assert content is not None
            payload = content.read()
            if member.name.startswith("blobs/"):
                payload = payload[::-1]
            member.size = len(payload)
            target.addfile(member, io.BytesIO(payload))
    target = _settings(tmp_path / "target")
    with pytest.raises(BackupError, match="damaged"):
        restore(target, damaged)
    assert not any(path.is_file() for path in target.blob_dir.rglob("*"))
