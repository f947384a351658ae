"""R9: the edit-during-upload race (DHIS2's UPLOADING rule; RELIABILITY.md 4.1).

A real ``imbizo-server`` process behind the fault proxy; a real profile syncing over it.
In each race the sync's push (or an upload chunk) is held in the proxy, mid-request:
either before the server saw it, or after the server committed and while its answer is
on the way. While it hangs, the person edits the very record being pushed (a field, its
tags, a new file, a deletion). Then the proxy lets go and the sync finishes. Checks:

- after that sync, no record is marked synced whose latest local version the server
  lacks (0 in every race);
- after the next sync, the server holds the newer version (100% of races).

``IMBIZO_R9_RACES`` sets the number of races (PR default 40, RELIABILITY's figure 200);
``IMBIZO_R9_SEED`` replays one plan.
"""

from __future__ import annotations

import os
import random
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from desktop.core.kinds import Kind
from desktop.core.records import Record
from desktop.store.replica import StoreReplica
from desktop.store.repository import RecordRepository
from sync.client import RetryPolicy, SyncClient, SyncError
from sync.engine import SyncEngine
from sync.protocol import Role
from tests.support.canonical import replica_export, server_export
from tests.support.fault_proxy import Direction, FaultProxy
from tests.support.sync_processes import server_group
from tests.sync.server.helpers import PASSWORD

RACES = int(os.environ.get("IMBIZO_R9_RACES", "40"))
SEED = int(os.environ.get("IMBIZO_R9_SEED", "9"))
#: Where the request hangs: the push before the server, the push's answer after the server
#: committed, or an upload chunk before the server.
HOLDS = (("push", Direction.UP), ("push", Direction.DOWN), ("chunk", Direction.UP), ("chunk", Direction.DOWN))
EDITS = ("field", "tags", "attach", "delete")
KIND = Kind.CASE_STUDY.value


class HoldingSession(requests.Session):
    """Calls ``hook`` just before the first request that ``wanted`` matches, once per arming."""

    def __init__(self) -> None:
        super().__init__()
        self.wanted: Callable[[str, str], bool] | None = None
        self.hook: Callable[[], None] = lambda: None

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        """Send, after the hook when this is the request the race waits for."""
        wanted, self.wanted = self.wanted, None
        if wanted is not None and not wanted(str(method), str(url)):
            self.wanted = wanted
        elif wanted is not None:
            self.hook()
        return super().request(method, url, *args, **kwargs)


@dataclass
class Racer:
    """The profile, its client through the proxy, and what each race expects."""

    store: RecordRepository
    client: SyncClient
    http: HoldingSession
    proxy: FaultProxy
    database_url: str
    rng: random.Random
    mine: list[str] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)

    def sync(self) -> None:
        SyncEngine(StoreReplica(self.store), self.client).sync()


def _matcher(target: str) -> Callable[[str, str], bool]:
    if target == "push":
        return lambda method, url: url.endswith("/sync/push")
    return lambda method, url: method == "PUT" and "/blobs/uploads/" in url


def _new_record(racer: Racer, label: str) -> str:
    record_id = str(uuid.UUID(int=racer.rng.getrandbits(128), version=4))
    racer.store.save(Record(id=record_id, kind=Kind.CASE_STUDY, fields={"title": label, "summary": "first"}))
    racer.mine.append(record_id)
    return record_id


def _edit(racer: Racer, record_id: str, kind: str, number: int) -> None:
    """The person's edit of the record whose upload hangs (committed: acknowledged)."""
    current = racer.store.get(record_id)
    assert current is not None
    if kind == "field":
        racer.store.save(current.with_fields(summary=f"edited while uploading {number}"))
    elif kind == "tags":
        racer.store.save(current.with_changes(tags=(*current.tags, f"race-{number}")))
    elif kind == "attach":
        racer.store.add_attachment(
            record_id, racer.rng.randbytes(3000), f"late-{number}.bin", "application/octet-stream"
        )
    else:
        racer.store.delete(record_id)


def _stale_synced(racer: Racer) -> list[str]:
    """Records marked synced here whose latest local version the server does not hold."""
    local = replica_export(racer.store).get(KIND, {})
    server = server_export(racer.database_url).get(KIND, {})
    keys = ("fields", "tags", "deleted", "attachments")
    stale = []
    for record_id, entry in local.items():
        if racer.store.sync_state(record_id) != "synced":
            continue
        held = server.get(record_id)
        if held is None or any(entry[k] != held[k] for k in keys):
            stale.append(
                f"{record_id}: here {[entry[k] for k in keys]}, server {held and [held[k] for k in keys]}"
            )
    return stale


