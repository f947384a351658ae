"""Devices, their acknowledged edits and the end-state checks for the sync kill tests (R4).

Each :class:`Device` is a real profile folder signed in to a real server. The test edits
it through its own :class:`RecordRepository` (a second process on the profile, as a
person typing while a sync runs), and the :class:`Oracle` notes every edit once its
commit returned: a *local ack*. Each device edits only the records it made, so there is
no real conflict and the oracle is exact: at the end every replica and the server must
hold, for every record, the last acknowledged content.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

from desktop.core.kinds import Kind
from desktop.core.records import Record
from desktop.store.repository import RecordRepository
from sync.protocol import CHUNK_BYTES
from tests.support.canonical import (
    bad_replica_files,
    bad_server_blobs,
    canonical_hash,
    first_difference,
    replica_export,
    server_export,
)

FIELDS = ("title", "summary", "lessons")
TAGS = ("water", "clinics", "roads", "schools")


@dataclass
class Expected:
    """The last acknowledged state of one record."""

    fields: dict[str, str]
    tags: tuple[str, ...] = ()
    deleted: bool = False
    attachments: set[str] = field(default_factory=set)


@dataclass
class Oracle:
    """Every acknowledged edit, per record (one writer per record: the device that made it)."""

    records: dict[str, Expected] = field(default_factory=dict)
    acked_ops: int = 0
    acked_files: int = 0


@dataclass
class Device:
    """One client profile: its folder, the test's own connection to its store, its tap file."""

    name: str
    profile: Path
    store: RecordRepository
    tap: Path
    server: int = 0  # index of the server process it talks to
    own: list[str] = field(default_factory=list)
    attempts: int = 0
    ops_left: int = 0
    files_left: int = 0
    files_waiting: bool = False  # a file was attached since this device's last whole sync

    def next_attempt(self) -> str:
        """A new attempt tag for the tap (one per sync child)."""
        self.attempts += 1
        return f"{self.name}#{self.attempts}"


def _live_own(device: Device, oracle: Oracle) -> list[str]:
    return [rid for rid in device.own if not oracle.records[rid].deleted]


