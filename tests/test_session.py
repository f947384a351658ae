"""The session keeps the store and the index in step, in one process and across processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, new_record_id
from desktop.paths import ProfilePaths
from desktop.resources import demo_file
from desktop.session import Session

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def session(tmp_path: Path) -> Session:
    opened = Session.open(ProfilePaths(tmp_path / "profile", "test"))
    yield opened
    opened.close()


def _case_study(title: str, **fields: object) -> Record:
    return Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": title, **fields})


def test_a_saved_record_is_searchable_at_once(session: Session) -> None:
    record = _case_study(
        "Borehole maintenance rota", summary="Villagers share the pump maintenance schedule."
    )
    changes = session.save(record)
    assert changes.created == (record.id,)
    hits = session.search("borehole").hits
    assert [hit.id for hit in hits] == [record.id]


def test_edit_and_delete_reach_the_index(session: Session) -> None:
    record = _case_study("Clinic queue tickets")
    session.save(record)
    session.save(record.with_fields(title="Clinic appointment SMS reminders"))
    assert session.search("reminders").total == 1
    assert session.search("tickets").total == 0
    session.delete(record.id)
    assert session.search("reminders").total == 0
    assert session.store.get(record.id).deleted


def test_view_resolves_links_both_ways(session: Session) -> None:
    expert = Record(id=new_record_id(), kind=Kind.EXPERT, fields={"name": "Thandi Demo", "role": "Engineer"})
    study = _case_study("Greywater reuse", summary="x").with_changes(
        links=(Link(Relation.AUTHOR, expert.id), Link(Relation.CITES, "not-here-yet"))
    )
    session.save_many([expert, study])
    view = session.view(study.id)
    assert view is not None
    assert [(link.relation, link.title, link.exists) for link in view.links] == [
        ("author", "Thandi Demo", True),
        ("cites", "", False),
    ]
    expert_view = session.view(expert.id)
    assert expert_view is not None
    assert [(link.label, link.title) for link in expert_view.backlinks] == [("authored", "Greywater reuse")]


def test_index_catches_up_after_another_process_wrote(session: Session, tmp_path: Path) -> None:
    """A scheduled `imbizo import` runs while the app has the profile open: both see every record."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.md").write_text(
        "---\ntitle: Solar streetlights pilot\n---\nA pilot of solar streetlights.\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(session.paths.data_dir), "import", str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    session.catch_up_index()
    assert session.search("streetlights").total == 1


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "shared-profile"
    Session.open(ProfilePaths(data_dir, "test")).close()
    script = textwrap.dedent(
        """
        import sys
        from desktop.core.kinds import Kind
        from desktop.core.records import Record, record_id_for
        from desktop.paths import ProfilePaths
        from desktop.session import Session
        from pathlib import Path
        tag = sys.argv[2]
        with Session.open(ProfilePaths(Path(sys.argv[1]), "test"), lock_timeout=60) as s:
            for n in range(15):
                s.save(Record(id=record_id_for("t", f"{tag}{n}"), kind=Kind.CASE_STUDY,
                              fields={"title": f"Writer {tag} note {n} shared"}))
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(data_dir), tag], cwd=ROOT)
        for tag in ("alpha", "beta")
    ]
    assert [p.wait(timeout=180) for p in procs] == [0, 0]
    with Session.open(ProfilePaths(data_dir, "test")) as session:
        assert session.store.count(Kind.CASE_STUDY) == 30
        assert session.search("shared", limit=50).total == 30
        assert session.check().ok, session.check().problems


def test_demo_knowledge_base_loads_as_demo(session: Session) -> None:
    if not demo_file().exists():
        pytest.skip("the demo knowledge base has not been generated")
    changes = session.load_demo(demo_file())
    assert changes.created
    records = session.records(changes.created)
    assert all(record.demo for record in records.values())
    assert session.store.pending_outbox_count() == 0, "demo records are never pushed"
