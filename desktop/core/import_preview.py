"""The outcome of a staged import, record by record (what :mod:`desktop.importers.preview` works out).

Pure values, so the UI and the command line can show a preview without knowing the importers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from desktop.core.records import Record


class Outcome(StrEnum):
    """What the import would do with one record (the values are used in JSON)."""

    ADD = "add"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


@dataclass(frozen=True)
class FieldChange:
    """One field an update changes: its value now and after the import (None when absent)."""

    name: str
    before: Any
    after: Any


@dataclass
class PreviewItem:
    """One record (or rejected row or file) of a preview."""

    outcome: Outcome
    file: str
    label: str
    reason: str = ""
    record: Record | None = None  # what the import writes (add, update), or what was read
    changes: tuple[FieldChange, ...] = ()
    existing_id: str = ""  # update/unchanged: the stored record; duplicate: the item it duplicates
    base_revision: str = ""  # the stored revision the update was worked out against
    covers: tuple[str, ...] | None = None
    merge: bool = False  # True: merged onto an existing record (catalogue formats)
    incoming: Record | None = None  # the record as the file has it
    matched: str = ""  # duplicate: the field whose identifier matched ("isbn", "issn", "lccn")

    @property
    def identifier(self) -> str:
        """The control number, else the first ISBN or ISSN, of the record ("" when none)."""
        fields = self.record.fields if self.record is not None else {}
        for name in ("control_number", "isbn", "issn", "lccn"):
            value = fields.get(name)
            if isinstance(value, list):
                value = value[0] if value else ""
            if value:
                return str(value)
        return ""

    def to_json(self) -> dict[str, Any]:
        """The item as plain JSON values (see resources/schemas/import-preview.schema.json)."""
        record = self.record
        return {
            "outcome": self.outcome.value,
            "file": self.file,
            "label": self.label,
            "reason": self.reason,
            "id": record.id if record is not None else None,
            "kind": record.kind.value if record is not None else None,
            "identifier": self.identifier,
            "existing_id": self.existing_id or None,
            "changes": [{"field": c.name, "before": c.before, "after": c.after} for c in self.changes],
        }


@dataclass
class ImportPreview:
    """Every outcome of a staged import, in file order, and the files' notes."""

    items: list[PreviewItem] = field(default_factory=list)
    files: int = 0
    notes: list[tuple[str, str]] = field(default_factory=list)  # (file, note)
    cancelled: bool = False

    def counts(self) -> dict[str, int]:
        """How many items of each outcome (every outcome named, zeros too)."""
        counts = {outcome.value: 0 for outcome in Outcome}
        for item in self.items:
            counts[item.outcome.value] += 1
        return counts

    def of(self, outcome: Outcome) -> list[PreviewItem]:
        """The items of one outcome."""
        return [item for item in self.items if item.outcome is outcome]

    @property
    def to_write(self) -> list[PreviewItem]:
        """The items the import writes: adds and updates."""
        return [item for item in self.items if item.outcome in (Outcome.ADD, Outcome.UPDATE)]

    def to_json(self) -> dict[str, Any]:
        """The preview as plain JSON values."""
        return {
            "files": self.files,
            "counts": self.counts(),
            "cancelled": self.cancelled,
            "items": [item.to_json() for item in self.items],
            "notes": [{"file": file, "message": message} for file, message in self.notes],
        }
