"""Communities in the app, against a real ``imbizo-server`` process: join, a facilitator adds a member,
ask, answer, notified after sync, open the notification, accept, seen accepted after sync, leave."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import WAIT_MS
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QMessageBox

from desktop.core.kinds import Kind
from desktop.core.records import Record, new_record_id
from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.sync_service import SyncService
from desktop.ui.sync_controller import UP_TO_DATE
from tests.support.server_process import running_server

PASSWORD = "correct horse battery"
USERS = {"lib": ("librarian", PASSWORD), "alice": ("staff", PASSWORD), "bob": ("staff", PASSWORD)}


@pytest.fixture
def server_url(tmp_path: Path) -> Iterator[str]:
    with running_server(tmp_path / "server", USERS) as url:
        yield url


def _community_by_librarian(tmp_path: Path, url: str) -> str:
    """A librarian creates the community and makes alice its facilitator (a profile and a client)."""
    with Session.open(ProfilePaths(tmp_path / "lib", "--data-dir")) as session:
        service = SyncService(session, use_keyring=False)
        service.login(url, "lib", PASSWORD)
        community = Record(
            id=new_record_id(),
            kind=Kind.COMMUNITY,
            fields={"name": "Water and sanitation", "purpose": "Peers who run water schemes."},
        )
        session.save(community)
        service.sync()
        client = service.client()
        try:
            from sync.protocol import CommunityRole

            client.set_member(community.id, "alice", CommunityRole.FACILITATOR)
        finally:
            client.close()
    return community.id


def _signed_in(qtbot: Any, window: Any, url: str, user: str) -> None:
    controller = window.sync_ui.controller
    qtbot.waitUntil(lambda: controller.service is not None, timeout=WAIT_MS)
    with qtbot.waitSignal(controller.signed_in, timeout=WAIT_MS):
        controller.sign_in(url, user, PASSWORD)
    qtbot.waitUntil(lambda: controller.state.kind == UP_TO_DATE and not controller.running, timeout=WAIT_MS)


def _sync(qtbot: Any, window: Any) -> None:
    controller = window.sync_ui.controller
    qtbot.waitUntil(lambda: not controller.running, timeout=WAIT_MS)
    assert controller.sync_now()
    qtbot.waitUntil(lambda: not controller.running and controller.state.kind != "syncing", timeout=WAIT_MS)


def _page(window: Any) -> Any:
    window.shell.show_key("communities")
    return window.shell.page("communities")


def _open_community(qtbot: Any, window: Any, community_id: str, role: str) -> Any:
    page = _page(window)
    page.open_community(community_id)
    view = page.community_view
    qtbot.waitUntil(lambda: view.overview is not None and view.overview.my_role == role, timeout=WAIT_MS)
    return view


def test_ask_answer_notify_accept_and_membership_in_the_app(
    qtbot: Any, open_window: Any, tmp_path: Path, server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    community_id = _community_by_librarian(tmp_path, server_url)
    alice = open_window(ProfilePaths(tmp_path / "alice", "--data-dir"))
    bob = open_window(ProfilePaths(tmp_path / "bob", "--data-dir"))
    _signed_in(qtbot, alice, server_url, "alice")
    _signed_in(qtbot, bob, server_url, "bob")

    # Alice facilitates: the page says so, and she adds bob from the Members dialog.
    view = _open_community(qtbot, alice, community_id, "facilitator")
    assert view.join_button.text() == "Leave" and view.manage_button.isEnabled()
    dialog = _page(alice).manage_members()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=WAIT_MS)
    dialog.user_edit.setText("bob")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=WAIT_MS)
    dialog.table.selectRow([dialog.table.item(r, 0).text() for r in range(2)].index("bob"))
    qtbot.mouseClick(dialog.facilitator_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.overview.server_members.get("bob") == "facilitator", timeout=WAIT_MS)
    qtbot.mouseClick(dialog.member_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.overview.server_members.get("bob") == "member", timeout=WAIT_MS)
    dialog.close()

    # Alice asks in the community, offline-first: saved here, shared at the sync.
    page = _page(alice)
    ask = page.ask(community_id)
    qtbot.waitUntil(lambda: ask.community_combo.findData(community_id) >= 0, timeout=WAIT_MS)
    assert ask.community_combo.currentData() == community_id
    ask.title_edit.setText("Who repairs hand pumps in Ward 4?")
    ask.body_edit.setPlainText("The district contract ended in March.")
    with qtbot.waitSignal(ask.asked, timeout=WAIT_MS) as asked:
        qtbot.mouseClick(ask.ask_button, Qt.MouseButton.LeftButton)
    question = asked.args[0]
    qtbot.waitUntil(lambda: page.thread_view.current is not None, timeout=WAIT_MS)
    assert page.thread_view.follow_button.isChecked()
    _sync(qtbot, alice)

    # Bob syncs, sees he is a member, opens the question and answers.
    _sync(qtbot, bob)
    _open_community(qtbot, bob, community_id, "member")
    bob_page = _page(bob)
    bob_page.open_question(question.id)
    thread = bob_page.thread_view
    qtbot.waitUntil(
        lambda: thread.current is not None and thread.current.question.id == question.id, timeout=WAIT_MS
    )
    thread.answer_edit.setPlainText("The water committee keeps a list of trained caretakers.")
    qtbot.mouseClick(thread.answer_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: thread.current is not None and len(thread.current.answers) == 1, timeout=WAIT_MS)
    answer_id = thread.current.answers[0].id
    _sync(qtbot, bob)

    # Alice syncs: a notification; opening it shows the thread; she accepts the answer.
    _sync(qtbot, alice)
    bell = alice.notifications
    qtbot.waitUntil(lambda: bell.unread == 1, timeout=WAIT_MS)
    assert bell.text() == "1 new"
    notices = bell.open_list()
    qtbot.waitUntil(lambda: notices.list.count() == 1, timeout=WAIT_MS)
    assert "bob answered" in notices.list.item(0).text()
    notices.list.itemClicked.emit(notices.list.item(0))
    qtbot.waitUntil(lambda: bell.unread == 0, timeout=WAIT_MS)
    alice_thread = _page(alice).thread_view
    qtbot.waitUntil(
        lambda: alice_thread.current is not None and len(alice_thread.current.answers) == 1, timeout=WAIT_MS
    )
    assert "Accept this answer" in alice_thread.browser.toPlainText()
    alice_thread._on_anchor_clicked(QUrl(f"accept:{answer_id}"))  # the link under the answer
    qtbot.waitUntil(lambda: alice_thread.current.accepted_id == answer_id, timeout=WAIT_MS)
    _sync(qtbot, alice)

    # Bob syncs: his answer is accepted, and he was told.
    _sync(qtbot, bob)
    qtbot.waitUntil(lambda: bob.notifications.unread == 1, timeout=WAIT_MS)
    thread.reload()
    qtbot.waitUntil(
        lambda: thread.current is not None and thread.current.accepted_id == answer_id, timeout=WAIT_MS
    )
    assert "Accepted answer" in thread.browser.toPlainText()

    # Bob leaves: the community-only question leaves his computer at the next sync.
    bob_view = _open_community(qtbot, bob, community_id, "member")
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(bob_view.join_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: bob_view.overview is not None and bob_view.overview.my_role == "", timeout=WAIT_MS
    )
    assert bob_view.join_button.text() == "Join"
    _sync(qtbot, bob)
    assert bob.session.store.get(question.id) is None


def test_joining_while_offline_says_why_and_changes_nothing(
    qtbot: Any, open_window: Any, tmp_path: Path
) -> None:
    """Join is a server call (the server decides who reads a community): offline it is refused
    with the reason, never queued, and the page, the outbox and the server stay as they were."""
    from desktop.community_service import MINE_KEY
    from desktop.ui.community_views import offline_text
    from sync.protocol import CommunityRole

    with running_server(tmp_path / "server", USERS) as url:
        community_id = _community_by_librarian(tmp_path, url)
        bob = open_window(ProfilePaths(tmp_path / "bob", "--data-dir"))
        _signed_in(qtbot, bob, url, "bob")
        view = _open_community(qtbot, bob, community_id, "")
    # The server has stopped: this computer is offline.
    store = bob.session.store
    waiting, mine = store.pending_outbox_count(), store.get_meta(MINE_KEY)
    assert view.join_button.text() == "Join"
    qtbot.mouseClick(view.join_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.status_label.text() == offline_text(), timeout=WAIT_MS)
    assert "server" in view.status_label.text() and "try again" in view.status_label.text()
    assert view.overview is not None and view.overview.my_role == ""
    assert view.join_button.text() == "Join"
    assert store.pending_outbox_count() == waiting  # nothing queued to send later
    assert store.get_meta(MINE_KEY) == mine

    # Back online: the server never heard of a join.
    with (
        running_server(tmp_path / "server", {}) as url,
        Session.open(ProfilePaths(tmp_path / "lib", "--data-dir")) as session,
    ):
        service = SyncService(session, use_keyring=False)
        service.login(url, "lib", PASSWORD)
        client = service.client()
        try:
            members = client.members(community_id)
        finally:
            client.close()
    assert members == {"alice": CommunityRole.FACILITATOR}  # the librarian's doing; bob's join never came


def test_a_librarian_accepts_and_the_accepted_answer_reads_as_a_link(
    qtbot: Any, open_window: Any, tmp_path: Path, server_url: str
) -> None:
    """The asker and librarians mark the accepted answer (the server's rule); a facilitator who
    did not ask is not offered it. The accepted answer reads as a link with its author and how it
    starts, on the question's page and the community page, never as an id; and a member list
    open on a page follows the server after a sync."""
    community_id = _community_by_librarian(tmp_path, server_url)  # alice facilitates
    bob = open_window(ProfilePaths(tmp_path / "bob", "--data-dir"))
    _signed_in(qtbot, bob, server_url, "bob")
    alice = open_window(ProfilePaths(tmp_path / "alice", "--data-dir"))
    _signed_in(qtbot, alice, server_url, "alice")
    alice_view = _open_community(qtbot, alice, community_id, "facilitator")
    assert alice_view.change_membership("set", "bob", "member")
    qtbot.waitUntil(
        lambda: (alice_view.overview.server_members or {}).get("bob") == "member", timeout=WAIT_MS
    )

    # Bob asks; alice answers; bob syncs and leaves the thread unaccepted.
    _sync(qtbot, bob)
    question = bob.session.ask_question("Who calibrates the chlorine dosers?", community_id=community_id)
    _sync(qtbot, bob)
    _sync(qtbot, alice)
    answer = alice.session.answer_question(question.id, "The provincial lab sends a technician each quarter.")
    _sync(qtbot, alice)
    alice_page = _page(alice)
    alice_page.open_question(question.id)
    alice_thread = alice_page.thread_view
    qtbot.waitUntil(
        lambda: alice_thread.current is not None and len(alice_thread.current.answers) == 1, timeout=WAIT_MS
    )
    assert not alice_thread.current.may_accept  # a facilitator who did not ask: the server refuses it
    assert "Accept this answer" not in alice_thread.browser.toPlainText()

    # The librarian opens the thread in the app: offered as a librarian, accepted, synced.
    lib = open_window(ProfilePaths(tmp_path / "lib", "--data-dir"))
    _signed_in(qtbot, lib, server_url, "lib")
    lib_page = _page(lib)
    lib_page.open_question(question.id)
    lib_thread = lib_page.thread_view
    qtbot.waitUntil(
        lambda: lib_thread.current is not None and len(lib_thread.current.answers) == 1, timeout=WAIT_MS
    )
    assert lib_thread.current.may_accept
    assert "Accept this answer (as librarian)" in lib_thread.browser.toPlainText()
    lib_thread._on_anchor_clicked(QUrl(f"accept:{answer.id}"))  # the link under the answer
    qtbot.waitUntil(lambda: lib_thread.current.accepted_id == answer.id, timeout=WAIT_MS)
    _sync(qtbot, lib)
    assert lib.session.store.sync_state(question.id) == "synced"  # the server took it

    # Bob syncs: the question's page and the community page link to the answer, never its id.
    bob_view = _open_community(qtbot, bob, community_id, "member")
    _sync(qtbot, bob)
    qtbot.waitUntil(
        lambda: (
            bob_view.overview is not None
            and bool(bob_view.overview.questions)
            and bob_view.overview.questions[0].accepted_answer is not None
        ),
        timeout=WAIT_MS,
    )
    page_text = bob_view.browser.toPlainText()
    assert "Accepted answer: “The provincial lab sends a technician each quarter.” — alice" in page_text
    assert answer.id not in page_text
    view = bob.session.view(question.id)
    from desktop.ui.record_html import record_html

    shown = QTextDocument()
    shown.setHtml(record_html(view, bob.palette()))
    text = shown.toPlainText()
    assert "Accepted answer\n✔ “The provincial lab sends a technician each quarter.” — alice" in text
    assert answer.id not in text  # the id is only the link's address
    assert f"href='record:{answer.id}'>“The provincial lab" in record_html(view, bob.palette())
    # The librarian acted for the asker: the page says who, and bob (the asker) is told by whom.
    assert "Accepted by\nlib" in text
    told = [n.actor for n in bob.session.store.notifications() if n.kind == "accepted"]
    assert told == ["lib"]

    # A facilitator adds someone: bob's open page shows it after his next sync, without reopening.
    assert "lib" not in (bob_view.overview.server_members or {})
    # Through alice's own signed-in app: a second SyncService would have no token where the
    # keyring is not used (CI), and the test would depend on the machine's keyring.
    assert alice_view.change_membership("set", "lib", "member")
    qtbot.waitUntil(
        lambda: (alice_view.overview.server_members or {}).get("lib") == "member", timeout=WAIT_MS
    )
    _sync(qtbot, bob)
    qtbot.waitUntil(lambda: (bob_view.overview.server_members or {}).get("lib") == "member", timeout=WAIT_MS)
    assert "lib" in bob_view.browser.toPlainText()


def _links(browser: Any) -> list[tuple[str, str]]:
    """(text, address) of every link the browser shows, in reading order."""
    found = []
    block = browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid() and fragment.charFormat().isAnchor():
                found.append((fragment.text(), fragment.charFormat().anchorHref()))
            it += 1
        block = block.next()
    return found


def _click_link(browser: Any, text: str, address: str) -> None:
    """Follow the link reading ``text`` to ``address`` (as a click on it does), asserting it is shown."""
    assert (text, address) in _links(browser), (text, address, _links(browser))
    browser.anchorClicked.emit(QUrl(address))


def test_the_asker_withdraws_an_accepted_answer_and_accepts_another_instead_offline_then_synced(
    qtbot: Any, open_window: Any, tmp_path: Path, server_url: str
) -> None:
    """Ask, answer twice, accept; withdraw it (the question is open again); accept one, then the
    other instead: each saved here at once, queued, and after the syncs the other device shows
    the question open again, then the other answer accepted, with a notification each time."""
    community_id = _community_by_librarian(tmp_path, server_url)  # alice facilitates
    alice = open_window(ProfilePaths(tmp_path / "alice", "--data-dir"))
    _signed_in(qtbot, alice, server_url, "alice")
    bob = open_window(ProfilePaths(tmp_path / "bob", "--data-dir"))
    _signed_in(qtbot, bob, server_url, "bob")
    alice_view = _open_community(qtbot, alice, community_id, "facilitator")
    assert alice_view.change_membership("set", "bob", "member")
    qtbot.waitUntil(
        lambda: (alice_view.overview.server_members or {}).get("bob") == "member", timeout=WAIT_MS
    )

    # Alice asks; bob answers twice (each answer follows the question).
    question = alice.session.ask_question("Which meters survive a flood?", community_id=community_id)
    _sync(qtbot, alice)
    _sync(qtbot, bob)
    first = bob.session.answer_question(question.id, "The sealed prepaid meters from the 2019 tender.")
    second = bob.session.answer_question(question.id, "None: mount them above the flood line.")
    _sync(qtbot, bob)
    _sync(qtbot, alice)
    page = _page(alice)
    page.open_question(question.id)
    thread = page.thread_view
    qtbot.waitUntil(lambda: thread.current is not None and len(thread.current.answers) == 2, timeout=WAIT_MS)
    assert [text for text, _ in _links(thread.browser)].count("Accept this answer") == 2
    assert "Withdraw acceptance" not in thread.browser.toPlainText()

    # She accepts the first: it is marked, offers "Withdraw acceptance"; the other "Accept this instead".
    _click_link(thread.browser, "Accept this answer", f"accept:{first.id}")
    qtbot.waitUntil(lambda: thread.current.accepted_id == first.id, timeout=WAIT_MS)
    assert thread.status_label.text().startswith("Accepted;")
    links = _links(thread.browser)
    assert ("Withdraw acceptance", f"withdraw:{question.id}") in links
    assert ("Accept this instead", f"accept:{second.id}") in links
    assert thread.browser.toPlainText().index("sealed prepaid") < thread.browser.toPlainText().index(
        "mount them above"
    )  # the accepted answer first
    assert "Accept this answer" not in thread.browser.toPlainText()
    _sync(qtbot, alice)

    # Bob syncs: answered on his community page, and told; he is offered none of the links.
    told = bob.notifications.unread
    _sync(qtbot, bob)
    qtbot.waitUntil(lambda: bob.notifications.unread == told + 1, timeout=WAIT_MS)
    bob_view = _open_community(qtbot, bob, community_id, "member")
    qtbot.waitUntil(lambda: bool(bob_view.overview.questions), timeout=WAIT_MS)
    assert bob_view.overview.open_questions == [] and "(0 open of 1)" in bob_view.browser.toPlainText()
    bob_page = _page(bob)
    bob_page.open_question(question.id)
    bob_thread = bob_page.thread_view
    qtbot.waitUntil(
        lambda: bob_thread.current is not None and bob_thread.current.accepted_id == first.id, timeout=WAIT_MS
    )
    shown = [text for text, _ in _links(bob_thread.browser)]
    assert not {"Withdraw acceptance", "Accept this instead", "Accept this answer"} & set(shown)

    # Alice withdraws it: open again here at once, queued for the next sync.
    _click_link(thread.browser, "Withdraw acceptance", f"withdraw:{question.id}")
    qtbot.waitUntil(lambda: thread.current.accepted_id == "", timeout=WAIT_MS)
    assert thread.status_label.text().startswith("Acceptance withdrawn")
    assert [text for text, _ in _links(thread.browser)].count("Accept this answer") == 2
    assert "Accepted answer" not in thread.browser.toPlainText()
    assert alice.session.store.sync_state(question.id) != "synced"  # waiting for the sync
    assert [q.id for q in alice.session.communities.overview(community_id).open_questions] == [question.id]
    _sync(qtbot, alice)
    assert alice.session.store.sync_state(question.id) == "synced"

    # Bob syncs: the question is open again on his community page, and a notification says so.
    _sync(qtbot, bob)
    qtbot.waitUntil(lambda: bob.notifications.unread == told + 2, timeout=WAIT_MS)
    bob_view = _open_community(qtbot, bob, community_id, "member")
    qtbot.waitUntil(
        lambda: [q.id for q in bob_view.overview.open_questions] == [question.id], timeout=WAIT_MS
    )
    assert "(1 open of 1)" in bob_view.browser.toPlainText()
    assert "Accepted answer" not in bob_view.browser.toPlainText()
    notices = bob.notifications.open_list()
    qtbot.waitUntil(lambda: notices.list.count() >= 2, timeout=WAIT_MS)
    assert (
        notices.list.item(0)
        .text()
        .startswith("Open again · alice withdrew the accepted answer to “Which meters survive a flood?”")
    )
    notices.close()

    # Alice accepts the first again, then the second instead, both before syncing.
    _click_link(thread.browser, "Accept this answer", f"accept:{first.id}")
    qtbot.waitUntil(lambda: thread.current.accepted_id == first.id, timeout=WAIT_MS)
    _click_link(thread.browser, "Accept this instead", f"accept:{second.id}")
    qtbot.waitUntil(lambda: thread.current.accepted_id == second.id, timeout=WAIT_MS)
    assert thread.status_label.text().startswith("Accepted instead;")
    assert ("Accept this instead", f"accept:{first.id}") in _links(thread.browser)
    _sync(qtbot, alice)

    # Bob's device shows the second answer accepted, on the community page and first in the thread.
    _sync(qtbot, bob)
    qtbot.waitUntil(lambda: bob.notifications.unread == told + 3, timeout=WAIT_MS)  # his other answer
    bob_view = _open_community(qtbot, bob, community_id, "member")
    qtbot.waitUntil(
        lambda: (
            not bob_view.overview.open_questions
            and bob_view.overview.questions[0].accepted_answer is not None
        ),
        timeout=WAIT_MS,
    )
    accepted = bob_view.overview.questions[0].accepted_answer
    assert accepted is not None and accepted.id == second.id
    assert "Accepted answer: “None: mount them above the flood line.”" in bob_view.browser.toPlainText()
    bob_page.open_question(question.id)
    qtbot.waitUntil(
        lambda: bob_thread.current is not None and bob_thread.current.accepted_id == second.id,
        timeout=WAIT_MS,
    )
    text = bob_thread.browser.toPlainText()
    assert text.index("mount them above") < text.index("sealed prepaid")  # the accepted answer first
