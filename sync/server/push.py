"""``POST /sync/push``: each change in its own transaction, answered once and the same on every retry.

The steps of PROTOCOL.md "Push": a change id seen before gets its stored result (unless
it comes with other content: then it is no retry, and the answer is a conflict); the
version is validated; a record new to the server is a first push; a stale base is a
conflict; otherwise the edit rules decide between storing, proposing and refusing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from dataclasses import replace
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from sync.protocol import (
    MAX_PAYLOAD_BYTES,
    OVERTAKEN_CODE,
    Envelope,
    PushChange,
    PushOutcome,
    PushRequest,
    PushResponse,
    PushResult,
    RecordVersion,
    ReviewStep,
    Status,
    Visibility,
)
from sync.server.access import (
    COMMUNITY_POST_KINDS,
    Access,
    Actor,
    EditDecision,
    edit_decision,
    first_push,
    may_move,
    may_set_authors,
    status_change_allowed,
    visible,
)
from sync.server.auth import Principal
from sync.server.db import Database, utc_now
from sync.server.history import moved_out_of_sight, utc_text
from sync.server.models import Blob, PushResultRow
from sync.server.records import (
    MAX_GENERATION,
    contains_nul,
    generation,
    get_row,
    json_depth,
    row_access,
    row_to_version,
    server_revision,
    store_version,
)
from sync.server.review_log import (
    ACTION_OF_STATUS,
    LogProblem,
    check_review_log,
    last_entry,
    unchanged_log_problem,
)

logger = logging.getLogger(__name__)

#: Deepest payload nesting accepted (a record's fields are shallow; deeper is an attack or a bug).
MAX_PAYLOAD_DEPTH = 32
#: Attempts of one change when the database reports a race (a concurrent first push, a deadlock).
_ATTEMPTS = 3
#: Key of the pushed version's fingerprint in a stored result (not part of the answer).
_PUSHED = "pushed_sha256"
#: Rejections the client cures and then retries under the same change id: never stored.
_CURABLE = frozenset({"missing_blob"})

# Built once and run as Core on the transaction's connection (see sync/server/records.py).
_STORED_RESULT = select(PushResultRow.user_id, PushResultRow.result).where(
    PushResultRow.change_id == bindparam("change_id")
)
_STORE_RESULT = insert(PushResultRow)
_BLOB_SIZES = select(Blob.sha256, Blob.size).where(Blob.sha256.in_(bindparam("wanted", expanding=True)))


class _Rejected(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def push(*, db: Database, principal: Principal, request: PushRequest) -> PushResponse:
    """Apply a batch of changes one by one; one change's outcome never undoes another's."""
    return PushResponse(results=[push_change(db=db, principal=principal, change=c) for c in request.changes])


def push_change(*, db: Database, principal: Principal, change: PushChange) -> PushResult:
    """Apply one change in its own transaction and store its result under its change id."""
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            with db.write_connection() as connection:
                stored = connection.execute(_STORED_RESULT, {"change_id": change.change_id}).one_or_none()
                if stored is not None:
                    if stored.user_id != principal.user_id:
                        # Never hand one user's stored answer (and record) to another.
                        return _result(
                            change, PushOutcome.REJECTED, code="invalid", reason="change id already used"
                        )
                    answer = dict(stored.result)
                    pushed = answer.pop(_PUSHED, None)
                    if pushed is not None and pushed != _fingerprint(change):
                        return _reused(connection, principal.actor, change)
                    return PushResult.model_validate(answer)
                result = _apply(connection, principal.actor, change)
                if result.code not in _CURABLE:
                    connection.execute(
                        _STORE_RESULT,
                        {
                            "change_id": change.change_id,
                            "user_id": principal.user_id,
                            "result": {**result.model_dump(mode="json"), _PUSHED: _fingerprint(change)},
                            "at": utc_now(),
                        },
                    )
            return result
        except (IntegrityError, OperationalError):
            if attempt == _ATTEMPTS:
                raise
            logger.info("push of change %s raced another writer; trying again", change.change_id)
    raise AssertionError("unreachable")


def _fingerprint(change: PushChange) -> str:
    """What a change id stands for: the version pushed under it (a retry sends the same one)."""
    version = change.record.model_dump(mode="json")
    return hashlib.sha256(json.dumps(version, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _reused(connection: Connection, actor: Actor, change: PushChange) -> PushResult:
    """A change id seen before, now with other content: not a retry, and never answered as if
    its content were stored (that loses it silently). Nothing is stored; the answer is a
    conflict with the server's current version, so the client merges and pushes again under a
    new change id (or a refusal, when the record is not there for the pusher)."""
    current = get_row(connection, change.record.envelope.id)
    if current is None or not visible(actor, row_access(current)):
        return _result(
            change, PushOutcome.REJECTED, code="conflict", reason="this change id was used for other content"
        )
    return _result(change, PushOutcome.CONFLICT, record=row_to_version(current))


def _result(
    change: PushChange,
    outcome: PushOutcome,
    *,
    record: RecordVersion | None = None,
    code: str = "",
    reason: str = "",
    review: ReviewStep | None = None,
) -> PushResult:
    return PushResult(
        change_id=change.change_id,
        outcome=outcome,
        record=record,
        code=code,
        reason=reason[:500],
        review=review,
    )


def _apply(connection: Connection, actor: Actor, change: PushChange) -> PushResult:
    version = change.record
    try:
        _validate(connection, version)
        current = get_row(connection, version.envelope.id, for_update=True)
        if current is None:
            return _first_push(connection, actor, change)
        return _update(connection, actor, change, current)
    except _Rejected as rejection:
        return _result(change, PushOutcome.REJECTED, code=rejection.code, reason=rejection.reason)


def _validate(connection: Connection, version: RecordVersion) -> None:
    envelope = version.envelope
    if not envelope.revision:
        raise _Rejected("invalid", "a pushed version needs a revision")
    if generation(envelope.revision) > MAX_GENERATION:
        raise _Rejected("invalid", "the revision's generation is too large")
    size = len(json.dumps(version.payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if size > MAX_PAYLOAD_BYTES:
        raise _Rejected(
            "too_large", f"the payload has {size} bytes; at most {MAX_PAYLOAD_BYTES} are accepted"
        )
    if json_depth(version.payload, limit=MAX_PAYLOAD_DEPTH) > MAX_PAYLOAD_DEPTH:
        raise _Rejected("invalid", f"the payload nests deeper than {MAX_PAYLOAD_DEPTH} levels")
    # Checked on every backend alike, so a version SQLite keeps is never one PostgreSQL refuses.
    if contains_nul(version.model_dump(mode="json")):
        raise _Rejected("invalid", "text in a record may not contain NUL characters")
    if envelope.visibility == Visibility.COMMUNITY and not envelope.community and not _in_thread(envelope):
        raise _Rejected("invalid", "a record visible to a community needs its community")
    _check_blobs(connection, version)


def _in_thread(envelope: Envelope) -> bool:
    """A question asked of named people, or an answer (the server gives it its question's
    community and people): it needs no community of its own."""
    return envelope.kind == "answer" or (envelope.kind in COMMUNITY_POST_KINDS and bool(envelope.reviewers))


def _linked(payload: dict[str, Any], relation: str) -> list[str]:
    """Target ids of the payload's links of one relation (the payload is checked for shape only)."""
    links = payload.get("links")
    if not isinstance(links, list):
        return []
    return [
        str(link["target_id"])
        for link in links
        if isinstance(link, dict)
        and link.get("relation") == relation
        and isinstance(link.get("target_id"), str)
    ]


