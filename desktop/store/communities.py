"""The store's side of communities: followed questions, notifications, and what a community holds.

Follows and notifications are local tables (migration 0005). Notifications are written by
the sync replica in the same transaction as the feed page that brought them
(:func:`note_arrival`), with a key per event and INSERT OR IGNORE: a page applied twice,
or a sync retried after a cut, never stores one twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, case, delete, func, or_, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from desktop.core.communities import KNOWLEDGE_KINDS, Notice, notices_on_arrival
from desktop.core.editing import RecordSummary
from desktop.core.kinds import Kind
from desktop.core.records import Record, Relation, Status, utc_now
from desktop.store.models import FollowRow, LinkRow, NotificationRow, RecordRow
from desktop.store.rows import current_row, record_from_row

if TYPE_CHECKING:
    from contextlib import AbstractContextManager


@dataclass(frozen=True)
class StoredNotice:
    """A notification as the app lists it."""

    id: int
    kind: str
    record_id: str
    subject_id: str
    title: str
    actor: str
    created_at: str
    read: bool


def _follows(session: Session, record_id: str) -> bool:
    return session.get(FollowRow, record_id) is not None


def follow_in(session: Session, record_ids: Sequence[str]) -> None:
    """Follow questions inside the caller's transaction (following twice changes nothing)."""
    for record_id in record_ids:
        session.execute(
            sqlite_insert(FollowRow)
            .values(record_id=record_id, since=utc_now())
            .on_conflict_do_nothing(index_elements=["record_id"])
        )


def add_notices(session: Session, notices: Sequence[Notice]) -> int:
    """Store notices; one whose key is stored already is left alone. Returns how many were new."""
    added = 0
    for notice in notices:
        result = session.execute(
            sqlite_insert(NotificationRow)
            .values(
                key=notice.key,
                kind=notice.kind,
                record_id=notice.record_id,
                subject_id=notice.subject_id,
                title=notice.title[:300],
                actor=notice.actor,
                created_at=utc_now(),
                read_at=None,
            )
            .on_conflict_do_nothing(index_elements=["key"])
        )
        added += int(result.rowcount or 0)  # type: ignore[attr-defined]
    return added


def note_arrival(
    session: Session, record: Record, previous: Record | None, *, account: str, reviewers: Sequence[str]
) -> int:
    """Store the notices one version from the server makes (before the local copy is replaced)."""
    if record.kind not in (Kind.QUESTION, Kind.ANSWER) or not account:
        return 0

    def owner_of(record_id: str) -> str:
        row = session.get(RecordRow, record_id)
        return row.owner if row is not None else ""

    def title_of(record_id: str) -> str:
        row = session.get(RecordRow, record_id)
        return row.title if row is not None else ""

    notices = notices_on_arrival(
        record,
        previous,
        account=account,
        reviewers=tuple(reviewers),
        follows=lambda question_id: _follows(session, question_id),
        owner_of=owner_of,
        title_of=title_of,
    )
    return add_notices(session, notices) if notices else 0


def previous_copy(session: Session, record_id: str) -> Record | None:
    """The profile's copy of a record before a server version replaces it (None when new here)."""
    row = current_row(session, record_id)
    return record_from_row(row) if row is not None else None


