"""Sync in the app: sign-in, "Sync now", syncing on a timer and when the connection returns.

One :class:`SyncController` per window. Every call to the server runs on the TaskManager's
network lane (never two at once, never on the GUI thread); the store writes a sync makes
take the profile's write lock batch by batch, so editing goes on while it runs. The
controller turns each kind of error into one state the status bar shows:

- not signed in, or the session ended -> "Sign in";
- no connection -> "Offline", and a cheap probe of the server with backoff (30 s, then
  doubling up to 10 minutes) starts a sync as soon as it answers;
- this version too old for the server -> "Please update Imbizo";
- the deletion fail-safe -> a question to the person (``failsafe_tripped``);
- a server that is not the one the profile synced with (wiped, re-created, restored, or
  another server at the address) -> "Sync stopped: different server" and a question
  (``server_changed``): starting again with it is the person's choice;
- anything the server refused -> the message, in the status bar and its tooltip.
"""

from __future__ import annotations

import logging
import ssl
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.session import Session
    from desktop.sync_service import SyncService

logger = logging.getLogger(__name__)

#: Minutes between automatic syncs while signed in (a preference can change it).
DEFAULT_INTERVAL_MIN = 10
PROBE_FIRST_S, PROBE_MAX_S = 30, 600

SIGNED_OUT, OFFLINE, SYNCING, UP_TO_DATE, WAITING, CONFLICTS, ERROR = (
    "signed_out",
    "offline",
    "syncing",
    "up_to_date",
    "waiting",
    "conflicts",
    "error",
)


@dataclass(frozen=True)
class SyncState:
    """What the status bar shows: a kind, one line and its tooltip; progress while syncing."""

    kind: str
    text: str
    detail: str = ""
    done: int = 0
    total: int = 0


