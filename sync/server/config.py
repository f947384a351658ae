"""Server settings, from the environment and the command line.

The data folder holds the SQLite database (unless ``DATABASE_URL`` points elsewhere) and
the blob folder. Several server processes on PostgreSQL share one database and one blob
folder (``IMBIZO_BLOB_DIR`` when their data folders differ).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import argon2
import platformdirs

from sync.protocol import MAX_BODY_BYTES

APP_NAME = "imbizo-server"

#: Environment variables the settings read (the command line's ``--data-dir`` wins over the first).
ENV_DATA_DIR = "IMBIZO_SERVER_DATA_DIR"
ENV_DATABASE_URL = "DATABASE_URL"
ENV_BLOB_DIR = "IMBIZO_BLOB_DIR"
ENV_MAX_BLOB_BYTES = "IMBIZO_MAX_BLOB_BYTES"
ENV_TOKEN_DAYS = "IMBIZO_TOKEN_DAYS"
ENV_ARGON2_TIME_COST = "IMBIZO_ARGON2_TIME_COST"
ENV_ARGON2_MEMORY_KIB = "IMBIZO_ARGON2_MEMORY_KIB"
ENV_ARGON2_PARALLELISM = "IMBIZO_ARGON2_PARALLELISM"

DEFAULT_MAX_BLOB_BYTES = 100 * 1024 * 1024
DEFAULT_TOKEN_LIFETIME = timedelta(days=30)


class SettingsError(ValueError):
    """A setting from the environment cannot be used (the message names it)."""


@dataclass(frozen=True)
class Argon2Params:
    """Cost of the argon2id password hash; production uses argon2-cffi's defaults (RFC 9106 low-memory)."""

    time_cost: int = argon2.DEFAULT_TIME_COST
    memory_cost_kib: int = argon2.DEFAULT_MEMORY_COST
    parallelism: int = argon2.DEFAULT_PARALLELISM


@dataclass(frozen=True)
class Settings:
    """Everything the server needs to run; build it with :meth:`load` or directly in tests."""

    data_dir: Path
    database_url: str
    blob_dir: Path
    max_blob_bytes: int = DEFAULT_MAX_BLOB_BYTES
    max_body_bytes: int = MAX_BODY_BYTES
    token_lifetime: timedelta = DEFAULT_TOKEN_LIFETIME
    argon2: Argon2Params = field(default_factory=Argon2Params)
    login_failures_allowed: int = 10
    login_window: timedelta = timedelta(minutes=15)

    @classmethod
    def load(cls, data_dir: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``environ`` (default ``os.environ``); ``data_dir`` is the ``--data-dir`` option."""
        env = os.environ if environ is None else environ
        base = data_dir or _path_or_none(env.get(ENV_DATA_DIR)) or Path(platformdirs.user_data_dir(APP_NAME))
        base = base.expanduser().absolute()
        url = env.get(ENV_DATABASE_URL) or f"sqlite:///{base / 'server.db'}"
        blob_dir = _path_or_none(env.get(ENV_BLOB_DIR)) or base / "blobs"
        defaults = Argon2Params()
        return cls(
            data_dir=base,
            database_url=url,
            blob_dir=blob_dir.expanduser().absolute(),
            max_blob_bytes=_int(env, ENV_MAX_BLOB_BYTES, DEFAULT_MAX_BLOB_BYTES, minimum=1),
            token_lifetime=timedelta(days=_int(env, ENV_TOKEN_DAYS, DEFAULT_TOKEN_LIFETIME.days, minimum=1)),
            argon2=Argon2Params(
                time_cost=_int(env, ENV_ARGON2_TIME_COST, defaults.time_cost, minimum=1),
                memory_cost_kib=_int(env, ENV_ARGON2_MEMORY_KIB, defaults.memory_cost_kib, minimum=8),
                parallelism=_int(env, ENV_ARGON2_PARALLELISM, defaults.parallelism, minimum=1),
            ),
        )

    def with_changes(self, **changes: Any) -> Settings:
        """A copy with some settings replaced (tests lower the argon2 cost this way)."""
        return replace(self, **changes)

    @property
    def is_sqlite(self) -> bool:
        """True when the database is an SQLite file."""
        return self.database_url.startswith("sqlite")

    def ensure_dirs(self) -> None:
        """Create the data and blob folders (the database's own folder too, for SQLite)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.blob_dir.mkdir(parents=True, exist_ok=True)


def _path_or_none(value: str | None) -> Path | None:
    return Path(value) if value else None


def _int(env: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from exc
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}")
    return value
