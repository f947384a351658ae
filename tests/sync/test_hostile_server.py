"""S6 (RELIABILITY.md 4.2) and the sync half of S7: a hostile server against the real client stack.

The real server app runs in-process; for one endpoint type at a time (pull, push results,
pending summary, digest, the reconciliation's index and record fetches, file downloads) a
Hypothesis-drawn mutation replaces or changes its real answer (tests/sync/hostile_support.py).
The victim is a real profile (RecordRepository on SQLite, StoreReplica, SyncClient,
SyncEngine) restored from a snapshot before every example, so each example starts from
the same state: three synced records from another device (one with a file not downloaded
yet) and one local record waiting to be pushed, cursor 0 (the whole feed comes again).

Per example: ``engine.sync()`` returns or raises a ``SyncError`` with a readable message
(any other exception fails the test); the database passes ``PRAGMA integrity_check`` and
``foreign_key_check``; every record in it passes the client's own validation
(``ensure_valid``); a file is installed only with bytes that hash to its name, and after
a hostile download a clean sync fetches it intact; every loop ends (the engine bounds
``has_more`` for ever). HTML in record text comes out escaped from ``record_html``.

Size: IMBIZO_S6_EXAMPLES examples per endpoint type (100 by default, 1000 nightly).
Replay: the seed is printed; ``pytest --hypothesis-seed=N`` replays it.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, note, seed, settings
from sqlalchemy import select

from desktop.core.kinds import Kind
from desktop.core.records import Record
from desktop.core.validation import ensure_valid
from desktop.store.models import AttachmentRow
from desktop.store.replica import CURSOR_KEY, StoreReplica
from desktop.store.repository import RecordRepository
from sync.client import ProtocolError, SyncClient, SyncError
from sync.engine import DEFAULT_DOWNLOAD_LIMIT, SyncEngine
from sync.protocol import Role
from sync.server.api import create_app
from tests.support.asgi_transport import in_process_session
from tests.sync.conftest import SERVER_URL, no_sleep_retry
from tests.sync.hostile_support import ENDPOINTS, HTML_PAYLOAD, HostileAdapter, Mutation, mutations
from tests.sync.server.helpers import PASSWORD, add_users, make_settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the escaping test needs no screen
EXAMPLES = int(os.environ.get("IMBIZO_S6_EXAMPLES", "100"))
SEED = int(os.environ.get("IMBIZO_S6_SEED", random.SystemRandom().randrange(2**32)))
FILE_BYTES = random.Random(6).randbytes(6000)
FILE_SHA = hashlib.sha256(FILE_BYTES).hexdigest()
STATS: dict[str, dict[str, int]] = {}


@dataclass
class Victim:
    """The profile under attack, its snapshot and its link."""

    store: RecordRepository
    client: SyncClient
    adapter: HostileAdapter
    snapshots: dict[str, Path]
    latest: int
    plain_id: str

    def restore(self, snapshot: str) -> None:
        """Back to a snapshot: the database through SQLite's backup API, the file not downloaded."""
        source = sqlite3.connect(self.snapshots[snapshot])
        target = sqlite3.connect(self.store.db_path)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        self.store.blobs.path_for(FILE_SHA).unlink(missing_ok=True)
        shutil.rmtree(self.store.blobs.tmp, ignore_errors=True)
        self.store.blobs.ensure_dirs()

    def engine(self, *, download: bool = True) -> SyncEngine:
        """A fresh replica and engine over the victim's store (``download``: fetch files too)."""
        limit = DEFAULT_DOWNLOAD_LIMIT if download else 0
        return SyncEngine(StoreReplica(self.store), self.client, download_limit=limit)


def _snapshot(store: RecordRepository, path: Path) -> Path:
    source, target = sqlite3.connect(store.db_path), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return path


@pytest.fixture(scope="module")
def fast_root() -> Iterator[Path]:
    """Server and profiles in memory where possible: S6 checks the client's logic, R1 its durability."""
    base = "/dev/shm" if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(prefix="imbizo-s6-", dir=base) as folder:
        yield Path(folder)


