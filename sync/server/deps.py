"""FastAPI dependencies (``Annotated``): the server's context, the protocol header, the signed-in user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sync.protocol import MIN_CLIENT_PROTOCOL, PROTOCOL_HEADER
from sync.server.auth import Passwords, Principal, authenticate
from sync.server.blobs import BlobStore
from sync.server.config import Settings
from sync.server.db import Database
from sync.server.errors import ApiError


@dataclass
class ServerContext:
    """What every request may use: settings, the database, password hashing and the blob store."""

    settings: Settings
    db: Database
    passwords: Passwords
    blobs: BlobStore


async def get_context(request: Request) -> ServerContext:
    """The context the app factory stored on the app.

    ``async`` because it does no I/O: FastAPI runs a plain ``def`` dependency in a worker
    thread, and the hop cost more than the lookup (the same for :func:`protocol_version`).
    """
    context: ServerContext = request.app.state.context
    return context


ContextDep = Annotated[ServerContext, Depends(get_context)]


async def protocol_version(
    version: Annotated[int, Header(alias=PROTOCOL_HEADER, ge=MIN_CLIENT_PROTOCOL, le=999_999_999)],
) -> int:
    """The client's protocol version (checked by ProtocolMiddleware before; declared here for the schema)."""
    return version


ProtocolDep = Annotated[int, Depends(protocol_version)]

_bearer = HTTPBearer(auto_error=False, description="The opaque token from POST /api/v1/auth/login.")


def current_principal(
    context: ContextDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The signed-in user: 401 ``auth_required`` without a token, ``bad_token`` for one that does not work."""
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None or not credentials.credentials:
        raise ApiError(401, "auth_required", "Sign in first.", challenge)
    with context.db.read_statement() as connection:  # one query: token, user and memberships
        principal = authenticate(connection, credentials.credentials)
    if principal is None:
        raise ApiError(401, "bad_token", "Your session has ended; sign in again.", challenge)
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]
