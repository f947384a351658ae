"""Signing in and syncing one profile: the facade the app and the command line share (no Qt).

It ties the profile's store (as a :class:`StoreReplica`), its search index (updated
from what every applied batch changed), the server address and token, and the sync
engine together. The server address and the accounts live in the store's meta table;
the token never does (desktop/credentials.py keeps it).
"""

from __future__ import annotations

import json
import logging
import math
import platform
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.records import utc_now
from desktop.credentials import TokenStore
from desktop.store.replica import StoreReplica
from desktop.store.sync_tables import ConflictRow
from desktop.usage_service import UsageSyncReport, sync_usage
from sync.client import AuthError, RetryPolicy, SyncClient, SyncError, check_transport
from sync.engine import (
    DEFAULT_DOWNLOAD_LIMIT,
    DELETION_MINIMUM,
    DELETION_SHARE,
    AccountMismatchError,
    Progress,
    SyncEngine,
    SyncReport,
)

if TYPE_CHECKING:
    import requests

    from desktop.core.changes import Changes
    from desktop.session import Session
    from sync.protocol import HistoryEntry

logger = logging.getLogger(__name__)

SERVER_KEY = "sync.server_url"
ALLOWED_HTTP_KEY = "sync.allowed_http_hosts"
#: A private CA's certificate file (PEM) the profile trusts for its server (``imbizo login --ca-file``).
CA_FILE_KEY = "sync.ca_file"
LAST_SYNC_KEY = "sync.last"
#: The deletion fail-safe's threshold, a setting of the profile (sync/engine.py has the defaults).
#: A sync indexes what it pulled at once, then at most this often (see BatchedIndexing).
INDEX_EVERY_S = 5.0
DELETION_SHARE_KEY = "sync.deletion_share"
DELETION_MINIMUM_KEY = "sync.deletion_minimum"


