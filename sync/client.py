"""The HTTP client of the sync protocol: requests with timeouts, retries, gzip and typed errors.

Every call validates the server's answer against ``sync.protocol`` before returning it,
so a server that answers garbage (wrong types, a truncated body, HTML from a captive
portal) raises :class:`ProtocolError` instead of reaching the local store. Errors
have kinds, and each kind maps to one behaviour the user sees:

- :class:`NetworkError`: no connection, a timeout, a dropped answer (after retries);
- :class:`AuthError`: the token is missing, expired or revoked (sign in again);
- :class:`OutdatedClientError`: the server needs a newer Imbizo (please update);
- :class:`ServerRefused`: the server said no, with its code and message;
- :class:`ProtocolError`: the answer is not the protocol;
- :class:`InsecureTransportError`: plain http to an address the user has not allowed.

Retries: network errors (a cut answer included), 502/503/504 and 429 are retried with
exponential backoff and full jitter; every call is safe to retry (pushes carry change ids,
uploads offsets). Uploads and downloads go on from where a cut stopped them, and count
only the attempts that moved nothing, so a link that drops every connection after some
kilobytes still delivers (uploads shrink their chunks on such a link). The clock, the
sleep and the random source are injectable for tests.
"""

from __future__ import annotations

import gzip
import hashlib
import ipaddress
import json
import logging
import os
import random
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TypeVar
from urllib.parse import urlsplit

import requests
from pydantic import BaseModel, TypeAdapter, ValidationError

from sync import protocol as p

logger = logging.getLogger(__name__)

ModelT = TypeVar("ModelT", bound=BaseModel)

#: (connect, read) timeouts in seconds: a stalled link fails within a minute, never hangs.
DEFAULT_TIMEOUT = (10.0, 60.0)
#: The largest answer the client reads (a bigger one is a broken or hostile server).
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
#: Bodies above this many bytes are sent gzip-compressed.
GZIP_ABOVE_BYTES = 1024
RETRY_STATUSES = frozenset({429, 502, 503, 504})
#: The smallest chunk an upload falls back to on a link that cuts long requests (the server
#: takes any chunk up to CHUNK_BYTES).
MIN_CHUNK_BYTES = 16 * 1024
#: Resumed attempts of one download at most (each moved some bytes): 10,000 cuts of a file.
MAX_DOWNLOAD_ROUNDS = 10_000
DOWNLOAD_BLOCK_BYTES = 16 * 1024
#: The answer of ``GET /communities/{id}/members``.
_MEMBERS: TypeAdapter[dict[str, p.CommunityRole]] = TypeAdapter(dict[p.UserName, p.CommunityRole])


class SyncError(Exception):
    """Base of every error the sync client raises; ``str()`` is for the person."""


class NetworkError(SyncError):
    """The server could not be reached or did not answer (after the retries)."""


class AuthError(SyncError):
    """Not signed in, or the session ended (expired, revoked, password changed)."""


class OutdatedClientError(SyncError):
    """The server needs a newer version of Imbizo."""


class InsecureTransportError(SyncError):
    """Plain http to an address the user has not explicitly allowed."""


class ProtocolError(SyncError):
    """The server's answer is not what the protocol says (garbage, wrong types, too big)."""


class ServerRefused(SyncError):
    """The server refused the request: ``code`` is its stable error code, ``status`` the HTTP status."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code


@dataclass
class RetryPolicy:
    """How often and how patiently to retry (exponential backoff with full jitter)."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int) -> float:
        """The wait before retry number ``attempt`` (1-based)."""
        return self.rng.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses."""
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_transport(url: str, allowed_http_hosts: Iterable[str] = ()) -> bool:
    """Raise for a URL we must not use; return True when it is plain http (show a warning)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return False
    if parts.scheme != "http" or not parts.hostname:
        raise InsecureTransportError(f"{url} is not an http(s) address of a server.")
    host = parts.hostname
    if is_loopback(host) or host in set(allowed_http_hosts):
        return True
    raise InsecureTransportError(
        f"{host} is reached over plain http, which anyone on the network can read. Use https, or allow "
        "this address explicitly (an office server on the local network)."
    )


