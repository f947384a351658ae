"""Sync in the app against real servers: a private CA at sign-in, and a server that was replaced.

- An office server over https with a certificate from its own CA (``trustme``; the real
  ``imbizo-server serve --ssl-certfile/--ssl-keyfile``): the Sign in dialog's
  "Certificate authority" row takes the CA's file, the sign-in and a sync work, and the
  dialog says where the token is kept. A missing file, a file that is not PEM and another
  CA's certificate are refused with a message in the dialog, and nothing is saved.
- A server whose database was wiped and re-created (R7: a new identity): the sync stops,
  the status bar says "Sync stopped: different server" and the window asks whether to start
  again with it. No leaves every local record as it was and the server untouched (and an
  automatic sync does not ask again); Yes sends the local records to the new server and
  brings its own. A server whose feed went backwards (same identity) is asked about too.

Message boxes are opened window-modal without a nested event loop, so the tests answer
them by clicking their buttons; nothing blocks offscreen.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from conftest import WAIT_MS
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.core.kinds import Kind
from desktop.core.records import Record, new_record_id
from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.sync_service import CA_FILE_KEY, SyncService
from desktop.ui.sync_controller import ERROR, SIGNED_OUT, UP_TO_DATE
from tests.support.server_process import running_server

PASSWORD = "correct horse battery"
USERS = {"alice": ("staff", PASSWORD)}


# -- an https server with a private CA ---------------------------------------------------------


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The office CA, a certificate for ``localhost`` it issued, and another CA's certificate."""
    folder = tmp_path_factory.mktemp("pki")
    office, other = trustme.CA(), trustme.CA()
    office.cert_pem.write_to_path(str(folder / "office-ca.pem"))
    other.cert_pem.write_to_path(str(folder / "other-ca.pem"))
    leaf = office.issue_cert("localhost")
    leaf.cert_chain_pems[0].write_to_path(str(folder / "server.crt"))
    leaf.private_key_pem.write_to_path(str(folder / "server.key"))
    return {
        "ca": folder / "office-ca.pem",
        "other_ca": folder / "other-ca.pem",
        "cert": folder / "server.crt",
        "key": folder / "server.key",
    }