@pytest.fixture(scope="module")
def victim(fast_root: Path) -> Iterator[Victim]:
    """A server seeded by another device of alice's, and alice's victim profile with its snapshots."""
    root = fast_root
    server_settings = make_settings(root / "server")
    app = create_app(server_settings)
    add_users(server_settings, {"alice": Role.STAFF})
    seeder = _signed_in(app, root / "seeder", HostileAdapter(app))
    records = [
        Record(
            id=str(uuid.uuid4()), kind=Kind.CASE_STUDY, fields={"title": f"Seeded {n}", "summary": "Water."}
        )
        for n in range(3)
    ]
    seeder.store.save_many(records)
    seeder.store.add_attachment(records[0].id, FILE_BYTES, "report.pdf", "application/pdf")
    SyncEngine(StoreReplica(seeder.store), seeder.client).sync()
    seeder.store.close()

    adapter = HostileAdapter(app)
    profile = _signed_in(app, root / "victim", adapter)
    report = SyncEngine(StoreReplica(profile.store), profile.client, download_limit=0).sync()
    assert report.pulled == 3 and report.verified, report
    profile.store.set_meta(CURSOR_KEY, "0")  # every example gets the whole feed to work on
    snapshots = {"synced": _snapshot(profile.store, root / "synced.db")}
    profile.store.save(Record(id=str(uuid.uuid4()), kind=Kind.CASE_STUDY, fields={"title": "Mine, waiting"}))
    snapshots["waiting"] = _snapshot(profile.store, root / "waiting.db")
    # Push the waiting record once, so every example replays the same change id (a stored answer).
    victim = Victim(profile.store, profile.client, adapter, snapshots, 0, records[1].id)
    clean = victim.engine().sync()
    assert clean.verified and clean.downloaded == 1, clean
    victim.latest = profile.client.pending(0).latest
    yield victim
    profile.store.close()
    adapter.close()
    app.state.context.db.dispose()
    print(f"\nS6 figures (seed {SEED}):")
    for endpoint, counts in STATS.items():
        print(f"  {endpoint}: {counts}")


@dataclass
class _Profile:
    store: RecordRepository
    client: SyncClient


def _signed_in(app: Any, folder: Path, adapter: HostileAdapter) -> _Profile:
    http, _ = in_process_session(app)
    http.mount("http://", adapter)
    store = RecordRepository(folder)
    client = SyncClient(SERVER_URL, session=http, retry=no_sleep_retry(3, attempts=3))
    client.login("alice", PASSWORD, StoreReplica(store).device_id())
    return _Profile(store, client)


def _prepare(victim: Victim, endpoint: str) -> None:
    """Restore a snapshot; for a reconciliation, a pull with nothing new and one copy forgotten."""
    victim.restore("waiting" if endpoint == "push" else "synced")
    if endpoint == "reconcile":
        victim.store.set_meta(CURSOR_KEY, str(victim.latest))
        StoreReplica(victim.store).forget_copies([victim.plain_id])


def _attack(victim: Victim, endpoint: str, mutation: Mutation) -> None:
    """One example: a sync against the hostile endpoint, then the invariants."""
    counts = STATS.setdefault(endpoint, {"examples": 0, "refused": 0, "completed": 0, "answers_changed": 0})
    counts["examples"] += 1
    _prepare(victim, endpoint)
    victim.adapter.arm(endpoint, mutation)
    try:
        victim.engine(download=endpoint == "blob").sync()
        counts["completed"] += 1
    except SyncError as exc:
        message = str(exc)
        assert message.strip() and len(message) < 2000, f"unreadable error: {message[:300]!r}"
        counts["refused"] += 1
    finally:
        counts["answers_changed"] += int(victim.adapter.hits > 0)
        victim.adapter.disarm()
    _check_database(victim)
    if endpoint == "blob":
        _check_file_recovers(victim, mutation)


