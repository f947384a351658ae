"""Importers: real collections (Markdown with front matter, GOV.UK content items,
MARC21/MARCXML catalogue records, vocabulary CSV) into records.

Depends only on ``desktop.core``. The public API:

- :func:`import_paths` walks files and folders and saves each file's records
  with one ``store.save_many`` call (all or nothing per file), returning an
  :class:`~desktop.core.changes.ImportReport`;
- :class:`ImportRun` does the same a few files at a time (for the app's write lane);
- :func:`parse_path` parses without a store, for previews;
- :func:`export_marcxml` gives back the original MARC records of items.
"""

from desktop.importers.errors import ImportFileError
from desktop.importers.marc_build import export_marcxml
from desktop.importers.model import ParsedFile
from desktop.importers.run import ImportRun, detect_format, import_paths, parse_path

__all__ = [
    "ImportFileError",
    "ImportRun",
    "ParsedFile",
    "detect_format",
    "export_marcxml",
    "import_paths",
    "parse_path",
]
