"""The sync commands end to end: a real ``imbizo-server`` process, real ``imbizo`` processes, real HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.server_process import free_port, running_server, server_env
from tests.sync.server.helpers import PASSWORD

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
from tests.conftest import CORPUS  # noqa: E402

SLICE = CORPUS / "knowledge_base" / "govuk_content_items" / "case_study"


def _env(tmp_path: Path) -> dict[str, str]:
    env = server_env()
    env.update(IMBIZO_CONFIG_DIR=str(tmp_path / "config"), IMBIZO_LOG_DIR=str(tmp_path / "logs"))
    env.pop("IMBIZO_DATA_DIR", None)
    return env


@pytest.fixture
def server_url(tmp_path: Path) -> Iterator[str]:
    """``imbizo-server serve`` on a free loopback port, with the user alice."""
    with running_server(tmp_path / "server", {"alice": ("staff", PASSWORD)}) as url:
        yield url


def imbizo(tmp_path: Path, profile: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``imbizo --data-dir <tmp>/<profile> ARGS``."""
    return subprocess.run(
        [BIN / "imbizo", "--data-dir", tmp_path / profile, *args],
        input=stdin, text=True, env=_env(tmp_path), capture_output=True, timeout=120,
    )  # fmt: skip


@pytest.mark.skipif(not SLICE.is_dir(), reason="the shared corpus is not beside the project")
def test_login_sync_and_find_it_on_another_machine(tmp_path: Path, server_url: str) -> None:
    assert imbizo(tmp_path, "a", "import", str(SLICE)).returncode in (0, 3)
    not_signed_in = imbizo(tmp_path, "a", "sync")
    assert not_signed_in.returncode == 4 and "sign in" in not_signed_in.stderr.lower()

    login = imbizo(tmp_path, "a", "login", server_url, "alice", "--json", stdin=PASSWORD + "\n")
    assert login.returncode == 0, login.stderr
    signed = json.loads(login.stdout)
    assert signed["user"] == "alice" and signed["insecure"] is True
    assert PASSWORD not in login.stdout + login.stderr

    first = imbizo(tmp_path, "a", "sync", "--json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["pushed"] >= 5 and report["verified"] and report["conflicts_open"] == 0
    again = json.loads(imbizo(tmp_path, "a", "sync", "--json").stdout)
    assert again["pushed"] == 0 and again["pulled"] == 0  # nothing doubled

    assert imbizo(tmp_path, "b", "login", server_url, "alice", stdin=PASSWORD + "\n").returncode == 0
    pulled = json.loads(imbizo(tmp_path, "b", "sync", "--json").stdout)
    assert pulled["pulled"] == report["pushed"] and pulled["verified"]
    found = imbizo(tmp_path, "b", "search", "Spain", "--json")
    assert found.returncode == 0 and json.loads(found.stdout)["hits"]

    assert json.loads(imbizo(tmp_path, "b", "conflicts", "--json").stdout) == []
    assert imbizo(tmp_path, "b", "logout").returncode == 0
    assert imbizo(tmp_path, "b", "sync").returncode == 4
    token_files = list((tmp_path / "a").glob("sync-token"))
    assert token_files and oct(token_files[0].stat().st_mode & 0o777) == "0o600"
    database = (tmp_path / "a" / "imbizo.db").read_bytes()
    assert token_files[0].read_text().encode() not in database  # the token never goes into the database


def test_a_wrong_password_and_a_bad_server_are_clear_failures(tmp_path: Path, server_url: str) -> None:
    wrong = imbizo(tmp_path, "a", "login", server_url, "alice", stdin="not the password\n")
    assert wrong.returncode == 4 and wrong.stderr == "imbizo: Wrong user name or password.\n"
    nowhere = imbizo(
        tmp_path, "a", "login", f"http://127.0.0.1:{free_port()}", "alice", stdin=PASSWORD + "\n"
    )
    assert nowhere.returncode == 1 and "could not be reached" in nowhere.stderr
    outside = imbizo(tmp_path, "a", "login", "http://example.org", "alice", stdin=PASSWORD + "\n")
    assert outside.returncode == 1 and "plain http" in outside.stderr


def test_sync_download_limit_leaves_large_files_on_the_server(tmp_path: Path, server_url: str) -> None:
    from desktop.core.kinds import Kind
    from desktop.core.records import Record, new_record_id
    from desktop.paths import ProfilePaths
    from desktop.session import Session

    scan = tmp_path / "survey.bin"
    scan.write_bytes(b"\x07" * 300_000)
    with Session.open(ProfilePaths(tmp_path / "a", "--data-dir")) as session:
        record = Record(id=new_record_id(), kind=Kind.SITE_VISIT, fields={"title": "Survey"})
        session.save(record)
        session.add_attachment(record.id, scan)
    for profile in ("a", "b", "c"):
        assert imbizo(tmp_path, profile, "login", server_url, "alice", stdin=PASSWORD + "\n").returncode == 0
    assert imbizo(tmp_path, "a", "sync").returncode == 0
    small = json.loads(imbizo(tmp_path, "b", "sync", "--download-limit", "0.1", "--json").stdout)
    assert small["pulled"] == 1 and small["downloaded"] == 0  # 300 KB > 0.1 MB: opened later, on demand
    whole = json.loads(imbizo(tmp_path, "c", "sync", "--json").stdout)  # the default limit is 20 MB
    assert whole["downloaded"] == 1
    with Session.open(ProfilePaths(tmp_path / "b", "--data-dir")) as session:
        [info] = session.attachments(record.id)
        assert not info.present


def test_an_overtaken_review_is_reported_apart_and_is_no_failure(tmp_path: Path) -> None:
    """Two librarians act on one submission; the second's sync says who acted first and exits 0."""
    import jsonschema

    users = {name: (role, PASSWORD) for name, role in [("alice", "staff"), ("lib", "librarian")]}
    users |= {"lin": ("librarian", PASSWORD), "lee": ("librarian", PASSWORD)}
    with running_server(tmp_path / "server", users) as url:
        record_id = _submitted_and_seen(tmp_path, url, users)
        assert imbizo(tmp_path, "lib", "review", record_id, "--publish").returncode == 0
        assert imbizo(tmp_path, "lin", "review", record_id, "--return", "Which wards?").returncode == 0
        assert imbizo(tmp_path, "lee", "review", record_id, "--publish").returncode == 0
        assert imbizo(tmp_path, "lib", "sync").returncode == 0

        text = imbizo(tmp_path, "lin", "sync")
        assert text.returncode == 0, text.stdout + text.stderr  # not a failure: nothing was lost
        assert "Refused by the server" not in text.stdout
        (line,) = [line for line in text.stdout.splitlines() if line.startswith("Overtaken: ")]
        assert line.startswith("Overtaken: Ward meetings: lib published “Ward meetings” first")
        assert "your return was not sent" in line and "Which wards?" in line  # nothing typed is lost

        answer = imbizo(tmp_path, "lee", "sync", "--json")
        assert answer.returncode == 0, answer.stderr
        report = json.loads(answer.stdout)
        schema = json.loads((ROOT / "resources" / "schemas" / "sync.schema.json").read_text(encoding="utf-8"))
        jsonschema.validate(report, schema)
        assert report["rejected"] == []
        (overtaken,) = report["overtaken"]
        assert (overtaken["id"], overtaken["title"], overtaken["by"]) == (record_id, "Ward meetings", "lib")
        assert (overtaken["action"], overtaken["comment"]) == ("published", "")
        assert "your publication was not sent" in overtaken["reason"]
        assert json.loads(imbizo(tmp_path, "lee", "sync", "--json").stdout)["overtaken"] == []  # said once


def test_a_review_of_what_another_returned_meanwhile_is_overtaken_not_refused(tmp_path: Path) -> None:
    """lib returns a submission lin is publishing: lin's sync names lib and exits 0, not 3."""
    users = {"alice": ("staff", PASSWORD), "lib": ("librarian", PASSWORD), "lin": ("librarian", PASSWORD)}
    with running_server(tmp_path / "server", users) as url:
        record_id = _submitted_and_seen(tmp_path, url, users)
        assert imbizo(tmp_path, "lib", "review", record_id, "--return", "Which wards?").returncode == 0
        assert imbizo(tmp_path, "lib", "sync").returncode == 0
        assert imbizo(tmp_path, "lin", "review", record_id, "--publish").returncode == 0

        answer = imbizo(tmp_path, "lin", "sync", "--json")
        assert answer.returncode == 0, answer.stdout + answer.stderr  # not 3: nothing was lost
        report = json.loads(answer.stdout)
        assert report["rejected"] == []
        (overtaken,) = report["overtaken"]
        assert (overtaken["id"], overtaken["by"], overtaken["action"]) == (record_id, "lib", "returned")
        assert (
            overtaken["comment"] == "Which wards?" and "your publication was not sent" in overtaken["reason"]
        )
        quiet = imbizo(tmp_path, "lin", "sync")
        assert quiet.returncode == 0 and "Overtaken" not in quiet.stdout and "Refused" not in quiet.stdout


def _submitted_and_seen(tmp_path: Path, url: str, users: dict[str, tuple[str, str]]) -> str:
    """Everyone signs in with the command line; alice submits "Ward meetings" and syncs, then every
    other user syncs, so each librarian has it in their queue. Returns its id."""
    from desktop.core.kinds import Kind
    from desktop.core.records import Record, new_record_id
    from desktop.paths import ProfilePaths
    from desktop.session import Session

    for user in users:
        assert imbizo(tmp_path, user, "login", url, user, stdin=PASSWORD + "\n").returncode == 0
    with Session.open(ProfilePaths(tmp_path / "alice", "--data-dir")) as session:
        record = Record(
            id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": "Ward meetings"}, owner="alice"
        )
        session.save(record)
    assert imbizo(tmp_path, "alice", "submit", record.id).returncode == 0
    assert imbizo(tmp_path, "alice", "sync").returncode == 0
    for user in users:
        if user != "alice":
            assert imbizo(tmp_path, user, "sync").returncode == 0
    return record.id