class CommunityStore:
    """Follows, notifications and community queries of :class:`RecordRepository` (a mixin)."""

    def _read_session(self) -> AbstractContextManager[Session]:  # provided by the repository
        raise NotImplementedError

    def _write_session(self, action: str) -> AbstractContextManager[Session]:
        raise NotImplementedError

    def _quick_write_session(self, action: str) -> AbstractContextManager[Session]:
        raise NotImplementedError

    def _summaries(self, session: Session, ids: list[str]) -> list[RecordSummary]:
        raise NotImplementedError

    # -- following ---------------------------------------------------------------------------

    def follow(self, record_id: str, on: bool = True) -> None:
        """Follow (or stop following) a question."""
        with self._quick_write_session("follow the question") as session:
            if on:
                follow_in(session, [record_id])
            else:
                session.execute(delete(FollowRow).where(FollowRow.record_id == record_id))

    def is_following(self, record_id: str) -> bool:
        """Whether this profile follows the question."""
        with self._read_session() as session:
            return _follows(session, record_id)

    def followed(self) -> list[str]:
        """Ids of the followed questions, oldest follow first."""
        with self._read_session() as session:
            return list(session.scalars(select(FollowRow.record_id).order_by(FollowRow.since)))

    # -- notifications --------------------------------------------------------------------------

    def notifications(self, limit: int = 100) -> list[StoredNotice]:
        """The newest notifications first (unread and read)."""
        query = select(NotificationRow).order_by(NotificationRow.id.desc()).limit(max(int(limit), 0))
        with self._read_session() as session:
            return [
                StoredNotice(
                    row.id,
                    row.kind,
                    row.record_id,
                    row.subject_id,
                    row.title,
                    row.actor,
                    row.created_at,
                    row.read_at is not None,
                )
                for row in session.scalars(query)
            ]

    def unread_count(self) -> int:
        """How many notifications are not read yet."""
        query = select(func.count()).select_from(NotificationRow).where(NotificationRow.read_at.is_(None))
        with self._read_session() as session:
            return int(session.scalar(query) or 0)

    def mark_read(self, ids: Sequence[int] | None = None) -> int:
        """Mark notifications read (all of them when ``ids`` is None); returns how many changed."""
        statement = update(NotificationRow).where(NotificationRow.read_at.is_(None)).values(read_at=utc_now())
        if ids is not None:
            statement = statement.where(NotificationRow.id.in_(list(ids)))
        with self._quick_write_session("mark notifications read") as session:
            return int(session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]

    # -- what a community holds -------------------------------------------------------------------

    def community_knowledge(
        self, community_id: str, term_ids: Sequence[str], limit: int = 20
    ) -> list[RecordSummary]:
        """Published knowledge shared in the community, then about its topics; newest change first in each.

        Drafts, items in review and retired ones are left out: the community's knowledge is
        what it can rely on (its recent activity still shows every change)."""
        return self._linked_summaries(
            community_id, term_ids, [k.value for k in KNOWLEDGE_KINDS], limit, published=True
        )

    def community_questions(self, community_id: str, limit: int = 200) -> list[RecordSummary]:
        """The community's questions, newest change first."""
        return self._linked_summaries(community_id, (), [Kind.QUESTION.value], limit)

    def community_activity(
        self, community_id: str, term_ids: Sequence[str], limit: int = 10
    ) -> list[RecordSummary]:
        """The newest changes of the records in the community: its knowledge, questions and answers."""
        kinds = [k.value for k in (*KNOWLEDGE_KINDS, Kind.QUESTION, Kind.ANSWER)]
        return self._linked_summaries(community_id, term_ids, kinds, limit, shared_first=False)

    def _linked_summaries(
        self,
        community_id: str,
        term_ids: Sequence[str],
        kinds: list[str],
        limit: int,
        *,
        shared_first: bool = True,
        published: bool = False,
    ) -> list[RecordSummary]:
        wanted = and_(LinkRow.relation == Relation.IN_COMMUNITY.value, LinkRow.target_id == community_id)
        if term_ids:
            wanted = or_(
                wanted, and_(LinkRow.relation == Relation.ABOUT.value, LinkRow.target_id.in_(list(term_ids)))
            )
        # Shared in the community first (the community's own), then what is only on its topics.
        shared = func.max(case((LinkRow.relation == Relation.IN_COMMUNITY.value, 1), else_=0))
        first = [shared.desc()] if shared_first else []
        live: list[ColumnElement[bool]] = [RecordRow.deleted.is_(False), RecordRow.kind.in_(kinds)]
        if published:
            live.append(RecordRow.status == Status.PUBLISHED.value)
        query = (
            select(RecordRow.id)
            .join(LinkRow, LinkRow.source_id == RecordRow.id)
            .where(wanted, *live)
            .group_by(RecordRow.id)
            .order_by(*first, RecordRow.updated_at.desc(), RecordRow.id)
            .limit(max(int(limit), 0))
        )
        with self._read_session() as session:
            ids = list(session.scalars(query))
            found = {summary.id: summary for summary in self._summaries(session, ids)}
        return [found[record_id] for record_id in ids if record_id in found]

    def community_knowledge_count(self, community_id: str, term_ids: Sequence[str]) -> int:
        """How many published knowledge records the community holds (shared in it or about its topics)."""
        wanted = and_(LinkRow.relation == Relation.IN_COMMUNITY.value, LinkRow.target_id == community_id)
        if term_ids:
            wanted = or_(
                wanted, and_(LinkRow.relation == Relation.ABOUT.value, LinkRow.target_id.in_(list(term_ids)))
            )
        query = (
            select(func.count(func.distinct(RecordRow.id)))
            .join(LinkRow, LinkRow.source_id == RecordRow.id)
            .where(
                wanted,
                RecordRow.deleted.is_(False),
                RecordRow.kind.in_([k.value for k in KNOWLEDGE_KINDS]),
                RecordRow.status == Status.PUBLISHED.value,
            )
        )
        with self._read_session() as session:
            return int(session.scalar(query) or 0)

    def answers_to(self, question_ids: Sequence[str]) -> dict[str, list[Record]]:
        """The live answers of each question, oldest first."""
        ids = list(dict.fromkeys(question_ids))
        found: dict[str, list[Record]] = {question_id: [] for question_id in ids}
        if not ids:
            return found
        query = (
            select(LinkRow.target_id, RecordRow)
            .join(RecordRow, RecordRow.id == LinkRow.source_id)
            .where(
                LinkRow.relation == Relation.ANSWERS.value,
                LinkRow.target_id.in_(ids),
                RecordRow.kind == Kind.ANSWER.value,
                RecordRow.deleted.is_(False),
            )
            .order_by(RecordRow.created_at, RecordRow.id)
        )
        with self._read_session() as session:
            for target_id, row in session.execute(query):
                found[target_id].append(record_from_row(row))
        return found

    def profile_of_user(self, user: str) -> Record | None:
        """The live expert profile whose ``handle`` is ``user`` (a person's own profile), or None."""
        if not user:
            return None
        handle = func.json_extract(RecordRow.content, "$.fields.handle")
        query = (
            select(RecordRow)
            .where(RecordRow.kind == Kind.EXPERT.value, RecordRow.deleted.is_(False), handle == user)
            .limit(1)
        )
        with self._read_session() as session:
            row = session.scalars(query).first()
            return record_from_row(row) if row is not None else None

    def save_and_follow(self, records: Sequence[Record], follow_ids: Sequence[str]) -> object:
        """Save records and follow questions in one transaction (asking or answering follows)."""
        from desktop.core.validation import ensure_valid

        for record in records:
            ensure_valid(record)
        with self._write_session("save and follow") as session:
            changes = self._write_records(session, list(records))  # type: ignore[attr-defined]
            follow_in(session, follow_ids)
        return changes
