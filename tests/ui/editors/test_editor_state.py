"""Undo/redo, validation next to the field, autosave, recovery, periodic commits and closing."""

from __future__ import annotations

from editor_helpers import WAIT_MS, pick
from PySide6.QtCore import Qt

from desktop.core.kinds import Kind

CASE = "Plain-language water interruption notices cut complaint calls"


def _items(field) -> list[str]:
    return [field.list.item(i).text() for i in range(field.list.count())]


def test_undo_and_redo_cover_a_text_field_and_a_list_field(qtbot, open_editor) -> None:
    editor = open_editor(CASE)
    title = editor.widget("title").edit
    tags = editor.widget("@tags")
    before_tags = _items(tags)
    dirty: list[bool] = []
    editor.dirty_changed.connect(dirty.append)

    title.setFocus()
    title.end(False)
    qtbot.keyClicks(title, " (draft)")
    assert editor.undo_stack.count() == 1  # typing in one field is one undo step
    pick(qtbot, tags, "Open", "Open data")
    assert _items(tags) == [*before_tags, "Open data"]
    assert editor.undo_stack.count() == 2
    assert dirty == [True]

    editor.undo_action.trigger()
    assert _items(tags) == before_tags
    editor.undo_action.trigger()
    assert title.text() == CASE
    assert not editor.is_dirty and dirty == [True, False]
    assert editor.status_label.text() == "Saved"

    editor.redo_action.trigger()
    editor.redo_action.trigger()
    assert title.text() == CASE + " (draft)"
    assert _items(tags)[-1] == "Open data"
    assert editor.is_dirty
    assert editor.current_record().title == CASE + " (draft)"


