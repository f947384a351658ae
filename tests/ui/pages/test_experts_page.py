"""The Experts page as people use it: find an expert for a topic, filter, request mentoring; the
expert (another window on another profile) sees the request after a sync and accepts it, and the
requester sees it accepted after theirs. Both talk to a real ``imbizo-server`` process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import WAIT_MS
from PySide6.QtCore import Qt, QUrl

from desktop.core.kinds import Kind
from desktop.core.records import Record, new_record_id
from desktop.paths import ProfilePaths
from desktop.ui.sync_controller import SIGNED_OUT, UP_TO_DATE
from tests.support.server_process import running_server

PASSWORD = "correct horse battery"


@pytest.fixture
def server_url(tmp_path: Path) -> Iterator[str]:
    users = {"olga": ("staff", PASSWORD), "petra": ("staff", PASSWORD)}
    with running_server(tmp_path / "server", users) as url:
        yield url


def _sign_in(qtbot, window, url: str, user: str) -> None:
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


def _sync(qtbot, window) -> None:
    controller = window.sync_ui.controller
    qtbot.waitUntil(lambda: not controller.running, timeout=WAIT_MS)
    assert controller.sync_now()
    qtbot.waitUntil(lambda: not controller.running and controller.state.kind == UP_TO_DATE, timeout=WAIT_MS)


def _save(qtbot, window, record: Record) -> None:
    """Save as an editor would: the window recounts (and leaves the empty state)."""
    window.session.save(record)
    window.refresh_after_changes()
    qtbot.waitUntil(lambda: window.pages.currentIndex() == window.PAGE_MAIN, timeout=WAIT_MS)


def _experts_page(qtbot, window):
    window.shell.show_key("experts")
    page = window.list_pages["experts"]
    qtbot.waitUntil(lambda: page.requests.overview is not None, timeout=WAIT_MS)
    return page


def _find(qtbot, page, topic: str) -> list[str]:
    with qtbot.waitSignal(page.finder.experts_shown, timeout=WAIT_MS) as shown:
        page.find_experts(topic) if topic != page.finder.topic else page.finder_panel.find_people()
    return [expert.name for expert in shown.args[0]]


def test_request_mentoring_from_the_finder_and_the_expert_accepts(
    qtbot, open_window, tmp_path, server_url
) -> None:
    # Petra keeps her own expert profile, marks herself available for mentoring, and syncs.
    petra = open_window(ProfilePaths(tmp_path / "petra", "--data-dir"))
    _sign_in(qtbot, petra, server_url, "petra")
    profile = Record(
        new_record_id(),
        Kind.EXPERT,
        {
            "name": "Petra Botha",
            "handle": "petra",
            "expertise": ["borehole maintenance"],
            "district": "Cape Town",
        },
        owner="petra",
    )
    _save(qtbot, petra, profile)
    petra_page = _experts_page(qtbot, petra)
    petra_page.show_requests()
    bar = petra_page.requests.availability
    qtbot.waitUntil(lambda: bar.boxes["mentoring"].isEnabled(), timeout=WAIT_MS)
    qtbot.mouseClick(bar.boxes["mentoring"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: petra.session.store.get(profile.id).fields.get("availability") == ["mentoring"],
        timeout=WAIT_MS,
    )
    _sync(qtbot, petra)

    # Olga finds people who know about boreholes: Petra (from the server) and a local colleague.
    olga = open_window(ProfilePaths(tmp_path / "olga", "--data-dir"))
    _sign_in(qtbot, olga, server_url, "olga")
    _sync(qtbot, olga)
    _save(
        qtbot,
        olga,
        Record(
            new_record_id(),
            Kind.EXPERT,
            {"name": "Zanele Khumalo", "expertise": ["boreholes"], "district": "Durban"},
        ),
    )
    page = _experts_page(qtbot, olga)
    assert page.tabs.currentWidget() is page.finder_panel
    assert sorted(_find(qtbot, page, "borehole")) == ["Petra Botha", "Zanele Khumalo"]
    panel = page.finder_panel
    panel.set_filter(panel.district_box, "Durban")
    assert _find(qtbot, page, "borehole") == ["Zanele Khumalo"]
    panel.set_filter(panel.district_box, "")
    panel.set_filter(panel.available_box, "mentoring")
    assert _find(qtbot, page, "borehole") == ["Petra Botha"]
    assert "Request mentoring" in page.finder.browser.toPlainText()

    # One click asks for mentoring; the dialog sends it.
    petra_match = page.finder.experts[0]
    page.finder.browser.anchorClicked.emit(QUrl(f"request:mentoring:{petra_match.id}"))
    dialog = page.request_dialog
    assert dialog is not None and dialog.request_type == "mentoring"
    dialog.message_edit.setPlainText("Could you mentor me on borehole maintenance this winter?")
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.request_dialog is None, timeout=WAIT_MS)  # saved, closed
    page.show_requests()
    qtbot.waitUntil(lambda: len(page.requests.overview.outgoing) == 1, timeout=WAIT_MS)
    assert page.requests.overview.outgoing[0].state == "open"
    _sync(qtbot, olga)

    # Petra syncs, sees the request waiting for her, and accepts it.
    _sync(qtbot, petra)
    requests = petra_page.requests
    qtbot.waitUntil(lambda: len(requests.overview.incoming) == 1, timeout=WAIT_MS)
    incoming = requests.overview.incoming[0]
    assert (incoming.request_type, incoming.state, incoming.other_name) == ("mentoring", "open", "olga")
    assert petra_page.tabs.tabText(petra_page.tabs.indexOf(requests)) == "Requests (1)"
    assert "Accept" in requests.browser.toPlainText()
    requests.browser.anchorClicked.emit(QUrl(f"respond:accepted:{incoming.id}"))
    qtbot.waitUntil(lambda: requests.overview.incoming[0].state == "accepted", timeout=WAIT_MS)
    _sync(qtbot, petra)

    # Olga sees it accepted after her next sync.
    _sync(qtbot, olga)
    qtbot.waitUntil(lambda: page.requests.overview.outgoing[0].state == "accepted", timeout=WAIT_MS)
    assert "accepted" in page.requests.browser.toPlainText()


def test_people_are_not_tagged_in_bulk(qtbot, open_window, demo_profile) -> None:
    # "Tag selected…" adds vocabulary terms to knowledge; a person's expertise is their profile's own.
    window = open_window(demo_profile)
    page = _experts_page(qtbot, window)
    for tab in (page.finder_panel, page.splitter, page.requests):
        page.tabs.setCurrentWidget(tab)
        assert not page.tag_button.isVisibleTo(window)
        # The directory keeps its own buttons.
        assert page.delete_button.isVisibleTo(window) == (tab is page.splitter)
    knowledge = window.list_pages["knowledge-base"]
    window.show_page(knowledge)
    assert knowledge.tag_button.isVisibleTo(window)
