"""Building an editor's form: sections of labelled fields, each with its validation message beside it.

:class:`FormBuilder` makes the widget for a field from its spec in
desktop.core.kinds (or the one a layout asks for) and keeps, per draft key, the
widget and the row that shows its problem. The kind-specific layouts are in
``layouts.py``.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from desktop.core.kinds import FieldType, Kind, field_spec
from desktop.core.records import Relation
from desktop.core.validation import FieldError
from desktop.ui.editors.actions_table import FollowUpsField
from desktop.ui.editors.draft import VOCAB_TAGS, people_key, vocab_key
from desktop.ui.editors.pickers import (
    ListField,
    Lookup,
    PeopleField,
    RecordLinkField,
    VocabularyField,
    session_lookup,
)
from desktop.ui.editors.widgets import (
    BoolField,
    DateField,
    FieldWidget,
    IntField,
    LineField,
    ReadOnlyField,
    TextField,
)

if TYPE_CHECKING:
    from desktop.session import Session
    from desktop.ui.tasks import TaskManager

logger = logging.getLogger(__name__)

ERROR_COLOUR = "#c62828"


def field_label(kind: Kind, name: str) -> str:
    """The translated label of a field."""
    spec = field_spec(kind, name)
    return QCoreApplication.translate("fields", spec.label if spec else name.replace("_", " ").capitalize())


class FieldRow(QWidget):
    """A field widget with its validation message underneath (hidden while the field is fine)."""

    def __init__(self, widget: FieldWidget, label: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.widget = widget
        self.label = label
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.message.setAccessibleName(self.tr("Problem with {field}").format(field=label))
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(self.message)

    def set_error(self, message: str) -> None:
        """Show ``message`` under the field ("" hides it); screen readers get it as the description."""
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self.widget.focus_target().setAccessibleDescription(message)

    @property
    def error(self) -> str:
        """The message shown ("" when none)."""
        return self.message.text() if self.message.isVisibleTo(self) else ""


def widget_for(type_: FieldType) -> FieldWidget:
    """The default widget for a field type."""
    if type_ is FieldType.LONGTEXT:
        return TextField()
    if type_ is FieldType.DATE:
        return DateField()
    if type_ is FieldType.INT:
        return IntField()
    if type_ is FieldType.BOOL:
        return BoolField()
    if type_ is FieldType.LIST:
        return ListField()
    if type_ is FieldType.ACTIONS:
        return FollowUpsField()
    if type_ is FieldType.RAW:
        return ReadOnlyField()
    return LineField()


class FormBuilder:
    """Lays out one kind's form in titled sections and remembers every field it made."""

    def __init__(
        self,
        kind: Kind,
        container: QWidget,
        *,
        people_lookup: Lookup | None = None,
        term_lookup: Lookup | None = None,
        tasks: TaskManager | None = None,
        session: Session | None = None,
    ):
        self.kind = kind
        self.container = container
        self.people_lookup = people_lookup
        self.term_lookup = term_lookup
        self.tasks = tasks
        self.session = session
        self.widgets: dict[str, FieldWidget] = {}
        self.rows: dict[str, FieldRow] = {}
        self.attachments_panel: Any = None
        self.attachments_note: QLabel | None = None
        self.layout = QVBoxLayout(container)
        self._form: QFormLayout | None = None

    def section(self, title: str) -> QFormLayout:
        """Start a titled group of fields."""
        box = QGroupBox(title, self.container)
        box.setAccessibleName(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.layout.addWidget(box)
        self._form = form
        return form

    def add(self, key: str, widget: FieldWidget, label: str) -> FieldWidget:
        """Put ``widget`` in the current section under ``label``, for draft key ``key``."""
        if self._form is None:
            self.section(QCoreApplication.translate("RecordEditor", "Details"))
        assert self._form is not None
        widget.set_accessible_name(label)
        row = FieldRow(widget, label)
        caption = QLabel(label + ":")
        caption.setBuddy(widget.focus_target())
        self._form.addRow(caption, row)
        self.widgets[key] = widget
        self.rows[key] = row
        return widget

    def field(self, name: str, widget: FieldWidget | None = None, label: str | None = None) -> FieldWidget:
        """A payload field, with the default widget for its type unless one is given."""
        spec = field_spec(self.kind, name)
        if widget is None:
            widget = widget_for(spec.type if spec else FieldType.TEXT)
        return self.add(name, widget, label or field_label(self.kind, name))

    def fields(self, *names: str) -> None:
        """Several payload fields with their default widgets."""
        for name in names:
            self.field(name)

    def people(self, relation: Relation, label: str) -> FieldWidget:
        """A people picker over the expert directory, stored as ``relation`` links."""
        widget = PeopleField(
            self.people_lookup,
            placeholder=QCoreApplication.translate("RecordEditor", "Type a name from the expert directory"),
        )
        return self.add(people_key(relation), widget, label)

    def records(self, relation: Relation, label: str, kinds: Sequence[Kind]) -> FieldWidget:
        """A picker of records of ``kinds`` found as you type, stored as ``relation`` links."""
        lookup = (
            session_lookup(self.tasks, self.session, kinds, self.container)
            if self.tasks is not None and self.session is not None
            else None
        )
        widget = RecordLinkField(
            lookup,
            placeholder=QCoreApplication.translate(
                "RecordEditor", "Type the title of a record in this profile"
            ),
        )
        return self.add(people_key(relation), widget, label)

    def vocabulary(self, label: str) -> FieldWidget:
        """Terms from the vocabulary (with completion); free tags allowed."""
        widget = VocabularyField(
            self.term_lookup,
            placeholder=QCoreApplication.translate(
                "RecordEditor", "Type a term from the vocabulary, or a new tag"
            ),
        )
        return self.add(vocab_key(self.kind), widget, label)

    def attachments(self, title: str) -> None:
        """Photos, documents or the digital copy: helper A's AttachmentsPanel when it is installed."""
        # Imported lazily: the panel (and the media libraries behind it) load only when an editor
        # that shows attachments opens. TODO(lead): drop the existence check once the panel is merged.
        if importlib.util.find_spec("desktop.ui.attachments_panel") is None:
            logger.info("no attachments panel yet: %s left out of the %s editor", title, self.kind.value)
            return
        from desktop.ui.attachments_panel import AttachmentsPanel

        if self.tasks is None:
            return
        box = QGroupBox(title, self.container)
        box.setAccessibleName(title)
        layout = QVBoxLayout(box)
        self.attachments_note = QLabel(
            QCoreApplication.translate("RecordEditor", "Save the record once to attach files to it."), box
        )
        self.attachments_note.setWordWrap(True)
        panel = AttachmentsPanel(self.tasks)
        layout.addWidget(self.attachments_note)
        layout.addWidget(panel)
        self.layout.addWidget(box)
        self.attachments_panel = panel

    def attach_record(self, record_id: str, session: Session) -> None:
        """Show the attachments of a record that is in the store (attachments need a saved record)."""
        if self.attachments_panel is None or self.attachments_panel.record_id == record_id:
            return
        if self.attachments_note is not None:
            self.attachments_note.hide()
        self.attachments_panel.set_session(session)
        self.attachments_panel.set_record(record_id)

    def show_errors(self, errors: list[FieldError], *, show_required: bool, touched: set[str]) -> list[str]:
        """Show each problem under its field; returns the problems that belong to no field shown.

        "X is required" waits until the field was touched or a save was tried, so a new form does not nag.
        """
        by_key: dict[str, list[str]] = {}
        general: list[str] = []
        for error in errors:
            key = VOCAB_TAGS if error.field == "tags" and VOCAB_TAGS in self.rows else error.field
            if key not in self.rows:
                general.append(str(error))
            elif show_required or key in touched or not error.message.endswith("is required"):
                by_key.setdefault(key, []).append(error.message)
        for key, row in self.rows.items():
            row.set_error("\n".join(by_key.get(key, [])))
        return general

    def focus_first_problem(self) -> None:
        """Put the keyboard on the first field showing a problem."""
        for row in self.rows.values():
            if row.error:
                row.widget.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def finish(self) -> None:
        """Close the layout (sections stay at the top)."""
        self.layout.addStretch(1)
