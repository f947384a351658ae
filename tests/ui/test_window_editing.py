"""Editing from the main window, as a person does it: New, Edit, History, the trash, unsaved work."""

from __future__ import annotations

import pytest
from conftest import WAIT_MS
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.core.kinds import Kind
from desktop.session import Session

CASE = "Accessible indigent-support application forms"


def _open_editor(qtbot, window, trigger):
    """Run ``trigger`` and wait for the editor window it opens to be ready."""
    with qtbot.waitSignal(window.editors.editor_opened, timeout=WAIT_MS) as opened:
        trigger()
    editor_window = opened.args[0]
    qtbot.waitUntil(lambda: editor_window.editor.is_loaded, timeout=WAIT_MS)
    return editor_window


def _row_of_title(page, title: str) -> int:
    model = page.model
    rows = [row for row in range(model.rowCount()) if model.summary(row).title == title]
    return rows[0] if rows else -1


def _say_yes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *_args, **_kw: QMessageBox.StandardButton.Yes)


def _hit_titles(window) -> list[str]:
    model = window.search.model
    return [model.hit(row).title for row in range(model.rowCount())]


def test_new_case_study_from_home_is_saved_listed_and_found(qtbot, open_window, demo_profile) -> None:
    window = open_window(demo_profile)
    window.show_page(window.home)
    editor_window = _open_editor(qtbot, window, window.home.new_case_button.click)
    editor = editor_window.editor
    assert editor.record.kind is Kind.CASE_STUDY
    assert editor_window.isWindow() and editor_window.isVisible()

    qtbot.keyClicks(editor.widget("title").edit, "Standpipe queue numbers at Ward 9")
    qtbot.keyClicks(editor.widget("summary").edit, "Numbered tokens ended the morning scramble.")
    assert editor_window.windowTitle().startswith("*")
    with qtbot.waitSignal(window.record_count_changed, timeout=WAIT_MS) as counted:
        editor_window.close()
    assert counted.args[0] == 56  # the demo's 55 and the new one

    qtbot.waitUntil(
        lambda: (
            "Standpipe queue numbers at Ward 9" in " ".join(window.home.item_texts(window.home.drafts_list))
        ),
        timeout=WAIT_MS,
    )
    window.focus_search()
    qtbot.keyClicks(window.search.query_edit, "standpipe tokens")
    qtbot.waitUntil(lambda: "Standpipe queue numbers at Ward 9" in _hit_titles(window), timeout=WAIT_MS)


def test_edit_from_a_list_then_read_the_history_and_restore(
    qtbot, open_window, demo_profile, monkeypatch
) -> None:
    window = open_window(demo_profile)
    page = window.list_pages["knowledge-base"]
    window.show_page(page)
    qtbot.waitUntil(lambda: _row_of_title(page, CASE) >= 0, timeout=WAIT_MS)
    page.select_row(_row_of_title(page, CASE))
    editor_window = _open_editor(qtbot, window, page.edit_button.click)
    editor = editor_window.editor
    title = editor.widget("title").edit
    title.selectAll()
    qtbot.keyClicks(title, "Indigent-support forms, rewritten")
    with qtbot.waitSignal(editor.closed, timeout=WAIT_MS):
        editor_window.close()
    qtbot.waitUntil(
        lambda: page.detail.view is not None and page.detail.view.record.title.startswith("Indig")
    )

    dialog = window.show_history(page.current_record_id())
    assert dialog is not None
    qtbot.waitUntil(lambda: len(dialog.entries) == 2, timeout=WAIT_MS)
    dialog.table.selectRow(1)  # the version before the edit
    assert CASE in dialog.diff_view.toPlainText()
    _say_yes(monkeypatch)
    with qtbot.waitSignal(window.record_count_changed, timeout=WAIT_MS):
        dialog.restore_selected()
    qtbot.waitUntil(lambda: page.detail.view is not None and page.detail.view.record.title == CASE)


