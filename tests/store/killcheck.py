"""The oracle of the R1 kill -9 test: what the child acknowledged versus what the store holds."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text

from desktop.store import RecordRepository


@dataclass
class Model:
    """The state a profile must be in, from every acknowledged (or proven committed) operation."""

    records: dict[str, str] = field(default_factory=dict)  # id -> content hash
    demo: set[str] = field(default_factory=set)
    revisions: Counter[str] = field(default_factory=Counter)  # id -> revisions written
    attachments: set[tuple[str, str]] = field(default_factory=set)
    verified_blobs: set[str] = field(default_factory=set)
    acked_ops: int = 0

    def apply(self, state: dict[str, Any]) -> None:
        for rid, content_hash in state.get("records", {}).items():
            if self.records.get(rid) != content_hash:
                self.revisions[rid] += 1
            self.records[rid] = content_hash
        self.demo.update(state.get("demo", []))
        # A file attached or removed makes a revision of its record (the files are part of the
        # version that syncs); attaching a file it has already, or removing one it lacks, does not.
        if "attach" in state:
            rid, sha = state["attach"]
            if (rid, sha) not in self.attachments:
                self.attachments.add((rid, sha))
                self.revisions[rid] += 1
        if "detach" in state:
            rid, sha = state["detach"]
            if (rid, sha) in self.attachments:
                self.attachments.discard((rid, sha))
                self.revisions[rid] += 1


@dataclass
class Iteration:
    """The lines one child wrote: its acknowledged ops and the one in flight when it died."""

    acked: list[dict[str, Any]]
    in_flight: dict[str, Any] | None
    ready: bool


def parse_output(path: Path) -> Iteration:
    acked: list[dict[str, Any]] = []
    tries: dict[str, dict[str, Any]] = {}
    last_try: str | None = None
    ready = False
    raw = path.read_bytes() if path.exists() else b""
    for line in raw.decode().split("\n")[:-1]:  # the part after the last newline is incomplete
        if line == "READY":
            ready = True
            continue
        tag, _, rest = line.partition(" ")
        op_id, _, payload = rest.partition(" ")
        if tag == "TRY":
            tries[op_id] = json.loads(payload)
            last_try = op_id
        elif tag == "ACK":
            acked.append(json.loads(payload))
            if last_try == op_id:
                last_try = None
    return Iteration(acked, tries[last_try] if last_try else None, ready)


def verify(repo: RecordRepository, model: Model, iteration: Iteration, seen_blobs: set[str]) -> list[str]:
    """Apply the iteration to ``model`` and compare with the store; returns the problems found."""
    problems: list[str] = []
    for state in iteration.acked:
        model.apply(state)
        model.acked_ops += 1
    tmp = repo.blobs.tmp
    leftovers = list(tmp.iterdir()) if tmp.exists() else []
    if leftovers:
        problems.append(f"{len(leftovers)} temp file(s) left in blobs/tmp after open")
    report = repo.check(hash_blobs=False)
    problems.extend(report.problems)
    with repo.engine.connect() as connection:
        stored: dict[str, str] = dict(connection.execute(text("SELECT id, content_hash FROM records")).all())
        attached = {
            tuple(row) for row in connection.execute(text("SELECT record_id, sha256 FROM attachments"))
        }
        revisions: Counter[str] = Counter(
            dict(
                connection.execute(text("SELECT record_id, count(*) FROM revisions GROUP BY record_id")).all()
            )
        )
        outbox: Counter[str] = Counter(
            dict(connection.execute(text("SELECT record_id, count(*) FROM outbox GROUP BY record_id")).all())
        )
        outbox_pairs = set(connection.execute(text("SELECT record_id, revision FROM outbox")).all())
        revision_pairs = set(connection.execute(text("SELECT record_id, revision FROM revisions")).all())
        demo_rows = {row[0] for row in connection.execute(text("SELECT id FROM records WHERE demo"))}
    flight = iteration.in_flight
    if flight is not None:
        # The op the child was killed in: committed entirely or not at all, never in part.
        if "records" in flight:
            new = {rid: stored.get(rid) == h for rid, h in flight["records"].items()}
            old = {rid: stored.get(rid) == model.records.get(rid) for rid in flight["records"]}
            if all(new.values()):
                model.apply(flight)
            elif not all(old.values()):
                bad = [rid for rid in new if not new[rid] and not old[rid]]
                problems.append(f"in-flight op applied in part: {len(bad)} of {len(new)} records wrong")
        elif ("attach" in flight and tuple(flight["attach"]) in attached) or (
            "detach" in flight and tuple(flight["detach"]) not in attached
        ):
            model.apply(flight)
    lost = [rid for rid, h in model.records.items() if stored.get(rid) != h]
    if lost:
        problems.append(f"{len(lost)} acknowledged record version(s) lost, e.g. {lost[0]}")
    extra = set(stored) - set(model.records)
    if extra:
        problems.append(f"{len(extra)} record(s) in the store that no op created")
    if attached != model.attachments:
        problems.append(
            f"attachments differ: {len(model.attachments - attached)} acknowledged missing, "
            f"{len(attached - model.attachments)} unexpected"
        )
    for rid in model.records:
        expected_outbox = 0 if rid in model.demo else model.revisions[rid]
        if revisions[rid] != model.revisions[rid] or outbox[rid] != expected_outbox:
            problems.append(
                f"record {rid}: {revisions[rid]} revisions, {outbox[rid]} outbox rows, "
                f"expected {model.revisions[rid]} and {expected_outbox}"
            )
            break
    if not outbox_pairs <= revision_pairs:
        problems.append("outbox rows name revisions that do not exist")
    if demo_rows != model.demo & set(stored):
        problems.append("demo flags differ from the model")
    for _rid, sha in attached:
        if sha in seen_blobs:
            continue
        try:
            actual = hashlib.sha256(repo.blob_path(sha).read_bytes()).hexdigest()
        except FileNotFoundError:
            actual = "missing"
        if actual != sha:
            problems.append(f"blob {sha} is {actual}")
        seen_blobs.add(sha)
    return problems