@pytest.fixture(scope="module")
def tls_url(pki: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``imbizo-server serve`` over https on a free port (certificate for ``localhost``), with alice."""
    data = tmp_path_factory.mktemp("tls-server")
    tls = (pki["cert"], pki["key"], pki["ca"])
    with running_server(data, {"alice": ("staff", PASSWORD)}, tls=tls) as url:
        yield url


# -- helpers --------------------------------------------------------------------------------------


def _dialog(qtbot: Any, window: Any, url: str) -> Any:
    sync = window.sync_ui
    qtbot.waitUntil(lambda: sync.controller.service is not None, timeout=WAIT_MS)
    dialog = sync.open_sign_in()
    assert dialog is not None
    dialog.server_edit.setText(url)
    dialog.user_edit.setText("alice")
    dialog.password_edit.setText(PASSWORD)
    return dialog


def _answer(qtbot: Any, dialog: Any) -> None:
    """Click Sign in and wait until the dialog has its answer."""
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.waiting, timeout=WAIT_MS)


def _nothing_saved(window: Any) -> None:
    service = window.sync_ui.controller.service
    assert service.server_url() is None
    assert service.session.store.get_meta(CA_FILE_KEY) in (None, "")
    assert service.tokens.load() is None
    assert window.sync_ui.controller.state.kind == SIGNED_OUT


def _case(session: Any, title: str) -> str:
    record = Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": title})
    session.save(record)
    return record.id


def _live_ids(session: Any) -> set[str]:
    return {r.id for r in session.store.iter_records([Kind.CASE_STUDY]) if not r.deleted}


def _server_count(url: str, profile: Path, ca: Path | None = None) -> int:
    """Live records alice sees on the server, read by a separate profile (no window)."""
    with Session.open(ProfilePaths(profile, "--data-dir")) as session:
        service = SyncService(session, use_keyring=False)
        service.login(url, "alice", PASSWORD, ca_file=str(ca) if ca else None)
        client = service.client()
        try:
            return sum(kind.count for kind in client.digest().kinds.values())
        finally:
            client.close()


def _sync_and_wait(qtbot: Any, controller: Any) -> None:
    qtbot.waitUntil(lambda: not controller.running, timeout=WAIT_MS)
    assert controller.sync_now()
    qtbot.waitUntil(lambda: not controller.running and controller.state.kind != "syncing", timeout=WAIT_MS)


# -- a private certificate authority --------------------------------------------------------------


def test_sign_in_with_the_office_ca_file_then_sync(
    qtbot: Any,
    open_window: Any,
    tmp_path: Path,
    pki: dict[str, Path],
    tls_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(ProfilePaths(tmp_path / "laptop", "--data-dir"))
    dialog = _dialog(qtbot, window, tls_url)
    assert dialog.form.isRowVisible(dialog.ca_row) and not dialog.warning.isVisible()
    dialog.server_edit.setText("http://127.0.0.1:1")  # plain http: no CA row, the warning instead
    assert not dialog.form.isRowVisible(dialog.ca_row) and dialog.warning.isVisible()
    dialog.server_edit.setText(tls_url)
    asked: list[tuple[Any, ...]] = []

    def pick(*args: Any) -> tuple[str, str]:
        asked.append(args)
        return str(pki["ca"]), "Certificates (*.pem *.crt *.cer)"

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(pick))
    qtbot.mouseClick(dialog.ca_button, Qt.MouseButton.LeftButton)
    assert asked and "*.pem" in asked[0][3] and "*.crt" in asked[0][3]
    assert dialog.ca_edit.text() == str(pki["ca"])

    _answer(qtbot, dialog)
    assert dialog.signed is not None and not dialog.signed.insecure
    assert "The sign-in token is kept in" in dialog.message.text()
    assert dialog.signed.token_kept_in in dialog.message.text()
    assert dialog.isVisible() and not dialog.sign_in_button.isVisible()  # the result stays to be read
    dialog.buttons.button(dialog.buttons.StandardButton.Close).click()
    assert not dialog.isVisible()

    sync = window.sync_ui
    qtbot.waitUntil(lambda: sync.controller.state.kind == UP_TO_DATE, timeout=WAIT_MS)
    assert "token is kept in" in sync.button.toolTip()  # and later, in the indicator's tooltip
    service = sync.controller.service
    assert service.session.store.get_meta(CA_FILE_KEY) == str(pki["ca"].resolve())

    _case(window.session, "Sent to the office server over TLS")
    _sync_and_wait(qtbot, sync.controller)
    assert sync.controller.state.kind == UP_TO_DATE and service.status().pending == 0
    assert _server_count(tls_url, tmp_path / "probe", pki["ca"]) >= 1

    again = sync.open_sign_in()  # the kept CA file fills the row next time
    assert again is not None and again.ca_edit.text() == str(pki["ca"].resolve())
    again.ca_edit.clear()  # cleared: the sign-in asks to forget the kept file ("" rather than None)
    assert again.ca_file() == ""
    again.close()


def test_a_bad_ca_file_is_refused_in_the_dialog_and_nothing_is_saved(
    qtbot: Any, open_window: Any, tmp_path: Path, pki: dict[str, Path], tls_url: str
) -> None:
    window = open_window(ProfilePaths(tmp_path / "laptop", "--data-dir"))
    dialog = _dialog(qtbot, window, tls_url)

    dialog.ca_edit.setText(str(tmp_path / "no-such-ca.pem"))
    _answer(qtbot, dialog)
    assert "does not exist" in dialog.message.text() and "Nothing was saved" in dialog.message.text()
    _nothing_saved(window)

    garbage = tmp_path / "office-ca.crt"
    garbage.write_bytes(b"\x30\x82\x01\x0a not a PEM file")  # DER-like bytes, as a .crt often is
    dialog.ca_edit.setText(str(garbage))
    _answer(qtbot, dialog)
    assert "not a certificate file in PEM form" in dialog.message.text()
    _nothing_saved(window)

    dialog.ca_edit.setText(str(pki["other_ca"]))  # a real CA, but not the one that signed the server
    _answer(qtbot, dialog)
    text = dialog.message.text()
    assert "does not match the certificate authority in other-ca.pem" in text, text
    assert "unable to get local issuer certificate" in text and "Nothing was saved" in text
    assert "certificate" in dialog.message.toolTip()  # the technical words for the administrator
    _nothing_saved(window)

    dialog.ca_edit.clear()  # no CA file: the system's CAs do not know the office's
    _answer(qtbot, dialog)
    assert "cannot be trusted" in dialog.message.text()
    assert "Certificate authority" in dialog.message.text()
    _nothing_saved(window)
    assert dialog.sign_in_button.isEnabled() and dialog.isVisible()  # try again with the right file

    dialog.ca_edit.setText(str(pki["ca"]))  # the positive control: the same dialog then signs in
    _answer(qtbot, dialog)
    assert dialog.signed is not None
    dialog.close()


# -- a server that was replaced ---------------------------------------------------------------------


def _server_question(qtbot: Any, sync: Any) -> QMessageBox:
    qtbot.waitUntil(lambda: sync.server_box is not None and sync.server_box.isVisible(), timeout=WAIT_MS)
    box = sync.server_box
    assert isinstance(box, QMessageBox)
    return box


def test_a_replaced_server_stops_the_sync_and_asks_before_starting_again(
    qtbot: Any, open_window: Any, tmp_path: Path
) -> None:
    data = tmp_path / "server"
    window = open_window(ProfilePaths(tmp_path / "laptop", "--data-dir"))
    sync = window.sync_ui
    controller = sync.controller
    with running_server(data, USERS) as url:
        dialog = _dialog(qtbot, window, url)
        _answer(qtbot, dialog)
        dialog.close()
        qtbot.waitUntil(lambda: controller.state.kind == UP_TO_DATE, timeout=WAIT_MS)
        mine = {_case(window.session, f"Borehole log {n}") for n in range(3)}
        _sync_and_wait(qtbot, controller)
        assert controller.state.kind == UP_TO_DATE
    shutil.rmtree(data)  # the administrator starts the server again from nothing

    with running_server(data, USERS) as url:
        with Session.open(ProfilePaths(tmp_path / "colleague", "--data-dir")) as colleague:
            other = SyncService(colleague, use_keyring=False)
            other.login(url, "alice", PASSWORD)
            theirs = {_case(colleague, f"New office note {n}") for n in range(2)}
            assert other.sync().pushed == 2

        dialog = _dialog(qtbot, window, url)  # the old token died with the old database
        _answer(qtbot, dialog)
        assert dialog.signed is not None
        dialog.close()
        box = _server_question(qtbot, sync)  # the sync after the sign-in stopped and asks
        assert controller.state.kind == ERROR
        assert sync.button.text() == "Sync stopped: different server"
        assert "not the one this profile synced with" in box.text()
        words = box.informativeText()
        assert "nothing on this computer is deleted" in words
        assert "offered to this server" in words and "only the old server had" in words
        assert "Nothing was sent or changed here" in box.detailedText()  # the engine's own message

        box.button(QMessageBox.StandardButton.No).click()
        qtbot.waitUntil(lambda: sync.server_box is None, timeout=WAIT_MS)
        assert _live_ids(window.session) == mine and controller.service.status().pending == 0
        assert sync.button.text() == "Sync stopped: different server"
        assert _server_count(url, tmp_path / "probe") == 2  # nothing was sent

        _sync_and_wait(qtbot, controller)  # an automatic sync (the timer's): stops again, asks no more
        assert sync.button.text() == "Sync stopped: different server" and sync.server_box is None
        assert _live_ids(window.session) == mine

        sync.sync_action.trigger()  # the person's "Sync now": asked again
        box = _server_question(qtbot, sync)
        box.button(QMessageBox.StandardButton.Yes).click()
        qtbot.waitUntil(
            lambda: not controller.running and controller.state.kind == UP_TO_DATE, timeout=WAIT_MS
        )
        qtbot.waitUntil(lambda: _live_ids(window.session) == mine | theirs, timeout=WAIT_MS)
        assert controller.service.status().pending == 0
        assert _server_count(url, tmp_path / "probe2") == 5  # the three local records are on it
        last = controller.service.status().last_sync
        assert last["ok"] is True and last["report"]["pushed"] == 3, last


def test_a_rewound_server_is_asked_about_in_its_own_words(
    qtbot: Any, open_window: Any, tmp_path: Path
) -> None:
    """A feed that went backwards with the same identity (a database put back by hand): the same question."""
    from sync.engine import ServerRewoundError

    window = open_window(ProfilePaths(tmp_path / "laptop", "--data-dir"))
    sync = window.sync_ui
    sync.controller._on_sync_failed(ServerRewoundError("The server holds less than this profile has seen."))
    box = _server_question(qtbot, sync)
    assert sync.button.text() == "Sync stopped: different server"
    assert (
        "knows less than this profile has seen" in box.text() and "reset or restored" in box.informativeText()
    )
    sync.controller._on_sync_failed(ServerRewoundError("again"))  # a second stop while asked: one box
    assert sync.server_box is box
    box.button(QMessageBox.StandardButton.No).click()
    qtbot.waitUntil(lambda: sync.server_box is None, timeout=WAIT_MS)
    assert sync.server_declined and sync.controller.state.kind == ERROR
