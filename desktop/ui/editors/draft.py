"""The editor's working state of one record, and the undo command that changes it.

A :class:`RecordDraft` holds one value per editor key: a payload field ("title"),
the vocabulary chips (``VOCAB_TAGS`` or a list field such as "expertise") or the
people linked by one relation (``"@author"``...). Widgets never change the draft
directly: every edit is a :class:`SetValueCommand` pushed on the editor's
QUndoStack, so undo and redo cover text and list fields alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from desktop.core.kinds import FieldType, Kind, field_spec
from desktop.core.records import Link, Record, Relation

#: The draft key of the record's tags (labels in ``record.tags``, ids as ABOUT links).
VOCAB_TAGS = "@tags"
#: Where each kind keeps its vocabulary terms (labels there, ABOUT links to the term records).
VOCAB_KEY: dict[Kind, str] = {Kind.EXPERT: "expertise", Kind.CENTRE_ITEM: "subjects"}

#: A vocabulary chip: (label, term record id or "" for a free tag).
Chip = tuple[str, str]


def people_key(relation: Relation) -> str:
    """The draft key of the people linked by ``relation`` (a tuple of expert record ids)."""
    return "@" + relation.value


def vocab_key(kind: Kind) -> str:
    """The draft key that owns a kind's ABOUT links."""
    return VOCAB_KEY.get(kind, VOCAB_TAGS)


def vocab_chips(
    labels: Sequence[str], about_ids: Sequence[str], titles: Mapping[str, str]
) -> tuple[Chip, ...]:
    """Pair labels with the ABOUT links whose term has that label; unpaired links become label-less chips."""
    remaining = list(about_ids)
    chips: list[Chip] = []
    for label in labels:
        match = next((i for i in remaining if titles.get(i, "").casefold() == str(label).casefold()), "")
        if match:
            remaining.remove(match)
        chips.append((str(label), match))
    chips.extend(("", target) for target in remaining)
    return tuple(chips)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == () or value == []


def _stored(value: Any) -> Any:
    """A draft value as the record stores it (tuples become lists)."""
    if isinstance(value, tuple):
        return [dict(v) if isinstance(v, dict) else v for v in value]
    return value


def _drafted(type_: FieldType, value: Any) -> Any:
    """A stored field value as the draft holds it (lists become tuples, so values compare and copy safely)."""
    if type_ in (FieldType.LIST, FieldType.ACTIONS):
        if not isinstance(value, list | tuple):
            return () if _empty(value) else value
        return tuple(dict(v) if isinstance(v, dict) else v for v in value)
    if type_ is FieldType.INT:
        return value if not _empty(value) else ""
    if type_ is FieldType.BOOL:
        return bool(value)
    return "" if value is None else value


