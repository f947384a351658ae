"""The client side of sync, as named steps over a :class:`Replica` (Joplin's habit: every step
is its own method, and every decision is logged with its reason).

One :meth:`SyncEngine.sync` runs:

1. ``check_account``: the token's user must be the profile's user (a profile holding
   unsynced work of another account is never synced as someone else).
2. ``check_feed``: before anything is sent, what the pull would bring, counted first: a
   server that is not the one this profile synced with (another address, a database
   wiped and re-created, or restored from a backup: its ``server_id`` differs) or that
   went back in time stops the sync with nothing changed (``accept_server`` confirms:
   the profile starts again with it, deleting nothing); so does a pull that would
   delete more than half of the local records (and at least 20) unless the person
   confirmed it (``allow_deletions``). Own deletions being pushed are not counted.
3. ``upload_blobs``: attachment bytes first, so the server never holds a record whose
   files it lacks; a file too large for the server is reported and left out.
4. ``push``: local changes in batches; each is accepted, merged after a conflict and
   pushed again, kept as a proposal, or rejected with a reason the person can read. A
   change that someone else's, reaching the server first, made moot (a review action
   overtaken by another reviewer's) is reported apart as overtaken: not a refusal, since
   nothing is lost and nothing is left to send.
5. ``pull``: the feed page by page; each page and its checkpoint is one local
   transaction, so a cut sync resumes where it stopped.
6. ``reconcile`` (when the feed asks for it, or the check below found a difference):
   the whole visible index, the missing versions fetched, the copies no longer visible
   removed (never a copy with unsynced edits; removals are not deletions). It stops with
   nothing applied when the index is shorter than the server's own counts (a truncated
   listing), when the server holds an older revision than one it acknowledged (it went
   back in time), and, like the pull, before deleting or removing too many records.
7. ``download_blobs``: the files of pulled records, up to a size the person set.
8. ``push`` again if merges made new local versions, then ``verify``: counts and
   digests per kind against the server's; a difference is repaired by one
   reconciliation and reported.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from sync import protocol as p
from sync.client import ServerRefused, SyncClient, SyncError

logger = logging.getLogger(__name__)

#: A pull deleting more than this share of the local records (and at least DELETION_MINIMUM) asks first.
DELETION_SHARE = 0.5
DELETION_MINIMUM = 20
#: Files larger than this are fetched when opened, not at every sync (the person can change it).
DEFAULT_DOWNLOAD_LIMIT = 20 * 1024 * 1024
#: The name ``verify`` reports for a difference in the attachment files (not a record kind).
FILES = "files"
#: Push/pull rounds one sync makes at most beyond what the counts ask for (every loop is bounded).
EXTRA_ROUNDS = 20


class AccountMismatchError(SyncError):
    """The profile belongs to another account and holds work that was never synced."""


class DeletionFailsafeError(SyncError):
    """The pull would delete a large share of the local records: nothing was applied."""

    def __init__(self, deletions: int, local: int):
        super().__init__(
            f"This sync would delete {deletions:,} of your {local:,} records. Nothing was changed. "
            "If the server really holds these deletions, confirm to go ahead."
        )
        self.deletions = deletions
        self.local = local


class SyncCancelledError(SyncError):
    """The sync was stopped between two batches (the app is closing); the next one resumes."""


class ServerRewoundError(SyncError):
    """The server knows less than this profile saw of it (reset, or restored from an old backup)."""


class ServerChangedError(ServerRewoundError):
    """The server's database is not the one this profile synced with (another server, wiped, restored)."""


class IncompleteListingError(SyncError):
    """The server's index lists fewer records than its own counts: nothing was removed."""


#: What the person is told to do after a ServerRewoundError (the command line adds its flag).
START_OVER_HINT = (
    "If this is the right server, confirm to start again with it: nothing here is deleted, "
    "your own records are sent to it again and the server's records are fetched."
)


@dataclass(frozen=True)
class BlobNeed:
    """A file to move: its hash, size, and (for uploads) how to open the local bytes."""

    sha256: str
    size: int
    open: Callable[[], AbstractContextManager[BinaryIO]] | None = None


