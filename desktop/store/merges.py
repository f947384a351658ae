"""Duplicates in the store: the facts detection reads, the pairs said not to be duplicates,
merges and their undo, and the merge log.

A merge is one write transaction: the survivor's new version, the loser's tombstone, every
record whose links are retargeted, the attachments copied to the survivor, their revisions and
outbox entries, and the merge log row that lets an undo (even after a restart) write the old
versions back. The log keeps the versions from before the merge in full.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, delete, func, insert, select, text
from sqlalchemy.orm import Session, aliased

from desktop.core.changes import Changes
from desktop.core.dismissals import DismissedPair, Pair, pair_of, telling_detail
from desktop.core.duplicates import DUPLICATE_KINDS, DuplicateFacts
from desktop.core.kinds import Kind
from desktop.core.merging import MergePlan, MergeRefused, plan_merge
from desktop.core.records import Record, Relation, utc_now
from desktop.store.errors import RecordNotFoundError
from desktop.store.models import AttachmentRow, LinkRow, MergeRow, RecordRow
from desktop.store.rows import (
    RECORD_COLUMNS,
    core,
    current_row,
    dump_content,
    load_record,
    read_seq,
    record_from_row,
    table,
)

if TYPE_CHECKING:
    from desktop.store.repository import RecordRepository

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MergeEntry:
    """A merge as the log lists it."""

    id: int
    survivor_id: str
    loser_id: str
    survivor_title: str
    loser_title: str
    kind: str
    merged_at: str
    merged_by: str
    undone_at: str
    retargeted: int
    attachments: int
    #: The survivor's version the merge wrote, its history names it "Merged" ("" when it wrote
    #: none: the survivor gained nothing, or a merge logged before this was kept).
    survivor_revision: str = ""

    @property
    def undone(self) -> bool:
        """True once the merge was undone."""
        return bool(self.undone_at)


@dataclass(frozen=True)
class MergeResult:
    """What a merge or an undo wrote: the changes (for the index and views) and the log entry."""

    changes: Changes
    entry: MergeEntry
    plan: MergePlan | None = None


#: The few fields detection reads, pulled out of each record's JSON by SQLite (bodies and MARC
#: never leave the database).
_FACTS_SQL = text(
    """
    SELECT id, kind, created_at,
           json_extract(content, '$.fields.title') AS title,
           json_extract(content, '$.fields.authors') AS authors,
           json_extract(content, '$.fields.date') AS date,
           json_extract(content, '$.fields.year') AS year,
           json_extract(content, '$.fields.edition') AS edition,
           json_extract(content, '$.fields.isbn') AS isbn,
           json_extract(content, '$.fields.issn') AS issn,
           json_extract(content, '$.fields.url') AS url,
           json_extract(content, '$.source.url') AS source_url,
           (SELECT count(*) FROM json_each(content, '$.fields') AS f
             WHERE f.type NOT IN ('null') AND f.value != '' AND f.value != '[]') AS filled
    FROM records
    WHERE deleted = 0 AND kind IN :kinds AND json_valid(content)
    """
).bindparams(bindparam("kinds", expanding=True))
_AUTHOR_LINKS = (
    select(LinkRow.source_id, LinkRow.target_id)
    .join(RecordRow, RecordRow.id == LinkRow.source_id)
    .where(
        LinkRow.relation == "author",
        RecordRow.deleted.is_(False),
        RecordRow.kind.in_(bindparam("kinds", expanding=True)),
    )
)


#: The fields that tell same-titled records apart in the list of "not duplicates".
_DETAIL_FIELDS = ("document_type", "edition", "date", "year")


def _field_of(record: Any, name: str) -> Any:
    return func.json_extract(record.content, f"$.fields.{name}")


def _json_list(value: Any) -> list[Any]:
    if value is None:
        return []
    try:
        parsed = json.loads(value) if isinstance(value, str) and value.startswith("[") else value
    except ValueError:
        return []
    return parsed if isinstance(parsed, list) else [parsed]


class MergeStore:
    """Duplicate facts, merges, undo and the merge log of one repository."""

    def __init__(self, repository: RecordRepository) -> None:
        self._repo = repository

    # --- detection input ------------------------------------------------------------------

    def duplicate_facts(self, kinds: Sequence[Kind] = DUPLICATE_KINDS) -> list[DuplicateFacts]:
        """The facts of every live record of ``kinds``, read in two queries."""
        values = [Kind(k).value for k in kinds]
        with self._repo._read_session() as session:
            connection = core(session)
            authors: dict[str, list[str]] = {}
            for row in connection.execute(_AUTHOR_LINKS, {"kinds": values}):
                authors.setdefault(row.source_id, []).append(row.target_id)
            rows = connection.execute(_FACTS_SQL, {"kinds": values}).all()
        facts = []
        for row in rows:
            fields = {
                "title": row.title,
                "authors": _json_list(row.authors),
                "date": row.date,
                "year": row.year,
                "edition": row.edition,
                "isbn": _json_list(row.isbn),
                "issn": _json_list(row.issn),
                "url": row.url,
            }
            fact = DuplicateFacts.of(
                row.id,
                Kind(row.kind),
                fields,
                author_ids=authors.get(row.id, ()),
                source_url=row.source_url or "",
                created_at=row.created_at,
            )
            facts.append(_with_filled(fact, int(row.filled or 0)))
        return facts

    # --- not duplicates (links, see desktop/core/dismissals.py) ------------------------------

    def dismissals(self) -> list[DismissedPair]:
        """The pairs said not to be duplicates, between live records, each once, newest link last."""
        source, target = aliased(RecordRow), aliased(RecordRow)
        query = (
            select(
                LinkRow.source_id,
                LinkRow.target_id,
                LinkRow.note,
                source.title.label("source_title"),
                target.title.label("target_title"),
                source.kind,
                *(
                    _field_of(record, name).label(f"{prefix}_{name}")
                    for prefix, record in (("s", source), ("t", target))
                    for name in _DETAIL_FIELDS
                ),
            )
            .join(source, source.id == LinkRow.source_id)
            .join(target, target.id == LinkRow.target_id)
            .where(
                LinkRow.relation == Relation.NOT_DUPLICATE_OF.value,
                source.deleted.is_(False),
                target.deleted.is_(False),
            )
            .order_by(source.updated_at, LinkRow.position)
        )
        found: dict[Pair, DismissedPair] = {}
        with self._repo._read_session() as session:
            for row in core(session).execute(query):
                pair = pair_of(row.source_id, row.target_id)
                titles = {row.source_id: row.source_title or "", row.target_id: row.target_title or ""}
                details = {
                    rid: telling_detail({name: row._mapping[f"{prefix}_{name}"] for name in _DETAIL_FIELDS})
                    for prefix, rid in (("s", row.source_id), ("t", row.target_id))
                }
                first, second = pair
                item = DismissedPair(
                    first,
                    second,
                    titles[first],
                    titles[second],
                    row.kind,
                    row.note or "",
                    details[first],
                    details[second],
                )
                found.setdefault(pair, item)
        return list(found.values())

    def dismissed_pairs(self) -> set[Pair]:
        """The pairs (lower id first) detection leaves out."""
        return {item.pair for item in self.dismissals()}

    # --- merge ----------------------------------------------------------------------------

    def merge(
        self,
        survivor_id: str,
        loser_id: str,
        *,
        user: str,
        authorize: Callable[[Sequence[Record]], None],
    ) -> MergeResult:
        """Merge ``loser_id`` into ``survivor_id`` in one transaction (see desktop/core/merging.py).

        ``authorize`` sees every record the merge would change and raises MergeRefused to stop
        it; nothing is written then. Raises RecordNotFoundError for an unknown id.
        """
        repo = self._repo
        with repo._write_session("merge the records") as session:
            survivor = self._current(session, survivor_id)
            loser = self._current(session, loser_id)
            linking = self._linking_to(session, loser_id)
            plan = plan_merge(survivor, loser, linking)
            authorize(plan.records)
            before = {r.id: r for r in (survivor, loser, *linking) if r.id in {p.id for p in plan.records}}
            changes = repo._write_records(session, list(plan.records))
            copied = self._copy_attachments(session, loser_id, survivor_id)
            if copied:
                repo._bump_revision(session, survivor_id)
                changes = changes.merged(Changes(updated=(survivor_id,), seq=changes.seq))
            after = self._revisions(session, list(before))
            changes = _final(changes, read_seq(session))
            details = {
                "before": {
                    rid: {"content": dump_content(record), "created_at": record.created_at}
                    for rid, record in before.items()
                },
                "after": after,
                "attachments": copied,
                # The survivor's version this merge wrote ("" when the survivor gained nothing).
                "merged_revision": after.get(survivor_id, "") if survivor_id in changes.updated else "",
            }
            row = MergeRow(
                survivor_id=survivor_id,
                loser_id=loser_id,
                survivor_title=survivor.title,
                loser_title=loser.title,
                kind=survivor.kind.value,
                merged_at=utc_now(),
                merged_by=user,
                undone_at=None,
                details=json.dumps(details, ensure_ascii=False, sort_keys=True),
            )
            session.add(row)
            session.flush()
            entry = _entry(row)
        logger.info(
            "merged %s into %s (merge %d, %d retargeted)", loser_id, survivor_id, entry.id, len(linking)
        )
        return MergeResult(changes, entry, plan)

    def undo(self, merge_id: int) -> MergeResult:
        """Write back the versions from before merge ``merge_id``, as new revisions, in one transaction.

        Refused (MergeRefused, nothing written) when the merge was undone already or when a record
        it changed has changed since (an edit or a sync): undoing would lose that change.
        """
        repo = self._repo
        with repo._write_session("undo the merge") as session:
            row = session.get(MergeRow, merge_id)
            if row is None:
                raise MergeRefused(f"There is no merge {merge_id} to undo.")
            if row.undone_at:
                raise MergeRefused("This merge was undone already.")
            details = json.loads(row.details)
            after: dict[str, str] = details["after"]
            current = self._revisions(session, list(after))
            for record_id, revision in after.items():
                if current.get(record_id) != revision:
                    title = _title_of(session, record_id) or record_id
                    raise MergeRefused(
                        f"“{title}” has changed since the merge (edited here or by a sync), so the merge "
                        "cannot be undone without losing that change. Nothing was changed."
                    )
            restored = [
                load_record(
                    item["content"],
                    created_at=item.get("created_at", ""),
                    updated_at="",
                    revision="",
                    parent_revision="",
                )
                for item in details["before"].values()
            ]
            changes = repo._write_records(session, restored)
            shas = list(details.get("attachments") or [])
            if shas:
                session.execute(
                    delete(AttachmentRow).where(
                        AttachmentRow.record_id == row.survivor_id, AttachmentRow.sha256.in_(shas)
                    )
                )
                repo._bump_revision(session, row.survivor_id)
            changes = _final(changes, read_seq(session))
            row.undone_at = utc_now()
            session.flush()
            entry = _entry(row)
        logger.info("undid merge %d (%s back from %s)", merge_id, entry.loser_id, entry.survivor_id)
        return MergeResult(changes, entry)

    # --- the log --------------------------------------------------------------------------

    def merges(
        self, *, limit: int = 50, include_undone: bool = True, survivor_id: str | None = None
    ) -> list[MergeEntry]:
        """The newest merges first (only those into ``survivor_id`` when given)."""
        query = select(MergeRow).order_by(MergeRow.id.desc()).limit(limit)
        if not include_undone:
            query = query.where(MergeRow.undone_at.is_(None))
        if survivor_id is not None:
            query = query.where(MergeRow.survivor_id == survivor_id)
        with self._repo._read_session() as session:
            return [_entry(row) for row in session.scalars(query)]

    def merged_into(self, survivor_id: str) -> list[str]:
        """Ids of the records merged into ``survivor_id`` (merges not undone), oldest first."""
        query = (
            select(MergeRow.loser_id)
            .where(MergeRow.survivor_id == survivor_id, MergeRow.undone_at.is_(None))
            .order_by(MergeRow.id)
        )
        with self._repo._read_session() as session:
            return list(dict.fromkeys(session.scalars(query)))

    # --- inside a transaction -------------------------------------------------------------

    @staticmethod
    def _current(session: Session, record_id: str) -> Record:
        row = current_row(session, record_id)
        if row is None:
            raise RecordNotFoundError(f"There is no record with id {record_id}.")
        return record_from_row(row)

    @staticmethod
    def _linking_to(session: Session, record_id: str) -> list[Record]:
        sources = select(LinkRow.source_id).where(LinkRow.target_id == record_id).distinct()
        query = select(*RECORD_COLUMNS).where(
            RecordRow.id.in_(sources), RecordRow.deleted.is_(False), RecordRow.id != record_id
        )
        return [record_from_row(row) for row in core(session).execute(query)]

    @staticmethod
    def _revisions(session: Session, ids: list[str]) -> dict[str, str]:
        query = select(RecordRow.id, RecordRow.revision).where(RecordRow.id.in_(ids))
        return {row.id: row.revision for row in core(session).execute(query)}

    @staticmethod
    def _copy_attachments(session: Session, from_id: str, to_id: str) -> list[str]:
        """Give ``to_id`` a row for each of ``from_id``'s files it lacks; returns their hashes."""
        connection = core(session)
        have = set(connection.execute(select(_FILES.c.sha256).where(_FILES.c.record_id == to_id)).scalars())
        rows = connection.execute(
            select(_FILES).where(_FILES.c.record_id == from_id).order_by(_FILES.c.id)
        ).all()
        added = []
        for row in rows:
            if row.sha256 in have:
                continue
            values = {key: value for key, value in row._mapping.items() if key != "id"}
            values.update(record_id=to_id, added_at=utc_now())
            connection.execute(insert(_FILES), [values])
            added.append(row.sha256)
            have.add(row.sha256)
        return added


