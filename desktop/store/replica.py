"""The local store as a sync replica: ``sync.engine.Replica`` over the profile's SQLite database.

Every batch (a page of the feed, the answers to a push) is one transaction under the
profile's write lock, together with its checkpoint, so a sync cut at any point
resumes where it stopped and never applies half a batch. What each batch changed is
handed to ``on_changes`` after the commit (the session updates the search index).

Decisions, per record (see desktop/core/merge.py for the merge itself):

- a server version arrives and the record has no local changes: it becomes current;
- it arrives while local changes wait: three-way merge against the last synced version;
  clean -> the merged version is saved as a local change (pushed next); a clash -> the
  server's version is current and the local side is kept as an open conflict; a review
  action another reviewer's overtook on the server is left out of the merge, and said
  (a notification naming who acted first, and the push's list of refused changes);
- a push is accepted: the stored version becomes the base (and current, unless the record
  was edited while the push was under way: then the edit is rebased onto it);
- a push is answered ``overtaken`` (another librarian returned the record, so this person may
  no longer read it): said as an overtaken review is, the change settled, and the copy removed
  (kept as a local-only record, with the other's step, when it holds edits beyond the review);
- the record is no longer visible: it is removed here (never one with unsynced edits,
  which is kept as a local-only record instead, nor a local-only record).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from pydantic import ValidationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from desktop.core.changes import Changes
from desktop.core.communities import Notice
from desktop.core.merge import merge_records, merge_sets
from desktop.core.ports import AttachmentInfo
from desktop.core.records import Record, revision_generation, utc_now
from desktop.core.review import (
    OVERTAKEN_GONE_NOTICE,
    OVERTAKEN_NOTICE,
    OvertakenReview,
    ReviewEntry,
    edited_beyond_review,
    overtaken_edit_reason,
    overtaken_out_of_sight,
    with_step,
)
from desktop.core.validation import ensure_valid
from desktop.store import sync_tables as t
from desktop.store.communities import add_notices, note_arrival, previous_copy
from desktop.store.models import AttachmentRow, OutboxRow, RecordRow, SyncBaseRow, SyncBlobRow
from desktop.store.rows import current_row, record_from_row
from desktop.store.sync_mapping import record_of, version_of
from sync import protocol as p
from sync.client import ProtocolError
from sync.engine import AccountMismatchError, BlobNeed, FeedApplied, Overtaken, PushApplied

if TYPE_CHECKING:
    from desktop.store.repository import RecordRepository

logger = logging.getLogger(__name__)

DEVICE_KEY, ACCOUNT_KEY, CURSOR_KEY = "sync.device_id", "sync.account", "sync.cursor"
SERVER_ID_KEY = "sync.server_id"
LOCAL_USER_KEY = "local_user"
#: Kinds whose arrival may make a notification (desktop/core/communities.py decides).
NOTICE_KINDS = frozenset({"question", "answer"})


class StoreReplica:
    """``sync.engine.Replica`` for one profile's store."""

    def __init__(self, store: RecordRepository, *, on_changes: Callable[[Changes], None] | None = None):
        self.store = store
        self.on_changes = on_changes
        self._skip: set[str] = set()  # records not to push again during this sync (a file went missing)

    # -- plumbing --------------------------------------------------------------------------

    @contextmanager
    def _batch(self, action: str) -> Iterator[tuple[Session, list[Changes]]]:
        """One write transaction; the Changes gathered in it go to ``on_changes`` after the commit."""
        collected: list[Changes] = []
        with self.store._write_session(action) as session:
            yield session, collected
        changes = Changes()
        for part in collected:
            changes = changes.merged(part)
        if self.on_changes is not None and not changes.empty:
            self.on_changes(changes)

    def _read(self) -> AbstractContextManager[Session]:
        return self.store._read_session()

    # -- identity --------------------------------------------------------------------------

    def device_id(self) -> str:
        """This profile's id for the server (made once)."""
        existing = self.store.get_meta(DEVICE_KEY)
        if existing:
            return existing
        made = str(uuid.uuid4())
        with self.store._write_session("remember the device id") as session:
            current = t.get_meta(session, DEVICE_KEY)
            if current:
                return current
            t.set_meta(session, DEVICE_KEY, made)
        return made

    def account(self) -> str | None:
        """The server account this profile syncs as, once it has synced."""
        return self.store.get_meta(ACCOUNT_KEY) or None

    def cursor(self) -> int:
        """The feed position of the last page applied."""
        return int(self.store.get_meta(CURSOR_KEY) or 0)

    def bind_account(self, account: str) -> None:
        """Tie the profile to ``account``; refuse another account while unsynced work is waiting."""
        with self.store._write_session("bind the profile to the account") as session:
            bound = t.get_meta(session, ACCOUNT_KEY)
            if bound == account:
                return
            if bound and t.pending_record_count(session):
                raise AccountMismatchError(
                    f"This profile holds changes by {bound} that were never synced; it cannot sync as "
                    f"{account}. Sign in as {bound}, or use another profile."
                )
            if bound:
                logger.warning("profile moves from account %s to %s: sync state starts again", bound, account)
                session.execute(delete(SyncBaseRow))
                t.set_meta(session, CURSOR_KEY, "0")
            t.set_meta(session, ACCOUNT_KEY, account)
            t.set_meta(session, LOCAL_USER_KEY, account)  # new records are owned by the account

    def server_id(self) -> str | None:
        """The identity of the server database this profile synced with."""
        return self.store.get_meta(SERVER_ID_KEY) or None

    def set_server_id(self, server_id: str) -> None:
        """Remember the server database's identity."""
        with self.store._write_session("remember the server") as session:
            t.set_meta(session, SERVER_ID_KEY, server_id)

    def start_over(self, server_id: str) -> int:
        """Start again with another server (confirmed by the person): nothing local is deleted.

        The cursor, the synced bases and what the old server held of the files are
        forgotten, so nothing counts as synced; the live records this account owns (or
        made before signing in) get an outbox entry, so they are pushed again (a record
        the server holds too comes back as a conflict or a clean merge, never silently).
        Records of other people stay here, and the server's copies replace them when pulled.
        """
        queued = 0
        with self.store._write_session("start again with the server") as session:
            account = t.get_meta(session, ACCOUNT_KEY) or ""
            session.execute(delete(SyncBaseRow))
            session.execute(delete(SyncBlobRow))
            t.set_meta(session, CURSOR_KEY, "0")
            t.set_meta(session, SERVER_ID_KEY, server_id)
            queued = _queue_own(session, account)
        self._skip.clear()
        return queued

    def requeue_own(self, record_ids: Sequence[str]) -> list[str]:
        """Of ``record_ids`` (synced copies the server no longer lists), queue this account's own
        to be pushed again, as not synced; returns them. An owner never loses sight of a record,
        so the server lost it (a restore, a hand): removing the copy here would lose it twice."""
        with self.store._write_session("send lost records again") as session:
            account = t.get_meta(session, ACCOUNT_KEY) or ""
            own = list(
                session.scalars(
                    select(RecordRow.id).where(
                        RecordRow.id.in_(record_ids), RecordRow.owner.in_({account, ""})
                    )
                )
            )
            session.execute(delete(SyncBaseRow).where(SyncBaseRow.record_id.in_(own)))
            _queue_own(session, account, own)
        self._skip.clear()
        return own

    # -- push --------------------------------------------------------------------------------

    def pending_count(self) -> int:
        """Records with changes waiting to be pushed."""
        with self._read() as session:
            return t.pending_record_count(session)

    def pending_changes(self, limit: int) -> list[p.PushChange]:
        """Up to ``limit`` changes; a change id names a revision, so a retry re-sends the same push."""
        changes: list[p.PushChange] = []
        refused: list[tuple[str, str]] = []
        with self._read() as session:
            for row in t.pending_rows(session, limit, self._skip):
                record_row = current_row(session, row.record_id)
                if record_row is None:
                    refused.append((row.record_id, "the record is gone"))
                    continue
                record = record_from_row(record_row)
                base = t.load_base(session, record.id)
                attachments = t.attachments_of(session, record.id)
                states = t.blob_states(session, (a.sha256 for a in attachments))
                if any(a.sha256 not in states for a in attachments):
                    self._skip.add(record.id)  # its files are not on the server yet: next sync
                    continue
                sendable = [a for a in attachments if states.get(a.sha256) == t.ON_SERVER]
                try:
                    version = version_of(record, sendable, base)
                    changes.append(
                        p.PushChange(
                            change_id=row.change_id,
                            base_revision=base.envelope.revision if base is not None else "",
                            record=version,
                        )
                    )
                except ValidationError as exc:
                    refused.append((record.id, f"it cannot be sent: {exc.errors()[0]['msg']}"))
        if refused:
            with self.store._write_session("set aside records that cannot be sent") as session:
                for record_id, reason in refused:
                    t.mark_rows(session, record_id, t.REJECTED, error=reason)
        return changes

    def apply_push_results(
        self, sent: Sequence[p.PushChange], results: Sequence[p.PushResult]
    ) -> PushApplied:
        """Record the server's answers in one transaction."""
        applied = PushApplied()
        with self._batch("record what the server did with the changes") as (session, collected):
            accepted: list[Record] = []  # written at the end, in one go: the usual answer to a push
            for change, result in zip(sent, results, strict=True):
                row = t.outbox_row(session, change.change_id)
                if row is None:
                    continue
                record_id = change.record.envelope.id
                if result.record is not None and result.record.envelope.id != record_id:
                    raise ProtocolError(
                        f"The server answered the push of {record_id} with another record: nothing applied."
                    )
                outcome = result.outcome
                if outcome is p.PushOutcome.ACCEPTED and result.record is not None:
                    collected.append(self._accepted(session, change, result.record, row.id, accepted))
                    applied.accepted += 1
                elif outcome is p.PushOutcome.CONFLICT and result.record is not None:
                    merged, changes = self._merge_in(
                        session, result.record, superseded_up_to=row.id, overtaken=applied.overtaken
                    )
                    collected.append(changes)
                    applied.merged += int(merged)
                    applied.conflicts += int(not merged)
                elif outcome is p.PushOutcome.PROPOSED and result.record is not None:
                    collected.append(self._take_server_version(session, result.record))
                    t.mark_rows(session, record_id, t.DONE, up_to=row.id)
                    applied.proposed += 1
                elif (first := _overtaking_entry(result)) is not None:
                    collected.append(
                        self._overtaken_out_of_sight(session, record_id, first, applied.overtaken)
                    )
                elif result.code == "missing_blob":
                    for ref in change.record.attachments:
                        t.set_blob_state(session, ref.sha256, None)
                    self._skip.add(record_id)
                else:
                    reason = result.reason or "the server refused the change"
                    t.mark_rows(
                        session, record_id, t.REJECTED, up_to=row.id, error=f"{result.code}: {reason}"
                    )
                    applied.rejected.append((record_id, reason))
            if accepted:  # one record per push in a batch: nothing above reads these rows again
                collected.append(self.store._write_records(session, accepted, remote=True))
        return applied

    def _accepted(
        self,
        session: Session,
        change: p.PushChange,
        stored: p.RecordVersion,
        row_id: int,
        later: list[Record],
    ) -> Changes:
        """The server stored a change: its version is the base; current too unless edited meanwhile.

        The current version, when it is the one pushed, goes to ``later`` (the caller writes them together).
        """
        record_id = stored.envelope.id
        t.mark_rows(session, record_id, t.DONE, up_to=row_id)
        for ref in stored.attachments:
            t.set_blob_state(session, ref.sha256, t.ON_SERVER)
        t.save_base(session, stored)
        now_row = current_row(session, record_id)
        if now_row is None:
            return Changes()
        if now_row.revision == change.record.envelope.revision:
            later.append(_server_record(stored))
            return Changes()
        # Edited while the push was under way (R9): rebase the newer edit onto what the server stored.
        current = record_from_row(now_row)
        # The stored version is our own push, its envelope as the server decided (an owner, a status):
        # a deletion (or a restore) made here since is ours, never a clash with the server's envelope.
        stored_record = _server_record(stored).with_changes(deleted=current.deleted)
        result = merge_records(record_of(change.record), current, stored_record)
        return self._write_local(session, result.record, floor=stored.envelope.revision)

    def _overtaken_out_of_sight(
        self, session: Session, record_id: str, first: ReviewEntry, overtaken: list[Overtaken]
    ) -> Changes:
        """Another reviewer's ``first`` step took the record out of this person's sight before their
        change reached the server (PROTOCOL.md "overtaken"): say so, as a merge's overtaken review
        is said, and settle the change, so nothing is sent again.

        The copy here goes, as a copy no longer visible does, unless it holds edits beyond the review
        action: those stay, on this computer only (no longer synced), with the other reviewer's step.
        """
        mine_row = current_row(session, record_id)
        if mine_row is None:
            t.remove_record(session, record_id)
            return Changes()
        mine = record_from_row(mine_row)
        base = t.load_base(session, record_id)
        shared = record_of(base) if base is not None else None
        steps = overtaken_out_of_sight(shared, mine, first)
        base_files = {ref.sha256 for ref in base.attachments} if base is not None else set()
        own_files = {a.sha256 for a in t.attachments_of(session, record_id)}
        keep = shared is None or edited_beyond_review(shared, mine) or own_files != base_files
        notice_kind = OVERTAKEN_NOTICE if keep else OVERTAKEN_GONE_NOTICE
        overtaken.extend(_note_overtaken(session, mine, steps, notice_kind=notice_kind))
        if not keep:
            t.remove_record(session, record_id)
            return Changes(deleted=(record_id,))
        reason = overtaken_edit_reason(first, mine.title)
        overtaken.append(_note_edits_overtaken(session, mine, first, reason))
        changes = Changes()
        if shared is not None:
            changes = self._write_local(session, with_step(shared, mine, first), floor=shared.revision)
        t.mark_rows(session, record_id, t.DONE)  # kept here only: nothing of it is sent again
        t.drop_base(session, record_id)
        t.drop_conflict(session, record_id)
        return changes

    def _take_server_version(
        self, session: Session, version: p.RecordVersion, *, later: list[p.RecordVersion] | None = None
    ) -> Changes:
        """Make the server's version current and the base (its files as it lists them).

        With ``later``, only the base is written now and the version joins ``later``, for
        :meth:`_take_later` to write with the others (one write for a page of the feed).
        """
        t.save_base(session, version)
        if later is not None:
            later.append(version)
            return Changes()
        changes = self._write_remote(session, _server_record(version))  # the row first: files refer to it
        self._take_files(session, version)
        return changes

    def _take_later(self, session: Session, later: list[p.RecordVersion]) -> Changes:
        """Write the server versions gathered in ``later`` (records first: their files refer to them)."""
        if not later:
            return Changes()
        changes = self.store._write_records(session, [_server_record(v) for v in later], remote=True)
        for version in later:
            self._take_files(session, version)
        later.clear()
        return changes

    def _take_files(self, session: Session, version: p.RecordVersion) -> None:
        present = {
            ref.sha256 for ref in version.attachments if self.store.blobs.path_for(ref.sha256).exists()
        }
        t.set_attachments(session, version.envelope.id, version.attachments, present=present)
        for ref in version.attachments:
            t.set_blob_state(session, ref.sha256, t.ON_SERVER)

    def _merge_in(
        self,
        session: Session,
        server: p.RecordVersion,
        *,
        superseded_up_to: int | None = None,
        overtaken: list[Overtaken] | None = None,
    ) -> tuple[bool, Changes]:
        """Merge the server's version with local changes; (True, ...) when it merged cleanly.

        Review actions the server's version overtook are noted (and added to ``overtaken``
        when given).
        """
        record_id = server.envelope.id
        mine_row = current_row(session, record_id)
        base = t.load_base(session, record_id)
        if mine_row is None:
            return True, self._take_server_version(session, server)
        mine = record_from_row(mine_row)
        mine_files = t.attachments_of(session, record_id)
        theirs = _server_record(server)
        shared = record_of(base) if base is not None else None
        base_files = [ref.sha256 for ref in base.attachments] if base is not None else []
        own = t.own_ancestor(session, mine, server.envelope, stop=base.envelope.revision if base else "")
        merging = theirs
        if own is not None:  # our own push reached the server, its answer did not: rebase as on an accept
            shared, base_files = own, [ref.sha256 for ref in server.attachments]
            merging = theirs.with_changes(deleted=mine.deleted)
        result = merge_records(shared, mine, merging)
        files = merge_sets(
            base_files, [a.sha256 for a in mine_files], [ref.sha256 for ref in server.attachments]
        )
        changes = self._take_server_version(session, server)
        if result.overtaken:
            noted = _note_overtaken(session, theirs, result.overtaken)
            if overtaken is not None:
                overtaken.extend(noted)
        if not result.clean:
            t.save_conflict(session, mine, mine_files, server.envelope.revision, result.conflicts)
            t.mark_rows(session, record_id, t.CONFLICT)
            logger.info("conflict on %s in %s: kept both sides", record_id, ", ".join(result.conflicts))
            return False, changes
        refs = {ref.sha256: ref for ref in server.attachments}
        refs.update({a.sha256: _ref(a) for a in mine_files})
        present = {sha for sha in files if self.store.blobs.path_for(sha).exists()}
        t.set_attachments(session, record_id, [refs[sha] for sha in files if sha in refs], present=present)
        t.mark_rows(session, record_id, t.DONE, up_to=superseded_up_to)
        if result.record.content_hash() != theirs.content_hash():
            changes = changes.merged(
                self._write_local(session, result.record, floor=server.envelope.revision)
            )
        elif set(files) != {ref.sha256 for ref in server.attachments}:
            self.store._bump_revision(session, record_id)  # only the files differ: they still sync
        return True, changes

    def _write_remote(self, session: Session, record: Record) -> Changes:
        return self.store._write_records(session, [record], remote=True)

    def _write_local(self, session: Session, record: Record, *, floor: str) -> Changes:
        """Save a merged version as a local change (an outbox row) above the server revision ``floor``."""
        return self.store._write_records(
            session,
            [record.with_changes(revision="", parent_revision="")],
            generation_floor={record.id: revision_generation(floor)},
        )

    # -- pull -------------------------------------------------------------------------------

    def apply_feed(self, entries: Sequence[p.FeedEntry], cursor: int) -> FeedApplied:
        """One page of the feed and its checkpoint, in one transaction."""
        applied = FeedApplied()
        with self._batch("apply changes from the server") as (session, collected):
            later: list[p.RecordVersion] = []  # the usual entry: no local change, written with the page
            for entry in entries:
                if entry.removed is not None:
                    collected.append(self._take_later(session, later))
                    collected.append(self._remove(session, entry.removed, applied))
                elif entry.record is not None:
                    collected.append(self._apply_version(session, entry.record, applied, later))
            collected.append(self._take_later(session, later))
            t.set_meta(session, CURSOR_KEY, str(cursor))
        return applied

    def apply_reconcile(self, versions: Sequence[p.RecordVersion], removed: Sequence[str]) -> FeedApplied:
        """Fetched versions and removals of a reconciliation, in one transaction."""
        applied = FeedApplied()
        with self._batch("reconcile with the server") as (session, collected):
            for version in versions:
                collected.append(self._apply_version(session, version, applied))
            for record_id in removed:
                collected.append(self._remove(session, record_id, applied))
        return applied

    def _apply_version(
        self,
        session: Session,
        version: p.RecordVersion,
        applied: FeedApplied,
        later: list[p.RecordVersion] | None = None,
    ) -> Changes:
        """Apply one server version; with ``later``, a version with no local change joins it."""
        record_id = version.envelope.id
        base = t.base_revision(session, record_id)
        if base is not None and base.revision == version.envelope.revision:
            return Changes()  # our own push coming back, or a page applied twice
        applied.applied += 1
        if version.envelope.kind in NOTICE_KINDS:
            self._note(session, version)
        if version.envelope.deleted:
            applied.deleted += int(base is None or not base.deleted)
        if not t.has_pending(session, record_id):
            if any(v.envelope.id == record_id for v in later or ()):  # twice in one page: in order
                self._take_later(session, later or [])
            return self._take_server_version(session, version, later=later)
        written = self._take_later(session, later) if later else Changes()  # a merge reads what is current
        merged, changes = self._merge_in(session, version)
        applied.merged += int(merged)
        applied.conflicts += int(not merged)
        return written.merged(changes)

    def _note(self, session: Session, version: p.RecordVersion) -> None:
        """Notifications for what this version brings (new answers, accepted ones, questions asked
        of this person), stored in the page's transaction before the local copy is replaced."""
        try:
            record = record_of(version)
        except (ValueError, KeyError, TypeError):
            return  # the write of this version reports the bad payload
        account = t.get_meta(session, ACCOUNT_KEY) or ""
        previous = previous_copy(session, record.id)
        note_arrival(session, record, previous, account=account, reviewers=version.envelope.reviewers)

    def _remove(self, session: Session, record_id: str, applied: FeedApplied) -> Changes:
        """No longer visible to this user: drop the copy (keep it local-only if it holds unsynced edits)."""
        if t.has_pending(session, record_id):
            t.drop_base(session, record_id)
            t.drop_conflict(session, record_id)
            applied.kept_local += 1
            return Changes()
        if current_row(session, record_id) is None:
            t.drop_base(session, record_id)
            return Changes()
        if t.base_revision(session, record_id) is None:
            # Not a synced copy (one kept here only after its change was overtaken): not the server's.
            applied.kept_local += 1
            return Changes()
        t.remove_record(session, record_id)
        applied.removed += 1
        return Changes(deleted=(record_id,))

    # -- checks ------------------------------------------------------------------------------

    def synced_revisions(self) -> dict[str, str]:
        """Record id -> server revision of every synced copy."""
        with self._read() as session:
            return {
                row.record_id: row.revision
                for row in session.execute(select(SyncBaseRow.record_id, SyncBaseRow.revision))
            }

    def live_synced_count(self) -> int:
        """Live synced copies (the deletion fail-safe's denominator)."""
        with self._read() as session:
            query = select(func.count()).select_from(SyncBaseRow).where(SyncBaseRow.deleted.is_(False))
            return int(session.scalar(query) or 0)

    def live_ids(self) -> set[str]:
        """Ids of the live records here, synced or not (a tombstone of any of them deletes it)."""
        with self._read() as session:
            return set(session.scalars(select(RecordRow.id).where(RecordRow.deleted.is_(False))))

    def digests(self) -> dict[str, p.KindDigest]:
        """Per kind, count and digest of the live synced copies.

        A copy matches the server's only when its record is here as synced (its revision is
        the base's, or it has changes waiting): a record row lost or changed behind the
        store's back changes the digest, so the check after a sync sees it (R8).
        """
        rows: dict[str, list[int]] = {}
        broken = set(self.broken_copies())
        with self._read() as session:
            query = select(SyncBaseRow.kind, SyncBaseRow.record_id, SyncBaseRow.revision).where(
                SyncBaseRow.deleted.is_(False)
            )
            for kind, record_id, revision in session.execute(query):
                # A broken copy still counts, with a value the server's cannot match.
                value = f"broken:{revision}" if record_id in broken else revision
                rows.setdefault(kind, []).append(p.row_digest(record_id, value))
        return {
            kind: p.KindDigest(count=len(values), digest=p.combine_digests(values))
            for kind, values in rows.items()
        }

    def broken_copies(self) -> list[str]:
        """Synced records whose row is gone or holds another revision with no change waiting."""
        with self._read() as session:
            waiting = set(session.scalars(select(OutboxRow.record_id).where(OutboxRow.state != t.DONE)))
            query = (
                select(SyncBaseRow.record_id, SyncBaseRow.revision, RecordRow.revision)
                .outerjoin(RecordRow, RecordRow.id == SyncBaseRow.record_id)
                .where(SyncBaseRow.deleted.is_(False))
            )
            return [
                record_id
                for record_id, base, current in session.execute(query)
                if current is None or (current != base and record_id not in waiting)
            ]

    def forget_copies(self, record_ids: Sequence[str]) -> None:
        """Drop the bases of broken copies, so a reconciliation fetches them again."""
        if record_ids:
            with self.store._write_session("forget broken copies") as session:
                session.execute(delete(SyncBaseRow).where(SyncBaseRow.record_id.in_(record_ids)))

    def files_digest(self) -> p.KindDigest:
        """The distinct files (sha256, size) the live synced records refer to, as the server digests them.

        Records with changes still waiting, and files the server refused as too large, are
        left out: the server does not know them (yet).
        """
        waiting = select(OutboxRow.record_id).where(OutboxRow.state != t.DONE)
        refused = select(SyncBlobRow.sha256).where(SyncBlobRow.state == t.TOO_LARGE)
        with self._read() as session:
            rows = session.execute(
                select(AttachmentRow.sha256, AttachmentRow.size)
                .join(SyncBaseRow, SyncBaseRow.record_id == AttachmentRow.record_id)
                .where(
                    SyncBaseRow.deleted.is_(False),
                    AttachmentRow.record_id.not_in(waiting),
                    AttachmentRow.sha256.not_in(refused),
                )
                .distinct()
            )
            files = {sha: int(size) for sha, size in rows}
        values = [p.file_digest(sha, size) for sha, size in files.items()]
        return p.KindDigest(count=len(values), digest=p.combine_digests(values))

    def damaged_blobs(self) -> list[str]:
        """Files held here whose bytes no longer hash to their name (hashed again only after a change)."""
        with self._read() as session:
            shas = sorted(
                set(session.scalars(select(AttachmentRow.sha256).where(AttachmentRow.present.is_(True))))
            )
        return [sha for sha in shas if not _intact(self.store.blobs.path_for(sha), sha)]

    def drop_damaged(self, shas: Sequence[str]) -> None:
        """Mark damaged files missing (the next download fetches them again) and remove their bytes."""
        if not shas:
            return
        with self.store._write_session("set aside damaged files") as session:
            session.execute(update(AttachmentRow).where(AttachmentRow.sha256.in_(shas)).values(present=False))
        for sha in shas:
            self.store.blobs.remove(sha)
            logger.warning("file %s was damaged here: fetched again", sha)

    def blobs_to_offer(self) -> list[BlobNeed]:
        """Every file held here of a synced record (a repair offers them all to the server)."""
        with self._read() as session:
            rows = session.execute(
                select(AttachmentRow.sha256, AttachmentRow.size)
                .join(SyncBaseRow, SyncBaseRow.record_id == AttachmentRow.record_id)
                .where(AttachmentRow.present.is_(True))
                .distinct()
            )
            needs = {sha: BlobNeed(sha, int(size), self._opener(sha)) for sha, size in rows}
            states = t.blob_states(session, needs)
        refused = {sha for sha, state in states.items() if state == t.TOO_LARGE}
        return [need for sha, need in needs.items() if sha not in refused]

    # -- files -------------------------------------------------------------------------------

    def blobs_to_upload(self) -> list[BlobNeed]:
        """Files of records waiting to be pushed that the server is not known to hold."""
        with self._read() as session:
            pending = [row.record_id for row in t.pending_rows(session, 1_000_000)]
            needs: dict[str, BlobNeed] = {}
            for start in range(0, len(pending), 500):
                chunk = pending[start : start + 500]
                rows = session.execute(
                    select(AttachmentRow.sha256, AttachmentRow.size).where(
                        AttachmentRow.record_id.in_(chunk), AttachmentRow.present.is_(True)
                    )
                )
                for sha, size in rows:
                    needs.setdefault(sha, BlobNeed(sha, size, self._opener(sha)))
            known = t.blob_states(session, needs)
        return [need for sha, need in needs.items() if sha not in known]

    def _opener(self, sha256: str) -> Callable[[], AbstractContextManager[BinaryIO]]:
        path = self.store.blobs.path_for(sha256)
        return lambda: path.open("rb")

    def blob_uploaded(self, sha256: str, *, too_large: bool = False) -> None:
        """The server holds the file now (or refused it as too large)."""
        with self.store._write_session("remember an uploaded file") as session:
            t.set_blob_state(session, sha256, t.TOO_LARGE if too_large else t.ON_SERVER)

    def blobs_to_download(self, max_bytes: int) -> list[BlobNeed]:
        """Files of synced records missing here, at most ``max_bytes`` each."""
        with self._read() as session:
            rows = session.execute(
                select(AttachmentRow.sha256, AttachmentRow.size)
                .where(AttachmentRow.present.is_(False), AttachmentRow.size <= max_bytes)
                .distinct()
            )
            return [BlobNeed(sha, size) for sha, size in rows]

    def blob_download_path(self, sha256: str) -> Path:
        """A temp path in the blob folder (same file system: the install is a rename)."""
        self.store.blobs.tmp.mkdir(parents=True, exist_ok=True)
        return self.store.blobs.tmp / f"download-{sha256}"

    def blob_downloaded(self, sha256: str, path: Path) -> None:
        """Take a checked download into the blob store and mark the file present."""
        temp = self.store.blobs.write_temp(path)
        try:
            with self.store._write_session("store a downloaded file") as session:
                if temp.sha256 != sha256:
                    raise ValueError(f"the downloaded file is not {sha256}")
                self.store.blobs.install(temp)
                session.execute(
                    update(AttachmentRow).where(AttachmentRow.sha256 == sha256).values(present=True)
                )
                t.set_blob_state(session, sha256, t.ON_SERVER)
        finally:
            self.store.blobs.discard(temp)
            path.unlink(missing_ok=True)

    # -- conflicts, for the app and the command line ----------------------------------------

    def conflicts(self) -> list[t.ConflictRow]:
        """Open conflicts, oldest first."""
        with self._read() as session:
            return t.load_conflicts(session)

    def resolve(self, record_id: str, keep: str, edited: Record | None = None) -> Changes:
        """Close a conflict: keep ``"mine"``, ``"theirs"`` or an ``edited`` version (pushed next)."""
        with self._batch("resolve the conflict") as (session, collected):
            found = t.load_conflicts(session, [record_id])
            if not found:
                raise KeyError(f"{record_id} has no open conflict")
            conflict = found[0]
            t.drop_conflict(session, record_id)
            t.mark_rows(session, record_id, t.DONE)
            if keep == "theirs":
                return Changes()
            chosen = edited if edited is not None else conflict.mine
            written = self._write_local(session, chosen, floor=conflict.server_revision)
            collected.append(written)
            mine_files = {ref.sha256 for ref in conflict.mine_attachments}
            current_files = {a.sha256 for a in t.attachments_of(session, record_id)}
            if edited is None and mine_files != current_files:
                present = {sha for sha in mine_files if self.store.blobs.path_for(sha).exists()}
                t.set_attachments(session, record_id, conflict.mine_attachments, present=present)
                self.store._bump_revision(session, record_id)
        return Changes()


