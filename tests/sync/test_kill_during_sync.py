"""R4: kill -9 during sync, of the client and of the server (RELIABILITY.md 4.1).

Real ``imbizo-server`` processes (two sharing one PostgreSQL database and blob folder, or
one on SQLite) and three real client processes: one account on three devices, each
with a backlog of edits and attachments (200 operations and 20 files per device). Each
sync runs in its own process, which is SIGKILLed at a seeded point: while a push, an
upload chunk or a pull page is in flight, or after a random delay; some syncs run to
their end. Meanwhile the test keeps editing each profile from another process, as a
person typing during a sync. Then the server itself is SIGKILLed during pushes and
uploads and restarted on the same database. Finally every device syncs until nothing
changes, and the checks are:

- 0 lost acknowledged edits: every record, on every replica and on the server, holds
  the last content whose local commit returned (each device edits only its own records,
  so the expected end state is exact);
- 0 duplicate server rows: record ids, change ids (the idempotency keys) and stored
  versions each appear once, and the server holds no record that no device made;
- every outbox is empty (nothing pending, in conflict or refused);
- every replica's canonical hash equals the server's; every file hashes to its SHA-256;
- resume cost: in each sync, the changes and chunk bytes sent again are at most one
  batch and one chunk per interruption before or during it (from a wire tap in the
  client processes that survives their kill).

Sizes: ``IMBIZO_R4_KILLS`` client kills (PR default 60, nightly 500) and
``IMBIZO_R4_SERVER_KILLS`` server kills (PR default 4, nightly 200), shared between
the backends (PostgreSQL gets two thirds); ``IMBIZO_R4_SEED`` replays a kill plan.
"""

from __future__ import annotations

import math
import os
import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from desktop.store.repository import RecordRepository
from sync.protocol import CHUNK_BYTES, MAX_PUSH_CHANGES, Role
from tests.support.postgres import PostgresCluster
from tests.support.sync_child import ChildOptions, ChildSync, sign_in, start_sync
from tests.support.sync_processes import ServerProcess, server_group
from tests.support.sync_tap import read_tap
from tests.support.sync_world import Device, Oracle, attach, end_state_problems, operate
from tests.sync.server.helpers import PASSWORD

KILLS = int(os.environ.get("IMBIZO_R4_KILLS", "60"))
SERVER_KILLS = int(os.environ.get("IMBIZO_R4_SERVER_KILLS", "4"))
SEED = int(os.environ.get("IMBIZO_R4_SEED", "4"))
OPS, FILES = int(os.environ.get("IMBIZO_R4_OPS", "200")), int(os.environ.get("IMBIZO_R4_FILES", "20"))
DEVICES = 3
#: The share of each device's operations made before its first sync (the rest come during syncs).
BACKLOG_SHARE = 0.4
#: Where a client kill lands: at a request of this kind in flight, after a random delay, or nowhere.
KILL_MODES = {"push": 0.35, "chunk": 0.15, "pull": 0.15, "time": 0.25, "none": 0.10}
QUIESCENCE_ROUNDS = 6
CLIENT = ChildOptions(attempts=3, base_delay=0.05, max_delay=0.5)
#: Patient enough to wait out a server restart (about two seconds) most of the time.
PATIENT = ChildOptions(attempts=8, base_delay=0.25, max_delay=2.0)
#: Seconds any one sync child may take (a hang is a failure, never a wait without end).
CHILD_LIMIT = 120.0


def _share(total: int, backend: str) -> int:
    return math.ceil(total * 2 / 3) if backend == "postgresql" else total - math.ceil(total * 2 / 3)


