"""Logging set-up shared by the app and the command line: a rotating file in the user log folder.

The app defers the file: until :func:`finish_logging` (called once the window is on screen)
records wait in memory, so opening the log folder and the rotating handler's imports
(~35 ms) stay off the start-up path. Nothing logged meanwhile is lost: it is written
to the file first.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from desktop.paths import APP_DIR_NAME

_FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"


def log_dir() -> Path:
    """The user log folder (``IMBIZO_LOG_DIR`` overrides it, for tests)."""
    override = os.environ.get("IMBIZO_LOG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_DIR_NAME, appauthor=False))


class _Buffer(logging.Handler):
    """Keeps records until the log file is open (at most ``limit``; the oldest go first)."""

    def __init__(self, limit: int = 10_000):
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.limit = limit

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        if len(self.records) > self.limit:
            del self.records[0]


def setup_logging(verbose: bool = False, *, deferred: bool = False) -> Path | None:
    """Send log records to a rotating file (and to stderr when ``verbose``); returns the file.

    ``deferred``: keep records in memory until :func:`finish_logging` opens the file (the app,
    whose window must show first); returns None then. A log folder that cannot be written is
    not fatal: the app still runs, logging to stderr.
    """
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "_imbizo", False):
            root.removeHandler(handler)
    if verbose:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter(_FORMAT))
        stream._imbizo = True  # type: ignore[attr-defined]
        root.addHandler(stream)
    if deferred:
        buffer = _Buffer()
        buffer._imbizo = True  # type: ignore[attr-defined]
        root.addHandler(buffer)
        return None
    return _open_log_file(root)


def finish_logging() -> Path | None:
    """Open the log file now and write what was kept in memory meanwhile; returns the file."""
    root = logging.getLogger()
    buffers = [h for h in root.handlers if isinstance(h, _Buffer)]
    if not buffers:
        return None
    path = _open_log_file(root)
    file_handlers = [h for h in root.handlers if getattr(h, "_imbizo_file", False)]
    for buffer in buffers:
        root.removeHandler(buffer)
        for record in buffer.records:
            for handler in file_handlers:
                if record.levelno >= handler.level:
                    handler.handle(record)
    return path


def _open_log_file(root: logging.Logger) -> Path | None:
    import logging.handlers

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
    file_handler._imbizo_file = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    return path
