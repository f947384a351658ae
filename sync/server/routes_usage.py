"""Routes: usage events in, the dashboard's summary out."""

from __future__ import annotations

from fastapi import APIRouter, Response

from sync.protocol import UsageSummary, UsageUpload, UsageUploadResult
from sync.server import usage
from sync.server.deps import ContextDep, PrincipalDep
from sync.server.responses import SIGNED_IN, WITH_BODY, errors, json_answer

router = APIRouter(prefix="/usage", tags=["usage"])


@router.post("/events", response_model=UsageUploadResult, responses=errors(*SIGNED_IN, *WITH_BODY))
def upload_events(body: UsageUpload, principal: PrincipalDep, context: ContextDep) -> Response:
    """Store the signed-in user's usage events; an event id seen before is not stored again."""
    return json_answer(usage.store_events(db=context.db, principal=principal, upload=body))


@router.get("/summary", response_model=UsageSummary, responses=errors(*SIGNED_IN))
def get_summary(principal: PrincipalDep, context: ContextDep) -> Response:
    """The dashboard's summary: one's own use (staff), or everyone's aggregated (librarians, admins)."""
    return json_answer(usage.summary(db=context.db, principal=principal))
