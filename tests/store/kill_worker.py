"""Child process of the R1 kill -9 test: random edits, one ``ACK`` line after each commit.

Run as ``python -m tests.store.kill_worker PROFILE SEED [--out FILE] [--ops N]
[--kill-at-hook K] [--own-only]`` or through :func:`run_worker` from a forkserver that
has pre-imported the store (the test does that: it saves the interpreter start-up).

Before each operation it writes ``TRY <op-id> <json>``; after the store returned
(the transaction committed) it writes ``ACK <op-id> <json>``. The JSON describes
the state the operation leaves: ``records`` (id -> content hash), ``demo`` ids,
``group`` (the ids of a 50-record save_many), ``attach``/``detach`` ([record id, sha]).
Lines go out with one ``os.write`` each, so a kill never leaves half a line that
looks complete.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import sys
from pathlib import Path
from typing import Any

from desktop.core.kinds import TITLE_FIELD, Kind
from desktop.core.records import Link, Record, Relation, new_record_id
from desktop.store import RecordRepository

KINDS = (Kind.CASE_STUDY, Kind.SITE_VISIT, Kind.EXPERT, Kind.CENTRE_ITEM)
WORDS = "water sanitation clinic roads housing school budget audit library training youth".split()
_BODY_FIELD = {
    Kind.CASE_STUDY: "summary",
    Kind.SITE_VISIT: "observations",
    Kind.EXPERT: "bio",
    Kind.CENTRE_ITEM: "abstract",
}


class Hooks:
    """Self-kill at the K-th hook call: lands kills just before a commit or inside a blob write."""

    def __init__(self, kill_at: int) -> None:
        self.kill_at = kill_at
        self.calls = 0

    def __call__(self, *_args: Any, **_kwargs: Any) -> None:
        self.calls += 1
        if self.kill_at and self.calls >= self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def install(self, repo: RecordRepository) -> None:
        from sqlalchemy import event
        from sqlalchemy.orm import Session

        from desktop.store import attachments

        event.listen(repo.engine, "commit", self)  # just before COMMIT reaches SQLite
        event.listen(Session, "after_commit", self)  # committed, ACK not yet written
        for name in ("_write", "_fsync", "_replace", "_fsync_dir"):
            real = getattr(attachments, name)

            def wrapped(*args: Any, _real: Any = real) -> Any:
                self()
                result = _real(*args)
                self()
                return result

            setattr(attachments, name, wrapped)


class Worker:
    """Random edit scripts against one profile."""

    def __init__(self, repo: RecordRepository, seed: int, out_fd: int, own_only: bool) -> None:
        self.repo = repo
        self.seed = seed
        self.rng = random.Random(seed)
        self.out_fd = out_fd
        self.records: dict[str, Record] = {}
        self.attached: dict[str, set[str]] = {}
        if not own_only:
            from sqlalchemy import text

            for record in repo.iter_records(include_deleted=True):
                self.records[record.id] = record
            with repo.engine.connect() as connection:
                for rid, sha in connection.execute(text("SELECT record_id, sha256 FROM attachments")):
                    self.attached.setdefault(rid, set()).add(sha)

    def emit(self, tag: str, op_id: str, state: dict[str, Any]) -> None:
        line = f"{tag} {op_id} {json.dumps(state, separators=(',', ':'))}\n"
        os.write(self.out_fd, line.encode())

    def _text(self, words: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(words)) + f" {self.rng.randrange(10**9)}"

    def _new(self, demo: bool = False) -> Record:
        kind = self.rng.choice(KINDS)
        fields = {TITLE_FIELD.get(kind, "title"): self._text(4), _BODY_FIELD[kind]: self._text(40)}
        links: tuple[Link, ...] = ()
        if self.records and self.rng.random() < 0.5:
            links = (Link(Relation.CITES, self.rng.choice(list(self.records))),)
        return Record(id=new_record_id(), kind=kind, fields=fields, links=links, demo=demo)

    def _edit(self, record: Record) -> Record:
        return record.with_fields(**{_BODY_FIELD[record.kind]: self._text(30)})

    def _live(self) -> list[str]:
        return [rid for rid, rec in self.records.items() if not rec.deleted]

    def step(self, op_id: str) -> None:
        live = self._live()
        choice = self.rng.choices(
            ["create", "update", "delete", "undelete", "attach", "detach", "group", "demo"],
            weights=[25, 30, 8, 3, 10, 3, 6, 4],
        )[0]
        if choice in ("update", "delete", "attach") and not live:
            choice = "create"
        if choice == "undelete" and len(live) == len(self.records):
            choice = "create"
        attached = [(rid, sha) for rid, shas in self.attached.items() for sha in shas]
        if choice == "detach" and not attached:
            choice = "create"
        if choice in ("create", "demo", "update"):
            record = (
                self._new(demo=choice == "demo")
                if choice != "update"
                else self._edit(self.records[self.rng.choice(live)])
            )
            self._save(op_id, [record])
        elif choice == "group":
            group = [self._new() for _ in range(50)]
            for index, rid in enumerate(self.rng.sample(live, min(10, len(live)))):
                group[index] = self._edit(self.records[rid])
            self._save(op_id, group, is_group=True)
        elif choice in ("delete", "undelete"):
            pool = live if choice == "delete" else [r for r, rec in self.records.items() if rec.deleted]
            rid = self.rng.choice(pool)
            record = self.records[rid].with_changes(deleted=choice == "delete")
            state = self._state([record])
            self.emit("TRY", op_id, state)
            (self.repo.delete if choice == "delete" else self.repo.undelete)(rid)
            self.records[rid] = record
            self.emit("ACK", op_id, state)
        elif choice == "attach":
            rid = self.rng.choice(live)
            size = int(10_000 * (200 ** self.rng.random()))  # 10 KB - 2 MB, log-uniform
            data = self.rng.randbytes(size)
            sha = hashlib.sha256(data).hexdigest()
            state = {"attach": [rid, sha]}
            self.emit("TRY", op_id, state)
            self.repo.add_attachment(rid, data, f"../photo {op_id}.jpg", "image/jpeg")
            self.attached.setdefault(rid, set()).add(sha)
            self.emit("ACK", op_id, state)
        else:
            rid, sha = self.rng.choice(attached)
            state = {"detach": [rid, sha]}
            self.emit("TRY", op_id, state)
            self.repo.remove_attachment(rid, sha)
            self.attached[rid].discard(sha)
            self.emit("ACK", op_id, state)

    def _state(self, records: list[Record], is_group: bool = False) -> dict[str, Any]:
        state: dict[str, Any] = {
            "records": {r.id: r.content_hash() for r in records},
            "demo": [r.id for r in records if r.demo],
        }
        if is_group:
            state["group"] = [r.id for r in records]
        return state

    def _save(self, op_id: str, records: list[Record], is_group: bool = False) -> None:
        state = self._state(records, is_group)
        self.emit("TRY", op_id, state)
        if len(records) == 1 and not is_group:
            self.repo.save(records[0])
        else:
            self.repo.save_many(records)
        for record in records:
            self.records[record.id] = record
        self.emit("ACK", op_id, state)


def run_worker(
    profile: str,
    seed: int,
    out_path: str | None = None,
    *,
    ops: int = 0,
    kill_at_hook: int = 0,
    own_only: bool = False,
) -> None:
    """Open the profile and run random operations until killed (or ``ops`` done)."""
    out_fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644) if out_path else 1
    repo = RecordRepository(Path(profile), lock_timeout=60.0)
    if kill_at_hook:
        Hooks(kill_at_hook).install(repo)
    worker = Worker(repo, seed, out_fd, own_only)
    os.write(out_fd, b"READY\n")
    number = 0
    while not ops or number < ops:
        number += 1
        worker.step(f"{seed}-{number}")
    os.write(out_fd, b"DONE\n")
    repo.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("profile")
    parser.add_argument("seed", type=int)
    parser.add_argument("--out")
    parser.add_argument("--ops", type=int, default=0)
    parser.add_argument("--kill-at-hook", type=int, default=0)
    parser.add_argument("--own-only", action="store_true")
    args = parser.parse_args(argv)
    run_worker(
        args.profile,
        args.seed,
        args.out,
        ops=args.ops,
        kill_at_hook=args.kill_at_hook,
        own_only=args.own_only,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
