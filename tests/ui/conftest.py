"""UI tests: real widgets, offscreen, over real temp profiles (real SQLite store, real Whoosh index)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QSettings

from desktop.paths import ProfilePaths
from desktop.resources import demo_file
from desktop.session import Session

WAIT_MS = 20_000


@pytest.fixture(scope="session", autouse=True)
def garbage_collected_on_the_gui_thread(qapp: Any) -> None:
    """As in the app: a worker thread that collected a widget cycle would crash the run."""
    from desktop.ui.gc_guard import collect_on_gui_thread

    collect_on_gui_thread()


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """QSettings, the config file and logs go to the test's temp folder, never the real user's."""
    settings_dir = tmp_path / "qsettings"
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(settings_dir))
    monkeypatch.setenv("IMBIZO_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("IMBIZO_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.delenv("IMBIZO_DATA_DIR", raising=False)


@pytest.fixture(autouse=True)
def no_leftover_workers() -> Iterator[None]:
    """Fail a test that leaves a worker thread running (napari's habit)."""
    from desktop.ui.tasks import TaskManager

    before = {t.ident for t in threading.enumerate()}
    yield
    # A deleted manager's pools waited for their threads when they were destroyed.
    live = [m for m in list(TaskManager.instances) if shiboken6.isValid(m)]
    busy = [m for m in live if m.active_threads() and not m.wait_for_done(2_000)]
    new_threads = [
        t
        for t in threading.enumerate()
        if t.ident not in before and t.is_alive() and not isinstance(t, threading._DummyThread)
    ]
    if busy or new_threads:
        pytest.fail(f"the test left workers running: {len(busy)} task managers busy, threads {new_threads}")


@pytest.fixture(scope="session")
def demo_profile_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A profile with the demo knowledge base loaded and indexed, built once per test run."""
    folder = tmp_path_factory.mktemp("demo-template") / "profile"
    with Session.open(ProfilePaths(folder, "--data-dir")) as session:
        session.load_demo(demo_file())
    return folder


@pytest.fixture
def demo_profile(demo_profile_template: Path, tmp_path: Path) -> ProfilePaths:
    """A private copy of the demo profile for one test."""
    folder = tmp_path / "profile"
    shutil.copytree(demo_profile_template, folder)
    return ProfilePaths(folder, "--data-dir")


@pytest.fixture
def empty_profile(tmp_path: Path) -> ProfilePaths:
    """A profile folder that does not exist yet (a first run)."""
    return ProfilePaths(tmp_path / "empty-profile", "--data-dir")


@pytest.fixture
def open_window(qtbot: Any) -> Iterator[Callable[[ProfilePaths], Any]]:
    """Open the main window on a profile and wait until the profile is open and counted."""
    from desktop.ui.main_window import MainWindow

    windows: list[MainWindow] = []

    def opener(paths: ProfilePaths) -> MainWindow:
        window = MainWindow(paths)
        windows.append(window)
        qtbot.addWidget(window)
        window.show()
        window.open_profile()
        qtbot.waitUntil(lambda: window.record_count is not None, timeout=WAIT_MS)
        return window

    yield opener
    for window in windows:
        window.close()
