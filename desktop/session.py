"""One open profile: the store (the truth) and the search index (its cache), kept in step.

The command line and the app both work through a :class:`Session`, so a record
saved by either is indexed the same way. Every write and the index update that
follows it run under the store's cross-process write lock, so the app, a
scheduled ``imbizo import`` and ``imbizo sync`` never interleave.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.changes import Changes, ImportReport
from desktop.core.kinds import Kind
from desktop.core.records import INVERSE_LABELS, Record
from desktop.importers import import_paths
from desktop.paths import ProfilePaths
from desktop.search import ExpertFinder, ExpertMatch, Hit, SearchIndex, SearchResult
from desktop.store import RecordRepository, open_store

logger = logging.getLogger(__name__)

#: Import this many files between two index catch-ups, so a long import becomes searchable as it goes.
INDEX_CATCH_UP_EVERY = 200
#: A first import into an empty profile of at least this many records rebuilds the index at the end.
BULK_REBUILD_FROM = 500


@dataclass(frozen=True)
class LinkView:
    """A link as a person reads it: which way, how, and to what."""

    relation: str
    label: str
    id: str
    kind: str
    title: str
    exists: bool

    def to_json(self) -> dict[str, Any]:
        """The link as the JSON of ``show --json``."""
        return {
            "relation": self.relation,
            "label": self.label,
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "exists": self.exists,
        }


@dataclass(frozen=True)
class RecordView:
    """A record with every connection resolved: what it points at and what points at it."""

    record: Record
    links: list[LinkView] = field(default_factory=list)
    backlinks: list[LinkView] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The JSON of ``show --json``."""
        data = self.record.to_json()
        data["links"] = [link.to_json() for link in self.links]
        data["backlinks"] = [link.to_json() for link in self.backlinks]
        return data


@dataclass(frozen=True)
class CheckReport:
    """What ``imbizo check`` found."""

    ok: bool
    problems: list[str]
    details: dict[str, Any]


