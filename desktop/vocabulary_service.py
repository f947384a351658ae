"""The controlled vocabulary of one open profile: browse, find, edit, merge, retire, bulk-tag.

:class:`desktop.session.Session` delegates here. Each operation reads what it needs, works
out every record it changes with the pure functions of :mod:`desktop.core.vocabulary`, and
writes them with one ``save_many``: one transaction holding the records, their revisions,
their links and their outbox entries, so it syncs whole or not at all. The profile's write
lock is held from the first read to the index update, so no other write slips in between.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from desktop.core.changes import Changes
from desktop.core.kinds import Kind
from desktop.core.merging import CURATOR_ROLES, may_edit
from desktop.core.records import Record
from desktop.core.vocabulary import (
    VocabularyEdit,
    VocabularyRefused,
    plan_bulk_tag,
    plan_edit,
    plan_merge,
    plan_retire,
    restore_term,
)
from desktop.search import SearchIndex
from desktop.store import RecordNotFoundError, RecordRepository

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class VocabularyResult:
    """What a vocabulary operation wrote: the store's changes and how many records it retagged."""

    changes: Changes
    retagged: int = 0
    moved: int = 0
    #: Records whose tags changed (a bulk tag's undo puts exactly these back).
    record_ids: tuple[str, ...] = ()
    #: Records of a bulk tag the user may not change, left as they were.
    skipped: int = 0
    #: The records of ``record_ids`` as they were before a bulk tag (what its undo puts back).
    before: tuple[Record, ...] = ()


class VocabularyService:
    """Vocabulary operations over one store and its index."""

    def __init__(self, store: RecordRepository, index: SearchIndex, who: Callable[[], tuple[str, str]]):
        self.store = store
        self.index = index
        self.who = who  # () -> (user name, role): asked at each operation, as sign-in may change them

    def _require_curator(self) -> None:
        if self.who()[1] not in CURATOR_ROLES:
            raise VocabularyRefused(
                "Only librarians change the vocabulary. Sign in to the server as a librarian, "
                "or ask one to make this change."
            )

    def _term(self, term_id: str) -> Record:
        term = self.store.get(term_id)
        if term is None or term.deleted or term.kind is not Kind.TERM:
            raise RecordNotFoundError(f"There is no vocabulary term with id {term_id}.")
        return term

    def _write(self, edit: VocabularyEdit, what: str) -> VocabularyResult:
        changes = self.store.save_many(edit.records)
        self.index.apply(changes, self.store)
        logger.info(
            "%s: %d records written, %d retagged",
            what,
            len(changes.saved) + len(changes.deleted),
            edit.retagged,
        )
        ids = tuple(r.id for r in edit.records if r.kind is not Kind.TERM)
        return VocabularyResult(changes, edit.retagged, edit.moved, ids, edit.skipped)

    def merge(self, survivor_id: str, loser_id: str) -> VocabularyResult:
        """Merge ``loser_id`` into ``survivor_id`` (see :func:`desktop.core.vocabulary.plan_merge`)."""
        self._require_curator()
        with self.store.writing():
            survivor, loser = self._term(survivor_id), self._term(loser_id)
            edit = plan_merge(survivor, loser, self.store.term_usage(loser))
            return self._write(edit, f"merged term {loser.title!r} into {survivor.title!r}")

    def retire(self, term_id: str, replacement_id: str | None = None) -> VocabularyResult:
        """Retire a term, retagging what used it with ``replacement_id`` or removing the tag."""
        self._require_curator()
        with self.store.writing():
            term = self._term(term_id)
            replacement = self._term(replacement_id) if replacement_id else None
            edit = plan_retire(term, self.store.term_usage(term), replacement)
            return self._write(edit, f"retired term {term.title!r}")

    def tag(self, record_ids: Sequence[str], term_id: str, *, remove: bool = False) -> VocabularyResult:
        """Add (or remove) one term on every record of ``record_ids`` the user may change, in one write.

        Records the user may not change (the server's rules: staff change their own drafts) are
        left alone and counted in ``skipped``, so a push never carries a change the server refuses.
        """
        user, role = self.who()
        with self.store.writing():
            term = self._term(term_id)
            found = self.store.get_many(record_ids)
            records = [found[i] for i in dict.fromkeys(record_ids) if i in found]
            allowed = [r for r in records if may_edit(r, user, role)]
            edit = plan_bulk_tag(allowed, term, remove=remove)
            edit = VocabularyEdit(edit.records, edit.retagged, skipped=len(records) - len(allowed))
            if not edit.records:
                return VocabularyResult(Changes(), skipped=edit.skipped)
            result = self._write(edit, f"{'untagged' if remove else 'tagged'} {term.title!r}")
            changed = set(result.record_ids)
            return replace(result, before=tuple(r for r in allowed if r.id in changed))

    def restore_tagging(self, before: Sequence[Record], term_id: str) -> VocabularyResult:
        """Undo a bulk tag: each record's labels and about link for the term as in ``before``, in one write.

        ``before`` is :attr:`VocabularyResult.before` of the bulk tag. A tag a record had before
        it stays, and what changed since on the records (other tags, other links) is kept.
        """
        user, role = self.who()
        with self.store.writing():
            term = self.store.get(term_id)
            if term is None or term.kind is not Kind.TERM:
                raise RecordNotFoundError(f"There is no vocabulary term with id {term_id}.")
            found = self.store.get_many([r.id for r in before])
            records = []
            for was in before:
                now = found.get(was.id)
                if now is None or now.deleted or not may_edit(now, user, role):
                    continue
                restored = restore_term(now, was, term)
                if restored != now:
                    records.append(restored)
            edit = VocabularyEdit(tuple(records), len(records), skipped=len(before) - len(records))
            if not records:
                return VocabularyResult(Changes(), skipped=edit.skipped)
            return self._write(edit, f"undid tagging with {term.title!r}")

    def save_term(self, term: Record) -> VocabularyResult:
        """Save a new or edited term; a new preferred label is carried to the records tagged with it."""
        self._require_curator()
        with self.store.writing():
            old = self.store.get(term.id)
            live = old if old is not None and not old.deleted else None
            usage = self.store.term_usage(live) if live is not None and live.title != term.title else None
            edit = plan_edit(live, term, usage) if usage is not None else VocabularyEdit((term,))
            return self._write(edit, f"saved term {term.title!r}")
