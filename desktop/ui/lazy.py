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

    session = Session.open(paths)
    load_sync_modules()
    return session


def load_sync_modules() -> None:
    """Import the sync client's modules (pydantic models, requests, keyring) on this one thread.

    Workers reach them lazily (reading the sync settings, recording usage, listing communities).
    Two threads importing them for the first time at once can meet inside pydantic's circular
    imports, and one of them then gets a partly initialised module (an ImportError that the
    app logged as "unexpected error in read the sync settings"). Loaded here, on the write lane
    while the profile opens and nothing else runs, every later import is a dictionary look-up.
    """
    import desktop.sync_service  # noqa: F401  (imported for its side effect: the modules load)
