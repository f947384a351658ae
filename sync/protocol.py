"""The wire format shared by the sync client and the central server: the contract.

Both sides import these pydantic models: the server declares them as its request and
response bodies (so its OpenAPI schema is this file), and the client validates every
answer with them before anything reaches the local store (a server that answers
garbage gets a clear error, never a half-applied batch).

The shape, as in DESIGN.md:

- A **record version** is an *envelope* (what the server needs to authorize and order:
  id, kind, owner, co-authors, reviewers, community, status, visibility, revision,
  parent revision, deleted) and a *payload* (the domain fields, tags, links and source),
  which the server checks for size and shape only.
- **Push**: a batch of changes, each with a client-made ``change_id`` (a retry is a
  no-op: the server answers with the result it stored the first time) and the
  ``base_revision`` it was made on. Each is accepted, answered with a conflict (and the
  server's current version), or rejected with a reason a person can read.
- **Pull**: a change feed by server sequence, filtered to what the user may see:
  ``{changes, cursor, has_more}``. An entry carries a record version, or ``removed``: the
  record is no longer visible to this user (access changed). Removals are not deletions.
  ``resync`` asks the client for a full reconciliation against :class:`IndexPage`
  (after a change of role or membership, or when the client is past the server's horizon).
- **Digest**: counts and an order-independent digest per kind, to check a sync.
- **Blobs**: attachment bytes by sha256, uploaded in chunks that resume at the server's offset.

Every request carries the protocol version in the ``Imbizo-Protocol`` header; a client
older than :data:`MIN_CLIENT_PROTOCOL` gets HTTP 426 with a "please update" message.
"""

from __future__ import annotations

import hashlib
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

PROTOCOL_VERSION = 2
#: The oldest client protocol the server still serves.
MIN_CLIENT_PROTOCOL = 1
#: The first protocol whose push results may carry ``review`` (older clients refuse a field they
#: do not know, so the server leaves it out of its answers to them).
REVIEW_STEP_PROTOCOL = 2
PROTOCOL_HEADER = "Imbizo-Protocol"
API_PREFIX = "/api/v1"

#: Changes in one push (a batch stays well under 64 KB of JSON on a typical record).
MAX_PUSH_CHANGES = 50
#: The largest request body the server reads (bigger ones get 413 before they are parsed).
MAX_BODY_BYTES = 8 * 1024 * 1024
#: The largest payload of one record, in bytes of its JSON.
MAX_PAYLOAD_BYTES = 2 * 1024 * 1024
#: Feed entries in one pull, at most (the client asks for fewer on a slow link).
MAX_PULL_LIMIT = 500
DEFAULT_PULL_LIMIT = 100
#: Bytes of one attachment chunk.
CHUNK_BYTES = 256 * 1024
#: Entries of the id/revision index in one page.
INDEX_PAGE_SIZE = 2000

RECORD_KINDS = (
    "case_study",
    "article",
    "site_visit",
    "expert",
    "centre_item",
    "community",
    "question",
    "answer",
    "term",
    "request",
)

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
UUID_PATTERN = f"^{_UUID}$"
RecordId = Annotated[str, StringConstraints(pattern=UUID_PATTERN)]
Revision = Annotated[str, StringConstraints(pattern=r"^([0-9]{1,9}-[0-9a-f]{8,64})?$")]
UserName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
ChangeId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{8,64}$")]
ShortText = Annotated[str, StringConstraints(max_length=500)]

Kind = Literal[
    "case_study",
    "article",
    "site_visit",
    "expert",
    "centre_item",
    "community",
    "question",
    "answer",
    "term",
    "request",
]

_USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


class Role(StrEnum):
    """Server-wide roles."""

    STAFF = "staff"
    LIBRARIAN = "librarian"
    ADMIN = "admin"


class CommunityRole(StrEnum):
    """Roles within one community of practice."""

    MEMBER = "member"
    FACILITATOR = "facilitator"