def _note_overtaken(
    session: Session,
    theirs: Record,
    overtaken: Sequence[OvertakenReview],
    *,
    notice_kind: str = OVERTAKEN_NOTICE,
) -> list[Overtaken]:
    """Tell the person which of their review actions another reviewer overtook (and log why);
    ``notice_kind`` is OVERTAKEN_GONE_NOTICE when the record is no longer here to open."""
    noted = []
    notices = []
    for item in overtaken:
        reason = item.reason(theirs.title)
        logger.info("review of %s overtaken: %s", theirs.id, reason)
        noted.append(_overtaken_item(theirs, item.first, reason))
        key = f"{OVERTAKEN_NOTICE}:{theirs.id}:{item.mine.action.value}:{item.mine.at}"
        notices.append(Notice(key, notice_kind, theirs.id, theirs.id, theirs.title, item.first.by))
    add_notices(session, notices)
    return noted


def _note_edits_overtaken(session: Session, mine: Record, first: ReviewEntry, reason: str) -> Overtaken:
    """Tell the person their edits of a record another reviewer took back first were not sent."""
    logger.info("changes of %s overtaken: %s", mine.id, reason)
    key = f"{OVERTAKEN_NOTICE}:{mine.id}:edited:{first.at}"
    add_notices(session, [Notice(key, OVERTAKEN_NOTICE, mine.id, mine.id, mine.title, first.by)])
    return _overtaken_item(mine, first, reason)