def test_undo_keys_in_a_text_box_reach_the_editor_stack(qtbot, open_editor) -> None:
    editor = open_editor(CASE)
    editor.window().activateWindow()
    summary = editor.widget("summary").edit
    district = editor.widget("district").edit
    district.setFocus()
    qtbot.keyClicks(district, " East")
    summary.setFocus()  # moving on closes the step: the next typing is a new one
    summary.moveCursor(summary.textCursor().MoveOperation.End)
    qtbot.keyClicks(summary, "!")
    assert editor.undo_stack.count() == 2
    qtbot.keyClick(summary, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.undo_stack.index() == 1
    assert not summary.toPlainText().endswith("!")
    assert district.text().endswith(" East")
    redo = editor.redo_action.shortcut()[0]  # Ctrl+Shift+Z or Ctrl+Y, as the platform has it
    qtbot.keyClick(summary, redo.key(), redo.keyboardModifiers())
    assert summary.toPlainText().endswith("!")


def test_a_missing_title_is_shown_next_to_the_field_and_save_is_refused(qtbot, open_editor, session) -> None:
    record = session.new_record(Kind.CASE_STUDY)
    editor = open_editor(record)
    title = editor.widget("title").edit
    assert editor.errors() == {}  # nothing nags before the person has typed
    qtbot.keyClicks(title, "Draft")
    title.selectAll()
    qtbot.keyClick(title, Qt.Key.Key_Backspace)
    assert editor.errors() == {"title": "Title is required"}
    message = editor.row("title").message
    assert message.isVisible() and message.text() == "Title is required"
    assert title.accessibleDescription() == "Title is required"

    qtbot.keyClicks(editor.widget("summary").edit, "Notes for later")
    assert not editor.save()
    assert editor.status_label.text() == "Not saved: fix the marked fields"
    assert title.hasFocus() or not editor.isActiveWindow()
    assert session.store.get(record.id) is None
    # The unfinished work is still autosaved as a working copy.
    qtbot.waitUntil(lambda: session.working_copy(record.id) is not None, timeout=WAIT_MS)
    assert session.working_copy(record.id).record.fields["summary"] == "Notes for later"

    qtbot.keyClicks(title, "Standpipe repairs")
    assert editor.errors() == {}
    with qtbot.waitSignal(editor.record_saved, timeout=WAIT_MS):
        assert editor.save()
    assert session.store.get(record.id).title == "Standpipe repairs"
    assert session.working_copy(record.id) is None


def test_autosave_writes_a_working_copy_and_a_reopened_editor_offers_it_back(
    qtbot, open_editor, session
) -> None:
    editor = open_editor(CASE)
    lessons = editor.widget("lessons").edit
    lessons.moveCursor(lessons.textCursor().MoveOperation.End)
    qtbot.keyClicks(lessons, " Keep the notices short.")
    qtbot.waitUntil(lambda: editor.autosave.writes >= 1, timeout=5_000)
    working = session.working_copy(editor.record.id)
    assert working is not None
    assert working.record.fields["lessons"].endswith("Keep the notices short.")
    assert working.base_revision == editor.record.revision
    assert editor.status_label.text().startswith("Unsaved changes — autosaved ")
    assert session.store.get(editor.record.id).fields["lessons"] == editor.record.fields["lessons"]

    # As after a crash: the first editor never saved; a new one opens on the saved record.
    saved = session.store.get(editor.record.id)
    again = open_editor(saved)
    assert again.banner.isVisible()
    assert "were recovered" in again.banner.message.text()
    assert again.widget("lessons").value().endswith("Keep the notices short.")
    assert again.is_dirty

    again.banner.discard_button.click()
    assert not again.banner.isVisible()
    assert not again.is_dirty
    assert again.widget("lessons").value() == saved.fields["lessons"]
    qtbot.waitUntil(lambda: session.working_copy(saved.id) is None, timeout=WAIT_MS)


def test_moving_the_focus_autosaves_at_once(qtbot, open_editor, session) -> None:
    editor = open_editor(CASE, debounce_ms=60_000, max_wait_ms=60_000)
    district = editor.widget("district").edit
    district.setFocus()
    qtbot.keyClicks(district, " West")
    assert editor.autosave.pending and editor.autosave.writes == 0
    editor.widget("period").edit.setFocus()
    qtbot.waitUntil(lambda: editor.autosave.writes == 1, timeout=WAIT_MS)
    assert session.working_copy(editor.record.id).record.fields["district"].endswith(" West")


def test_a_draft_never_saved_comes_back_from_its_working_copy(qtbot, open_editor, session) -> None:
    record = session.new_record(Kind.SITE_VISIT)
    first = open_editor(record)
    qtbot.keyClicks(first.widget("title").edit, "Visit to the Ward 9 reservoir")
    qtbot.waitUntil(lambda: first.autosave.writes >= 1, timeout=WAIT_MS)
    assert session.store.get(record.id) is None

    # After a crash the app finds the working copy and opens an editor on it.
    working = next(w for w in session.working_copies() if w.record.id == record.id)
    again = open_editor(working.record)
    assert again.banner.isVisible() and again.is_dirty
    assert again.widget("title").value() == "Visit to the Ward 9 reservoir"
    with qtbot.waitSignal(again.closed, timeout=WAIT_MS):
        assert again.close_editor()
    assert session.store.get(record.id).title == "Visit to the Ward 9 reservoir"
    assert session.working_copy(record.id) is None


def test_kept_recovered_work_is_saved(qtbot, open_editor, session) -> None:
    first = open_editor(CASE)
    qtbot.keyClicks(first.widget("period").edit, " and 2026")
    first.autosave.flush()
    qtbot.waitUntil(lambda: session.working_copy(first.record.id) is not None, timeout=WAIT_MS)
    again = open_editor(session.store.get(first.record.id))
    again.banner.keep_button.click()
    with qtbot.waitSignal(again.record_saved, timeout=WAIT_MS):
        again.save_action.trigger()
    assert session.store.get(first.record.id).fields["period"] == "2025 and 2026"
    assert session.working_copy(first.record.id) is None


def test_a_dirty_editor_commits_on_its_own_timer(qtbot, open_editor, session) -> None:
    editor = open_editor(CASE, commit_every_ms=300)
    revision = editor.record.revision
    qtbot.keyClicks(editor.widget("district").edit, " (north)")
    with qtbot.waitSignal(editor.record_saved, timeout=WAIT_MS):
        pass
    assert not editor.is_dirty
    stored = session.store.get(editor.record.id)
    assert stored.fields["district"].endswith(" (north)") and stored.revision != revision
    assert editor.autosave.base_revision == stored.revision


def test_closing_saves_and_an_invalid_record_asks_first(qtbot, open_editor, session, monkeypatch) -> None:
    editor = open_editor(CASE)
    qtbot.keyClicks(editor.widget("period").edit, "-26")
    with qtbot.waitSignal(editor.closed, timeout=WAIT_MS):
        assert editor.close_editor()
    assert session.store.get(editor.record.id).fields["period"] == "2025-26"

    record = session.new_record(Kind.COMMUNITY)
    draft = open_editor(record)
    qtbot.keyClicks(draft.widget("purpose").edit, "Share borehole know-how")
    answers = [False, True]
    monkeypatch.setattr(draft, "confirm_close_invalid", lambda errors: answers.pop(0))
    closed: list[bool] = []
    draft.closed.connect(lambda: closed.append(True))
    assert not draft.close_editor()  # "keep editing"
    assert not closed
    with qtbot.waitSignal(draft.closed, timeout=WAIT_MS):
        assert draft.close_editor()  # "close anyway": the work stays as a working copy
    assert session.store.get(record.id) is None
    assert session.working_copy(record.id).record.fields["purpose"] == "Share borehole know-how"