def test_a_deleted_record_comes_back_from_the_trash_page(
    qtbot, open_window, demo_profile, monkeypatch
) -> None:
    window = open_window(demo_profile)
    page = window.list_pages["knowledge-base"]
    window.show_page(page)
    qtbot.waitUntil(lambda: _row_of_title(page, CASE) >= 0, timeout=WAIT_MS)
    page.select_row(_row_of_title(page, CASE))
    _say_yes(monkeypatch)
    with qtbot.waitSignal(window.record_count_changed, timeout=WAIT_MS) as counted:
        page.delete_selected()
    assert counted.args[0] == 54

    trash = window.shell.trash_page
    window.nav.setCurrentRow(window.shell.nav_pages.index(trash))
    assert window.current_page() is trash
    qtbot.waitUntil(lambda: [r.title for r in trash.view.records] == [CASE], timeout=WAIT_MS)
    trash.view.table.selectRow(0)
    with qtbot.waitSignal(window.record_count_changed, timeout=WAIT_MS) as counted:
        qtbot.mouseClick(trash.view.restore_button, Qt.MouseButton.LeftButton)
    assert counted.args[0] == 55
    qtbot.waitUntil(lambda: not trash.view.records, timeout=WAIT_MS)


def test_unsaved_work_left_behind_is_offered_on_home_and_reopens(qtbot, open_window, demo_profile) -> None:
    with Session.open(demo_profile) as session:  # an editor that died before it could save
        draft = session.new_record(Kind.SITE_VISIT)
        draft = draft.with_changes(fields={"title": "Visit to the Ward 4 pump house", "purpose": "See"})
        session.save_working_copy(draft, "")
    window = open_window(demo_profile)
    window.show_page(window.home)
    home = window.home
    qtbot.waitUntil(lambda: home.data is not None and bool(home.data.unsaved), timeout=WAIT_MS)
    first = home.items_of(home.drafts_list)[0]
    assert first.text(0) == "Visit to the Ward 4 pump house"
    assert first.text(1) == "Site visit, unsaved"

    editor_window = _open_editor(qtbot, window, lambda: home._on_item_chosen(first))
    editor = editor_window.editor
    assert editor.record.id == draft.id
    assert editor.banner.isVisible()  # recovered work is offered back, never dropped silently
    assert editor.widget("title").edit.text() == "Visit to the Ward 4 pump house"


def test_closing_the_window_closes_and_saves_open_editors(qtbot, open_window, demo_profile) -> None:
    window = open_window(demo_profile)
    editor_window = _open_editor(qtbot, window, lambda: window.new_record(Kind.EXPERT))
    editor = editor_window.editor
    qtbot.keyClicks(editor.widget("name").edit, "Nomsa Testfigure")
    record_id = editor.record.id
    window.close()
    assert not window.isVisible()
    with Session.open(demo_profile) as session:
        assert session.store.get(record_id).title == "Nomsa Testfigure"
        assert session.working_copy(record_id) is None


def test_select_several_rows_export_them_and_move_them_to_the_trash(
    qtbot, open_window, demo_profile, monkeypatch, tmp_path
) -> None:
    from PySide6.QtWidgets import QFileDialog

    window = open_window(demo_profile)
    page = window.list_pages["centre"]
    window.show_page(page)
    qtbot.waitUntil(lambda: page.model.rowCount() >= 3, timeout=WAIT_MS)
    table = page.table
    first = table.visualRect(page.model.index(0, 0)).center()
    third = table.visualRect(page.model.index(2, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=first)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, third)
    chosen = page.selected_ids()
    assert len(chosen) == 3
    titles = [page.model.summary(row).title for row in range(3)]

    target = tmp_path / "three.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), "Markdown (*.md)"))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: all(title in target.read_text(encoding="utf-8") for title in titles))

    _say_yes(monkeypatch)
    with qtbot.waitSignal(window.record_count_changed, timeout=WAIT_MS) as counted:
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert counted.args[0] == 52
    assert {record.id for record in window.session.trash()} == set(chosen)
