"""Dialogs of the Vocabulary page: edit or create a term, merge a term into another, retire a term.

Each dialog only gathers what the person chose; the page runs the operation on the write
lane (one transaction each, see :mod:`desktop.vocabulary_service`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.kinds import Kind
from desktop.core.records import Record, Relation, new_record_id, utc_now
from desktop.core.vocabulary import TermMatch, with_broader
from desktop.ui.tasks import TaskManager
from desktop.ui.term_chooser import TermChooser
from desktop.ui.vocabulary_tree import scheme_name

if TYPE_CHECKING:
    from desktop.session import Session

ID_ROLE = Qt.ItemDataRole.UserRole


def _lines(text: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines():
        item = " ".join(line.split())
        if item and item.casefold() not in {o.casefold() for o in out}:
            out.append(item)
    return out


class TermEditDialog(QDialog):
    """A term's preferred and alternative labels, broader terms, scope note, scheme and notation."""

    def __init__(
        self,
        tasks: TaskManager,
        session: Session,
        term: Record | None,
        titles: dict[str, str],
        schemes: Sequence[str],
        parent: QWidget | None = None,
        *,
        scheme: str = "",
    ):
        super().__init__(parent)
        self.term = term
        self.setWindowTitle(self.tr("Edit term") if term is not None else self.tr("New term"))
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(520)
        fields = term.fields if term is not None else {}
        self.label_edit = QLineEdit(str(fields.get("label") or ""))
        self.label_edit.setAccessibleName(self.tr("Preferred label"))
        self.alt_edit = QPlainTextEdit("\n".join(str(a) for a in fields.get("alt_labels") or []))
        self.alt_edit.setAccessibleName(self.tr("Alternative labels, one per line"))
        self.alt_edit.setPlaceholderText(self.tr("One per line: synonyms, abbreviations, other spellings"))
        self.alt_edit.setFixedHeight(90)
        self.broader_list = QListWidget()
        self.broader_list.setAccessibleName(self.tr("Broader terms"))
        self.broader_list.setFixedHeight(70)
        for target in term.links_of(Relation.BROADER) if term is not None else []:
            self._add_broader(target, titles.get(target, target[:8]))
        self.broader_chooser = TermChooser(tasks, placeholder=self.tr("Add a broader term: type its label"))
        self.broader_chooser.setAccessibleName(self.tr("Add a broader term"))
        self.broader_chooser.set_session(session)
        if term is not None:
            self.broader_chooser.excluded = {term.id}
        self.broader_chooser.chosen.connect(self._on_broader_chosen)
        self.remove_broader = QPushButton(self.tr("Remove"))
        self.remove_broader.setAccessibleName(self.tr("Remove the selected broader term"))
        self.remove_broader.clicked.connect(self._on_remove_broader)
        self.scope_edit = QPlainTextEdit(str(fields.get("scope_note") or ""))
        self.scope_edit.setAccessibleName(self.tr("Scope note"))
        self.scope_edit.setPlaceholderText(self.tr("What the term covers, and what it does not"))
        self.scope_edit.setFixedHeight(90)
        self.scheme_box = QComboBox()
        self.scheme_box.setEditable(True)
        self.scheme_box.setAccessibleName(self.tr("Vocabulary"))
        for code in schemes:
            self.scheme_box.addItem(scheme_name(code), code)
        current = str(fields.get("scheme") or scheme)
        found = self.scheme_box.findData(current)
        if found >= 0:
            self.scheme_box.setCurrentIndex(found)
        else:
            self.scheme_box.setEditText(current)
        self.notation_edit = QLineEdit(str(fields.get("notation") or ""))
        self.notation_edit.setAccessibleName(self.tr("Notation"))
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        broader_row = QWidget()
        row = QHBoxLayout(broader_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.broader_list, 1)
        row.addWidget(self.remove_broader, 0, Qt.AlignmentFlag.AlignTop)
        form = QFormLayout()
        form.addRow(self.tr("Preferred label"), self.label_edit)
        form.addRow(self.tr("Alternative labels"), self.alt_edit)
        form.addRow(self.tr("Broader terms"), broader_row)
        form.addRow("", self.broader_chooser)
        form.addRow(self.tr("Scope note"), self.scope_edit)
        form.addRow(self.tr("Vocabulary"), self.scheme_box)
        form.addRow(self.tr("Notation"), self.notation_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def _add_broader(self, term_id: str, label: str) -> None:
        for row in range(self.broader_list.count()):
            if self.broader_list.item(row).data(ID_ROLE) == term_id:
                return
        item = QListWidgetItem(label)
        item.setData(ID_ROLE, term_id)
        self.broader_list.addItem(item)

    def _on_broader_chosen(self, match: TermMatch | None) -> None:
        if match is not None:
            self._add_broader(match.id, match.label)
            self.broader_chooser.clear()

    def _on_remove_broader(self) -> None:
        for item in self.broader_list.selectedItems():
            self.broader_list.takeItem(self.broader_list.row(item))

    def broader(self) -> list[tuple[str, str]]:
        """(id, label) of the broader terms listed."""
        items = [self.broader_list.item(row) for row in range(self.broader_list.count())]
        return [(str(item.data(ID_ROLE)), item.text()) for item in items]

    def scheme(self) -> str:
        """The scheme code chosen (or typed)."""
        text = self.scheme_box.currentText().strip()
        index = self.scheme_box.findText(text)
        return str(self.scheme_box.itemData(index)) if index >= 0 else text

    def record(self) -> Record:
        """The term as the dialog now describes it."""
        label = " ".join(self.label_edit.text().split())
        alt = [a for a in _lines(self.alt_edit.toPlainText()) if a.casefold() != label.casefold()]
        base = self.term or Record(new_record_id(), Kind.TERM, created_at=utc_now())
        fields = dict(base.fields)
        fields.update(label=label, alt_labels=alt, scheme=self.scheme())
        for name, value in (
            ("scope_note", self.scope_edit.toPlainText().strip()),
            ("notation", self.notation_edit.text().strip()),
        ):
            if value or name in fields:
                fields[name] = value
        return with_broader(base.with_changes(fields=fields), self.broader())

    def _on_save(self) -> None:
        if not " ".join(self.label_edit.text().split()):
            self.error_label.setText(self.tr("A term needs a preferred label."))
            self.error_label.show()
            self.label_edit.setFocus()
            return
        self.accept()


def merge_explanation(term: str, labels: Sequence[str], uses: int, narrower: int) -> str:
    """What a merge will do, in sentences with their plurals right."""
    translate = QCoreApplication.translate
    shown = "”, “".join(labels[:6]) + ("”, …" if len(labels) > 6 else "”")
    parts = [
        translate("MergeTermDialog", "“{labels} become alternative labels of the term that stays.").format(
            labels=shown
        )
    ]
    if narrower == 1:
        parts.append(translate("MergeTermDialog", "Its narrower term moves under it."))
    elif narrower:
        parts.append(translate("MergeTermDialog", "Its {n} narrower terms move under it.").format(n=narrower))
    if uses == 1:
        parts.append(translate("MergeTermDialog", "The record tagged with it is retagged."))
    elif uses:
        parts.append(
            translate("MergeTermDialog", "The {n} records tagged with it are retagged.").format(n=f"{uses:,}")
        )
    else:
        parts.append(translate("MergeTermDialog", "No record is tagged with it yet."))
    parts.append(
        translate(
            "MergeTermDialog", "“{term}” then goes to the trash. All of it is one change, synced as one."
        ).format(term=term)
    )
    return " ".join(parts)


class MergeTermDialog(QDialog):
    """Merge one term into another: choose the term that stays."""

    def __init__(
        self,
        tasks: TaskManager,
        session: Session,
        loser: Record,
        uses: int,
        narrower: int,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.loser = loser
        self.setWindowTitle(self.tr("Merge terms"))
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(520)
        heading = QLabel(self.tr("Merge “{term}” into:").format(term=loser.title))
        heading.setWordWrap(True)
        self.chooser = TermChooser(tasks, placeholder=self.tr("The term that stays: type its label"))
        self.chooser.setAccessibleName(self.tr("The term to merge into"))
        self.chooser.set_session(session)
        self.chooser.excluded = {loser.id}
        labels = [loser.title, *(loser.fields.get("alt_labels") or [])]
        self.explanation = QLabel(
            merge_explanation(loser.title, [str(label) for label in labels], uses, narrower)
        )
        self.explanation.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = self.buttons.addButton(self.tr("Merge"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.chosen_label = QLabel(self.tr("Choose the term that stays: type any of its labels."))
        self.chosen_label.setWordWrap(True)
        self.chooser.chosen.connect(self._on_chosen)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.chooser)
        layout.addWidget(self.chosen_label)
        layout.addSpacing(6)
        layout.addWidget(self.explanation)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def _on_chosen(self, match: TermMatch | None) -> None:
        self.merge_button.setEnabled(match is not None)
        if match is None:
            self.chosen_label.setText(self.tr("Choose the term that stays: type any of its labels."))
        else:
            self.chosen_label.setText(
                self.tr("“{term}” ({scheme}) stays.").format(
                    term=match.label, scheme=scheme_name(match.scheme)
                )
            )

    @property
    def survivor(self) -> TermMatch | None:
        """The term chosen to stay."""
        return self.chooser.match


class RetireTermDialog(QDialog):
    """Retire a term: replace it with another on what used it, or remove the tag."""

    def __init__(
        self, tasks: TaskManager, session: Session, term: Record, uses: int, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.term = term
        self.setWindowTitle(self.tr("Retire term"))
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(520)
        if uses == 1:
            text = self.tr("Retire “{term}”? One record uses it.").format(term=term.title)
        elif uses:
            text = self.tr("Retire “{term}”? {n} records use it.").format(term=term.title, n=f"{uses:,}")
        else:
            text = self.tr("Retire “{term}”? No record uses it.").format(term=term.title)
        heading = QLabel(text)
        heading.setWordWrap(True)
        self.replace_radio = QRadioButton(self.tr("Replace it with another term on those records:"))
        self.remove_radio = QRadioButton(self.tr("Remove the tag from those records"))
        self.remove_radio.setChecked(True)
        self.chooser = TermChooser(tasks, placeholder=self.tr("The replacement: type its label"))
        self.chooser.setAccessibleName(self.tr("The replacement term"))
        self.chooser.set_session(session)
        self.chooser.excluded = {term.id}
        self.chooser.setEnabled(False)
        note = QLabel(
            self.tr(
                "The term goes to the trash; its narrower terms move up to its broader terms, "
                "or under the replacement. A replacement also takes its labels as alternative "
                "labels, so a search or a tag typed with them finds the replacement."
            )
        )
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.retire_button = self.buttons.addButton(self.tr("Retire"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.replace_radio.toggled.connect(self._update)
        self.chooser.chosen.connect(lambda _match: self._update())
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.replace_radio)
        layout.addWidget(self.chooser)
        layout.addWidget(self.remove_radio)
        layout.addWidget(note)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def _update(self) -> None:
        replacing = self.replace_radio.isChecked()
        self.chooser.setEnabled(replacing)
        self.retire_button.setEnabled(not replacing or self.chooser.match is not None)

    @property
    def replacement(self) -> TermMatch | None:
        """The replacement chosen, or None to remove the tag."""
        return self.chooser.match if self.replace_radio.isChecked() else None
