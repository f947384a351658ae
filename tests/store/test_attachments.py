"""Attachments: content-addressed blobs, written before their rows; hostile names; limits; faults."""

from __future__ import annotations

import errno
import hashlib
from pathlib import Path
from typing import Any

import pytest

from desktop.store import (
    AttachmentTooLargeError,
    RecordNotFoundError,
    RecordRepository,
    StoreError,
    StoreFullError,
    open_store,
)
from desktop.store import attachments as blobs_module
from desktop.store.attachments import sanitize_filename
from tests.store.conftest import make_record


def _blob_files(repo: RecordRepository) -> list[Path]:
    return [p for p in repo.blobs.root.rglob("*") if p.is_file() and p.parent != repo.blobs.tmp]


def test_add_attachment_stores_by_hash_once(repo: RecordRepository, tmp_path: Path) -> None:
    a, b = make_record(title="A"), make_record(title="B")
    repo.save_many([a, b])
    data = b"photo bytes " * 5000
    sha = hashlib.sha256(data).hexdigest()
    info = repo.add_attachment(a.id, data, "site photo.jpg", "image/jpeg")
    assert (info.sha256, info.size, info.filename, info.media_type) == (
        sha,
        len(data),
        "site photo.jpg",
        "image/jpeg",
    )
    source = tmp_path / "same.jpg"
    source.write_bytes(data)
    repo.add_attachment(b.id, source, "same.jpg", "image/jpeg")
    assert repo.add_attachment(a.id, data, "again.jpg", "image/jpeg") == info  # idempotent per record
    assert _blob_files(repo) == [repo.blob_path(sha)]
    assert repo.blob_path(sha) == repo.profile_dir / "blobs" / sha[:2] / sha
    with repo.open_blob(sha) as handle:
        assert handle.read() == data
    assert list(repo.blobs.tmp.iterdir()) == []
    seq = repo.last_seq()
    assert repo.remove_attachment(a.id, sha) and repo.blob_path(sha).exists()  # b still uses it
    assert repo.last_seq() == seq + 1  # the record moved in the change feed
    assert repo.remove_attachment(b.id, sha) and not repo.blob_path(sha).exists()
    assert not repo.remove_attachment(b.id, sha)
    assert repo.check().ok


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\cmd.exe", "cmd.exe"),
        ("report\x00.pdf", "report.pdf"),
        ("evil\r\nname.txt", "evilname.txt"),
        ("CON.txt", "_CON.txt"),
        ("nul", "_nul"),
        ("...", "attachment"),
        ("", "attachment"),
        (".bashrc", "bashrc"),
        ("trailing. . ", "trailing"),
        ("a<b>c:d|e?f*g.txt", "abcdefg.txt"),
    ],
)
def test_hostile_filenames_become_safe_display_names(hostile: str, expected: str) -> None:
    assert sanitize_filename(hostile) == expected


def test_long_filenames_are_cut_to_255_bytes_keeping_the_extension() -> None:
    name = sanitize_filename("ü" * 300 + ".pdf")
    assert len(name.encode()) <= 255 and name.endswith(".pdf")


def test_hostile_filename_never_becomes_a_path(repo: RecordRepository, tmp_path: Path) -> None:
    record = make_record()
    repo.save(record)
    info = repo.add_attachment(record.id, b"x" * 100, "../../../outside.txt", "text/plain")
    assert info.filename == "outside.txt"
    assert not (tmp_path / "outside.txt").exists() and not (repo.profile_dir / "outside.txt").exists()


def test_size_limit_gives_a_clear_error_and_leaves_nothing(profile: Path) -> None:
    repo = RecordRepository(profile, max_attachment_size=1000)
    record = make_record()
    repo.save(record)
    with pytest.raises(AttachmentTooLargeError, match="limit"):
        repo.add_attachment(record.id, b"x" * 1001, "big.bin", "application/octet-stream")
    assert repo.attachments(record.id) == [] and _blob_files(repo) == []
    assert list(repo.blobs.tmp.iterdir()) == []
    repo.add_attachment(record.id, b"x" * 1000, "ok.bin", "application/octet-stream")
    repo.close()


def test_attachment_to_unknown_record_is_refused(repo: RecordRepository) -> None:
    with pytest.raises(RecordNotFoundError):
        repo.add_attachment("missing", b"data", "a.txt", "text/plain")
    assert list(repo.blobs.tmp.iterdir()) == []


def test_orphan_temp_files_are_removed_at_open(profile: Path) -> None:
    open_store(profile).close()
    orphan = profile / "blobs" / "tmp" / "deadbeef.part"
    orphan.write_bytes(b"half a photo")
    open_store(profile).close()
    assert not orphan.exists()


def test_a_temp_file_being_written_is_not_removed_by_another_open(profile: Path) -> None:
    repo = open_store(profile)
    temp = repo.blobs.write_temp(b"in progress")
    open_store(profile).close()  # another process/instance opening the profile
    assert temp.path.exists()
    repo.blobs.discard(temp)
    repo.close()


def test_check_reports_missing_and_damaged_blobs(repo: RecordRepository) -> None:
    record = make_record()
    repo.save(record)
    one = repo.add_attachment(record.id, b"one" * 100, "1.txt", "text/plain")
    two = repo.add_attachment(record.id, b"two" * 100, "2.txt", "text/plain")
    repo.blob_path(one.sha256).unlink()
    repo.blob_path(two.sha256).write_bytes(b"tampered")
    report = repo.check()
    assert not report.ok
    assert any("missing its file" in p for p in report.problems)
    assert any("damaged" in p for p in report.problems)


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EIO])
def test_io_faults_at_every_call_leave_nothing_half_done(
    repo: RecordRepository, monkeypatch: pytest.MonkeyPatch, error: int
) -> None:
    """R3 (b): the blob store fails at call #k for every k; then the same add succeeds."""
    record = make_record()
    repo.save(record)
    data = b"z" * (3 * blobs_module.CHUNK + 17)  # several write calls
    names = ("_write", "_fsync", "_replace", "_fsync_dir")
    real = {name: getattr(blobs_module, name) for name in names}
    calls = {"n": 0, "fail_at": 0}

    def faulty(name: str) -> Any:
        def call(*args: Any) -> Any:
            calls["n"] += 1
            if calls["n"] == calls["fail_at"]:
                raise OSError(error, "injected")
            return real[name](*args)

        return call

    for name in names:
        monkeypatch.setattr(blobs_module, name, faulty(name))
    k = 0
    while True:
        k += 1
        calls.update(n=0, fail_at=k)
        try:
            repo.add_attachment(record.id, data, "f.bin", "application/octet-stream")
        except StoreError as exc:
            assert isinstance(exc, StoreFullError) == (error == errno.ENOSPC)
            assert repo.attachments(record.id) == []  # no row without its blob
            assert list(repo.blobs.tmp.iterdir()) == []
            assert repo.check().ok
            continue
        break
    assert k > 6  # every primitive was failed at least once before the clean run
    assert len(repo.attachments(record.id)) == 1 and repo.check().ok
