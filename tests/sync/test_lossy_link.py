"""R6: the real client and a real server process over a lossy link (RELIABILITY.md 4.1).

A real ``imbizo-server`` runs as a process; the client's every request goes through the
fault proxy (tests/support/fault_proxy.py): latency with jitter, bandwidth limits, slices,
cuts after N bytes (``limit_data``), resets, hangs, dropped and doubled requests.

- Uploads and downloads of attachments cut at random points, per size class (256 KB, one
  chunk; 2 MB, eight chunks): the blob arrives whole (SHA-256 100%), and the bytes that
  crossed the link (the proxy's counters) stay within size + interruptions x chunk size,
  plus a head per request.
- Whole syncs of notes and files over a slow, jittery link that cuts, resets and hangs:
  everything delivered, nothing doubled.
- An identical resubmission is a no-op; the same change id with other content is never a
  silent loss (the person sees a conflict or a refusal).

``IMBIZO_R6_CUTS`` sets the cut points per size class (20 by default, 100 with
``IMBIZO_LONG=1``); a failure names its seed, and ``IMBIZO_R6_SEED=<seed>`` replays that
case alone. ``IMBIZO_R6_SMOKE=1`` (or ``IMBIZO_LONG=1``) runs the nightly smoke at
128 kbit/s; by default the same smoke runs at 8 Mbit/s.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import os
import random
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from desktop.store import sync_tables as t
from desktop.store.models import OutboxRow
from desktop.store.replica import StoreReplica
from sync import protocol as p
from sync.client import SyncClient, SyncError
from tests.support.fault_proxy import ByteFaults, Direction, FaultProxy, Faults, parse_rate
from tests.support.fault_proxy_config import faults_with
from tests.sync.conftest import no_sleep_retry
from tests.sync.real_link import (
    SHORT_TIMEOUT,
    LinkDevice,
    RealServer,
    link_device,
    note,
    real_server,
    server_records,
)

LONG = os.environ.get("IMBIZO_LONG") == "1"
CUTS = int(os.environ.get("IMBIZO_R6_CUTS", "100" if LONG else "20"))
SMOKE = LONG or os.environ.get("IMBIZO_R6_SMOKE") == "1"
REPLAY = os.environ.get("IMBIZO_R6_SEED")
#: Size classes, and the base of their seeds (case n of a class has seed base + n).
SIZES = {"256KB": (256 * 1024, 256_000), "2MB": (2 * 1024 * 1024, 2_000_000)}
#: Bytes allowed per request for what is not the file: its head, an upload start's JSON, an answer's head.
HEAD_BYTES = 1024
CHUNK = p.CHUNK_BYTES
DOWNLOAD_RATE = parse_rate("20MB")
ACCOUNTS = ("lossy", "office", "resubmit", "reused", "stale", "resets", "cutanswer40", "cutanswer600")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealServer]:
    """One ``imbizo-server`` process for this module: alice for the file transfers, and an account
    of its own for each test that compares whole replicas with the server."""
    users = {"alice": "staff", **{name: "staff" for name in ACCOUNTS}}
    with real_server(tmp_path_factory.mktemp("r6-server"), users) as found:
        yield found


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _cases(size_name: str) -> list[tuple[int, int]]:
    """(case number, seed) of the cut points of one size class (only the replayed one, if any)."""
    base = SIZES[size_name][1]
    seeds = [base + n for n in range(CUTS)]
    if REPLAY:
        seeds = [int(REPLAY)] if 0 <= int(REPLAY) - base < 100_000 else []
    return [(seed - base, seed) for seed in seeds]


def _cut_faults(rng: random.Random, seed: int, spans: dict[Direction, int], up_share: float) -> Faults:
    """1 to 3 interruptions (a FIN, an RST, or a hang then a close) on the first connections,
    each at a random byte offset within ``spans`` of its direction."""
    kind = rng.choice(("cut", "reset", "timeout"))
    direction = Direction.UP if rng.random() < up_share else Direction.DOWN
    first = frozenset(range(1, rng.randint(1, 3) + 1))
    span = (0, spans[direction])
    if kind == "timeout":
        faults = ByteFaults(stall_on=first, stall_after=span, stall_for=0.2, stall_close=True)
    elif kind == "cut":
        faults = ByteFaults(cut_on=first, cut_after=span)
    else:
        faults = ByteFaults(reset_on=first, reset_after=span)
    if direction is Direction.UP:
        return Faults(seed=seed, up=faults)
    return Faults(seed=seed, down=faults)


def _interruptions(proxy: FaultProxy) -> int:
    return sum(1 for event in proxy.events() if event.kind in ("cut", "reset", "stall"))


def _describe(proxy: FaultProxy) -> str:
    return ", ".join(f"{e.kind} {e.direction} conn {e.connection} at {e.offset}" for e in proxy.events())


# -- uploads and downloads cut at random points ------------------------------------------------


@pytest.mark.parametrize("size_name", list(SIZES))
def test_uploads_cut_at_random_points_resume_and_arrive_whole(real: RealServer, size_name: str) -> None:
    size = SIZES[size_name][0]
    token = real.token("alice", str(uuid.uuid4()))
    interrupted = wasted = 0
    cases = _cases(size_name)
    for number, seed in cases:
        rng = random.Random(seed)
        data = rng.randbytes(size)  # new bytes per case: the server must not have them yet
        faults = _cut_faults(
            rng, seed, {Direction.UP: size + 2048, Direction.DOWN: 350 * (size // CHUNK + 2)}, 0.6
        )
        with FaultProxy(real.address, faults) as proxy:
            client = SyncClient(proxy.url, token=token, timeout=SHORT_TIMEOUT, retry=no_sleep_retry(seed))
            where = f"{size_name} case {number} (replay: IMBIZO_R6_SEED={seed})"
            try:
                state = client.upload_blob(_sha(data), size, functools.partial(io.BytesIO, data))
            except SyncError as exc:
                raise AssertionError(f"{where}: the upload failed ({_describe(proxy)}): {exc}") from exc
            finally:
                client.close()
            stats, cuts, what = proxy.stats(), _interruptions(proxy), _describe(proxy)
        where = f"{where} [{what}]"
        assert state.complete, where
        assert real.blob_sha256(_sha(data)) == _sha(data), f"{where}: the server's blob differs"
        sent = stats.bytes_in[Direction.UP]
        assert sent <= size + cuts * CHUNK + stats.requests * HEAD_BYTES, f"{where}: {sent} bytes sent"
        assert client.bytes_sent <= size + cuts * CHUNK + client.requests_made * 200, where
        interrupted += cuts > 0
        wasted += max(0, client.bytes_sent - size)
    print(f"R6 uploads {size_name}: {len(cases)} cases, {interrupted} interrupted, {wasted:,} bytes re-sent")
    assert REPLAY or interrupted >= len(cases) * 3 // 4, "the cuts did not fire"


@pytest.fixture(scope="module")
def shared_blobs(real: RealServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, bytes]]:
    """One blob per size class on the server, attached to a record alice's devices may read."""
    folder = tmp_path_factory.mktemp("r6-writer")
    writer = link_device(real, folder / "writer", "writer", Faults())
    blobs = {name: random.Random(name).randbytes(size) for name, (size, _) in SIZES.items()}
    try:
        record = note(str(uuid.uuid4()), "Files to fetch")
        writer.store.save(record)
        for name, data in blobs.items():
            writer.store.add_attachment(record.id, data, f"{name}.bin", "application/octet-stream")
        report = writer.engine().sync()
        assert report.uploaded == len(blobs) and report.pushed == 1
        yield blobs
    finally:
        writer.close()


