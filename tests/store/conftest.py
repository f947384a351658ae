"""Fixtures of the store tests: a fresh profile on a real SQLite file per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.core.kinds import TITLE_FIELD, Kind
from desktop.core.records import Record, new_record_id
from desktop.store import RecordRepository, open_store


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def repo(profile: Path) -> Iterator[RecordRepository]:
    store = open_store(profile)
    yield store
    store.close()


def make_record(kind: Kind = Kind.CASE_STUDY, title: str = "Clinic queues", **extra: Any) -> Record:
    """A valid record of ``kind`` with a fresh id."""
    fields = {TITLE_FIELD.get(kind, "title"): title}
    fields.update(extra.pop("fields", {}))
    return Record(id=extra.pop("id", new_record_id()), kind=kind, fields=fields, **extra)
