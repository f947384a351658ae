"""Paged record lists and the Home page's queries, fast at 100,000 records.

A page is read in two steps: the ids of the page first (an index scan on
``records(kind, deleted, title|updated_at)``, no record content touched), then
the list columns of just those rows. Several kinds are merged from one index
scan per kind, each cut at ``offset + limit`` rows, so no query sorts a whole
table. ``rowid`` breaks ties: it is the last column of every index, so a page
order is stable without a sort.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal_column, select, union_all
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from desktop.core.editing import FollowUpDue, RecordSummary
from desktop.core.kinds import Kind
from desktop.core.records import Status
from desktop.store.models import MetaRow, RecordRow

#: The meta key of the local user's name (who "me" is on this machine).
LOCAL_USER_KEY = "local_user"

#: The sorts ``list_page`` accepts.
SORTS = ("updated", "title", "kind", "status")

_ROWID: ColumnElement[int] = literal_column("records.rowid")

_CHUNK = 500
#: Kinds Home's recent and draft lists leave out (they have pages of their own).
_NOT_ON_HOME = frozenset({Kind.TERM, Kind.REQUEST})

_FOLLOW_UPS_SQL = sql_text(
    """
    SELECT r.id AS record_id, r.title AS record_title,
           CAST(json_extract(j.value, '$.action') AS TEXT) AS action,
           COALESCE(CAST(json_extract(j.value, '$.owner') AS TEXT), '') AS owner,
           substr(CAST(json_extract(j.value, '$.due') AS TEXT), 1, 10) AS due
    FROM records AS r, json_each(r.content, '$.fields.follow_ups') AS j
    WHERE r.kind = :kind AND r.deleted = 0
      AND json_valid(r.content)
      AND j.type = 'object'
      AND COALESCE(json_extract(j.value, '$.done'), 0) = 0
      AND COALESCE(CAST(json_extract(j.value, '$.due') AS TEXT), '') != ''
      AND substr(CAST(json_extract(j.value, '$.due') AS TEXT), 1, 10) <= :cutoff
    ORDER BY due, r.title, r.id, j.key
    LIMIT :limit
    """
)


def default_user() -> str:
    """The operating system's user name, or "me" when there is none."""
    try:
        name = getpass.getuser().strip()
    except (OSError, KeyError, ImportError):
        name = ""
    return name or "me"


#: What a list row shows beyond the columns: the district, then the first date found.
_SUMMARY_PATHS = ("$.fields.district", "$.fields.date", "$.fields.start_date", "$.fields.year")


def _extras(value: str | None) -> list[str]:
    """The text of each of ``_SUMMARY_PATHS`` from json_extract's array ("" where missing)."""
    try:
        items = json.loads(value) if value else []
    except ValueError:
        items = []
    if not isinstance(items, list):
        items = []
    items = (items + [None] * len(_SUMMARY_PATHS))[: len(_SUMMARY_PATHS)]
    return ["" if item is None or isinstance(item, dict | list) else str(item) for item in items]


def _like_pattern(needle: str) -> str:
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


#: Titles sort as people expect ("apple" next to "Apple"); the index is on this expression too.
_TITLE = RecordRow.title.collate("NOCASE")


def _sort_keys(sort: str) -> list[Any]:
    """The ORDER BY columns of a sort, before the rowid tie-breaker."""
    if sort == "updated":
        return [RecordRow.updated_at]
    if sort == "title":
        return [_TITLE]
    if sort == "kind":
        return [RecordRow.kind, _TITLE]
    if sort == "status":
        return [RecordRow.status, _TITLE]
    raise ValueError(f"unknown sort {sort!r}; use one of: {', '.join(SORTS)}")


def _ordered(columns: Sequence[Any], descending: bool) -> list[Any]:
    return [column.desc() if descending else column.asc() for column in columns]


