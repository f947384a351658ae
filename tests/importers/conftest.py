"""Fixtures of the importer tests: the real-data corpus and a real store in a fresh profile."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.store import RecordRepository, open_store

CORPUS = Path(os.environ.get("IMBIZO_CORPUS", Path(__file__).resolve().parents[3] / "shared" / "corpus"))


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared real-data corpus (read-only); the test is skipped when it is absent."""
    if not (CORPUS / "PROVENANCE.md").is_file():
        pytest.skip(f"real-data corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RecordRepository]:
    """The real SQLite store (desktop.store) in a fresh profile."""
    repo = open_store(tmp_path / "profile")
    yield repo
    repo.close()