_FILES = table(AttachmentRow)


def _with_filled(fact: DuplicateFacts, filled: int) -> DuplicateFacts:
    from dataclasses import replace

    return replace(fact, filled=filled)


def _title_of(session: Session, record_id: str) -> str:
    return str(session.scalar(select(RecordRow.title).where(RecordRow.id == record_id)) or "")


def _final(changes: Changes, seq: int) -> Changes:
    """The changes with each id once (a record written twice in a merge counts as updated)."""
    deleted = tuple(dict.fromkeys(changes.deleted))
    created = tuple(i for i in dict.fromkeys(changes.created) if i not in deleted)
    updated = tuple(i for i in dict.fromkeys(changes.updated) if i not in deleted and i not in created)
    return Changes(created=created, updated=updated, deleted=deleted, seq=seq)


def _entry(row: MergeRow) -> MergeEntry:
    details = json.loads(row.details)
    return MergeEntry(
        id=row.id,
        survivor_id=row.survivor_id,
        loser_id=row.loser_id,
        survivor_title=row.survivor_title,
        loser_title=row.loser_title,
        kind=row.kind,
        merged_at=row.merged_at,
        merged_by=row.merged_by,
        undone_at=row.undone_at or "",
        retargeted=max(0, len(details.get("before", {})) - 2),
        attachments=len(details.get("attachments") or []),
        survivor_revision=str(details.get("merged_revision") or ""),
    )
