"""One client of bench/bench_sync_load.py: its own process, a real SyncClient, a closed loop.

    python -m bench.sync_load_client   # standard input: one JSON line of settings, then "go"

It prints ``ready`` once signed in, waits for the line ``go``, runs for the settings'
``duration`` and prints its :class:`ClientResult` as one JSON line. Kept apart from the
benchmark so that each client process imports only the sync client and the protocol (not
the desktop app) and starts quickly.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from sync import protocol as p
from sync.client import RetryPolicy, SyncClient, SyncError

PASSWORD = "bench-password-1"  # the same as bench.sync_common.PASSWORD (not imported: it is heavy)
BATCH = 10  # changes per push
PULL_PAGES = 50  # pages one catch-up reads at most (bounded)


@dataclass
class ClientResult:
    """What one client did in the window."""

    user: str
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"push": [], "pull": []})
    pushed: int = 0  # changes accepted
    refused: int = 0  # conflicts and rejections (none expected: each client edits its own records)
    pulled: int = 0  # feed entries received
    errors: list[str] = field(default_factory=list)
    cpu_seconds: float = 0.0


def _version(
    template: dict[str, Any], kind: str, record_id: str, revision: str, parent: str
) -> p.RecordVersion:
    envelope = p.Envelope(id=record_id, kind=kind, revision=revision, parent_revision=parent)  # type: ignore[arg-type]
    return p.RecordVersion(envelope=envelope, payload=template)


def _revision(generation: int, rng: random.Random) -> str:
    return f"{generation}-{rng.getrandbits(64):016x}"


def run_client(
    url: str, user: str, templates: list[tuple[str, dict[str, Any]]], seed: int, duration: float
) -> ClientResult:
    """Sign in, say ``ready``, wait for ``go`` on standard input, push and pull for ``duration`` s."""
    rng = random.Random(seed)
    result = ClientResult(user)
    client = SyncClient(url, retry=RetryPolicy(attempts=1))
    mine: dict[str, tuple[str, int, str, dict[str, Any]]] = {}  # id -> (revision, generation, kind, payload)
    cursor = 0
    try:
        client.login(user, PASSWORD, str(uuid.UUID(int=rng.getrandbits(128), version=4)))
        print("ready", flush=True)
        sys.stdin.readline()  # "go": every client starts at once
        cpu = sum(os.times()[:2])
        end = time.monotonic() + duration
        while time.monotonic() < end:
            changes = _batch(mine, templates, rng)
            start = time.perf_counter()
            answer = client.push(changes)
            result.latencies["push"].append((time.perf_counter() - start) * 1000)
            for change, res in zip(changes, answer.results, strict=True):
                if res.outcome is p.PushOutcome.ACCEPTED and res.record is not None:
                    env = res.record.envelope
                    generation = int(env.revision.split("-")[0])
                    mine[env.id] = (env.revision, generation, env.kind, change.record.payload)
                    result.pushed += 1
                else:
                    result.refused += 1
            for _ in range(PULL_PAGES):
                start = time.perf_counter()
                page = client.pull(cursor)
                result.latencies["pull"].append((time.perf_counter() - start) * 1000)
                result.pulled += len(page.changes)
                cursor = page.cursor
                if not page.has_more or time.monotonic() >= end:
                    break
        result.cpu_seconds = sum(os.times()[:2]) - cpu
    except SyncError as exc:
        result.errors.append(f"{type(exc).__name__}: {exc}")
        print("ready", flush=True)  # the parent counts this client in; its result has the error
    finally:
        client.close()
    return result


def _batch(
    mine: dict[str, tuple[str, int, str, dict[str, Any]]],
    templates: list[tuple[str, dict[str, Any]]],
    rng: random.Random,
) -> list[p.PushChange]:
    """Half new records, half edits of one field of this client's own records (all new at first)."""
    changes = []
    editable = list(mine)
    for n in range(BATCH):
        change_id = f"{rng.getrandbits(96):024x}"
        if editable and n % 2:
            record_id = editable.pop(rng.randrange(len(editable)))
            revision, generation, kind, payload = mine[record_id]
            fields = dict(payload.get("fields") or {})
            fields["summary"] = f"{str(fields.get('summary') or '')[:300]} (edit {rng.getrandbits(32):08x})"
            version = _version(
                {**payload, "fields": fields}, kind, record_id, _revision(generation + 1, rng), revision
            )
            changes.append(p.PushChange(change_id=change_id, base_revision=revision, record=version))
        else:
            kind, payload = rng.choice(templates)
            version = _version(
                payload, kind, str(uuid.UUID(int=rng.getrandbits(128), version=4)), _revision(1, rng), ""
            )
            changes.append(p.PushChange(change_id=change_id, base_revision="", record=version))
    return changes


def main() -> int:
    """Read the settings, run, print the result as JSON."""
    settings = json.loads(sys.stdin.readline())
    result = run_client(
        settings["url"],
        settings["user"],
        [(kind, payload) for kind, payload in settings["templates"]],
        int(settings["seed"]),
        float(settings["duration"]),
    )
    print(json.dumps(asdict(result)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
