"""Three-way merge of two versions of a record against the version they both started from.

Sync uses it when the server's version (``theirs``) and the local one (``mine``) both
moved on from the last synced version (``base``). Field by field:

- a field changed on one side only takes that side's value;
- list fields (``LIST`` fields, tags, co-authors, links) merge as sets: what either side
  added is in, what either side removed is out (order: mine's, then theirs' additions);
- follow-up actions (an ordered list) merge item by item, each action's parts as
  scalars; actions added on both sides are all kept;
- the same scalar field changed differently on both sides is a **conflict**: the merge
  names it and keeps theirs in the merged value (the server's version stays current
  while the conflict is open; the caller keeps mine beside it);
- workflow fields (status, visibility, owner, source) belong to the server: theirs wins
  when they changed it, never a conflict;
- review histories (``fields.review_log``) that grew on both sides are not a conflict
  either: the server's entries stay, and the review actions taken here are replayed after
  them (:func:`desktop.core.review.merge_review_logs`): an action the other reviewer's
  overtook (both published; one returned what the other published) is left out and named
  in ``overtaken``, a later one that still applies is kept and sets the status;
- a deletion on one side against an edit on the other is a conflict on ``deleted``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from desktop.core.kinds import FieldType, field_spec
from desktop.core.records import Link, Record
from desktop.core.review import REVIEW_LOG_FIELD, OvertakenReview, merge_review_logs

#: The conflict name for a deletion against an edit.
DELETED = "deleted"


@dataclass(frozen=True)
class MergeResult:
    """The merged record (its revision fields unset) and the names of the conflicting fields."""

    record: Record
    conflicts: tuple[str, ...] = ()
    #: Review actions taken here that another reviewer's, on the server first, overtook.
    overtaken: tuple[OvertakenReview, ...] = ()

    @property
    def clean(self) -> bool:
        """True when nothing conflicted."""
        return not self.conflicts


@dataclass
class _Conflicts:
    names: list[str] = field(default_factory=list)

    def add(self, name: str) -> None:
        if name not in self.names:
            self.names.append(name)

    def add_part(self, name: str, part: str) -> None:
        self.add(f"{name}.{part}")


def merge_records(base: Record | None, mine: Record, theirs: Record) -> MergeResult:
    """Merge ``mine`` and ``theirs`` against ``base`` (None: both created it; nothing in common)."""
    if base is None:
        base = theirs.with_changes(fields={}, tags=(), links=(), co_authors=())
    conflicts = _Conflicts()
    if mine.deleted != theirs.deleted:
        deleted_side = mine if mine.deleted else theirs
        edited_side = theirs if mine.deleted else mine
        if edited_side.content_hash() != base.content_hash() and not base.deleted:
            conflicts.add(DELETED)  # one side deleted what the other edited: the person decides
            return MergeResult(theirs.with_changes(revision="", parent_revision=""), tuple(conflicts.names))
        merged = deleted_side if not base.deleted else edited_side
        return MergeResult(merged.with_changes(revision="", parent_revision=""), ())
    review = merge_review_logs(base, mine, theirs)
    fields = merge_fields(base, mine, theirs, conflicts)
    status = _server_owned(base.status, mine.status, theirs.status)
    if review is not None:
        fields[REVIEW_LOG_FIELD], status = review.log, review.status
    merged = theirs.with_changes(
        fields=fields,
        tags=tuple(merge_sets(base.tags, mine.tags, theirs.tags)),
        links=merge_links(base.links, mine.links, theirs.links, conflicts),
        co_authors=tuple(merge_sets(base.co_authors, mine.co_authors, theirs.co_authors)),
        status=status,
        visibility=_server_owned(base.visibility, mine.visibility, theirs.visibility),
        owner=_server_owned(base.owner, mine.owner, theirs.owner),
        source=_server_owned(base.source, mine.source, theirs.source),
        revision="",
        parent_revision="",
    )
    names = [name for name in conflicts.names if review is None or name != REVIEW_LOG_FIELD]
    return MergeResult(merged, tuple(names), review.overtaken if review is not None else ())


def _server_owned(base: Any, mine: Any, theirs: Any) -> Any:
    """Workflow and provenance: the server's change wins; else mine."""
    return theirs if theirs != base else mine


