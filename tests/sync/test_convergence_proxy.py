"""R5 over a real network: the convergence fuzz of test_convergence.py, with every device talking
HTTP through the fault proxy to a real ``imbizo-server`` process.

The in-process fuzz (test_convergence.py) runs many seeds fast through an ASGI adapter; this
one runs a few seeds over real sockets, where the faults are the network's own: a request
dropped before the server, an answer dropped after the server committed (the duplicate-maker),
a request delivered twice, latency with jitter, a request cut mid-body (FIN), an answer cut by
a reset (RST). The model and the oracle are the same (imported): every replica equals the
server, no record doubled, no edit lost (present, overwritten after being seen, or kept as a
conflict side), no deletion resurrected, converged within 3 heal rounds.

Each seed has an account of its own on one server process. ``IMBIZO_R5_PROXY_SEEDS`` sets the
number of seeds (2 by default, 10 with ``IMBIZO_LONG=1``), ``IMBIZO_R5_PROXY_OPS`` the
operations per device (60; 200 with ``IMBIZO_LONG=1``); ``IMBIZO_SEED=<n>`` replays one seed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.store.replica import StoreReplica
from desktop.store.repository import RecordRepository
from sync.client import SyncClient
from tests.support.asgi_transport import Faults as AdapterFaults
from tests.support.fault_proxy import ByteFaults, FaultProxy, Faults
from tests.sync.conftest import no_sleep_retry
from tests.sync.real_link import SHORT_TIMEOUT, LinkSwitch, RealServer, fast_folder, real_server
from tests.sync.test_convergence import Device, run_and_check

LONG = os.environ.get("IMBIZO_LONG") == "1"
DEVICES = 3
SEEDS = int(os.environ.get("IMBIZO_R5_PROXY_SEEDS", "10" if LONG else "2"))
OPERATIONS = int(os.environ.get("IMBIZO_R5_PROXY_OPS", "200" if LONG else "60"))
#: Seeds of this test start here, so they never replay the in-process test's fault draws.
SEED_BASE = 5000


def _seeds() -> list[int]:
    replay = os.environ.get("IMBIZO_SEED")
    return [int(replay)] if replay else [SEED_BASE + n for n in range(SEEDS)]


def _account(seed: int) -> str:
    return f"r5seed{seed}"


@pytest.fixture(scope="module")
def real() -> Iterator[RealServer]:
    """One ``imbizo-server`` process (in memory); each seed syncs as an account of its own."""
    users = {"alice": "staff", **{_account(seed): "staff" for seed in _seeds()}}
    with fast_folder("imbizo-r5-server-") as folder, real_server(folder, users) as found:
        yield found


@pytest.fixture
def profiles() -> Iterator[Path]:
    """The devices' profiles, in memory too."""
    with fast_folder("imbizo-r5-devices-") as folder:
        yield folder


def _faults(seed: int) -> Faults:
    """R5's request faults (p_req = p_resp = 0.3, p_dup = 0.05) on a real link, plus its bytes'
    faults: a little latency with jitter, requests cut mid-body, answers cut by a reset."""
    return Faults(
        seed=seed,
        drop_request=0.3,
        drop_response=0.3,
        duplicate=0.05,
        up=ByteFaults(latency=0.001, jitter=0.001, cut=0.1, cut_after=(0, 1500)),
        down=ByteFaults(latency=0.001, jitter=0.001, reset=0.1, reset_after=(0, 1500)),
    )


def _device(real: RealServer, folder: Path, index: int, seed: int) -> Device:
    """A device of the seed's account behind a proxy of its own (signed in on a clean link)."""
    store = RecordRepository(folder / f"device-{index}")
    faults = _faults(seed * 100 + index)
    proxy = FaultProxy(real.address, faults).start()
    token = real.token(_account(seed), StoreReplica(store).device_id())
    client = SyncClient(
        proxy.url, token=token, timeout=SHORT_TIMEOUT, retry=no_sleep_retry(seed * 100 + index)
    )
    # The shared oracle reads ``adapter.enabled`` to heal the link; the proxy plays the adapter.
    return Device(f"device-{index}", store, client, AdapterFaults(), LinkSwitch(proxy, faults))


@pytest.mark.timeout(600)
@pytest.mark.parametrize("seed", _seeds())
def test_devices_converge_over_a_real_lossy_link(real: RealServer, profiles: Path, seed: int) -> None:
    devices = [_device(real, profiles, index, seed) for index in range(DEVICES)]
    try:
        oracle, rounds = run_and_check(seed, devices, OPERATIONS)
        fired: dict[str, int] = {}
        for device in devices:
            for kind, count in device.adapter.proxy.stats().faults.items():
                fired[kind] = fired.get(kind, 0) + count
        print(f"R5 over the proxy, seed {seed}: {len(oracle.created)} records, {rounds} heal rounds, {fired}")
        wanted = {"drop_request", "drop_response", "duplicate", "cut", "reset"}
        assert wanted <= fired.keys(), f"seed {seed}: the faults did not fire: {fired}"
    finally:
        for device in devices:
            device.client.close()
            device.store.close()
            device.adapter.close()
