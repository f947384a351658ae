"""R7: the deletion fail-safe and sync-target safety (RELIABILITY.md; Joplin's failure cases).

In every scenario: 0 local records deleted or replaced without the person confirming.

1. The server database reset or empty: a real ``imbizo-server`` whose data folder is
   wiped and re-created, and one restored from an older backup (``imbizo-server restore``).
   Each database has an identity (``server_id`` in ``/sync/pending``; a restore makes a new
   one), so the client stops before it sends or applies anything, also when the new
   server's feed has run past the profile's cursor (the old check, ``latest < cursor``,
   missed that case; the reconciliation then removed every local record).
2. A wrong or changed server address: signing in to another server with a bound profile
   stops the next sync; the same server under another address does not.
3. A truncated listing or feed (a blip): an empty page with ``has_more=false``, a page cut
   short, an index listing shorter than the server's own counts, a summary that undercounts
   the deletions.
4. A long-offline client: the server never purges tombstones (a deleted record stays a row
   with ``deleted=True`` in the feed and the index: sync/server/feed.py), so there is no
   tombstone horizon to fall behind. What the server has is the access epoch: a change of
   role or membership makes every device of the user reconcile against the whole index,
   which lists tombstones too; the test checks that path resurrects nothing.
5. Clock skew of +-1 day and +-1 year on one device: conflicts come from parent revisions.
6. A reinstalled (empty) client's first sync against a full server, and a full client
   against an empty new server.

The fail-safe: a sync that would delete more than half of the local records (and more
than 20) stops and asks; the threshold is a profile setting; ``--allow-deletions`` confirms.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.store.replica import CURSOR_KEY, SERVER_ID_KEY
from desktop.sync_service import SyncService
from sync.client import SyncClient
from sync.engine import (
    DeletionFailsafeError,
    IncompleteListingError,
    ServerChangedError,
    ServerRewoundError,
    SyncEngine,
)
from sync.protocol import Role
from sync.server import accounts
from sync.server import cli as server_cli
from sync.server.db import Database
from sync.server.models import RecordRow
from tests.support.server_process import BIN, running_server, server_env
from tests.sync.conftest import SERVER_URL, USERS, no_sleep_retry
from tests.sync.server.helpers import PASSWORD
from tests.sync.target_safety_support import (
    TamperingAdapter,
    case_study,
    live_ids,
    routed_session,
    save_many,
    second_server,
    shifted_clock,
)


@pytest.fixture
def tmp_path() -> Iterator[Path]:
    """Profiles and servers in memory where possible: R7 checks decisions; R1/R2 check durability."""
    base = "/dev/shm" if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(prefix="imbizo-r7-", dir=base) as folder:
        yield Path(folder)


# -- the fail-safe --------------------------------------------------------------------------


def test_mass_deletion_from_another_device_stops_and_asks_then_goes_ahead_when_confirmed(make_client) -> None:
    laptop = make_client("alice", label="laptop")
    desktop = make_client("alice", label="desktop")
    ids = save_many(laptop.session, 40)
    laptop.service.sync()
    desktop.service.sync()
    assert live_ids(desktop.session) == set(ids)

    laptop.session.delete_many(ids[:21])  # threshold = max(20, 40 // 2) = 20: one more than that
    laptop.service.sync()  # the device's own deletions never ask (they are not counted)
    cursor = desktop.session.store.get_meta(CURSOR_KEY)

    with pytest.raises(DeletionFailsafeError) as stopped:
        desktop.service.sync()
    assert (stopped.value.deletions, stopped.value.local) == (21, 40)
    assert "21 of your 40" in str(stopped.value)
    assert live_ids(desktop.session) == set(ids)  # nothing applied
    assert desktop.session.store.get_meta(CURSOR_KEY) == cursor
    assert desktop.service.status().last_sync["kind"] == "DeletionFailsafeError"

    report = desktop.service.sync(allow_deletions=True)
    assert report.deleted == 21 and report.verified
    assert live_ids(desktop.session) == set(ids[21:])


def test_the_threshold_is_a_setting_and_its_boundary_holds(make_client) -> None:
    laptop = make_client("alice", label="laptop")
    desktop = make_client("alice", label="desktop")
    ids = save_many(laptop.session, 40)
    laptop.service.sync()
    desktop.service.sync()
    laptop.session.delete_many(ids[:20])  # exactly the default threshold: no question
    laptop.service.sync()
    assert desktop.service.sync().deleted == 20

    assert desktop.service.deletion_threshold() == (0.5, 20)
    desktop.service.set_deletion_threshold(0.1, 1)  # a cautious office: 3 of 20 asks (above 10%)
    laptop.session.delete_many(ids[20:23])
    laptop.service.sync()
    with pytest.raises(DeletionFailsafeError):
        desktop.service.sync()
    assert len(live_ids(desktop.session)) == 20
    with pytest.raises(ValueError):
        desktop.service.set_deletion_threshold(1.5, 20)


def test_tombstones_of_records_never_held_here_do_not_ask(make_client) -> None:
    laptop = make_client("alice", label="laptop")
    ids = save_many(laptop.session, 30)
    laptop.service.sync()
    laptop.session.delete_many(ids)
    laptop.service.sync()
    fresh = make_client("alice", label="reinstalled")  # 0 records here: nothing can be deleted
    fresh.session.save(case_study("Written before the first sync"))
    report = fresh.service.sync()
    assert report.verified and report.pushed == 1
    assert len(live_ids(fresh.session)) == 1


# -- 1. the server database reset, or restored from an older backup ----------------------------------


def _service(folder: Path) -> tuple[Session, SyncService]:
    session = Session.open(ProfilePaths(folder, "--data-dir"))
    return session, SyncService(session, use_keyring=False, retry=no_sleep_retry())


def _server_count(url: str, profile: Path, user: str = "alice") -> int:
    """Live records ``user`` sees on the server, read by a separate profile."""
    session, service = _service(profile)
    try:
        service.login(url, user, PASSWORD)
        client = service.client()
        return sum(kind.count for kind in client.digest().kinds.values())
    finally:
        session.close()


def test_a_wiped_and_recreated_server_stops_the_sync_even_past_the_old_cursor(tmp_path: Path) -> None:
    data = tmp_path / "server"
    users = {"alice": ("staff", PASSWORD)}
    session, service = _service(tmp_path / "alice")
    try:
        with running_server(data, users) as url:
            service.login(url, "alice", PASSWORD)
            mine = set(save_many(session, 25))
            service.sync()
        shutil.rmtree(data)  # the administrator starts the server again from nothing
        with running_server(data, users) as url:
            other_session, other = _service(tmp_path / "other")
            other.login(url, "alice", PASSWORD)
            theirs = set(save_many(other_session, 30, "Other"))  # the new feed runs past alice's cursor
            other.sync()
            other_session.close()
            service.login(url, "alice", PASSWORD)  # the old token died with the database
            with pytest.raises(ServerChangedError) as stopped:
                service.sync()
            assert "Nothing was sent or changed" in str(stopped.value)
            assert live_ids(session) == mine and service.status().pending == 0
            assert _server_count(url, tmp_path / "probe") == 30  # nothing was pushed either

            report = service.sync(accept_server=True)  # confirmed: start again, deleting nothing
            assert report.verified and report.pushed == 25 and report.pulled == 30
            assert live_ids(session) == mine | theirs
            assert _server_count(url, tmp_path / "probe2") == 55
            assert service.sync().pushed == 0  # and from now on an ordinary sync
    finally:
        session.close()


def _server_cli(data: Path, *args: str) -> None:
    """``imbizo-server --data-dir DATA ARGS``, in this process (the same code, no interpreter start)."""
    assert server_cli.main(["--data-dir", str(data), *args]) == 0


def test_a_server_restored_from_an_older_backup_stops_the_sync(tmp_path: Path) -> None:
    data = tmp_path / "server"
    users = {"alice": ("staff", PASSWORD)}
    archive = tmp_path / "backup.tar.gz"
    session, service = _service(tmp_path / "alice")
    try:
        with running_server(data, users) as url:
            service.login(url, "alice", PASSWORD)
            first = save_many(session, 10)
            service.sync()
            _server_cli(data, "backup", str(archive))
            later = save_many(session, 10, "Later")
            session.save(session.store.get(first[0]).with_fields(summary="Edited after the backup"))
            service.sync()
        _server_cli(data, "restore", str(archive), "--force")
        with running_server(data, {}) as url:  # the restored accounts (on a new port: sign in again)
            service.login(url, "alice", PASSWORD)
            with pytest.raises(ServerChangedError):
                service.sync()
            assert live_ids(session) == set(first) | set(later)
            assert session.store.get(first[0]).fields["summary"] == "Edited after the backup"

            report = service.sync(accept_server=True)
            assert report.verified and report.pushed >= 10  # the lost ten are back on the server
            assert live_ids(session) == set(first) | set(later)
            # The record edited after the backup: the server's older version is an ancestor of
            # the edit here, so the edit wins a clean merge, or it is kept as the local side of a
            # conflict (which the person resolves); never lost, never silent.
            for conflict in service.conflicts():
                assert conflict.record_id == first[0]
                assert conflict.mine.fields["summary"] == "Edited after the backup"
                service.resolve(first[0], "mine")
                assert service.sync().verified
            assert session.store.get(first[0]).fields["summary"] == "Edited after the backup"
            assert _server_count(url, tmp_path / "probe") == 20
    finally:
        session.close()


def test_a_server_that_went_back_in_time_without_a_new_identity_is_caught(make_client, server) -> None:
    """A database put back by hand (pg_restore, a file copy) keeps its identity: two more checks."""
    alice = make_client("alice")
    record = case_study("Edited twice")
    alice.session.save(record)
    alice.service.sync()
    acknowledged = alice.session.store.get(record.id).revision
    alice.session.save(alice.session.store.get(record.id).with_fields(summary="Second version"))
    alice.service.sync()
    db = server.state.context.db
    with db.write() as session:  # the server "forgets" the second version
        session.get(RecordRow, record.id).revision = acknowledged
    with pytest.raises(ServerRewoundError, match="older version"):
        alice.service.sync()
    assert alice.session.store.get(record.id).fields["summary"] == "Second version"

    alice.session.store.set_meta(CURSOR_KEY, "100000")  # a profile ahead of the server's feed
    with pytest.raises(ServerRewoundError, match="holds less"):
        alice.service.sync()


# -- 2. a wrong or changed server address ----------------------------------------------------------


def test_signing_in_to_another_server_never_wipes_or_merges_silently(server, tmp_path: Path) -> None:
    other = second_server(tmp_path / "server-two", {"alice": Role.STAFF, "bob": Role.STAFF})
    one, two, one_again = TamperingAdapter(server), TamperingAdapter(other), TamperingAdapter(server)
    http = routed_session({"http://127.0.0.1": one, "http://127.0.0.2": two, "http://localhost": one_again})
    session = Session.open(ProfilePaths(tmp_path / "profile", "--data-dir"))
    service = SyncService(session, http=http, use_keyring=False, retry=no_sleep_retry())
    try:
        service.login(SERVER_URL, "alice", PASSWORD)
        synced = set(save_many(session, 25))
        service.sync()
        session.save(case_study("Waiting to be pushed"))

        service.login("http://127.0.0.2", "alice", PASSWORD)  # the wrong server: a typo, another office
        with pytest.raises(ServerChangedError):
            service.sync()
        assert synced <= live_ids(session) and service.status().pending == 1
        probe = SyncClient("http://127.0.0.2", session=http)
        probe.login("alice", PASSWORD, "11111111-2222-4333-8444-555555555555")
        assert probe.digest().kinds == {}  # nothing went to the wrong server

        service.login("http://localhost", "alice", PASSWORD)  # the right server under another name
        report = service.sync()
        assert report.pushed == 1 and report.verified

        service.login("http://127.0.0.2", "alice", PASSWORD)
        report = service.sync(accept_server=True)  # the office really moved: confirmed
        assert report.verified and report.pushed == 26 and synced <= live_ids(session)
        assert sum(kind.count for kind in probe.digest().kinds.values()) == 26
    finally:
        session.close()
        for adapter in (one, two, one_again):
            adapter.close()
        other.state.context.db.dispose()


# -- 3. a truncated listing or feed --------------------------------------------------------------------


def _tampered_device(app: Any, folder: Path) -> tuple[Session, SyncService, TamperingAdapter]:
    adapter = TamperingAdapter(app)
    http = routed_session({"http://127.0.0.1": adapter})
    session = Session.open(ProfilePaths(folder, "--data-dir"))
    service = SyncService(session, http=http, use_keyring=False, retry=no_sleep_retry())
    service.login(SERVER_URL, "alice", PASSWORD)
    return session, service, adapter


def _empty_page(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "changes": [], "has_more": False}


def test_an_empty_or_cut_feed_page_loses_nothing_and_is_repaired(make_client, server, tmp_path) -> None:
    laptop = make_client("alice", label="laptop")
    ids = save_many(laptop.session, 30)
    laptop.service.sync()
    session, service, adapter = _tampered_device(server, tmp_path / "desktop")
    try:
        service.sync()
        laptop.session.delete_many(ids[:5])
        laptop.session.save(laptop.session.store.get(ids[5]).with_fields(summary="Changed"))
        laptop.service.sync()

        adapter.tampers["/sync/pull"] = _empty_page  # "nothing new", with the cursor at the head
        report = service.sync()
        assert adapter.tampered >= 1
        assert report.reconciled and report.verified  # the digest saw the gap; the index filled it
        assert live_ids(session) == set(ids[5:])  # the five deletions the server really holds
        assert session.store.get(ids[5]).fields["summary"] == "Changed"

        adapter.tampers["/sync/pull"] = lambda body: {
            **body,
            "changes": body["changes"][:1],
            "has_more": False,
        }
        laptop.session.save(case_study("One more"))
        laptop.session.save(laptop.session.store.get(ids[6]).with_fields(summary="Changed too"))
        laptop.service.sync()
        assert service.sync().verified
        assert session.store.get(ids[6]).fields["summary"] == "Changed too"
    finally:
        session.close()
        adapter.close()


def test_a_truncated_index_listing_removes_nothing(make_client, server, tmp_path) -> None:
    laptop = make_client("alice", label="laptop")
    ids = save_many(laptop.session, 12)
    laptop.service.sync()
    session, service, adapter = _tampered_device(server, tmp_path / "desktop")
    try:
        service.sync()
        laptop.session.save(laptop.session.store.get(ids[0]).with_fields(summary="Changed"))
        laptop.service.sync()
        adapter.tampers["/sync/pull"] = _empty_page
        adapter.tampers["/sync/index"] = lambda body: {
            **body,
            "entries": body["entries"][:3],
            "next_after": None,
        }
        with pytest.raises(IncompleteListingError):
            service.sync()
        assert live_ids(session) == set(ids)  # nine records were left out of the listing, none removed
        adapter.tampers.clear()
        assert service.sync().verified
    finally:
        session.close()
        adapter.close()


def test_a_summary_that_undercounts_deletions_still_stops_at_the_threshold(
    make_client, server, tmp_path
) -> None:
    laptop = make_client("alice", label="laptop")
    ids = save_many(laptop.session, 40)
    laptop.service.sync()
    session, service, adapter = _tampered_device(server, tmp_path / "desktop")
    try:
        service.sync()
        laptop.session.delete_many(ids[:30])
        laptop.service.sync()
        adapter.tampers["/sync/pending"] = lambda body: {**body, "deletions": 0}
        engine = SyncEngine(service.replica, service.client(), pull_limit=10)
        with pytest.raises(DeletionFailsafeError):
            engine.sync()
        assert len(live_ids(session)) >= 40 - 20  # at most the threshold went before the pull stopped
    finally:
        session.close()
        adapter.close()


# -- 4. a long-offline client ------------------------------------------------------------------------


def test_a_long_offline_client_reconciling_after_an_access_change_resurrects_nothing(
    make_client, server
) -> None:
    laptop = make_client("alice", label="laptop")
    offline = make_client("alice", label="offline")
    ids = save_many(laptop.session, 10)
    laptop.service.sync()
    offline.service.sync()
    laptop.session.delete_many(ids[:4])
    for number in range(3):  # a long time of other work moves the feed on
        laptop.session.save(case_study(f"Meanwhile {number}"))
        laptop.service.sync()
    db = Database(server.state.settings_for_tests.database_url)
    try:
        with db.write() as session:  # the role change bumps alice's access epoch: every device reconciles
            accounts.set_role(session=session, name="alice", role=Role.LIBRARIAN)
    finally:
        db.dispose()
    report = offline.service.sync()
    assert report.reconciled and report.verified
    assert live_ids(offline.session) == live_ids(laptop.session)
    assert not (live_ids(offline.session) & set(ids[:4]))  # the deletions held, nothing came back
    assert all(offline.session.store.get(rid).deleted for rid in ids[:4])  # in the trash, restorable


# -- 5. clock skew --------------------------------------------------------------------------------------

SKEWS = {"+1 day": timedelta(days=1), "-1 day": -timedelta(days=1), "+1 year": timedelta(days=365)}
SKEWS["-1 year"] = -timedelta(days=365)


def test_a_skewed_clock_never_overwrites_silently(make_client) -> None:
    skewed = make_client("alice", label="skewed")
    honest = make_client("alice", label="honest")
    for skew, offset in SKEWS.items():
        first, second = case_study(f"{skew}: skewed edits first"), case_study(f"{skew}: skewed edits second")
        honest.session.save_many([first, second])
        honest.service.sync()
        skewed.service.sync()
        with shifted_clock(offset):
            skewed.session.save(skewed.session.store.get(first.id).with_fields(title="Skewed on first"))
            skewed.service.sync()
            stamped = skewed.session.store.get(first.id).updated_at
        assert stamped[:10] != honest.session.store.get(first.id).updated_at[:10], skew  # the shift is real
        honest.session.save(honest.session.store.get(first.id).with_fields(title="Honest on first"))
        honest.session.save(honest.session.store.get(second.id).with_fields(title="Honest on second"))
        assert honest.service.sync().conflicts == 1, skew
        with shifted_clock(offset):
            skewed.session.save(skewed.session.store.get(second.id).with_fields(title="Skewed on second"))
            assert skewed.service.sync().conflicts == 1, skew

        [on_honest] = [c for c in honest.service.conflicts() if c.record_id == first.id]
        [on_skewed] = [c for c in skewed.service.conflicts() if c.record_id == second.id]
        assert on_honest.mine.title == "Honest on first", skew  # each losing side kept
        assert on_skewed.mine.title == "Skewed on second", skew
        assert honest.session.store.get(first.id).title == "Skewed on first"  # the server's is current
        assert skewed.session.store.get(second.id).title == "Honest on second"


# -- 6. a reinstalled client, and a full client against a new server -----------------------------------


def test_a_reinstalled_client_gets_everything_and_deletes_nothing(make_client) -> None:
    laptop = make_client("alice", label="laptop")
    ids = save_many(laptop.session, 30)
    laptop.service.sync()
    reinstalled = make_client("alice", label="reinstalled")
    report = reinstalled.service.sync()
    assert report.pulled == 30 and report.deleted == 0 and report.verified
    assert live_ids(reinstalled.session) == live_ids(laptop.session) == set(ids)
    assert laptop.service.sync().pulled == 0  # the old machine loses nothing to the new one


def test_a_full_client_against_an_empty_new_server(make_client, server, tmp_path: Path) -> None:
    local_only = make_client("alice", label="never-synced", sign_in=False)
    kept = set(save_many(local_only.session, 30))
    local_only.service.login(SERVER_URL, "alice", PASSWORD)
    report = local_only.service.sync()  # its first server: everything goes up, nothing is deleted
    assert report.pushed == 30 and report.verified and live_ids(local_only.session) == kept

    empty = second_server(tmp_path / "empty", dict(USERS))
    adapter = TamperingAdapter(empty)
    local_only.service.http = routed_session({"http://127.0.0.9": adapter})
    try:
        local_only.service.login("http://127.0.0.9", "alice", PASSWORD)
        with pytest.raises(ServerChangedError):
            local_only.service.sync()
        assert live_ids(local_only.session) == kept
        assert local_only.session.store.get_meta(SERVER_ID_KEY)
    finally:
        adapter.close()
        empty.state.context.db.dispose()


# -- the command line --------------------------------------------------------------------------------


def _imbizo(tmp_path: Path, profile: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = server_env()
    env.update(IMBIZO_CONFIG_DIR=str(tmp_path / "config"), IMBIZO_LOG_DIR=str(tmp_path / "logs"))
    env.pop("IMBIZO_DATA_DIR", None)
    return subprocess.run(
        [BIN / "imbizo", "--data-dir", tmp_path / profile, *args],
        input=stdin, text=True, env=env, capture_output=True, timeout=120,
    )  # fmt: skip


def test_the_command_line_asks_with_exit_code_6_and_goes_ahead_when_confirmed(tmp_path: Path) -> None:
    with running_server(tmp_path / "server", {"alice": ("staff", PASSWORD)}) as url:
        laptop, laptop_service = _service(tmp_path / "laptop")
        desktop, desktop_service = _service(tmp_path / "desktop")
        try:
            laptop_service.login(url, "alice", PASSWORD)
            ids = save_many(laptop, 30)
            laptop_service.sync()
            desktop_service.login(url, "alice", PASSWORD)  # the token goes to the profile's private file
            desktop_service.sync()
            laptop.delete_many(ids[:25])
            laptop_service.sync()
        finally:
            laptop.close()
            desktop.close()

        stopped = _imbizo(tmp_path, "desktop", "sync")
        assert stopped.returncode == 6, stopped.stderr
        assert "would delete 25 of your 30 records" in stopped.stderr
        assert "imbizo sync --allow-deletions" in stopped.stderr
        confirmed = _imbizo(tmp_path, "desktop", "sync", "--allow-deletions", "--json")
        assert confirmed.returncode == 0, confirmed.stderr
        assert json.loads(confirmed.stdout)["deleted"] == 25

        with sqlite3.connect(tmp_path / "desktop" / "imbizo.db") as db:  # as if it had synced elsewhere
            db.execute("UPDATE meta SET value = '0123456789abcdef' WHERE key = ?", (SERVER_ID_KEY,))
        moved = _imbizo(tmp_path, "desktop", "sync")
        assert moved.returncode == 6 and "not the one this profile synced with" in moved.stderr
        assert "imbizo sync --new-server" in moved.stderr
        again = _imbizo(tmp_path, "desktop", "sync", "--new-server", "--json")
        assert again.returncode == 0 and json.loads(again.stdout)["verified"], again.stderr
    desktop, _ = _service(tmp_path / "desktop")
    try:
        assert live_ids(desktop) == set(ids[25:])  # starting again deleted nothing
    finally:
        desktop.close()
