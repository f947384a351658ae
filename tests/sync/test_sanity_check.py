"""R8: the check after every sync (counts and an order-independent digest per kind, and of the files).

Divergences are injected behind the engine's back, on either side, and each must be
detected by ``SyncEngine.verify`` (before any repair) and then repaired so that the
replicas are equal again (every server record's revision is the local one; every file
hashes to its name on both sides):

- client: a record row deleted from the profile's SQLite; a synced copy added (a base row
  for a record the server never had); a record's revision changed; a byte of a held file flipped;
- server: a record row deleted (the client sends its copy again: an owner never loses sight
  of a record, so the server lost it); a record's revision changed; a byte of a blob flipped
  (the server sets the damaged blob aside and a client uploads it again).

Sizes: see INJECTIONS and CLEAN_SYNCS below (``IMBIZO_R8_INJECTIONS``, ``IMBIZO_R8_CLEAN``,
``IMBIZO_LONG=1`` for the nightly 100 and 1,000): every injection detected, 0 false alarms
on clean syncs. Seeded: ``IMBIZO_SEED``.

Not detected, by design of the digest (it covers ids and revisions, not contents): a field
changed without a new revision (see the strict xfail test at the end).
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, update

from desktop.core.kinds import Kind
from desktop.core.records import Record
from sync.engine import FILES, SyncEngine, SyncReport
from sync.server.models import RecordRow
from tests.sync.conftest import SyncClientProfile

LONG = os.environ.get("IMBIZO_LONG") == "1"
#: RELIABILITY.md asks 100 injections and 1,000 clean syncs in under a minute; an injection with
#: its repair takes several requests, a reconciliation and file hashing, more than a minute for
#: 100 on 2 shared cores, so the PR default is 35 (5 of each kind) and 60 clean syncs; the test
#: prints its time per injection. IMBIZO_LONG=1 runs 100 and 1,000.
INJECTIONS = int(os.environ.get("IMBIZO_R8_INJECTIONS", "100" if LONG else "35"))
CLEAN_SYNCS = int(os.environ.get("IMBIZO_R8_CLEAN", "1000" if LONG else "60"))
SEED = int(os.environ.get("IMBIZO_SEED", "8"))


class World:
    """One signed-in profile of alice with records and files, and the in-process server it syncs with."""

    def __init__(self, profile: SyncClientProfile, server: Any, rng: random.Random, tmp_path: Path):
        self.profile = profile
        self.server = server
        self.rng = rng
        self.store = profile.session.store
        self.db_file = Path(profile.session.paths.data_dir) / "imbizo.db"
        self.server_db = server.state.context.db
        self.blob_dir = Path(server.state.settings_for_tests.blob_dir)
        records = [
            Record(id=str(uuid.UUID(int=rng.getrandbits(128), version=4)), kind=Kind.CASE_STUDY,
                   fields={"title": f"Record {n}", "summary": "Checked after each sync"})
            for n in range(20)
        ]  # fmt: skip
        profile.session.save_many(records)
        self.ids = [r.id for r in records]
        for number in range(3):
            file = tmp_path / f"file-{number}.bin"
            file.write_bytes(rng.randbytes(2048 + number))
            profile.session.add_attachment(self.ids[number], file)
        report = profile.service.sync()
        assert report.verified and report.uploaded == 3

    def engine(self) -> SyncEngine:
        service = self.profile.service
        return SyncEngine(service._new_replica(), service.client())

    def files(self) -> list[str]:
        return sorted({a.sha256 for rid in self.ids[:3] for a in self.profile.session.attachments(rid)})

    def plain_ids(self) -> list[str]:
        """Synced live records without files (so a deleted row leaves no file rows behind)."""
        return [rid for rid in self.ids[3:] if self.store.get(rid) is not None]

    def sql(self, statement: str, *params: object) -> None:
        """Write to the profile's SQLite directly, as a tool or a disk might (no store, no outbox)."""
        with sqlite3.connect(self.db_file) as connection:
            connection.execute(statement, params)

    # -- the injections: each changes one side behind the engine's back -------------------------

    def client_row_deleted(self) -> None:
        self.sql("DELETE FROM records WHERE id = ?", self.rng.choice(self.plain_ids()))

    def client_copy_added(self) -> None:
        ghost = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        self.sql(
            "INSERT INTO sync_base (record_id, kind, revision, deleted, version, synced_at) "
            "VALUES (?, 'case_study', ?, 0, '{}', '2026-01-01T00:00:00+00:00')",
            ghost, f"1-{ghost.replace('-', '')}",
        )  # fmt: skip

    def client_revision_changed(self) -> None:
        self.sql(
            "UPDATE records SET revision = ? WHERE id = ?",
            f"7-{self.rng.getrandbits(128):032x}", self.rng.choice(self.plain_ids()),
        )  # fmt: skip

    def client_file_flipped(self) -> None:
        _flip(self.profile.session.blob_path(self.rng.choice(self.files())), self.rng)

    def server_row_deleted(self) -> None:
        with self.server_db.write() as session:
            session.execute(delete(RecordRow).where(RecordRow.id == self.rng.choice(self.plain_ids())))

    def server_revision_changed(self) -> None:
        record_id = self.rng.choice(self.plain_ids())
        with self.server_db.write() as session:
            row = session.get(RecordRow, record_id)
            generation = int(row.revision.split("-")[0]) + 1
            session.execute(
                update(RecordRow)
                .where(RecordRow.id == record_id)
                .values(revision=f"{generation}-{self.rng.getrandbits(128):032x}")
            )

    def server_file_flipped(self) -> None:
        sha = self.rng.choice(self.files())
        _flip(self.blob_dir / sha[:2] / sha, self.rng)

    # -- the oracle ---------------------------------------------------------------------------------

    def assert_equal(self, where: str) -> None:
        client = self.profile.service.client()
        server_records: dict[str, str] = {}
        after = None
        while True:
            page = client.index_page(after)
            server_records.update((e.id, e.revision) for e in page.entries if not e.deleted)
            if page.next_after is None:
                break
            after = page.next_after
        local = {r.id: r.revision for r in self.store.iter_records([Kind.CASE_STUDY]) if not r.deleted}
        assert local == server_records, where
        for sha in self.files():
            assert self.store.blobs.hash_file(sha) == sha, f"{where}: {sha} damaged here"
            assert _sha_of(self.blob_dir / sha[:2] / sha) == sha, f"{where}: {sha} damaged on the server"


