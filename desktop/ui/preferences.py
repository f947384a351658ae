"""The user's preferences in QSettings: the keys and typed getters other parts of the UI read.

The settings dialog writes them; the attachments panel (photo defaults) and the app
(appearance) read them. Keep the keys here so they are spelled once.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from desktop.ui.appearance import SETTINGS_KEY as APPEARANCE_KEY
from desktop.ui.appearance import Mode, normalise_mode

PHOTO_MAX_SIDE_KEY = "photos/max_side"
PHOTO_KEEP_LOCATION_KEY = "photos/keep_location"
#: Longest side choices for photos downscaled for sharing; 0 means "keep the original size".
PHOTO_MAX_SIDES = (0, 1600, 1024)
DOWNLOAD_LIMIT_KEY = "sync/download_limit_mb"
#: Files up to this many MB come down at every sync; larger ones when someone opens them.
DOWNLOAD_LIMIT_CHOICES = (0, 1, 5, 20, 100, 1000)
DEFAULT_DOWNLOAD_LIMIT_MB = 20

__all__ = [
    "APPEARANCE_KEY",
    "DEFAULT_DOWNLOAD_LIMIT_MB",
    "DOWNLOAD_LIMIT_CHOICES",
    "DOWNLOAD_LIMIT_KEY",
    "PHOTO_KEEP_LOCATION_KEY",
    "PHOTO_MAX_SIDES",
    "PHOTO_MAX_SIDE_KEY",
    "appearance_mode",
    "download_limit_mb",
    "keep_photo_location",
    "photo_max_side",
]


def _bool(value: object) -> bool:
    # QSettings' INI backend hands booleans back as the strings "true" / "false".
    return value is True or str(value).strip().lower() in ("true", "1", "yes")


def appearance_mode(settings: QSettings | None = None) -> Mode:
    """ "system", "light" or "dark"."""
    return normalise_mode((settings or QSettings()).value(APPEARANCE_KEY, "system"))


def photo_max_side(settings: QSettings | None = None) -> int | None:
    """The longest side photos are downscaled to for sharing, or None to keep them as they are."""
    try:
        value = int(str((settings or QSettings()).value(PHOTO_MAX_SIDE_KEY, 0) or 0))
    except (TypeError, ValueError):
        return None
    return value if value in PHOTO_MAX_SIDES and value > 0 else None


def keep_photo_location(settings: QSettings | None = None) -> bool:
    """Whether photos keep their location metadata (off by default: privacy)."""
    return _bool((settings or QSettings()).value(PHOTO_KEEP_LOCATION_KEY, False))


def download_limit_mb(settings: QSettings | None = None) -> int:
    """Files up to this many MB are downloaded at each sync (0: none; larger ones when opened)."""
    try:
        value = int(str((settings or QSettings()).value(DOWNLOAD_LIMIT_KEY, DEFAULT_DOWNLOAD_LIMIT_MB)))
    except (TypeError, ValueError):
        return DEFAULT_DOWNLOAD_LIMIT_MB
    return value if value >= 0 else DEFAULT_DOWNLOAD_LIMIT_MB
