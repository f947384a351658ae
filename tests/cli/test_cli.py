"""The imbizo command, run as a real process on a real profile imported from corpus slices."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import CORPUS

ROOT = Path(__file__).resolve().parents[2]
SLICES = (
    "knowledge_base/digitalgov/news/2014/05",
    "knowledge_base/govuk_content_items/case_study",
    "library/pymarc_test",
    "vocab/digitalgov_topics",
    "experts/digitalgov/communities",
    "experts/digitalgov/authors",
)

pytestmark = [
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not at {CORPUS}"),
    # The module's profile is an import of >1,000 corpus records through the command line,
    # built in the first test's set-up: a minute on a busy 2-core machine, more with both
    # test workers building their own.
    pytest.mark.timeout(600),
]


def imbizo(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m desktop --data-dir DIR ARGS...`` and capture its output."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def schema(name: str) -> dict[str, Any]:
    return json.loads((ROOT / "resources" / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))


def check_json(name: str, text: str) -> dict[str, Any]:
    data = json.loads(text)
    jsonschema.validate(data, schema(name), format_checker=jsonschema.FormatChecker())
    return data


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A profile holding the corpus slices, imported once through the command line."""
    data_dir = tmp_path_factory.mktemp("cli-profile")
    result = imbizo(data_dir, "import", "--json", *(str(CORPUS / s) for s in SLICES))
    assert result.returncode in (0, 3), result.stderr
    report = check_json("import", result.stdout)
    assert report["added"] > 1000
    return data_dir


def test_reimport_updates_nothing_and_adds_nothing(profile: Path) -> None:
    result = imbizo(profile, "import", "--json", str(CORPUS / SLICES[0]))
    report = check_json("import", result.stdout)
    assert result.returncode == 0, result.stderr
    assert report["added"] == 0
    assert report["updated"] == 0
    assert report["unchanged"] >= 40


def test_search_json_follows_its_schema_and_finds_real_text(profile: Path) -> None:
    result = imbizo(profile, "search", "mobile", "--json", "--limit", "5")
    assert result.returncode == 0, result.stderr
    data = check_json("search", result.stdout)
    assert data["total"] >= 1
    assert len(data["hits"]) <= 5
    assert (
        any("[[" in hit["snippet"] or "[[" in hit["title"] for hit in data["hits"])
        or data["hits"][0]["title"]
    )
    assert "kind" in data["facets"]


def test_search_with_no_hits_exits_zero(profile: Path) -> None:
    result = imbizo(profile, "search", "zzqxjv", "--json")
    assert result.returncode == 0
    assert check_json("search", result.stdout)["total"] == 0


def test_kind_and_filter_narrow_the_results(profile: Path) -> None:
    result = imbizo(profile, "search", "government", "--kind", "article", "--json", "--limit", "50")
    data = check_json("search", result.stdout)
    assert data["hits"] and all(hit["kind"] == "article" for hit in data["hits"])
    years = [value for value, _ in data["facets"].get("year", [])]
    assert years
    narrowed = check_json(
        "search", imbizo(profile, "search", "government", "--filter", f"year={years[0]}", "--json").stdout
    )
    assert 0 < narrowed["total"] <= data["total"] or narrowed["total"] > 0


def test_usage_errors_exit_two(profile: Path) -> None:
    assert imbizo(profile, "search", "x", "--filter", "colour=red").returncode == 2
    assert imbizo(profile, "search", "x", "--filter", "noequals").returncode == 2
    assert imbizo(profile, "search", "x", "--kind", "bogus").returncode == 2
    assert imbizo(profile, "search", "x", "--limit", "0").returncode == 2
    assert imbizo(profile, "frobnicate").returncode == 2