def _race(racer: Racer, number: int) -> None:
    """Hold the upload of one record mid-request, edit that record, let go; check both syncs."""
    target, direction = HOLDS[number % len(HOLDS)]
    edit = racer.rng.choice(EDITS)
    live = [rid for rid in racer.mine if not racer.store.get(rid).deleted]  # type: ignore[union-attr]
    record_id = (
        racer.rng.choice(live) if live and racer.rng.random() < 0.5 else _new_record(racer, f"race {number}")
    )
    current = racer.store.get(record_id)
    assert current is not None
    racer.store.save(current.with_fields(title=f"race {number} pushed"))
    for extra in range(racer.rng.randint(0, 3)):  # the held batch carries other records too
        _new_record(racer, f"race {number} companion {extra}")
    if target == "chunk":
        racer.store.add_attachment(
            record_id,
            racer.rng.randbytes(racer.rng.randint(500, 90_000)),
            f"f{number}.bin",
            "application/octet-stream",
        )
    armed = threading.Event()

    def hold() -> None:
        racer.proxy.pause(direction)
        armed.set()

    racer.http.hook, racer.http.wanted = hold, _matcher(target)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            racer.sync()
        except (SyncError, AssertionError) as exc:
            errors.append(exc)

    worker = threading.Thread(target=run, name=f"r9-sync-{number}")
    worker.start()
    where = f"R9 seed {SEED} race {number} ({target} held {direction}, {edit}; replay: IMBIZO_R9_SEED={SEED})"
    try:
        assert armed.wait(30), f"{where}: the sync never sent the request to hold"
        assert racer.proxy.wait_held(1, timeout=30), f"{where}: the proxy held nothing"
        _edit(racer, record_id, edit, number)
        expected = replica_export(racer.store, [record_id])[KIND][record_id]
    finally:
        racer.proxy.resume()
        worker.join(60)
    assert not worker.is_alive(), f"{where}: the sync did not finish after the hold"
    assert not errors, f"{where}: the held sync failed: {errors[0]}"
    stale = _stale_synced(racer)
    assert not stale, f"{where}: marked synced but the server lacks the latest version:\n" + "\n".join(stale)
    state = racer.store.sync_state(record_id)
    racer.outcomes[state] = racer.outcomes.get(state, 0) + 1
    racer.sync()
    held = server_export(racer.database_url, [record_id])[KIND][record_id]
    keys = ("fields", "tags", "deleted", "attachments")
    assert [held[k] for k in keys] == [expected[k] for k in keys], (
        f"{where}: the next sync did not upload the edit"
    )
    assert racer.store.sync_state(record_id) == "synced", (
        f"{where}: still {racer.store.sync_state(record_id)}"
    )


@pytest.fixture
def racer(tmp_path: Path) -> Iterator[Racer]:
    """alice's profile syncing with a real server (SQLite) through the fault proxy."""
    with (
        server_group(tmp_path, None, {"alice": Role.STAFF}) as servers,
        FaultProxy(("127.0.0.1", servers[0].port)) as proxy,
    ):
        store = RecordRepository(tmp_path / "profile")
        http = HoldingSession()
        retry = RetryPolicy(attempts=3, base_delay=0.05, max_delay=0.2, rng=random.Random(SEED))
        client = SyncClient(proxy.url, session=http, retry=retry)
        client.login("alice", PASSWORD, StoreReplica(store).device_id())
        try:
            yield Racer(
                store, client, http, proxy, f"sqlite:///{tmp_path / 'server.db'}", random.Random(SEED)
            )
        finally:
            http.close()
            store.close()


@pytest.mark.timeout(120 + 3 * RACES)
def test_an_edit_while_its_upload_hangs_is_never_marked_synced_and_goes_up_next(racer: Racer) -> None:
    print(f"\nR9 seed {SEED} (replay: IMBIZO_R9_SEED={SEED}): {RACES} races")
    racer.sync()
    for number in range(RACES):
        _race(racer, number)
    print(
        f"R9 seed {SEED}: {RACES} races, 0 records marked synced that the server lacked; "
        f"the raced record after the held sync: {racer.outcomes}"
    )
    assert sum(racer.outcomes.values()) == RACES
