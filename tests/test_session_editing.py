"""Editing support through the session: history and restore, trash, "me", working copies, lists."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.kinds import Kind
from desktop.core.records import Record, Status, new_record_id
from desktop.core.validation import ValidationError
from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.store import RecordNotFoundError
from desktop.store.listing import default_user


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    opened = Session.open(ProfilePaths(tmp_path / "profile", "test"))
    yield opened
    opened.close()


def _study(title: str, **fields: object) -> Record:
    return Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": title, **fields})


def test_restoring_a_revision_saves_a_new_one_with_the_old_content(session: Session) -> None:
    first = _study("Borehole rota", summary="Villagers share the pump schedule.")
    session.save(first)
    session.save(first.with_fields(title="Clinic tickets", summary="Numbered tickets at the clinic."))
    history = session.history(first.id)
    assert len(history) == 2
    oldest = history[-1].revision
    changes = session.restore_revision(first.id, oldest)
    assert changes.updated == (first.id,)
    after = session.history(first.id)
    assert len(after) == 3, "history is never rewritten"
    assert [info.revision for info in after[1:]] == [info.revision for info in history]
    current = session.store.get(first.id)
    assert current is not None
    assert current.fields == first.fields
    assert current.revision != oldest and current.revision.startswith("3-")
    assert current.parent_revision == history[0].revision
    assert [hit.id for hit in session.search("borehole").hits] == [first.id]
    assert session.search("tickets").total == 0


def test_an_old_revision_is_readable(session: Session) -> None:
    record = _study("Version one")
    session.save(record)
    revision = session.history(record.id)[0].revision
    session.save(record.with_fields(title="Version two"))
    old = session.revision(record.id, revision)
    assert old is not None and old.title == "Version one" and old.revision == revision
    assert session.revision(record.id, "9-nope") is None


def test_restoring_an_unknown_revision_is_a_clear_error(session: Session) -> None:
    record = _study("Only version")
    session.save(record)
    with pytest.raises(RecordNotFoundError, match="no saved version"):
        session.restore_revision(record.id, "7-missing")


def test_trash_and_restore_bring_the_record_back_to_search(session: Session) -> None:
    record = _study("Greywater gardens", summary="Reusing greywater for school gardens.")
    keep = _study("Solar lamps")
    session.save_many([record, keep])
    session.delete(record.id)
    assert [r.id for r in session.trash()] == [record.id]
    assert session.search("greywater").total == 0
    changes = session.restore_from_trash(record.id)
    assert changes.updated == (record.id,)
    assert session.trash() == []
    assert [hit.id for hit in session.search("greywater").hits] == [record.id]
    restored = session.store.get(record.id)
    assert restored is not None and not restored.deleted


def test_me_defaults_to_the_os_user_and_can_be_set(session: Session) -> None:
    assert session.me() == default_user()
    session.set_me("Nomsa Dlamini")
    assert session.me() == "Nomsa Dlamini"
    with pytest.raises(ValueError, match="must not be empty"):
        session.set_me("   ")


def test_a_new_record_is_my_draft(session: Session) -> None:
    session.set_me("Nomsa")
    record = session.new_record(Kind.SITE_VISIT)
    other = session.new_record(Kind.SITE_VISIT)
    assert record.id != other.id
    assert (record.kind, record.owner, record.status) == (Kind.SITE_VISIT, "Nomsa", Status.DRAFT)
    assert record.created_at
    assert session.store.get(record.id) is None, "nothing is saved until the editor saves"
    session.save_working_copy(record, "")  # empty required title is fine for a working copy
    with pytest.raises(ValidationError, match="required"):
        session.save(record)
    session.save(record.with_fields(title="Visit to the water board"))
    assert [row.title for row in session.my_drafts()] == ["Visit to the water board"]


def test_working_copies_through_the_session(session: Session) -> None:
    record = _study("Draft title")
    session.save_working_copy(record.with_fields(summary="still typing"), "")
    copy = session.working_copy(record.id)
    assert copy is not None and copy.record.fields["summary"] == "still typing"
    assert [c.record.id for c in session.working_copies()] == [record.id]
    assert session.search("typing").total == 0, "a working copy is not indexed"
    session.save(record.with_fields(summary="still typing"))
    assert session.working_copy(record.id) is None
    session.save_working_copy(record.with_fields(summary="more"), session.store.get(record.id).revision)
    session.discard_working_copy(record.id)
    assert session.working_copies() == []


def test_lists_and_home_through_the_session(session: Session) -> None:
    session.set_me("Nomsa")
    session.save_many([_study(f"Study {n}") for n in range(5)])
    session.save(
        Record(
            id=new_record_id(),
            kind=Kind.SITE_VISIT,
            owner="Nomsa",
            fields={"title": "Visit", "follow_ups": [{"action": "Call back", "due": "2000-01-01"}]},
        )
    )
    assert session.count_matching([Kind.CASE_STUDY]) == 5
    page = session.list_page([Kind.CASE_STUDY], sort="title", descending=False, offset=1, limit=2)
    assert [row.title for row in page] == ["Study 1", "Study 2"]
    assert session.recent(limit=1)[0].title == "Visit"
    assert [row.title for row in session.my_drafts()] == ["Visit"]
    due = session.follow_ups_due()
    assert [(d.action, d.overdue) for d in due] == [("Call back", True)]
