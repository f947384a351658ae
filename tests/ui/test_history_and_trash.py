"""The history dialog and the trash, driven as a user would, over a real demo profile."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.core.kinds import Kind
from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.ui.history_dialog import HistoryDialog
from desktop.ui.tasks import TaskManager
from desktop.ui.trash_view import TrashView

WAIT_MS = 20_000


@pytest.fixture
def session(demo_profile: ProfilePaths) -> Iterator[Session]:
    opened = Session.open(demo_profile)
    yield opened
    opened.close()


@pytest.fixture
def tasks(qtbot: Any) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


def _say_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    def question(_parent: Any, title: str, *_args: Any, **_kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(title)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_history_shows_the_changes_and_restores_a_version(
    qtbot: Any, session: Session, tasks: TaskManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = session.list_page([Kind.CASE_STUDY], sort="title", descending=False, limit=1)[0]
    original = session.store.get(summary.id)
    assert original is not None
    session.save(original.with_fields(summary="First edit: <b>bold</b> & more"))
    session.save(original.with_fields(summary="Second edit", district="Chris Hani"))

    dialog = HistoryDialog(tasks, session, original.id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.history_loaded, timeout=WAIT_MS):
        dialog.show()
    assert dialog.table.rowCount() == 3
    assert "Summary" in dialog.table.item(0, 3).text()
    assert [dialog.table.item(row, 0).text() for row in range(3)] == ["Version 3", "Version 2", "Version 1"]
    assert dialog.table.item(2, 3).text() == "first version"
    assert dialog.heading.text().endswith("3 saved version(s)")
    assert not dialog.restore_button.isEnabled(), "the current version cannot be restored"

    dialog.table.selectRow(1)  # the first edit, against the original
    shown = dialog.diff_view.toPlainText()
    assert "First edit: <b>bold</b> & more" in shown, "text is shown as typed, never as markup"
    assert (original.fields.get("summary") or "")[:40] in shown
    dialog.table.selectRow(0)
    assert "Chris Hani" in dialog.diff_view.toPlainText()

    asked = _say_yes(monkeypatch)
    dialog.table.selectRow(2)  # the original
    assert dialog.restore_button.isEnabled()
    emitted: list[Any] = []
    dialog.record_restored.connect(emitted.append)
    with qtbot.waitSignals([dialog.record_restored, dialog.history_loaded], timeout=WAIT_MS):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert asked, "restoring asks first"
    changes = emitted[0]
    assert changes.updated == (original.id,)
    restored = session.store.get(original.id)
    assert restored is not None
    assert restored.fields == original.fields
    assert dialog.table.rowCount() == 4, "the restore is a new version; history is kept"


def test_restoring_is_not_done_when_the_user_cancels(
    qtbot: Any, session: Session, tasks: TaskManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = session.list_page([Kind.SITE_VISIT], limit=1)[0]
    record = session.store.get(summary.id)
    assert record is not None
    session.save(record.with_fields(purpose="Changed purpose"))
    dialog = HistoryDialog(tasks, session, record.id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.history_loaded, timeout=WAIT_MS):
        dialog.show()
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Cancel)
    dialog.table.selectRow(1)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert tasks.pending_count == 0
    current = session.store.get(record.id)
    assert current is not None and current.fields["purpose"] == "Changed purpose"


def test_a_deleted_record_is_restored_from_the_trash_and_found_again(
    qtbot: Any, session: Session, tasks: TaskManager
) -> None:
    summary = session.list_page([Kind.CASE_STUDY], sort="title", descending=False, limit=1)[0]
    word = max((w for w in summary.title.split() if w.isalpha()), key=len)
    assert any(hit.id == summary.id for hit in session.search(word, limit=50).hits)
    session.delete(summary.id)
    assert not any(hit.id == summary.id for hit in session.search(word, limit=50).hits)

    view = TrashView(tasks)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.refreshed, timeout=WAIT_MS):
        view.set_session(session)
    titles = [view.table.item(row, 0).text() for row in range(view.table.rowCount())]
    assert titles == [summary.title]
    assert view.table.item(0, 1).text() == "Case study"
    assert view.heading.text().startswith("1 deleted record")
    assert not view.restore_button.isEnabled()
    view.table.selectRow(0)
    assert view.restore_button.isEnabled()
    restored: list[str] = []
    view.record_restored.connect(restored.append)
    with qtbot.waitSignals([view.record_restored, view.refreshed], timeout=WAIT_MS):
        qtbot.mouseClick(view.restore_button, Qt.MouseButton.LeftButton)
    assert restored == [summary.id]
    assert view.table.rowCount() == 0
    assert view.heading.text() == "The trash is empty."
    assert any(hit.id == summary.id for hit in session.search(word, limit=50).hits)


def test_history_reads_as_versions_and_review_steps_with_who_and_when(
    qtbot: Any, session: Session, tasks: TaskManager
) -> None:
    from PySide6.QtCore import QDateTime, QLocale

    from desktop.core.records import Record, new_record_id
    from desktop.core.review import ROLE_KEY

    session.set_me("alice")
    session.store.set_meta(ROLE_KEY, "staff")
    record = Record(
        id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": "Ward meetings"}, owner="alice"
    )
    other = Record(
        id=new_record_id(),
        kind=Kind.CASE_STUDY,
        fields={"title": "Ward meeting notes", "district": "Chris Hani"},
        owner="alice",
    )
    session.save(record)
    session.save(other)
    session.save(record.with_fields(summary="Monthly, in every ward"))
    session.review(record.id, "submitted")
    session.set_me("lib")  # the librarian, on this machine for the test
    session.store.set_meta(ROLE_KEY, "librarian")
    session.review(record.id, "returned", "Which wards, and how often?")
    session.merge_records(record.id, other.id)

    dialog = HistoryDialog(tasks, session, record.id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.history_loaded, timeout=WAIT_MS):
        dialog.show()
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())]
    assert headers == ["Version", "By", "When", "What changed"]
    rows = [
        [dialog.table.item(row, column).text() for column in range(4)]
        for row in range(dialog.table.rowCount())
    ]
    own = [row for row in rows if not row[3].startswith("merged record")]
    assert [row[0] for row in own] == [
        "Merged",
        "Returned",
        "Submitted",
        "Version 2",
        "Version 1",
    ]  # newest first
    assert own[0][1] == "lib" and own[0][3] == "“Ward meeting notes” merged into this record (current)"
    assert own[1][1] == "lib" and own[1][3] == "“Which wards, and how often?”"
    assert own[2][3] == "sent for review; the text is unchanged"  # a step with nothing else is never blank
    assert own[2][1] == "alice" and own[3][1] == ""  # an edit names no one until the server says who
    assert own[3][3] == "Summary" and own[4][3] == "first version"
    assert [row[0] for row in rows[len(own) :]] == ["Version 2", "Version 1"]  # the merged record's own
    assert rows[-1][3] == "merged record “Ward meeting notes”: first version"

    # A readable local date and time, no raw revision id anywhere in the list.
    entry = dialog.entries[0]
    moment = QDateTime.fromString(entry.info.saved_at, Qt.DateFormat.ISODate).toLocalTime()
    when = own[0][2]
    assert QLocale().monthName(moment.date().month()) in when and str(moment.date().year()) in when
    assert QLocale().toString(moment.time(), QLocale.FormatType.ShortFormat) in when
    revisions = {e.revision for e in dialog.entries}
    assert not any(rev[:8] in cell for rev in revisions for row in rows for cell in row)
    assert entry.revision in dialog.table.item(0, 0).toolTip()  # kept for whoever needs it
