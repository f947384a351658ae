"""Sync stories on PostgreSQL, through two real ``imbizo-server`` processes sharing one database
and one blob folder (the server README's installation for several processes).

The two processes run for the whole module; before each story their database is emptied
of everything but the accounts, and the blob folder of its files. Each client profile is
real (SQLite store, Whoosh index) and talks plain HTTP to one of the two processes, in
turn, so a story's people are usually on different processes. The stories of
``test_sync_stories.py`` (written against the in-process server) run here unchanged,
through this module's ``make_client``; the stories below add three machines editing
offline, deletions against edits, an upload cut on one process and resumed on the other,
and three machines syncing at the same moment.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from sqlalchemy import create_engine, text

import tests.sync.test_sync_stories as stories
from desktop.core.kinds import Kind
from desktop.core.records import Record, Status, new_record_id
from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.sync_service import SyncService
from sync.client import NetworkError, RetryPolicy, SyncClient
from sync.engine import SyncEngine
from sync.protocol import CHUNK_BYTES, Role
from tests.support.canonical import canonical_hash, replica_export
from tests.support.postgres import PostgresCluster
from tests.support.sync_processes import ServerProcess, server_group
from tests.support.sync_tap import TapSession, read_tap
from tests.sync.server.helpers import PASSWORD

USERS = {"alice": Role.STAFF, "bob": Role.STAFF, "carol": Role.STAFF, "lib": Role.LIBRARIAN}
PROCESSES = 2
MakeClient = Callable[..., "LiveProfile"]


@dataclass
class LiveProfile:
    """A profile signed in to one of the server processes (the shape the shared stories use)."""

    name: str
    session: Session
    service: SyncService
    server: ServerProcess
    adapter: Any = None
    closed: bool = field(default=False)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.session.close()


@pytest.fixture(scope="module")
def running_servers(
    postgres_cluster: PostgresCluster, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[list[ServerProcess], str, Path]]:
    """Two server processes on one PostgreSQL database with the story accounts, for the whole module."""
    url = postgres_cluster.create_database()
    root = tmp_path_factory.mktemp("pg-stories")
    try:
        with server_group(root, url, USERS, processes=PROCESSES) as group:
            yield group, url, root / "blobs"
    finally:
        postgres_cluster.drop_database(url)


def _reset(database_url: str, blob_dir: Path) -> None:
    """Everything but the accounts goes (records, history, sessions, devices, uploads, blobs).

    Far cheaper than two new server processes per story; the processes keep nothing of their
    own between requests, so a story sees a server as new as after its installation.
    """
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            kept = {"users", "meta", "alembic_version"}
            tables = [
                t
                for t in connection.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                ).scalars()
                if t not in kept
            ]
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY"))  # test-made names only
            connection.execute(text("UPDATE users SET access_epoch = 0"))
    finally:
        engine.dispose()
    shutil.rmtree(blob_dir, ignore_errors=True)


@pytest.fixture
def servers(running_servers: tuple[list[ServerProcess], str, Path]) -> list[ServerProcess]:
    """The two processes, their database emptied of everything but the accounts."""
    group, url, blob_dir = running_servers
    _reset(url, blob_dir)
    return group


def _retry() -> RetryPolicy:
    return RetryPolicy(attempts=3, base_delay=0.05, max_delay=0.2)


@pytest.fixture
def make_client(servers: list[ServerProcess], tmp_path: Path) -> Iterator[Callable[..., LiveProfile]]:
    """``make_client("alice", label=...)``: a real profile signed in over HTTP to the next server process."""
    made: list[LiveProfile] = []

    def make(user: str, *, label: str = "", faults: Any = None, sign_in: bool = True) -> LiveProfile:
        assert faults is None, "faults are for the in-process stories; the fault proxy tests cover real links"
        server = servers[len(made) % len(servers)]
        session = Session.open(ProfilePaths(tmp_path / f"client-{label or user}-{len(made)}", "--data-dir"))
        service = SyncService(session, use_keyring=False, retry=_retry())
        profile = LiveProfile(label or user, session, service, server)
        made.append(profile)
        if sign_in:
            service.login(server.url, user, PASSWORD)
        return profile

    yield make
    for profile in made:
        profile.close()


SHARED = [
    stories.test_a_case_study_written_offline_reaches_a_colleague,
    stories.test_two_offline_edits_of_different_fields_merge,
    stories.test_the_same_field_edited_on_two_machines_of_one_person_is_a_conflict_kept_both_ways,
    stories.test_different_fields_on_two_machines_of_one_person_merge_cleanly,
    stories.test_a_delete_reaches_the_other_machine_and_an_edit_against_it_is_kept,
]


@pytest.mark.parametrize("story", SHARED, ids=[s.__name__.removeprefix("test_") for s in SHARED])
def test_shared_story_on_two_processes(story: Callable[..., None], make_client: MakeClient) -> None:
    story(make_client)


def test_attachments_travel_between_processes(make_client: MakeClient, tmp_path: Path) -> None:
    stories.test_attachments_travel_with_their_record(make_client, tmp_path)


def _case(title: str, **values: str) -> Record:
    return Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": title, **values})


def _get(profile: LiveProfile, record_id: str) -> Record:
    record = profile.session.store.get(record_id)
    assert record is not None, f"{profile.name} lacks {record_id}"
    return record


def _sync_all(*profiles: LiveProfile) -> None:
    for profile in profiles:
        profile.service.sync()


def _same_everywhere(*profiles: LiveProfile) -> None:
    hashes = {p.name: canonical_hash(replica_export(p.session.store)) for p in profiles}
    assert len(set(hashes.values())) == 1, f"replicas differ: {hashes}"


def test_three_machines_edit_different_fields_offline_and_all_end_equal(make_client: MakeClient) -> None:
    laptop, desktop, tablet = (make_client("alice", label=name) for name in ("laptop", "desktop", "tablet"))
    record = _case("Ward 4 water committee")
    laptop.session.save(record)
    _sync_all(laptop, desktop, tablet)
    for profile, name, value in (
        (laptop, "summary", "Meets on Tuesdays"),
        (desktop, "lessons", "Invite the councillor"),
        (tablet, "district", "Eastern Demo District"),
    ):
        profile.session.save(_get(profile, record.id).with_fields(**{name: value}))
    _sync_all(laptop, desktop, tablet)
    _sync_all(laptop, desktop)  # the first two pull what the later ones pushed
    final = _get(tablet, record.id)
    assert (final.fields["summary"], final.fields["lessons"], final.fields["district"]) == (
        "Meets on Tuesdays",
        "Invite the councillor",
        "Eastern Demo District",
    )
    assert not any(p.service.conflicts() for p in (laptop, desktop, tablet))
    _same_everywhere(laptop, desktop, tablet)


def test_two_edits_of_one_field_and_a_delete_keep_every_side(make_client: MakeClient) -> None:
    laptop, desktop, tablet = (make_client("alice", label=name) for name in ("laptop", "desktop", "tablet"))
    record = _case("Clinic opening hours")
    laptop.session.save(record)
    _sync_all(laptop, desktop, tablet)
    laptop.session.save(_get(laptop, record.id).with_fields(summary="Opens at seven"))
    desktop.session.save(_get(desktop, record.id).with_fields(summary="Opens at eight"))
    tablet.session.delete(record.id)
    assert laptop.service.sync().conflicts == 0
    assert desktop.service.sync().conflicts == 1  # the same field: the server's is current, hers kept
    assert tablet.service.sync().conflicts == 1  # a deletion against an edit: never silently dropped
    kept = {p.name: p.service.conflicts()[0].mine for p in (desktop, tablet)}
    assert kept["desktop"].fields["summary"] == "Opens at eight" and kept["tablet"].deleted
    for profile in (desktop, tablet):
        profile.service.resolve(record.id, "theirs")
    _sync_all(laptop, desktop, tablet)
    _same_everywhere(laptop, desktop, tablet)
    assert _get(tablet, record.id).fields["summary"] == "Opens at seven"


def test_a_librarian_on_the_other_process_publishes_and_everyone_reads_it(make_client: MakeClient) -> None:
    alice, lib, carol = make_client("alice"), make_client("lib"), make_client("carol")
    assert alice.server is not lib.server and carol.server is alice.server
    record = _case("Borehole maintenance", summary="A rota of caretakers")
    alice.session.save(record)
    alice.service.sync()
    alice.session.save(_get(alice, record.id).with_changes(status=Status.SUBMITTED))
    alice.service.sync()
    lib.service.sync()
    submitted = _get(lib, record.id)
    assert submitted is not None and submitted.status is Status.SUBMITTED
    lib.session.save(submitted.with_changes(status=Status.PUBLISHED))
    lib.service.sync()
    assert carol.service.sync().pulled == 1
    assert _get(carol, record.id).status is Status.PUBLISHED
    assert [hit.id for hit in carol.session.search("caretakers").hits] == [record.id]


def test_an_upload_cut_on_one_process_resumes_on_the_other(make_client: MakeClient, tmp_path: Path) -> None:
    laptop, desktop = make_client("alice", label="laptop"), make_client("alice", label="desktop")
    assert laptop.server is not desktop.server
    record = _case("Site photos")
    laptop.session.save(record)
    data = bytes(range(256)) * (CHUNK_BYTES * 3 // 256 + 7)  # a little over three chunks
    info = laptop.session.store.add_attachment(record.id, data, "photos.bin", "application/octet-stream")
    token = laptop.service.tokens.load()
    opened = 0

    @contextmanager
    def first_chunk_only() -> Iterator[BinaryIO]:
        nonlocal opened
        opened += 1
        if opened > 1:
            raise NetworkError("the link went down after the first chunk")
        with laptop.session.blob_path(info.sha256).open("rb") as handle:
            yield handle

    first = SyncClient(laptop.server.url, token=token, retry=_retry())
    with pytest.raises(NetworkError):
        first.upload_blob(info.sha256, info.size, first_chunk_only)
    first.close()

    tap_file = tmp_path / "tap.jsonl"
    http = TapSession(tap_file, "resume")
    other = SyncClient(desktop.server.url, token=token, session=http, retry=_retry())
    report = SyncEngine(laptop.service.replica, other).sync()
    http.close()
    assert report.uploaded == 1 and report.verified
    tap = read_tap(tap_file)
    assert tap.chunk_bytes_sent == len(data) - CHUNK_BYTES  # resumed where the other process stopped
    desktop.service.sync()
    assert desktop.session.blob_path(info.sha256).read_bytes() == data


def test_three_machines_syncing_at_one_moment_on_two_processes_end_equal(make_client: MakeClient) -> None:
    machines = [make_client("alice", label=f"m{n}") for n in range(3)]
    made: dict[str, set[str]] = {}
    for machine in machines:
        records = [_case(f"{machine.name} note {n}", summary="offline") for n in range(30)]
        machine.session.save_many(records)
        made[machine.name] = {r.id for r in records}
    errors: list[BaseException] = []

    def sync(machine: LiveProfile) -> None:
        try:
            machine.service.sync()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=sync, args=(m,)) for m in machines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors and not any(t.is_alive() for t in threads)
    _sync_all(*machines)
    everything = set().union(*made.values())
    for machine in machines:
        held = {r.id for r in machine.session.store.iter_records([Kind.CASE_STUDY])}
        assert held == everything, f"{machine.name} lacks {len(everything - held)} records"
        assert machine.service.status().pending == 0
    _same_everywhere(*machines)
