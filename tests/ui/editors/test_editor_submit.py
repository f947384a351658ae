"""Submit for review from the editor: what is typed is saved first, the record is submitted with its
review entry, and the editor closes; a record that is not the user's to submit offers nothing."""

from __future__ import annotations

from editor_helpers import WAIT_MS

from desktop.core.kinds import Kind
from desktop.core.records import Status
from desktop.core.review import ReviewAction, review_log


def test_submit_saves_what_was_typed_then_submits_and_closes(qtbot, open_editor, session) -> None:
    draft = session.new_record(Kind.CASE_STUDY).with_fields(title="Ward meeting minutes")
    session.save(draft)
    editor = open_editor(session.store.get(draft.id))
    qtbot.waitUntil(lambda: editor.submit_action.isVisible(), timeout=WAIT_MS)
    qtbot.keyClicks(editor.widget("title").edit, ", 2026")
    with qtbot.waitSignal(editor.closed, timeout=WAIT_MS):
        editor.submit_action.trigger()
    saved = session.store.get(draft.id)
    assert saved.title == "Ward meeting minutes, 2026" and saved.status is Status.SUBMITTED
    assert [(e.action, e.by) for e in review_log(saved)] == [(ReviewAction.SUBMITTED, session.me())]


def test_no_submit_on_someone_elses_record(qtbot, open_editor, session) -> None:
    other = (
        session.new_record(Kind.CASE_STUDY).with_changes(owner="somebody-else").with_fields(title="Theirs")
    )
    session.save(other)
    editor = open_editor(session.store.get(other.id))
    qtbot.waitUntil(lambda: editor.tasks.pending_count == 0, timeout=WAIT_MS)  # "who reviews" answered
    assert not editor.submit_action.isVisible()
