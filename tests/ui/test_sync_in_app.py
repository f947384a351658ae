"""Sync in the app, as a person does it: sign in, see the status, sync, resolve a conflict.

Two windows on two profiles of one account talk to a real ``imbizo-server`` process on
loopback; every call runs on the window's network lane.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import WAIT_MS
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from desktop.core.kinds import Kind
from desktop.core.records import Record, new_record_id
from desktop.paths import ProfilePaths
from desktop.ui.sync_controller import CONFLICTS, OFFLINE, SIGNED_OUT, UP_TO_DATE
from tests.support.server_process import running_server

PASSWORD = "correct horse battery"


@pytest.fixture
def server_url(tmp_path: Path) -> Iterator[str]:
    with running_server(tmp_path / "server", {"alice": ("staff", PASSWORD)}) as url:
        yield url


def _sign_in(qtbot, window, url: str) -> None:
    sync = window.sync_ui
    qtbot.waitUntil(lambda: sync.controller.service is not None, timeout=WAIT_MS)
    assert sync.controller.state.kind == SIGNED_OUT and sync.button.text() == "Not signed in"
    dialog = sync.open_sign_in()
    assert dialog is not None
    dialog.server_edit.setText(url)
    assert dialog.warning.isVisible() is False or "Plain http" in dialog.warning.text()
    dialog.user_edit.setText("alice")
    dialog.password_edit.setText(PASSWORD)
    with qtbot.waitSignal(sync.controller.signed_in, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sync.controller.state.kind == UP_TO_DATE, timeout=WAIT_MS)


def _case(window, title: str) -> Record:
    record = Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": title})
    window.session.save(record)
    return record


def _sync(qtbot, window) -> None:
    controller = window.sync_ui.controller
    controller.refresh_status()
    qtbot.waitUntil(lambda: not controller.running, timeout=WAIT_MS)
    assert controller.sync_now()
    qtbot.waitUntil(lambda: not controller.running and controller.state.kind != "syncing", timeout=WAIT_MS)


def test_sign_in_sync_and_resolve_a_conflict_in_the_app(qtbot, open_window, tmp_path, server_url) -> None:
    laptop = open_window(ProfilePaths(tmp_path / "laptop", "--data-dir"))
    desktop = open_window(ProfilePaths(tmp_path / "desktop", "--data-dir"))
    _sign_in(qtbot, laptop, server_url)
    _sign_in(qtbot, desktop, server_url)

    record = _case(laptop, "Standpipe tokens")
    _sync(qtbot, laptop)
    assert laptop.sync_ui.button.text() == "Up to date"
    _sync(qtbot, desktop)
    qtbot.waitUntil(lambda: (desktop.record_count or 0) == 1, timeout=WAIT_MS)  # the window refreshed

    laptop.session.save(laptop.session.store.get(record.id).with_fields(title="Standpipe tokens, Ward 9"))
    desktop.session.save(desktop.session.store.get(record.id).with_fields(title="Numbered standpipe tokens"))
    _sync(qtbot, laptop)
    _sync(qtbot, desktop)
    sync = desktop.sync_ui
    qtbot.waitUntil(lambda: sync.controller.state.kind == CONFLICTS, timeout=WAIT_MS)
    assert sync.button.text() == "1 conflict to resolve"

    dialog = sync.open_conflicts()
    qtbot.waitUntil(lambda: bool(dialog.items), timeout=WAIT_MS)
    assert dialog.table.item(0, 1).text() == "Numbered standpipe tokens"  # mine
    assert dialog.table.item(0, 2).text() == "Standpipe tokens, Ward 9"  # theirs
    assert isinstance(dialog.table.cellWidget(0, 3), QComboBox)
    with qtbot.waitSignal(dialog.resolved, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.mine_button, Qt.MouseButton.LeftButton)
    dialog.close()
    qtbot.waitUntil(lambda: sync.controller.state.kind == UP_TO_DATE, timeout=WAIT_MS)
    _sync(qtbot, laptop)
    assert laptop.session.store.get(record.id).fields["title"] == "Numbered standpipe tokens"


def test_a_server_that_goes_away_shows_offline(qtbot, open_window, tmp_path) -> None:
    with running_server(tmp_path / "server", {"alice": ("staff", PASSWORD)}) as url:
        window = open_window(ProfilePaths(tmp_path / "p", "--data-dir"))
        _sign_in(qtbot, window, url)
    controller = window.sync_ui.controller
    controller.sync_now()  # False when a sync the window started itself is already under way
    qtbot.waitUntil(lambda: controller.state.kind == OFFLINE, timeout=60_000)
    assert window.sync_ui.button.text() == "Offline"
    assert controller.probe_timer.isActive()  # it checks again, and syncs when the server answers


def test_a_file_over_the_download_limit_comes_down_when_opened(
    qtbot, open_window, tmp_path, server_url
) -> None:
    from PySide6.QtCore import QSettings

    from desktop.session import Session
    from desktop.sync_service import SyncService
    from desktop.ui import preferences
    from desktop.ui.attachments_panel import AttachmentsPanel

    # A colleague attaches a 2 MB scan and syncs (a real profile and a real client, no window).
    scan = tmp_path / "borehole-survey.bin"
    scan.write_bytes(bytes(range(256)) * (8 * 1024))
    with Session.open(ProfilePaths(tmp_path / "colleague", "--data-dir")) as colleague:
        record = Record(id=new_record_id(), kind=Kind.SITE_VISIT, fields={"title": "Borehole survey"})
        colleague.save(record)
        colleague.add_attachment(record.id, scan)
        service = SyncService(colleague, use_keyring=False)
        service.login(server_url, "alice", PASSWORD)
        assert service.sync().pushed == 1

    QSettings().setValue(preferences.DOWNLOAD_LIMIT_KEY, 1)  # this laptop takes files up to 1 MB
    window = open_window(ProfilePaths(tmp_path / "laptop", "--data-dir"))
    _sign_in(qtbot, window, server_url)
    _sync(qtbot, window)
    [info] = window.session.attachments(record.id)
    assert not info.present and not window.session.blob_path(info.sha256).exists()

    panel = AttachmentsPanel(window.tasks)
    qtbot.addWidget(panel)
    opened: list[Path] = []
    panel.open_url = lambda url: opened.append(Path(url.toLocalFile()))
    panel.set_session(window.session)
    panel.set_record(record.id)
    qtbot.waitUntil(lambda: len(panel.attachments()) == 1, timeout=WAIT_MS)
    assert "not downloaded" in panel.grid.tiles.item(0).text()
    panel.grid.select_row(0)
    panel.open_selected()
    qtbot.waitUntil(lambda: bool(opened), timeout=WAIT_MS)
    assert opened[0].name == "borehole-survey.bin" and opened[0].read_bytes() == scan.read_bytes()
    qtbot.waitUntil(lambda: "not downloaded" not in panel.grid.tiles.item(0).text(), timeout=WAIT_MS)
    assert window.session.attachments(record.id)[0].present
