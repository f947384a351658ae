"""What changed between two versions of a record, field by field, as readable text.

The history view shows these pairs ("Summary: old -> new"); values are turned into
text a person reads (lists one item a line, follow-up actions as sentences, links
as "author: Thandi Demo"), never raw JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop.core.kinds import field_spec, field_specs
from desktop.core.records import Link, Record


@dataclass(frozen=True)
class FieldChange:
    """One changed part of a record: its name, its label and the old and new values as text."""

    field: str
    label: str
    old: str
    new: str


#: Labels of fields every kind may carry outside its own (the workflow's history).
_EXTRA_LABELS = {"review_log": "Review history"}


def _action_text(action: Any) -> str:
    if not isinstance(action, dict):
        return _value_text(action)
    text = str(action.get("action", "")).strip()
    details = [
        str(part)
        for part in (action.get("owner"), f"due {action['due']}" if action.get("due") else None)
        if part
    ]
    if details:
        text += f" ({', '.join(details)})"
    if action.get("done"):
        text += " [done]"
    if action.get("by"):  # a review history entry: "returned by lib: say who ran it"
        text += f" by {action['by']}"
    if action.get("comment"):
        text += f": {action['comment']}"
    return text


def _value_text(value: Any) -> str:
    """A field value as text: lists one item a line, booleans as yes/no, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return "\n".join(
            _action_text(item) if isinstance(item, dict) else _value_text(item) for item in value
        )
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _titled(value: Any, titles: Mapping[str, str]) -> Any:
    """An id as its record's title ("a record not in this profile" when unknown); else the value."""
    if not isinstance(value, str) or not value:
        return value
    return titles.get(value) or "(a record not in this profile)"


def _link_text(link: Link, titles: Mapping[str, str]) -> str:
    target = titles.get(link.target_id) or link.target_id
    text = f"{link.relation.value.replace('_', ' ')}: {target}"
    return f"{text} ({link.note})" if link.note else text


def _add(changes: list[FieldChange], name: str, label: str, old: str, new: str) -> None:
    if old != new:
        changes.append(FieldChange(name, label, old, new))


def diff_records(
    old: Record | None, new: Record, *, titles: Mapping[str, str] | None = None
) -> list[FieldChange]:
    """The changes from ``old`` to ``new`` (everything ``new`` holds when ``old`` is None).

    Fields come in the kind's display order (unknown fields after), then tags, links,
    status, visibility, owner and the trash state. ``titles`` maps link targets' ids to
    titles so links read as names.
    """
    titles = titles or {}
    changes: list[FieldChange] = []
    old_fields: dict[str, Any] = dict(old.fields) if old is not None else {}
    names = [spec.name for spec in field_specs(new.kind)]
    extra = sorted((set(old_fields) | set(new.fields)) - set(names))
    for name in names + extra:
        spec = field_spec(new.kind, name)
        label = (
            spec.label if spec is not None else _EXTRA_LABELS.get(name, name.replace("_", " ").capitalize())
        )
        before, after = old_fields.get(name), new.fields.get(name)
        if spec is not None and spec.names_a_record:
            # A record's id set by an action (the accepted answer) reads as that record's title.
            before, after = (_titled(value, titles) for value in (before, after))
        _add(changes, name, label, _value_text(before), _value_text(after))
    _add(
        changes,
        "tags",
        "Tags",
        "\n".join(old.tags) if old is not None else "",
        "\n".join(new.tags),
    )
    _add(
        changes,
        "links",
        "Links",
        "\n".join(_link_text(link, titles) for link in old.links) if old is not None else "",
        "\n".join(_link_text(link, titles) for link in new.links),
    )
    envelope = (
        ("status", "Status", lambda r: r.status.value),
        ("visibility", "Visibility", lambda r: r.visibility.value),
        ("owner", "Owner", lambda r: r.owner),
        ("co_authors", "Co-authors", lambda r: "\n".join(r.co_authors)),
        ("deleted", "In the trash", lambda r: "yes" if r.deleted else ""),
    )
    for name, label, read in envelope:
        _add(changes, name, label, read(old) if old is not None else "", read(new))
    return changes


def summarize(changes: list[FieldChange], *, limit: int = 3) -> str:
    """A short line naming what changed ("Title, Summary and 2 more"), or "" when nothing did."""
    labels = [change.label for change in changes]
    if not labels:
        return ""
    if len(labels) <= limit:
        return ", ".join(labels)
    return f"{', '.join(labels[:limit])} and {len(labels) - limit} more"