def _question_of(connection: Connection, version: RecordVersion) -> Access | None:
    """For an answer, the access of the question it answers (None when it names none the server has)."""
    if version.envelope.kind != "answer":
        return None
    for question_id in _linked(version.payload, "answers")[:1]:
        row = get_row(connection, question_id)
        if row is not None:
            return row_access(row)
    return None


def _field(version: RecordVersion | None, name: str) -> Any:
    if version is None:
        return None
    fields = version.payload.get("fields")
    return fields.get(name) if isinstance(fields, dict) else None


def _check_answer_marks(
    connection: Connection, actor: Actor, version: RecordVersion, current: RecordVersion | None
) -> None:
    """The asker marks the accepted answer on the question (``accepted_answer``), naming one of
    its answers; an answer's own ``accepted`` flag is set by librarians only."""
    kind = version.envelope.kind
    changed_flag = bool(_field(version, "accepted")) != bool(_field(current, "accepted"))
    if kind == "answer" and changed_flag and not actor.is_librarian:
        raise _Rejected("forbidden", "the asker marks the accepted answer on the question, not on the answer")
    if kind != "question" or version.envelope.deleted:
        return
    by = _field(version, "accepted_by")
    if by != _field(current, "accepted_by") and by not in (None, "", actor.name):
        # Who changed the accepted answer is shown to others: nobody names someone else.
        raise _Rejected("invalid", "accepted_by names the person who changes the accepted answer")
    accepted = _field(version, "accepted_answer") or ""
    if accepted == (_field(current, "accepted_answer") or ""):
        return
    if not isinstance(accepted, str):
        raise _Rejected("invalid", "accepted_answer is the id of an answer")
    if current is not None and not (actor.is_librarian or actor.name == current.envelope.owner):
        raise _Rejected("forbidden", "only the person who asked, or a librarian, accepts an answer")
    if accepted:
        row = get_row(connection, accepted)
        answer = row_to_version(row) if row is not None else None
        if answer is None or answer.envelope.kind != "answer" or answer.envelope.deleted:
            raise _Rejected("invalid", "the accepted answer is not an answer the server has")
        if version.envelope.id not in _linked(answer.payload, "answers"):
            raise _Rejected("invalid", "the accepted answer answers another question")


