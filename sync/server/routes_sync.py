"""Routes: push, pull, digest, index, reconciliation done, and single records."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from sync.protocol import (
    DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
    REVIEW_STEP_PROTOCOL,
    UUID_PATTERN,
    DigestResponse,
    HistoryResponse,
    IndexPage,
    PendingSummary,
    PullResponse,
    PushRequest,
    PushResponse,
    RecordVersion,
)
from sync.server import feed, history
from sync.server.deps import ContextDep, PrincipalDep, ProtocolDep
from sync.server.push import push as push_changes
from sync.server.responses import SIGNED_IN, WITH_BODY, errors, json_answer

router = APIRouter(tags=["sync"])

#: Feed positions are sequence numbers (64-bit in the database).
_MAX_CURSOR = 2**62
Cursor = Annotated[int, Query(ge=0, le=_MAX_CURSOR, description="Sequence of the last feed entry looked at")]
#: What a push answer holds that clients before REVIEW_STEP_PROTOCOL do not know (they refuse it).
_NEWER_PUSH_FIELDS = {"results": {"__all__": {"review"}}}


@router.post("/sync/push", response_model=PushResponse, responses=errors(*SIGNED_IN, *WITH_BODY))
def push(body: PushRequest, principal: PrincipalDep, context: ContextDep, protocol: ProtocolDep) -> Response:
    """Apply local changes in order; each is accepted, a conflict, rejected, or kept as a proposal."""
    answer = push_changes(db=context.db, principal=principal, request=body)
    return json_answer(answer, exclude=None if protocol >= REVIEW_STEP_PROTOCOL else _NEWER_PUSH_FIELDS)


@router.get("/sync/pull", response_model=PullResponse, responses=errors(*SIGNED_IN))
def pull(
    principal: PrincipalDep,
    context: ContextDep,
    cursor: Cursor = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
) -> Response:
    """The feed after ``cursor``: what the user may read, in sequence order, and removals."""
    return json_answer(feed.pull(db=context.db, principal=principal, cursor=cursor, limit=limit))


@router.get("/sync/pending", response_model=PendingSummary, responses=errors(*SIGNED_IN))
def pending(principal: PrincipalDep, context: ContextDep, cursor: Cursor = 0) -> Response:
    """What a pull from ``cursor`` would bring: entries, deletions among them, and the latest sequence."""
    return json_answer(feed.pending(db=context.db, principal=principal, cursor=cursor))


@router.get("/sync/digest", response_model=DigestResponse, responses=errors(*SIGNED_IN))
def digest(principal: PrincipalDep, context: ContextDep) -> Response:
    """Counts and digests per kind of the live records the user may read."""
    return json_answer(feed.digest(db=context.db, principal=principal, blobs=context.blobs))


@router.get("/sync/index", response_model=IndexPage, responses=errors(*SIGNED_IN))
def index(
    principal: PrincipalDep,
    context: ContextDep,
    after: Annotated[str | None, Query(pattern=UUID_PATTERN, description="Continue after this id")] = None,
) -> Response:
    """A page of (id, revision) of every record the user may read, in id order."""
    return json_answer(feed.index_page(db=context.db, principal=principal, after=after or ""))


@router.post("/sync/resynced", status_code=204, responses=errors(404, *SIGNED_IN))
def resynced(principal: PrincipalDep, context: ContextDep, cursor: Cursor) -> Response:
    """The device finished a reconciliation against an index read at ``cursor``."""
    feed.mark_resynced(db=context.db, principal=principal, cursor=cursor)
    return Response(status_code=204)


@router.get("/records/{record_id}", response_model=RecordVersion, responses=errors(404, *SIGNED_IN))
def get_record(
    record_id: Annotated[str, Path(pattern=UUID_PATTERN)], principal: PrincipalDep, context: ContextDep
) -> Response:
    """The server's current version of a record the user may read."""
    return json_answer(feed.get_record(db=context.db, principal=principal, record_id=record_id))


@router.get("/records/{record_id}/history", response_model=HistoryResponse, responses=errors(404, *SIGNED_IN))
def get_record_history(
    record_id: Annotated[str, Path(pattern=UUID_PATTERN)], principal: PrincipalDep, context: ContextDep
) -> Response:
    """Who stored each version of a record the user may read, what it did (create, submit, ...) and when."""
    return json_answer(history.record_history(db=context.db, principal=principal, record_id=record_id))
