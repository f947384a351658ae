"""“Not duplicates”: a librarian's word that records detection found alike are different items.

The word is kept as a ``not_duplicate_of`` link on one record of each pair, so it travels with
the record through sync like every other link (DESIGN.md: links are first-class) and other
librarians stop seeing the pair too. Links merge as a set in a three-way merge, so dismissing
on two laptops at once is no conflict. The server authorizes it as an edit of the record that
holds the link: librarians edit the catalogue and published knowledge, staff only their drafts,
the same rule as for a merge (desktop/core/merging.py).

Detection leaves a dismissed pair out; a group of three or more dismissed as a whole holds a
link for every pair, so a record found alike later is still proposed. Restoring removes the
links of the pairs (from either side) and the records are proposed again.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from desktop.core.merging import MergeRefused, may_edit
from desktop.core.records import Link, Record, Relation

Pair = tuple[str, str]


class DismissalRefused(MergeRefused):
    """A dismissal or a restore that may not or cannot be done; the message says why."""


def pair_of(a: str, b: str) -> Pair:
    """The pair of two record ids in a stable order (the lower id first)."""
    return (a, b) if a <= b else (b, a)


def pairs_among(record_ids: Iterable[str]) -> list[Pair]:
    """Every pair of the distinct ids, each once, in a stable order."""
    return [pair_of(a, b) for a, b in combinations(sorted(set(record_ids)), 2)]


@dataclass(frozen=True)
class DismissedPair:
    """Two records a librarian said are not duplicates, as the list of dismissals shows them."""

    first_id: str
    second_id: str
    first_title: str
    second_title: str
    kind: str
    note: str  # who said so and when ("thandi, 2026-12-02")
    first_detail: str = ""  # what tells two same-titled records apart: "news, 2019-12-19"
    second_detail: str = ""

    @property
    def pair(self) -> Pair:
        """The two ids, lower first."""
        return pair_of(self.first_id, self.second_id)

    def to_json(self) -> dict[str, object]:
        """Plain JSON values (``imbizo duplicates --dismissed --json``)."""
        return {
            "records": [
                {"id": self.first_id, "title": self.first_title, "detail": self.first_detail},
                {"id": self.second_id, "title": self.second_title, "detail": self.second_detail},
            ],
            "kind": self.kind,
            "note": self.note,
        }


def telling_detail(fields: Mapping[str, object]) -> str:
    """The few fields that tell records of one title apart: document type, edition, date or year."""
    date = str(fields.get("date") or "")[:10] or str(fields.get("year") or "")
    parts = (fields.get("document_type"), fields.get("edition"), date)
    return ", ".join(str(part) for part in parts if part)


def _refused(record: Record) -> DismissalRefused:
    name = record.title or record.id
    return DismissalRefused(
        f"You may not change “{name}”, so you cannot say here that it is not a duplicate. "
        "Librarians decide about duplicates; ask one, or sign in as a librarian."
    )


def plan_dismissal(
    records: Mapping[str, Record], record_ids: Sequence[str], user: str, role: str, note: str
) -> list[Record]:
    """The new versions that say no two of ``record_ids`` are duplicates (only those that change).

    Each pair gets one link, on the first of the two that ``user`` may change (the lower id when
    both). A pair already dismissed from either side is left as it is. Raises DismissalRefused
    for fewer than two records, a record missing or in the trash, or a pair neither of whose
    records ``user`` may change; nothing is written then.
    """
    ids = list(dict.fromkeys(record_ids))
    if len(ids) < 2:
        raise DismissalRefused("Name at least two records that are not duplicates of each other.")
    for record_id in ids:
        record = records.get(record_id)
        if record is None or record.deleted:
            raise DismissalRefused(f"There is no record {record_id} (or it is in the trash).")
    changed: dict[str, Record] = {}
    for a, b in pairs_among(ids):
        first, second = changed.get(a, records[a]), changed.get(b, records[b])
        if _dismissed_between(first, second):
            continue
        holder, other = (first, second) if may_edit(first, user, role) else (second, first)
        if not may_edit(holder, user, role):
            raise _refused(first)
        link = Link(Relation.NOT_DUPLICATE_OF, other.id, note)
        changed[holder.id] = holder.with_changes(links=(*holder.links, link))
    return list(changed.values())


def plan_restore(
    records: Mapping[str, Record], pairs: Collection[Pair], user: str, role: str
) -> list[Record]:
    """The new versions without the ``not_duplicate_of`` links of ``pairs`` (either side).

    Raises DismissalRefused when ``user`` may not change a record holding such a link.
    """
    wanted = {pair_of(*pair) for pair in pairs}
    changed: list[Record] = []
    for record in records.values():
        links = tuple(
            link
            for link in record.links
            if not (
                link.relation is Relation.NOT_DUPLICATE_OF and pair_of(record.id, link.target_id) in wanted
            )
        )
        if links == record.links:
            continue
        if not may_edit(record, user, role):
            raise _refused(record)
        changed.append(record.with_changes(links=links))
    return changed


def _dismissed_between(a: Record, b: Record) -> bool:
    return Relation.NOT_DUPLICATE_OF in {
        link.relation for link in a.links if link.target_id == b.id
    } or Relation.NOT_DUPLICATE_OF in {link.relation for link in b.links if link.target_id == a.id}