class RecordDraft(QObject):
    """The values being edited, over the record they started from."""

    value_changed = Signal(str)  # key
    reloaded = Signal()

    def __init__(self, record: Record, keys: Iterable[str], parent: QObject | None = None):
        super().__init__(parent)
        self.keys = tuple(dict.fromkeys(keys))
        self.base = record
        self.titles: dict[str, str] = {}
        self.values: dict[str, Any] = {}
        self.load(record, {})

    @property
    def vocab(self) -> str:
        """The key that owns this kind's ABOUT links."""
        return vocab_key(self.base.kind)

    def managed_relations(self) -> set[Relation]:
        """The link relations this draft edits (others are kept as they are)."""
        relations = {Relation(key[1:]) for key in self.keys if key.startswith("@") and key != VOCAB_TAGS}
        if self.vocab in self.keys:
            relations.add(Relation.ABOUT)
        return relations

    def load(
        self, record: Record, titles: Mapping[str, str] | None = None, *, base: Record | None = None
    ) -> None:
        """Take every value from ``record`` (``base`` keeps the envelope and unedited fields)."""
        self.base = base or record
        self.titles.update(titles or {})
        self.values = self.values_of(record)
        self.reloaded.emit()

    def values_of(self, record: Record) -> dict[str, Any]:
        """The draft values ``record`` stands for (known link titles pair tags with their terms)."""
        about = record.links_of(Relation.ABOUT)
        values: dict[str, Any] = {}
        for key in self.keys:
            if key == self.vocab:
                labels = list(record.tags) if key == VOCAB_TAGS else list(record.fields.get(key) or [])
                values[key] = vocab_chips(labels, about, self.titles)
            elif key == VOCAB_TAGS:
                values[key] = tuple((tag, "") for tag in record.tags)
            elif key.startswith("@"):
                values[key] = tuple(record.links_of(Relation(key[1:])))
            else:
                spec = field_spec(record.kind, key)
                type_ = spec.type if spec else FieldType.TEXT
                values[key] = _drafted(type_, record.fields.get(key))
        return values

    def value(self, key: str) -> Any:
        """The current value of ``key``."""
        return self.values[key]

    def set_value(self, key: str, value: Any) -> None:
        """Change one value (only undo commands call this)."""
        if self.values.get(key) == value:
            return
        self.values[key] = value
        self.value_changed.emit(key)

    def title_of(self, record_id: str) -> str:
        """A linked record's title, or a short id while it is unknown."""
        return self.titles.get(record_id) or record_id[:8]

    def record(self) -> Record:
        """The record as it now stands: the base with every edited value applied."""
        base = self.base
        fields = dict(base.fields)
        tags = list(base.tags)
        wanted: dict[Relation, list[str]] = {}
        for key, value in self.values.items():
            if key == self.vocab:
                labels = [label for label, _ in value if label]
                wanted[Relation.ABOUT] = [target for _, target in value if target]
                if key == VOCAB_TAGS:
                    tags = labels
                else:
                    self._put(fields, key, tuple(labels))
            elif key == VOCAB_TAGS:
                tags = [label for label, _ in value if label]
            elif key.startswith("@"):
                wanted[Relation(key[1:])] = list(value)
            else:
                self._put(fields, key, value)
        return base.with_changes(fields=fields, tags=tuple(dict.fromkeys(tags)), links=_links(base, wanted))

    def _put(self, fields: dict[str, Any], key: str, value: Any) -> None:
        # An emptied field the record never had stays absent, so opening and saving changes nothing.
        if _empty(value) and _empty(self.base.fields.get(key)):
            fields.pop(key, None)
        else:
            fields[key] = _stored(value)


def _links(base: Record, wanted: Mapping[Relation, list[str]]) -> tuple[Link, ...]:
    """The base links with the edited relations replaced, keeping the order and notes of links that stay."""
    kept: list[Link] = []
    seen: set[tuple[Relation, str]] = set()
    for link in base.links:
        targets = wanted.get(link.relation)
        if targets is None:
            kept.append(link)
        elif link.target_id in targets and (link.relation, link.target_id) not in seen:
            kept.append(link)
            seen.add((link.relation, link.target_id))
    for relation, targets in wanted.items():
        for target in targets:
            if (relation, target) not in seen:
                kept.append(Link(relation, target))
                seen.add((relation, target))
    return tuple(kept)


class SetValueCommand(QUndoCommand):
    """Set one draft value. Typing in one field merges into one command until the focus moves."""

    MERGE_ID = 4_201

    def __init__(self, draft: RecordDraft, key: str, new: Any, text: str, *, merge: bool, generation: int):
        super().__init__(text)
        self.draft = draft
        self.key = key
        self.old = draft.value(key)
        self.new = new
        self.merge = merge
        self.generation = generation

    def id(self) -> int:
        return self.MERGE_ID if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetValueCommand) or not other.merge:
            return False
        if other.key != self.key or other.generation != self.generation:
            return False
        self.new = other.new
        self.setObsolete(self.new == self.old)
        return True

    def redo(self) -> None:
        self.draft.set_value(self.key, self.new)

    def undo(self) -> None:
        self.draft.set_value(self.key, self.old)


class ReplaceAllCommand(QUndoCommand):
    """Replace every draft value at once (recovering a working copy), undoable as one step."""

    def __init__(self, draft: RecordDraft, values: Mapping[str, Any], text: str):
        super().__init__(text)
        self.draft = draft
        self.old = dict(draft.values)
        self.new = dict(values)

    def redo(self) -> None:
        for key, value in self.new.items():
            self.draft.set_value(key, value)

    def undo(self) -> None:
        for key, value in self.old.items():
            self.draft.set_value(key, value)
