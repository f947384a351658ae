"""A real ``imbizo-server`` process and devices that reach it through a FaultProxy (R5 and R6).

The server runs as its own process on a free loopback port (tests/support/server_process.py);
each device is a real profile store with the real sync client, whose every request goes
through a :class:`FaultProxy` (tests/support/fault_proxy.py) between the two. Devices sign in
on a clean link (the token is fetched straight from the server): the faults are for syncs.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from desktop.core.kinds import Kind
from desktop.core.records import Record
from desktop.store.replica import StoreReplica
from desktop.store.repository import RecordRepository
from sync import protocol as p
from sync.client import SyncClient
from sync.engine import SyncEngine
from sync.protocol import Role
from tests.support.fault_proxy import FaultProxy, Faults
from tests.support.server_process import running_server
from tests.sync.conftest import no_sleep_retry
from tests.sync.server.helpers import PASSWORD, add_users, make_settings

#: (connect, read) timeouts of the devices' clients: a hung link costs seconds, not a minute.
SHORT_TIMEOUT = (2.0, 3.0)


@dataclass(frozen=True)
class RealServer:
    """A running ``imbizo-server serve``: its address and its data folder (to look at its blobs)."""

    url: str
    data_dir: Path

    @property
    def address(self) -> tuple[str, int]:
        """(host, port) for a FaultProxy's upstream."""
        parts = urlsplit(self.url)
        return parts.hostname or "127.0.0.1", int(parts.port or 80)

    def blob_sha256(self, sha256: str) -> str | None:
        """The SHA-256 of the bytes the server keeps for blob ``sha256`` (None if it has none)."""
        path = self.data_dir / "blobs" / sha256[:2] / sha256
        if not path.is_file():
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()

    def token(self, user: str, device_id: str) -> str:
        """Sign ``user`` in from ``device_id`` straight to the server (no faults): the bearer token."""
        client = SyncClient(self.url, retry=no_sleep_retry())
        try:
            return client.login(user, PASSWORD, device_id).token
        finally:
            client.close()

    def direct_client(self, user: str) -> SyncClient:
        """A client of ``user`` on a clean link (for checking the server's state)."""
        return SyncClient(self.url, token=self.token(user, str(uuid.uuid4())), retry=no_sleep_retry())


@contextmanager
def fast_folder(prefix: str) -> Iterator[Path]:
    """A throw-away folder in memory where there is one (/dev/shm): these tests check the sync
    logic over a network, not durability (R1, R2 and R4 do), and fsyncs on a busy disk cost
    more than the network does."""
    base = "/dev/shm" if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(prefix=prefix, dir=base) as folder:
        yield Path(folder)


@contextmanager
def real_server(folder: Path, users: Mapping[str, str]) -> Iterator[RealServer]:
    """``imbizo-server`` with ``users`` ({name: role}, all with the test password).

    The first account is made by ``imbizo-server adduser`` (which also creates the database),
    the others straight in the database: a process per account costs seconds on a busy machine.
    """
    first, *others = users.items()
    with running_server(folder, {first[0]: (first[1], PASSWORD)}) as url:
        if others:
            settings = make_settings(folder, os.environ.get("DATABASE_URL"))
            add_users(settings, {name: Role(role) for name, role in others})
        yield RealServer(url, folder)


class LinkSwitch:
    """Turns a device's proxy faults off and on (``enabled``), as the in-process adapter does."""

    def __init__(self, proxy: FaultProxy, faults: Faults) -> None:
        self.proxy = proxy
        self.faults = faults

    @property
    def enabled(self) -> bool:
        """Whether the proxy injects this link's faults right now."""
        return self.proxy.faults == self.faults

    @enabled.setter
    def enabled(self, on: bool) -> None:
        self.proxy.set_faults(self.faults if on else Faults(seed=self.faults.seed))
        if not on:
            self.proxy.resume()  # a stall in progress ends too

    def close(self) -> None:
        """Stop the proxy (its threads are joined)."""
        self.proxy.stop()


@dataclass
class LinkDevice:
    """One device: its store and a client whose requests go through its own FaultProxy."""

    name: str
    store: RecordRepository
    client: SyncClient
    link: LinkSwitch

    @property
    def proxy(self) -> FaultProxy:
        """The device's proxy (counters, fault log)."""
        return self.link.proxy

    def engine(self, **options: Any) -> SyncEngine:
        """A sync engine over this device's store and link."""
        return SyncEngine(StoreReplica(self.store), self.client, **options)

    def close(self) -> None:
        """Close the client, the store and the proxy."""
        self.client.close()
        self.store.close()
        self.link.close()


def link_device(
    server: RealServer,
    folder: Path,
    name: str,
    faults: Faults,
    *,
    user: str = "alice",
    seed: int = 0,
    proxy: FaultProxy | None = None,
    timeout: tuple[float, float] = SHORT_TIMEOUT,
) -> LinkDevice:
    """A device with a new profile in ``folder``, signed in as ``user``, behind a proxy with
    ``faults`` (its own, started here, unless ``proxy`` is given: several devices on one link)."""
    store = RecordRepository(folder)
    device_id = StoreReplica(store).device_id()
    if proxy is None:
        proxy = FaultProxy(server.address, faults).start()
    client = SyncClient(
        proxy.url, token=server.token(user, device_id), timeout=timeout, retry=no_sleep_retry(seed)
    )
    return LinkDevice(name, store, client, LinkSwitch(proxy, faults))


def note(record_id: str, title: str) -> Record:
    """A small case study (what a person writes in the field)."""
    return Record(id=record_id, kind=Kind.CASE_STUDY, fields={"title": title, "summary": "Notes"})


def server_records(client: SyncClient) -> dict[str, p.RecordVersion]:
    """Every record the client's user sees on the server: id -> current version."""
    versions: dict[str, p.RecordVersion] = {}
    after: str | None = None
    for _ in range(10_000):
        page = client.index_page(after)
        for entry in page.entries:
            assert entry.id not in versions, f"the server's index lists {entry.id} twice"
            version = client.fetch_record(entry.id)
            assert version is not None, f"the index lists {entry.id}, which cannot be fetched"
            versions[entry.id] = version
        if page.next_after is None:
            break
        after = page.next_after
    return versions
