"""Field widgets of the record editors: one value in, one ``edited`` signal out.

Every field widget reports a user's change with ``edited(new_value, mergeable)``
and takes a value back with ``set_value`` without reporting it, so the editor can
turn each change into an undo command and replay undo/redo into the widget.
Text boxes hand Undo/Redo keys to the editor's QUndoStack instead of their own.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

#: The date a QDateEdit shows as "no date" (its special value text).
NO_DATE = QDate(1800, 1, 1)


class UndoKeysToEditor(QObject):
    """Lets Undo/Redo shortcuts reach the editor's actions instead of a text box's own undo."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        if event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
            event.ignore()  # not overridden: the shortcut (the editor's action) gets the key
            return True
        return False


class FieldWidget(QWidget):
    """Base of every field widget."""

    edited = Signal(object, bool)  # new value, mergeable (typing in one field)

    def value(self) -> Any:
        """The value shown."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        """Show ``value`` without emitting ``edited``."""
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        """The control that takes the keyboard (for labels' buddies and accessibility)."""
        return self

    def set_accessible_name(self, name: str) -> None:
        """Name the control for screen readers."""
        self.focus_target().setAccessibleName(name)


def _row(parent: QWidget, *widgets: QWidget) -> QHBoxLayout:
    layout = QHBoxLayout(parent)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return layout


class LineField(FieldWidget):
    """One line of text."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QLineEdit(self)
        _row(self, self.edit)
        self.edit.textEdited.connect(lambda text: self.edited.emit(self.convert(text), True))

    def convert(self, text: str) -> Any:
        """The value a typed text stands for."""
        return text

    def value(self) -> Any:
        return self.convert(self.edit.text())

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if self.edit.text() != text:
            self.edit.setText(text)

    def focus_target(self) -> QWidget:
        return self.edit


class IntField(LineField):
    """A whole number typed as text; anything else stays text so validation can say what is wrong."""

    def convert(self, text: str) -> Any:
        stripped = text.strip()
        if stripped.lstrip("-").isdigit():
            return int(stripped)
        return stripped


class _ProseEdit(QPlainTextEdit):
    """A plain-text box whose preferred height is a few lines, not Qt's default of a dozen."""

    def __init__(self, lines: int, parent: QWidget | None = None):
        super().__init__(parent)
        self._lines = lines

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self.fontMetrics().lineSpacing() * (self._lines + 1) + 12)


class TextField(FieldWidget):
    """Several lines of prose."""

    def __init__(self, parent: QWidget | None = None, *, lines: int = 4):
        super().__init__(parent)
        self.edit = _ProseEdit(lines, self)
        self.edit.setUndoRedoEnabled(False)  # the editor's QUndoStack undoes
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(self.edit.fontMetrics().lineSpacing() * lines + 12)
        # Grow with the text's own size hint, not with the window: spare room stays below the form.
        self.edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._setting = False
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.addWidget(self.edit)
        self.edit.textChanged.connect(self._on_text_changed)

    def _on_text_changed(self) -> None:
        if not self._setting:
            self.edited.emit(self.edit.toPlainText(), True)

    def value(self) -> Any:
        return self.edit.toPlainText()

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if self.edit.toPlainText() == text:
            return
        position = self.edit.textCursor().position()
        self._setting = True
        try:
            self.edit.setPlainText(text)
        finally:
            self._setting = False
        cursor = self.edit.textCursor()
        cursor.setPosition(min(position, len(text)))
        self.edit.setTextCursor(cursor)

    def focus_target(self) -> QWidget:
        return self.edit


