"""Fixtures for the editor tests: an open demo session, a task manager and an editor opener."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from editor_helpers import WAIT_MS, find

from desktop.core.records import Record
from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.ui.editors import RecordEditor
from desktop.ui.tasks import TaskManager


@pytest.fixture
def session(demo_profile: ProfilePaths) -> Iterator[Session]:
    """The demo profile, open (closed after the task manager has stopped)."""
    opened = Session.open(demo_profile)
    yield opened
    opened.close()


@pytest.fixture
def tasks(session: Session) -> Iterator[TaskManager]:
    """A task manager whose unexpected errors fail the test."""
    errors: list[str] = []
    manager = TaskManager(on_unexpected_error=lambda what, error: errors.append(f"{what}: {error!r}"))
    yield manager
    assert manager.shutdown(), "background work still running"
    assert not errors, errors


@pytest.fixture
def open_editor(qtbot: Any, tasks: TaskManager, session: Session) -> Callable[..., RecordEditor]:
    """Open an editor on a record (or a demo record found by title) and wait until it has loaded."""

    def opener(record: Record | str, **options: Any) -> RecordEditor:
        if isinstance(record, str):
            record = find(session, record)
        editor = RecordEditor(tasks, session, record, **options)
        qtbot.addWidget(editor)
        editor.resize(900, 1200)
        editor.show()
        qtbot.waitUntil(lambda: editor.is_loaded, timeout=WAIT_MS)
        return editor

    return opener
