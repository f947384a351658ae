"""Record editors: one form per kind, with undo, validation next to the fields, autosave and commits."""

from desktop.ui.editors.autosave import AutosaveController
from desktop.ui.editors.host import EditorHost, EditorWindow
from desktop.ui.editors.record_editor import RecordEditor, editor_for

__all__ = ["AutosaveController", "EditorHost", "EditorWindow", "RecordEditor", "editor_for"]