@pytest.mark.parametrize("size_name", list(SIZES))
def test_downloads_cut_at_random_points_resume_and_arrive_whole(
    real: RealServer, shared_blobs: dict[str, bytes], tmp_path: Path, size_name: str
) -> None:
    data = shared_blobs[size_name]
    size, sha = len(data), _sha(data)
    token = real.token("alice", str(uuid.uuid4()))
    interrupted = 0
    cases = _cases(size_name)
    for number, seed in cases:
        rng = random.Random(seed)
        faults = _cut_faults(rng, seed, {Direction.UP: 1200, Direction.DOWN: size + 1024}, 0.2)
        # A link slower than the client reads: an RST throws away what the client's socket holds
        # unread, and on an unlimited loopback link that can be megabytes (not a resume cost).
        faults = faults_with(faults, down_rate=DOWNLOAD_RATE)
        destination = tmp_path / f"download-{seed}"
        with FaultProxy(real.address, faults) as proxy:
            client = SyncClient(proxy.url, token=token, timeout=SHORT_TIMEOUT, retry=no_sleep_retry(seed))
            where = f"{size_name} case {number} (replay: IMBIZO_R6_SEED={seed})"
            try:
                client.download_blob(sha, destination)
            except SyncError as exc:
                raise AssertionError(f"{where}: the download failed ({_describe(proxy)}): {exc}") from exc
            finally:
                client.close()
            stats, cuts, what = proxy.stats(), _interruptions(proxy), _describe(proxy)
        where = f"{where} [{what}]"
        assert _sha(destination.read_bytes()) == sha, f"{where}: the file differs"
        got = stats.bytes_out[Direction.DOWN]
        assert got <= size + cuts * CHUNK + stats.requests * HEAD_BYTES, f"{where}: {got} bytes came"
        assert client.bytes_received == size, f"{where}: a resumed download fetched bytes again"
        interrupted += cuts > 0
        destination.unlink()
    print(f"R6 downloads {size_name}: {len(cases)} cases, {interrupted} interrupted")
    assert REPLAY or interrupted >= len(cases) * 3 // 4, "the cuts did not fire"


