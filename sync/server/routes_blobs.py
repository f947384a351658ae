"""Routes: chunked, resumable blob uploads and downloads with Range."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Header, Path, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from sync.protocol import UploadStart, UploadState
from sync.server import blobs
from sync.server.deps import ContextDep, PrincipalDep
from sync.server.filenames import content_disposition
from sync.server.responses import SIGNED_IN, WITH_BODY, errors, upload_conflict

router = APIRouter(tags=["blobs"])

_SHA256 = r"^[0-9a-f]{64}$"
_UPLOAD_ID = r"^[A-Za-z0-9_-]{16,64}$"
_STREAM_BYTES = 64 * 1024
_BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.post(
    "/blobs/uploads",
    response_model=UploadState,
    responses=errors(
        *SIGNED_IN, *WITH_BODY, descriptions={413: "The file is larger than the server accepts"}
    ),
)
def start_upload(body: UploadStart, principal: PrincipalDep, context: ContextDep) -> UploadState:
    """Start or resume an upload; ``complete`` at once when the server already has the blob."""
    return blobs.start_upload(
        db=context.db, store=context.blobs, settings=context.settings, principal=principal, start=body
    )


@router.put(
    "/blobs/uploads/{upload_id}",
    response_model=UploadState,
    responses={
        **errors(
            404, *SIGNED_IN, *WITH_BODY, descriptions={422: "Invalid request, or the SHA-256 does not match"}
        ),
        **upload_conflict(),
    },
    openapi_extra={"requestBody": {"required": True, "content": {"application/octet-stream": _BINARY}}},
)
async def upload_chunk(
    upload_id: Annotated[str, Path(pattern=_UPLOAD_ID)],
    offset: Annotated[int, Header(alias="Upload-Offset", ge=0, le=2**62)],
    request: Request,
    principal: PrincipalDep,
    context: ContextDep,
) -> Response | UploadState:
    """Append one chunk at the server's offset; the last one completes the blob (its hash is checked)."""
    data = await request.body()

    def write() -> UploadState:
        return blobs.write_chunk(
            db=context.db,
            store=context.blobs,
            principal=principal,
            upload_id=upload_id,
            offset=offset,
            data=data,
        )

    try:
        return await run_in_threadpool(write)
    except blobs.OffsetMismatch as mismatch:
        return JSONResponse(status_code=409, content=mismatch.state.model_dump(mode="json"))


@router.get(
    "/blobs/{sha256}",
    response_class=Response,
    responses={
        200: {"content": {"application/octet-stream": _BINARY}, "description": "The file"},
        206: {"content": {"application/octet-stream": _BINARY}, "description": "Part of the file (Range)"},
        **errors(404, 416, *SIGNED_IN),
    },
)
def download(
    sha256: Annotated[str, Path(pattern=_SHA256)],
    principal: PrincipalDep,
    context: ContextDep,
    range_header: Annotated[str | None, Header(alias="Range", max_length=200)] = None,
) -> Response:
    """The bytes of a blob that a record the user may read refers to (404 otherwise)."""
    found = blobs.open_download(db=context.db, store=context.blobs, principal=principal, sha256=sha256)
    span = blobs.parse_range(range_header, found.size)
    headers = {
        "Content-Disposition": content_disposition(found.filename),
        "X-Content-Type-Options": "nosniff",
        "Accept-Ranges": "bytes",
        # Attachments are never rendered by a browser as a page of this origin.
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    first, last = span if span is not None else (0, found.size - 1)
    headers["Content-Length"] = str(max(0, last - first + 1))
    status = 200
    if span is not None:
        status = 206
        headers["Content-Range"] = f"bytes {first}-{last}/{found.size}"
    return StreamingResponse(
        _read_span(found.path, first, last),
        status_code=status,
        headers=headers,
        media_type="application/octet-stream",
    )


def _read_span(path: FilePath, first: int, last: int) -> Iterator[bytes]:
    remaining = last - first + 1
    with open(path, "rb") as handle:
        handle.seek(first)
        while remaining > 0:
            chunk = handle.read(min(_STREAM_BYTES, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk
