"""``imbizo submit`` and ``imbizo review`` with ``--json``, run as real processes on a real profile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, Status, new_record_id
from desktop.paths import ProfilePaths
from desktop.session import Session
from tests.cli.test_cli import check_json, imbizo


def study(title: str, owner: str, **changes: object) -> Record:
    record = Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": title}, owner=owner)
    return record.with_changes(**changes)


@pytest.fixture
def profile(tmp_path: Path) -> tuple[Path, dict[str, Record]]:
    """A profile of alice's: two drafts of hers (one in a community), one of bob's already submitted."""
    data_dir = tmp_path / "profile"
    community = Record(
        id=new_record_id(), kind=Kind.COMMUNITY, fields={"name": "Water"}, status=Status.PUBLISHED
    )
    records = {
        "community": community,
        "pumps": study(
            "Pump rota",
            "alice",
            fields={"title": "Pump rota", "service_area": "Water"},
            links=(Link(Relation.IN_COMMUNITY, community.id),),
        ),
        "clinic": study("Clinic tickets", "alice"),
        "market": study("Market days", "bob", status=Status.SUBMITTED),
    }
    with Session.open(ProfilePaths(data_dir, "test")) as session:
        session.set_me("alice")
        session.save_many(list(records.values()))
    return data_dir, records


def set_profile(data_dir: Path, *, me: str, role: str) -> None:
    with Session.open(ProfilePaths(data_dir, "test")) as session:
        session.set_me(me)
        session.set_role(role)


def test_submit_and_review_json_follow_the_schema(profile: tuple[Path, dict[str, Record]]) -> None:
    data_dir, records = profile
    pumps, clinic, market = records["pumps"], records["clinic"], records["market"]

    empty = imbizo(data_dir, "review", "--json")
    assert empty.returncode == 0, empty.stderr
    assert check_json("review", empty.stdout) == {"user": "alice", "reviewer": False, "queue": []}

    submitted = imbizo(data_dir, "submit", pumps.id[:8], "--json")
    assert submitted.returncode == 0, submitted.stderr
    result = check_json("review", submitted.stdout)["result"]
    assert (result["id"], result["action"], result["status"]) == (pumps.id, "submitted", "submitted")
    assert result["entry"]["by"] == "alice" and result["history"] == [result["entry"]]
    assert imbizo(data_dir, "submit", clinic.id, "--json").returncode == 0

    # Staff see their own records in review, oldest submission first.
    mine = check_json("review", imbizo(data_dir, "review", "--json").stdout)
    assert [item["id"] for item in mine["queue"]] == [pumps.id, clinic.id]
    assert mine["queue"][0]["communities"] == [records["community"].id]
    assert mine["queue"][0]["service_area"] == "Water"

    # A librarian sees every submission, bob's too, and returns one with a comment.
    set_profile(data_dir, me="lib", role="librarian")
    queue = check_json("review", imbizo(data_dir, "review", "--json").stdout)
    assert queue["reviewer"] is True
    assert {item["id"] for item in queue["queue"]} == {pumps.id, clinic.id, market.id}
    returned = imbizo(data_dir, "review", pumps.id, "--return", "Say who runs the rota.", "--json")
    assert returned.returncode == 0, returned.stderr
    result = check_json("review", returned.stdout)["result"]
    assert result["status"] == "returned"
    assert [(e["action"], e["by"]) for e in result["history"]] == [
        ("submitted", "alice"),
        ("returned", "lib"),
    ]
    assert result["entry"]["comment"] == "Say who runs the rota."
    published = check_json("review", imbizo(data_dir, "review", market.id, "--publish", "--json").stdout)
    assert published["result"]["status"] == "published"

    # The author reads the return and its comment in her queue.
    set_profile(data_dir, me="alice", role="staff")
    queue = check_json("review", imbizo(data_dir, "review", "--json").stdout)
    by_id = {item["id"]: item for item in queue["queue"]}
    assert set(by_id) == {pumps.id, clinic.id}
    assert by_id[pumps.id]["status"] == "returned"
    assert by_id[pumps.id]["returned"]["comment"] == "Say who runs the rota."
    assert by_id[clinic.id]["returned"] is None


def test_a_refused_action_prints_no_json_and_says_why(profile: tuple[Path, dict[str, Record]]) -> None:
    data_dir, records = profile
    refused = imbizo(data_dir, "review", records["market"].id, "--publish", "--json")
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert "cannot mark it published" in refused.stderr
    with pytest.raises(json.JSONDecodeError):
        json.loads(refused.stdout)
