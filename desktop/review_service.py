"""Curation on one open profile: who the user is to the server, review actions, the queue, similar items.

:class:`desktop.session.Session` delegates here. The rules are in
:mod:`desktop.core.review`; this module reads and saves through the store and asks the
search index for "more like this". The user's server role is kept in the profile (meta
``sync.role``, written at sign-in and refreshed by a sync), so the app knows offline
whether the user reviews.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from desktop.core.changes import Changes
from desktop.core.kinds import Kind
from desktop.core.records import Record, Status
from desktop.core.review import (
    REVIEWABLE_KINDS,
    ROLE_KEY,
    QueueFilter,
    QueueItem,
    ReviewAction,
    ReviewError,
    apply_review,
    is_author,
    is_librarian,
    queue_items,
    return_comment,
)
from desktop.search.similar import similar_hits
from desktop.store.review_queries import records_in_status

if TYPE_CHECKING:
    from desktop.search import Hit
    from desktop.session import Session

logger = logging.getLogger(__name__)

#: Kinds "more like this" compares a submission with.
SIMILAR_KINDS = (Kind.CASE_STUDY, Kind.ARTICLE, Kind.SITE_VISIT, Kind.CENTRE_ITEM)
_SUMMARY_FIELDS = ("summary", "purpose", "lessons", "abstract", "body")
_TEXT_CHARS = 2_000


class ReviewService:
    """The curation workflow of one :class:`Session` (thread-safe like the store it uses)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- who the user is ---------------------------------------------------------------------

    def role(self) -> str:
        """The user's server role ("staff", "librarian", "admin"), "" before any sign-in."""
        return self.session.store.get_meta(ROLE_KEY) or ""

    def set_role(self, role: str) -> None:
        """Remember the role the server gave (at sign-in, and when a sync finds it changed)."""
        if role != self.role():
            logger.info("server role of this profile: %s", role or "(none)")
            self.session.store.set_meta(ROLE_KEY, role)

    def is_librarian(self) -> bool:
        """True when the user reviews (librarians and admins); an unknown role is staff."""
        return is_librarian(self.role())

    # -- actions ---------------------------------------------------------------------------

    def review(self, record_id: str, action: ReviewAction | str, comment: str = "") -> Changes:
        """Take a review action on a record (saved, indexed, queued for sync); ReviewError if not allowed."""
        session = self.session
        with session.store.writing():
            record = session.store.get(record_id)
            if record is None or record.deleted:
                raise ReviewError("This record is not in this profile.")
            changed = apply_review(
                record,
                ReviewAction(action),
                by=session.me(),
                librarian=self.is_librarian(),
                comment=comment,
            )
            return session.save(changed)

    # -- reading -----------------------------------------------------------------------------

    def queue(self, filters: QueueFilter | None = None) -> list[QueueItem]:
        """The review queue, oldest submission first: every submitted record for a librarian, the
        user's own submitted and returned ones for everyone else."""
        records = records_in_status(
            self.session.store, [Status.SUBMITTED, Status.RETURNED], sorted(REVIEWABLE_KINDS)
        )
        return queue_items(
            records, user=self.session.me(), librarian=self.is_librarian(), filters=filters or QueueFilter()
        )

    def returned_to_me(self, limit: int = 50) -> list[QueueItem]:
        """The user's records a reviewer returned, with the comment, newest return first (for Home)."""
        me = self.session.me()
        records = records_in_status(self.session.store, [Status.RETURNED], sorted(REVIEWABLE_KINDS))
        items = [QueueItem(r, "", return_comment(r)) for r in records if is_author(r, me)]
        items.sort(key=lambda item: item.returned.at if item.returned else "", reverse=True)
        return items[:limit]

    def similar(self, record_id: str, limit: int = 8) -> list[Hit]:
        """The records most like this one (its title, summary and tags), best first, itself left out."""
        record = self.session.store.get(record_id)
        if record is None:
            return []
        return similar_hits(
            self.session.index.searcher(),
            similarity_text(record),
            exclude=record.id,
            kinds=SIMILAR_KINDS,
            limit=limit,
        )


def similarity_text(record: Record) -> str:
    """What "more like this" compares: the title, twice (it says most), and the start of the summary."""
    parts = [record.title, record.title]
    for name in _SUMMARY_FIELDS:
        value = record.fields.get(name)
        if isinstance(value, str) and value.strip():
            parts.append(value[:_TEXT_CHARS])
            break
    parts.extend(record.tags)
    return "\n".join(part for part in parts if part)
