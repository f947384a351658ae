"""Helpers shared by the editor tests."""

from __future__ import annotations

from typing import Any

from desktop.core.kinds import Kind
from desktop.core.records import Record
from desktop.session import Session

WAIT_MS = 20_000


def find(session: Session, title: str, kind: Kind | None = None) -> Record:
    """A record of the profile by its exact title."""
    hits = session.search(f'"{title}"', kinds=[kind] if kind else (), limit=20).hits
    for hit in hits:
        if hit.title == title:
            found = session.store.get(hit.id)
            assert found is not None
            return found
    raise AssertionError(f"no record titled {title!r}")


def pick(qtbot: Any, field: Any, typed: str, title: str) -> None:
    """Type into a picker, wait for ``title`` among the completions and choose it in the popup."""
    from PySide6.QtCore import Qt

    field.window().activateWindow()
    field.input.setFocus()
    qtbot.keyClicks(field.input, typed)
    qtbot.waitUntil(lambda: title in field.model.stringList(), timeout=WAIT_MS)
    popup = field.completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=WAIT_MS)
    model = popup.model()
    rows = [model.index(row, 0) for row in range(model.rowCount())]
    popup.setCurrentIndex(next(index for index in rows if index.data() == title))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
