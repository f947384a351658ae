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