class Status(StrEnum):
    """Workflow status of a record (the same values as desktop.core.records.Status)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    RETURNED = "returned"
    RETIRED = "retired"


class Visibility(StrEnum):
    """Who may read a published record."""

    EVERYONE = "everyone"
    COMMUNITY = "community"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Envelope(_Model):
    """What the server must know about a record version to authorize and order it."""

    id: RecordId
    kind: Kind
    owner: Annotated[str, StringConstraints(max_length=64)] = ""
    co_authors: Annotated[list[UserName], Field(max_length=50)] = []
    reviewers: Annotated[list[UserName], Field(max_length=20)] = []
    community: Annotated[str, StringConstraints(pattern=f"^({_UUID})?$")] = ""
    status: Status = Status.DRAFT
    visibility: Visibility = Visibility.EVERYONE
    revision: Revision
    parent_revision: Revision = ""
    deleted: bool = False
    updated_at: Annotated[str, StringConstraints(max_length=40)] = ""


class AttachmentRef(_Model):
    """A file attached to a record version; its bytes travel separately, by hash."""

    sha256: Sha256
    filename: Annotated[str, StringConstraints(max_length=255)]
    media_type: Annotated[str, StringConstraints(max_length=127)] = "application/octet-stream"
    size: Annotated[int, Field(ge=0)]


class RecordVersion(_Model):
    """One version of a record: envelope, payload and the files it refers to."""

    envelope: Envelope
    payload: dict[str, Any]
    attachments: Annotated[list[AttachmentRef], Field(max_length=200)] = []


class PushChange(_Model):
    """One local change: a new version made on ``base_revision`` ("" for a record new to the server)."""

    change_id: ChangeId
    base_revision: Revision
    record: RecordVersion


class PushRequest(_Model):
    """A batch of changes, applied one by one (one change's outcome never undoes another's)."""

    changes: Annotated[list[PushChange], Field(max_length=MAX_PUSH_CHANGES)]


class PushOutcome(StrEnum):
    """What the server did with one pushed change."""

    ACCEPTED = "accepted"  # stored; ``record`` is the version as stored (the server may set status)
    CONFLICT = "conflict"  # the server moved on since ``base_revision``; ``record`` is its current version
    REJECTED = "rejected"  # refused for good; ``reason`` says why (a retry gets the same answer)
    PROPOSED = "proposed"  # a published record edited by someone who may not publish: kept as a proposal


#: The rejection code of a change another person's overtook: the record moved out of the
#: pusher's sight (a librarian returned what the pusher was reviewing). Not lost: nothing waits.
OVERTAKEN_CODE = "overtaken"


class ReviewStep(_Model):
    """One entry of a record's review history (``fields.review_log``), alone: no payload with it."""

    action: Annotated[str, StringConstraints(max_length=40)]
    by: Annotated[str, StringConstraints(max_length=64)]
    at: Annotated[str, StringConstraints(max_length=40)] = ""
    comment: Annotated[str, StringConstraints(max_length=4000)] = ""


class PushResult(_Model):
    """The outcome of one change, with the same ``change_id``."""

    change_id: ChangeId
    outcome: PushOutcome
    record: RecordVersion | None = None
    code: Annotated[str, StringConstraints(max_length=40)] = ""
    reason: ShortText = ""
    #: With code ``overtaken``: the step that took the record out of the pusher's sight
    #: (sent to clients of REVIEW_STEP_PROTOCOL and later only).
    review: ReviewStep | None = None


class PushResponse(_Model):
    """One result per pushed change, in the order pushed."""

    results: list[PushResult]


class FeedEntry(_Model):
    """One change of the feed: a record version, or a removal (no longer visible; not a deletion)."""

    seq: Annotated[int, Field(ge=1)]
    record: RecordVersion | None = None
    removed: RecordId | None = None


class PullResponse(_Model):
    """A page of the feed after the client's cursor."""

    changes: list[FeedEntry]
    cursor: Annotated[int, Field(ge=0)]
    has_more: bool
    resync: bool = False


class PendingSummary(_Model):
    """What a pull from ``cursor`` would bring, counted before anything is applied.

    ``deletions`` counts tombstones of records the user may see; removals (access changes)
    are not deletions. The client's deletion fail-safe and its progress bar read it.
    """

    cursor: Annotated[int, Field(ge=0)]
    changes: Annotated[int, Field(ge=0)]
    deletions: Annotated[int, Field(ge=0)]
    latest: Annotated[int, Field(ge=0)]
    #: The server database's identity: new when it is created or restored from a backup.
    server_id: Annotated[str, StringConstraints(pattern=r"^([0-9a-f]{16})?$")] = ""