def _check_blobs(connection: Connection, version: RecordVersion) -> None:
    wanted = {a.sha256 for a in version.attachments}
    if not wanted:
        return
    rows = connection.execute(_BLOB_SIZES, {"wanted": sorted(wanted)}).all()
    sizes = {sha: size for sha, size in rows}
    missing = sorted(wanted - sizes.keys())
    if missing:
        raise _Rejected("missing_blob", f"upload the attachment {missing[0]} first")
    for attachment in version.attachments:
        if sizes[attachment.sha256] != attachment.size:
            raise _Rejected("invalid", f"attachment {attachment.filename!r} has the wrong size")


def _first_push(connection: Connection, actor: Actor, change: PushChange) -> PushResult:
    version = change.record
    envelope = version.envelope
    question = _question_of(connection, version)
    pushed = Access.of(envelope, version.payload)
    decision = first_push(actor, pushed, envelope.id, question)
    if not decision.allowed:
        raise _Rejected("forbidden", decision.reason)
    if not envelope.deleted:
        as_draft = replace(pushed, owner=actor.name, status=Status.DRAFT)
        _check_log(check_review_log(actor, as_draft, None, version.payload, envelope.status, first=True))
    _check_answer_marks(connection, actor, version, None)
    update: dict[str, Any] = {
        "owner": actor.name,
        "status": decision.status,
        "visibility": decision.visibility,
    }
    if decision.community is not None:
        update["community"] = decision.community
    if decision.reviewers is not None:
        update["reviewers"] = list(decision.reviewers)
    wanted = envelope.model_copy(update=update)
    stored = _with_envelope(version, wanted)
    row = store_version(connection, version=stored, existing=None, user_name=actor.name, action="create")
    return _result(change, PushOutcome.ACCEPTED, record=row_to_version(row))


def _update(connection: Connection, actor: Actor, change: PushChange, current: Any) -> PushResult:
    version = change.record
    access = row_access(current)
    if not visible(actor, access):
        overtaking = _overtaking_step(connection, actor, change, current)
        if overtaking is not None:
            return _overtaken(change, overtaking)
        raise _Rejected("not_found", "there is no such record")
    if current.kind != version.envelope.kind:
        raise _Rejected("invalid", "a record cannot change its kind")
    if version.envelope.revision == current.revision:
        # The server already has this very version (a push retried under a new change id).
        return _result(change, PushOutcome.ACCEPTED, record=row_to_version(current))
    if change.base_revision != current.revision:
        return _result(change, PushOutcome.CONFLICT, record=row_to_version(current))
    decision = edit_decision(actor, access, current.id)
    if decision == EditDecision.DENY:
        raise _Rejected("forbidden", "you may not edit this record")
    if decision == EditDecision.PROPOSE:
        return _propose(connection, actor, change, current)
    _check_answer_marks(connection, actor, version, row_to_version(current))
    wanted = _allowed_envelope(actor, access, version.envelope)
    if not wanted.deleted:
        _check_log(check_review_log(actor, access, current.payload, version.payload, wanted.status))
    stored = _with_envelope(version, wanted)
    action = _action(access, stored.envelope)
    row = store_version(connection, version=stored, existing=current, user_name=actor.name, action=action)
    return _result(change, PushOutcome.ACCEPTED, record=row_to_version(row))


def _overtaking_step(
    connection: Connection, actor: Actor, change: PushChange, current: Any
) -> ReviewStep | None:
    """The review step that took a record out of a librarian's sight after the version they built on.

    A librarian reviewing a submission another librarian returned (or reopened) meanwhile may no
    longer read it; they did read the version their push was made on, so telling them who acted
    first, and the comment, leaks nothing they did not know. Everyone else, and a base they never
    read, gets not_found as before (no one learns of a record they may not know exists).
    """
    if not actor.is_librarian or current.deleted:
        return None
    moved = moved_out_of_sight(connection, actor, current.id, change.base_revision)
    if moved is None:
        return None
    entry = last_entry(current.payload)
    if entry is not None and entry["action"] == ACTION_OF_STATUS.get(Status(current.status)):
        return ReviewStep(
            action=entry["action"], by=entry["by"][:64], at=entry["at"][:40], comment=entry.get("comment", "")
        )
    # An older client wrote no review entry: the server's own history says who and when.
    return ReviewStep(
        action=ACTION_OF_STATUS[Status(current.status)], by=moved.user_name, at=utc_text(moved.at)
    )


