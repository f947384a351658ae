"""Routes: community memberships."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from sync.protocol import UUID_PATTERN, CommunityRole, MembershipChange
from sync.server import communities
from sync.server.deps import ContextDep, PrincipalDep
from sync.server.responses import SIGNED_IN, WITH_BODY, errors

router = APIRouter(prefix="/communities/{community_id}", tags=["communities"])

CommunityId = Annotated[str, Path(pattern=UUID_PATTERN)]
UserNamePath = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")]


@router.get("/members", response_model=dict[str, CommunityRole], responses=errors(403, 404, *SIGNED_IN))
def list_members(
    community_id: CommunityId, principal: PrincipalDep, context: ContextDep
) -> dict[str, CommunityRole]:
    """Who is in the community, and their role (for its members and librarians)."""
    return communities.list_members(db=context.db, principal=principal, community_id=community_id)


@router.put("/members", status_code=204, responses=errors(403, 404, *SIGNED_IN, *WITH_BODY))
def set_member(
    community_id: CommunityId, body: MembershipChange, principal: PrincipalDep, context: ContextDep
) -> Response:
    """Add a user or change their role (the community's facilitators and librarians)."""
    communities.set_member(db=context.db, principal=principal, community_id=community_id, change=body)
    return Response(status_code=204)


@router.delete("/members/{user}", status_code=204, responses=errors(403, 404, *SIGNED_IN))
def remove_member(
    community_id: CommunityId, user: UserNamePath, principal: PrincipalDep, context: ContextDep
) -> Response:
    """Remove a member: the member themselves (leaving), a facilitator of it, or a librarian."""
    communities.remove_member(db=context.db, principal=principal, community_id=community_id, user_name=user)
    return Response(status_code=204)


@router.post("/join", status_code=204, responses=errors(404, *SIGNED_IN))
def join(community_id: CommunityId, principal: PrincipalDep, context: ContextDep) -> Response:
    """Join the community as a member."""
    communities.join(db=context.db, principal=principal, community_id=community_id)
    return Response(status_code=204)