@dataclass
class Run:
    """One backend's run: servers, devices, what was acknowledged, and what happened."""

    seed: int
    backend: str
    servers: list[ServerProcess]
    devices: list[Device]
    database_url: str
    blob_dir: Path
    oracle: Oracle = field(default_factory=Oracle)
    plan: random.Random = field(default_factory=random.Random)
    kills: int = 0
    server_kills: int = 0
    syncs: Counter[str] = field(default_factory=Counter)  # outcome -> count
    modes: Counter[str] = field(default_factory=Counter)  # kill mode of the killed syncs
    interruptions: Counter[str] = field(default_factory=Counter)  # attempt tag -> before or during it
    last_outcome: dict[str, str] = field(default_factory=dict)  # device -> killed, done, error
    window: dict[str, float] = field(default_factory=dict)  # device -> seconds of a whole sync (EMA)
    op_rngs: dict[str, random.Random] = field(default_factory=dict)
    ops_done: int = 0
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))  # printed, never asserted

    def where(self) -> str:
        return f"R4 {self.backend} seed {self.seed} (replay: IMBIZO_R4_SEED={self.seed // 10})"

    def edit(self, device: Device) -> None:
        begun = time.monotonic()
        operate(self.op_rngs[device.name], device, self.oracle, self.ops_done)
        self.ops_done += 1
        self.seconds["editing"] += time.monotonic() - begun


def _matches(mode: str, method: str, path: str) -> bool:
    return (
        (mode == "push" and path.endswith("/sync/push"))
        or (mode == "chunk" and method == "PUT" and "/blobs/uploads/" in path)
        or (mode == "pull" and path.endswith("/sync/pull"))
    )


def _begin(run: Run, device: Device, options: ChildOptions) -> tuple[ChildSync, float]:
    """Start a sync child and wait until it has opened the profile; (child, start time)."""
    tag = device.next_attempt()
    if run.last_outcome.get(device.name, "done") != "done":
        run.interruptions[tag] += 1  # what the previous sync left half done is resent here
    options = replace(options, seed=run.plan.randrange(1 << 30), log_file=str(device.tap.with_suffix(".log")))
    begun = time.monotonic()
    child = start_sync(device.profile, device.tap, tag, options)
    deadline = begun + CHILD_LIMIT
    while not child.started and child.outcome is None:
        if child.poll(1.0) is None and (not child.alive or time.monotonic() > deadline):
            raise AssertionError(f"{run.where()}: sync child {tag} did not start")
    run.seconds["child start"] += time.monotonic() - begun
    return child, time.monotonic()


def _end(run: Run, device: Device, child: ChildSync, started: float) -> str:
    """Wait for a child that was not killed; note its outcome."""
    outcome = child.finish(CHILD_LIMIT)
    assert outcome[0] != "crash", f"{run.where()}: sync child {child.attempt} crashed:\n{outcome[2]}"
    kind = "done" if outcome[0] == "done" else "error"
    run.seconds[f"sync {kind}"] += time.monotonic() - started
    if kind == "done":
        device.files_waiting = False
        seconds = time.monotonic() - started
        run.window[device.name] = 0.7 * run.window.get(device.name, seconds) + 0.3 * seconds
    run.syncs[kind] += 1
    run.last_outcome[device.name] = kind
    return kind


def _killed_sync(run: Run, device: Device, quota: int) -> None:
    """One sync that is SIGKILLed at its planned point (if it gets there); edits go on meanwhile."""
    mode = run.plan.choices(list(KILL_MODES), weights=list(KILL_MODES.values()))[0]
    if mode == "chunk" and not device.files_waiting:
        mode = "push"  # no upload to cut in this sync
    skip, delay, fraction = run.plan.randint(0, 1), run.plan.uniform(0.0, 0.03), run.plan.random()
    child, started = _begin(run, device, CLIENT)
    kill_at = started + fraction * run.window.get(device.name, 2.0) if mode == "time" else None
    seen = edits = 0
    while child.outcome is None:
        now = time.monotonic()
        if kill_at is not None and now >= kill_at:
            child.kill()
            if child.killed:
                run.kills += 1
                run.modes[mode] += 1
                run.syncs["killed"] += 1
                run.seconds["sync killed"] += time.monotonic() - started
                run.last_outcome[device.name] = "killed"
                return
            break
        if now - started > CHILD_LIMIT:
            child.kill()
            raise AssertionError(f"{run.where()}: sync child {child.attempt} ran for {CHILD_LIMIT} s")
        if edits < quota:
            run.edit(device)
            edits += 1
        message = child.poll(0.0 if edits < quota else 0.005)
        if message is None and not child.alive:
            break
        if message is not None and message[0] == "req" and kill_at is None and _matches(mode, *message[1:]):
            if seen == skip:
                kill_at = time.monotonic() + delay
            seen += 1
    _end(run, device, child, started)


