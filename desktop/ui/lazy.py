"""Entry points into the heavy layers (SQLAlchemy, Whoosh, Alembic, the importers), imported on first use.

The window must be shown before any of those load (the start-up target in bench/bench_startup.py),
so UI modules import ``desktop.session``, ``desktop.search`` and ``desktop.store`` only under
``TYPE_CHECKING`` and reach them at run time through these functions, which run on a worker thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.paths import ProfilePaths
    from desktop.session import Session


def open_session(paths: ProfilePaths) -> Session:
    """Open the profile (migrating its database and readying its index): call it on the write lane."""
    from desktop.session import Session

    return Session.open(paths)