class KindDigest(_Model):
    """Live records of one kind that the user may see: how many, and a digest of (id, revision)."""

    count: Annotated[int, Field(ge=0)]
    digest: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class DigestResponse(_Model):
    """Per-kind counts and digests, as of ``cursor``.

    ``files``: the distinct attachment files the live records refer to, as
    :func:`file_digest` of (sha256, size), counting only files the server holds intact.
    """

    cursor: Annotated[int, Field(ge=0)]
    kinds: dict[str, KindDigest]
    files: KindDigest | None = None


class IndexEntry(_Model):
    """A record the user may see, with its current revision (deleted ones included)."""

    id: RecordId
    revision: Revision
    deleted: bool = False


class IndexPage(_Model):
    """A page of the visible records in id order; ``next_after`` continues it."""

    entries: list[IndexEntry]
    next_after: RecordId | None = None
    cursor: Annotated[int, Field(ge=0)]


#: The most entries ``GET /records/{id}/history`` answers (the latest ones).
MAX_HISTORY_ENTRIES = 500


class HistoryEntry(_Model):
    """One version the server stored of a record: who stored it, what it did, and when (UTC)."""

    seq: Annotated[int, Field(ge=1)]
    revision: Revision
    user: Annotated[str, StringConstraints(max_length=64)]
    #: create, edit, submit, publish, return, retire, reopen, delete, restore or propose.
    action: Annotated[str, StringConstraints(max_length=40)]
    at: Annotated[str, StringConstraints(max_length=40)]


class HistoryResponse(_Model):
    """A record's history on the server, oldest first (at most the latest ``MAX_HISTORY_ENTRIES``)."""

    entries: list[HistoryEntry]


class LoginRequest(_Model):
    """Sign in with a user name and password."""

    username: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]
    #: The client's profile: access changes are caught up per device, and a profile belongs to one user.
    device_id: RecordId
    device_name: Annotated[str, StringConstraints(max_length=100)] = ""


class UserInfo(_Model):
    """Who a token belongs to, and what they may do."""

    name: UserName
    role: Role
    communities: dict[str, CommunityRole] = {}


class LoginResponse(_Model):
    """An opaque bearer token, its expiry (UTC, ISO 8601) and the user."""

    token: Annotated[str, StringConstraints(min_length=20, max_length=200)]
    expires_at: Annotated[str, StringConstraints(max_length=40)]
    user: UserInfo


class PasswordChange(_Model):
    """Change one's own password (every other session of the user ends)."""

    old_password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]
    new_password: Annotated[str, StringConstraints(min_length=10, max_length=1024)]


class MembershipChange(_Model):
    """Add a user to a community (or change their role there)."""

    user: UserName
    role: CommunityRole = CommunityRole.MEMBER


class UploadStart(_Model):
    """Start (or resume) the upload of a blob."""

    sha256: Sha256
    size: Annotated[int, Field(ge=0)]


class UploadState(_Model):
    """Where an upload stands: the next byte the server wants, and whether the blob is complete."""

    upload_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{16,64}$")]
    sha256: Sha256
    size: Annotated[int, Field(ge=0)]
    offset: Annotated[int, Field(ge=0)]
    complete: bool


#: Usage events in one upload, at most (a batch of 500 is about 60 KB of JSON).
MAX_USAGE_EVENTS = 500
#: The dashboard's lists (most used, search terms, gaps, stale items) hold at most this many rows.
USAGE_TOP = 25
#: Activity rows (group x month) a summary holds at most.
MAX_USAGE_ACTIVITY = 2000
#: The group that sums the communities or districts beyond the busiest ones a summary names.
USAGE_OTHERS = "<others>"
UsageEventKind = Literal["view", "search", "helped", "unhelped"]
_ISO_TIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})$"


class UsageEventIn(_Model):
    """One usage event as the client recorded it: ``id`` is client-made (a retried upload is a no-op).

    ``view``, ``helped`` and ``unhelped`` name a record; ``search`` carries its normalized query and
    how many hits it found (0: a search that found nothing, a gap).
    """

    id: RecordId
    kind: UsageEventKind
    at: Annotated[str, StringConstraints(pattern=_ISO_TIME, max_length=40)]
    record_id: RecordId | None = None
    query: Annotated[str, StringConstraints(max_length=200)] = ""
    hits: Annotated[int, Field(ge=0, le=10_000_000)] = 0