@dataclass(frozen=True)
class Overtaken:
    """A local change left out of a merge because another person's reached the server first.

    Not a refusal: the server's version is kept, ``reason`` quotes what the person typed, and
    nothing is left to send. ``by``, ``action``, ``at`` and ``comment`` say what the other
    person did first.
    """

    record_id: str
    title: str
    by: str
    action: str
    at: str
    comment: str
    reason: str


@dataclass
class PushApplied:
    """What the replica did with one batch of push results."""

    accepted: int = 0
    merged: int = 0
    conflicts: int = 0
    proposed: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (record id, reason)
    overtaken: list[Overtaken] = field(default_factory=list)


@dataclass
class FeedApplied:
    """What the replica did with one page of the feed (or a reconciliation)."""

    applied: int = 0
    merged: int = 0
    conflicts: int = 0
    deleted: int = 0
    removed: int = 0
    kept_local: int = 0  # removals or deletions not applied because of unsynced local edits


class Replica(Protocol):
    """What a local store offers the sync engine (``desktop.store`` implements it)."""

    def device_id(self) -> str:
        """This profile's id, stable across syncs (the server keys access catch-up on it)."""
        ...

    def cursor(self) -> int:
        """The feed position of the last page applied."""
        ...

    def account(self) -> str | None:
        """The account the profile is bound to (None before its first sync or sign-in)."""
        ...

    def bind_account(self, account: str) -> None:
        """Tie the profile to ``account``; raise AccountMismatchError if it holds another's unsynced work."""
        ...

    def server_id(self) -> str | None:
        """The identity of the server database this profile synced with (None before it knew one)."""
        ...

    def set_server_id(self, server_id: str) -> None:
        """Remember the server database's identity."""
        ...

    def start_over(self, server_id: str) -> int:
        """Forget what was synced with an earlier server (nothing is deleted); queue own records.

        Returns how many records were queued to be pushed again.
        """
        ...

    def live_ids(self) -> set[str]:
        """Ids of the live records here (the fail-safe counts tombstones and removals of these)."""
        ...

    def pending_count(self) -> int:
        """Records with local changes waiting to be pushed."""
        ...

    def pending_changes(self, limit: int) -> list[p.PushChange]:
        """Up to ``limit`` changes to push (stable change ids: a retried push is the same push)."""
        ...

    def apply_push_results(
        self, sent: Sequence[p.PushChange], results: Sequence[p.PushResult]
    ) -> PushApplied:
        """Record the server's answers in one local transaction (merging after conflicts)."""
        ...

    def apply_feed(self, entries: Sequence[p.FeedEntry], cursor: int) -> FeedApplied:
        """Apply one page of the feed and its checkpoint in one local transaction."""
        ...

    def synced_revisions(self) -> dict[str, str]:
        """Record id -> the server revision of every synced copy (for a reconciliation)."""
        ...

    def apply_reconcile(self, versions: Sequence[p.RecordVersion], removed: Sequence[str]) -> FeedApplied:
        """Apply fetched versions and remove copies no longer visible (one local transaction)."""
        ...

    def live_synced_count(self) -> int:
        """Live records that came from or went to the server (the fail-safe's denominator)."""
        ...

    def digests(self) -> dict[str, p.KindDigest]:
        """Per kind, the count and digest of the live synced copies (as the server computes them)."""
        ...

    def blobs_to_upload(self) -> list[BlobNeed]:
        """Files of records waiting to be pushed that the server may not have yet."""
        ...

    def blob_uploaded(self, sha256: str, *, too_large: bool = False) -> None:
        """The server has this file now (or refused it as too large: leave it out of pushes)."""
        ...

    def blobs_to_download(self, max_bytes: int) -> list[BlobNeed]:
        """Files of synced records missing locally, at most ``max_bytes`` each."""
        ...

    def files_digest(self) -> p.KindDigest:
        """Count and digest of the files the live synced records refer to (as the server's ``files``)."""
        ...

    def requeue_own(self, record_ids: Sequence[str]) -> list[str]:
        """Of copies the server no longer lists, queue the account's own to be pushed again."""
        ...

    def broken_copies(self) -> list[str]:
        """Synced records whose local copy is gone or changed without a change waiting."""
        ...

    def forget_copies(self, record_ids: Sequence[str]) -> None:
        """Forget that these records are synced (a reconciliation fetches them again)."""
        ...

    def damaged_blobs(self) -> list[str]:
        """Files held here whose bytes no longer hash to their name."""
        ...

    def drop_damaged(self, shas: Sequence[str]) -> None:
        """Forget damaged files (marked missing, so they are downloaded again)."""
        ...

    def blobs_to_offer(self) -> list[BlobNeed]:
        """Every file held here of a synced record (a repair uploads what the server lacks)."""
        ...

    def blob_download_path(self, sha256: str) -> Path:
        """Where to download a file before :meth:`blob_downloaded` takes it in."""
        ...

    def blob_downloaded(self, sha256: str, path: Path) -> None:
        """Take a downloaded (and checked) file into the local blob store."""
        ...