def _overtaken_item(record: Record, first: ReviewEntry, reason: str) -> Overtaken:
    """The sync report's line for ``record``: another person's ``first`` step came before it."""
    return Overtaken(record.id, record.title, first.by, first.action.value, first.at, first.comment, reason)


def _overtaking_entry(result: p.PushResult) -> ReviewEntry | None:
    """The other person's step of an ``overtaken`` refusal (None for any other answer, or a step this
    version does not know: then it is a refusal like any other)."""
    if result.code != p.OVERTAKEN_CODE or result.review is None:
        return None
    entry = ReviewEntry.from_json(result.review.model_dump())
    return entry if entry is not None and entry.by else None


def _server_record(version: p.RecordVersion) -> Record:
    """The local record of a version from the server, checked as a local save is (ensure_valid).

    A broken or hostile server's record never reaches the store: the batch stops (its
    transaction rolls back) with a ProtocolError the person can read.
    """
    try:
        return ensure_valid(record_of(version))
    except (ValueError, KeyError, TypeError) as exc:
        raise ProtocolError(
            f"The server sent a record that is not valid ({version.envelope.id}: {str(exc)[:300]}); "
            "nothing of this batch was applied."
        ) from exc


def _queue_own(session: Session, account: str, only: Sequence[str] | None = None) -> int:
    """An outbox entry for each live record of ``account`` (or made before sign-in) not already waiting."""
    waiting = set(session.scalars(select(OutboxRow.record_id).where(OutboxRow.state == t.PENDING)))
    query = select(RecordRow.id, RecordRow.revision).where(
        RecordRow.deleted.is_(False), RecordRow.demo.is_(False), RecordRow.owner.in_({account, ""})
    )
    if only is not None:
        query = query.where(RecordRow.id.in_(only))
    now = utc_now()
    queued = 0
    for record_id, revision in session.execute(query):
        if record_id in waiting:
            continue
        session.add(
            OutboxRow(
                change_id=str(uuid.uuid4()),
                record_id=record_id,
                revision=revision,
                op="upsert",
                created_at=now,
                state=t.PENDING,
            )
        )
        queued += 1
    return queued


#: path -> (size, mtime_ns, inode) when the file was last found intact (per process).
_INTACT: dict[Path, tuple[int, int, int]] = {}


def _intact(path: Path, sha256: str) -> bool:
    """True when the file hashes to ``sha256`` (skipped while its size, mtime and inode stay the same)."""
    try:
        stat = path.stat()
    except OSError:
        return True  # missing is not damaged: it is fetched when needed
    key = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    if _INTACT.get(path) == key:
        return True
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != sha256:
        _INTACT.pop(path, None)
        return False
    _INTACT[path] = key
    return True


def _ref(info: AttachmentInfo) -> p.AttachmentRef:
    return p.AttachmentRef(
        sha256=info.sha256, filename=info.filename, media_type=info.media_type, size=info.size
    )
