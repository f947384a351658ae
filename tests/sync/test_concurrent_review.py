"""Two librarians review the same submission at once, against a real server process.

The one whose review reaches the server first wins. The other's sync does not end in a
conflict to resolve: their review action is left out of the merge and reported as
overtaken, with a reason naming who acted first (in the sync's report, apart from the
server's refusals, and as a notification that survives a restart), their comment quoted so
nothing typed is lost. A later action of theirs that still applies to the record as it now
is (retiring what the other published) is merged after the first reviewer's and reaches
the server.

When the first reviewer returned the record, the second may no longer read it (a returned
record is its authors'): the server answers their push ``overtaken`` with the step that moved
it, not "no such record", and the second reviewer's copy goes, as a copy no longer visible
does (kept here only when it holds edits of theirs beyond the review action)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop.core.kinds import Kind
from desktop.core.records import Record, Status, new_record_id
from desktop.core.review import OVERTAKEN_GONE_NOTICE, OVERTAKEN_NOTICE, review_log
from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.sync_service import SyncService
from sync.client import RetryPolicy
from tests.support.server_process import running_server

PASSWORD = "correct horse battery"
USERS = {"alice": ("staff", PASSWORD), "lib": ("librarian", PASSWORD), "lin": ("librarian", PASSWORD)}
Client = tuple[Session, SyncService]


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(tmp_path_factory.mktemp("server"), USERS) as url:
        yield url


@pytest.fixture
def make_client(server_url: str, tmp_path: Path) -> Iterator[Callable[[str], Client]]:
    """A real profile signed in over HTTP to the server process."""
    made: list[Session] = []

    def make(user: str) -> Client:
        session = Session.open(ProfilePaths(tmp_path / f"{user}-{len(made)}", "--data-dir"))
        made.append(session)
        service = SyncService(session, use_keyring=False, retry=RetryPolicy(attempts=3, base_delay=0.05))
        service.login(server_url, user, PASSWORD)
        return session, service

    yield make
    for session in made:
        session.close()


def submitted_case(alice: Client, title: str) -> str:
    session, service = alice
    record = Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": title}, owner="alice")
    session.save(record)
    session.review(record.id, "submitted")
    service.sync()
    return record.id


def in_both_queues(make_client: Callable[[str], Client], title: str) -> tuple[str, Client, Client, Client]:
    """alice's submission ``title``, synced to lib's and lin's profiles; (id, alice, lib, lin)."""
    alice, lib, lin = make_client("alice"), make_client("lib"), make_client("lin")
    record_id = submitted_case(alice, title)
    lib[1].sync()
    lin[1].sync()
    return record_id, alice, lib, lin


def returned_by_lib(make_client: Callable[[str], Client], title: str) -> tuple[str, Client, Client]:
    """alice's submission, read by lib and lin; lib returns it (and syncs) before lin's review."""
    record_id, alice, lib, lin = in_both_queues(make_client, title)
    lib[0].review(record_id, "returned", "Which wards, and how often?")
    assert lib[1].sync().rejected == []
    return record_id, alice, lin


def server_history(service: SyncService, record_id: str) -> list[tuple[str, str]]:
    entries = service.server_history(record_id)
    assert entries is not None
    return [(entry.user, entry.action) for entry in entries]


def test_the_second_review_is_refused_naming_who_acted_first(make_client: Callable[[str], Client]) -> None:
    record_id, alice, lib, lin = in_both_queues(make_client, "Ward meetings")
    lib[0].review(record_id, "published")
    lin[0].review(record_id, "returned", "Which wards, and how often?")
    assert lib[1].sync().overtaken == []
    report = lin[1].sync()

    assert report.rejected == []  # not a refusal: nothing is lost, nothing waits
    (overtaken,) = report.overtaken
    assert (overtaken.record_id, overtaken.title, overtaken.by) == (record_id, "Ward meetings", "lib")
    assert (overtaken.action, overtaken.comment) == ("published", "")
    assert overtaken.reason.startswith("lib published “Ward meetings” first")
    assert "your return was not sent" in overtaken.reason
    assert "Which wards, and how often?" in overtaken.reason  # the comment, so nothing typed is lost
    assert report.conflicts == 0 and lin[1].status().conflicts == 0
    mine = lin[0].store.get(record_id)
    assert mine.status is Status.PUBLISHED
    assert [(e.action.value, e.by) for e in review_log(mine)] == [
        ("submitted", "alice"),
        ("published", "lib"),
    ]
    assert lin[1].status().pending == 0  # nothing left to send, nothing held
    (notice,) = lin[0].communities.notifications()
    assert (notice.kind, notice.record_id, notice.actor, notice.title) == (
        OVERTAKEN_NOTICE,
        record_id,
        "lib",
        "Ward meetings",
    )
    assert lin[1].sync().overtaken == []  # said once; the next sync is quiet
    assert len(lin[0].communities.notifications()) == 1

    alice[1].sync()
    seen = alice[0].store.get(record_id)
    assert seen.status is Status.PUBLISHED and len(review_log(seen)) == 2
    history = server_history(alice[1], record_id)
    assert history[-1] == ("lib", "publish") and "lin" not in {user for user, _ in history}


