"""Accounts: argon2id password hashes, opaque bearer tokens stored hashed, the login throttle.

Unknown names and wrong passwords take the same path (a dummy verification runs for an
unknown name) so neither the answer nor its timing tells whether an account exists.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from sync.protocol import CommunityRole, Role
from sync.server.access import Actor
from sync.server.config import Argon2Params, Settings
from sync.server.db import as_utc, utc_now
from sync.server.models import LoginFailure, Membership, Token, User

logger = logging.getLogger(__name__)

#: Bytes of randomness in a bearer token (256 bits; the protocol asks for at least 128).
TOKEN_BYTES = 32


class Passwords:
    """argon2id hashing with the configured cost, and a dummy hash for unknown names."""

    def __init__(self, params: Argon2Params) -> None:
        self.hasher = PasswordHasher(
            time_cost=params.time_cost, memory_cost=params.memory_cost_kib, parallelism=params.parallelism
        )
        self._dummy_hash = self.hasher.hash(secrets.token_hex(16))

    def hash(self, password: str) -> str:
        """A new argon2id hash of ``password``."""
        return self.hasher.hash(password)

    def verify(self, stored_hash: str, password: str) -> bool:
        """True when ``password`` matches; a broken stored hash never matches."""
        try:
            return self.hasher.verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def verify_dummy(self, password: str) -> None:
        """Spend the time of one verification, for a name that has no account."""
        self.verify(self._dummy_hash, password)

    def needs_rehash(self, stored_hash: str) -> bool:
        """True when the stored hash was made with other parameters than the current ones."""
        try:
            return self.hasher.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True


def new_token() -> str:
    """A fresh opaque bearer token (URL-safe text)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """What the database keeps of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Principal:
    """The user and device behind a valid token."""

    user_id: int
    token_id: int
    device_id: str
    actor: Actor


def load_actor(session: Session, user: User) -> Actor:
    """The rules' view of ``user``: name, role and community roles."""
    rows = session.execute(
        select(Membership.community_id, Membership.role).where(Membership.user_id == user.id)
    ).all()
    return Actor(user.name, Role(user.role), {cid: CommunityRole(role) for cid, role in rows})


#: Token, user and memberships in one query (one row per membership, or one with NULLs for none):
#: built once, as building a statement costs more than running it.
_AUTHENTICATE = (
    select(
        Token.id,
        Token.device_id,
        Token.expires_at,
        Token.revoked_at,
        User.id.label("user_id"),
        User.name,
        User.role,
        User.disabled,
        Membership.community_id,
        Membership.role.label("community_role"),
    )
    .select_from(Token)
    .join(User, User.id == Token.user_id)
    .outerjoin(Membership, Membership.user_id == User.id)
    .where(Token.token_hash == bindparam("token_hash"))
)


def authenticate(
    session: Session | Connection, token: str, *, now: datetime | None = None
) -> Principal | None:
    """The principal of a bearer token, or None when it is unknown, expired, revoked or its user disabled."""
    moment = now or utc_now()
    connection = session.connection() if isinstance(session, Session) else session
    rows = connection.execute(_AUTHENTICATE, {"token_hash": token_digest(token)}).all()
    if not rows:
        return None
    first = rows[0]
    if first.revoked_at is not None or as_utc(first.expires_at) <= moment or first.disabled:
        return None
    communities = {
        row.community_id: CommunityRole(row.community_role) for row in rows if row.community_id is not None
    }
    return Principal(
        first.user_id, first.id, first.device_id, Actor(first.name, Role(first.role), communities)
    )


def issue_token(session: Session, *, user: User, device_id: str, settings: Settings) -> tuple[str, datetime]:
    """Create a token for ``user`` on ``device_id``; returns the token (shown once) and its expiry."""
    token = new_token()
    now = utc_now()
    expires = now + settings.token_lifetime
    # Ended sessions are kept a day (to tell "ended" from "unknown" in the logs), then dropped.
    forgotten = now - timedelta(days=1)
    session.execute(
        delete(Token).where(
            Token.user_id == user.id, (Token.expires_at < forgotten) | (Token.revoked_at < forgotten)
        )
    )
    session.add(
        Token(
            token_hash=token_digest(token),
            user_id=user.id,
            device_id=device_id,
            created_at=now,
            expires_at=expires,
        )
    )
    return token, expires


def revoke_token(session: Session, token_id: int) -> None:
    """End one session."""
    session.execute(
        update(Token).where(Token.id == token_id, Token.revoked_at.is_(None)).values(revoked_at=utc_now())
    )


def revoke_all_tokens(session: Session, user_id: int) -> int:
    """End every session of a user; returns how many were open."""
    result = session.execute(
        update(Token).where(Token.user_id == user_id, Token.revoked_at.is_(None)).values(revoked_at=utc_now())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def is_throttled(session: Session, *, username: str, settings: Settings, now: datetime | None = None) -> bool:
    """True while ``username`` is locked out: ``login_failures_allowed`` failures within one window.

    The account stays locked for a whole window after the failure that locked it,
    whatever the password; failures while locked are not counted, so the lock ends.
    """
    moment = now or utc_now()
    window = settings.login_window
    times = [
        as_utc(at)
        for at in session.execute(
            select(LoginFailure.at)
            .where(LoginFailure.username == username, LoginFailure.at > moment - 2 * window)
            .order_by(LoginFailure.at)
        ).scalars()
    ]
    needed = settings.login_failures_allowed
    for first, last in zip(times, times[needed - 1 :], strict=False):
        if last - first <= window and last > moment - window:
            return True
    return False


def record_failure(session: Session, *, username: str, settings: Settings) -> None:
    """Count a failed login of ``username`` and forget failures too old to matter."""
    now = utc_now()
    session.add(LoginFailure(username=username, at=now))
    session.execute(delete(LoginFailure).where(LoginFailure.at < now - 2 * settings.login_window))


def clear_failures(session: Session, *, username: str) -> None:
    """Forget the failures of ``username`` after a successful login."""
    session.execute(delete(LoginFailure).where(LoginFailure.username == username))


def count_failures(session: Session, *, username: str) -> int:
    """Failures on record for ``username`` (for the command line and tests)."""
    statement = select(func.count()).select_from(LoginFailure).where(LoginFailure.username == username)
    return int(session.execute(statement).scalar_one())
