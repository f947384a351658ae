"""Validation of records against their kind: one clear message per field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from desktop.core.kinds import MAX_LENGTH, MAX_LIST_ITEMS, FieldType, field_spec, field_specs
from desktop.core.records import Record
from desktop.core.review import REVIEW_LOG_FIELD, review_log_problem

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?)?)?$")


@dataclass(frozen=True)
class FieldError:
    """One problem with one field, in words a user can act on."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ValidationError(ValueError):
    """A record failed validation; ``errors`` lists every field problem."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def _check_text(name: str, value: Any, limit: int) -> str | None:
    if not isinstance(value, str):
        return f"must be text, not {type(value).__name__}"
    if "\x00" in value:
        return "must not contain NUL characters"
    if len(value) > limit:
        return f"is too long ({len(value):,} characters; the limit is {limit:,})"
    return None


def _check_value(type_: FieldType, name: str, value: Any) -> str | None:
    if type_ in (FieldType.TEXT, FieldType.LONGTEXT, FieldType.RAW):
        return _check_text(name, value, MAX_LENGTH[type_])
    if type_ is FieldType.DATE:
        problem = _check_text(name, value, MAX_LENGTH[type_])
        if problem is None and value and not _DATE.match(value):
            return f"must be a date like 2024-05-31, not {value!r}"
        return problem
    if type_ is FieldType.INT:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"must be a whole number, not {value!r}"
        return None
    if type_ is FieldType.BOOL:
        return None if isinstance(value, bool) else f"must be true or false, not {value!r}"
    if type_ is FieldType.LIST:
        if not isinstance(value, list):
            return f"must be a list, not {type(value).__name__}"
        if len(value) > MAX_LIST_ITEMS:
            return f"has too many items ({len(value):,}; the limit is {MAX_LIST_ITEMS:,})"
        for item in value:
            problem = _check_text(name, item, MAX_LENGTH[FieldType.LIST])
            if problem:
                return f"item {item!r:.40}: {problem}"
        return None
    if type_ is FieldType.ACTIONS:
        return _check_actions(value)
    return None


def _check_actions(value: Any) -> str | None:
    if not isinstance(value, list):
        return f"must be a list of actions, not {type(value).__name__}"
    for number, action in enumerate(value, start=1):
        if not isinstance(action, dict) or not str(action.get("action", "")).strip():
            return f"action {number} needs a description"
        due = action.get("due", "")
        if due and not (isinstance(due, str) and _DATE.match(due)):
            return f"action {number} has a due date that is not a date: {due!r}"
        if not isinstance(action.get("done", False), bool):
            return f"action {number}: done must be true or false"
    return None


def validate(record: Record) -> list[FieldError]:
    """Every problem with ``record``'s fields; an empty list means it is valid."""
    errors: list[FieldError] = []
    for spec in field_specs(record.kind):
        value = record.fields.get(spec.name)
        if spec.required and (value is None or (isinstance(value, str) and not value.strip())):
            errors.append(FieldError(spec.name, f"{spec.label} is required"))
    for name, value in record.fields.items():
        known = field_spec(record.kind, name)
        if known is None and name == REVIEW_LOG_FIELD:  # the workflow's history, on any kind
            problem = review_log_problem(value)
            if problem:
                errors.append(FieldError(name, problem))
            continue
        if known is None:
            errors.append(FieldError(name, f"is not a field of a {record.kind.value} record"))
            continue
        if value is None or value == "":
            continue
        problem = _check_value(known.type, name, value)
        if problem:
            errors.append(FieldError(name, f"{known.label} {problem}"))
    for tag in record.tags:
        problem = _check_text("tags", tag, MAX_LENGTH[FieldType.LIST])
        if problem:
            errors.append(FieldError("tags", f"tag {tag!r:.40} {problem}"))
    return errors


def ensure_valid(record: Record) -> Record:
    """Return ``record`` unchanged, or raise ValidationError listing every problem."""
    errors = validate(record)
    if errors:
        raise ValidationError(errors)
    return record
