"""Tour: the dashboard over the real corpus with a year of generated use, as a librarian and as staff.

The corpus holds no usage, so the tour makes some the way bench/bench_dashboard.py does: a
server database (the real server code, in a temp folder) with the profile's knowledge, one
account and district per person and about 5 events per record, and "builds on" links in the
profile. The summaries are the server's own (``sync.server.usage.summary``) for a librarian and
for the busiest staff member, kept in the profile as a sync keeps them.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from tours._common import Shooter, copy_profile, settle, wait_until

from bench.bench_dashboard import add_reuse, populate, server_for
from desktop.store import RecordRepository
from desktop.usage_service import SUMMARY_KEY
from sync.server import usage

EVENTS_PER_RECORD = 5


def _summaries(profile: Path, workdir: Path) -> tuple[str, str]:
    """The librarian's and a staff member's summaries (JSON) over generated use of ``profile``."""
    rng = random.Random(11)
    store = RecordRepository(profile)
    try:
        add_reuse(store, rng)
        settings, db = server_for(workdir / "server")
        try:
            people = populate(db, settings, store, EVENTS_PER_RECORD, rng)
            everyone = usage.summary(db=db, principal=people.librarian)
            own = usage.summary(db=db, principal=people.staff[0])
        finally:
            db.dispose()
    finally:
        store.close()
    return everyone.model_dump_json(), own.model_dump_json()


def _shoot_page(app: Any, shooter: Shooter, page: Any, scope: str, name: str) -> None:
    wait_until(app, lambda: page.dashboard is not None and page.dashboard.scope == scope, what=name)
    settle(app, 0.5)
    shooter.shot(f"{name}-page")
    for card, part in (
        (page.used, "used"),
        (page.gaps, "gaps"),
        (page.communities, "communities"),
        (page.districts, "districts"),
        (page.stale_card, "stale"),
    ):
        shooter.shot_of(card, f"{name}-{part}")


def run(app: Any, out: Path, workdir: Path, corpus_profile: Path | None) -> None:
    """Take the dashboard's PNGs."""
    profile = copy_profile(corpus_profile, workdir)
    everyone, own = _summaries(profile, workdir)
    store = RecordRepository(profile)
    try:
        store.set_meta(SUMMARY_KEY, everyone)
    finally:
        store.close()
    shooter = Shooter(app, out, profile, prefix="usage-")
    window = shooter.window
    window.shell.show_key("dashboard")
    page = window.shell.page("dashboard")
    _shoot_page(app, shooter, page, "everyone", "librarian")
    page.used.toggle.setChecked(True)
    shooter.shot_of(page.used, "librarian-used-table")
    page.used.toggle.setChecked(False)

    window.session.store.set_meta(SUMMARY_KEY, own)
    page.refresh()
    _shoot_page(app, shooter, page, "own", "staff")
    shooter.close()
