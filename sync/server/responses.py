"""The error answers each route declares, so the OpenAPI schema documents every status it can give."""

from __future__ import annotations

from typing import Any

from fastapi import Response
from pydantic import BaseModel

from sync.protocol import ErrorBody, UploadState

_DESCRIPTIONS = {
    400: "Malformed body (bad gzip, unreadable JSON)",
    401: "Not signed in, or the token does not work (`auth_required`, `bad_token`)",
    403: "Allowed to read, not to do this (`forbidden`)",
    404: "No such object, or not one the caller may know of (`not_found`)",
    409: "Conflict",
    413: "Body or file too large (`too_large`)",
    415: "Content-Encoding other than gzip",
    416: "Range outside the file",
    422: "Invalid request (`invalid`)",
    426: "Missing or outdated Imbizo-Protocol header (`outdated_client`)",
    429: "Too many failed sign-ins (`throttled`)",
}

#: Statuses every API route may answer.
COMMON = (422, 426)
#: Statuses of routes that need a token.
SIGNED_IN = (401, *COMMON)
#: Statuses of routes with a request body (read by BodyLimitMiddleware).
WITH_BODY = (400, 413, 415)


def errors(*statuses: int, descriptions: dict[int, str] | None = None) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: ErrorBody for each status."""
    overrides = descriptions or {}
    return {
        status: {"model": ErrorBody, "description": overrides.get(status, _DESCRIPTIONS[status])}
        for status in sorted(set(statuses))
    }


def upload_conflict() -> dict[int | str, dict[str, Any]]:
    """409 of a chunk at the wrong offset: the upload's state, to resume from."""
    return {409: {"model": UploadState, "description": "Wrong Upload-Offset: the state to resume from"}}


def json_answer(model: BaseModel, *, exclude: Any = None) -> Response:
    """``model`` as the JSON answer FastAPI would make of it (``response_model`` still documents it).

    A plain ``def`` route that returns a model has FastAPI validate it again in a worker thread
    before it serializes it: one more thread hop per request, for a model the route has just
    built. A Response is sent as it is. ``exclude``: fields left out (what an older client does not know).
    """
    return Response(
        content=model.model_dump_json(by_alias=True, exclude=exclude), media_type="application/json"
    )
