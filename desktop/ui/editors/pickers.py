"""List fields: plain lists, vocabulary terms with completion, and people from the expert directory.

Each add or remove reports the whole new list through ``edited``, so it becomes
one undo command. Completion asks a ``Lookup`` (the editor runs it on a reader
thread) and shows only the answer to the latest text typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QStringListModel, Qt, QTimer
from PySide6.QtWidgets import (
    QCompleter,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from desktop.core.kinds import Kind
from desktop.ui.editors.widgets import FieldWidget

if TYPE_CHECKING:
    from desktop.session import Session
    from desktop.ui.tasks import TaskManager

#: ``lookup(text, on_result)``: find (title, record id) pairs for ``text`` and call ``on_result`` later;
#: a third item, when there, is the record's own title (the text offered was another of its names).
Lookup = Callable[[str, Callable[[list[tuple[str, ...]]], None]], None]

COMPLETE_AFTER_MS = 150
COMPLETIONS = 12
ITEM_ROLE = Qt.ItemDataRole.UserRole


def session_lookup(tasks: TaskManager, session: Session, kinds: Sequence[Kind], owner: QWidget) -> Lookup:
    """A Lookup over the session's as-you-type search for records of ``kinds``, run on a reader thread."""

    def lookup(text: str, on_result: Callable[[list[tuple[str, ...]]], None]) -> None:
        def find() -> list[tuple[str, ...]]:
            hits = session.as_you_type(text, limit=COMPLETIONS, kinds=kinds)
            return [(hit.title, hit.id) for hit in hits]

        def deliver(found: list[tuple[str, ...]]) -> None:
            if shiboken6.isValid(owner):  # the editor may have closed meanwhile
                on_result(found)

        tasks.read(find, deliver, description="complete a name")

    return lookup


def term_lookup(tasks: TaskManager, session: Session, owner: QWidget) -> Lookup:
    """A Lookup over the vocabulary's preferred and alternative labels, run on a reader thread.

    An alternative label is offered as "public data → Open data" with the term's preferred label
    as the third item, so choosing it stores the preferred label.
    """
    from desktop.ui.term_chooser import offered_texts  # Qt-free helpers beside the Vocabulary page

    def lookup(text: str, on_result: Callable[[list[tuple[str, ...]]], None]) -> None:
        def find() -> list[tuple[str, ...]]:
            matches = session.find_terms(text, limit=COMPLETIONS)
            return [(shown, match.id, match.label) for shown, match in offered_texts(matches)]

        def deliver(found: list[tuple[str, ...]]) -> None:
            if shiboken6.isValid(owner):
                on_result(found)

        tasks.read(find, deliver, description="complete a term")

    return lookup


#: Rows a list field shows without scrolling: at least, and at most.
LIST_MIN_ROWS, LIST_MAX_ROWS = 2, 6


class ListField(FieldWidget):
    """A list of short texts: type and press Enter (or Add) to add, select and Remove to remove."""

    def __init__(self, parent: QWidget | None = None, *, placeholder: str = ""):
        super().__init__(parent)
        self.items: tuple[Any, ...] = ()
        self.list = QListWidget(self)
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.input = QLineEdit(self)
        self.input.setPlaceholderText(placeholder or self.tr("Type and press Enter to add"))
        self.add_button = QPushButton(self.tr("Add"), self)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setEnabled(False)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.hide()
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.input, 0, 0)
        layout.addWidget(self.add_button, 0, 1)
        layout.addWidget(self.list, 1, 0)
        layout.addWidget(self.remove_button, 1, 1, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.hint, 2, 0, 1, 2)
        self.input.returnPressed.connect(self._on_add_requested)
        self.add_button.clicked.connect(self._on_add_requested)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(bool(self.list.selectedItems()))
        )

    def set_accessible_name(self, name: str) -> None:
        self.input.setAccessibleName(self.tr("Add to {field}").format(field=name))
        self.list.setAccessibleName(name)
        self.add_button.setAccessibleName(self.tr("Add to {field}").format(field=name))
        self.remove_button.setAccessibleName(self.tr("Remove from {field}").format(field=name))

    def focus_target(self) -> QWidget:
        return self.input

    # -- values --------------------------------------------------------------------

    def display(self, item: Any) -> str:
        """How one item reads in the list."""
        return str(item)

    def value(self) -> Any:
        return self.items

    def set_value(self, value: Any) -> None:
        self.items = tuple(value or ())
        self.list.clear()
        for item in self.items:
            row = QListWidgetItem(self.display(item))
            row.setData(ITEM_ROLE, item)
            self.list.addItem(row)
        self.remove_button.setEnabled(False)
        self._fit_height()

    def _fit_height(self) -> None:
        """As tall as its items (two rows empty, at most six before it scrolls): no empty boxes."""
        rows = max(LIST_MIN_ROWS, min(LIST_MAX_ROWS, self.list.count()))
        row_height = self.list.sizeHintForRow(0) if self.list.count() else -1
        if row_height <= 0:
            row_height = self.list.fontMetrics().height() + 4
        self.list.setFixedHeight(rows * row_height + 2 * self.list.frameWidth() + 4)

    def add(self, item: Any) -> bool:
        """Add one item (an undoable edit); False if it is already there."""
        if item in self.items:
            self.show_hint(self.tr("“{item}” is already in the list.").format(item=self.display(item)))
            return False
        self.show_hint("")
        self.edited.emit((*self.items, item), False)
        return True

    def remove_selected(self) -> None:
        """Remove the selected items (one undoable edit)."""
        chosen = {self.list.row(row) for row in self.list.selectedItems()}
        if chosen:
            self.edited.emit(tuple(v for i, v in enumerate(self.items) if i not in chosen), False)

    def show_hint(self, text: str) -> None:
        """A short note under the list (an item already present, a person not found)."""
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def item_for_text(self, text: str) -> Any | None:
        """The item typed text stands for (None refuses it)."""
        return text

    def _on_add_requested(self) -> None:
        text = self.input.text().strip()
        if not text:
            return
        item = self.item_for_text(text)
        if item is not None and self.add(item):
            self.input.clear()


class CompletingListField(ListField):
    """A list whose items are records found as you type (titles offered in a completer)."""

    def __init__(self, lookup: Lookup | None, parent: QWidget | None = None, *, placeholder: str = ""):
        super().__init__(parent, placeholder=placeholder)
        self.lookup = lookup
        self.found: dict[str, str] = {}  # casefolded title -> record id
        self.titles: dict[str, str] = {}  # record id -> title
        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        # Attached to the box but not its completer: choosing a name adds it instead of typing it in.
        self.completer.setWidget(self.input)
        self.completer.activated.connect(self._on_completion_activated)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COMPLETE_AFTER_MS)
        self._timer.timeout.connect(self._look_up)
        self._asked = ""
        self.input.textEdited.connect(self._on_text_edited)

    def _on_text_edited(self, text: str) -> None:
        self.completer.setCompletionPrefix(text.strip())
        self._timer.start()

    def _look_up(self) -> None:
        text = self.input.text().strip()
        if not text or self.lookup is None:
            return
        self._asked = text

        def deliver(found: list[tuple[str, ...]]) -> None:
            self._on_found(text, found)

        self.lookup(text, deliver)

    def _on_found(self, asked: str, found: list[tuple[str, ...]]) -> None:
        for title, record_id, *own in found:
            self.found[title.casefold()] = record_id
            self.titles[record_id] = own[0] if own else title
        if asked != self._asked or asked != self.input.text().strip():
            return  # the person has typed on: a newer answer is coming
        self.model.setStringList(list(dict.fromkeys(item[0] for item in found)))
        if self.input.hasFocus() and found:
            self.completer.setCompletionPrefix(asked)
            self.completer.complete()

    def _on_add_requested(self) -> None:
        popup = self.completer.popup()
        if popup is not None and popup.isVisible() and popup.currentIndex().isValid():
            return  # Enter on a highlighted completion: the completer's activation adds that one
        super()._on_add_requested()

    def _on_completion_activated(self, text: str) -> None:
        item = self.item_for_text(text)
        if item is not None and self.add(item):
            self.input.clear()

    def choose(self, title: str) -> bool:
        """Add the record offered under ``title`` (what activating it in the completer does)."""
        item = self.item_for_text(title)
        return item is not None and self.add(item)


class VocabularyField(CompletingListField):
    """Terms from the vocabulary (chips of label and term id); a free tag with no term is allowed."""

    def display(self, item: Any) -> str:
        label, term_id = item
        if not label:
            label = self.titles.get(term_id, term_id[:8])
        return label if term_id else self.tr("{label} (free tag)").format(label=label)

    def item_for_text(self, text: str) -> Any | None:
        term_id = self.found.get(text.casefold(), "")
        label = self.titles.get(term_id, text) if term_id else text
        for existing_label, existing_id in self.items:
            if existing_label.casefold() == label.casefold() and (existing_id == term_id or not term_id):
                return (existing_label, existing_id)
        return (label, term_id)


class PeopleField(CompletingListField):
    """People from the expert directory (record ids); only people with an expert profile can be added."""

    def display(self, item: Any) -> str:
        return str(self.titles.get(item, str(item)[:8]))

    def item_for_text(self, text: str) -> Any | None:
        person = self.found.get(text.casefold())
        if person is None:
            self.show_hint(
                self.tr("No one called “{name}” in the expert directory: pick a name from the list.").format(
                    name=text
                )
            )
        return person


class RecordLinkField(PeopleField):
    """Records of this profile (ids) picked by title, such as the knowledge a case study builds on."""

    def item_for_text(self, text: str) -> Any | None:
        record = self.found.get(text.casefold())
        if record is None:
            self.show_hint(
                self.tr("No record titled “{title}” here: pick a title from the list.").format(title=text)
            )
        return record