class ListingQueries:
    """Paged lists and Home queries (a mixin of RecordRepository, which supplies ``_read_session``)."""

    def _read_session(self) -> AbstractContextManager[Session]:  # pragma: no cover - overridden
        raise NotImplementedError

    # -- who "me" is ------------------------------------------------------------------------

    def local_user(self) -> str:
        """The local user's name (meta ``local_user``), by default the operating system's user."""
        with self._read_session() as session:
            value = session.scalar(select(MetaRow.value).where(MetaRow.key == LOCAL_USER_KEY))
        return value.strip() if value and value.strip() else default_user()

    # -- paged lists ------------------------------------------------------------------------

    def _conditions(
        self, *, text: str = "", owner: str | None = None, status: Status | None = None
    ) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = [RecordRow.deleted.is_(False)]
        needle = text.strip()
        if needle:
            conditions.append(RecordRow.title.like(_like_pattern(needle), escape="\\"))
        if owner is not None:
            conditions.append(RecordRow.owner == owner)
        if status is not None:
            conditions.append(RecordRow.status == status.value)
        return conditions

    def _page_ids(
        self,
        kinds: Sequence[Kind],
        conditions: list[ColumnElement[bool]],
        *,
        sort: str,
        descending: bool,
        offset: int,
        limit: int,
    ) -> Select[Any]:
        keys = _sort_keys(sort)
        values = list(dict.fromkeys(Kind(kind).value for kind in kinds))
        if len(values) == 1 or sort == "status":
            # One index scan in order (status has no index: SQLite sorts, which is fine for a rare sort).
            return (
                select(RecordRow.id)
                .where(RecordRow.kind.in_(values), *conditions)
                .order_by(*_ordered([*keys, _ROWID], descending))
                .offset(offset)
                .limit(limit)
            )
        parts = []
        for value in values:
            labelled = [key.label(f"k{n}") for n, key in enumerate(keys)]
            part = (
                select(RecordRow.id.label("id"), _ROWID.label("rid"), *labelled)
                .where(RecordRow.kind == value, *conditions)
                .order_by(*_ordered([*keys, _ROWID], descending))
                .limit(offset + limit)
                .subquery()
            )
            parts.append(select(*part.c))
        merged = union_all(*parts).subquery("merged")
        # A labelled ``title COLLATE NOCASE`` loses its collation outside the subquery: say it again.
        order = [
            merged.c[f"k{n}"].collate("NOCASE") if key is _TITLE else merged.c[f"k{n}"]
            for n, key in enumerate(keys)
        ] + [merged.c.rid]
        return select(merged.c.id).order_by(*_ordered(order, descending)).offset(offset).limit(limit)

    def _summaries(self, session: Session, ids: list[str]) -> list[RecordSummary]:
        # One json_extract with several paths parses each row's content once (SQLite 3.40 has no
        # parse cache), whatever the size of its body: it returns a small JSON array.
        extras = func.json_extract(RecordRow.content, *_SUMMARY_PATHS)
        columns = (
            RecordRow.id,
            RecordRow.kind,
            RecordRow.title,
            RecordRow.status,
            RecordRow.updated_at,
            RecordRow.owner,
            RecordRow.demo,
            extras.label("extras"),
        )
        found: dict[str, RecordSummary] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for row in session.execute(select(*columns).where(RecordRow.id.in_(chunk))):
                district, *dates = _extras(row.extras)
                found[row.id] = RecordSummary(
                    id=row.id,
                    kind=Kind(row.kind),
                    title=row.title,
                    status=row.status,
                    updated_at=row.updated_at,
                    owner=row.owner,
                    district=district,
                    date=next((value for value in dates if value), ""),
                    demo=bool(row.demo),
                )
        return [found[record_id] for record_id in ids if record_id in found]

    def _list(
        self,
        kinds: Sequence[Kind],
        *,
        sort: str = "updated",
        descending: bool = True,
        text: str = "",
        offset: int = 0,
        limit: int = 200,
        owner: str | None = None,
        status: Status | None = None,
    ) -> list[RecordSummary]:
        _sort_keys(sort)  # an unknown sort fails before any query
        offset, limit = max(int(offset), 0), max(int(limit), 0)
        if not kinds or limit == 0:
            return []
        conditions = self._conditions(text=text, owner=owner, status=status)
        query = self._page_ids(
            kinds, conditions, sort=sort, descending=descending, offset=offset, limit=limit
        )
        with self._read_session() as session:
            ids = [str(record_id) for record_id in session.scalars(query)]
            return self._summaries(session, ids)

    def list_page(
        self,
        kinds: Sequence[Kind],
        *,
        sort: str = "updated",
        descending: bool = True,
        text: str = "",
        offset: int = 0,
        limit: int = 200,
        mine: bool = False,
    ) -> list[RecordSummary]:
        """One page of live records of ``kinds`` for a list view, without loading their content.

        ``sort`` is one of SORTS (title sorts case-insensitively, on an index of
        ``title COLLATE NOCASE``); ``text`` keeps titles containing it (case-insensitive for ASCII); ``mine``
        keeps records owned by the local user.
        """
        return self._list(
            kinds,
            sort=sort,
            descending=descending,
            text=text,
            offset=offset,
            limit=limit,
            owner=self.local_user() if mine else None,
        )

    def count_matching(self, kinds: Sequence[Kind], *, text: str = "", mine: bool = False) -> int:
        """How many live records of ``kinds`` a list with these filters holds."""
        values = list(dict.fromkeys(Kind(kind).value for kind in kinds))
        if not values:
            return 0
        conditions = self._conditions(text=text, owner=self.local_user() if mine else None)
        query = select(func.count()).select_from(RecordRow).where(RecordRow.kind.in_(values), *conditions)
        with self._read_session() as session:
            return int(session.scalar(query) or 0)

    # -- Home -------------------------------------------------------------------------------

    def recent(self, limit: int = 20) -> list[RecordSummary]:
        """The most recently changed live records, vocabulary terms left out."""
        kinds = [kind for kind in Kind if kind not in _NOT_ON_HOME]
        return self._list(kinds, sort="updated", descending=True, limit=limit)

    def my_drafts(self, limit: int = 50) -> list[RecordSummary]:
        """The local user's live drafts, most recently changed first."""
        kinds = [kind for kind in Kind if kind not in _NOT_ON_HOME]
        return self._list(
            kinds,
            sort="updated",
            descending=True,
            limit=limit,
            owner=self.local_user(),
            status=Status.DRAFT,
        )

    def follow_ups_due(
        self, within_days: int = 14, limit: int = 50, *, today: date | None = None
    ) -> list[FollowUpDue]:
        """Site-visit follow-up actions not done and due within ``within_days`` (or overdue), by due date."""
        today = today or date.today()
        cutoff = (today + timedelta(days=max(within_days, 0))).isoformat()
        params = {"kind": Kind.SITE_VISIT.value, "cutoff": cutoff, "limit": max(int(limit), 0)}
        with self._read_session() as session:
            rows = session.execute(_FOLLOW_UPS_SQL, params).all()
        return [
            FollowUpDue(
                record_id=row.record_id,
                record_title=row.record_title,
                action=str(row.action or ""),
                owner=str(row.owner or ""),
                due=str(row.due),
                done=False,
                overdue=str(row.due) < today.isoformat(),
            )
            for row in rows
        ]