def _overtaken(change: PushChange, step: ReviewStep) -> PushResult:
    """Refuse a change another person's step overtook: who, what, when and their comment, no payload."""
    # The comment last: a long one is cut at the reason's limit, never the sentence before it.
    said = f" Their comment: “{step.comment}”" if step.comment else ""
    reason = (
        f"{step.by} {step.action} this record first ({step.at[:16].replace('T', ' ')} UTC): it is "
        f"with its authors now, and your change was not stored.{said}"
    )
    return _result(change, PushOutcome.REJECTED, code=OVERTAKEN_CODE, reason=reason, review=step)


def _allowed_envelope(actor: Actor, current: Access, pushed: Envelope) -> Envelope:
    """The pushed envelope with what the pusher may not set put back to the server's values."""
    if pushed.deleted and not current.deleted:
        # A deletion is only a deletion: the tombstone keeps its last live version's access.
        return pushed.model_copy(update=_access_fields(current))
    if not status_change_allowed(actor, current, pushed.status):
        raise _Rejected(
            "forbidden", f"you may not change the status from {current.status} to {pushed.status}"
        )
    update: dict[str, Any] = {}
    if not (actor.is_librarian and pushed.owner):
        update["owner"] = current.owner
    if not may_set_authors(actor, current):
        update["co_authors"] = list(current.co_authors)
        update["reviewers"] = list(current.reviewers)
    if not may_move(actor, current):
        update["community"] = current.community
        update["visibility"] = current.visibility
    return pushed.model_copy(update=update)


def _check_log(problem: LogProblem | None) -> None:
    if problem is not None:
        raise _Rejected(problem.code, problem.reason)


def _access_fields(access: Access) -> dict[str, Any]:
    return {
        "owner": access.owner,
        "co_authors": list(access.co_authors),
        "reviewers": list(access.reviewers),
        "community": access.community,
        "status": access.status,
        "visibility": access.visibility,
    }


def _with_envelope(version: RecordVersion, wanted: Envelope) -> RecordVersion:
    """``version`` with the envelope the server decided; a changed envelope gets a server revision."""
    wanted = Envelope.model_validate(wanted.model_dump())
    if wanted == version.envelope:
        return version
    changed = version.model_copy(update={"envelope": wanted})
    return server_revision(changed, base_generation=generation(version.envelope.revision))


def _action(before: Access, after: Envelope) -> str:
    if after.deleted and not before.deleted:
        return "delete"
    if before.deleted and not after.deleted:
        return "restore"
    if after.status != before.status:
        return {
            Status.SUBMITTED: "submit",
            Status.PUBLISHED: "publish",
            Status.RETURNED: "return",
            Status.RETIRED: "retire",
            Status.DRAFT: "reopen",
        }[after.status]
    return "edit"


def _propose(connection: Connection, actor: Actor, change: PushChange, current: Any) -> PushResult:
    """Keep the pushed content as a submitted proposal that ``revises`` the published record."""
    version = change.record
    if version.envelope.deleted:
        raise _Rejected("forbidden", "only librarians delete a published record")
    _check_log(unchanged_log_problem(current.payload, version.payload))
    links = version.payload.get("links", [])
    if not isinstance(links, list):
        raise _Rejected("invalid", "the payload's links must be a list")
    proposal_id = str(uuid.uuid5(uuid.UUID(current.id), change.change_id))
    payload = dict(version.payload)
    payload["links"] = [*links, {"relation": "revises", "target_id": current.id, "note": ""}]
    envelope = Envelope(
        id=proposal_id,
        kind=version.envelope.kind,
        owner=actor.name,
        community=current.community,
        status=Status.SUBMITTED,
        visibility=Visibility(current.visibility),
        revision="",
        updated_at=version.envelope.updated_at,
    )
    proposal = server_revision(
        RecordVersion(envelope=envelope, payload=payload, attachments=list(version.attachments)),
        base_generation=0,
    )
    existing = get_row(connection, proposal_id)
    if existing is None:
        store_version(connection, version=proposal, existing=None, user_name=actor.name, action="propose")
    return _result(change, PushOutcome.PROPOSED, record=row_to_version(current))