def _flip(path: Path, rng: random.Random) -> None:
    data = bytearray(path.read_bytes())
    data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    path.write_bytes(bytes(data))


def _sha_of(path: Path) -> str | None:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


INJECTORS: dict[str, Callable[[World], None]] = {
    "client row deleted": World.client_row_deleted,
    "client copy added": World.client_copy_added,
    "client revision changed": World.client_revision_changed,
    "client file flipped": World.client_file_flipped,
    "server row deleted": World.server_row_deleted,
    "server revision changed": World.server_revision_changed,
    "server file flipped": World.server_file_flipped,
}


def test_every_injected_divergence_is_detected_and_repaired(make_client, server, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    print(f"R8 seed {SEED} (replay: IMBIZO_SEED={SEED}), {INJECTIONS} injections")
    world = World(make_client("alice"), server, rng, tmp_path)
    detected: dict[str, int] = dict.fromkeys(INJECTORS, 0)
    kinds = list(INJECTORS)
    started = time.perf_counter()
    for number in range(INJECTIONS):
        kind = kinds[number % len(kinds)]
        where = f"injection {number} ({kind}), seed {SEED}"
        INJECTORS[kind](world)
        engine = world.engine()
        report = SyncReport()
        engine.verify(report, repair=False)
        assert not report.verified and report.mismatched_kinds, f"{where}: not detected"
        assert (FILES in report.mismatched_kinds) == kind.endswith("flipped"), where
        detected[kind] += 1
        repaired = SyncReport()
        engine.verify(repaired)
        assert repaired.verified and repaired.repaired, f"{where}: not repaired ({repaired.mismatched_kinds})"
        world.assert_equal(where)
    spent = time.perf_counter() - started
    print(f"R8 detected: {detected}; {spent / max(1, INJECTIONS):.2f} s per injection with its repair")
    assert sum(detected.values()) == INJECTIONS


def test_clean_syncs_raise_no_false_alarm(make_client, server, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    laptop = make_client("alice", label="laptop")
    world = World(laptop, server, rng, tmp_path)
    desktop = make_client("alice", label="desktop")
    alarms = []
    for number in range(CLEAN_SYNCS):
        device = (laptop, desktop)[number % 2]
        if number % 5 == 0:  # edits, deletions and new files between syncs: real traffic, no tampering
            live = [rid for rid in world.ids if (r := device.session.store.get(rid)) and not r.deleted]
            record = device.session.store.get(rng.choice(live))
            device.session.save(record.with_fields(summary=f"Edit {number}"))
        if number % 40 == 7:
            file = tmp_path / f"clean-{number}.bin"
            file.write_bytes(rng.randbytes(1000))
            device.session.add_attachment(rng.choice(world.ids[:10]), file)
        report = device.service.sync()
        if report.repaired or not report.verified:
            alarms.append((number, report.repaired, report.mismatched_kinds))
    print(f"R8 clean syncs: {CLEAN_SYNCS}, false alarms: {len(alarms)}")
    assert alarms == []


@pytest.mark.xfail(strict=True, reason="the digest covers (id, revision), not contents: see the module doc")
def test_a_field_changed_without_a_new_revision_is_detected(make_client, server, tmp_path: Path) -> None:
    world = World(make_client("alice"), server, random.Random(SEED), tmp_path)
    record_id = world.plain_ids()[0]
    with world.server_db.write() as session:
        row = session.get(RecordRow, record_id)
        row.payload = {**row.payload, "fields": {"title": "Changed on the server by hand"}}
    report = SyncReport()
    world.engine().verify(report, repair=False)
    assert not report.verified