Progress = Callable[[str, int, int], None]


@dataclass
class SyncReport:
    """What one sync did, for the status bar, the command line and the log."""

    pushed: int = 0
    pulled: int = 0
    merged: int = 0
    conflicts: int = 0
    proposed: int = 0
    deleted: int = 0
    removed: int = 0
    kept_local: int = 0
    uploaded: int = 0
    downloaded: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    #: Local changes another person's, reaching the server first, made moot (not refusals).
    overtaken: list[Overtaken] = field(default_factory=list)
    too_large: list[str] = field(default_factory=list)
    reconciled: bool = False
    verified: bool = False
    mismatched_kinds: list[str] = field(default_factory=list)
    #: What differed from the server after the sync and was repaired (0 on a clean sync: R8).
    repaired: list[str] = field(default_factory=list)

    def add_push(self, applied: PushApplied) -> None:
        """Count one batch of push results."""
        self.pushed += applied.accepted
        self.merged += applied.merged
        self.conflicts += applied.conflicts
        self.proposed += applied.proposed
        self.rejected.extend(applied.rejected)
        self.overtaken.extend(applied.overtaken)

    def add_feed(self, applied: FeedApplied) -> None:
        """Count one applied page."""
        self.pulled += applied.applied
        self.merged += applied.merged
        self.conflicts += applied.conflicts
        self.deleted += applied.deleted
        self.removed += applied.removed
        self.kept_local += applied.kept_local


def _no_progress(_step: str, _done: int, _total: int) -> None:
    return None