def test_chunks_replayed_out_of_order_and_twice_never_corrupt_a_blob(real: RealServer) -> None:
    """ODK and Kobo semantics: chunks arrive in any order, some twice; only the one at the
    server's offset is taken, the others answer 409 with where to go on."""
    seed = 61
    rng = random.Random(seed)
    data = rng.randbytes(5 * CHUNK + 1000)
    sha = _sha(data)
    with FaultProxy(real.address, Faults(seed=seed, duplicate=0.3)) as proxy:
        client = SyncClient(proxy.url, token=real.token("alice", str(uuid.uuid4())), retry=no_sleep_retry())
        state = client._start_upload(sha, len(data))
        offsets = list(range(0, len(data), CHUNK))
        refused = 0
        for _ in range(200):  # bounded: six chunks in random order take a few dozen sends
            if state.complete:
                break
            offset = rng.choice(offsets)
            try:
                state = client._call(
                    "PUT",
                    f"/blobs/uploads/{state.upload_id}",
                    p.UploadState,
                    raw=data[offset : offset + CHUNK],
                    headers={"Upload-Offset": str(offset), "Content-Type": "application/octet-stream"},
                )
            except SyncError as exc:
                assert getattr(exc, "status", None) == 409, f"seed {seed}: {exc}"
                refused += 1
                state = client._start_upload(sha, len(data))
        client.close()
        duplicated = proxy.stats().faults.get("duplicate", 0)
    assert state.complete, f"seed {seed}: the upload never completed"
    assert real.blob_sha256(sha) == sha
    assert refused and duplicated, f"seed {seed}: nothing was out of order or doubled"


# -- regressions: what a lossy link used to break -------------------------------------------


