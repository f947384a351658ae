"""Tour: a community page over the real corpus, one whose events link to it (its knowledge shared in
it first), a question thread with an accepted answer (the asker offered "Withdraw acceptance" and
"Accept this instead"), the question's own page (the accepted answer as a link, never an id), the
ask dialog and the notifications list (one says a colleague withdrew the acceptance of an answer).

The corpus holds 40 communities of practice (Digital.gov) but no questions, so the tour asks
one as "amina" and lets answers from colleagues arrive the way a sync brings them (the
replica applies a feed page, which is what makes the notifications).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tours._common import Shooter, copy_profile, settle, wait_until

from desktop.core.communities import new_answer, new_question
from desktop.core.kinds import Kind
from desktop.core.records import Status, Visibility
from desktop.store.replica import ACCOUNT_KEY, StoreReplica
from desktop.store.sync_mapping import version_of
from sync import protocol as p

COMMUNITY = "Application Programming Interfaces (APIs)"
#: A community many Digital.gov events link to (the importer shares them in it).
SHARED = "Plain Language"
ME = "amina"


def _arrive(
    session: Any, records: list[Any], cursor: int, reviewers: dict[str, list[str]], generation: int = 1
) -> None:
    """Apply records as a page of the server's feed (as a sync would), indexing what it wrote."""
    versions = []
    for number, record in enumerate(records):
        stored = record.with_changes(
            status=Status.PUBLISHED, visibility=Visibility.COMMUNITY, revision=f"{generation}-{number:032x}"
        )
        version = version_of(stored, [])
        envelope = version.envelope.model_copy(update={"reviewers": reviewers.get(record.id, [])})
        versions.append(
            p.FeedEntry(seq=cursor + number + 1, record=version.model_copy(update={"envelope": envelope}))
        )
    StoreReplica(
        session.store, on_changes=lambda changes: session.index.apply(changes, session.store)
    ).apply_feed(versions, cursor + len(versions))


def _prepare(session: Any) -> tuple[str, str]:
    community = next(
        r
        for r in session.list_page([Kind.COMMUNITY], sort="title", descending=False, limit=100)
        if r.title == COMMUNITY
    )
    session.set_me(ME)
    session.store.set_meta(ACCOUNT_KEY, ME)
    question = session.ask_question(
        "How do you version a public API without breaking the apps that use it?",
        "We publish bus timetables as an API. Three district apps read it, and we need to add "
        "fields and rename two. What has worked for you: version numbers in the path, headers, "
        "or never breaking anything?",
        community_id=community.id,
    )
    answers = [
        new_answer(
            question,
            "Put the major version in the path (/v1/, /v2/) and keep v1 running for a year after v2 "
            "ships. Adding fields is never a new version; renaming is. Publish a changelog and email "
            "the app owners.",
            owner="thabo.n",
        ),
        new_answer(
            question,
            "We add the new names beside the old ones, mark the old ones deprecated in the docs, and "
            "watch the logs: when nobody reads an old field for three months it goes.",
            owner="lindiwe.m",
        ),
    ]
    expert = next(iter(session.list_page([Kind.EXPERT], sort="title", limit=1)))
    asked = new_question(
        "Can you review our open data licence before we publish the API?",
        "It is based on CC BY 4.0 with one extra clause about attribution in apps.",
        owner="lindiwe.m",
        expert_id=expert.id,
        expert_user=ME,
    )
    _arrive(session, [*answers, asked], 1_000_000, {asked.id: [ME]})
    session.accept_answer(question.id, answers[0].id)
    _withdrawn_elsewhere(session, community.id)
    return community.id, question.id


def _withdrawn_elsewhere(session: Any, community_id: str) -> None:
    """A colleague's question that accepted the person's answer, then withdrew it (it turned out
    wrong): open again, with an "Open again" notification, as syncs bring it."""
    theirs = new_question(
        "Is there a shared API key for the provincial address service?",
        "Our app needs street names for the ward maps.",
        owner="sipho.k",
        community_id=community_id,
    )
    mine = new_answer(theirs, "Yes: ask the provincial IT desk for the district key.", owner=ME)
    _arrive(session, [theirs, mine], 1_000_100, {})
    _arrive(session, [theirs.with_fields(accepted_answer=mine.id)], 1_000_102, {}, generation=2)
    _arrive(session, [theirs.with_fields(accepted_answer="")], 1_000_103, {}, generation=3)


def run(app: Any, out: Path, workdir: Path, corpus_profile: Path | None) -> None:
    """Take the community screens' PNGs."""
    profile = copy_profile(corpus_profile, workdir)
    shooter = Shooter(app, out, profile, prefix="communities-")
    window = shooter.window
    session = window.session
    community_id, question_id = _prepare(session)
    window.refresh_after_changes()

    window.shell.show_key("communities")
    page = window.shell.page("communities")
    page.filter_edit.setText("Application Programming")
    wait_until(app, lambda: page.model.index(0, 0).data() == COMMUNITY, what="the community in the list")
    page.select_row(0)
    view = page.community_view
    wait_until(
        app, lambda: view.overview is not None and view.overview.record.id == community_id, what="community"
    )
    settle(app, 0.5)
    shooter.shot("community-page")

    page.filter_edit.setText(SHARED)
    # A profile imported before the importer dropped "Join the" names it "Join the Plain Language".
    wait_until(
        app,
        lambda: str(page.model.index(0, 0).data() or "").endswith(SHARED),
        what="a community with shared knowledge",
    )
    page.select_row(0)
    wait_until(
        app,
        lambda: view.overview is not None and view.overview.record.title.endswith(SHARED),
        what="its page",
    )
    settle(app, 0.5)
    view.browser.scrollToAnchor("knowledge")
    shooter.shot("community-shared-knowledge")
    page.filter_edit.setText("Application Programming")
    wait_until(app, lambda: page.model.index(0, 0).data() == COMMUNITY, what="the community again")

    page.open_question(question_id)
    thread = page.thread_view
    wait_until(
        app, lambda: thread.current is not None and thread.current.accepted_id != "", what="the thread"
    )
    settle(app, 0.5)
    shooter.shot("question-thread")

    dialog = page.ask(community_id)
    assert dialog is not None
    wait_until(app, lambda: dialog.community_combo.findData(community_id) >= 0, what="the communities")
    dialog.title_edit.setText("Which API gateway do other districts use?")
    dialog.body_edit.setPlainText(
        "We are choosing one for the timetable API; hosting must stay in the country."
    )
    dialog.expert_edit.setText("Ann")
    dialog._look_up_experts()
    wait_until(app, lambda: dialog.expert_matches.count() > 0, what="experts matching")
    settle(app, 0.5)
    shooter.shot("ask-dialog", whole_screen=True)
    dialog.reject()

    bell = window.notifications
    assert bell is not None
    oldest = session.communities.notifications()[-1]
    session.communities.mark_read([oldest.id])  # one read already, so read and unread both show
    bell.refresh()
    wait_until(app, lambda: bell.unread >= 2, what="the unread count")
    notices = bell.open_list()
    assert notices is not None
    wait_until(app, lambda: notices.list.count() >= 5, what="the notifications")
    settle(app, 0.5)
    shooter.shot("notifications", whole_screen=True)
    notices.close()

    shooter.open_record(question_id)
    settle(app, 0.5)
    shooter.shot("question-record")
    window.close()
