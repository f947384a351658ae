"""The curation workflow over the real corpus: the Review queue, an item beside similar ones, the
return dialog, and the author's side (Home's "Returned to you", the banner on the record).

The copied profile gets a librarian's role and a handful of real corpus records put in review
(submitted by named staff on different days, some in a community, some with a service area),
as a sync from colleagues would bring them; one of them was returned with a comment.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication
from tours._common import Shooter, copy_profile, settle, wait_until

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, Status
from desktop.core.review import ReviewAction, ReviewEntry
from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.ui.review_widgets import ReviewCommentDialog

#: (title in the corpus, author, days ago submitted, service area, community title)
SUBMITTED = [
    ("Journey mapping", "thandi", 19, "Customer service", "Customer Experience"),
    ("Usability testing", "sipho", 16, "Digital services", "User Experience"),
    ("Card sorting", "naledi", 12, "Digital services", "User Experience"),
    ("Service blueprint", "thandi", 9, "Customer service", "Customer Experience"),
    ("Doing business in Spain", "pieter", 7, "Trade and investment", ""),
    ("Stakeholder and user interviews", "sipho", 4, "Digital services", ""),
    ("Prototyping", "naledi", 2, "Digital services", "User Experience"),
]
RETURNED = (
    "Personas",
    "thandi",
    "Add who the personas came from (how many interviews, which wards) and a date.",
)
STAFF = "thandi"


def _at(days_ago: float) -> str:
    moment = datetime.now(UTC).replace(microsecond=0) - timedelta(days=days_ago, hours=3)
    return moment.isoformat()


def _by_title(session: Session, kind: Kind, title: str) -> Record:
    for summary in session.list_page([kind], text=title, limit=20):
        if summary.title == title:
            record = session.store.get(summary.id)
            assert record is not None
            return record
    raise LookupError(f"no {kind.value} called {title!r} in the corpus profile")


def put_in_review(profile: Path) -> dict[str, str]:
    """Make the profile a librarian's with real records in review; returns ids by title."""
    ids: dict[str, str] = {}
    with Session.open(ProfilePaths(profile, "--data-dir")) as session:
        changed = []
        for title, author, days, area, community in SUBMITTED:
            record = _by_title(session, Kind.CASE_STUDY, title)
            links = record.links
            if community:
                links = (
                    *links,
                    Link(Relation.IN_COMMUNITY, _by_title(session, Kind.COMMUNITY, community).id),
                )
            entry = ReviewEntry(ReviewAction.SUBMITTED, author, _at(days))
            changed.append(
                record.with_changes(
                    owner=author,
                    status=Status.SUBMITTED,
                    links=links,
                    fields={**record.fields, "service_area": area, "review_log": [entry.to_json()]},
                )
            )
            ids[title] = record.id
        title, author, comment = RETURNED
        record = _by_title(session, Kind.CASE_STUDY, title)
        log = [
            ReviewEntry(ReviewAction.SUBMITTED, author, _at(6)).to_json(),
            ReviewEntry(ReviewAction.RETURNED, "lindiwe", _at(1), comment).to_json(),
        ]
        changed.append(
            record.with_changes(
                owner=author,
                status=Status.RETURNED,
                fields={**record.fields, "service_area": "Digital services", "review_log": log},
            )
        )
        ids[title] = record.id
        session.save_many(changed)
        session.set_me("lindiwe")
        session.set_role("librarian")
    return ids


def _queue(shooter: Shooter) -> Any:
    window = shooter.window
    window.shell.show_key("review")
    page = window.shell.page("review")
    wait_until(shooter.app, lambda: page.data is not None and page.shown_items(), what="the review queue")
    return page


def _choose(
    shooter: Shooter, page: Any, record_id: str, action: ReviewAction = ReviewAction.PUBLISHED
) -> None:
    shown: list[Any] = []
    page.similar_shown.connect(shown.append)
    assert page.open_item(record_id), record_id
    wait_until(shooter.app, lambda: page.detail.record_id == record_id and bool(shown), what="the item")
    page.similar_shown.disconnect(shown.append)
    hits = shown[-1]
    if hits:
        wait_until(shooter.app, lambda: page.similar_detail.record_id == hits[0].id, what="a similar item")
    wait_until(shooter.app, lambda: page.detail.review.buttons[action].isVisible(), what="the review buttons")