def test_a_later_action_that_still_applies_is_merged_after_the_first_reviewers(
    make_client: Callable[[str], Client],
) -> None:
    record_id, _alice, lib, lin = in_both_queues(make_client, "Clinic tickets")
    lib[0].review(record_id, "published")
    lib[1].sync()
    # Offline, lin publishes it too, then retires it (the clinic closed).
    lin[0].review(record_id, "published")
    lin[0].review(record_id, "retired", "The clinic closed in November.")
    report = lin[1].sync()

    (overtaken,) = report.overtaken
    assert "lib published “Clinic tickets” first" in overtaken.reason
    assert "your publication" in overtaken.reason and report.rejected == []
    assert report.conflicts == 0
    merged = lin[0].store.get(record_id)
    assert merged.status is Status.RETIRED
    steps = [(e.action.value, e.by) for e in review_log(merged)]
    assert steps == [("submitted", "alice"), ("published", "lib"), ("retired", "lin")]
    assert lin[1].status().pending == 0
    lib[1].sync()
    assert lib[0].store.get(record_id).status is Status.RETIRED
    assert server_history(lib[1], record_id)[-2:] == [("lib", "publish"), ("lin", "retire")]


@pytest.mark.parametrize(
    ("actions", "not_sent"),
    [
        ([("published", "Good to go")], ["your publication was not sent"]),
        ([("returned", "Add the dates")], ["your return was not sent"]),
        (
            [("published", ""), ("retired", "The wards merged.")],
            ["your publication was not sent", "your retirement was not sent"],
        ),
    ],
)
def test_a_review_of_what_another_returned_meanwhile_is_overtaken_not_refused(
    make_client: Callable[[str], Client], actions: list[tuple[str, str]], not_sent: list[str]
) -> None:
    record_id, alice, lin = returned_by_lib(make_client, "Ward meetings")
    for action, comment in actions:
        lin[0].review(record_id, action, comment)
    report = lin[1].sync()

    assert report.rejected == [] and report.conflicts == 0
    assert len(report.overtaken) == len(actions)
    for item, (_, comment), sent in zip(report.overtaken, actions, not_sent, strict=True):
        assert (item.record_id, item.title, item.by, item.action) == (
            record_id,
            "Ward meetings",
            "lib",
            "returned",
        )
        assert item.comment == "Which wards, and how often?"
        assert item.reason.startswith("lib returned “Ward meetings” first")
        assert "Which wards, and how often?" in item.reason and sent in item.reason
        assert comment in item.reason  # what lin typed is quoted: nothing is lost
    # lin may no longer read it: the copy is gone, nothing waits, and the profile matches the server.
    assert lin[0].store.get(record_id) is None
    assert lin[1].status().pending == 0 and report.verified
    notices = lin[0].communities.notifications()
    assert {(n.kind, n.record_id, n.actor, n.title) for n in notices} == {
        (OVERTAKEN_GONE_NOTICE, record_id, "lib", "Ward meetings")
    }  # a notice that says the record is gone, not one that offers to open it
    again = lin[1].sync()
    assert (again.pushed, again.overtaken, again.rejected) == (0, [], [])
    assert len(lin[0].communities.notifications()) == len(notices)

    alice[1].sync()
    assert alice[0].store.get(record_id).status is Status.RETURNED
    history = server_history(alice[1], record_id)
    assert history[-1] == ("lib", "return") and "lin" not in {user for user, _ in history}


def test_edits_beyond_the_review_action_stay_here_when_another_returned_the_record(
    make_client: Callable[[str], Client],
) -> None:
    record_id, alice, lin = returned_by_lib(make_client, "Clinic tickets")
    mine = lin[0].store.get(record_id)
    lin[0].save(mine.with_changes(fields={**mine.fields, "summary": "Tickets by SMS."}))
    lin[0].review(record_id, "published")
    report = lin[1].sync()

    assert report.rejected == [] and report.verified
    publication, edits = report.overtaken
    assert "your publication was not sent" in publication.reason
    assert "your changes were not sent; they are kept on this computer only" in edits.reason
    kept = lin[0].store.get(record_id)
    assert kept is not None and kept.fields["summary"] == "Tickets by SMS."
    assert kept.status is Status.RETURNED  # as the other reviewer left it, not as lin thought
    assert [(e.action.value, e.by) for e in review_log(kept)] == [("submitted", "alice"), ("returned", "lib")]
    assert lin[1].status().pending == 0
    again = lin[1].sync()
    assert (again.pushed, again.overtaken, again.rejected) == (0, [], [])
    assert lin[0].store.get(record_id) is not None  # the feed's removal leaves a copy kept here alone
    alice[1].sync()
    assert "summary" not in alice[0].store.get(record_id).fields


def test_a_return_of_what_another_retired_meanwhile_is_merged_as_overtaken(
    make_client: Callable[[str], Client],
) -> None:
    """A retired record stays visible to librarians: the late return is a conflict that merges."""
    record_id, _alice, lib, lin = in_both_queues(make_client, "Water points")
    lib[0].review(record_id, "published")
    lib[0].review(record_id, "retired", "Replaced by the district map.")
    lib[1].sync()
    lin[0].review(record_id, "returned", "Which villages?")
    report = lin[1].sync()

    assert report.rejected == [] and report.conflicts == 0
    (item,) = report.overtaken
    assert (item.by, item.action) == ("lib", "retired")
    assert "your return was not sent" in item.reason and "Which villages?" in item.reason
    assert lin[0].store.get(record_id).status is Status.RETIRED
    assert lin[1].status().pending == 0
    assert server_history(lib[1], record_id)[-1] == ("lib", "retire")
