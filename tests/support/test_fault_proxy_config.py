"""The fault proxy's settings, its command line and how request fates are drawn."""

from __future__ import annotations

import pytest

from tests.support.fault_proxy import FaultProxy, build_parser, faults_from_args
from tests.support.fault_proxy_config import ByteFaults, Faults, faults_with, parse_rate
from tests.support.fault_proxy_conn import request_fate
from tests.support.fault_proxy_state import ProxyState


def test_settings_are_checked_and_changed_by_name() -> None:
    with pytest.raises(ValueError, match="probability"):
        Faults(drop_response=1.5)
    with pytest.raises(ValueError, match="low <= high"):
        ByteFaults(cut_after=(10, 5))
    faults = faults_with(Faults(seed=4), latency=0.3, up_rate=100.0, drop_request_on=[2, 3], down_cut_on={1})
    assert faults.up == ByteFaults(latency=0.3, rate=100.0)
    assert faults.down == ByteFaults(latency=0.3, cut_on=frozenset({1}))
    assert (faults.seed, faults.drop_request_on) == (4, frozenset({2, 3}))
    with pytest.raises(TypeError, match="unknown"):
        faults_with(Faults(), sideways_rate=1)


def test_rates_read_like_network_figures() -> None:
    assert parse_rate("256kbit") == 32_000
    assert parse_rate("32kB") == parse_rate("32000") == parse_rate("32kB/s") == 32_000
    assert parse_rate("1MiB") == 1024 * 1024
    with pytest.raises(ValueError):
        parse_rate("fast")


def test_the_command_line_names_every_setting() -> None:
    args = build_parser().parse_args(
        [
            "--upstream=127.0.0.1:9",
            "--seed=5",
            "--drop-response=0.3",
            "--duplicate-on=2,4",
            "--latency=0.3",
            "--up-latency=0.5",
            "--jitter=0.1",
            "--down-rate=256kbit",
            "--down-rate-shared",
            "--up-cut=0.5",
            "--up-cut-after=100:200",
            "--slice-bytes=8",
            "--down-stall-close",
        ]
    )
    assert args.upstream == ("127.0.0.1", 9)
    assert faults_from_args(args) == Faults(
        seed=5,
        drop_response=0.3,
        duplicate_on=frozenset({2, 4}),
        up=ByteFaults(latency=0.5, jitter=0.1, cut=0.5, cut_after=(100, 200), slice_bytes=(8, 8)),
        down=ByteFaults(
            latency=0.3, jitter=0.1, rate=32_000, rate_shared=True, slice_bytes=(8, 8), stall_close=True
        ),
    )


def test_request_fates_depend_on_the_seed_and_the_request_number_only() -> None:
    def fates(seed: int) -> list[str]:
        state = ProxyState(Faults(seed=seed, drop_request=0.2, drop_response=0.2, duplicate=0.2), "t")
        return [request_fate(state, n) for n in range(1, 200)]

    assert fates(1) == fates(1)
    assert fates(1) != fates(2)
    counts = {kind: fates(1).count(kind) for kind in ("drop_request", "drop_response", "duplicate")}
    assert all(count > 10 for count in counts.values()), counts
    # A schedule forces a fault whatever the draw; zero probabilities never fire otherwise.
    state = ProxyState(Faults(seed=1, duplicate_on=frozenset({3})), "t")
    assert [request_fate(state, n) for n in range(1, 6)] == ["pass", "pass", "duplicate", "pass", "pass"]


def test_only_loopback_addresses_are_accepted() -> None:
    with pytest.raises(ValueError, match="loopback"):
        FaultProxy(("10.1.2.3", 80))
    with pytest.raises(ValueError, match="loopback"):
        FaultProxy(("127.0.0.1", 80), listen=("0.0.0.0", 0))
