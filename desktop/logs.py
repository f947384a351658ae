"""Logging set-up shared by the app and the command line: a rotating file in the user log folder."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

import platformdirs

from desktop.paths import APP_DIR_NAME

_FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"


def log_dir() -> Path:
    """The user log folder (``IMBIZO_LOG_DIR`` overrides it, for tests)."""
    override = os.environ.get("IMBIZO_LOG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_log_dir(APP_DIR_NAME, appauthor=False))


def setup_logging(verbose: bool = False) -> Path | None:
    """Send log records to a rotating file (and to stderr when ``verbose``); returns the file.

    A log folder that cannot be written is not fatal: the app still runs, logging to stderr.
    """
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "_imbizo", False):
            root.removeHandler(handler)
    path: Path | None = log_dir() / "imbizo.log"
    try:
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        file_handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        path = None
        file_handler = logging.StreamHandler()
        file_handler.setLevel(logging.WARNING)
    file_handler.setFormatter(logging.Formatter(_FORMAT))
    file_handler._imbizo = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    if verbose:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter(_FORMAT))
        stream._imbizo = True  # type: ignore[attr-defined]
        root.addHandler(stream)
    return path
