"""``imbizo import --preview [--json]`` and ``imbizo export --format csv|marcxml``, in process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from desktop.cli.main import main
from tests.conftest import CORPUS

ROOT = Path(__file__).resolve().parents[2]
PYMARC = CORPUS / "library/pymarc_test"
pytestmark = pytest.mark.skipif(not PYMARC.is_dir(), reason=f"the shared corpus is not at {CORPUS}")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def schema() -> dict[str, Any]:
    return json.loads((ROOT / "resources/schemas/import-preview.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    data_dir = tmp_path / "profile"
    code, _out, err = run(capsys, "--data-dir", str(data_dir), "import", str(PYMARC / "marc.dat"))
    assert code == 0, err
    return data_dir


def test_preview_json_follows_its_schema_and_writes_nothing(
    profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text("title,isbn,control_number\nA new one,9780306406157,N1\nSame book,0-596-00085-5,N2\n,,\n")
    before = (profile / "imbizo.db").stat().st_mtime_ns if (profile / "imbizo.db").exists() else None
    code, out, err = run(
        capsys,
        "--data-dir",
        str(profile),
        "import",
        "--preview",
        "--json",
        str(PYMARC / "marc.dat"),
        str(mine),
    )
    assert code == 0, err
    data = json.loads(out)
    jsonschema.validate(data, schema())
    assert data["counts"] == {"add": 1, "update": 0, "unchanged": 20, "duplicate": 1, "rejected": 0}
    duplicate = next(i for i in data["items"] if i["outcome"] == "duplicate")
    assert "same ISBN 9780596000851" in duplicate["reason"] and duplicate["existing_id"]
    code, out, _err = run(capsys, "--data-dir", str(profile), "import", "--preview", str(mine))
    assert out.startswith("Preview of 1 file(s), nothing written: 1 to add")
    assert "duplicate Same book" not in out and "duplicate" in out
    code, out, _err = run(capsys, "--data-dir", str(profile), "import", "--preview", "--json", str(mine))
    assert json.loads(out)["counts"]["add"] == 1  # still not written
    if before is not None:
        assert (profile / "imbizo.db").stat().st_mtime_ns == before


def test_export_csv_and_marcxml_then_the_plain_import_still_works(
    profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for fmt, name in (("csv", "out.csv"), ("marcxml", "out.xml")):
        code, out, err = run(
            capsys, "--data-dir", str(profile), "export", "--format", fmt, str(tmp_path / name)
        )
        assert code == 0, err
        assert out.strip() == f"Exported 20 knowledge-centre item(s) to {tmp_path / name} as {fmt}."
    assert (tmp_path / "out.csv").read_text(encoding="utf-8-sig").startswith("id,source_key,title,authors,")
    code, out, err = run(
        capsys, "--data-dir", str(tmp_path / "fresh"), "import", "--json", str(tmp_path / "out.csv")
    )
    assert code == 0, err
    assert json.loads(out)["added"] == 20
    code, out, _err = run(
        capsys, "--data-dir", str(profile), "import", "--preview", "--json", str(tmp_path / "out.xml")
    )
    assert json.loads(out)["counts"]["unchanged"] == 20


def test_export_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--data-dir", str(tmp_path / "p"), "export", "--format", "pdf", str(tmp_path / "x")])
    assert exit_info.value.code == 2
    code, _out, err = run(
        capsys,
        "--data-dir",
        str(tmp_path / "p"),
        "export",
        "--format",
        "csv",
        str(tmp_path / "no/such/x.csv"),
    )
    assert code == 2 and "existing folder" in err
