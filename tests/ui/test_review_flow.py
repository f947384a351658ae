"""The curation workflow end to end, as people do it in two windows against a real server process.

Staff write a case study and submit it; after a sync the librarian sees it in the Review queue
(beside a similar item already known), returns it with a comment; after the staff member's next
sync the record says so in a banner and on Home; they edit and resubmit it; the librarian
publishes it; after a sync the author sees it published, with the whole review history, and
the server's own history in the History dialog.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import WAIT_MS
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop.core.kinds import Kind
from desktop.core.records import Record, Status
from desktop.core.review import ReviewAction, review_log
from desktop.paths import ProfilePaths
from desktop.ui.review_widgets import ReviewCommentDialog
from desktop.ui.sync_controller import SIGNED_OUT, UP_TO_DATE
from tests.support.server_process import running_server

PASSWORD = "correct horse battery"
COMMENT = "Say who runs the rota and what it cost."


@pytest.fixture
def server_url(tmp_path: Path) -> Iterator[str]:
    users = {"alice": ("staff", PASSWORD), "lib": ("librarian", PASSWORD)}
    with running_server(tmp_path / "server", users) as url:
        yield url


def _sign_in(qtbot: Any, window: Any, url: str, user: str) -> None:
    sync = window.sync_ui
    qtbot.waitUntil(lambda: sync.controller.service is not None, timeout=WAIT_MS)
    assert sync.controller.state.kind == SIGNED_OUT
    dialog = sync.open_sign_in()
    dialog.server_edit.setText(url)
    dialog.user_edit.setText(user)
    dialog.password_edit.setText(PASSWORD)
    with qtbot.waitSignal(sync.controller.signed_in, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sync.controller.state.kind == UP_TO_DATE, timeout=WAIT_MS)


def _sync(qtbot: Any, window: Any) -> None:
    controller = window.sync_ui.controller
    qtbot.waitUntil(lambda: not controller.running, timeout=WAIT_MS)
    assert controller.sync_now()
    qtbot.waitUntil(lambda: not controller.running and controller.state.kind == UP_TO_DATE, timeout=WAIT_MS)


def _status(window: Any, record_id: str) -> Status | None:
    record = window.session.store.get(record_id)
    return record.status if record is not None else None


def _shown(qtbot: Any, detail: Any, record_id: str, action: ReviewAction) -> Any:
    """The detail view shows ``record_id`` with ``action`` offered; returns that button."""
    button = detail.review.buttons[action]
    qtbot.waitUntil(lambda: detail.record_id == record_id and button.isVisible(), timeout=WAIT_MS)
    return button


def _answer_comment_dialog(qtbot: Any, text: str) -> list[bool]:
    """Fill in and accept the comment dialog once it is open (it runs its own event loop)."""
    checked: list[bool] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ReviewCommentDialog):
            QTimer.singleShot(20, answer)
            return
        checked.append(not dialog.ok_button.isEnabled())  # no comment yet: Return is not possible
        dialog.editor.setPlainText(text)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    return checked


def test_submit_return_resubmit_publish_across_two_windows(qtbot, open_window, tmp_path, server_url) -> None:
    staff = open_window(ProfilePaths(tmp_path / "alice", "--data-dir"))
    librarian = open_window(ProfilePaths(tmp_path / "lib", "--data-dir"))
    _sign_in(qtbot, staff, server_url, "alice")
    _sign_in(qtbot, librarian, server_url, "lib")
    assert librarian.session.is_librarian() and not staff.session.is_librarian()

    # The librarian's knowledge base already knows a similar practice (published at its first push).
    known = librarian.session.new_record(Kind.CASE_STUDY).with_fields(
        title="Borehole pump rota in Ward 4", summary="Households share the borehole pump on a rota."
    )
    librarian.session.save(known)
    draft: Record = staff.session.new_record(Kind.CASE_STUDY).with_fields(
        title="Borehole pump rota in Ward 9", summary="A rota for the borehole pump.", service_area="Water"
    )
    staff.session.save(draft)
    for window in (staff, librarian):
        window.refresh_after_changes()
        qtbot.waitUntil(lambda window=window: window.record_count == 1, timeout=WAIT_MS)

    # Staff: submit from the record's page.
    staff.open_record(draft.id)
    detail = staff.record_page.detail
    qtbot.mouseClick(_shown(qtbot, detail, draft.id, ReviewAction.SUBMITTED), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _status(staff, draft.id) is Status.SUBMITTED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: detail.review.banner.isVisible(), timeout=WAIT_MS)
    assert "Waiting for review" in detail.review.banner.heading.text()
    _sync(qtbot, staff)
    _sync(qtbot, librarian)

    # Librarian: the queue, the item beside the similar one, return with a comment.
    librarian.shell.show_key("review")
    queue = librarian.shell.page("review")
    qtbot.waitUntil(lambda: [i.record.id for i in queue.shown_items()] == [draft.id], timeout=WAIT_MS)
    assert queue.area_filter.findText("Water") > 0
    with qtbot.waitSignal(queue.similar_shown, timeout=WAIT_MS) as similar:
        queue.open_item(draft.id)
    assert known.id in [hit.id for hit in similar.args[0]]
    qtbot.waitUntil(lambda: queue.similar_detail.record_id == known.id, timeout=WAIT_MS)
    checked = _answer_comment_dialog(qtbot, COMMENT)
    return_button = _shown(qtbot, queue.detail, draft.id, ReviewAction.RETURNED)
    qtbot.mouseClick(return_button, Qt.MouseButton.LeftButton)
    assert checked == [True]
    qtbot.waitUntil(lambda: _status(librarian, draft.id) is Status.RETURNED, timeout=WAIT_MS)
    _sync(qtbot, librarian)

    # Staff: after their sync, the comment on Home and in the record's banner.
    _sync(qtbot, staff)
    assert _status(staff, draft.id) is Status.RETURNED
    staff.shell.show_key("home")
    home = staff.home
    qtbot.waitUntil(lambda: home.returned.isVisible() and home.returned.list.count() == 1, timeout=WAIT_MS)
    assert COMMENT in home.returned.list.item(0).text()
    staff.open_record(draft.id)
    resubmit = _shown(qtbot, detail, draft.id, ReviewAction.SUBMITTED)
    assert detail.review.banner.returned and COMMENT in detail.review.banner.message.text()
    assert "Returned to you by lib" in detail.review.banner.heading.text()
    assert COMMENT in detail.browser.toPlainText()  # the review history in the record itself

    # Staff: edit, then submit again.
    edited = staff.session.store.get(draft.id).with_fields(summary="Ward committee runs it; R 1,200 a year.")
    staff.session.save(edited)
    detail.reload()
    resubmit = _shown(qtbot, detail, draft.id, ReviewAction.SUBMITTED)
    qtbot.mouseClick(resubmit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _status(staff, draft.id) is Status.SUBMITTED, timeout=WAIT_MS)
    _sync(qtbot, staff)

    # Librarian: publish.
    _sync(qtbot, librarian)
    qtbot.waitUntil(lambda: [i.record.id for i in queue.shown_items()] == [draft.id], timeout=WAIT_MS)
    queue.open_item(draft.id)
    publish = _shown(qtbot, queue.detail, draft.id, ReviewAction.PUBLISHED)
    qtbot.mouseClick(publish, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _status(librarian, draft.id) is Status.PUBLISHED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: queue.shown_items() == [], timeout=WAIT_MS)
    _sync(qtbot, librarian)

    # Staff: published after the sync, with the whole history; the server's history online.
    _sync(qtbot, staff)
    record = staff.session.store.get(draft.id)
    assert record.status is Status.PUBLISHED
    assert [(e.action.value, e.by) for e in review_log(record)] == [
        ("submitted", "alice"),
        ("returned", "lib"),
        ("submitted", "alice"),
        ("published", "lib"),
    ]
    dialog = staff.show_history(draft.id)
    qtbot.waitUntil(lambda: dialog.server_entries is not None, timeout=WAIT_MS)
    assert [(e.user, e.action) for e in dialog.server_entries] == [
        ("alice", "create"),  # first pushed already submitted
        ("lib", "return"),
        ("alice", "submit"),  # the edit and the new submission, pushed as one version
        ("lib", "publish"),
    ]
    assert "returned it to its author" in dialog.server_view.toPlainText()
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=WAIT_MS)
    steps = [
        (dialog.table.item(r, 0).text(), dialog.table.item(r, 1).text())
        for r in range(dialog.table.rowCount())
    ]
    assert steps[0] == ("Published", "lib")  # the list reads as what was done, by whom, newest first
    assert ("Returned", "lib") in steps and ("Submitted", "alice") in steps
    dialog.close()


def test_the_queue_gives_the_record_text_the_height_and_files_a_strip(qtbot, open_window, tmp_path) -> None:
    from PySide6.QtCore import QSettings

    from desktop.core.review import ROLE_KEY

    window = open_window(ProfilePaths(tmp_path / "lib", "--data-dir"))
    session = window.session
    session.store.set_meta(ROLE_KEY, "staff")
    session.set_me("alice")
    body = "\n\n".join(f"Paragraph {n}: who ran the rota, what it cost, what changed." for n in range(60))
    record = session.new_record(Kind.CASE_STUDY).with_fields(title="Borehole pump rota", summary=body)
    session.save(record)
    session.review(record.id, "submitted")
    session.set_me("lib")  # the librarian, on this machine for the test
    session.store.set_meta(ROLE_KEY, "librarian")
    window.refresh_after_changes()
    window.shell.show_key("review")
    queue = window.shell.page("review")
    qtbot.waitUntil(lambda: [i.record.id for i in queue.shown_items()] == [record.id], timeout=WAIT_MS)
    assert window.size().width() == 1280 and window.size().height() == 800  # the default window size
    detail = queue.detail
    queue.open_item(record.id)
    slot = detail.attachments_slot
    qtbot.waitUntil(lambda: detail.record_id == record.id and slot.isVisible(), timeout=WAIT_MS)
    panel = detail.attachments_panel

    # No files: only the Add button and a line of text under the record.
    qtbot.waitUntil(lambda: not panel.grid.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: detail.browser.height() > 0.8 * detail.body.height(), timeout=WAIT_MS)
    assert panel.add_button.isVisible()

    # With a file: a strip of small tiles; the text still has most of the height.
    photo = tmp_path / "pump.png"
    from PySide6.QtGui import QColor, QImage

    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    assert image.save(str(photo))
    session.add_attachment(record.id, photo)
    panel.reload()
    qtbot.waitUntil(lambda: panel.grid.isVisible() and panel.grid.tiles.rowCount() == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: slot.height() > panel.grid.minimumHeight(), timeout=WAIT_MS)
    assert detail.browser.height() > 0.6 * detail.body.height()
    assert detail.browser.height() > 2 * slot.height()

    # The divider the librarian moves is kept for the next start.
    detail.body.setSizes([detail.body.height() - 240, 240])
    detail.body.splitterMoved.emit(detail.body.height() - 240, 1)
    settings = QSettings()
    queue.save_state(settings)
    assert 230 <= int(settings.value("review/files_height")) <= 250
    detail.files_height = 0
    queue.restore_state(settings)
    assert 230 <= detail.files_height <= 250


def test_a_review_overtaken_by_a_return_is_told_without_a_record_to_open(
    qtbot: Any, open_window: Any, empty_profile: ProfilePaths
) -> None:
    """Another librarian returned the record first, so the copy here is gone: the notification
    says so, and opening it says why nothing opens instead of an empty record page."""
    from desktop.core.communities import Notice
    from desktop.core.review import OVERTAKEN_GONE_NOTICE
    from desktop.store.communities import add_notices

    window = open_window(empty_profile)
    notice = Notice(
        "review_overtaken_gone:r1:published:1", OVERTAKEN_GONE_NOTICE, "r1", "r1", "Ward meetings", "lib"
    )
    with window.session.store._write_session("add a notice") as db:
        add_notices(db, [notice])
    window.notifications.refresh()
    qtbot.waitUntil(lambda: window.notifications.unread == 1, timeout=WAIT_MS)
    shown = window.notifications.open_list()
    qtbot.waitUntil(lambda: shown.list.count() == 1, timeout=WAIT_MS)
    text = shown.list.item(0).text()
    assert text.startswith("Reviewed first · lib returned “Ward meetings” to its authors")
    assert "no longer in your profile" in text
    page_before = window.current_page()
    shown.list.itemActivated.emit(shown.list.item(0))
    assert "returned to its authors" in window.statusBar().currentMessage()
    assert window.current_page() == page_before  # no empty record page
    qtbot.waitUntil(lambda: window.notifications.unread == 0, timeout=WAIT_MS)
    shown.close()
