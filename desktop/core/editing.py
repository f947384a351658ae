"""Values of editing and browsing: working copies (autosave), list rows and follow-ups due.

A working copy is an editor's unsaved state. It is a draft, so a required field
may still be empty, and a half-typed date is kept as typed; but it must stay a
bounded, storable value, so size limits and the shape of the record are checked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from desktop.core.kinds import MAX_LENGTH, MAX_LIST_ITEMS, FieldType, Kind, field_spec
from desktop.core.records import Record
from desktop.core.validation import FieldError, ValidationError

#: The largest working copy, in characters of its JSON (a few long texts plus a raw record fit).
MAX_WORKING_COPY_CHARS = 12_000_000


@dataclass(frozen=True)
class WorkingCopy:
    """An editor's unsaved version of a record, autosaved every few seconds.

    ``base_revision`` is the saved revision the editing started from ("" for a new record).
    """

    record: Record
    base_revision: str
    updated_at: str


@dataclass(frozen=True)
class RecordSummary:
    """One row of a record list: what a list shows without loading the whole record."""

    id: str
    kind: Kind
    title: str
    status: str
    updated_at: str
    owner: str
    district: str
    date: str
    demo: bool


@dataclass(frozen=True)
class FollowUpDue:
    """A site-visit follow-up action that is not done and is due soon (or overdue)."""

    record_id: str
    record_title: str
    action: str
    owner: str
    due: str
    done: bool = False
    overdue: bool = False


def _text_problem(value: str, limit: int) -> str | None:
    if len(value) > limit:
        return f"is too long ({len(value):,} characters; the limit is {limit:,})"
    return None


def _draft_value_problem(type_: FieldType, value: Any) -> str | None:
    """Size and shape problems of one field value; formats (a half-typed date) are not checked."""
    if isinstance(value, str):
        limit = MAX_LENGTH.get(type_, MAX_LENGTH[FieldType.LONGTEXT])
        if type_ in (FieldType.LIST, FieldType.ACTIONS):
            limit = MAX_LENGTH[FieldType.LONGTEXT]
        return _text_problem(value, limit)
    if isinstance(value, list):
        if len(value) > MAX_LIST_ITEMS:
            return f"has too many items ({len(value):,}; the limit is {MAX_LIST_ITEMS:,})"
        for item in value:
            if isinstance(item, str):
                problem = _text_problem(item, MAX_LENGTH[FieldType.LIST])
            elif isinstance(item, dict):
                problem = next(
                    (
                        p
                        for v in item.values()
                        if isinstance(v, str) and (p := _text_problem(v, MAX_LENGTH[FieldType.TEXT]))
                    ),
                    None,
                )
            else:
                problem = None
            if problem:
                return f"an item {problem}"
        return None
    if value is None or isinstance(value, bool | int | float | dict):
        return None
    return f"cannot be stored (a {type(value).__name__})"


def validate_working_copy(record: Record) -> list[FieldError]:
    """Problems that stop a working copy from being stored; missing required fields are allowed."""
    errors: list[FieldError] = []
    for name, value in record.fields.items():
        spec = field_spec(record.kind, name)
        if spec is None:
            errors.append(FieldError(name, f"is not a field of a {record.kind.value} record"))
            continue
        problem = _draft_value_problem(spec.type, value)
        if problem:
            errors.append(FieldError(name, f"{spec.label} {problem}"))
    if len(record.tags) > MAX_LIST_ITEMS:
        errors.append(FieldError("tags", f"has too many tags ({len(record.tags):,})"))
    for tag in record.tags:
        problem = _text_problem(tag, MAX_LENGTH[FieldType.LIST])
        if problem:
            errors.append(FieldError("tags", f"tag {tag!r:.40} {problem}"))
    if len(record.links) > MAX_LIST_ITEMS:
        errors.append(FieldError("links", f"has too many links ({len(record.links):,})"))
    if not errors:
        try:
            size = len(json.dumps(record.content_json(), ensure_ascii=False))
        except (TypeError, ValueError) as exc:
            errors.append(FieldError("record", f"cannot be stored: {exc}"))
        else:
            if size > MAX_WORKING_COPY_CHARS:
                errors.append(
                    FieldError(
                        "record",
                        f"is too large to autosave ({size:,} characters; the limit is "
                        f"{MAX_WORKING_COPY_CHARS:,})",
                    )
                )
    return errors


def ensure_valid_working_copy(record: Record) -> Record:
    """Return ``record`` unchanged, or raise ValidationError listing what stops it being stored."""
    errors = validate_working_copy(record)
    if errors:
        raise ValidationError(errors)
    return record