def run(app: QApplication, out: Path, workdir: Path, corpus_profile: Path | None) -> None:
    """Librarian: the queue, a filter, the side-by-side view, the return dialog; author: Home, banner;
    then the whole round trip on a real server and the record's histories."""
    profile = copy_profile(corpus_profile, workdir)
    ids = put_in_review(profile)

    shooter = Shooter(app, out, profile, "review-")
    page = _queue(shooter)
    _choose(shooter, page, ids["Journey mapping"])
    shooter.shot("queue")
    page.community_filter.setCurrentIndex(page.community_filter.findText("User Experience"))
    wait_until(app, lambda: len(page.shown_items()) == 3, what="the community filter")
    _choose(shooter, page, ids["Card sorting"])
    shooter.shot("queue-community-filter")
    page.community_filter.setCurrentIndex(0)
    _choose(shooter, page, ids["Doing business in Spain"])
    shooter.shot("side-by-side")

    dialog = ReviewCommentDialog(ReviewAction.RETURNED, "Doing business in Spain", shooter.window)
    dialog.show()
    settle(app, 0.3)
    shooter.shot_of(dialog, "return-dialog-empty")
    dialog.editor.setPlainText(
        "This reads as a press release. Say what the office did, for whom, and what came of it "
        "(figures with their source), then submit it again."
    )
    shooter.shot_of(dialog, "return-dialog")
    dialog.close()
    shooter.close()

    # The author's side, after the sync that brought the librarian's comment.
    with Session.open(ProfilePaths(profile, "--data-dir")) as session:
        session.set_me(STAFF)
        session.set_role("staff")
    shooter = Shooter(app, out, profile, "review-")
    window = shooter.window
    window.shell.show_key("home")
    wait_until(app, lambda: window.home.returned.isVisible(), what="Returned to you")
    shooter.shot("home-returned")
    shooter.open_record(ids["Personas"])
    detail = window.record_page.detail
    wait_until(app, lambda: detail.review.banner.isVisible() and detail.review.banner.returned, what="banner")
    shooter.shot("returned-banner")
    page = _queue(shooter)
    _choose(shooter, page, ids["Personas"], ReviewAction.SUBMITTED)
    shooter.shot("queue-staff")
    shooter.close()
    through_a_server(app, out, workdir)


def _sync(app: QApplication, shooter: Shooter) -> None:
    controller = shooter.window.sync_ui.controller
    wait_until(app, lambda: not controller.running, what="no sync running")
    controller.sync_now()
    wait_until(app, lambda: not controller.running and controller.state.kind == "up_to_date", what="a sync")


def through_a_server(app: QApplication, out: Path, workdir: Path) -> None:
    """Submit, return, resubmit, publish between two people on a real server; then the author's
    record with its review history, and the History dialog with the server's own history."""
    from tests.support.server_process import running_server

    password = "correct horse battery"
    users = {"thandi": ("staff", password), "lindiwe": ("librarian", password)}
    with running_server(workdir / "server", users) as url:
        staff = Shooter(app, out, workdir / "staff", "review-")
        librarian = Shooter(app, out, workdir / "librarian", "review-other-")
        for shooter, user in ((staff, "thandi"), (librarian, "lindiwe")):
            controller = shooter.window.sync_ui.controller
            wait_until(app, lambda c=controller: c.service is not None, what="the sync service")
            controller.sign_in(url, user, password)
            wait_until(app, lambda c=controller: c.state.kind == "up_to_date", what="signed in")
        session = staff.window.session
        record = session.new_record(Kind.CASE_STUDY).with_fields(
            title="Standpipe queue tokens in Ward 9",
            summary="Numbered tokens handed out at the gate from 6 am; the queue is gone by 8.",
            service_area="Water and sanitation",
            district="Ward 9",
        )
        session.save(record)
        session.review(record.id, ReviewAction.SUBMITTED)
        _sync(app, staff)
        _sync(app, librarian)
        librarian.window.session.review(
            record.id,
            ReviewAction.RETURNED,
            "Who hands the tokens out, and what did the ward committee decide?",
        )
        _sync(app, librarian)
        _sync(app, staff)
        session.save(
            session.store.get(record.id).with_fields(
                summary="Ward committee volunteers hand out numbered tokens at the gate from 6 am; "
                "the queue is gone by 8 (committee minutes, March 2026)."
            )
        )
        session.review(record.id, ReviewAction.SUBMITTED)
        _sync(app, staff)
        _sync(app, librarian)
        librarian.window.session.review(record.id, ReviewAction.PUBLISHED)
        _sync(app, librarian)
        _sync(app, staff)
        staff.open_record(record.id)
        detail = staff.window.record_page.detail
        wait_until(app, lambda: "Review history" in detail.browser.toPlainText(), what="the review history")
        staff.shot("record-review-history")
        dialog = staff.window.show_history(record.id)
        assert dialog is not None
        dialog.resize(900, 640)
        wait_until(app, lambda: bool(dialog.entries) and dialog.server_entries, what="the server's history")
        staff.shot_of(dialog, "history-dialog-server")
        dialog.close()
        staff.close()
        librarian.close()