def test_an_upload_whose_last_answer_is_lost_still_finishes(real: RealServer) -> None:
    """The last chunk completes the blob and ends the upload; its answer lost, the retried
    chunk got 404 (no such upload) and the sync failed."""
    data = random.Random(71).randbytes(2 * CHUNK + 10)
    # Request 1 starts the upload, 2 to 4 send the chunks: the answer to the last one is lost.
    with FaultProxy(real.address, Faults(drop_response_on=frozenset({4}))) as proxy:
        client = SyncClient(proxy.url, token=real.token("alice", str(uuid.uuid4())), retry=no_sleep_retry())
        state = client.upload_blob(_sha(data), len(data), lambda: io.BytesIO(data))
        client.close()
        assert proxy.stats().faults == {"drop_response": 1}
    assert state.complete and real.blob_sha256(_sha(data)) == _sha(data)


def test_files_go_both_ways_over_a_link_that_resets_every_64_kb(real: RealServer, tmp_path: Path) -> None:
    """A 256 KB chunk never passed a link that resets every ~64 KB: uploads now halve their
    chunks after a cut, and downloads count only the attempts that brought nothing."""
    data = random.Random(72).randbytes(1024 * 1024)
    resets = ByteFaults(reset=1.0, reset_after=(48_000, 80_000))
    token = real.token("resets", str(uuid.uuid4()))
    with FaultProxy(real.address, Faults(seed=72, up=resets)) as proxy:
        client = SyncClient(proxy.url, token=token, retry=no_sleep_retry())
        client.upload_blob(_sha(data), len(data), lambda: io.BytesIO(data))
        client.close()
        up_cuts, sent = _interruptions(proxy), proxy.stats().bytes_in[Direction.UP]
    assert real.blob_sha256(_sha(data)) == _sha(data)
    assert up_cuts >= 10 and sent <= len(data) + up_cuts * CHUNK + proxy.stats().requests * HEAD_BYTES

    writer = link_device(real, tmp_path / "writer", "writer", Faults(), user="resets")
    record = note(str(uuid.uuid4()), "A big file")
    writer.store.save(record)
    writer.store.add_attachment(record.id, data, "big.bin", "application/octet-stream")
    writer.engine().sync()
    writer.close()
    slow_resets = dataclasses.replace(resets, rate=DOWNLOAD_RATE)  # see the download cases
    with FaultProxy(real.address, Faults(seed=73, down=slow_resets)) as proxy:
        client = SyncClient(proxy.url, token=token, retry=no_sleep_retry())
        client.download_blob(_sha(data), tmp_path / "big.bin")
        client.close()
        down_cuts = _interruptions(proxy)
    assert down_cuts >= 10 and client.bytes_received == len(data)
    assert _sha((tmp_path / "big.bin").read_bytes()) == _sha(data)


@pytest.mark.parametrize("offset", [40, 600], ids=["in-its-head", "in-its-body"])
def test_an_answer_cut_is_retried(real: RealServer, tmp_path: Path, offset: int) -> None:
    """A reset before the answer was retried, but an answer cut after its head was not, and one
    cut inside its head, before its Content-Length, read as a 200 with an empty body."""
    writer = link_device(real, tmp_path / "writer", "writer", Faults(), user=f"cutanswer{offset}")
    for number in range(30):
        writer.store.save(note(str(uuid.uuid4()), f"Note {number} " + "words " * 50))
    writer.engine().sync()
    writer.close()
    # The pull's answer (a head of ~200 bytes, then some kilobytes of gzip) is cut at ``offset``.
    cut = ByteFaults(cut_on=frozenset({1}), cut_after=(offset, offset))
    with FaultProxy(real.address, Faults(down=cut)) as proxy:
        client = SyncClient(
            proxy.url, token=real.token(f"cutanswer{offset}", str(uuid.uuid4())), retry=no_sleep_retry()
        )
        page = client.pull(0)
        client.close()
        assert proxy.stats().faults == {"cut": 1}
    assert len(page.changes) >= 30


