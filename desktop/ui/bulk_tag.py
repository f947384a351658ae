"""Tag a selection: add (or remove) one vocabulary term on every selected record of a list, in one write.

A list page has no undo stack of its own (each editor has its own), so what a bulk tag did is
offered back in a bar above the list: "Undo" puts the term's tags and links on exactly the
records that changed back as they were (again one write; a tag a record had before stays),
and so does Ctrl+Z while the bar shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.records import Record
from desktop.core.vocabulary import TermMatch
from desktop.ui.tasks import TaskManager
from desktop.ui.term_chooser import TermChooser

if TYPE_CHECKING:
    from desktop.core.changes import Changes
    from desktop.session import Session
    from desktop.vocabulary_service import VocabularyResult


translate = QCoreApplication.translate


class BulkTagDialog(QDialog):
    """Which term, and whether to add it to or remove it from the selected records."""

    def __init__(self, tasks: TaskManager, session: Session, count: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Tag selected records"))
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(480)
        heading = QLabel(
            self.tr("Tag the {n} selected records with a vocabulary term:").format(n=count)
            if count != 1
            else self.tr("Tag the selected record with a vocabulary term:")
        )
        heading.setWordWrap(True)
        self.chooser = TermChooser(tasks, placeholder=self.tr("Type a preferred or alternative label"))
        self.chooser.setAccessibleName(self.tr("The term"))
        self.chooser.set_session(session)
        self.add_radio = QRadioButton(self.tr("Add the term"))
        self.add_radio.setChecked(True)
        self.remove_radio = QRadioButton(self.tr("Remove the term"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton(self.tr("Tag"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.chooser.chosen.connect(lambda match: self.ok_button.setEnabled(match is not None))
        self.remove_radio.toggled.connect(
            lambda on: self.ok_button.setText(self.tr("Remove") if on else self.tr("Tag"))
        )
        row = QHBoxLayout()
        row.addWidget(self.add_radio)
        row.addWidget(self.remove_radio)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.chooser)
        layout.addLayout(row)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    @property
    def term(self) -> TermMatch | None:
        """The term chosen."""
        return self.chooser.match

    @property
    def remove(self) -> bool:
        """True to remove the term instead of adding it."""
        return self.remove_radio.isChecked()


class BulkTagBar(QWidget):
    """What the last bulk tag did, with Undo; hidden until there is something to say."""

    undo_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.undo_button = QPushButton(self.tr("Undo"), self)
        self.undo_button.setAccessibleName(self.tr("Undo the tagging"))
        self.undo_button.clicked.connect(self.undo_requested)
        self.close_button = QPushButton(self.tr("Dismiss"), self)
        self.close_button.clicked.connect(self.hide)
        self.undo_action = QAction(self.tr("Undo the tagging"), self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.undo_action.setEnabled(False)
        self.undo_action.triggered.connect(self.undo_requested)
        self.addAction(self.undo_action)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.undo_button)
        layout.addWidget(self.close_button)
        self.hide()

    def say(self, text: str, *, undoable: bool) -> None:
        """Show ``text``; Undo is offered when ``undoable``."""
        self.label.setText(text)
        self.undo_button.setVisible(undoable)
        self.undo_action.setEnabled(undoable)
        self.show()

    def hideEvent(self, event: object) -> None:
        self.undo_action.setEnabled(False)
        super().hideEvent(event)  # type: ignore[arg-type]


class BulkTagger:
    """Runs "Tag selected…" for one list page and keeps what it needs to undo the last one."""

    def __init__(self, page: QWidget, tasks: TaskManager, bar: BulkTagBar):
        self.page = page
        self.tasks = tasks
        self.bar = bar
        self.dialog: BulkTagDialog | None = None
        self.last: tuple[tuple[Record, ...], TermMatch] | None = None  # the records before, the term
        bar.undo_requested.connect(self.undo)

    def start(self, session: Session, record_ids: list[str]) -> BulkTagDialog | None:
        """Ask which term (a window-modal dialog), then tag every record of ``record_ids`` in one write."""
        if not record_ids:
            return None
        dialog = BulkTagDialog(self.tasks, session, len(record_ids), self.page)
        self.dialog = dialog
        ids = list(record_ids)

        def accepted() -> None:
            if dialog.term is not None:
                self.apply(session, ids, dialog.term, remove=dialog.remove)

        dialog.accepted.connect(accepted)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def apply(self, session: Session, record_ids: list[str], term: TermMatch, *, remove: bool) -> None:
        """Tag (or untag) the records on the write lane; the bar says what happened."""
        ids = list(record_ids)

        def done(result: VocabularyResult) -> None:
            self.last = (result.before, term) if result.before else None
            n = len(result.record_ids)
            if remove:
                text = translate("BulkTagger", "Removed “{term}” from {n} records.").format(
                    term=term.label, n=n
                )
            else:
                text = translate("BulkTagger", "Tagged {n} records with “{term}”.").format(
                    term=term.label, n=n
                )
                already = len(ids) - n - result.skipped
                if already > 0:
                    text += " " + translate("BulkTagger", "{k} had it already.").format(k=already)
            if result.skipped:
                text += " " + translate(
                    "BulkTagger", "{k} you may not change were left as they were."
                ).format(k=result.skipped)
            self.bar.say(text, undoable=bool(n))
            self._changed(result.changes)

        self.tasks.write(
            lambda: session.tag_records(ids, term.id, remove=remove),
            done,
            description="tag the selected records",
        )

    def undo(self) -> None:
        """Put back the records the last bulk tag changed (one write)."""
        session = getattr(self.page, "session", None)
        if self.last is None or session is None:
            return
        before, term = self.last
        self.last = None

        def done(result: VocabularyResult) -> None:
            self.bar.say(
                translate("BulkTagger", "Undone: {n} records as they were.").format(n=len(result.record_ids)),
                undoable=False,
            )
            self._changed(result.changes)

        self.tasks.write(
            lambda: session.restore_tagging(before, term.id),
            done,
            description="undo tagging",
        )

    def _changed(self, changes: Changes) -> None:
        # The window refreshes the page shown (and marks the others) when records change.
        signal = getattr(self.page, "records_changed", None)
        if signal is not None:
            signal.emit(changes)
