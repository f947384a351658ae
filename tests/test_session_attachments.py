"""Session attachments end to end: real profile, real store, real index, real worker process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from PIL.ExifTags import IFD

from desktop.core.kinds import Kind
from desktop.core.records import Record, new_record_id
from desktop.media.errors import MediaError
from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.store import AttachmentTooLargeError
from tests.media.samples import (
    SECRET_DATUM,
    encrypted_pdf,
    photo_with_location,
    png_bomb,
    write_pdf,
)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    with Session.open(ProfilePaths(tmp_path / "profile", "--data-dir")) as opened:
        yield opened


def _case_study(session: Session, title: str = "Clinic queues in Ugu") -> Record:
    record = Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": title})
    session.save(record)
    return record


def _ids(session: Session, query: str) -> list[str]:
    return [hit.id for hit in session.search(query, limit=20).hits]


def test_pdf_text_makes_the_record_findable_and_removal_forgets_it(session: Session, tmp_path: Path) -> None:
    record = _case_study(session)
    other = _case_study(session, "Another record")
    pdf = write_pdf(tmp_path / "Pump minutes.pdf", ["Minutes of the meeting", "The zwavelpoort borehole"])
    before = len(session.history(record.id))

    info = session.add_attachment(record.id, pdf)
    revisions = len(session.history(record.id))
    assert revisions == before + 1  # the files are part of the version that syncs

    assert info.media_type == "application/pdf" and info.filename == "Pump minutes.pdf"
    assert _ids(session, "minutes") == [record.id]  # the file name is searchable at once
    assert _ids(session, "zwavelpoort") == []  # the text is not extracted yet
    assert session.extract_pending_texts() == 1
    assert _ids(session, "zwavelpoort") == [record.id]
    assert session.attachments(record.id)[0].text_state == "done"
    assert len(session.history(record.id)) == revisions  # extracted text is no new version
    assert session.check().ok  # the index agrees with the store
    assert session.extract_pending_texts() == 0

    session.add_attachment(other.id, pdf)  # the same bytes on another record
    assert session.extract_pending_texts() == 1
    assert sorted(_ids(session, "zwavelpoort")) == sorted([record.id, other.id])

    session.remove_attachment(record.id, info.sha256)
    assert _ids(session, "zwavelpoort") == [other.id]
    assert session.blob_path(info.sha256).exists()  # still used by the other record
    session.remove_attachment(other.id, info.sha256)
    assert _ids(session, "zwavelpoort") == [] and not session.blob_path(info.sha256).exists()


def test_text_survives_a_rebuild_of_the_index(session: Session, tmp_path: Path) -> None:
    record = _case_study(session)
    notes = tmp_path / "notes.md"
    notes.write_text("# Field notes\n\nThe *ingwavuma* spring was capped.", encoding="utf-8")
    assert session.add_attachment(record.id, notes).media_type == "text/markdown"
    session.extract_pending_texts()
    session.reindex()
    assert _ids(session, "ingwavuma") == [record.id]


def test_failures_are_recorded_not_raised(session: Session, tmp_path: Path) -> None:
    record = _case_study(session)
    locked = encrypted_pdf(tmp_path / "locked.pdf", ["secret budget"], user_password="pw")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    session.add_attachment(record.id, locked)
    session.add_attachment(record.id, broken)
    assert session.extract_pending_texts() == 2
    states = {a.filename: a.text_state for a in session.attachments(record.id)}
    assert states == {"locked.pdf": "failed", "broken.pdf": "failed"}
    sha = session.attachments(record.id)[0].sha256
    assert "password" in (session.store.attachment_text(record.id, sha) or "")
    assert session.extract_pending_texts() == 0  # failures are not retried forever


def test_photo_loses_location_and_gets_a_cached_thumbnail(session: Session, tmp_path: Path) -> None:
    record = _case_study(session)
    photo = photo_with_location(tmp_path / "visit.jpg", size=(1600, 1200))
    info = session.add_attachment(record.id, photo)
    assert info.media_type == "image/jpeg" and info.text_state == "none"
    assert SECRET_DATUM.encode() not in session.blob_path(info.sha256).read_bytes()

    thumb = session.thumbnail(info.sha256, 128)
    assert thumb is not None and thumb.parent.parent == session.paths.data_dir / "thumbnails"
    with Image.open(thumb) as image:
        assert max(image.size) == 128
    assert session.thumbnail(info.sha256, 128) == thumb  # cached

    kept = session.add_attachment(record.id, photo, keep_location=True)
    with Image.open(session.blob_path(kept.sha256)) as image:
        assert IFD.GPSInfo in image.getexif()

    small = session.add_attachment(record.id, photo, max_side=400)
    with Image.open(session.blob_path(small.sha256)) as image:
        assert max(image.size) == 400 and IFD.GPSInfo not in image.getexif()
    assert small.size < info.size

    session.remove_attachment(record.id, info.sha256)
    assert not thumb.exists()


def test_no_thumbnail_for_documents(session: Session, tmp_path: Path) -> None:
    record = _case_study(session)
    info = session.add_attachment(record.id, write_pdf(tmp_path / "a.pdf", ["text"]))
    assert session.thumbnail(info.sha256) is None


def test_hostile_and_huge_files_are_refused_clearly(session: Session, tmp_path: Path) -> None:
    record = _case_study(session)
    with pytest.raises(MediaError, match="too large"):
        session.add_attachment(record.id, png_bomb(tmp_path / "bomb.png"))
    damaged = tmp_path / "damaged.jpg"
    damaged.write_bytes(photo_with_location(tmp_path / "p.jpg").read_bytes()[:3000])
    with pytest.raises(MediaError, match="damaged or truncated"):
        session.add_attachment(record.id, damaged)
    with pytest.raises(MediaError, match="no longer exists"):
        session.add_attachment(record.id, tmp_path / "missing.pdf")
    with pytest.raises(MediaError, match="not a file"):
        session.add_attachment(record.id, tmp_path)
    session.store.blobs.max_size = 1000
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 5000)
    with pytest.raises(AttachmentTooLargeError, match="limit"):
        session.add_attachment(record.id, big)
    assert session.attachments(record.id) == []
    assert [p for p in session.store.blobs.root.rglob("*") if p.is_file()] == []
