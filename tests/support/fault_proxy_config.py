"""What the fault proxy injects: immutable settings, replaced as a whole when a test changes them.

Every fault is off by default. A fault that happens once (drop, duplicate, cut, reset, stall)
has a probability and a schedule (the numbers of the requests or connections that always
get it); both are drawn from ``random.Random`` streams derived from ``seed``, so a failing
run replays from its seed. See ``fault_proxy.py`` for when each setting takes effect.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


class Direction(enum.StrEnum):
    """A direction of a proxied connection."""

    UP = "up"  # client to server: requests
    DOWN = "down"  # server to client: responses


def _check_probability(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} is a probability: {value} is not between 0 and 1")


def _check_range(name: str, value: tuple[float, float]) -> None:
    if len(value) != 2 or not 0 <= value[0] <= value[1]:
        raise ValueError(f"{name} must be (low, high) with 0 <= low <= high, not {value!r}")


def _freeze(instance: object) -> None:
    """Turn lists into tuples and iterables of numbers into frozensets, so settings stay hashable."""
    for f in dataclasses.fields(instance):  # type: ignore[arg-type]
        value = getattr(instance, f.name)
        if f.name.endswith("_on"):
            object.__setattr__(instance, f.name, frozenset(int(n) for n in value))
        elif isinstance(value, list):
            object.__setattr__(instance, f.name, tuple(value))


@dataclass(frozen=True)
class ByteFaults:
    """Faults on the bytes of one direction of every connection; they work on any TCP stream.

    Offsets (``*_after``) count the bytes of that direction since the connection opened,
    keep-alive requests included. Probabilities are drawn once per connection.
    """

    latency: float = 0.0  # seconds added to every chunk (pipelined: chunks are not delayed one after another)
    jitter: float = 0.0  # +- seconds, uniform, added to the latency of each chunk (never below zero)
    rate: float = 0.0  # bytes per second through a token bucket; 0 = unlimited
    rate_shared: bool = False  # one bucket for all connections (one shared link) instead of one each
    slice_bytes: tuple[int, int] | None = None  # forward in slices of randint(low, high) bytes
    slice_delay: tuple[float, float] = (0.0, 0.0)  # seconds between slices, uniform
    cut: float = 0.0  # limit_data: forward the first N bytes, then close both sides (FIN)
    cut_after: tuple[int, int] = (0, 65536)  # N, uniform
    cut_on: frozenset[int] = field(default_factory=frozenset)  # connection numbers always cut
    reset: float = 0.0  # forward the first N bytes, then close both sides with an RST
    reset_after: tuple[int, int] = (0, 65536)
    reset_on: frozenset[int] = field(default_factory=frozenset)
    stall: float = 0.0  # forward the first N bytes, then nothing for stall_for seconds or until resume()
    stall_after: tuple[int, int] = (0, 65536)
    stall_on: frozenset[int] = field(default_factory=frozenset)
    stall_for: float = 1.0  # 0 = a hang: until resume(), the connection's end or the idle timeout
    stall_close: bool = False  # after the stall, close instead of going on (toxiproxy's timeout)

    def __post_init__(self) -> None:
        _freeze(self)
        for name in ("cut", "reset", "stall"):
            _check_probability(name, getattr(self, name))
        for name in ("cut_after", "reset_after", "stall_after", "slice_delay"):
            _check_range(name, getattr(self, name))
        if self.slice_bytes is not None:
            _check_range("slice_bytes", self.slice_bytes)
            if self.slice_bytes[0] < 1:
                raise ValueError("slice_bytes must be at least 1 byte")
        if min(self.latency, self.jitter, self.rate, self.stall_for) < 0:
            raise ValueError("latency, jitter, rate and stall_for cannot be negative")


@dataclass(frozen=True)
class Faults:
    """All the proxy's settings. Request numbers and connection numbers start at 1."""

    seed: int = 0
    up: ByteFaults = field(default_factory=ByteFaults)
    down: ByteFaults = field(default_factory=ByteFaults)
    # Whole HTTP requests (mode "http" only); at most one of the three per request, in this order.
    drop_request: float = 0.0  # read the request, close without forwarding: the server sees nothing
    drop_request_on: frozenset[int] = field(default_factory=frozenset)
    drop_response: float = 0.0  # the server answers in full (it committed), the client gets a close
    drop_response_on: frozenset[int] = field(default_factory=frozenset)
    # duplicate: a copy goes first on a second connection and its answer is read and discarded,
    # then the original goes up; the client gets the original's answer (the server's second).
    # If the copy cannot connect, only the original goes (logged as duplicate_failed).
    duplicate: float = 0.0
    duplicate_on: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        _freeze(self)
        for name in ("drop_request", "drop_response", "duplicate"):
            _check_probability(name, getattr(self, name))

    def direction(self, direction: Direction) -> ByteFaults:
        """The byte faults of ``direction``."""
        return self.up if direction is Direction.UP else self.down


