"""The store's side of the expert finder and of requests: links by relation, profiles by user name.

A mixin of RecordRepository (it supplies ``_read_session``); each call is one short read.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from desktop.core.kinds import Kind
from desktop.core.records import Record, Relation
from desktop.store.models import LinkRow, RecordRow
from desktop.store.queries import BATCH_SIZE
from desktop.store.rows import RECORD_COLUMNS, core, record_from_row

#: (source, target) of live records of one kind linking with one relation to any of some targets.
_SOURCES_LINKING = (
    select(LinkRow.source_id, LinkRow.target_id)
    .join(RecordRow, RecordRow.id == LinkRow.source_id)
    .where(
        LinkRow.target_id.in_(bindparam("ids", expanding=True)),
        LinkRow.relation == bindparam("relation"),
        RecordRow.kind == bindparam("kind"),
        RecordRow.deleted.is_(False),
    )
)
_HANDLE = func.json_extract(RecordRow.content, "$.fields.handle")
#: Live expert profiles whose ``handle`` (the user name they belong to) is one of some names.
_EXPERTS_BY_HANDLE = select(RecordRow.id, _HANDLE.label("handle")).where(
    RecordRow.kind == Kind.EXPERT.value,
    RecordRow.deleted.is_(False),
    _HANDLE.in_(bindparam("handles", expanding=True)),
)
#: Live records of one kind linking with one relation to one target, newest first.
_LINKED_RECORDS = (
    select(*RECORD_COLUMNS)
    .join(LinkRow, LinkRow.source_id == RecordRow.id)
    .where(
        LinkRow.target_id == bindparam("target"),
        LinkRow.relation == bindparam("relation"),
        RecordRow.kind == bindparam("kind"),
        RecordRow.deleted.is_(False),
    )
    .order_by(RecordRow.updated_at.desc(), RecordRow.id)
)
_OWNED = (
    select(*RECORD_COLUMNS)
    .where(
        RecordRow.kind == bindparam("kind"),
        RecordRow.owner == bindparam("owner"),
        RecordRow.deleted.is_(False),
    )
    .order_by(RecordRow.updated_at.desc(), RecordRow.id)
)


def _expert_values(path: str) -> Select[tuple[Any, int]]:
    value = func.json_extract(RecordRow.content, path)
    return (
        select(value.label("value"), func.count())
        .where(RecordRow.kind == Kind.EXPERT.value, RecordRow.deleted.is_(False), value != "")
        .group_by(value)
    )


class ExpertQueries:
    """Reads for the expert finder and the requests page."""

    def _read_session(self) -> AbstractContextManager[Session]:  # pragma: no cover - overridden
        raise NotImplementedError

    def sources_linking(
        self, target_ids: Iterable[str], relation: Relation, kind: Kind
    ) -> list[tuple[str, str]]:
        """(source, target) ids of live ``kind`` records linking by ``relation`` to any of ``target_ids``."""
        targets = list(dict.fromkeys(target_ids))
        pairs: list[tuple[str, str]] = []
        with self._read_session() as session:
            connection = core(session)
            for start in range(0, len(targets), BATCH_SIZE):
                params = {
                    "ids": targets[start : start + BATCH_SIZE],
                    "relation": relation.value,
                    "kind": kind.value,
                }
                pairs.extend(
                    (row.source_id, row.target_id) for row in connection.execute(_SOURCES_LINKING, params)
                )
        return pairs

    def experts_by_handle(self, handles: Iterable[str]) -> dict[str, str]:
        """The live expert profile id of each user name among ``handles`` that has one."""
        names = [name for name in dict.fromkeys(handles) if name]
        found: dict[str, str] = {}
        with self._read_session() as session:
            connection = core(session)
            for start in range(0, len(names), BATCH_SIZE):
                rows = connection.execute(_EXPERTS_BY_HANDLE, {"handles": names[start : start + BATCH_SIZE]})
                for row in rows:
                    found.setdefault(str(row.handle), row.id)
        return found

    def linked_records(self, target_id: str, relation: Relation, kind: Kind) -> list[Record]:
        """Live ``kind`` records linking by ``relation`` to ``target_id``, most recently changed first."""
        params = {"target": target_id, "relation": relation.value, "kind": kind.value}
        with self._read_session() as session:
            return [record_from_row(row) for row in core(session).execute(_LINKED_RECORDS, params)]

    def owned_records(self, owner: str, kind: Kind) -> list[Record]:
        """Live ``kind`` records owned by ``owner``, most recently changed first."""
        with self._read_session() as session:
            rows = core(session).execute(_OWNED, {"kind": kind.value, "owner": owner})
            return [record_from_row(row) for row in rows]

    def expert_values(self, field: str) -> list[str]:
        """The distinct non-empty values of one text field (``district``, ``organisation``) of live
        expert profiles, sorted case-insensitively (the expert finder's filter choices)."""
        return sorted(self.expert_value_counts(field), key=str.casefold)

    def expert_value_counts(self, field: str) -> dict[str, int]:
        """How many live expert profiles have each non-empty value of ``district`` or ``organisation``."""
        if field not in ("district", "organisation"):
            raise ValueError(f"not a filter field: {field!r}")
        counts: dict[str, int] = {}
        with self._read_session() as session:
            for value, count in core(session).execute(_expert_values(f"$.fields.{field}")):
                text = str(value).strip()
                if text:
                    counts[text] = counts.get(text, 0) + int(count)
        return counts
