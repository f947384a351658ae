"""Community memberships: list, join, leave, and facilitators' and librarians' management.

Every change of a membership changes what the user may read, so it bumps their access
epoch (their devices reconcile on the next pull).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.protocol import CommunityRole, MembershipChange
from sync.server.access import visible
from sync.server.accounts import bump_access_epoch, find_user
from sync.server.auth import Principal
from sync.server.db import Database
from sync.server.errors import forbidden, not_found
from sync.server.models import Membership, RecordRow, User
from sync.server.records import row_access


def _require_community(session: Session, principal: Principal, community_id: str) -> None:
    """404 unless a live community record with this id exists and the caller may read it."""
    row = session.get(RecordRow, community_id)
    if row is None or row.kind != "community" or row.deleted or not visible(principal.actor, row_access(row)):
        raise not_found("There is no such community.")


def _may_manage(principal: Principal, community_id: str) -> bool:
    return principal.actor.is_librarian or principal.actor.is_facilitator(community_id)


def list_members(*, db: Database, principal: Principal, community_id: str) -> dict[str, CommunityRole]:
    """The members of a community and their roles (members and librarians may ask)."""
    with db.read() as session:
        _require_community(session, principal, community_id)
        if not (principal.actor.is_member(community_id) or principal.actor.is_librarian):
            raise forbidden("Only members of the community see who else is in it.")
        rows = session.execute(
            select(User.name, Membership.role)
            .join(User, User.id == Membership.user_id)
            .where(Membership.community_id == community_id)
            .order_by(User.name)
        ).all()
        return {name: CommunityRole(role) for name, role in rows}


def set_member(*, db: Database, principal: Principal, community_id: str, change: MembershipChange) -> None:
    """Add a user to a community or change their role there (its facilitators and librarians)."""
    with db.write() as session:
        _require_community(session, principal, community_id)
        if not _may_manage(principal, community_id):
            raise forbidden("Only the community's facilitators and librarians manage its members.")
        user = find_user(session, change.user)
        if user is None or user.disabled:
            raise not_found("There is no such user.")
        membership = session.get(Membership, (user.id, community_id))
        if membership is None:
            session.add(Membership(user_id=user.id, community_id=community_id, role=change.role.value))
        elif membership.role != change.role.value:
            membership.role = change.role.value
        else:
            return
        bump_access_epoch(session, user_id=user.id)


def remove_member(*, db: Database, principal: Principal, community_id: str, user_name: str) -> None:
    """Remove a user from a community: a member leaving, or a facilitator or librarian removing them."""
    with db.write() as session:
        _require_community(session, principal, community_id)
        if not (_may_manage(principal, community_id) or principal.actor.name == user_name):
            raise forbidden("Only the community's facilitators and librarians remove other members.")
        user = find_user(session, user_name)
        membership = session.get(Membership, (user.id, community_id)) if user is not None else None
        if user is None or membership is None:
            raise not_found("That user is not a member of this community.")
        session.delete(membership)
        bump_access_epoch(session, user_id=user.id)


def join(*, db: Database, principal: Principal, community_id: str) -> None:
    """Join a community as a member (nothing changes for someone already in it)."""
    with db.write() as session:
        _require_community(session, principal, community_id)
        if session.get(Membership, (principal.user_id, community_id)) is not None:
            return
        session.add(
            Membership(user_id=principal.user_id, community_id=community_id, role=CommunityRole.MEMBER.value)
        )
        bump_access_epoch(session, user_id=principal.user_id)