class Session:
    """An open profile. Use :meth:`open`; close it when done (or use it as a context manager)."""

    def __init__(self, paths: ProfilePaths, store: RecordRepository, index: SearchIndex):
        self.paths = paths
        self.store = store
        self.index = index

    # -- opening and closing -------------------------------------------------

    @classmethod
    def open(cls, paths: ProfilePaths, *, lock_timeout: float = 5.0) -> Session:
        """Open (creating if needed) the profile, its store and its index; the index is checked and
        caught up or rebuilt before this returns."""
        paths.data_dir.mkdir(parents=True, exist_ok=True)
        store = open_store(paths.data_dir, lock_timeout=lock_timeout)
        index = SearchIndex.open(paths.index_dir, store)
        session = cls(paths, store, index)
        with store.writing():
            index.ensure_ready(store)
        return session

    def close(self) -> None:
        """Release the index and the database."""
        self.index.close()
        self.store.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------

    def save(self, record: Record) -> Changes:
        """Save one record and make it searchable at once."""
        return self.save_many([record])

    def save_many(self, records: Sequence[Record]) -> Changes:
        """Save records in one transaction and index them, holding the write lock throughout."""
        with self.store.writing():
            changes = self.store.save_many(records)
            self.index.apply(changes, self.store)
        return changes

    def delete(self, record_id: str) -> Changes:
        """Move a record to the trash (a tombstone) and drop it from search."""
        with self.store.writing():
            changes = self.store.delete(record_id)
            self.index.apply(changes, self.store)
        return changes

    def import_paths(
        self,
        paths: Sequence[Path],
        *,
        progress: Callable[[int, int, str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportReport:
        """Import files and folders and make them searchable.

        Into a profile that already has records, the index catches up as the import
        goes, so a long import becomes searchable while it runs. The first bulk import
        into an empty profile instead rebuilds the index once at the end with both
        cores, about twice as fast as indexing record by record.
        """
        bulk = self.store.count() == 0
        files_done = 0

        def on_progress(done: int, total: int, name: str) -> None:
            nonlocal files_done
            if not bulk and done - files_done >= INDEX_CATCH_UP_EVERY:
                files_done = done
                self.catch_up_index()
            if progress:
                progress(done, total, name)

        try:
            report = import_paths(paths, self.store, progress=on_progress, cancelled=cancelled)
        finally:
            if bulk and self.store.count() >= BULK_REBUILD_FROM:
                self.reindex()
            else:
                self.catch_up_index()
        return report

    def load_demo(self, demo_file: Path) -> Changes:
        """Load the demo knowledge base shipped in resources/ (records marked demo, never pushed)."""
        data = json.loads(demo_file.read_text(encoding="utf-8"))
        records = [Record.from_json(item).with_changes(demo=True) for item in data["records"]]
        return self.save_many(records)

    def catch_up_index(self) -> int:
        """Bring the index up to the store's newest change; returns how many records were indexed."""
        with self.store.writing():
            return self.index.catch_up(self.store)

    def reindex(self) -> None:
        """Rebuild the whole index from the store."""
        with self.store.writing():
            self.index.rebuild(self.store)

    # -- reading -------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        kinds: Sequence[Kind] = (),
        filters: dict[str, list[str]] | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> SearchResult:
        """Ranked full-text search with facets, snippets and a spelling suggestion."""
        return self.index.search(query, kinds=kinds, filters=filters or {}, limit=limit, offset=offset)

    def as_you_type(self, text: str, *, limit: int = 10) -> list[Hit]:
        """Quick matches while a person types: titles from the first letter, full text from the third."""
        return self.index.as_you_type(text, limit=limit)

    def find_experts(self, topic: str, *, limit: int = 10) -> list[ExpertMatch]:
        """People ranked by the evidence that they know about ``topic``."""
        return ExpertFinder(self.index, self.store).find(topic, limit=limit)

    def resolve_id(self, text: str) -> str | None:
        """A full record id from an id or a unique prefix of at least 8 characters."""
        text = text.strip()
        if self.store.get(text) is not None:
            return text
        if len(text) >= 8:
            matches = self.store.ids_with_prefix(text, limit=2)
            if len(matches) == 1:
                return matches[0]
        return None

    def view(self, record_id: str) -> RecordView | None:
        """A record with its links resolved to titles and kinds, and what links to it."""
        record = self.store.get(record_id)
        if record is None:
            return None
        targets = self.store.get_many(link.target_id for link in record.links)
        links = []
        for link in record.links:
            target = targets.get(link.target_id)
            links.append(
                LinkView(
                    relation=link.relation.value,
                    label=link.relation.value.replace("_", " "),
                    id=link.target_id,
                    kind=target.kind.value if target else "",
                    title=target.title if target else "",
                    exists=target is not None and not target.deleted,
                )
            )
        backlinks = [
            LinkView(
                relation=back.relation.value,
                label=INVERSE_LABELS[back.relation],
                id=back.source_id,
                kind=back.source_kind.value,
                title=back.source_title,
                exists=True,
            )
            for back in self.store.backlinks(record_id)
        ]
        return RecordView(record, links, backlinks)

    def records(self, record_ids: Iterable[str]) -> dict[str, Record]:
        """Several records at once."""
        return self.store.get_many(record_ids)

    # -- maintenance ---------------------------------------------------------

    def check(self) -> CheckReport:
        """Database integrity and index consistency, as ``imbizo check`` reports them."""
        store_report = self.store.check()
        index_report = self.index.check(self.store)
        problems = list(store_report.problems) + list(index_report.problems)
        return CheckReport(
            ok=not problems,
            problems=problems,
            details={"store": store_report.problems, "index": index_report.to_json()},
        )

    def backup(self, destination: Path) -> None:
        """Copy the database to ``destination`` with SQLite's backup API."""
        self.store.backup(destination)

    def restore(self, source: Path) -> None:
        """Replace the database with a backup (checked first), then rebuild the index from it."""
        with self.store.writing():
            self.store.restore(source)
            self.index.rebuild(self.store)
