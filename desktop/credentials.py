"""Where a profile's sync token is kept: the OS keyring, or a file only the user can read.

The token is a secret: it never goes into the database, the config file or the logs
(RELIABILITY.md S5). The OS keyring (Secret Service, Keychain, Windows Credential
Locker) is used when one answers; where none exists (a bare Linux box, a CI runner),
the token goes to ``<profile>/sync-token`` created with mode 0600, and
:attr:`TokenStore.where` says so, so the app and the command line can tell the person.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)

KEYRING_SERVICE = "Imbizo sync"
TOKEN_FILENAME = "sync-token"


def _keyring_backend() -> object | None:
    """The keyring module when a real (not plaintext, not failing) backend answers."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration must not stop the app
        return None
    name = type(backend).__module__ + "." + type(backend).__name__
    if isinstance(backend, fail.Keyring) or "plaintext" in name.lower() or "null" in name.lower():
        return None
    return keyring


class TokenStore:
    """The token of one profile (``key`` tells profiles apart in the keyring)."""

    def __init__(self, profile_dir: Path, key: str, *, use_keyring: bool = True):
        self.file = Path(profile_dir) / TOKEN_FILENAME
        self.key = key
        self._keyring = _keyring_backend() if use_keyring else None

    @property
    def where(self) -> str:
        """Where the token is kept, for the person: "the system keyring" or the file's path."""
        return "the system keyring" if self._keyring is not None else f"{self.file} (readable only by you)"

    def save(self, token: str) -> None:
        """Keep the token (replacing an earlier one)."""
        if self._keyring is not None:
            try:
                self._keyring.set_password(KEYRING_SERVICE, self.key, token)  # type: ignore[attr-defined]
                self.file.unlink(missing_ok=True)
                return
            except Exception as exc:  # a locked or broken keyring: fall back, and say so
                logger.warning(
                    "the keyring refused the sync token (%s); using a private file", type(exc).__name__
                )
                self._keyring = None
        self.file.parent.mkdir(parents=True, exist_ok=True)
        temp = self.file.with_name(self.file.name + ".tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, token.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(temp, 0o600)
        os.replace(temp, self.file)

    def load(self) -> str | None:
        """The kept token, or None."""
        if self._keyring is not None:
            try:
                value = self._keyring.get_password(KEYRING_SERVICE, self.key)  # type: ignore[attr-defined]
            except Exception:
                value = None
            if value:
                return str(value)
        try:
            return self.file.read_text(encoding="utf-8").strip() or None
        except OSError:
            return None

    def clear(self) -> None:
        """Forget the token (sign-out)."""
        if self._keyring is not None:
            with contextlib.suppress(Exception):  # nothing kept there
                self._keyring.delete_password(KEYRING_SERVICE, self.key)  # type: ignore[attr-defined]
        self.file.unlink(missing_ok=True)