def test_experts_json_lists_people_with_evidence(profile: Path) -> None:
    result = imbizo(profile, "experts", "mobile", "--json")
    assert result.returncode == 0, result.stderr
    data = check_json("experts", result.stdout)
    assert data["topic"] == "mobile"
    assert data["experts"], "authors of the May 2014 mobile posts should be found"
    assert all(expert["evidence"] for expert in data["experts"])
    # Filters narrow the same ranking: an organisation nobody has, and an availability nobody set yet.
    for option in (["--organisation", "No such organisation"], ["--available", "mentoring"]):
        narrowed = imbizo(profile, "experts", "mobile", "--json", *option)
        assert narrowed.returncode == 0, narrowed.stderr
        assert check_json("experts", narrowed.stdout)["experts"] == []
    organisation = data["experts"][0]["organisation"]
    if organisation:
        same = imbizo(profile, "experts", "mobile", "--json", "--organisation", organisation.upper())
        assert {e["organisation"] for e in check_json("experts", same.stdout)["experts"]} == {organisation}
    assert imbizo(profile, "experts", "mobile", "--available", "gossip").returncode == 2


def test_show_json_has_source_licence_and_resolved_links(profile: Path) -> None:
    found = imbizo(profile, "search", "mobile", "--kind", "article", "--limit", "50", "--json")
    hits = [hit for hit in check_json("search", found.stdout)["hits"] if hit.get("author")]
    assert hits, "some May 2014 mobile posts name their authors"
    result = imbizo(profile, "show", hits[0]["id"][:12], "--json")
    assert result.returncode == 0, result.stderr
    record = check_json("show", result.stdout)
    assert record["source"]["licence"]
    authors = [link for link in record["links"] if link["relation"] == "author"]
    assert authors and all(link["exists"] and link["title"] for link in authors)
    assert {link["title"] for link in authors} == set(hits[0]["author"])


def test_show_unknown_id_fails_clearly(profile: Path) -> None:
    result = imbizo(profile, "show", "00000000-0000-0000-0000-000000000000")
    assert result.returncode == 1
    assert "no record" in result.stderr


def test_check_passes_and_backup_restores(profile: Path, tmp_path: Path) -> None:
    assert imbizo(profile, "check").returncode == 0
    backup = tmp_path / "copy.db"
    assert imbizo(profile, "backup", str(backup)).returncode == 0
    with sqlite3.connect(backup) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    fresh = tmp_path / "fresh"
    assert imbizo(fresh, "restore", str(backup)).returncode == 0
    result = imbizo(fresh, "search", "mobile", "--json")
    assert check_json("search", result.stdout)["total"] >= 1


def test_malformed_files_are_reported_by_name_and_the_rest_imported(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.md").write_text("---\ntitle: Water kiosks in Ward 7\n---\nBody about water kiosks.\n")
    (folder / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody\n")
    (folder / "bad.json").write_text("{not json")
    result = imbizo(tmp_path / "p", "import", str(folder))
    assert result.returncode == 3
    assert "broken.md" in result.stderr and "bad.json" in result.stderr
    search = check_json("search", imbizo(tmp_path / "p", "search", "kiosks", "--json").stdout)
    assert search["total"] == 1


def test_profile_written_by_a_newer_version_is_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "newer"
    assert imbizo(data_dir, "check").returncode == 0
    with sqlite3.connect(data_dir / "imbizo.db") as db:
        db.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    result = imbizo(data_dir, "search", "x")
    assert result.returncode == 1
    assert "newer version" in result.stderr


def test_opening_the_app_reads_its_few_options_without_the_command_grammar() -> None:
    from desktop.cli.main import app_arguments

    args = app_arguments(["--data-dir", "/tmp/p", "-v", "--smoke-test"])
    assert args is not None and (args.command, args.data_dir, args.verbose, args.smoke_test) == (
        None, "/tmp/p", True, True,
    )  # fmt: skip
    assert app_arguments(["--data-dir=/tmp/q"]).data_dir == "/tmp/q"
    assert app_arguments([]).data_dir is None
    for full_parser_needed in (["search", "x"], ["--data-dir"], ["--help"], ["--data-dir", "-v"], ["x"]):
        assert app_arguments(full_parser_needed) is None
