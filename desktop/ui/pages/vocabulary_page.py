"""The Vocabulary page: browse the controlled vocabulary as a tree, find terms by any label, curate them.

Left, the schemes (EuroVoc, the Local Government Service List, ...) with their top terms and
narrower terms, in a lazy model (:mod:`desktop.ui.vocabulary_tree`) built from one read on a
reader thread; or, while something is typed in the find box, the terms whose preferred or
alternative labels contain it. Right, the chosen term (:class:`TermPanel`). Librarians create,
edit, merge and retire terms (each one transaction on the write lane) and import EuroVoc and
the LGSL from the shared corpus with the app's import flow (batches on the write lane, progress).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.vocabulary import TermMatch
from desktop.ui.icons import app_icon
from desktop.ui.tasks import TaskManager
from desktop.ui.term_chooser import offered_text
from desktop.ui.term_panel import TermDetails, TermPanel
from desktop.ui.vocabulary_import import import_vocabularies, may_curate
from desktop.ui.vocabulary_tree import TermTree, TermTreeModel, scheme_name

if TYPE_CHECKING:
    from desktop.session import Session
    from desktop.vocabulary_service import VocabularyResult

logger = logging.getLogger(__name__)

FIND_DEBOUNCE_MS = 200
FOUND_SHOWN = 200
ID_ROLE = Qt.ItemDataRole.UserRole


class VocabularyPage(QWidget):
    """Tree or found terms on the left, the chosen term on the right, curation in the toolbar."""

    history_changed = Signal(bool)
    records_changed = Signal(object)  # Changes of an edit, merge, retirement or import
    record_opened = Signal(str)  # a record using a term was chosen
    tree_loaded = Signal()
    leave_requested = Signal(object)  # Back: the page a term was opened from

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.nav_key = "vocabulary"
        self.session: Session | None = None
        self.stale = True
        self.can_curate = False
        self.import_flow: Any = None
        self._select_after_load: str | None = None
        self._placing = False
        #: The page a term was opened from (a tag in a record's view); Back returns there.
        self.return_to: QWidget | None = None
        self.model = TermTreeModel(self)
        self.panel = TermPanel(tasks, self)
        self._build_toolbar()
        self._build_left()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([640, 480])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.splitter, 1)
        self._connect()
        self._update_buttons()

    # -- building ----------------------------------------------------------------------------

    def _button(self, icon_name: str, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setAccessibleName(text)
        button.setToolTip(tip)
        shown = app_icon(icon_name) if icon_name else None
        if shown is not None:
            button.setIcon(shown)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return button

    def _build_toolbar(self) -> None:
        self.heading = QLabel(self.tr("Vocabulary"))
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.count_label = QLabel("")
        self.count_label.setAccessibleName(self.tr("Number of terms"))
        self.new_button = self._button("new", self.tr("New term"), self.tr("Add a term to a vocabulary"))
        self.edit_button = self._button(
            "edit", self.tr("Edit"), self.tr("Change the term's labels, broader terms and scope note")
        )
        self.merge_button = self._button(
            "merge", self.tr("Merge…"), self.tr("Merge this term into another; what used it is retagged")
        )
        self.retire_button = self._button(
            "delete",
            self.tr("Retire…"),
            self.tr("Retire this term: replace it, or remove it from what used it"),
        )
        self.import_button = self._button(
            "",
            self.tr("Import EuroVoc and LGSL…"),
            self.tr("Import EuroVoc and the Local Government Service List"),
        )
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText(self.tr("Find a term by any of its labels"))
        self.find_edit.setAccessibleName(self.tr("Find a term"))
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.setMinimumWidth(220)
        self.find_timer = QTimer(self)
        self.find_timer.setSingleShot(True)
        self.find_timer.setInterval(FIND_DEBOUNCE_MS)
        self.note_label = QLabel("")
        self.note_label.setWordWrap(True)
        self.note_label.hide()
        self.toolbar = QWidget()
        outer = QVBoxLayout(self.toolbar)
        outer.setContentsMargins(0, 0, 0, 6)
        outer.setSpacing(4)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(12)
        top.addWidget(self.count_label)
        top.addStretch(1)
        outer.addLayout(top)
        controls = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.merge_button, self.retire_button):
            controls.addWidget(button)
        controls.addWidget(self.import_button)
        controls.addStretch(1)
        controls.addWidget(self.find_edit, 1)
        outer.addLayout(controls)
        outer.addWidget(self.note_label)

    def _build_left(self) -> None:
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAccessibleName(self.tr("Vocabulary terms by scheme"))
        self.tree.setUniformRowHeights(True)  # thousands of rows: no per-row size queries
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 80)
        self.found_list = QListWidget()
        self.found_list.setAccessibleName(self.tr("Terms found"))
        self.found_note = QLabel("")
        found_page = QWidget()
        column = QVBoxLayout(found_page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.found_note)
        column.addWidget(self.found_list, 1)
        self.left = QStackedWidget()
        self.left.addWidget(self.tree)
        self.left.addWidget(found_page)
        self.found_page = found_page

    def _connect(self) -> None:
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current_changed)
        self.found_list.currentItemChanged.connect(self._on_found_current_changed)
        self.found_list.itemActivated.connect(lambda item: self.show_in_tree(str(item.data(ID_ROLE))))
        self.find_edit.textChanged.connect(lambda _text: self.find_timer.start())
        self.find_edit.returnPressed.connect(self._find)
        self.find_timer.timeout.connect(self._find)
        self.panel.term_requested.connect(self.show_in_tree)
        self.panel.record_opened.connect(self.record_opened)
        self.panel.details_loaded.connect(self._on_details_loaded)
        self.new_button.clicked.connect(self.new_term)
        self.edit_button.clicked.connect(self.edit_term)
        self.merge_button.clicked.connect(self.merge_term)
        self.retire_button.clicked.connect(self.retire_term)
        self.import_button.clicked.connect(self.import_vocabularies)

    # -- the page's life ----------------------------------------------------------------------

    def set_session(self, session: Session | None) -> None:
        """Browse this session's vocabulary (read when the page is shown)."""
        self.session = session
        self.panel.set_session(session)
        self.stale = True

    def activate(self) -> None:
        """Shown: read the terms if they changed since."""
        if self.stale:
            self.refresh()

    def refresh(self) -> None:
        """Read every term again and rebuild the tree (off the GUI thread), keeping the chosen term."""
        session = self.session
        self.stale = False
        if session is None:
            return

        def read() -> tuple[TermTree, bool]:
            return TermTree.build(session.terms()), may_curate(session)

        self.tasks.read(read, self._on_tree_read, description="read the vocabulary")

    def _on_tree_read(self, result: tuple[TermTree, bool]) -> None:
        tree, self.can_curate = result
        first_load = not self.model.tree.terms
        opened = [
            (str(index.data(TermTreeModel.TermIdRole) or ""), self.model._node(index).scheme)
            for index in self.model.made_indexes()
            if self.tree.isExpanded(index)
        ]
        self.model.set_tree(tree)
        for term_id, scheme in opened:  # the branches that were open stay open
            index = self.model.index_of(term_id) if term_id else self.model.index_of_scheme(scheme)
            if index.isValid():
                self.tree.expand(index)
        schemes = len(tree.schemes)
        self.count_label.setText(
            self.tr("{n} terms in {s} vocabularies").format(n=f"{len(tree):,}", s=schemes)
            if schemes != 1
            else self.tr("{n} terms in 1 vocabulary").format(n=f"{len(tree):,}")
        )
        for row in range(self.model.rowCount() if first_load else 0):
            if self.model.rowCount(self.model.index(row, 0)) <= 60:  # small schemes open, EuroVoc closed
                self.tree.expand(self.model.index(row, 0))
        # The term an operation asked for, else the one chosen last (it may have changed while reading).
        target, self._select_after_load = self._select_after_load or self.panel.asked or None, None
        if target:
            self.show_in_tree(target)
        elif self.panel.details is not None:
            self.panel.reload()
        self._update_buttons()
        self.tree_loaded.emit()

    @property
    def can_go_back(self) -> bool:
        """True when a term was opened from another page (a record's tag): Back returns there."""
        return self.return_to is not None

    def go_back(self) -> None:
        """Back to the page the term was opened from."""
        if self.return_to is not None:
            origin, self.return_to = self.return_to, None
            self.leave_requested.emit(origin)

    def save_state(self, settings: QSettings) -> None:
        """The splitter and the tree's columns."""
        settings.setValue("pages/vocabulary/splitter", self.splitter.saveState())

    def restore_state(self, settings: QSettings) -> None:
        """Put back what :meth:`save_state` saved."""
        state = settings.value("pages/vocabulary/splitter")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)

    # -- choosing a term --------------------------------------------------------------------------

    def current_term_id(self) -> str | None:
        """The term shown in the panel (or chosen in the tree)."""
        if self.panel.details is not None:
            return self.panel.details.term.id
        index = self.tree.currentIndex()
        value = index.data(TermTreeModel.TermIdRole) if index.isValid() else None
        return str(value) if value else None

    def _on_tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        term_id = current.data(TermTreeModel.TermIdRole) if current.isValid() else None
        if term_id and not self._placing:
            self.panel.open_term(str(term_id))
        self._update_buttons()

    def _on_found_current_changed(self, current: QListWidgetItem | None, _previous: Any) -> None:
        if current is not None:
            self.panel.open_term(str(current.data(ID_ROLE)))

    def show_in_tree(self, term_id: str) -> None:
        """Choose ``term_id``: the tree opens down to it (the find box is cleared)."""
        if self.find_edit.text():
            self.find_edit.blockSignals(True)
            self.find_edit.clear()
            self.find_edit.blockSignals(False)
            self.find_timer.stop()
        self.left.setCurrentWidget(self.tree)
        self._select_in_tree(term_id)
        self.panel.open_term(term_id)  # a merged or retired term's panel shows its replacement

    def _select_in_tree(self, term_id: str) -> bool:
        """Open the tree down to ``term_id`` and make it current (the panel is left alone)."""
        index = self.model.index_of(term_id)
        if not index.isValid():
            return False
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self._placing = True  # the panel reads the term itself (or has its replacement already)
        try:
            self.tree.selectionModel().setCurrentIndex(index, flags)
        finally:
            self._placing = False
        self.tree.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def _on_details_loaded(self, details: TermDetails | None) -> None:
        if details is not None and details.replaced is not None:
            self._select_in_tree(details.term.id)  # an old term asked for: its replacement in the tree
        self._update_buttons()

    def _find(self) -> None:
        self.find_timer.stop()
        text = self.find_edit.text().strip()
        session = self.session
        if not text or session is None:
            self.left.setCurrentWidget(self.tree)
            return

        def deliver(found: list[TermMatch]) -> None:
            if text == self.find_edit.text().strip():
                self._show_found(text, found)

        self.tasks.read(
            lambda: session.find_terms(text, limit=FOUND_SHOWN), deliver, description="find terms"
        )

    def _show_found(self, text: str, found: list[TermMatch]) -> None:
        self.found_list.clear()
        for match in found:
            item = QListWidgetItem(f"{offered_text(match)}   ·  {scheme_name(match.scheme)}")
            item.setData(ID_ROLE, match.id)
            self.found_list.addItem(item)
        if not found:
            self.found_note.setText(self.tr("No term has a label containing “{text}”.").format(text=text))
        else:
            self.found_note.setText(
                self.tr("Terms with a label containing “{text}” (Enter shows one in the tree):").format(
                    text=text
                )
            )
        self.left.setCurrentWidget(self.found_page)

    # -- curation ------------------------------------------------------------------------------------

    def _details(self) -> TermDetails | None:
        return self.panel.details

    def _update_buttons(self) -> None:
        has_term = self._details() is not None
        for button in (self.edit_button, self.merge_button, self.retire_button):
            button.setEnabled(self.can_curate and has_term)
        self.new_button.setEnabled(self.can_curate and self.session is not None)
        self.import_button.setEnabled(self.can_curate and self.session is not None)
        if not self.can_curate and self.session is not None and not self.note_label.text():
            self.show_note(self.tr("Only librarians edit the vocabulary: sign in as one to change it."))

    def show_note(self, text: str) -> None:
        """A line under the toolbar saying what the last operation did."""
        self.note_label.setText(text)
        self.note_label.setVisible(bool(text))

    def _schemes(self) -> list[str]:
        return [s for s in self.model.tree.schemes if s]

    def _titles(self) -> dict[str, str]:
        return {term_id: entry.label for term_id, entry in self.model.tree.terms.items()}

    def new_term(self) -> QWidget | None:
        """Ask for a new term (in the scheme of the term shown); saved when the dialog is accepted."""
        from desktop.ui.term_dialogs import TermEditDialog

        session = self.session
        if session is None:
            return None
        details = self._details()
        scheme = str(details.term.fields.get("scheme") or "") if details else ""
        dialog = TermEditDialog(
            self.tasks, session, None, self._titles(), self._schemes(), self, scheme=scheme
        )

        def save() -> None:
            record = dialog.record()
            self._run(
                lambda: session.save_term(record.with_changes(owner=session.me())),
                record.id,
                self.tr("Term “{term}” created.").format(term=record.title),
            )

        return self._open(dialog, save)

    def edit_term(self) -> QWidget | None:
        """Edit the term shown: labels, broader terms, scope note; saved when the dialog is accepted."""
        from desktop.ui.term_dialogs import TermEditDialog

        details, session = self._details(), self.session
        if details is None or session is None:
            return None
        titles = {**self._titles(), **details.broader}
        dialog = TermEditDialog(self.tasks, session, details.term, titles, self._schemes(), self)

        def save() -> None:
            record = dialog.record()
            note = self.tr("Term “{term}” saved.").format(term=record.title)
            self._run(lambda: session.save_term(record), record.id, note)

        return self._open(dialog, save)

    def merge_term(self) -> QWidget | None:
        """Merge the term shown into another one, chosen in a dialog."""
        from desktop.ui.term_dialogs import MergeTermDialog

        details, session = self._details(), self.session
        if details is None or session is None:
            return None
        usage = details.usage
        dialog = MergeTermDialog(
            self.tasks, session, details.term, len(usage.tagged), len(usage.narrower), self
        )

        def merge() -> None:
            survivor, loser = dialog.survivor, details.term
            if survivor is None:
                return

            def note(n: int) -> str:
                text = (
                    self.tr("“{loser}” merged into “{survivor}”: 1 record retagged.")
                    if n == 1
                    else self.tr("“{loser}” merged into “{survivor}”: {n} records retagged.")
                )
                return text.format(loser=loser.title, survivor=survivor.label, n=f"{n:,}")

            self._run(lambda: session.merge_terms(survivor.id, loser.id), survivor.id, note)

        return self._open(dialog, merge)

    def retire_term(self) -> QWidget | None:
        """Retire the term shown, replacing it or removing it from what used it."""
        from desktop.ui.term_dialogs import RetireTermDialog

        details, session = self._details(), self.session
        if details is None or session is None:
            return None
        dialog = RetireTermDialog(self.tasks, session, details.term, len(details.usage.tagged), self)

        def retire() -> None:
            replacement, term = dialog.replacement, details.term
            replacement_id = replacement.id if replacement is not None else None
            self.panel.show_placeholder()

            def note(n: int) -> str:
                if replacement is None:
                    text = (
                        self.tr("“{term}” retired: 1 record retagged.")
                        if n == 1
                        else self.tr("“{term}” retired: {n} records retagged.")
                    )
                elif n == 1:
                    text = self.tr(
                        "“{term}” retired: 1 record retagged with “{replacement}”, "
                        "which now also has “{term}” as an alternative label."
                    )
                else:
                    text = self.tr(
                        "“{term}” retired: {n} records retagged with “{replacement}”, "
                        "which now also has “{term}” as an alternative label."
                    )
                label = replacement.label if replacement is not None else ""
                return text.format(term=term.title, replacement=label, n=f"{n:,}")

            self._run(lambda: session.retire_term(term.id, replacement_id), replacement_id, note)

        return self._open(dialog, retire)

    def _open(self, dialog: Any, on_accepted: Any) -> QWidget:
        """Show a dialog (window-modal); ``on_accepted`` runs when the person confirms it."""
        self.dialog = dialog
        dialog.accepted.connect(on_accepted)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog  # type: ignore[no-any-return]

    def _run(self, write: Any, select: str | None, note: str | Callable[[int], str]) -> None:
        """Run one vocabulary write on the write lane, then read the tree again and show ``select``.

        ``note`` says what it did: a text, or a function of how many records it retagged.
        """

        def done(result: VocabularyResult) -> None:
            self.show_note(note if isinstance(note, str) else note(result.retagged))
            self._select_after_load = select
            self.records_changed.emit(result.changes)  # the window refreshes this page (and the others)

        def failed(error: BaseException) -> None:
            QMessageBox.warning(self, self.tr("Vocabulary"), str(error))

        self.tasks.write(write, done, failed, description="change the vocabulary")

    # -- importing -------------------------------------------------------------------------------------

    def import_vocabularies(self) -> None:
        """Import EuroVoc and the LGSL from the shared corpus (asking for the folder when not found)."""
        if self.session is not None and (self.import_flow is None or not self.import_flow.running):
            self.import_flow = import_vocabularies(self, self.tasks, self.session)
            if self.import_flow is not None:
                self.import_flow.finished.connect(self._on_import_finished)

    def _on_import_finished(self, ran: bool) -> None:
        if ran:
            self.records_changed.emit(None)  # the window refreshes this page (and the others)