def _client_kills(run: Run, kills: int) -> None:
    planned = max(1, math.ceil(kills / DEVICES / 0.8))
    for device in run.devices:
        for _ in range(round(device.ops_left * BACKLOG_SHARE)):
            run.edit(device)
    quota = max(2, math.ceil(max(d.ops_left for d in run.devices) / planned))
    for number in range(kills * 4):  # bounded: most syncs are killed, a few run to the end
        if run.kills >= kills:
            break
        _killed_sync(run, run.devices[number % DEVICES], quota)
    for device in run.devices:
        while device.ops_left > 0:
            run.edit(device)


def _server_kills(run: Run, kills: int) -> None:
    """Kill the server a device talks to while its push (or upload) is in flight; restart it at once."""
    for number in range(kills):
        device = run.devices[number % DEVICES]
        device.ops_left, device.files_left = 60, 0
        while device.ops_left > 0:
            run.edit(device)
        target = "chunk" if number % 3 == 2 else "push"
        if target == "chunk":  # a file of three chunks: the kill lands while its upload goes on
            attach(
                run.op_rngs[device.name],
                device,
                run.oracle,
                run.ops_done,
                run.plan.randbytes(3 * CHUNK_BYTES),
            )
        delay = run.plan.uniform(0.0, 0.05)
        child, started = _begin(run, device, PATIENT)
        while child.outcome is None:
            message = child.poll(0.01)
            if message is None and not child.alive:
                break
            if message is not None and message[0] == "req" and _matches(target, *message[1:]):
                time.sleep(delay)
                server = run.servers[device.server]
                server.kill()
                run.server_kills += 1
                run.interruptions[child.attempt] += 1
                begun = time.monotonic()
                server.start()
                run.seconds["server restart"] += time.monotonic() - begun
                break
            if time.monotonic() - started > CHILD_LIMIT:
                raise AssertionError(f"{run.where()}: sync child {child.attempt} never pushed")
        _end(run, device, child, started)


def _quiesce(run: Run) -> int:
    """Every device syncs, round after round, until a whole round changes nothing; the rounds used."""
    for round_number in range(1, QUIESCENCE_ROUNDS + 1):
        moved = 0
        for device in run.devices:
            child, _started = _begin(run, device, CLIENT)
            outcome = child.finish(CHILD_LIMIT)
            assert outcome[0] == "done", f"{run.where()}: {device.name} could not sync at the end: {outcome}"
            report = outcome[1]
            moved += sum(report[k] for k in ("pushed", "pulled", "merged", "uploaded", "downloaded"))
            moved += report["pending"] + report["conflicts"]
            run.last_outcome[device.name] = "done"
        if not moved:
            return round_number
    raise AssertionError(f"{run.where()}: still changing after {QUIESCENCE_ROUNDS} rounds of syncs")


def _step(request: str) -> str:
    """The sync step a request ("METHOD /api/v1/...") belongs to, for the kill-position counts."""
    method, path = request.split(" ", 1)
    if "/blobs/uploads" in path:
        return "chunk" if method == "PUT" else "upload start"
    if "/blobs/" in path:
        return "download"
    return path.rsplit("/", 1)[-1]