class SyncController(QObject):
    """Runs syncs for one window's session and says how they went."""

    state_changed = Signal(object)  # SyncState
    records_changed = Signal()  # a sync brought or merged records: lists and views refresh
    synced = Signal(object)  # a sync finished (its report), whether or not it brought anything
    failsafe_tripped = Signal(
        str
    )  # the fail-safe's message: ask the person, then sync_now(allow_deletions=True)
    server_changed = Signal(object)  # a ServerRewoundError: ask, then sync_now(accept_server=True)
    signed_in = Signal(object)  # SignIn
    sign_in_failed = Signal(object)  # exception
    _progress = Signal(str, int, int)  # from the network thread to the GUI thread

    def __init__(self, tasks: TaskManager, parent: QObject | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.service: SyncService | None = None
        self.state = SyncState(SIGNED_OUT, self.tr("Not signed in"))
        self.running = False
        self._stop = threading.Event()
        self._probe_delay = PROBE_FIRST_S
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.sync_now)
        self.timer.setInterval(DEFAULT_INTERVAL_MIN * 60_000)
        self.probe_timer = QTimer(self)
        self.probe_timer.setSingleShot(True)
        self.probe_timer.timeout.connect(self._probe)
        self._progress.connect(self._on_progress)

    # -- the session --------------------------------------------------------------------

    def set_session(self, session: Session | None) -> None:
        """Sync this session's profile (the service is made off the GUI thread: it reads the store)."""
        self.service = None
        if session is None:
            return

        # Imported here, on the GUI thread, never first on a worker (see load_sync_modules); the
        # window's open_session has already loaded it, so this costs nothing there.
        from desktop.sync_service import SyncService

        def make() -> SyncService:
            return SyncService(session)

        self.tasks.read(make, self._on_service_ready, description="read the sync settings")

    def _on_service_ready(self, service: SyncService) -> None:
        from desktop.ui.attachment_jobs import set_file_fetcher

        self.service = service
        set_file_fetcher(service.session, service.download_file)  # large files, fetched when opened
        self.refresh_status(sync_if_signed_in=True)

    def set_interval(self, minutes: int) -> None:
        """Minutes between automatic syncs (0 turns them off)."""
        if minutes <= 0:
            self.timer.stop()
        else:
            self.timer.setInterval(minutes * 60_000)
            if self.service is not None and self.state.kind != SIGNED_OUT:
                self.timer.start()

    # -- status -------------------------------------------------------------------------

    def refresh_status(self, *, sync_if_signed_in: bool = False) -> None:
        """Read where the profile stands (waiting changes, conflicts) and show it."""
        service = self.service
        if service is None or self.running:
            return

        def done(status: Any) -> None:
            self._show_status(status)
            if sync_if_signed_in and status.signed_in:
                self.sync_now()

        self.tasks.read(service.status, done, description="read the sync status")

    def _show_status(self, status: Any) -> None:
        if not status.signed_in or not status.server:
            self._set(
                SyncState(SIGNED_OUT, self.tr("Not signed in"), self.tr("Sign in to a server to share"))
            )
            self.timer.stop()
            return
        where = self.tr("{user} on {server}").format(user=status.account or "?", server=status.server)
        if self.service is not None:  # said where the person can find it again, not only at sign-in
            where += "\n" + self.tr("The sign-in token is kept in {place}.").format(
                place=self.service.tokens.where
            )
        if status.conflicts:
            count = status.conflicts
            text = self.tr("1 conflict to resolve") if count == 1 else self.tr("{n} conflicts to resolve")
            self._set(SyncState(CONFLICTS, text.format(n=f"{count:,}"), where))
        elif status.pending:
            count = status.pending
            text = self.tr("1 change waiting") if count == 1 else self.tr("{n} changes waiting")
            self._set(SyncState(WAITING, text.format(n=f"{count:,}"), where))
        else:
            self._set(SyncState(UP_TO_DATE, self.tr("Up to date"), where))
        if not self.timer.isActive() and self.timer.interval() > 0:
            self.timer.start()

    def _set(self, state: SyncState) -> None:
        self.state = state
        self.state_changed.emit(state)

    # -- syncing --------------------------------------------------------------------------

    def sync_now(self, allow_deletions: bool = False, accept_server: bool = False) -> bool:
        """Start a sync in the background; False when one is running or there is nothing to sync with.

        ``allow_deletions`` confirms a sync the deletion fail-safe stopped; ``accept_server``
        starts again with a server that is not the one this profile synced with (both are
        the person's answers to a question, never defaults).
        """
        service = self.service
        if service is None or self.running or self.state.kind == SIGNED_OUT:
            return False
        self.running = True
        self._stop.clear()
        self.probe_timer.stop()
        self._set(SyncState(SYNCING, self.tr("Syncing…"), self.state.detail))
        stop = self._stop
        from desktop.ui.preferences import download_limit_mb

        download_limit = download_limit_mb() * 1024 * 1024  # read here: QSettings on the GUI thread

        def run() -> Any:
            return service.sync(
                allow_deletions=allow_deletions,
                accept_server=accept_server,
                download_limit=download_limit,
                progress=lambda step, done, total: self._progress.emit(step, done, total),
                cancelled=stop.is_set,
            )

        self.tasks.network(run, self._on_synced, self._on_sync_failed, description="sync with the server")
        return True

    def _on_progress(self, step: str, done: int, total: int) -> None:
        if not self.running:
            return
        steps = {
            "push": self.tr("Sending changes"),
            "pull": self.tr("Receiving changes"),
            "upload": self.tr("Sending files"),
            "download": self.tr("Receiving files"),
            "reconcile": self.tr("Checking with the server"),
        }
        label = steps.get(step)
        if label is None:
            return
        text = self.tr("{step}: {done} of {total}").format(step=label, done=f"{done:,}", total=f"{total:,}")
        self._set(SyncState(SYNCING, text, self.state.detail, done, total))

    def _on_synced(self, report: Any) -> None:
        self.running = False
        self._probe_delay = PROBE_FIRST_S
        logger.info("sync finished: pushed %d, pulled %d", report.pushed, report.pulled)
        if report.pulled or report.merged or report.removed or report.pushed:
            self.records_changed.emit()
        self.synced.emit(report)
        self.refresh_status()

    def _on_sync_failed(self, error: BaseException) -> None:
        from sync.client import AuthError, NetworkError, OutdatedClientError, SyncError
        from sync.engine import DeletionFailsafeError, ServerRewoundError, SyncCancelledError

        self.running = False
        if isinstance(error, SyncCancelledError):
            return
        if isinstance(error, NetworkError):
            self._set(SyncState(OFFLINE, self.tr("Offline"), str(error)))
            self._schedule_probe()
        elif isinstance(error, AuthError):
            self._set(SyncState(SIGNED_OUT, self.tr("Sign in again"), str(error)))
            self.timer.stop()
        elif isinstance(error, OutdatedClientError):
            self._set(SyncState(ERROR, self.tr("Please update Imbizo"), str(error)))
        elif isinstance(error, DeletionFailsafeError):
            self._set(SyncState(ERROR, self.tr("Sync stopped: many deletions"), str(error)))
            self.failsafe_tripped.emit(str(error))
        elif isinstance(error, ServerRewoundError):  # ServerChangedError too: its subclass
            self._set(SyncState(ERROR, self.tr("Sync stopped: different server"), str(error)))
            self.server_changed.emit(error)
        elif isinstance(error, SyncError):
            self._set(SyncState(ERROR, self.tr("Sync failed"), str(error)))
        else:
            self._set(SyncState(ERROR, self.tr("Sync failed"), str(error)))
            self.tasks.report_error("sync with the server", error)

    # -- coming back online ---------------------------------------------------------------

    def _schedule_probe(self) -> None:
        self.probe_timer.start(self._probe_delay * 1000)
        self._probe_delay = min(self._probe_delay * 2, PROBE_MAX_S)

    def _probe(self) -> None:
        service = self.service
        if service is None or self.running:
            return

        def answered(reachable: bool) -> None:
            if reachable:
                logger.info("the server answers again: syncing")
                self.sync_now()
            else:
                self._schedule_probe()

        self.tasks.network(service.probe, answered, lambda _e: self._schedule_probe(), description="probe")

    # -- signing in and out -------------------------------------------------------------------

    def sign_in(
        self, url: str, user: str, password: str, *, allow_http: bool = False, ca_file: str | None = None
    ) -> None:
        """Sign in in the background; ``signed_in`` or ``sign_in_failed`` says how it went.

        ``ca_file``: a private certificate authority's certificate (PEM) to trust for this
        server; it is checked first (CertificateFileError), and kept only if the sign-in works.
        """
        service = self.service
        if service is None:
            return

        def run() -> Any:
            checked = check_ca_file(ca_file) if ca_file else ca_file  # "": forget the kept CA
            return service.login(url, user, password, allow_http=allow_http, ca_file=checked)

        def done(signed: Any) -> None:
            self.signed_in.emit(signed)
            self.refresh_status(sync_if_signed_in=True)

        self.tasks.network(
            run,
            done,
            self.sign_in_failed.emit,
            description="sign in",
        )

    def sign_out(self) -> None:
        """Sign out (the server is told when it answers) and forget the token."""
        service = self.service
        if service is not None:
            self.tasks.network(service.logout, lambda _r: self.refresh_status(), description="sign out")

    def shutdown(self) -> None:
        """Stop a running sync at its next batch (the window is closing)."""
        self._stop.set()
        self.timer.stop()
        self.probe_timer.stop()


class CertificateFileError(ValueError):
    """The certificate authority file to trust is missing, unreadable or holds no PEM certificate."""


def check_ca_file(path: str) -> str:
    """The absolute path of a readable PEM certificate file, or CertificateFileError saying what is wrong.

    Checked before signing in (on the network lane: the file may be on a slow share) so
    the person reads what is wrong with the file rather than an error from deep in TLS,
    and so a bad file is never kept for the profile.
    """
    from pathlib import Path

    file = Path(path).expanduser()
    if not file.is_file():
        raise CertificateFileError(f"The certificate authority file {file} does not exist.")
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise CertificateFileError(
            f"The certificate authority file {file} cannot be read: {exc.strerror or exc}."
        ) from exc
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    try:
        context.load_verify_locations(cadata=data.decode("ascii"))
    except (UnicodeDecodeError, ssl.SSLError, ValueError) as exc:
        raise CertificateFileError(
            f"{file} is not a certificate file in PEM form (text starting with "
            "-----BEGIN CERTIFICATE-----). Ask the server's administrator for the CA certificate."
        ) from exc
    if not context.cert_store_stats().get("x509"):
        raise CertificateFileError(f"{file} holds no certificate.")
    return str(file.resolve())