class MarkdownField(TextField):
    """Markdown prose with an Edit / Preview toggle."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, lines=10)
        self.layout_.removeWidget(self.edit)
        self.preview = QTextBrowser(self)
        self.preview.setOpenExternalLinks(True)
        self.preview.setAccessibleName(self.tr("Body preview"))
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.edit)
        self.stack.addWidget(self.preview)
        self.preview_button = QToolButton(self)
        self.preview_button.setText(self.tr("Preview"))
        self.preview_button.setCheckable(True)
        self.preview_button.setAccessibleName(self.tr("Show the Markdown preview"))
        self.preview_button.setToolTip(self.tr("Switch between editing the Markdown and a preview"))
        self.preview_button.toggled.connect(self.set_preview)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.preview_button)
        self.layout_.addLayout(bar)
        self.layout_.addWidget(self.stack)

    def set_preview(self, on: bool) -> None:
        """Show the rendered Markdown (on) or the text to edit (off)."""
        if on:
            self.preview.setMarkdown(self.edit.toPlainText())
        self.stack.setCurrentWidget(self.preview if on else self.edit)
        self.preview_button.setText(self.tr("Edit") if on else self.tr("Preview"))
        if self.preview_button.isChecked() != on:
            self.preview_button.setChecked(on)


class DateField(FieldWidget):
    """A date with a calendar popup; "No date" is allowed and stored as an empty value."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setMinimumDate(NO_DATE)
        self.edit.setSpecialValueText(self.tr("No date"))
        self.edit.setDate(NO_DATE)
        self.clear_button = QToolButton(self)
        self.clear_button.setText(self.tr("Clear"))
        self.clear_button.setAccessibleName(self.tr("Clear the date"))
        self.clear_button.clicked.connect(self._on_clear_clicked)
        _row(self, self.edit, self.clear_button).addStretch(1)
        self._setting = False
        self._raw = ""
        self.edit.dateChanged.connect(self._on_date_changed)
        calendar = self.edit.calendarWidget()
        if calendar is not None:
            calendar.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # An empty date would open the calendar in 1800: show this month instead.
        if event.type() == QEvent.Type.Show and self.edit.date() == NO_DATE:
            calendar = self.edit.calendarWidget()
            if calendar is not None and watched is calendar:
                today = QDate.currentDate()
                calendar.setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)

    def _on_date_changed(self, _date: QDate) -> None:
        if not self._setting:
            self.edited.emit(self.value(), True)

    def _on_clear_clicked(self) -> None:
        if self.edit.date() != NO_DATE:
            self.edit.setDate(NO_DATE)

    def value(self) -> Any:
        date = self.edit.date()
        if date == NO_DATE:
            return ""
        shown = date.toString(Qt.DateFormat.ISODate)
        # A stored "2024-05-31T10:00" or "2024" is kept as it was until the person picks another date.
        return self._raw if self._raw and self._raw[:10] == shown else shown

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        self._raw = text
        date = QDate.fromString(text[:10], Qt.DateFormat.ISODate) if text else NO_DATE
        if not date.isValid() and len(text) >= 4 and text[:4].isdigit():
            date = QDate(int(text[:4]), 1, 1)
            self._raw = ""
        self._setting = True
        try:
            self.edit.setDate(date if date.isValid() else NO_DATE)
        finally:
            self._setting = False

    def focus_target(self) -> QWidget:
        return self.edit


class BoolField(FieldWidget):
    """A yes/no box."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.box = QCheckBox(text, self)
        _row(self, self.box)
        self.box.clicked.connect(lambda checked: self.edited.emit(bool(checked), False))

    def value(self) -> Any:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        self.box.setChecked(bool(value))

    def focus_target(self) -> QWidget:
        return self.box


class ChoiceField(FieldWidget):
    """One of a few suggested values, or any other typed value."""

    def __init__(self, choices: list[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.combo = QComboBox(self)
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.addItem("", "")
        for value, label in choices:
            self.combo.addItem(label, value)
        _row(self, self.combo)
        self._setting = False
        self.combo.currentTextChanged.connect(self._on_text_changed)

    def _on_text_changed(self, _text: str) -> None:
        if not self._setting:
            self.edited.emit(self.value(), True)

    def value(self) -> Any:
        text = self.combo.currentText()
        index = self.combo.findText(text, Qt.MatchFlag.MatchFixedString)
        return str(self.combo.itemData(index)) if index > 0 else text

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        index = self.combo.findData(text)
        self._setting = True
        try:
            if index >= 0:
                self.combo.setCurrentIndex(index)
            else:
                self.combo.setEditText(text)
        finally:
            self._setting = False

    def focus_target(self) -> QWidget:
        return self.combo


class ChecklistField(FieldWidget):
    """Several independent choices stored as a list of values (unknown stored values are kept)."""

    def __init__(self, options: list[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.boxes: dict[str, QCheckBox] = {}
        layout = _row(self)
        for value, label in options:
            box = QCheckBox(label, self)
            box.setAccessibleName(label)
            box.clicked.connect(lambda _checked: self.edited.emit(self.value(), False))
            self.boxes[value] = box
            layout.addWidget(box)
        layout.addStretch(1)
        self._other: tuple[str, ...] = ()

    def value(self) -> Any:
        chosen = tuple(value for value, box in self.boxes.items() if box.isChecked())
        return chosen + self._other

    def set_value(self, value: Any) -> None:
        values = tuple(value or ())
        for name, box in self.boxes.items():
            box.setChecked(name in values)
        self._other = tuple(v for v in values if v not in self.boxes)

    def focus_target(self) -> QWidget:
        return next(iter(self.boxes.values()), self)

    def set_accessible_name(self, name: str) -> None:
        self.setAccessibleName(name)


class ReadOnlyField(FieldWidget):
    """A value shown but not edited here (an original catalogue record)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        _row(self, self.label)
        self._value: Any = ""

    def value(self) -> Any:
        return self._value

    def set_value(self, value: Any) -> None:
        self._value = value
        size = len(str(value or ""))
        self.label.setText(self.tr("(kept as imported, {n} characters)").format(n=size) if size else "")

    def focus_target(self) -> QWidget:
        return self.label