def _resend_problems(run: Run) -> tuple[list[str], dict[str, int]]:
    problems, totals = [], Counter[str]()
    for device in run.devices:
        tap = read_tap(device.tap)
        totals["requests"] += sum(tap.requests.values())
        totals["changes sent"] += tap.changes_sent
        totals["changes resent"] += sum(tap.resent_changes.values())
        totals["chunk bytes sent"] += tap.chunk_bytes_sent
        totals["chunk bytes resent"] += sum(tap.resent_chunk_bytes.values())
        for attempt in tap.attempts:
            allowed = run.interruptions[attempt]
            if tap.resent_changes[attempt] > MAX_PUSH_CHANGES * allowed:
                problems.append(
                    f"{attempt} resent {tap.resent_changes[attempt]} changes after {allowed} cuts"
                )
            if tap.resent_chunk_bytes[attempt] > CHUNK_BYTES * allowed:
                problems.append(
                    f"{attempt} resent {tap.resent_chunk_bytes[attempt]} chunk bytes after {allowed} cuts"
                )
        for request in tap.in_flight.values():
            totals[f"killed during {_step(request)}"] += 1
    return problems, dict(totals)


@pytest.fixture(params=["postgresql", "sqlite"])
def run(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Run]:
    """Servers on the backend with alice, three signed-in devices of hers, open stores for editing."""
    backend: str = request.param
    database_url = None
    if backend == "postgresql":
        cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
        database_url = cluster.create_database()
    processes = 2 if backend == "postgresql" else 1
    with server_group(tmp_path, database_url, {"alice": Role.STAFF}, processes=processes) as servers:
        devices = []
        for number in range(DEVICES):
            profile = tmp_path / f"device-{number}"
            server = number % len(servers)
            sign_in(profile, servers[server].url, "alice", PASSWORD)
            store = RecordRepository(profile)
            devices.append(Device(f"d{number}", profile, store, tmp_path / f"tap-{number}.jsonl", server))
        seed = SEED * 10 + (backend == "sqlite")
        made = Run(
            seed,
            backend,
            servers,
            devices,
            database_url or f"sqlite:///{tmp_path / 'server.db'}",
            tmp_path / "blobs",
        )
        made.plan = random.Random(f"{seed}:plan")
        made.op_rngs = {d.name: random.Random(f"{seed}:ops:{d.name}") for d in devices}
        try:
            yield made
        finally:
            for device in devices:
                device.store.close()
    if database_url:
        cluster.drop_database(database_url)


@pytest.mark.timeout(300 + 6 * (KILLS + 3 * SERVER_KILLS))
def test_no_edit_lost_or_doubled_when_client_and_server_are_killed_during_sync(run: Run) -> None:
    started = time.monotonic()
    kills, server_kills = _share(KILLS, run.backend), _share(SERVER_KILLS, run.backend)
    print(f"\n{run.where()}: {kills} client kills, {server_kills} server kills")
    for device in run.devices:
        device.ops_left, device.files_left = OPS, FILES
    phases = {}
    for name, phase in (
        ("client kills", lambda: _client_kills(run, kills)),
        ("server kills", lambda: _server_kills(run, server_kills)),
        ("quiescence", lambda: _quiesce(run)),
    ):
        begun = time.monotonic()
        rounds = phase()
        phases[name] = round(time.monotonic() - begun, 1)
    resend, totals = _resend_problems(run)
    totals["killed between requests"] = run.kills - sum(
        count for name, count in totals.items() if name.startswith("killed during")
    )
    print(
        f"{run.where()}: {run.kills} client kills {dict(run.modes)}, {run.server_kills} server kills, "
        f"syncs {dict(run.syncs)}, {run.oracle.acked_ops} acknowledged edits "
        f"({run.oracle.acked_files} files), "
        f"quiescent after {rounds} rounds, {totals}, {time.monotonic() - started:.0f} s {phases}, "
        f"{ {k: round(v, 1) for k, v in run.seconds.items()} }"
    )
    assert run.kills == kills, f"{run.where()}: only {run.kills} of {kills} kills landed during a sync"
    assert run.server_kills == server_kills, f"{run.where()}: only {run.server_kills} server kills landed"
    problems = end_state_problems(run.devices, run.oracle, run.database_url, run.blob_dir)
    assert not problems, f"{run.where()}: {len(problems)} problems:\n" + "\n".join(problems[:40])
    assert not resend, f"{run.where()}: resume cost too high:\n" + "\n".join(resend[:40])