class NotSignedInError(AuthError):
    """No server or no token for this profile: sign in first."""


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in, for the person."""

    server: str
    user: str
    role: str
    token_kept_in: str
    insecure: bool


@dataclass
class SyncStatus:
    """What the status bar and ``imbizo sync --status`` show."""

    server: str | None
    account: str | None
    signed_in: bool
    pending: int
    conflicts: int
    rejected: list[dict[str, str]] = field(default_factory=list)
    last_sync: dict[str, object] = field(default_factory=dict)


class BatchedIndexing:
    """Indexes what a sync writes in batches: at once, then at most every ``every`` seconds.

    A long first sync applies the feed a page (100 records) at a time; a Whoosh commit per
    page made indexing most of its cost (a new segment and its merges each time). The index
    follows the store's change feed from its watermark, so a page not indexed at once is
    indexed with a later one, or by :meth:`flush` when the sync ends, even a failed one.
    """

    def __init__(
        self, session: Session, every: float = INDEX_EVERY_S, clock: Callable[[], float] = time.monotonic
    ):
        self.session = session
        self.every = every
        self.clock = clock
        self.waiting = 0
        self.last = -math.inf

    def __call__(self, changes: Changes) -> None:
        """Note what one batch wrote; index now when the last indexing is ``every`` seconds old."""
        self.waiting += len(changes.saved) + len(changes.deleted)
        if self.waiting and self.clock() - self.last >= self.every:
            self.flush()

    def flush(self) -> None:
        """Index everything written and not indexed yet."""
        if self.waiting:
            self.session.index.catch_up(self.session.store)
            self.waiting = 0
            self.last = self.clock()


class SyncService:
    """Sign-in, sync, conflicts and passwords for one open :class:`Session`."""

    def __init__(
        self,
        session: Session,
        *,
        http: requests.Session | None = None,
        use_keyring: bool = True,
        retry: RetryPolicy | None = None,
    ):
        self.session = session
        self.http = http
        self.retry = retry
        self.replica = self._new_replica()
        self.tokens = TokenStore(session.paths.data_dir, self.replica.device_id(), use_keyring=use_keyring)
        #: What the last sync did with usage events (None before one, or when that part failed).
        self.usage: UsageSyncReport | None = None

    def _new_replica(self, on_changes: Callable[[Changes], None] | None = None) -> StoreReplica:
        session = self.session

        def index_changes(changes: Changes) -> None:
            session.index.apply(changes, session.store)

        return StoreReplica(session.store, on_changes=on_changes or index_changes)

    # -- the server and the token -----------------------------------------------------------

    def server_url(self) -> str | None:
        """The server this profile syncs with."""
        return self.session.store.get_meta(SERVER_KEY) or None

    def allowed_http_hosts(self) -> list[str]:
        """Hosts the person allowed plain http to (an office server on the local network)."""
        hosts = json.loads(self.session.store.get_meta(ALLOWED_HTTP_KEY) or "[]")
        return [str(host) for host in hosts] if isinstance(hosts, list) else []

    def verify(self) -> bool | str:
        """What https certificates are checked against: the system's CAs, or the profile's CA file."""
        return self.session.store.get_meta(CA_FILE_KEY) or True

    def client(self, url: str | None = None, token: str | None = None) -> SyncClient:
        """A protocol client for the profile's server and token."""
        server = url or self.server_url()
        if not server:
            raise NotSignedInError("This profile is not signed in to a server: sign in first.")
        return SyncClient(
            server,
            token=token if token is not None else self.tokens.load(),
            allowed_http_hosts=self.allowed_http_hosts(),
            verify=self.verify(),
            session=self.http,
            retry=self.retry,
        )

    def login(
        self,
        url: str,
        username: str,
        password: str,
        *,
        allow_http: bool = False,
        ca_file: str | None = None,
    ) -> SignIn:
        """Sign in to ``url`` as ``username``; the token is kept safely, never in the database.

        ``ca_file``: a private CA's certificate (PEM) to trust for this server, kept for the
        profile ("" forgets the kept one: the system's CAs again; None keeps it); certificates
        are always checked (there is no way to turn that off).
        Refused (AccountMismatchError) when the profile holds unsynced work of another account.
        """
        url = url.rstrip("/")
        bound = self.replica.account()
        if bound and bound != username and self.replica.pending_count():
            raise AccountMismatchError(
                f"This profile holds changes by {bound} that were never synced: sign in as {bound}, "
                "or use another profile for this account."
            )
        hosts = self.allowed_http_hosts()
        if allow_http:
            from urllib.parse import urlsplit

            host = urlsplit(url).hostname or ""
            hosts = sorted({*hosts, host})
        check_transport(url, hosts)
        verify: bool | str = str(Path(ca_file).resolve()) if ca_file else self.verify()
        if ca_file == "":
            verify = True
        client = SyncClient(url, allowed_http_hosts=hosts, verify=verify, session=self.http, retry=self.retry)
        answer = client.login(username, password, self.replica.device_id(), platform.node()[:100])
        previous = self.server_url()
        if previous and previous != url:
            logger.warning("profile moves from server %s to %s", previous, url)
        self.tokens.save(answer.token)
        self.session.store.set_meta(SERVER_KEY, url)
        self.session.store.set_meta(ALLOWED_HTTP_KEY, json.dumps(hosts))
        if ca_file is not None:
            self.session.store.set_meta(CA_FILE_KEY, str(verify) if ca_file else "")
        self.replica.bind_account(answer.user.name)
        self.session.set_role(answer.user.role.value)
        return SignIn(url, answer.user.name, answer.user.role.value, self.tokens.where, client.insecure)

    def logout(self) -> None:
        """End the session on the server (when it answers) and forget the token here."""
        try:
            if self.tokens.load():
                self.client().logout()
        except SyncError as exc:
            logger.info("could not tell the server about the sign-out: %s", exc)
        finally:
            self.tokens.clear()

    def change_password(self, old: str, new: str) -> None:
        """Change the account's password; every session ends, so the token here is forgotten."""
        self.client().change_password(old, new)
        self.tokens.clear()

    # -- syncing ----------------------------------------------------------------------------------

    def sync(
        self,
        *,
        allow_deletions: bool = False,
        accept_server: bool = False,
        download_limit: int | None = None,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> SyncReport:
        """One sync with the profile's server (see sync/engine.py for the steps).

        ``allow_deletions`` confirms a sync the deletion fail-safe stopped; ``accept_server``
        confirms starting again with a server that is not the one this profile synced with.
        ``download_limit``: files up to this many bytes come down (larger ones when opened,
        :meth:`download_file`); None keeps the engine's default.
        """
        client = self.client()
        if not client.token:
            raise NotSignedInError("Not signed in to the server: sign in first.")
        indexer = BatchedIndexing(self.session)
        self.replica = self._new_replica(indexer)
        share, minimum = self.deletion_threshold()
        engine = SyncEngine(
            self.replica,
            client,
            deletion_share=share,
            deletion_minimum=minimum,
            download_limit=DEFAULT_DOWNLOAD_LIMIT if download_limit is None else download_limit,
            progress=progress,
            cancelled=cancelled,
        )
        started = utc_now()
        try:
            report = engine.sync(allow_deletions=allow_deletions, accept_server=accept_server)
            self.usage = self._sync_usage(client)
            self._refresh_role(client, reconciled=report.reconciled)
        except SyncError as exc:
            self._remember(started, ok=False, error=str(exc), kind=type(exc).__name__)
            raise
        finally:
            client.close()
            self._index_the_rest(indexer)
        self._remember(started, ok=True, report=asdict(report))
        return report

    def _sync_usage(self, client: SyncClient) -> UsageSyncReport | None:
        """Upload usage events and keep the summary; a failure here never fails the records' sync
        (the events wait with their ids and go at the next sync, stored once by the server)."""
        try:
            return sync_usage(self.session.store, client)
        except SyncError as exc:
            logger.warning("usage not synced this time (%s): the events wait for the next sync", exc)
            return None

    def _refresh_role(self, client: SyncClient, *, reconciled: bool) -> None:
        """Ask the server for the user's role when it may have changed: a change of role makes the
        server ask for a reconciliation, so a sync without one saves the round trip."""
        if not reconciled and self.session.role():
            return
        try:
            self.session.set_role(client.me().role.value)
        except SyncError as exc:  # the sync itself went through: keep the role known so far
            logger.info("could not read the role from the server: %s", exc)

    @staticmethod
    def _index_the_rest(indexer: BatchedIndexing) -> None:
        # After a failed sync too, but never hiding its error: the index is a cache that
        # catches up from the change feed when the profile next opens.
        try:
            indexer.flush()
        except Exception:
            logger.exception("indexing what the sync wrote failed; the index catches up later")

    def download_file(self, sha256: str) -> Path:
        """Download one attachment that was left on the server (above the download limit) now.

        The bytes are checked against ``sha256`` by the client before the store takes them;
        returns where the file is kept. Raises NotSignedInError, or the client's SyncError.
        """
        client = self.client()
        if not client.token:
            raise NotSignedInError("Not signed in to the server: sign in to download this file.")
        replica = self._new_replica()
        path = replica.blob_download_path(sha256)
        try:
            client.download_blob(sha256, path)
        finally:
            client.close()
        replica.blob_downloaded(sha256, path)
        return self.session.blob_path(sha256)

    def deletion_threshold(self) -> tuple[float, int]:
        """(share, minimum): a sync deleting more than share x local records, and > minimum, asks first."""
        store = self.session.store
        share = float(store.get_meta(DELETION_SHARE_KEY) or DELETION_SHARE)
        minimum = int(store.get_meta(DELETION_MINIMUM_KEY) or DELETION_MINIMUM)
        return share, minimum

    def set_deletion_threshold(self, share: float, minimum: int) -> None:
        """Change the fail-safe's threshold for this profile (share between 0 and 1, minimum >= 0)."""
        if not 0.0 <= share <= 1.0 or minimum < 0:
            raise ValueError("the share is between 0 and 1 and the minimum is not negative")
        self.session.store.set_meta(DELETION_SHARE_KEY, repr(float(share)))
        self.session.store.set_meta(DELETION_MINIMUM_KEY, str(int(minimum)))

    def _remember(self, started: str, **outcome: object) -> None:
        data = {"started": started, "finished": utc_now(), **outcome}
        self.session.store.set_meta(LAST_SYNC_KEY, json.dumps(data, default=str))

    def status(self) -> SyncStatus:
        """Where this profile stands with its server."""
        rejected = [
            {"id": entry.record_id, "reason": entry.error or ""}
            for entry in self.session.store.outbox_entries(state="rejected")
        ]
        last = json.loads(self.session.store.get_meta(LAST_SYNC_KEY) or "{}")
        return SyncStatus(
            server=self.server_url(),
            account=self.replica.account(),
            signed_in=self.tokens.load() is not None,
            pending=self.replica.pending_count(),
            conflicts=len(self.replica.conflicts()),
            rejected=rejected,
            last_sync=last,
        )

    def record_state(self, record_id: str) -> str:
        """One record's sync state (see ``RecordRepository.sync_state``)."""
        return self.session.store.sync_state(record_id)

    def server_history(self, record_id: str) -> list[HistoryEntry] | None:
        """Who stored each version of a record on the server, and how (oldest first); None when the
        server has no such record for this user. One attempt with short timeouts: the History
        dialog asks while it shows the local versions, and offline it says so instead."""
        server = self.server_url()
        if not server or not self.tokens.load():
            raise NotSignedInError("Not signed in to a server.")
        client = SyncClient(
            server,
            token=self.tokens.load(),
            allowed_http_hosts=self.allowed_http_hosts(),
            verify=self.verify(),
            session=self.http,
            retry=RetryPolicy(attempts=1),
            timeout=(5.0, 15.0),
        )
        try:
            answer = client.record_history(record_id)
        finally:
            client.close()
        return list(answer.entries) if answer is not None else None

    def probe(self) -> bool:
        """A cheap check that the server answers (no sign-in needed): True when it does."""
        server = self.server_url()
        if not server:
            return False
        client = SyncClient(
            server,
            allowed_http_hosts=self.allowed_http_hosts(),
            verify=self.verify(),
            session=self.http,
            retry=RetryPolicy(attempts=1),
            timeout=(5.0, 10.0),
        )
        try:
            client.health()
            return True
        except SyncError:
            return False
        finally:
            client.close()

    # -- conflicts ---------------------------------------------------------------------------------

    def conflicts(self) -> list[ConflictRow]:
        """Open conflicts, oldest first."""
        return self.replica.conflicts()

    def resolve(self, record_id: str, keep: str) -> None:
        """Keep ``"mine"`` or ``"theirs"`` of a conflict (mine is pushed at the next sync)."""
        if keep not in ("mine", "theirs"):
            raise ValueError("keep is 'mine' or 'theirs'")
        self.replica.resolve(record_id, keep)


def on_progress_printer(write: Callable[[str], None]) -> Progress:
    """A progress callback that writes one line per step and per tenth of the way."""
    last: dict[str, int] = {}

    def progress(step: str, done: int, total: int) -> None:
        tenth = (10 * done) // total if total else 10
        if last.get(step) != tenth:
            last[step] = tenth
            write(f"{step}: {done:,}/{total:,}")

    return progress
