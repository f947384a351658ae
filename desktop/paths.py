"""Where a profile lives, found the same way by the app and the command line (no Qt).

Order: ``--data-dir``, else ``IMBIZO_DATA_DIR``, else ``data_dir`` in the config
file (``<user config dir>/config.toml``), else the platform's user data folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_DIR_NAME = "Imbizo"
ENV_DATA_DIR = "IMBIZO_DATA_DIR"
ENV_CONFIG_DIR = "IMBIZO_CONFIG_DIR"


class ConfigError(ValueError):
    """The config file exists but cannot be read."""


@dataclass(frozen=True)
class ProfilePaths:
    """The folders and files of one profile."""

    data_dir: Path
    chosen_by: str  # "--data-dir", "IMBIZO_DATA_DIR", "config file", "platform default"

    @property
    def database(self) -> Path:
        """The SQLite database file."""
        return self.data_dir / "imbizo.db"

    @property
    def index_dir(self) -> Path:
        """The Whoosh index folder (a rebuildable cache)."""
        return self.data_dir / "index"

    @property
    def log_dir(self) -> Path:
        """Where this profile's logs go."""
        return self.data_dir / "logs"


def config_dir() -> Path:
    """The folder of Imbizo's small config file (``IMBIZO_CONFIG_DIR`` overrides it, for tests)."""
    override = os.environ.get(ENV_CONFIG_DIR)
    if override:
        return Path(override).expanduser()
    import platformdirs  # here: a start with --data-dir or the variables never needs it (~18 ms)

    return Path(platformdirs.user_config_dir(APP_DIR_NAME, appauthor=False))


def config_file() -> Path:
    """The path of the config file, which may not exist."""
    return config_dir() / "config.toml"


def _data_dir_from_config(path: Path) -> Path | None:
    if not path.is_file():
        return None
    import tomllib  # here: most starts have no config file, and the parser costs ~10 ms at start-up

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read the config file {path}: {exc}") from exc
    value = data.get("data_dir")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: data_dir must be a folder path written as a string")
    return Path(value).expanduser()


def resolve_profile(data_dir: str | os.PathLike[str] | None = None) -> ProfilePaths:
    """Choose the profile folder the documented way; the folder is not created here."""
    if data_dir:
        return ProfilePaths(Path(data_dir).expanduser().absolute(), "--data-dir")
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return ProfilePaths(Path(env).expanduser().absolute(), ENV_DATA_DIR)
    configured = _data_dir_from_config(config_file())
    if configured is not None:
        return ProfilePaths(configured.absolute(), "config file")
    import platformdirs

    default = Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))
    return ProfilePaths(default, "platform default")


def _toml_string(value: str) -> str:
    """``value`` as a TOML basic string."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(ch if ch >= " " or ch == "\t" else f"\\u{ord(ch):04x}" for ch in escaped)
    return f'"{escaped}"'


def write_data_dir(folder: str | os.PathLike[str] | None) -> Path:
    """Set (or with None, remove) ``data_dir`` in the config file; returns the file's path.

    Other keys, tables and comments in the file are kept: only the top-level
    ``data_dir = ...`` line is replaced, added at the top, or dropped. The new
    file is written beside the old one and moved over it, so a crash leaves one or
    the other. Takes effect at the next start (the profile is chosen at start-up).
    """
    path = config_file()
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    first_table = next((i for i, line in enumerate(lines) if line.lstrip().startswith("[")), len(lines))
    kept = [
        line
        for i, line in enumerate(lines)
        if i >= first_table or line.split("=", 1)[0].strip() not in ("data_dir", '"data_dir"')
    ]
    if folder is not None:
        value = str(Path(folder).expanduser().absolute())
        kept.insert(0, f"data_dir = {_toml_string(value)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".tmp")
    temp.write_text("\n".join(kept) + ("\n" if kept else ""), encoding="utf-8")
    os.replace(temp, path)
    return path
