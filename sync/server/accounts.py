"""Account services: sign in, password changes, and the administration the command line does.

Keyword-only functions over a session or the database, in the style of
full-stack-fastapi-template's ``crud.py``. Passwords and tokens are never logged.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync.protocol import LoginRequest, LoginResponse, PasswordChange, Role, UserInfo, valid_user_name
from sync.server.access import Actor
from sync.server.auth import (
    Passwords,
    Principal,
    clear_failures,
    is_throttled,
    issue_token,
    load_actor,
    record_failure,
    revoke_all_tokens,
)
from sync.server.config import Settings
from sync.server.db import Database, next_seq, utc_now
from sync.server.errors import ApiError
from sync.server.models import Device, User

logger = logging.getLogger(__name__)

#: The protocol's minimum for a new password (PasswordChange.new_password).
MIN_PASSWORD_LENGTH = 10

_BAD_LOGIN = "Wrong user name or password."


class AccountError(ValueError):
    """An administration request that cannot be done (the message says why)."""


def user_info(actor: Actor) -> UserInfo:
    """The wire view of a user."""
    return UserInfo(name=actor.name, role=actor.role, communities=dict(actor.communities))


def find_user(session: Session, name: str) -> User | None:
    """The account called ``name``, if any."""
    return session.execute(select(User).where(User.name == name)).scalar_one_or_none()


def bump_access_epoch(session: Session, *, user_id: int) -> int:
    """Record that what ``user_id`` may read changed: every device of theirs reconciles on its next pull.

    The epoch is a feed sequence number taken for the purpose, so it is later than the
    cursor of any index page read before this change commits.
    """
    epoch = next_seq(session)
    user = session.get(User, user_id)
    if user is not None:
        user.access_epoch = epoch
    return epoch


def login(*, db: Database, passwords: Passwords, settings: Settings, request: LoginRequest) -> LoginResponse:
    """Check the password and hand out a token for the request's device.

    Raises ApiError 429 while the name is throttled, 401 for a wrong name or password
    (the same answer for both), 409 ``device_taken`` when the device belongs to another user.
    """
    if "\x00" in request.username or "\x00" in request.device_name:
        # No account name has one (and PostgreSQL cannot compare one): malformed, not a failed login.
        raise ApiError(422, "invalid", "A user or device name may not contain NUL characters.")
    with db.read() as session:
        throttled = is_throttled(session, username=request.username, settings=settings)
        user = None if throttled else find_user(session, request.username)
        user_id, stored_hash, disabled = (
            (user.id, user.password_hash, user.disabled) if user else (0, "", True)
        )
    if throttled:
        raise ApiError(
            429, "throttled", "Too many failed sign-ins for this account; try again in 15 minutes."
        )
    if user_id:
        ok = passwords.verify(stored_hash, request.password) and not disabled
    else:
        passwords.verify_dummy(request.password)
        ok = False
    if not ok:
        with db.write() as session:
            record_failure(session, username=request.username, settings=settings)
        logger.info("failed sign-in for an account name")
        raise ApiError(401, "auth_required", _BAD_LOGIN, {"WWW-Authenticate": "Bearer"})
    new_hash = passwords.hash(request.password) if passwords.needs_rehash(stored_hash) else None
    try:
        return _open_session(db=db, settings=settings, user_id=user_id, request=request, new_hash=new_hash)
    except IntegrityError:
        # Another login registered the same new device at the same moment; the second try sees it.
        return _open_session(db=db, settings=settings, user_id=user_id, request=request, new_hash=new_hash)


def _open_session(
    *, db: Database, settings: Settings, user_id: int, request: LoginRequest, new_hash: str | None
) -> LoginResponse:
    with db.write() as session:
        user = session.get(User, user_id)
        if user is None or user.disabled:
            raise ApiError(401, "auth_required", _BAD_LOGIN, {"WWW-Authenticate": "Bearer"})
        clear_failures(session, username=user.name)
        if new_hash is not None:
            user.password_hash = new_hash
        device = session.get(Device, request.device_id)
        if device is None:
            # A new profile starts with nothing stale, so it is current with the user's access.
            device = Device(
                id=request.device_id,
                user_id=user.id,
                name=request.device_name,
                seen_epoch=user.access_epoch,
                created_at=utc_now(),
            )
            session.add(device)
            session.flush()
        elif device.user_id != user.id:
            raise ApiError(
                409,
                "device_taken",
                "This profile belongs to another account; sign in with that account or use a new profile.",
            )
        elif request.device_name:
            device.name = request.device_name
        token, expires = issue_token(session, user=user, device_id=device.id, settings=settings)
        actor = load_actor(session, user)
    logger.info("user %s signed in", actor.name)
    return LoginResponse(token=token, expires_at=expires.isoformat(), user=user_info(actor))


def change_password(
    *, db: Database, passwords: Passwords, principal: Principal, change: PasswordChange
) -> None:
    """Change one's own password after checking the old one; every session of the user ends."""
    with db.read() as session:
        user = session.get(User, principal.user_id)
        stored = user.password_hash if user else ""
    if not passwords.verify(stored, change.old_password):
        raise ApiError(403, "forbidden", "The current password is wrong.")
    new_hash = passwords.hash(change.new_password)
    with db.write() as session:
        user = session.get(User, principal.user_id)
        if user is None:
            raise ApiError(401, "bad_token", "The account no longer exists.")
        user.password_hash = new_hash
        revoke_all_tokens(session, user.id)
    logger.info("user %s changed their password; sessions ended", principal.actor.name)


def create_user(*, session: Session, passwords: Passwords, name: str, role: Role, password: str) -> User:
    """Add an account (the command line's ``adduser``)."""
    if not valid_user_name(name):
        raise AccountError(f"{name!r} is not a valid user name (letters, digits, . _ @ -; at most 64)")
    _check_password(password)
    if find_user(session, name) is not None:
        raise AccountError(f"there is already a user called {name}")
    user = User(name=name, role=role.value, password_hash=passwords.hash(password), created_at=utc_now())
    session.add(user)
    session.flush()
    return user


def set_role(*, session: Session, name: str, role: Role) -> None:
    """Change a user's server-wide role; their devices reconcile what they may read."""
    user = _existing(session, name)
    if user.role != role.value:
        # The epoch first: every writer takes the feed lock before it locks a user row (no deadlock).
        bump_access_epoch(session, user_id=user.id)
        user.role = role.value


def disable_user(*, session: Session, name: str) -> int:
    """Disable an account and end its sessions; returns how many sessions ended."""
    user = _existing(session, name)
    user.disabled = True
    return revoke_all_tokens(session, user.id)


def reset_password(*, session: Session, passwords: Passwords, name: str, password: str) -> int:
    """An administrator sets a new password; every session of the user ends. Returns how many."""
    _check_password(password)
    user = _existing(session, name)
    user.password_hash = passwords.hash(password)
    return revoke_all_tokens(session, user.id)


def _existing(session: Session, name: str) -> User:
    user = find_user(session, name)
    if user is None:
        raise AccountError(f"there is no user called {name}")
    return user


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 1024:
        raise AccountError("a password has at most 1024 characters")
