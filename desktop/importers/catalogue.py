"""Exporting the catalogue (knowledge-centre items) as catalogue CSV or MARCXML, to a file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from desktop.core.kinds import Kind
from desktop.core.records import Record
from desktop.importers.catalogue_csv import export_csv
from desktop.importers.marc_build import export_marcxml

CatalogueFormat = Literal["csv", "marcxml"]
FORMATS: tuple[CatalogueFormat, ...] = ("csv", "marcxml")


def catalogue_bytes(records: Iterable[Record], fmt: CatalogueFormat) -> tuple[bytes, int]:
    """The file's bytes and how many items it holds."""
    items = [r for r in records if r.kind is Kind.CENTRE_ITEM and not r.deleted]
    if fmt == "csv":
        return export_csv(items), len(items)
    if fmt == "marcxml":
        return export_marcxml(items), len(items)
    raise ValueError(f"unknown catalogue format {fmt!r}; use csv or marcxml")


def write_catalogue(records: Iterable[Record], path: Path, fmt: CatalogueFormat) -> int:
    """Write the items to ``path`` through a temporary file (a failed export leaves no half file)."""
    data, count = catalogue_bytes(records, fmt)
    path = Path(path)
    fd, temp_name = tempfile.mkstemp(prefix=".export-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return count