class SyncEngine:
    """Runs the steps of a sync between one replica and one server."""

    def __init__(
        self,
        replica: Replica,
        client: SyncClient,
        *,
        deletion_share: float = DELETION_SHARE,
        deletion_minimum: int = DELETION_MINIMUM,
        download_limit: int = DEFAULT_DOWNLOAD_LIMIT,
        pull_limit: int = p.DEFAULT_PULL_LIMIT,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ):
        self.replica = replica
        self.client = client
        self.deletion_share = deletion_share
        self.deletion_minimum = deletion_minimum
        self.download_limit = download_limit
        self.pull_limit = pull_limit
        self._progress = progress or _no_progress
        self.cancelled = cancelled or (lambda: False)
        self.allow_deletions = False  # set by sync(); a reconciliation asks before mass removals

    def progress(self, step: str, done: int, total: int) -> None:
        """Report progress, and stop here when the sync was cancelled (every batch boundary calls it)."""
        if self.cancelled():
            raise SyncCancelledError("The sync was stopped; the next one goes on from here.")
        self._progress(step, done, total)

    def sync(self, *, allow_deletions: bool = False, accept_server: bool = False) -> SyncReport:
        """One whole sync (see the module docstring); raises a SyncError kind when it stops.

        ``allow_deletions`` confirms a mass deletion; ``accept_server`` confirms starting
        again with a server that is not the one this profile synced with.
        """
        report = SyncReport()
        self.allow_deletions = allow_deletions
        self.progress("start", 0, 1)
        self.check_account()
        summary = self.check_feed(allow_deletions, accept_server=accept_server)
        self.upload_blobs(report)
        self.push(report)
        needs_reconcile = self.pull(report, summary)
        if needs_reconcile:
            self.reconcile(report)
        self.download_blobs(report)
        if self.replica.pending_count():
            self.upload_blobs(report)
            self.push(report)
        self.verify(report)
        logger.info("sync done: %s", report)
        return report

    # -- the steps ---------------------------------------------------------------------

    def check_account(self) -> None:
        """Bind the profile to the token's user on its first sync (AccountMismatchError for another's).

        Once bound, the token can only have come from a sign-in that checked the binding, so
        later syncs save the round trip.
        """
        if self.replica.account() is None:
            self.replica.bind_account(self.client.me().name)

    def upload_blobs(self, report: SyncReport) -> None:
        """Upload the files waiting records refer to; a file too large for the server is left out."""
        needs = self.replica.blobs_to_upload()
        for done, need in enumerate(needs, start=1):
            self.progress("upload", done, len(needs))
            if need.open is None:
                continue
            try:
                self.client.upload_blob(need.sha256, need.size, need.open)
            except ServerRefused as exc:
                if exc.status != 413:
                    raise
                logger.warning(
                    "file %s (%d bytes) is too large for the server: left out", need.sha256, need.size
                )
                self.replica.blob_uploaded(need.sha256, too_large=True)
                report.too_large.append(need.sha256)
                continue
            except FileNotFoundError:
                # Detached (its bytes removed) while this sync ran: no waiting record needs it now.
                logger.info("file %s went away before its upload: left out", need.sha256)
                continue
            self.replica.blob_uploaded(need.sha256)
            report.uploaded += 1

    def push(self, report: SyncReport) -> None:
        """Push every pending change in batches, until none is left that can go."""
        total = self.replica.pending_count()
        rounds = total // p.MAX_PUSH_CHANGES + EXTRA_ROUNDS
        pushed = 0
        for _ in range(rounds):
            batch = self.replica.pending_changes(p.MAX_PUSH_CHANGES)
            if not batch:
                return
            answer = self.client.push(batch)
            if [r.change_id for r in answer.results] != [c.change_id for c in batch]:
                raise SyncError("The server answered a push with results for other changes.")
            applied = self.replica.apply_push_results(batch, answer.results)
            report.add_push(applied)
            pushed += len(batch)
            self.progress("push", pushed, max(total, pushed))
            for record_id, reason in applied.rejected:
                logger.warning("push of %s rejected: %s", record_id, reason)
            for item in applied.overtaken:
                logger.info("push of %s overtaken: %s", item.record_id, item.reason)
        logger.warning("push stopped after %d rounds with changes still pending", rounds)

    def check_feed(self, allow_deletions: bool, *, accept_server: bool = False) -> p.PendingSummary:
        """Count what the pull would bring; stop before another or a rewound server, or a mass deletion."""
        cursor = self.replica.cursor()
        summary = self.client.pending(cursor)
        known = self.replica.server_id()
        changed = bool(summary.server_id and known and summary.server_id != known)
        rewound = summary.latest < cursor
        if (changed or rewound) and accept_server:
            queued = self.replica.start_over(summary.server_id or known or "")
            logger.warning("starting again with server %s: %d own records queued", summary.server_id, queued)
            return self.check_feed(allow_deletions)
        if changed:
            raise ServerChangedError(
                "This server is not the one this profile synced with (another address, or its database "
                "was wiped, re-created or restored from a backup). Nothing was sent or changed here. "
                + START_OVER_HINT
            )
        if rewound:
            raise ServerRewoundError(
                f"The server holds less than this profile has seen of it (its latest change is "
                f"{summary.latest:,}, this profile saw {cursor:,}): it may have been reset or restored "
                "from an older backup. Nothing was changed here. " + START_OVER_HINT
            )
        if summary.server_id and summary.server_id != known:
            self.replica.set_server_id(summary.server_id)
        # The server counts every tombstone after the cursor, also of records never seen here
        # (made and deleted meanwhile, or a new profile's first sync): only a count above the
        # threshold is worth reading the feed for the deletions of records held here.
        local = self.replica.live_synced_count()
        if not allow_deletions and min(summary.deletions, local) > self._threshold(local):
            self._check_deletions(self._feed_deletions(cursor, summary), allow_deletions)
        return summary

    def _threshold(self, local: int) -> int:
        return max(self.deletion_minimum, int(local * self.deletion_share))

    def _check_deletions(self, deletions: int, allow_deletions: bool) -> None:
        """The fail-safe: more than ``deletion_share`` of the local records (and ``deletion_minimum``)."""
        local = self.replica.live_synced_count()
        if deletions > self._threshold(local) and not allow_deletions:
            logger.warning("fail-safe: %d deletions against %d local records", deletions, local)
            raise DeletionFailsafeError(deletions, local)

    def _feed_deletions(self, cursor: int, summary: p.PendingSummary) -> int:
        """Read the feed from ``cursor`` without applying it: tombstones of records live here."""
        live = self.replica.live_ids()
        deletions = 0
        for _ in range(summary.changes // max(1, self.pull_limit) + EXTRA_ROUNDS):
            page = self.client.pull(cursor, self.pull_limit)
            deletions += _tombstones(page.changes, live)
            if not page.has_more or page.cursor <= cursor:
                break
            cursor = page.cursor
        return deletions

    def pull(self, report: SyncReport, summary: p.PendingSummary) -> bool:
        """Apply the feed page by page; True when the server asked for a reconciliation."""
        cursor = self.replica.cursor()
        # The feed also brings back what this sync pushed (counted after the summary was taken).
        rounds = (summary.changes + report.pushed + report.merged) // max(1, self.pull_limit) + EXTRA_ROUNDS
        resync = False
        live = self.replica.live_ids()
        deletions = 0
        for _ in range(rounds):
            page = self.client.pull(cursor, self.pull_limit)
            resync = resync or page.resync
            if page.cursor < cursor:
                raise SyncError("The server's feed went backwards; nothing more was applied.")
            # Counted again page by page: a summary that undercounts (a bug, a lying server)
            # lets through at most the threshold before the sync stops and asks.
            deletions += _tombstones(page.changes, live)
            self._check_deletions(deletions, self.allow_deletions)
            applied = self.replica.apply_feed(page.changes, page.cursor)
            report.add_feed(applied)
            cursor = page.cursor
            self.progress("pull", min(report.pulled, summary.changes), summary.changes)
            if not page.has_more:
                return resync
        logger.warning("pull stopped after %d pages; the next sync goes on from %d", rounds, cursor)
        return resync

    def reconcile(self, report: SyncReport) -> None:
        """Compare the whole visible index with the local copies and fix the differences."""
        index: dict[str, p.IndexEntry] = {}
        after: str | None = None
        cursor = 0
        for _ in range(10_000):  # bounded: 20 million records
            page = self.client.index_page(after)
            index.update((entry.id, entry) for entry in page.entries)
            cursor = page.cursor
            if page.next_after is None:
                break
            after = page.next_after
        local = self.replica.synced_revisions()
        self._check_listing(index, local)
        wanted = [rid for rid, entry in index.items() if local.get(rid) != entry.revision]
        gone = [rid for rid in local if rid not in index]
        if gone:  # the server lost these (its owner never loses sight of a record): send them again
            resent = set(self.replica.requeue_own(gone))
            gone = [rid for rid in gone if rid not in resent]
        live = self.replica.live_ids()
        losing = sum(1 for rid in gone if rid in live)
        losing += sum(1 for rid in wanted if index[rid].deleted and rid in live)
        self._check_deletions(losing, self.allow_deletions)
        logger.info("reconcile: %d to fetch, %d no longer visible", len(wanted), len(gone))
        versions: list[p.RecordVersion] = []
        for done, record_id in enumerate(wanted, start=1):
            version = self.client.fetch_record(record_id)
            if version is not None:
                versions.append(version)
            if len(versions) >= self.pull_limit:
                report.add_feed(self.replica.apply_reconcile(versions, ()))
                versions = []
            self.progress("reconcile", done, len(wanted))
        report.add_feed(self.replica.apply_reconcile(versions, gone))
        self.client.resynced(cursor)
        report.reconciled = True

    def _check_listing(self, index: dict[str, p.IndexEntry], local: dict[str, str]) -> None:
        """Stop before acting on an index that cannot be the server's whole truth.

        A listing shorter than the server's own live counts is truncated (a blip, a bug):
        acting on it would remove what it left out. A revision older than the one the
        server acknowledged to this profile means the server went back in time.
        """
        counted = sum(kind.count for kind in self.client.digest().kinds.values())
        listed = sum(1 for entry in index.values() if not entry.deleted)
        if listed < counted:
            raise IncompleteListingError(
                f"The server listed {listed:,} records but counts {counted:,}: its answer was incomplete. "
                "Nothing was removed here; the next sync tries again."
            )
        for record_id, entry in index.items():
            mine = local.get(record_id)
            if mine and _older(entry.revision, mine):
                raise ServerRewoundError(
                    f"The server holds an older version of a record than it had acknowledged ({record_id}): "
                    "it may have been restored from an older backup. Nothing was changed here. "
                    + START_OVER_HINT
                )

    def download_blobs(self, report: SyncReport) -> None:
        """Fetch the files of synced records that are missing here (the large ones on demand)."""
        needs = self.replica.blobs_to_download(self.download_limit)
        for done, need in enumerate(needs, start=1):
            self.progress("download", done, len(needs))
            path = self.replica.blob_download_path(need.sha256)
            try:
                self.client.download_blob(need.sha256, path)
            except ServerRefused as exc:
                if exc.status == 404:
                    logger.warning("file %s is not on the server (yet)", need.sha256)
                    continue
                raise
            self.replica.blob_downloaded(need.sha256, path)
            report.downloaded += 1

    def verify(self, report: SyncReport, *, repair: bool = True) -> None:
        """Compare counts and digests per kind and of the files with the server; repair once."""
        mismatched = self._mismatched_kinds()
        if mismatched and repair:
            logger.warning("after sync, these kinds differ from the server: %s; reconciling", mismatched)
            report.repaired = list(mismatched)
            self.replica.forget_copies(self.replica.broken_copies())
            self.reconcile(report)
            if FILES in mismatched:
                self.repair_files(report)
            if self.replica.pending_count():  # records the server lost, sent again
                self.upload_blobs(report)
                self.push(report)
            mismatched = self._mismatched_kinds()
        report.mismatched_kinds = mismatched
        report.verified = not mismatched

    def repair_files(self, report: SyncReport) -> None:
        """Fetch again the files damaged here; offer every file held here (the server takes what it lacks)."""
        self.replica.drop_damaged(self.replica.damaged_blobs())
        needs = self.replica.blobs_to_offer()
        for done, need in enumerate(needs, start=1):
            self.progress("repair", done, len(needs))
            if need.open is not None:
                state = self.client.upload_blob(need.sha256, need.size, need.open)
                report.uploaded += int(state.offset > 0 or need.size == 0)
        self.download_blobs(report)

    def _mismatched_kinds(self) -> list[str]:
        answer = self.client.digest()
        theirs = answer.kinds
        mine = self.replica.digests()
        empty = p.KindDigest(count=0, digest=p.combine_digests([]))
        kinds = sorted(set(theirs) | set(mine))
        mismatched = [kind for kind in kinds if theirs.get(kind, empty) != mine.get(kind, empty)]
        files_differ = answer.files is not None and answer.files != self.replica.files_digest()
        if files_differ or self.replica.damaged_blobs():
            mismatched.append(FILES)
        return mismatched


def _older(server: str, acknowledged: str) -> bool:
    """True when the server's revision cannot follow the one it acknowledged (a lower generation)."""
    try:
        return int(server.split("-", 1)[0] or 0) < int(acknowledged.split("-", 1)[0] or 0)
    except ValueError:
        return False


def _tombstones(entries: Sequence[p.FeedEntry], live: set[str]) -> int:
    """Feed entries that delete a record held live here."""
    return sum(
        1
        for entry in entries
        if entry.record is not None and entry.record.envelope.deleted and entry.record.envelope.id in live
    )
