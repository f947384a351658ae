"""Shared fixtures: every test runs with its own temp profile, config and log folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: The real-data corpus, beside the project (never copied into it).
CORPUS = Path(os.environ.get("IMBIZO_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus"))


@pytest.fixture(autouse=True)
def _isolated_paths(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the profile, config and log folders at temp folders so no test touches the user's files."""
    base = tmp_path_factory.mktemp("imbizo-home")
    monkeypatch.setenv("IMBIZO_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("IMBIZO_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("IMBIZO_LOG_DIR", str(base / "logs"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(base / "runtime"))


@pytest.fixture
def corpus() -> Path:
    """The shared corpus folder; tests that need it are skipped with a clear reason when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return CORPUS
