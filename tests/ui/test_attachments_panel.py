"""The attachments panel as a user drives it: add, thumbnails, drop, open, save a copy, remove, errors."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from desktop.core.kinds import Kind
from desktop.core.records import Record, new_record_id
from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.ui.attachments_panel import AttachmentsPanel
from desktop.ui.tasks import TaskManager
from tests.media.samples import SECRET_DATUM, photo_with_location, png_bomb, write_pdf

WAIT_MS = 20_000


@pytest.fixture
def session(empty_profile: ProfilePaths) -> Iterator[Session]:
    with Session.open(empty_profile) as opened:
        yield opened


@pytest.fixture
def tasks() -> Iterator[TaskManager]:
    errors: list[tuple[str, BaseException]] = []
    manager = TaskManager(on_unexpected_error=lambda what, error: errors.append((what, error)))
    yield manager
    manager.shutdown()
    assert errors == []  # nothing the panel did ended in the crash dialog


@pytest.fixture
def record(session: Session) -> Record:
    record = Record(id=new_record_id(), kind=Kind.SITE_VISIT, fields={"title": "Visit to Ndwedwe"})
    session.save(record)
    return record


@pytest.fixture
def panel(qtbot: Any, tasks: TaskManager, session: Session, record: Record) -> AttachmentsPanel:
    widget = AttachmentsPanel(tasks)
    qtbot.addWidget(widget)
    widget.set_session(session)
    widget.set_record(record.id)
    widget.show()
    qtbot.waitUntil(lambda: tasks.pending_count == 0, timeout=WAIT_MS)
    return widget


def _settle(qtbot: Any, tasks: TaskManager) -> None:
    qtbot.waitUntil(lambda: tasks.pending_count == 0 and not tasks.active_threads(), timeout=WAIT_MS)


def test_adding_files_shows_thumbnails_and_file_icons(
    qtbot: Any, panel: AttachmentsPanel, tasks: TaskManager, session: Session, tmp_path: Path
) -> None:
    assert panel.add_button.isEnabled() and not panel.remove_button.isEnabled()
    assert "No files yet" in panel.status.text()
    photo = photo_with_location(tmp_path / "borehole.jpg")
    pdf = write_pdf(tmp_path / "minutes.pdf", ["The committee agreed on the xolobeni pump"])
    with qtbot.waitSignal(panel.attachments_changed, timeout=WAIT_MS):
        panel.add_files([photo, pdf])
    qtbot.waitUntil(lambda: len(panel.attachments()) == 2, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: panel.grid.has_thumbnail(0), timeout=WAIT_MS)
    assert not panel.grid.has_thumbnail(1)  # a PDF shows its type icon
    names = [info.filename for info in panel.attachments()]
    assert names == ["borehole.jpg", "minutes.pdf"]
    assert "borehole.jpg" in panel.grid.tiles.item(0).text()
    # Location removed by default.
    assert SECRET_DATUM.encode() not in session.blob_path(panel.attachments()[0].sha256).read_bytes()
    # The PDF's text is read in the background and makes the record findable.
    qtbot.waitUntil(
        lambda: [h.id for h in session.search("xolobeni").hits] == [panel.record_id], timeout=WAIT_MS
    )
    _settle(qtbot, tasks)


def test_keep_location_and_downscale_options(
    qtbot: Any, panel: AttachmentsPanel, tasks: TaskManager, session: Session, tmp_path: Path
) -> None:
    assert not panel.downscale_box.isChecked() and not panel.keep_location_box.isChecked()
    panel.keep_location_box.setChecked(True)
    panel.downscale_box.setChecked(True)
    photo = photo_with_location(tmp_path / "big.jpg", size=(3200, 2400))
    with qtbot.waitSignal(panel.attachments_changed, timeout=WAIT_MS):
        panel.add_files([photo])
    qtbot.waitUntil(lambda: len(panel.attachments()) == 1, timeout=WAIT_MS)
    from PIL import Image
    from PIL.ExifTags import IFD

    with Image.open(session.blob_path(panel.attachments()[0].sha256)) as stored:
        assert max(stored.size) == 1600 and IFD.GPSInfo in stored.getexif()
    _settle(qtbot, tasks)


def test_drop_files_onto_the_panel(
    qtbot: Any, panel: AttachmentsPanel, tasks: TaskManager, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("field notes", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(notes)), QUrl("https://example.org/not-a-file")])
    enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(panel, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(panel.attachments_changed, timeout=WAIT_MS):
        QApplication.sendEvent(panel, drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: [a.filename for a in panel.attachments()] == ["notes.txt"], timeout=WAIT_MS)
    _settle(qtbot, tasks)


def test_a_drag_without_files_is_refused(panel: AttachmentsPanel) -> None:
    mime = QMimeData()
    mime.setText("just words")
    enter = QDragEnterEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(panel, enter)
    assert not enter.isAccepted()


def test_bad_files_get_a_clear_message_and_the_good_ones_are_added(
    qtbot: Any, panel: AttachmentsPanel, tasks: TaskManager, tmp_path: Path
) -> None:
    bomb = png_bomb(tmp_path / "huge.png")
    damaged = tmp_path / "damaged.jpg"
    damaged.write_bytes(photo_with_location(tmp_path / "p.jpg").read_bytes()[:2000])
    good = write_pdf(tmp_path / "good.pdf", ["fine"])
    panel.add_files([bomb, damaged, good])
    qtbot.waitUntil(lambda: panel.last_message is not None, timeout=WAIT_MS)
    assert panel.last_message is not None
    text = panel.last_message.text()
    assert "huge.png" in text and "too large" in text and "damaged.jpg" in text and "good.pdf" not in text
    qtbot.waitUntil(lambda: [a.filename for a in panel.attachments()] == ["good.pdf"], timeout=WAIT_MS)
    _settle(qtbot, tasks)


def test_open_save_a_copy_and_remove(
    qtbot: Any, panel: AttachmentsPanel, tasks: TaskManager, session: Session, tmp_path: Path
) -> None:
    pdf = write_pdf(tmp_path / "Budget 2025.pdf", ["numbers"])
    with qtbot.waitSignal(panel.attachments_changed, timeout=WAIT_MS):
        panel.add_files([pdf])
    qtbot.waitUntil(lambda: len(panel.attachments()) == 1, timeout=WAIT_MS)
    panel.grid.select_row(0)
    assert panel.open_button.isEnabled() and panel.remove_button.isEnabled()

    opened: list[QUrl] = []
    panel.open_url = opened.append
    panel.open_selected()
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=WAIT_MS)
    shown = Path(opened[0].toLocalFile())
    assert shown.name == "Budget 2025.pdf" and shown.read_bytes() == pdf.read_bytes()

    copy = tmp_path / "copy.pdf"
    panel.save_copy(panel.attachments()[0], copy)
    qtbot.waitUntil(copy.exists, timeout=WAIT_MS)
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == panel.attachments()[0].sha256

    asked: list[str] = []

    def decline(question: str) -> bool:
        asked.append(question)
        return False

    panel.confirm = decline  # type: ignore[method-assign]
    panel.remove_selected()
    assert asked and "Budget 2025.pdf" in asked[0]
    _settle(qtbot, tasks)
    assert len(panel.attachments()) == 1  # declined: nothing removed

    panel.confirm = lambda question: True  # type: ignore[method-assign]
    sha = panel.attachments()[0].sha256
    with qtbot.waitSignal(panel.attachments_changed, timeout=WAIT_MS):
        panel.remove_selected()
    qtbot.waitUntil(lambda: panel.attachments() == [], timeout=WAIT_MS)
    assert session.attachments(panel.record_id or "") == [] and not session.blob_path(sha).exists()
    _settle(qtbot, tasks)


def test_without_a_record_nothing_can_be_added(qtbot: Any, tasks: TaskManager, session: Session) -> None:
    widget = AttachmentsPanel(tasks)
    qtbot.addWidget(widget)
    widget.set_session(session)
    assert not widget.add_button.isEnabled() and not widget.open_button.isEnabled()
    for control in (widget, widget.grid, widget.add_button, widget.downscale_box, widget.keep_location_box):
        assert control.accessibleName()
    _settle(qtbot, tasks)