def _check_database(victim: Victim) -> None:
    """No corruption, no dangling reference, no record that fails the client's own validation."""
    with sqlite3.connect(victim.store.db_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    for record in victim.store.iter_records(include_deleted=True):
        ensure_valid(record)
    _check_installed_file(victim)


def _check_installed_file(victim: Victim) -> None:
    """A file marked present is there with the bytes its name promises."""
    with victim.store._read_session() as session:
        present = set(session.scalars(select(AttachmentRow.sha256).where(AttachmentRow.present.is_(True))))
    for sha in present:
        assert hashlib.sha256(victim.store.blobs.path_for(sha).read_bytes()).hexdigest() == sha


def _check_file_recovers(victim: Victim, mutation: Mutation) -> None:
    """A damaged download was not installed; a clean sync then fetches the file intact."""
    path = victim.store.blobs.path_for(FILE_SHA)
    if mutation.times == 1_000_000 and mutation.op == "bytes" and mutation.status != 416:
        assert not path.exists(), "a file whose bytes do not match its sha256 was installed"
    report = victim.engine().sync()
    assert report.verified, report
    assert hashlib.sha256(path.read_bytes()).hexdigest() == FILE_SHA


def _hostile_test(endpoint: str) -> Any:
    def test(victim: Victim, request: pytest.FixtureRequest) -> None:
        chosen = int(request.config.getoption("hypothesis_seed", None) or SEED)
        print(f"S6 {endpoint}: seed {chosen} (replay: --hypothesis-seed={chosen} or IMBIZO_S6_SEED={chosen})")

        @seed(chosen)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(mutation=mutations(endpoint))
        @example(mutation=Mutation(op="body", value="deep_list", status=400))  # found: json.loads recursed
        @example(mutation=Mutation(op="status", value=False, status=416))  # found: a 416 left no file
        @example(mutation=Mutation(op="stuck"))
        def attack(mutation: Mutation) -> None:
            note(f"seed {chosen}")
            _attack(victim, endpoint, mutation)

        attack()
        counts = STATS[endpoint]
        assert counts["answers_changed"] == counts["examples"], (
            f"the hostile answers did not reach the client: {counts}"
        )

    test.__name__ = f"test_hostile_{endpoint}_answers"
    test.__doc__ = f"S6: hostile answers from the {endpoint} endpoint never crash or corrupt the client."
    return test


for _endpoint in ENDPOINTS:
    globals()[f"test_hostile_{_endpoint}_answers"] = _hostile_test(_endpoint)


_TITLE = ("changes", 0, "record", "payload", "fields", "title")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (_TITLE, "x" * 100_000),  # found: written without validation
        (_TITLE, 12345),
        (("changes", 0, "record", "payload", "fields"), ["not", "a", "dict"]),  # found: a ValueError
        (("changes", 0, "record", "payload", "fields", "no_such_field"), "x"),
    ],
)
def test_an_invalid_record_from_the_pull_is_refused_and_nothing_is_written(
    victim: Victim, path: tuple[Any, ...], value: Any
) -> None:
    """Regression: a pulled record that fails ensure_valid stops the page with a ProtocolError."""
    _prepare(victim, "pull")
    before = {record.id: record.revision for record in victim.store.iter_records(include_deleted=True)}
    victim.adapter.arm("pull", Mutation(op="at", value=(path, value), times=1))
    # Forget the bases, so the changed version is really applied (not skipped as already held).
    replica = StoreReplica(victim.store)
    replica.forget_copies(list(replica.synced_revisions()))
    with pytest.raises(ProtocolError, match="not valid"):
        SyncEngine(replica, victim.client, download_limit=0).sync()
    victim.adapter.disarm()
    after = {record.id: record.revision for record in victim.store.iter_records(include_deleted=True)}
    assert after == before
    _check_database(victim)


def test_a_push_answer_naming_another_record_is_refused(victim: Victim) -> None:
    """Regression: an 'accepted' answer carrying a forged record id is a ProtocolError, nothing applied."""
    forged = ("results", 0, "record", "envelope", "id")
    _prepare(victim, "push")
    victim.adapter.arm("push", Mutation(op="at", value=(forged, str(uuid.uuid4())), times=1))
    with pytest.raises(ProtocolError, match="another record"):
        victim.engine(download=False).sync()
    victim.adapter.disarm()
    assert StoreReplica(victim.store).pending_count() == 1


def test_html_in_record_text_is_escaped_when_shown(qapp: Any) -> None:
    """A pulled record's <script>/<img onerror> text is shown escaped by the detail view's HTML."""
    from PySide6.QtGui import QPalette

    from desktop.session import RecordView
    from desktop.ui.record_html import record_html

    record = Record(
        id=str(uuid.uuid4()),
        kind=Kind.CASE_STUDY,
        fields={"title": HTML_PAYLOAD, "summary": HTML_PAYLOAD, "district": HTML_PAYLOAD},
        tags=(HTML_PAYLOAD,),
    )
    shown = record_html(RecordView(record), QPalette())
    assert "<script" not in shown.lower() and "<img" not in shown.lower()
    assert shown.count("&lt;script&gt;") >= 4
