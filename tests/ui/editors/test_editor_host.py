"""Editor windows as the main window opens them: New, Edit, one window per record, safe closing."""

from __future__ import annotations

import pytest
from editor_helpers import WAIT_MS, find
from PySide6.QtWidgets import QWidget

from desktop.core.kinds import Kind
from desktop.ui.editors import EditorHost

CASE = "Accessible indigent-support application forms"


@pytest.fixture
def host(qtbot, tasks, session):
    owner = QWidget()
    qtbot.addWidget(owner)
    editors = EditorHost(tasks, owner)
    editors.set_session(session)
    yield editors
    editors.close_all()
    qtbot.waitUntil(lambda: not editors.windows, timeout=WAIT_MS)


def test_edit_opens_one_window_per_record_and_closing_it_saves(qtbot, host, session) -> None:
    record = find(session, CASE)
    with qtbot.waitSignal(host.editor_opened, timeout=WAIT_MS) as opened:
        host.edit_record(record.id)
    window = opened.args[0]
    editor = window.editor
    qtbot.waitUntil(lambda: editor.is_loaded, timeout=WAIT_MS)
    assert window.windowTitle() == f"{CASE} — Case study"
    assert window.isWindow()

    host.edit_record(record.id)  # already open: the same window comes forward
    assert list(host.windows) == [record.id]

    qtbot.keyClicks(editor.widget("title").edit, " (2026)")
    assert window.windowTitle().startswith("*")
    with qtbot.waitSignals([host.record_saved, editor.closed], timeout=WAIT_MS):
        window.close()
    assert session.store.get(record.id).title == CASE + " (2026)"
    assert record.id not in host.windows


def test_new_opens_an_empty_draft_and_close_all_keeps_unfinished_work(qtbot, host, session) -> None:
    with qtbot.waitSignal(host.editor_opened, timeout=WAIT_MS) as opened:
        host.new_record(Kind.EXPERT)
    editor = opened.args[0].editor
    qtbot.waitUntil(lambda: editor.is_loaded, timeout=WAIT_MS)
    assert editor.record.kind is Kind.EXPERT and editor.record.owner == session.me()
    qtbot.keyClicks(editor.widget("role").edit, "Hydrologist")  # no name yet: it cannot be saved

    answers = [False]
    editor.confirm_close_invalid = lambda errors: answers.pop(0)
    assert not host.close_all()  # "keep editing"
    assert host.windows

    editor.confirm_close_invalid = lambda errors: True
    with qtbot.waitSignal(editor.closed, timeout=WAIT_MS):
        assert host.close_all()
    assert session.store.get(editor.record.id) is None
    assert session.working_copy(editor.record.id).record.fields["role"] == "Hydrologist"