class UsageUpload(_Model):
    """A batch of usage events."""

    events: Annotated[list[UsageEventIn], Field(max_length=MAX_USAGE_EVENTS)]


class UsageUploadResult(_Model):
    """How many events were new, how many the server had already (sent again after a cut), and how
    many it ignored (a view naming no record, a search with no query, a time that is no date)."""

    stored: Annotated[int, Field(ge=0)]
    duplicates: Annotated[int, Field(ge=0)]
    ignored: Annotated[int, Field(ge=0)] = 0


class UsageRecordCount(_Model):
    """How much one record was used: views, and people whose "this helped me" mark stands."""

    id: RecordId
    views: Annotated[int, Field(ge=0)] = 0
    people: Annotated[int, Field(ge=0)] = 0
    helped: Annotated[int, Field(ge=0)] = 0


class UsageTerm(_Model):
    """A search term: how often it was searched, by how many people, and how often it found nothing."""

    term: Annotated[str, StringConstraints(max_length=200)]
    searches: Annotated[int, Field(ge=0)]
    people: Annotated[int, Field(ge=0)]
    zero_hits: Annotated[int, Field(ge=0)] = 0


class UsageActivity(_Model):
    """Events in one month (``YYYY-MM``) of one group (a community's id, or a district's name)."""

    group: Annotated[str, StringConstraints(max_length=200)]
    period: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}$")]
    events: Annotated[int, Field(ge=0)]


class UsageTotals(_Model):
    """Counts over the summary's period."""

    views: Annotated[int, Field(ge=0)] = 0
    searches: Annotated[int, Field(ge=0)] = 0
    zero_hit_searches: Annotated[int, Field(ge=0)] = 0
    helped: Annotated[int, Field(ge=0)] = 0
    people: Annotated[int, Field(ge=0)] = 0


class UsageSummary(_Model):
    """What the dashboard shows, scoped by role: ``own`` (staff: their own use) or ``everyone``
    (librarians and admins: everyone's, aggregated; a search term only when at least
    ``min_people`` different people searched it, so no one's individual searches show).

    Record ids only: the client names them from its own copies. ``stale``: published knowledge
    not changed and not opened by anyone for a year (for staff: their own records), oldest first.
    """

    scope: Literal["own", "everyone"]
    generated_at: Annotated[str, StringConstraints(max_length=40)]
    since: Annotated[str, StringConstraints(max_length=40)]
    min_people: Annotated[int, Field(ge=1)] = 2
    totals: UsageTotals = UsageTotals()
    top_records: Annotated[list[UsageRecordCount], Field(max_length=USAGE_TOP)] = []
    search_terms: Annotated[list[UsageTerm], Field(max_length=USAGE_TOP)] = []
    gaps: Annotated[list[UsageTerm], Field(max_length=USAGE_TOP)] = []
    communities: Annotated[list[UsageActivity], Field(max_length=MAX_USAGE_ACTIVITY)] = []
    districts: Annotated[list[UsageActivity], Field(max_length=MAX_USAGE_ACTIVITY)] = []
    stale: Annotated[list[RecordId], Field(max_length=USAGE_TOP * 2)] = []
    stale_count: Annotated[int, Field(ge=0)] = 0


class ErrorBody(_Model):
    """Every error answer: a stable code for the client and a message for the person."""

    error: Annotated[str, StringConstraints(max_length=40)]
    message: ShortText


class Health(_Model):
    """For monitoring."""

    status: Literal["ok", "degraded"]
    protocol: int
    min_client_protocol: int
    version: str
    database: str


def row_digest(record_id: str, revision: str) -> int:
    """The digest contribution of one record (an int, summed mod 2**256 so order never matters)."""
    return int.from_bytes(hashlib.sha256(f"{record_id}:{revision}".encode()).digest(), "big")


def file_digest(sha256: str, size: int) -> int:
    """The digest contribution of one attachment file (summed like :func:`row_digest`)."""
    return row_digest(sha256, str(size))


def combine_digests(values: list[int] | tuple[int, ...] | Any) -> str:
    """The hex digest of a set of rows: the sum of their :func:`row_digest` values mod 2**256."""
    total = 0
    for value in values:
        total = (total + value) % (1 << 256)
    return f"{total:064x}"


def valid_user_name(name: str) -> bool:
    """True for a name the server accepts for an account."""
    return bool(_USER_NAME.fullmatch(name))