def merge_fields(base: Record, mine: Record, theirs: Record, conflicts: _Conflicts) -> dict[str, Any]:
    """The payload fields, merged by their type (see the module docstring)."""
    merged: dict[str, Any] = {}
    names = list(dict.fromkeys([*mine.fields, *theirs.fields, *base.fields]))
    for name in names:
        spec = field_spec(theirs.kind, name)
        kind = spec.type if spec is not None else None
        b, m, t = base.fields.get(name), mine.fields.get(name), theirs.fields.get(name)
        if kind is FieldType.LIST and _all_lists(b, m, t):
            value: Any = merge_sets(b or [], m or [], t or [])
        elif kind is FieldType.ACTIONS and _all_lists(b, m, t):
            value = merge_actions(b or [], m or [], t or [], partial(conflicts.add_part, name))
        else:
            value = merge_scalar(b, m, t, partial(conflicts.add, name))
        if value is not None:  # a field removed on one side and untouched on the other stays removed
            merged[name] = value
    return merged


def _all_lists(*values: Any) -> bool:
    return all(value is None or isinstance(value, list | tuple) for value in values)


def merge_scalar(base: Any, mine: Any, theirs: Any, on_conflict: Callable[[], None]) -> Any:
    """Three-way merge of one value: one side's change wins; both changed differently is a conflict."""
    if mine in (theirs, base):
        return theirs
    if theirs == base:
        return mine
    on_conflict()
    return theirs


def merge_sets(base: Sequence[Hashable], mine: Sequence[Hashable], theirs: Sequence[Hashable]) -> list[Any]:
    """Set merge of lists: additions of either side in, removals of either side out, mine's order first."""
    base_set, mine_set, theirs_set = set(base), set(mine), set(theirs)
    removed = (base_set - mine_set) | (base_set - theirs_set)
    result: list[Any] = []
    for item in [*mine, *theirs]:
        if item not in removed and item not in result:
            result.append(item)
    return result


def merge_links(
    base: Sequence[Link], mine: Sequence[Link], theirs: Sequence[Link], conflicts: _Conflicts
) -> tuple[Link, ...]:
    """Links merge as a set keyed by (relation, target); a note changed on both sides is a conflict."""

    def keyed(links: Sequence[Link]) -> dict[tuple[str, str], Link]:
        return {(link.relation.value, link.target_id): link for link in links}

    base_k, mine_k, theirs_k = keyed(base), keyed(mine), keyed(theirs)
    keys = merge_sets(list(base_k), list(mine_k), list(theirs_k))
    merged = []
    for key in keys:
        b, m, t = base_k.get(key), mine_k.get(key), theirs_k.get(key)
        if m is not None and t is not None:
            base_note = b.note if b is not None else ""
            note = merge_scalar(base_note, m.note, t.note, partial(conflicts.add, f"link:{key[0]}"))
            merged.append(Link(t.relation, t.target_id, note))
        elif m is not None:
            merged.append(m)
        elif t is not None:
            merged.append(t)
    return tuple(merged)


def merge_actions(
    base: Sequence[Any], mine: Sequence[Any], theirs: Sequence[Any], on_conflict: Callable[[str], None]
) -> list[Any]:
    """Follow-up actions item by item (by position); each item's parts merge as scalars.

    An action removed on one side is removed unless the other side changed it (then it is
    kept: nothing typed is lost). Actions added beyond the common length are all kept,
    mine first.
    """
    result: list[Any] = []
    for index in range(len(base)):
        b = base[index]
        m = mine[index] if index < len(mine) else None
        t = theirs[index] if index < len(theirs) else None
        if m is None and t is None:
            continue
        if m is None or t is None:
            survivor = t if m is None else m
            if survivor != b:
                result.append(survivor)  # changed on one side, removed on the other: keep the change
            continue
        if isinstance(b, dict) and isinstance(m, dict) and isinstance(t, dict):
            item = {}
            for part in dict.fromkeys([*m, *t, *b]):
                value = merge_scalar(b.get(part), m.get(part), t.get(part), partial(on_conflict, part))
                if value is not None:
                    item[part] = value
            result.append(item)
        else:
            result.append(merge_scalar(b, m, t, partial(on_conflict, "item")))
    for extra in [*mine[len(base) :], *theirs[len(base) :]]:
        if extra not in result:
            result.append(extra)
    return result
