"""Merging two records into one, and who may: pure rules, no storage.

A merge keeps a *survivor* and turns the other record, the *loser*, into a tombstone with a
``duplicate_of`` link to the survivor. Nothing is lost on the way:

- the survivor gains the loser's tags, its links (other than to the two records themselves)
  and every field it lacks; list fields (ISBNs, subjects, authors...) are joined;
- every other record linking to the loser is retargeted to the survivor;
- attachments are copied to the survivor by the store (the bytes are shared by hash);
- both histories stay: the loser's versions are kept and read from the survivor's history.

Undo writes the versions from before the merge again, as new revisions, so it syncs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, Status
from desktop.core.review import REVIEW_LOG_FIELD

#: Roles that curate the catalogue and the knowledge base (DESIGN.md: librarians merge duplicates).
CURATOR_ROLES = frozenset({"librarian", "admin"})
#: Kinds only librarians edit (the server's LIBRARIAN_KINDS).
LIBRARIAN_KINDS = frozenset({Kind.TERM, Kind.CENTRE_ITEM})
#: The note on a merged record's link to its survivor.
MERGED_NOTE = "merged"


class MergeRefused(ValueError):
    """A merge or an undo that may not or cannot be done; the message says why, in plain words."""


@dataclass(frozen=True)
class MergePlan:
    """The new versions a merge writes (the store adds the attachments)."""

    survivor: Record
    loser: Record
    retargeted: tuple[Record, ...]
    added_fields: tuple[str, ...]
    added_tags: int
    added_links: int

    @property
    def records(self) -> tuple[Record, ...]:
        """Every record the merge writes, the survivor first."""
        return (self.survivor, self.loser, *self.retargeted)


def _empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _joined(mine: list[object], theirs: list[object]) -> list[object]:
    result = list(mine)
    for item in theirs:
        if item not in result:
            result.append(item)
    return result


def may_edit(record: Record, user: str, role: str) -> bool:
    """Whether ``user`` with ``role`` may change ``record`` (the server's rules, seen from here).

    Librarians and admins edit everything. Anyone else (staff, or a role not known yet) edits
    only what they write: their own drafts and returned records, their own expert profile, and
    never catalogue items or vocabulary terms.
    """
    if role in CURATOR_ROLES:
        return True
    if record.kind in LIBRARIAN_KINDS or record.kind is Kind.COMMUNITY:
        return False
    if record.kind is Kind.EXPERT:
        return bool(user) and user in (record.owner, str(record.fields.get("handle") or ""))
    if record.status not in (Status.DRAFT, Status.RETURNED):
        return False
    return bool(user) and (user == record.owner or user in record.co_authors)


def check_may_merge(records: Iterable[Record], user: str, role: str) -> None:
    """Raise MergeRefused naming the first record ``user`` may not change (librarians merge)."""
    for record in records:
        if not may_edit(record, user, role):
            name = record.title or record.id
            raise MergeRefused(
                f"You may not change “{name}”, so these records cannot be merged here. "
                "Librarians merge duplicates; ask one, or sign in as a librarian."
            )


def _kind_name(record: Record) -> str:
    return record.kind.value.replace("_", " ")


def retarget(record: Record, old_id: str, new_id: str) -> Record:
    """``record`` with its links to ``old_id`` pointing at ``new_id`` (a link it already has is kept once)."""
    links: list[Link] = []
    for link in record.links:
        moved = Link(link.relation, new_id, link.note) if link.target_id == old_id else link
        if not any(kept.relation is moved.relation and kept.target_id == moved.target_id for kept in links):
            links.append(moved)
    return record.with_changes(links=tuple(links))


def plan_merge(survivor: Record, loser: Record, linking: Sequence[Record]) -> MergePlan:
    """The versions that merge ``loser`` into ``survivor``; ``linking``: the live records linking to it.

    Raises MergeRefused for a record merged with itself, records of different kinds, or a
    record already in the trash.
    """
    if survivor.id == loser.id:
        raise MergeRefused("A record cannot be merged with itself.")
    if survivor.deleted or loser.deleted:
        gone = survivor if survivor.deleted else loser
        raise MergeRefused(f"“{gone.title or gone.id}” is in the trash; restore it before merging.")
    if survivor.kind is not loser.kind:
        raise MergeRefused(
            "Only records of the same kind can be merged "
            f"(this is a {_kind_name(survivor)}, that a {_kind_name(loser)})."
        )
    pair = {survivor.id, loser.id}
    fields = dict(survivor.fields)
    added_fields: list[str] = []
    for name, value in loser.fields.items():
        mine = fields.get(name)
        if _empty(value) or name == REVIEW_LOG_FIELD:
            # A review history is its own record's (the server refuses entries added by anyone
            # but their author); the merged record's stays in its own history.
            continue
        if _empty(mine):
            fields[name] = value
            added_fields.append(name)
        elif isinstance(mine, list) and isinstance(value, list):
            joined = _joined(mine, value)
            if joined != mine:
                fields[name] = joined
                added_fields.append(name)
    tags = list(survivor.tags)
    added_tags = 0
    for tag in loser.tags:
        if tag.casefold() not in {t.casefold() for t in tags}:
            tags.append(tag)
            added_tags += 1
    links = [link for link in survivor.links if link.target_id not in pair]
    added_links = 0
    for link in loser.links:
        if link.target_id in pair:
            continue
        if not any(k.relation is link.relation and k.target_id == link.target_id for k in links):
            links.append(link)
            added_links += 1
    merged = survivor.with_changes(fields=fields, tags=tuple(tags), links=tuple(links))
    loser_links = [link for link in loser.links if link.target_id != survivor.id]
    loser_links.append(Link(Relation.DUPLICATE_OF, survivor.id, MERGED_NOTE))
    tombstone = loser.with_changes(deleted=True, links=tuple(loser_links))
    retargeted = tuple(retarget(record, loser.id, survivor.id) for record in linking if record.id not in pair)
    return MergePlan(merged, tombstone, retargeted, tuple(added_fields), added_tags, added_links)


@dataclass(frozen=True)
class ComparedField:
    """One row of a side-by-side comparison: a field's label and both values as text."""

    name: str
    label: str
    left: str
    right: str

    @property
    def differs(self) -> bool:
        """True when the two records hold different values (case and spacing ignored)."""
        return " ".join(self.left.casefold().split()) != " ".join(self.right.casefold().split())


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "\n".join(_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_text(item)}" for key, item in value.items())
    return str(value)


#: Fields left out of a comparison: the original catalogue record is kept whole, not compared.
_NOT_COMPARED = frozenset({"marc"})


def comparison_rows(left: Record, right: Record) -> list[ComparedField]:
    """The fields of two records of one kind side by side, in the kind's order, then tags and source.

    Rows where both are empty are left out.
    """
    from desktop.core.kinds import field_specs

    rows: list[ComparedField] = []
    names = [spec for spec in field_specs(left.kind) if spec.name not in _NOT_COMPARED]
    for spec in names:
        a, b = _text(left.fields.get(spec.name)), _text(right.fields.get(spec.name))
        if a or b:
            rows.append(ComparedField(spec.name, spec.label, a, b))
    extras = (
        ("tags", "Tags", "\n".join(left.tags), "\n".join(right.tags)),
        ("status", "Status", left.status.value, right.status.value),
        ("owner", "Owner", left.owner, right.owner),
        ("source", "Source", _source_text(left), _source_text(right)),
        ("created_at", "Added", left.created_at[:10], right.created_at[:10]),
    )
    rows.extend(ComparedField(*extra) for extra in extras if extra[2] or extra[3])
    return rows


def _source_text(record: Record) -> str:
    source = record.source
    if source is None:
        return ""
    where = source.path or source.key
    return f"{source.collection}: {where}" if where else source.collection