def test_a_download_whose_answer_is_cut_in_its_head_goes_on(
    real: RealServer, shared_blobs: dict[str, bytes], tmp_path: Path
) -> None:
    """A head cut before its Content-Length read as a whole, empty file (the partial one emptied)."""
    data = shared_blobs["2MB"]
    cut = ByteFaults(cut_on=frozenset({1, 2}), cut_after=(40, 40))  # the second: the resumed GET
    with FaultProxy(real.address, Faults(down=dataclasses.replace(cut, rate=DOWNLOAD_RATE))) as proxy:
        client = SyncClient(proxy.url, token=real.token("alice", str(uuid.uuid4())), retry=no_sleep_retry())
        partial = tmp_path / "file.bin.part"
        partial.write_bytes(data[:100_000])  # an earlier sync fetched this much
        client.download_blob(_sha(data), tmp_path / "file.bin")
        client.close()
        assert proxy.stats().faults.get("cut") == 2
    assert (tmp_path / "file.bin").read_bytes() == data
    assert client.bytes_received == len(data) - 100_000


# -- whole syncs over a bad link ------------------------------------------------------------------


def _lossy(seed: int) -> Faults:
    """A slow, jittery link that slices, cuts, resets, hangs, drops and doubles (scaled to CI)."""
    rate = parse_rate("8mbit")
    return Faults(
        seed=seed,
        up=ByteFaults(
            latency=0.004, jitter=0.003, rate=rate, slice_bytes=(512, 8192),
            cut=0.2, cut_after=(0, 6000), cut_on=frozenset({2}), reset=0.2, reset_after=(0, 6000),
        ),
        down=ByteFaults(
            latency=0.004, jitter=0.003, rate=rate, slice_bytes=(512, 8192),
            cut=0.2, cut_after=(0, 6000), reset=0.2, reset_after=(0, 6000), reset_on=frozenset({3}),
            stall=0.02, stall_after=(0, 20_000), stall_for=0,
        ),
        drop_request=0.05, drop_response=0.1, duplicate=0.05,
    )  # fmt: skip


def _sync_until_quiet(devices: list[LinkDevice], rounds: int) -> int:
    """Sync every device in turn until a whole round moves nothing; the rounds it took (bounded)."""
    for round_number in range(1, rounds + 1):
        moved = failed = 0
        for device in devices:
            try:
                report = device.engine().sync()
            except SyncError:
                failed += 1  # cut for good this time: the next round goes on from there
                continue
            moved += report.pushed + report.pulled + report.merged + report.uploaded + report.downloaded
        if not moved and not failed:
            return round_number
    return rounds + 1


def _check_delivered(
    real: RealServer, user: str, devices: list[LinkDevice], made: dict[str, str], files: dict[str, str]
) -> None:
    """Every note and file on the server once and on every device, byte for byte."""
    checker = real.direct_client(user)
    on_server = server_records(checker)
    checker.close()
    assert set(on_server) == set(made), "the server's records are not the ones the devices made"
    titles = [version.payload["fields"]["title"] for version in on_server.values()]
    assert sorted(titles) == sorted(made.values()), "a note is missing or doubled on the server"
    for sha in files.values():
        assert real.blob_sha256(sha) == sha
    for device in devices:
        replica = StoreReplica(device.store)
        assert replica.pending_count() == 0 and not replica.conflicts(), device.name
        for record_id, version in on_server.items():
            local = device.store.get(record_id)
            assert local is not None and local.revision == version.envelope.revision, (device.name, record_id)
        for record_id, sha in files.items():
            [attached] = device.store.attachments(record_id)
            assert _sha(device.store.blob_path(attached.sha256).read_bytes()) == sha, device.name