_TOP = frozenset(f.name for f in dataclasses.fields(Faults)) - {"up", "down"}
_BYTES = frozenset(f.name for f in dataclasses.fields(ByteFaults))


def faults_with(base: Faults, **changes: Any) -> Faults:
    """``base`` with ``changes``: ``seed=``, ``drop_response=``..., ``up_rate=``, ``down_latency=``,
    or a bare byte-fault name (``latency=``) for both directions."""
    top: dict[str, Any] = {}
    per: dict[Direction, dict[str, Any]] = {Direction.UP: {}, Direction.DOWN: {}}
    for key, value in changes.items():
        prefix, _, rest = key.partition("_")
        if key in _TOP or key in ("up", "down"):
            top[key] = value
        elif prefix in ("up", "down") and rest in _BYTES:
            per[Direction(prefix)][rest] = value
        elif key in _BYTES:
            per[Direction.UP][key] = per[Direction.DOWN][key] = value
        else:
            raise TypeError(f"unknown fault setting {key!r}")
    merged = dataclasses.replace(base, **top)
    return dataclasses.replace(
        merged,
        up=dataclasses.replace(merged.up, **per[Direction.UP]),
        down=dataclasses.replace(merged.down, **per[Direction.DOWN]),
    )


_RATE_UNITS: Mapping[str, float] = {
    "": 1,
    "b": 1,
    "kb": 1000,
    "mb": 1000_000,
    "kib": 1024,
    "mib": 1024 * 1024,
    "bit": 1 / 8,
    "kbit": 1000 / 8,
    "mbit": 1000_000 / 8,
}


def parse_rate(text: str) -> float:
    """Bytes per second from ``32000``, ``32kB``, ``256kbit``, ``1MiB`` (per second implied)."""
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([a-zA-Z]*?)(?:/s)?\s*", text)
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _RATE_UNITS:
        raise ValueError(f"not a rate: {text!r} (examples: 32000, 32kB, 256kbit, 1MiB)")
    return float(match.group(1)) * _RATE_UNITS[unit]


def parse_range(text: str, kind: type[int] | type[float]) -> tuple[Any, Any]:
    """``"LOW:HIGH"`` or a single value ``"N"`` (meaning ``N:N``)."""
    low, _, high = text.partition(":")
    return kind(low), kind(high or low)


def parse_numbers(text: str) -> frozenset[int]:
    """``"1,3,5"`` as a set of request or connection numbers; ``""`` is the empty set."""
    return frozenset(int(part) for part in text.split(",") if part.strip())


def option_parser(name: str) -> Any:
    """How the command line reads the byte-fault or top-level setting ``name`` (None for a flag)."""
    if name.endswith("_on"):
        return parse_numbers
    if name == "rate":
        return parse_rate
    if name in ("cut_after", "reset_after", "stall_after", "slice_bytes"):
        return lambda text: parse_range(text, int)
    if name == "slice_delay":
        return lambda text: parse_range(text, float)
    if name in ("rate_shared", "stall_close"):
        return None
    return int if name == "seed" else float


def byte_fault_names() -> Iterable[str]:
    """The names of the per-direction settings, in declaration order."""
    return [f.name for f in dataclasses.fields(ByteFaults)]


def top_fault_names() -> Iterable[str]:
    """The names of the settings that are not per direction, in declaration order."""
    return [f.name for f in dataclasses.fields(Faults) if f.name not in ("up", "down")]
