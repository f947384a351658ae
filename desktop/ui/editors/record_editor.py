"""The record editor: a form per kind over a draft, with undo, validation, autosave and commits.

Every change is an undo command on the editor's QUndoStack; the stack's clean
state is the saved/unsaved state. The working copy is autosaved every couple of
seconds and when the focus moves; Save (Ctrl+S), closing, and a timer every few
minutes while dirty commit it (a revision, an outbox entry and an index update).
On open, a working copy newer than the saved record is recovered and offered
back in a banner; recovered work is never dropped without the person's say.
All store work runs on the TaskManager (the write lane for writes).
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.core.kinds import Kind
from desktop.core.records import Record
from desktop.core.review import ReviewAction, allowed_actions, with_workflow_of
from desktop.core.validation import FieldError, ValidationError, validate
from desktop.ui.editors.autosave import (
    COMMIT_EVERY_MS,
    DEBOUNCE_MS,
    MAX_WAIT_MS,
    AutosaveController,
    alive,
    load_editing_context,
)
from desktop.ui.editors.banner import RecoveryBanner, ask_close_invalid
from desktop.ui.editors.draft import RecordDraft, ReplaceAllCommand, SetValueCommand
from desktop.ui.editors.form import ERROR_COLOUR, FieldRow, FormBuilder
from desktop.ui.editors.layouts import build_form
from desktop.ui.editors.pickers import CompletingListField, session_lookup, term_lookup
from desktop.ui.editors.widgets import FieldWidget, UndoKeysToEditor
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.core.editing import WorkingCopy
    from desktop.session import Session

logger = logging.getLogger(__name__)


class RecordEditor(QWidget):
    """Edits one record of any kind; see the module docstring for saving and recovery."""

    record_saved = Signal(object)  # Changes
    closed = Signal()
    dirty_changed = Signal(bool)
    loaded = Signal()

    def __init__(
        self,
        tasks: TaskManager,
        session: Session,
        record: Record,
        parent: QWidget | None = None,
        *,
        debounce_ms: int = DEBOUNCE_MS,
        max_wait_ms: int = MAX_WAIT_MS,
        commit_every_ms: int = COMMIT_EVERY_MS,
    ):
        super().__init__(parent)
        self.tasks = tasks
        self.session = session
        self.record = record
        self.is_loaded = False
        self.exists = False
        self.saving = 0
        self._note = ""
        self._show_all_errors = False
        self._touched: set[str] = set()
        self._generation = 0
        self._closing = False
        self._after_save: list[Any] = []
        self.setAccessibleName(self.tr("Edit {kind}").format(kind=record.kind.value.replace("_", " ")))

        self.undo_stack = QUndoStack(self)
        self.autosave = AutosaveController(
            tasks, session, self.current_record, self,
            debounce_ms=debounce_ms, max_wait_ms=max_wait_ms, commit_every_ms=commit_every_ms,
        )  # fmt: skip
        self.autosave.base_revision = record.revision
        self._build(record.kind)
        self.draft = RecordDraft(record, self.form.widgets.keys(), self)
        self._connect()
        self._refresh_all()
        self.setEnabled(False)  # until the working copy and link titles are read
        self._update_status()
        tasks.read(
            lambda: load_editing_context(session, record),
            alive(self, self._on_loaded),
            description="open the editor",
        )

    # -- building ------------------------------------------------------------------

    def _build(self, kind: Kind) -> None:
        self.toolbar = QToolBar(self)
        self.toolbar.setAccessibleName(self.tr("Editor actions"))
        self.save_action = QAction(self.tr("&Save"), self)
        self.save_action.setShortcuts(QKeySequence.StandardKey.Save)
        self.save_action.setToolTip(self.tr("Save a new version now"))
        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts(QKeySequence.StandardKey.Redo)
        for action in (self.save_action, self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
            self.toolbar.addAction(action)
        # Shown to the record's authors while it is a draft or was returned (read when it opens).
        self.submit_action = QAction(self.tr("Submit for &review"), self)
        self.submit_action.setToolTip(self.tr("Save, then send this record to a librarian to publish"))
        self.submit_action.setVisible(False)
        self.toolbar.addAction(self.submit_action)
        self.status_label = QLabel(self)
        self.status_label.setAccessibleName(self.tr("Save state"))
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.status_label)
        self.banner = RecoveryBanner(self)
        self.problems_label = QLabel(self)
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.problems_label.setAccessibleName(self.tr("Problems with this record"))
        self.problems_label.hide()

        container = QWidget()
        self.form = FormBuilder(
            kind,
            container,
            people_lookup=session_lookup(self.tasks, self.session, [Kind.EXPERT], self),
            term_lookup=term_lookup(self.tasks, self.session, self),
            tasks=self.tasks,
            session=self.session,
        )
        build_form(self.form)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(container)
        scroll.setAccessibleName(self.tr("Record fields"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.banner)
        layout.addWidget(self.problems_label)
        layout.addWidget(scroll, 1)
        self._undo_keys = UndoKeysToEditor(self)
        for box in container.findChildren(QLineEdit) + container.findChildren(QPlainTextEdit):
            box.installEventFilter(self._undo_keys)

    def _connect(self) -> None:
        for key, widget in self.form.widgets.items():
            widget.edited.connect(lambda value, merge, key=key: self._on_field_edited(key, value, merge))
        self.draft.value_changed.connect(self._on_value_changed)
        self.draft.reloaded.connect(self._refresh_all)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self.save_action.triggered.connect(self.save)
        self.submit_action.triggered.connect(self.submit_for_review)
        self.autosave.written.connect(lambda _time: self._update_status())
        self.autosave.failed.connect(self._on_autosave_failed)
        self.autosave.commit_due.connect(self._on_commit_due)
        self.banner.discarded.connect(self.discard_recovered)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    # -- state ---------------------------------------------------------------------

    @property
    def is_dirty(self) -> bool:
        """True while there are changes not committed as a revision."""
        return not self.undo_stack.isClean()

    def current_record(self) -> Record:
        """The record as edited so far."""
        return self.draft.record()

    def widget(self, key: str) -> FieldWidget:
        """The widget of a draft key ("title", "@author", "@tags"...)."""
        return self.form.widgets[key]

    def row(self, key: str) -> FieldRow:
        """The row (widget and validation message) of a draft key."""
        return self.form.rows[key]

    def _on_loaded(self, context: tuple[WorkingCopy | None, dict[str, str], bool]) -> None:
        working, titles, exists = context
        self.exists = exists
        if working is not None and not exists:
            # A draft never saved (opened again from its working copy): it starts empty, and its
            # content comes back as recovered work, so closing commits it and Discard empties it.
            self.record = self.record.with_changes(fields={}, tags=(), links=())
        self.draft.load(self.record, titles)
        self.autosave.mark_written(self.record)
        if working is not None and (
            not exists or working.record.content_hash() != self.record.content_hash()
        ):
            self._recover(working)
        if exists:
            self.form.attach_record(self.record.id, self.session)
        self.is_loaded = True
        self.setEnabled(True)
        self._offer_submit()
        self._validate()
        self._update_status()
        self.loaded.emit()

    def _recover(self, working: WorkingCopy) -> None:
        values = self.draft.values_of(working.record)
        self.undo_stack.push(ReplaceAllCommand(self.draft, values, self.tr("Recover unsaved changes")))
        self.autosave.mark_written(working.record)
        self.autosave.set_dirty(True)
        older = bool(working.base_revision) and working.base_revision != self.record.revision
        self.banner.offer(working.updated_at, older_base=older)

    def discard_recovered(self) -> None:
        """Drop the recovered working copy: back to the saved record, with nothing to undo."""
        self.undo_stack.clear()
        self.draft.load(self.record)
        self.autosave.mark_written(self.record)
        session, record_id = self.session, self.record.id
        self.tasks.write(
            lambda: session.discard_working_copy(record_id), description="discard the working copy"
        )
        self._update_status()

    # -- editing -------------------------------------------------------------------

    def _on_field_edited(self, key: str, value: Any, merge: bool) -> None:
        if value == self.draft.value(key):
            return
        self._touched.add(key)
        if isinstance(self.form.widgets[key], CompletingListField):
            self.draft.titles.update(self.form.widgets[key].titles)  # type: ignore[attr-defined]
        label = self.form.rows[key].label
        command = SetValueCommand(
            self.draft, key, value, self.tr("Edit {field}").format(field=label),
            merge=merge, generation=self._generation,
        )  # fmt: skip
        self.undo_stack.push(command)

    def _on_value_changed(self, key: str) -> None:
        self._show_value(key)
        self._note = ""
        self._validate()
        self.autosave.note_change()
        self._update_status()

    def _show_value(self, key: str) -> None:
        widget = self.form.widgets[key]
        if isinstance(widget, CompletingListField):
            widget.titles.update({k: v for k, v in self.draft.titles.items() if k not in widget.titles})
        widget.set_value(self.draft.value(key))

    def _refresh_all(self) -> None:
        for key in self.form.widgets:
            self._show_value(key)

    def _on_focus_changed(self, old: QWidget | None, _new: QWidget | None) -> None:
        if not shiboken6.isValid(self) or old is None or not self.isAncestorOf(old):
            return
        self._generation += 1  # typing after the focus comes back is a new undo step
        if self.autosave.pending:
            self.autosave.flush()

    def _on_clean_changed(self, clean: bool) -> None:
        self.autosave.set_dirty(not clean)
        self._update_status()
        self.dirty_changed.emit(not clean)

    # -- validation ----------------------------------------------------------------

    def _validate(self) -> list[FieldError]:
        errors = validate(self.current_record())
        general = self.form.show_errors(errors, show_required=self._show_all_errors, touched=self._touched)
        self.problems_label.setText("\n".join(general))
        self.problems_label.setVisible(bool(general))
        return errors

    def errors(self) -> dict[str, str]:
        """The validation messages shown now, by draft key."""
        return {key: row.error for key, row in self.form.rows.items() if row.error}

    # -- saving --------------------------------------------------------------------

    def save(self) -> bool:
        """Commit the record (revision, outbox, index) on the write lane; False if it is invalid."""
        if not self.is_loaded:
            return False
        record = self.current_record()
        self._show_all_errors = True
        if self._validate():
            self._note = self.tr("Not saved: fix the marked fields")
            self._update_status()
            self.form.focus_first_problem()
            return False
        if not self.is_dirty and self.exists:
            self._run_after_save()
            return True
        self.autosave.cancel()
        self.saving += 1
        self._update_status()
        index, session = self.undo_stack.index(), self.session

        def commit() -> tuple[Any, Record | None]:
            # The status and review history are the store's: a review action may have moved them.
            changes = session.save(with_workflow_of(record, session.store.get(record.id)))
            # Whatever was typed after this save was queued is autosaved after it on the same lane.
            session.discard_working_copy(record.id)
            return changes, session.store.get(record.id)

        self.tasks.write(
            commit,
            alive(self, lambda result: self._on_saved(result, index, record)),
            alive(self, self._on_save_failed),
            description="save the record",
        )
        return True

    def _on_saved(self, result: tuple[Any, Record | None], index: int, record: Record) -> None:
        changes, saved = result
        self.saving -= 1
        self.exists = True
        self.form.attach_record(self.record.id, self.session)
        if saved is not None:
            self.record = saved
            self.draft.base = saved
            self.autosave.base_revision = saved.revision
        if self.undo_stack.index() == index:
            self.undo_stack.setClean()
            self.autosave.mark_written(record)
        self._note = ""
        self._update_status()
        self.record_saved.emit(changes)
        self._run_after_save()

    def _on_save_failed(self, error: BaseException) -> None:
        self.saving -= 1
        self._after_save.clear()
        self._closing = False
        self.setEnabled(True)
        self.autosave.note_change()  # keep the working copy current
        if isinstance(error, ValidationError):
            self._note = self.tr("Not saved: fix the marked fields")
            self._validate()
        else:
            self._note = self.tr("Not saved: {error}").format(error=error)
            self.tasks.report_error("save the record", error)
        self._update_status()

    def _on_commit_due(self) -> None:
        if self.is_dirty and not self.saving and not validate(self.current_record()):
            self.save()

    def _on_autosave_failed(self, error: BaseException) -> None:
        self._note = self.tr("Autosave failed: {error}").format(error=error)
        self._update_status()

    def _run_after_save(self) -> None:
        callbacks, self._after_save = self._after_save, []
        for callback in callbacks:
            callback()

    def _update_status(self) -> None:
        if not self.is_loaded or self.saving or self._note or not self.is_dirty:
            text = (
                self.tr("Opening…") if not self.is_loaded
                else self.tr("Saving…") if self.saving
                else self._note or (self.tr("Saved") if self.exists else self.tr("New — not saved yet"))
            )  # fmt: skip
        elif self.autosave.last_written_at:
            text = self.tr("Unsaved changes — autosaved {time}").format(time=self.autosave.last_written_at)
        else:
            text = self.tr("Unsaved changes")
        self.status_label.setText(text)

    # -- review ------------------------------------------------------------------

    def _offer_submit(self) -> None:
        session, record = self.session, self.record

        def done(who: tuple[str, bool]) -> None:
            user, librarian = who
            self.submit_action.setVisible(ReviewAction.SUBMITTED in allowed_actions(record, user, librarian))

        self.tasks.read(
            lambda: (session.me(), session.is_librarian()), alive(self, done), description="who reviews"
        )

    def submit_for_review(self) -> bool:
        """Save, submit the record for review and close the editor (False when it cannot be saved)."""
        session, record_id = self.session, self.record.id

        def submit() -> None:
            self.tasks.write(
                lambda: session.review(record_id, ReviewAction.SUBMITTED),
                alive(self, self._on_submitted),
                alive(self, lambda error: self.tasks.report_error("submit the record", error)),
                description="submit the record",
            )

        self._after_save.append(submit)
        if not self.save():
            self._after_save.remove(submit)
            return False
        return True

    def _on_submitted(self, changes: Any) -> None:
        self.record_saved.emit(changes)
        self.close_editor()  # a submitted record is the reviewers' until it comes back

    # -- closing -------------------------------------------------------------------

    def close_editor(self) -> bool:
        """Save and close; ``closed`` is emitted once the last write is done.

        Returns False (and stays open) when the record is invalid and the person chooses to keep editing.
        """
        if self._closing:
            return True
        if not self.is_loaded:
            self._finish_close()
            return True
        errors = validate(self.current_record())
        if self.is_dirty and errors:
            if not self.confirm_close_invalid(errors):
                return False
            self._closing = True
            self.autosave.note_change()
            self.autosave.flush(then=self._finish_close)  # the working copy keeps the unfinished work
            return True
        self._closing = True
        self.setEnabled(False)  # nothing typed after this point could be saved by this close
        if self.is_dirty:
            self._after_save.append(self._finish_close)
            self.save()
        else:
            self.autosave.flush(then=self._finish_close)
        return True

    def confirm_close_invalid(self, errors: list[FieldError]) -> bool:
        """Ask whether to close a record that cannot be saved yet (its changes stay as a working copy)."""
        return ask_close_invalid(self, [error.message for error in errors])

    def _finish_close(self) -> None:
        self.autosave.stop()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            with contextlib.suppress(RuntimeError, TypeError):
                app.focusChanged.disconnect(self._on_focus_changed)
        self.closed.emit()


def editor_for(
    tasks: TaskManager, session: Session, record: Record, parent: QWidget | None = None
) -> RecordEditor:
    """The editor for ``record`` (its layout follows the record's kind)."""
    return RecordEditor(tasks, session, record, parent)