def test_notes_and_files_sync_over_a_slow_jittery_link_that_cuts_resets_and_hangs(
    real: RealServer, tmp_path: Path
) -> None:
    seed = 81
    rng = random.Random(seed)
    devices = [
        link_device(real, tmp_path / f"d{n}", f"d{n}", _lossy(seed * 10 + n), user="lossy", seed=n)
        for n in range(3)
    ]
    made: dict[str, str] = {}
    files: dict[str, str] = {}
    try:
        for device in devices:
            for number in range(8):
                record = note(
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)), f"{device.name} note {number}"
                )
                device.store.save(record)
                made[record.id] = record.fields["title"]
            data = rng.randbytes(rng.choice((64 * 1024, 300 * 1024)))
            device.store.add_attachment(record.id, data, "photo.jpg", "image/jpeg")
            files[record.id] = _sha(data)
        rounds = _sync_until_quiet(devices, rounds=8)
        assert rounds <= 8, f"seed {seed}: not quiet after 8 rounds over the lossy link"
        _check_delivered(real, "lossy", devices, made, files)
        fired = {kind for device in devices for kind in device.proxy.stats().faults}
        assert {"cut", "reset", "drop_response", "latency", "slice"} <= fired, f"seed {seed}: {fired}"
    finally:
        for device in devices:
            device.close()


# -- resubmissions ---------------------------------------------------------------------------------


def test_an_identical_resubmission_is_a_no_op(real: RealServer, tmp_path: Path) -> None:
    """A push doubled on the way, its answer lost, and pushed once more: one record, one feed
    entry, the same answer every time."""
    device = link_device(
        real,
        tmp_path / "d",
        "d",
        Faults(duplicate_on=frozenset({1}), drop_response_on=frozenset({2})),
        user="resubmit",
    )
    try:
        device.store.save(note(str(uuid.uuid4()), "Pushed three times"))
        batch = StoreReplica(device.store).pending_changes(p.MAX_PUSH_CHANGES)
        checker = real.direct_client("resubmit")
        before = checker.pending(0).latest
        first = device.client.push(batch)  # doubled by the proxy, then its answer lost and retried
        again = device.client.push(batch)
        assert device.proxy.stats().faults == {"duplicate": 1, "drop_response": 1}
        assert first == again and first.results[0].outcome is p.PushOutcome.ACCEPTED
        after = checker.pending(before)
        assert after.changes == 1 and after.latest == before + 1, "a resubmission made a new version"
        checker.close()
        StoreReplica(device.store).apply_push_results(batch, again.results)
        assert device.engine().sync().pushed == 0
    finally:
        device.close()


def test_the_same_change_id_with_other_content_is_never_lost_silently(
    real: RealServer, tmp_path: Path
) -> None:
    """A change id the server has seen, sent again with other content (a profile restored from
    a copy, a bug): the person ends with their edit on the server, or sees a conflict or a
    refusal; never the server's older content in its place, with nothing said."""
    device = link_device(real, tmp_path / "d", "d", Faults(), user="reused")
    try:
        record = note(str(uuid.uuid4()), "First words")
        device.store.save(record)
        device.engine().sync()
        first_id = _outbox_ids(device, record.id)[-1]
        stored = device.store.get(record.id)
        assert stored is not None
        device.store.save(stored.with_fields(title="Second words"))
        # The newest change of the record takes the change id the server answered already.
        second_id = _outbox_ids(device, record.id)[-1]
        with device.store._write_session("reuse a change id") as session:
            session.execute(
                update(OutboxRow).where(OutboxRow.change_id == first_id).values(change_id=str(uuid.uuid4()))
            )
            session.execute(
                update(OutboxRow).where(OutboxRow.change_id == second_id).values(change_id=first_id)
            )
        for _ in range(3):
            device.engine().sync()
        checker = real.direct_client("reused")
        on_server = checker.fetch_record(record.id)
        checker.close()
        assert on_server is not None
        replica = StoreReplica(device.store)
        shown = (
            on_server.payload["fields"]["title"] == "Second words"
            or any(c.mine.fields.get("title") == "Second words" for c in replica.conflicts())
            or device.store.sync_state(record.id).startswith("refused")
        )
        assert shown, f"the edit was lost without a word (the device shows {device.store.get(record.id)})"
    finally:
        device.close()