def _file_bytes(rng: random.Random) -> bytes:
    """Mostly small files; one in five spans two or three upload chunks (so resumes happen mid-file)."""
    size = (
        rng.randint(CHUNK_BYTES + 1, 2 * CHUNK_BYTES + CHUNK_BYTES // 2)
        if rng.random() < 0.2
        else rng.randint(200, 48_000)
    )
    return rng.randbytes(size)


#: Beyond its budget a device goes on editing (so every sync has something to push); this share
#: of those edits attaches a file.
EXTRA_FILE_SHARE = 0.1


def attach(rng: random.Random, device: Device, oracle: Oracle, number: int, data: bytes | None = None) -> str:
    """Attach a file (random bytes) to one of the device's live records; the record's id."""
    record_id = rng.choice(_live_own(device, oracle))
    payload = data if data is not None else _file_bytes(rng)
    info = device.store.add_attachment(record_id, payload, f"file-{number}.bin", "application/octet-stream")
    oracle.records[record_id].attachments.add(info.sha256)
    device.files_left = max(0, device.files_left - 1)
    device.files_waiting = True
    oracle.acked_files += 1
    return record_id


def operate(rng: random.Random, device: Device, oracle: Oracle, number: int) -> str:
    """One acknowledged edit on ``device`` (create, field edit, tags, delete, attach, detach); its name.

    Files are spread over the device's remaining budget of operations (``ops_left``); past the
    budget, edits go on with a file now and then.
    """
    store = device.store
    live = _live_own(device, oracle)
    roll = rng.random()
    share = device.files_left / device.ops_left if device.ops_left > 0 else EXTRA_FILE_SHARE
    if live and (device.files_left or device.ops_left <= 0) and roll < share:
        attach(rng, device, oracle, number)
        kind = "attach"
    elif roll < 0.25 or not live:
        record_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        values = {"title": f"{device.name} record {number}", "summary": f"made at op {number}"}
        store.save(Record(id=record_id, kind=Kind.CASE_STUDY, fields=values))
        oracle.records[record_id] = Expected(fields=dict(values))
        device.own.append(record_id)
        kind = "create"
    elif roll < 0.75:
        record_id = rng.choice(live)
        name = rng.choice(FIELDS)
        value = f"{device.name}:{name}:{number}"
        current = store.get(record_id)
        assert current is not None, f"{device.name} lost its own record {record_id}"
        store.save(current.with_fields(**{name: value}))
        oracle.records[record_id].fields[name] = value
        kind = "edit"
    elif roll < 0.88:
        record_id = rng.choice(live)
        current = store.get(record_id)
        assert current is not None
        tags = tuple(sorted(set(current.tags) ^ {rng.choice(TAGS)}))
        store.save(current.with_changes(tags=tags))
        oracle.records[record_id].tags = tags
        kind = "tags"
    else:
        with_files = [rid for rid in live if oracle.records[rid].attachments]
        if roll < 0.94 or not with_files:
            record_id = rng.choice(live)
            store.delete(record_id)
            oracle.records[record_id].deleted = True
            kind = "delete"
        else:
            record_id = rng.choice(with_files)
            sha = sorted(oracle.records[record_id].attachments)[0]
            store.remove_attachment(record_id, sha)
            oracle.records[record_id].attachments.discard(sha)
            kind = "detach"
    device.ops_left -= 1
    oracle.acked_ops += 1
    return kind


def lost_edits(oracle: Oracle, exports: dict[str, dict[str, dict[str, dict[str, object]]]]) -> list[str]:
    """Every (replica or server, record) whose content is not the last acknowledged one."""
    lost = []
    for where, export in exports.items():
        records = export.get(Kind.CASE_STUDY.value, {})
        for record_id, expected in oracle.records.items():
            got = records.get(record_id)
            want = {
                "fields": expected.fields,
                "tags": sorted(expected.tags),
                "deleted": expected.deleted,
                "attachments": sorted(expected.attachments),
            }
            have = None if got is None else {key: got[key] for key in want}
            if have != want:
                lost.append(f"{where} {record_id}: has {have}, acknowledged {want}")
    return lost


def duplicate_rows(database_url: str, created: set[str]) -> list[str]:
    """Server rows that exist twice (record id, change id, stored revision) or that no device made."""
    found: list[str] = []
    queries = {
        "records doubled": "SELECT id FROM records GROUP BY id HAVING COUNT(*) > 1",
        "change ids doubled": "SELECT change_id FROM push_results GROUP BY change_id HAVING COUNT(*) > 1",
        "versions stored twice": (
            "SELECT record_id || ' ' || revision FROM record_history"
            " GROUP BY record_id, revision HAVING COUNT(*) > 1"
        ),
    }
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            for label, query in queries.items():
                found.extend(f"{label}: {row[0]}" for row in connection.execute(text(query)))
            ids = {row[0] for row in connection.execute(text("SELECT id FROM records"))}
    finally:
        engine.dispose()
    found.extend(f"record no device made: {rid}" for rid in sorted(ids - created))
    return found


def end_state_problems(
    devices: Sequence[Device], oracle: Oracle, database_url: str, blob_dir: Path
) -> list[str]:
    """Everything wrong with the end state (empty when all is well), for one assertion."""
    problems: list[str] = []
    server = server_export(database_url)
    exports = {"server": server} | {d.name: replica_export(d.store) for d in devices}
    problems.extend(lost_edits(oracle, exports))
    problems.extend(duplicate_rows(database_url, set(oracle.records)))
    for device in devices:
        waiting = device.store.outbox_entries(state="pending")
        held = [e for e in device.store.outbox_entries() if e.state in ("conflict", "rejected")]
        problems.extend(f"{device.name} outbox still holds {e.record_id} ({e.state})" for e in waiting + held)
        if canonical_hash(exports[device.name]) != canonical_hash(server):
            problems.append(
                f"{device.name} differs from the server: {first_difference(exports[device.name], server)}"
            )
        problems.extend(
            f"{device.name} file missing or damaged: {bad}" for bad in bad_replica_files(device.store)
        )
    problems.extend(f"server blob damaged: {sha}" for sha in bad_server_blobs(database_url, blob_dir))
    return problems