class SyncClient:
    """One server, one (optional) bearer token; every method is one protocol call."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        allowed_http_hosts: Iterable[str] = (),
        verify: bool | str = True,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.insecure = check_transport(self.base_url, allowed_http_hosts)
        self.token = token
        self.verify = verify
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._owns_http = session is None
        self.http = session or requests.Session()
        if self.http.trust_env:
            self._read_environment_once()
        self.http.headers[p.PROTOCOL_HEADER] = str(p.PROTOCOL_VERSION)
        self.http.headers["Accept-Encoding"] = "gzip"
        self.requests_made = 0
        self.bytes_sent = 0
        self.bytes_received = 0

    def _read_environment_once(self) -> None:
        """Take the proxy and CA-bundle variables now, instead of on every request.

        requests scans the whole environment twice per request for them (1-2 ms each, as
        much as a small sync request costs the server); a client lives for one sync.
        """
        self.http.proxies.update(requests.utils.get_environ_proxies(self.base_url))  # no_proxy applies
        if self.verify is True:
            bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
            self.verify = bundle or True
        self.http.trust_env = False

    def close(self) -> None:
        """Close the connection pool (unless the caller handed in its own session)."""
        if self._owns_http:
            self.http.close()

    # -- accounts ------------------------------------------------------------------

    def health(self) -> p.Health:
        """The server's health and protocol versions (no sign-in needed)."""
        return self._call("GET", "/health", p.Health, auth=False, prefix="")

    def login(self, username: str, password: str, device_id: str, device_name: str = "") -> p.LoginResponse:
        """Sign in; the token is kept on this client (the caller stores it safely)."""
        body = p.LoginRequest(
            username=username, password=password, device_id=device_id, device_name=device_name
        )
        answer = self._call("POST", "/auth/login", p.LoginResponse, body=body, auth=False)
        self.token = answer.token
        return answer

    def logout(self) -> None:
        """End this token's session on the server."""
        self._call_void("POST", "/auth/logout")
        self.token = None

    def change_password(self, old_password: str, new_password: str) -> None:
        """Change one's own password; every session ends, so sign in again afterwards."""
        body = p.PasswordChange(old_password=old_password, new_password=new_password)
        self._call_void("POST", "/auth/password", body=body)
        self.token = None

    def me(self) -> p.UserInfo:
        """Who the token belongs to."""
        return self._call("GET", "/me", p.UserInfo)

    # -- sync ----------------------------------------------------------------------

    def push(self, changes: list[p.PushChange]) -> p.PushResponse:
        """Push a batch of changes (a retry with the same change ids is a no-op on the server)."""
        return self._call("POST", "/sync/push", p.PushResponse, body=p.PushRequest(changes=changes))

    def pull(self, cursor: int, limit: int = p.DEFAULT_PULL_LIMIT) -> p.PullResponse:
        """The next page of the change feed after ``cursor``."""
        return self._call("GET", "/sync/pull", p.PullResponse, params={"cursor": cursor, "limit": limit})

    def pending(self, cursor: int) -> p.PendingSummary:
        """How many changes and deletions a pull from ``cursor`` would bring."""
        return self._call("GET", "/sync/pending", p.PendingSummary, params={"cursor": cursor})

    def digest(self) -> p.DigestResponse:
        """Counts and digests per kind of what the user may see."""
        return self._call("GET", "/sync/digest", p.DigestResponse)

    def index_page(self, after: str | None = None) -> p.IndexPage:
        """One page of the (id, revision) index of the visible records."""
        params = {"after": after} if after else None
        return self._call("GET", "/sync/index", p.IndexPage, params=params)

    def resynced(self, cursor: int) -> None:
        """Tell the server this device finished a reconciliation."""
        self._call_void("POST", "/sync/resynced", params={"cursor": cursor})

    def fetch_record(self, record_id: str) -> p.RecordVersion | None:
        """The current version of one record, or None when it is not there for this user."""
        try:
            return self._call("GET", f"/records/{record_id}", p.RecordVersion)
        except ServerRefused as exc:
            if exc.status == 404:
                return None
            raise

    def record_history(self, record_id: str) -> p.HistoryResponse | None:
        """Who stored each version of one record on the server, or None when it is not there for this user."""
        try:
            return self._call("GET", f"/records/{record_id}/history", p.HistoryResponse)
        except ServerRefused as exc:
            if exc.status == 404:
                return None
            raise

    # -- communities ---------------------------------------------------------------

    def members(self, community_id: str) -> dict[str, p.CommunityRole]:
        """Who is in a community and their role (for its members and librarians)."""
        response = self._exchange("GET", f"/communities/{community_id}/members")
        try:
            return _MEMBERS.validate_json(response.content)
        except ValidationError as exc:
            raise ProtocolError("The server's list of members is not valid.") from exc

    def join(self, community_id: str) -> None:
        """Join a community as a member."""
        self._call_void("POST", f"/communities/{community_id}/join")

    def set_member(
        self, community_id: str, user: str, role: p.CommunityRole = p.CommunityRole.MEMBER
    ) -> None:
        """Add a user to a community or change their role (its facilitators and librarians)."""
        body = p.MembershipChange(user=user, role=role)
        self._call_void("PUT", f"/communities/{community_id}/members", body=body)

    def remove_member(self, community_id: str, user: str) -> None:
        """Remove a member; with one's own name, leave the community."""
        self._call_void("DELETE", f"/communities/{community_id}/members/{user}")

    # -- usage ---------------------------------------------------------------------

    def upload_usage(self, events: list[p.UsageEventIn]) -> p.UsageUploadResult:
        """Upload a batch of usage events (ids the server has already are not stored twice)."""
        return self._call("POST", "/usage/events", p.UsageUploadResult, body=p.UsageUpload(events=events))

    def usage_summary(self) -> p.UsageSummary:
        """The dashboard's summary, scoped by the user's role."""
        return self._call("GET", "/usage/summary", p.UsageSummary)

    # -- blobs ---------------------------------------------------------------------

    def upload_blob(
        self, sha256: str, size: int, open_file: Callable[[], AbstractContextManager[BinaryIO]]
    ) -> p.UploadState:
        """Upload a blob in chunks, resuming where the server's offset says; returns the final state.

        ``open_file`` opens the local bytes (called once per attempt, so a retry after a cut
        reads from the server's offset, never re-sends what arrived). A chunk cut on the way
        is sent again from the server's offset at half the size (down to MIN_CHUNK_BYTES);
        only cuts in a row without a chunk getting through count against the retry policy.
        """
        state = self._start_upload(sha256, size)
        chunk_bytes = p.CHUNK_BYTES
        failures = rounds = 0
        while not state.complete:
            rounds += 1
            if rounds > size // MIN_CHUNK_BYTES + 50:  # bounded: a server that never advances is broken
                raise ProtocolError("The server does not take the upload forward.")
            with open_file() as handle:
                handle.seek(state.offset)
                chunk = handle.read(chunk_bytes)
            try:
                state = self._put_chunk(state, chunk)
                failures = 0
            except NetworkError:
                failures += 1
                if failures >= self.retry.attempts:
                    raise
                # A link that cuts long requests lets shorter ones through; the chunk may have
                # arrived before the cut, so the server says where to go on.
                chunk_bytes = max(MIN_CHUNK_BYTES, chunk_bytes // 2)
                self.retry.sleep(self.retry.delay(failures))
                state = self._start_upload(sha256, size)
        return state

    def _start_upload(self, sha256: str, size: int) -> p.UploadState:
        return self._call(
            "POST", "/blobs/uploads", p.UploadState, body=p.UploadStart(sha256=sha256, size=size)
        )

    def _put_chunk(self, state: p.UploadState, chunk: bytes) -> p.UploadState:
        headers = {"Upload-Offset": str(state.offset), "Content-Type": "application/octet-stream"}
        try:
            return self._call(
                "PUT",
                f"/blobs/uploads/{state.upload_id}",
                p.UploadState,
                raw=chunk,
                headers=headers,
                retries=False,  # upload_blob retries, from the server's offset
            )
        except ServerRefused as exc:
            # 409: our offset was stale (an earlier chunk arrived after all). 404: the upload is
            # gone, finished by a chunk whose answer was lost (or dropped as stale): ask again.
            if exc.status in (404, 409):
                return self._start_upload(state.sha256, state.size)
            raise

    def download_blob(self, sha256: str, destination: Path) -> Path:
        """Download a blob to ``destination``, resuming a partial ``<name>.part``; checked by sha256."""
        partial = destination.with_name(destination.name + ".part")
        failures = 0
        for _ in range(MAX_DOWNLOAD_ROUNDS):
            have = partial.stat().st_size if partial.exists() else 0
            try:
                self._download_range(sha256, partial, have)
                break
            except NetworkError:
                if partial.exists() and partial.stat().st_size > have:
                    failures = 0  # it moves: go on from the new end at once
                    continue
                failures += 1
                if failures >= self.retry.attempts:
                    raise
                self.retry.sleep(self.retry.delay(failures))
        else:
            raise NetworkError(f"The download of {sha256[:12]}… was cut {MAX_DOWNLOAD_ROUNDS:,} times.")
        digest = hashlib.sha256()
        with partial.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != sha256:
            partial.unlink(missing_ok=True)
            raise ProtocolError(
                f"The file {sha256[:12]}… arrived damaged (its checksum differs); it will be fetched again."
            )
        os.replace(partial, destination)
        return destination

    def _download_range(self, sha256: str, partial: Path, have: int) -> None:
        headers = {"Range": f"bytes={have}-"} if have else {}
        response = self._send(
            "GET", f"{p.API_PREFIX}/blobs/{sha256}", headers=headers, stream=True, retries=False
        )
        if response.status_code == 416:  # we have it all already (only if we had some: else a broken server)
            if have:
                return
            raise ProtocolError(f"The server refused to send the file {sha256[:12]}… from its start.")
        if response.status_code not in (200, 206):
            self._raise_for(response)
        if not _framed(response):
            response.close()
            raise NetworkError(f"The answer for {sha256[:12]}… was cut in its head.")
        mode = "ab" if response.status_code == 206 and have else "wb"
        try:
            with partial.open(mode) as handle:
                # Small blocks: a cut loses the block being read, so little is fetched twice.
                for block in response.iter_content(DOWNLOAD_BLOCK_BYTES):
                    handle.write(block)
                    self.bytes_received += len(block)
        except requests.RequestException as exc:
            raise NetworkError(f"The download of {sha256[:12]}… was cut: {exc}") from exc

    # -- the plumbing ----------------------------------------------------------------

    def _call(self, method: str, path: str, model: type[ModelT], **options: Any) -> ModelT:
        """One request whose answer is ``model`` (validated)."""
        return self._parse(self._exchange(method, path, **options), model)

    def _call_void(self, method: str, path: str, **options: Any) -> None:
        """One request whose answer has no body."""
        self._exchange(method, path, **options)

    def _exchange(
        self,
        method: str,
        path: str,
        *,
        body: BaseModel | None = None,
        raw: bytes | None = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
        prefix: str = p.API_PREFIX,
        retries: bool = True,
    ) -> requests.Response:
        data = raw
        send_headers = dict(headers or {})
        if body is not None:
            data = body.model_dump_json().encode("utf-8")
            send_headers["Content-Type"] = "application/json"
            if len(data) > GZIP_ABOVE_BYTES:
                data = gzip.compress(data, compresslevel=6)
                send_headers["Content-Encoding"] = "gzip"
        response = self._send(
            method, prefix + path, data=data, params=params, headers=send_headers, auth=auth, retries=retries
        )
        if response.status_code >= 400:
            self._raise_for(response)
        return response

    def _send(
        self,
        method: str,
        path: str,
        *,
        data: bytes | None = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
        stream: bool = False,
        retries: bool = True,
    ) -> requests.Response:
        send_headers = dict(headers or {})
        if auth:
            if not self.token:
                raise AuthError("Not signed in to the server.")
            send_headers["Authorization"] = f"Bearer {self.token}"
        attempts = self.retry.attempts if retries else 1
        last: Exception | None = None
        for attempt in range(1, attempts + 1):
            try:
                self.requests_made += 1
                self.bytes_sent += len(data or b"")
                response = self.http.request(
                    method,
                    self.base_url + path,
                    data=data,
                    params=params,
                    headers=send_headers,
                    timeout=self.timeout,
                    verify=self.verify,
                    stream=True,
                )
            except requests.exceptions.SSLError as exc:
                raise InsecureTransportError(f"The server's certificate cannot be trusted: {exc}") from exc
            except (requests.ConnectionError, requests.Timeout) as exc:
                last = exc
            else:
                if response.status_code not in RETRY_STATUSES or attempt == attempts:
                    if stream:
                        return response
                    try:
                        self._read_capped(response)
                        return response
                    except NetworkError as exc:  # the answer was cut: as retryable as no answer
                        last = exc
                else:
                    response.close()
                    last = None
            if attempt < attempts:
                delay = self.retry.delay(attempt)
                logger.info(
                    "%s %s failed (%s); retry %d in %.1f s", method, path, last or "busy", attempt, delay
                )
                self.retry.sleep(delay)
        raise NetworkError(f"The server at {self.base_url} could not be reached: {last}")

    def _read_capped(self, response: requests.Response) -> None:
        """Read the whole body now, refusing one larger than MAX_RESPONSE_BYTES."""
        if not _framed(response):
            response.close()
            raise NetworkError(f"The answer from {self.base_url} was cut in its head.")
        chunks = []
        total = 0
        try:
            for chunk in response.iter_content(1 << 16):
                total += len(chunk)
                if total > MAX_RESPONSE_BYTES:
                    response.close()
                    raise ProtocolError("The server's answer is far too large; it is not an Imbizo server.")
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise NetworkError(f"The answer from {self.base_url} was cut: {exc}") from exc
        response._content = b"".join(chunks)  # requests' documented cache of the body
        self.bytes_received += total

    def _parse(self, response: requests.Response, model: type[ModelT]) -> ModelT:
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            errors = exc.errors()
            where = ".".join(str(part) for part in errors[0]["loc"]) if errors else "body"
            what = errors[0]["msg"] if errors else "invalid"
            raise ProtocolError(f"The server's answer is not valid ({where}: {what}).") from exc

    def _raise_for(self, response: requests.Response) -> None:
        status = response.status_code
        code, message = _error_of(response)
        if status == 426 or code == "outdated_client":
            raise OutdatedClientError(
                message or "This version of Imbizo is too old for the server: please update."
            )
        if status == 401:
            raise AuthError(message or "The session with the server ended: sign in again.")
        if status in RETRY_STATUSES:
            raise NetworkError(message or f"The server is busy (HTTP {status}); try again later.")
        raise ServerRefused(
            status, code or f"http_{status}", message or f"The server refused (HTTP {status})."
        )


def _framed(response: requests.Response) -> bool:
    """Whether the answer says where its body ends (Content-Length or chunked), as every answer
    of the server does. A head cut before that line still parses (http.client takes the end
    of the stream for the end of the head), and its body would read as empty: a cut, not an answer.
    """
    if response.status_code in (204, 304) or response.request.method == "HEAD":
        return True
    headers = response.headers
    return "content-length" in headers or "chunked" in headers.get("transfer-encoding", "").lower()


def _error_of(response: requests.Response) -> tuple[str, str]:
    """(code, message) of an error answer, tolerating answers that are not ErrorBody."""
    try:
        data = json.loads(response.content or b"{}")
        error = p.ErrorBody.model_validate(data)
    except (ValueError, ValidationError, RecursionError):  # RecursionError: JSON nested too deep
        return "", ""
    return error.error, error.message
