"""The command line and every layer below the UI work with Qt absent (napari's headless check)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BLOCK_QT = """
import sys
class _NoQt:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError("Qt is blocked in this test")
        return None
sys.meta_path.insert(0, _NoQt())
sys.argv = ["imbizo", "--data-dir", sys.argv[1], "search", "anything", "--json"]
from desktop.__main__ import main
raise SystemExit(main())
"""


def test_command_line_runs_without_qt(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_QT, str(tmp_path / "profile")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert '"total": 0' in result.stdout
