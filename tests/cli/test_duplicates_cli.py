"""``imbizo duplicates``, run as a real process on a profile imported from a small corpus slice."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli import check_json, imbizo
from tests.conftest import CORPUS

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not at {CORPUS}")

SLICE = "knowledge_base/digitalgov/news/2024/07"  # holds one article reposted under another file name


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("dup-profile")
    result = imbizo(data_dir, "import", str(CORPUS / SLICE))
    assert result.returncode == 0, result.stderr
    return data_dir


def test_duplicates_json_follows_its_schema(profile: Path) -> None:
    result = imbizo(profile, "duplicates", "--json")
    assert result.returncode == 0, result.stderr
    data = check_json("duplicates", result.stdout)
    [group] = data["groups"]
    assert {r["code"] for r in group["reasons"]} >= {"url", "title_date"}
    assert [r["title"] for r in group["records"]] == ["18F's engineering craft practices at 10"] * 2


def test_duplicates_text_kind_and_limit(profile: Path) -> None:
    result = imbizo(profile, "duplicates")
    assert result.returncode == 0, result.stderr
    assert "same source URL 18f.gsa.gov/2024/07/09/18fs-engineering-craft-basics-at-10" in result.stdout
    none = imbizo(profile, "duplicates", "--kind", "centre-item", "--limit", "3")
    assert none.returncode == 0 and "No likely duplicates found." in none.stdout
    wrong = imbizo(profile, "duplicates", "--kind", "term")
    assert wrong.returncode == 2 and "not term" in wrong.stderr


def _as(profile: Path, tmp_path: Path, role: str) -> Path:
    """A copy of the module's profile whose user has ``role`` (as a sign-in or a sync would set)."""
    import shutil

    from desktop.paths import ProfilePaths
    from desktop.session import ROLE_KEY, Session

    copy = tmp_path / "profile"
    shutil.copytree(profile, copy)
    with Session.open(ProfilePaths(copy, "test")) as session:
        session.store.set_meta(ROLE_KEY, role)
    return copy


def _group(data_dir: Path, *args: str) -> dict:
    result = imbizo(data_dir, "duplicates", "--json", *args)
    assert result.returncode == 0, result.stderr
    return check_json("duplicates", result.stdout)


def test_not_duplicates_dismissed_listed_with_all_and_restored(profile: Path, tmp_path: Path) -> None:
    data_dir = _as(profile, tmp_path, "librarian")
    [group] = _group(data_dir)["groups"]
    assert group["dismissed"] is False
    dismissed = imbizo(data_dir, "duplicates", "--dismiss", group["id"], "--json")
    assert dismissed.returncode == 0, dismissed.stderr
    said = check_json("dismissals", dismissed.stdout)
    assert len(said["updated"]) == 1 and set(said["records"]) == {r["id"] for r in group["records"]}

    assert _group(data_dir)["groups"] == []
    text = imbizo(data_dir, "duplicates")
    assert "No likely duplicates found." in text.stdout
    [marked] = _group(data_dir, "--all")["groups"]
    assert marked["dismissed"] is True and marked["id"] == group["id"]
    listed = imbizo(data_dir, "duplicates", "--all")
    assert "0 group(s) of likely duplicates" in listed.stdout
    assert "Said not to be duplicates:" in listed.stdout

    dismissals = check_json("dismissals", imbizo(data_dir, "duplicates", "--dismissed", "--json").stdout)
    [item] = dismissals["dismissals"]
    assert {r["id"] for r in item["records"]} == set(said["records"])
    plain = imbizo(data_dir, "duplicates", "--dismissed").stdout
    title = "18F's engineering craft practices at 10"
    assert f"“{title}” (" in plain and f") is not “{title}”" in plain  # each with its date

    short_ids = [r["id"][:8] for r in item["records"]]
    restored = imbizo(data_dir, "duplicates", "--restore", *short_ids)
    assert restored.returncode == 0, restored.stderr
    assert "1 pair(s) will be proposed as likely duplicates again" in restored.stdout
    assert [g["id"] for g in _group(data_dir)["groups"]] == [group["id"]]
    again = imbizo(data_dir, "duplicates", "--restore", *short_ids)
    assert again.returncode == 1 and "were not said not to be duplicates" in again.stderr


def test_staff_may_not_dismiss_or_merge_catalogued_knowledge(profile: Path, tmp_path: Path) -> None:
    data_dir = _as(profile, tmp_path, "staff")
    [group] = _group(data_dir)["groups"]
    ids = [r["id"] for r in group["records"]]
    refused = imbizo(data_dir, "duplicates", "--dismiss", *ids)
    assert refused.returncode == 1 and "Librarians decide about duplicates" in refused.stderr
    merge = imbizo(data_dir, "merge", *ids)
    assert merge.returncode == 1 and "Librarians merge duplicates" in merge.stderr
    assert [g["id"] for g in _group(data_dir)["groups"]] == [group["id"]]  # nothing changed
    unknown = imbizo(data_dir, "duplicates", "--dismiss", "000000000000")
    assert unknown.returncode == 1 and "no group" in unknown.stderr


def test_merge_and_undo_from_the_command_line(profile: Path, tmp_path: Path) -> None:
    data_dir = _as(profile, tmp_path, "librarian")
    [group] = _group(data_dir)["groups"]
    keep, other = (r["id"] for r in group["records"])
    merged = imbizo(data_dir, "merge", keep[:8], other, "--json")
    assert merged.returncode == 0, merged.stderr
    result = check_json("merge", merged.stdout)
    entry = result["merge"]
    assert entry["kept"]["id"] == keep and entry["merged"]["id"] == other and entry["undone_at"] is None
    assert other in result["changes"]["deleted"]
    assert _group(data_dir)["groups"] == []
    log = check_json("merge", imbizo(data_dir, "merge", "--log", "--json").stdout)
    assert [e["id"] for e in log["merges"]] == [entry["id"]]

    undo = imbizo(data_dir, "merge", "--undo", str(entry["id"]))
    assert undo.returncode == 0, undo.stderr
    assert undo.stdout.startswith("Undid the merge of “18F's engineering craft practices at 10”")
    assert [g["id"] for g in _group(data_dir)["groups"]] == [group["id"]]
    twice = imbizo(data_dir, "merge", "--undo", str(entry["id"]))
    assert twice.returncode == 1 and "undone already" in twice.stderr
    newest = imbizo(data_dir, "merge", "--undo")
    assert newest.returncode == 1 and "no merge to undo" in newest.stderr
    text = imbizo(data_dir, "merge", keep, other)
    assert text.returncode == 0 and f"Undo it with: imbizo merge --undo {entry['id'] + 1}" in text.stdout
    assert "undone" in imbizo(data_dir, "merge", "--log").stdout


def test_merge_usage_errors(profile: Path) -> None:
    one = imbizo(profile, "merge", "abc")
    assert one.returncode == 2 and "imbizo merge KEEP OTHER" in one.stderr
    both = imbizo(profile, "merge", "--undo", "1", "--log")
    assert both.returncode == 2
    unknown = imbizo(profile, "merge", "nosuchrecord", "nosuchrecordeither")
    assert unknown.returncode == 1 and "no record with id 'nosuchrecord'" in unknown.stderr