def test_a_push_refused_for_a_missing_file_goes_through_once_the_file_is_there(
    real: RealServer, tmp_path: Path
) -> None:
    """The device believed the server held a file it did not (a stale state): the push was
    refused ``missing_blob``, the file uploaded, and the retried change id got the stored
    refusal again, sync after sync, for ever."""
    device = link_device(real, tmp_path / "d", "d", Faults(), user="stale")
    try:
        record = note(str(uuid.uuid4()), "With a file")
        device.store.save(record)
        info = device.store.add_attachment(record.id, random.Random(5).randbytes(5000), "a.bin", "text/plain")
        with device.store._write_session("a stale file state") as session:
            t.set_blob_state(session, info.sha256, t.ON_SERVER)
        first = device.engine().sync()
        assert first.pushed == 0 and device.store.sync_state(record.id) == "waiting"
        second = device.engine().sync()  # the first one uploaded the file after the refusal
        assert first.uploaded + second.uploaded == 1 and second.pushed == 1
        assert device.store.sync_state(record.id) == "synced"
        assert real.blob_sha256(info.sha256) == info.sha256
    finally:
        device.close()


def _outbox_ids(device: LinkDevice, record_id: str) -> list[str]:
    with device.store._read_session() as session:
        query = select(OutboxRow.change_id).where(OutboxRow.record_id == record_id).order_by(OutboxRow.id)
        return list(session.scalars(query))


# -- the smoke test: an office on a slow link ------------------------------------------------------


@pytest.mark.timeout(900)
def test_three_devices_share_a_slow_link_that_resets_every_64_kb(real: RealServer, tmp_path: Path) -> None:
    """3 devices x 20 notes + 3 x 256 KB files over one shared link (128 kbit/s nightly,
    8 Mbit/s by default) that resets each connection after ~64 KB: all delivered, no doubles."""
    seed = 91
    rng = random.Random(seed)
    rate = parse_rate("128kbit" if SMOKE else "8mbit")
    link = ByteFaults(rate=rate, rate_shared=True, reset=1.0, reset_after=(48_000, 80_000))
    faults = Faults(seed=seed, up=link, down=link)
    proxy = FaultProxy(real.address, faults, idle_timeout=30).start()
    devices = [
        link_device(
            real,
            tmp_path / f"office{n}",
            f"office{n}",
            faults,
            proxy=proxy,
            user="office",
            seed=n,
            timeout=(5.0, 30.0),
        )
        for n in range(3)
    ]
    made: dict[str, str] = {}
    files: dict[str, str] = {}
    try:
        for device in devices:
            for number in range(20):
                record = note(
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)), f"{device.name} note {number}"
                )
                device.store.save(record)
                made[record.id] = record.fields["title"]
            data = rng.randbytes(256 * 1024)
            device.store.add_attachment(record.id, data, "scan.pdf", "application/pdf")
            files[record.id] = _sha(data)
        rounds = _sync_until_quiet(devices, rounds=6)
        assert rounds <= 6, f"seed {seed}: not quiet after 6 rounds"
        _check_delivered(real, "office", devices, made, files)
        stats = proxy.stats()
        print(
            f"R6 smoke at {rate * 8 / 1000:.0f} kbit/s: {len(made)} notes, {len(files)} files, "
            f"{rounds} rounds, {stats.faults.get('reset', 0)} resets, "
            f"{stats.bytes_out[Direction.UP]:,} bytes up, {stats.bytes_out[Direction.DOWN]:,} down"
        )
        assert stats.faults.get("reset", 0) >= 10
    finally:
        for device in devices:
            device.client.close()
            device.store.close()
        proxy.stop()
