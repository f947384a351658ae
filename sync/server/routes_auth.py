"""Routes: sign in and out, password change, who am I."""

from __future__ import annotations

from fastapi import APIRouter, Response

from sync.protocol import LoginRequest, LoginResponse, PasswordChange, UserInfo
from sync.server import accounts
from sync.server.auth import revoke_token
from sync.server.deps import ContextDep, PrincipalDep
from sync.server.responses import COMMON, SIGNED_IN, WITH_BODY, errors, json_answer

router = APIRouter(tags=["accounts"])


@router.post(
    "/auth/login",
    response_model=LoginResponse,
    responses=errors(
        401,
        409,
        429,
        *COMMON,
        *WITH_BODY,
        descriptions={409: "The device belongs to another user (`device_taken`)"},
    ),
)
def login(body: LoginRequest, context: ContextDep) -> LoginResponse:
    """Sign in; the token works until it expires, the user signs out, or their password changes."""
    return accounts.login(db=context.db, passwords=context.passwords, settings=context.settings, request=body)


@router.post("/auth/logout", status_code=204, responses=errors(*SIGNED_IN))
def logout(principal: PrincipalDep, context: ContextDep) -> Response:
    """End this session (the token stops working at once)."""
    with context.db.write() as session:
        revoke_token(session, principal.token_id)
    return Response(status_code=204)


@router.post(
    "/auth/password",
    status_code=204,
    responses=errors(403, *SIGNED_IN, *WITH_BODY, descriptions={403: "The current password is wrong"}),
)
def change_password(body: PasswordChange, principal: PrincipalDep, context: ContextDep) -> Response:
    """Change one's password; every session of the user ends, this one included."""
    accounts.change_password(db=context.db, passwords=context.passwords, principal=principal, change=body)
    return Response(status_code=204)


@router.get("/me", response_model=UserInfo, responses=errors(*SIGNED_IN))
def me(principal: PrincipalDep) -> Response:
    """The signed-in user, their role and communities."""
    return json_answer(accounts.user_info(principal.actor))
