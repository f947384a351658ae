"""Editor windows: one window per record being edited, opened from New and Edit, closed safely.

The main window asks an :class:`EditorHost` to open an editor on a new record of a
kind or on an existing record (read off the GUI thread); a record already open is
brought to the front instead of opened twice. Closing a window saves the record
(or, if it cannot be saved yet and the person agrees, keeps it as a working copy);
the window goes away once that write is done. ``close_all`` does the same for
every window when the application quits.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.core.kinds import Kind
from desktop.core.records import Record
from desktop.ui.editors.autosave import alive
from desktop.ui.editors.record_editor import RecordEditor, editor_for
from desktop.ui.models import kind_label
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.session import Session

logger = logging.getLogger(__name__)


def record_to_edit(session: Session, record_id: str) -> Record | None:
    """Worker thread: the saved record, or for a draft never saved, the record of its working copy."""
    record = session.store.get(record_id)
    if record is not None:
        return record
    working = session.working_copy(record_id)
    return working.record if working is not None else None


class EditorWindow(QWidget):
    """A top-level window around one RecordEditor; its title shows the record and a * while unsaved."""

    def __init__(self, editor: RecordEditor, parent: QWidget | None = None):
        super().__init__(parent)
        self.editor = editor
        self.done = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(editor)
        self.resize(860, 900)
        editor.dirty_changed.connect(lambda _dirty: self.update_title())
        editor.record_saved.connect(lambda _changes: self.update_title())
        editor.loaded.connect(self.update_title)
        editor.closed.connect(self._on_closed)
        self.update_title()

    def update_title(self) -> None:
        """ "Title — Kind" with a leading * while there are unsaved changes."""
        record = self.editor.current_record()
        title = record.title or self.tr("(untitled)")
        text = self.tr("{title} — {kind}").format(title=title, kind=kind_label(record.kind))
        self.setWindowTitle(("*" if self.editor.is_dirty else "") + text)
        self.setAccessibleName(self.tr("Editor: {title}").format(title=title))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.done:
            super().closeEvent(event)
            return
        event.ignore()  # the window goes once the last write is done (``closed``)
        if self.editor.close_editor():
            self.hide()

    def _on_closed(self) -> None:
        self.done = True
        self.close()
        self.deleteLater()


class EditorHost(QObject):
    """Opens and tracks editor windows for one session."""

    record_saved = Signal(object)  # Changes, from any editor (lists and views refresh from it)
    editor_opened = Signal(object)  # EditorWindow

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.session: Session | None = None
        self.windows: dict[str, EditorWindow] = {}

    def set_session(self, session: Session | None) -> None:
        """Open editors on this session's records."""
        self.session = session

    def new_record(self, kind: Kind) -> None:
        """Open an editor on a fresh draft of ``kind`` (made off the GUI thread: it reads the local user)."""
        session = self.session
        if session is not None:
            self.tasks.read(
                lambda: session.new_record(kind), alive(self, self.open), description="new record"
            )

    def edit_record(self, record_id: str) -> None:
        """Open an editor on a stored record, or bring its open editor to the front."""
        window = self.windows.get(record_id)
        if window is not None:
            window.show()
            window.raise_()
            window.activateWindow()
            return
        session = self.session
        if session is not None:
            self.tasks.read(
                lambda: record_to_edit(session, record_id), alive(self, self.open), description="edit"
            )

    def open(self, record: Record | None) -> EditorWindow | None:
        """Show an editor window on ``record`` (None: the record was not found, nothing opens)."""
        if record is None or self.session is None:
            return None
        if record.id in self.windows:
            self.edit_record(record.id)
            return self.windows[record.id]
        editor = editor_for(self.tasks, self.session, record)
        parent = self.parent()
        window = EditorWindow(editor, parent if isinstance(parent, QWidget) else None)
        window.setWindowFlag(Qt.WindowType.Window)  # a window of its own, owned by the main one
        editor.record_saved.connect(self.record_saved)
        editor.closed.connect(lambda record_id=record.id: self.windows.pop(record_id, None))
        self.windows[record.id] = window
        window.show()
        self.editor_opened.emit(window)
        return window

    def close_all(self) -> bool:
        """Close every editor, saving what can be saved; False if someone chose to keep editing.

        The writes are queued on the write lane before this returns, so a TaskManager shutdown
        that follows waits for them.
        """
        for window in list(self.windows.values()):
            if not window.editor.close_editor():
                window.show()
                window.raise_()
                return False
            window.hide()
        return True
