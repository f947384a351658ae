"""The expert finder on the whole corpus: a real topic with the evidence, filters, the request
dialog, requests made of me (and mine), and "People to ask about this" on a record's page.

Runs on a copy of the corpus profile. Before the window opens, the copy is given what a few
weeks of use would leave: the local user is the owner of one real expert profile (its handle),
available for mentoring; two colleagues have asked them for help; and a few of the people the
finder ranks first have said what they offer.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from tours._common import Shooter, copy_profile, settle, wait_until

from desktop.core.kinds import Kind
from desktop.core.requests import RequestParty, new_request
from desktop.paths import ProfilePaths
from desktop.session import Session

TOPIC = "plain language"
ME = "afeld"  # a real handle of the corpus (Aidan Feldman's Digital.gov author profile)


def _prepare(profile: Path) -> tuple[str, str]:
    """Make the copy look used; returns (my profile id, a record to open)."""
    with Session.open(ProfilePaths(profile, "--data-dir")) as session:
        session.set_me(ME)
        mine = session.store.experts_by_handle([ME])[ME]
        me = session.store.get(mine)
        assert me is not None
        session.save(me.with_fields(availability=["advice", "mentoring"]))
        found = session.find_experts(TOPIC, limit=6)
        offers = (["mentoring", "peer_review"], ["advice"], ["advice", "mentoring", "peer_review"])
        for expert, offer in zip(found, offers, strict=False):
            record = session.store.get(expert.id)
            if record is not None and record.fields.get("handle"):
                session.save(record.with_fields(availability=offer))
        party = RequestParty(me.id, me.title, ME)
        asks = [
            ("mentoring", "I'm new to running usability tests: could we meet monthly for a quarter?"),
            ("advice", "Which analytics should a small agency site start with?"),
        ]
        requesters = [e for e in found if e.handle and e.handle != ME][:2]
        for requester, (kind, message) in zip(requesters, asks, strict=False):
            request = new_request(
                requester=requester.handle, expert=party, request_type=kind, message=message
            )
            session.save(request)
        hits = session.search(TOPIC, kinds=[Kind.ARTICLE], limit=5).hits
        article = hits[0].id if hits else ""
        return mine, article


def run(app: QApplication, out: Path, workdir: Path, corpus_profile: Path | None) -> None:
    profile = copy_profile(corpus_profile, workdir)
    mine, article = _prepare(profile)
    shooter = Shooter(app, out, profile, "experts-")
    window = shooter.window
    window.shell.show_key("experts")
    page = window.list_pages["experts"]
    panel = page.finder_panel

    # 1. The finder with a real topic: people ranked, the evidence under each, the actions.
    page.find_experts(TOPIC)
    wait_until(app, lambda: bool(page.finder.experts), what="the finder's answer")
    shooter.shot("01-finder-topic")
    first = page.finder.experts[0]
    evidence = next((e for e in first.evidence if e.record_id != first.id), None)
    if evidence is not None:
        page.finder.record_requested.emit(evidence.record_id)
        wait_until(app, lambda: panel.detail.record_id == evidence.record_id, what="the evidence")
        shooter.shot("02-finder-evidence-opened")

    # 2. Filters: the districts people gave (one choice per place however it is spelled, with how
    # many people are there); then one organisation, available for mentoring.
    wait_until(app, lambda: panel.organisation_box.count() > 1, what="the filter choices")
    if panel.district_box.isVisible():
        panel.district_box.showPopup()
        settle(app, 0.5)
        shooter.shot("03-district-choices", whole_screen=True)
        panel.district_box.hidePopup()
    panel.set_filter(panel.organisation_box, first.organisation)
    panel.set_filter(panel.available_box, "mentoring")
    shown: list[object] = []
    page.finder.experts_shown.connect(shown.append)
    panel.find_people()
    wait_until(app, lambda: bool(shown), what="the filtered answer")
    page.finder.experts_shown.disconnect(shown.append)
    settle(app, 0.5)
    shooter.shot("04-finder-filtered")

    # 3. The request dialog: mentoring from the first person offering it.
    target = next((e for e in page.finder.experts if e.handle and e.handle != ME), None)
    if target is not None:
        dialog = page.open_request_dialog(target, "mentoring")
        assert dialog is not None
        dialog.message_edit.setPlainText(
            "I run our plain-language pilot and would like a mentor for the next three months."
        )
        settle(app, 0.5)
        shooter.shot_of(dialog, "05-request-dialog")
        dialog.send()
        wait_until(app, lambda: page.request_dialog is None, what="the request to be saved")

    # 4. Requests: made of me (one accepted already, one to answer) and mine (waiting).
    page.show_requests()
    wait_until(app, lambda: page.requests.overview is not None, what="the requests")
    overview = page.requests.overview
    if overview is not None and overview.incoming:
        page.requests.respond(overview.incoming[-1].id, "accepted")
        wait_until(
            app,
            lambda: (
                page.requests.overview is not None
                and any(r.state == "accepted" for r in page.requests.overview.incoming)
            ),
            what="the accepted request",
        )
    settle(app, 0.5)
    shooter.shot("06-requests")

    # 5. The directory: every profile, with the list's own buttons (no "Tag selected…": people's
    # expertise is their profile's, not tags added in bulk).
    shooter.list_page("experts")
    assert not page.tag_button.isVisible()
    shooter.shot("07-directory")

    # 6. My own profile: the availability toggles.
    shooter.open_record(mine)
    wait_until(
        app,
        lambda: (
            window.record_page.detail.availability_bar is not None
            and window.record_page.detail.availability_bar.isVisible()
        ),
        what="my availability",
    )
    shooter.shot("08-my-profile-availability")

    # 7. A record's page suggests whom to ask.
    if article:
        shooter.open_record(article)
        wait_until(app, lambda: bool(window.record_page.detail.suggested), what="suggestions")
        detail = window.record_page.detail
        bar = detail.browser.verticalScrollBar()
        bar.setValue(bar.maximum())
        shooter.shot("09-record-suggestions")
