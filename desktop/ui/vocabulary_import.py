"""Importing EuroVoc and the Local Government Service List from the shared corpus, and who may curate.

The Vocabulary page's Import button finds the corpus (``$IMBIZO_CORPUS``, else ``../shared/corpus``
beside the project), or asks for the folder, and runs the app's import flow on its vocabulary CSV
files: batches on the write lane, a progress dialog, then the report.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.core.merging import CURATOR_ROLES
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.session import Session

#: The vocabulary files of the shared corpus the Import button reads (relative to the corpus folder).
CORPUS_VOCABULARIES = ("vocab/eurovoc", "vocab/lgsl_govuk_publisher")


def corpus_folder() -> Path | None:
    """The shared corpus: ``$IMBIZO_CORPUS``, else ``../shared/corpus`` beside the project or the app."""
    candidates = [os.environ.get("IMBIZO_CORPUS", "")]
    here = Path(__file__).resolve()
    candidates += [str(parent / "shared" / "corpus") for parent in here.parents[2:5]]
    for candidate in candidates:
        if candidate and (Path(candidate) / "vocab").is_dir():
            return Path(candidate)
    return None


def vocabulary_files(corpus: Path) -> list[Path]:
    """EuroVoc's and the LGSL's CSV files in a corpus folder (or in a folder holding them)."""
    folders = [corpus / sub for sub in CORPUS_VOCABULARIES if (corpus / sub).is_dir()] or [corpus]
    return sorted(path for folder in folders for path in folder.glob("*.csv"))


def may_curate(session: Session) -> bool:
    """Whether this profile's user edits the vocabulary: librarians and admins (the role the server
    gave at sign-in; an unknown role counts as staff, as everywhere in the app)."""
    return session.role() in CURATOR_ROLES


def import_vocabularies(parent: QWidget, tasks: TaskManager, session: Session) -> Any:
    """Start importing the corpus' EuroVoc and LGSL files; returns the ImportFlow (None if nothing chosen)."""
    from desktop.ui.import_flow import ImportFlow

    corpus = corpus_folder()
    files = vocabulary_files(corpus) if corpus is not None else []
    if not files:
        folder = QFileDialog.getExistingDirectory(
            parent,
            QCoreApplication.translate(
                "VocabularyPage", "Where are EuroVoc and the Local Government Service List?"
            ),
        )
        files = vocabulary_files(Path(folder)) if folder else []
    if not files:
        return None
    flow = ImportFlow(tasks, session, parent)
    flow.start(files)
    return flow
