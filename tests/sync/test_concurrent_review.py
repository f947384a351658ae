"""Two librarians review the same submission at once, against a real server process.

The one whose review reaches the server first wins. The other's sync does not end in a
conflict to resolve: their review action is left out of the merge and reported as
overtaken, with a reason naming who acted first (in the sync's report, apart from the
server's refusals, and as a notification that survives a restart), their comment quoted so
nothing typed is lost. A later action of theirs that still applies to the record as it now
is (retiring what the other published) is merged after the first reviewer's and reaches
the server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop.core.kinds import Kind
from desktop.core.records import Record, Status, new_record_id
from desktop.core.review import OVERTAKEN_NOTICE, review_log
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


def server_history(service: SyncService, record_id: str) -> list[tuple[str, str]]:
    entries = service.server_history(record_id)
    assert entries is not None
    return [(entry.user, entry.action) for entry in entries]


def test_the_second_review_is_refused_naming_who_acted_first(make_client: Callable[[str], Client]) -> None:
    alice, lib, lin = make_client("alice"), make_client("lib"), make_client("lin")
    record_id = submitted_case(alice, "Ward meetings")
    lib[1].sync()
    lin[1].sync()
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
    alice, lib, lin = make_client("alice"), make_client("lib"), make_client("lin")
    record_id = submitted_case(alice, "Clinic tickets")
    lib[1].sync()
    lin[1].sync()
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
