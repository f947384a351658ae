"""SearchIndex: the Whoosh index as a rebuildable, version-stamped cache of the store.

Writes: ``apply`` (after each store write), ``catch_up`` (the change feed since the
watermark), ``rebuild`` (a fresh generation built with several processes, then
swapped in) and ``ensure_ready`` (start-up: never trust the index blindly).
Reads: one searcher per thread, refreshed after commits.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.index import LockError

from desktop.core.changes import Changes
from desktop.core.kinds import Kind
from desktop.core.ports import RecordStore
from desktop.core.records import Record
from desktop.search import storage
from desktop.search.analysis import SEP
from desktop.search.attachments import fetch_attachment_texts
from desktop.search.documents import NAMED_KINDS, build_document, fetch_linked
from desktop.search.facets import FacetCache
from desktop.search.query import PROSE_FIELDS, Vocabulary, make_parser
from desktop.search.results import Hit, IndexCheck, SearchResult
from desktop.search.schema import SCHEMA_VERSION
from desktop.search.searching import SearchContext, run_as_you_type, run_search
from desktop.search.stamp import Stamp, read_stamp, write_stamp

logger = logging.getLogger(__name__)

BATCH = 500
#: Autosaves commit without merging, one small segment each; past this many segments the small
#: ones are merged in a background thread (every search pays per segment; a save never waits
#: for a merge it started, only for one already running).
MERGE_AFTER_SEGMENTS = 8
#: How long start-up waits for another process's segment merge to release the index write lock.
LOCK_WAIT = 60.0
#: Records changed beyond this share of the store are rebuilt rather than repaired one by one.
REPAIR_SHARE = 0.2
#: Catching up fewer changes than this is always done in place, whatever the share.
REBUILD_BACKLOG_MIN = 2_000


class IndexNotReadyError(RuntimeError):
    """The index could not be opened; ``ensure_ready`` rebuilds it."""


@dataclass(frozen=True)
class Readiness:
    """What ``ensure_ready`` did and why: ``ok``, ``caught_up``, ``repaired`` or ``rebuilt``."""

    action: str
    reason: str
    check: IndexCheck


class SearchIndex:
    """The search index of one profile. Thread-safe: writes are serialised, searchers are per thread."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self._ix: Any | None = None
        self._stamp: Stamp | None = None
        self._problem = "not opened"
        self._write_lock = threading.RLock()
        self._version = 0  # bumped after every commit; searchers refresh when it moves
        self._local = threading.local()
        self._searchers: dict[int, Any] = {}
        self._searchers_lock = threading.Lock()
        self._facet_cache = FacetCache()
        self._vocabulary: tuple[int, Vocabulary] = (-1, Vocabulary())
        self._vocab_version = 0
        self._merger: threading.Thread | None = None

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, index_dir: Path, store: RecordStore) -> SearchIndex:
        """Open the index folder without repairing it (``ensure_ready`` does that).

        A missing, unstamped, outdated or unreadable index leaves the object open
        but not ready; ``store`` is accepted for symmetry with the other entry points.
        """
        del store
        index = cls(index_dir)
        index._open_current()
        return index

    def _open_current(self) -> None:
        stamp = read_stamp(self.index_dir)
        self._stamp = stamp
        self._ix = None
        if stamp is None:
            self._problem = "no index stamp"
            return
        if stamp.schema_version != SCHEMA_VERSION:
            self._problem = f"schema version {stamp.schema_version}, expected {SCHEMA_VERSION}"
            return
        try:
            self._ix = storage.open_generation(self.index_dir, stamp.generation)
        except Exception as exc:  # whoosh raises many kinds of errors on broken files
            self._problem = f"index could not be opened: {exc!r}"
            logger.warning("search index %s: %s", self.index_dir, self._problem)
            return
        self._problem = ""
        self._bump()

    @property
    def ready(self) -> bool:
        """True when an index of the current schema is open."""
        return self._ix is not None

    @property
    def watermark(self) -> int:
        """The store change-feed position the index has caught up with."""
        return self._stamp.watermark if self._stamp else 0

    def close(self) -> None:
        """Wait for a background merge, then close every searcher this object opened (all threads)."""
        merger = self._merger
        if merger is not None:
            merger.join()
        self._close_searchers()
        self._ix = None

    # ------------------------------------------------------------------ searchers

    def _bump(self) -> None:
        self._version += 1

    def _close_searchers(self) -> None:
        with self._searchers_lock:
            searchers, self._searchers = list(self._searchers.values()), {}
        for searcher in searchers:
            _close_quietly(searcher)
        self._bump()

    def searcher(self) -> Any:
        """This thread's searcher, reopened if the index changed since it was opened."""
        ix = self._ix
        if ix is None:
            raise IndexNotReadyError(self._problem or "index not ready")
        local = self._local
        searcher = getattr(local, "searcher", None)
        if searcher is not None and getattr(local, "ix", None) is ix and local.version == self._version:
            return searcher
        if searcher is not None and getattr(local, "ix", None) is ix:
            # Reopen only what the commit changed (storage.reopen_searcher, not the buggy refresh()).
            searcher = storage.reopen_searcher(ix, searcher)
        else:
            if searcher is not None:
                _close_quietly(searcher)
            searcher = ix.searcher()
        local.searcher, local.ix, local.version = searcher, ix, self._version
        with self._searchers_lock:
            self._searchers[threading.get_ident()] = searcher
        return searcher

    def _context(self, searcher: Any) -> SearchContext:
        parser = getattr(self._local, "parser", None)
        if parser is None or getattr(self._local, "parser_ix", None) is not self._ix:
            self._local.parser = parser = make_parser(searcher.schema)
            self._local.plain_parser = make_parser(searcher.schema, ("title", "summary", "topics", "body"))
            self._local.parser_ix = self._ix
        return SearchContext(
            parser, self._local.plain_parser, self._vocabulary_for(searcher), self._facet_cache
        )

    def _vocabulary_for(self, searcher: Any) -> Vocabulary:
        version, vocabulary = self._vocabulary
        if version != self._vocab_version:
            labels = [doc.get("labels") or [] for doc in searcher.documents(kind=Kind.TERM.value)]
            vocabulary = Vocabulary.from_labels(labels)
            self._vocabulary = (self._vocab_version, vocabulary)
            logger.debug("vocabulary map rebuilt: %d alternative labels", len(vocabulary))
        return vocabulary

    # ------------------------------------------------------------------ reading

    def search(
        self,
        query: str,
        *,
        kinds: Sequence[Kind] = (),
        filters: Mapping[str, Sequence[str]] | None = None,
        limit: int = 10,
        offset: int = 0,
        facets: bool = True,
    ) -> SearchResult:
        """Ranked hits for ``query``, filtered by kinds and facets, with counts and a suggestion.

        Raises ValueError for an unknown facet name and IndexNotReadyError before ``ensure_ready``.
        """
        searcher = self.searcher()
        return run_search(
            searcher,
            self._context(searcher),
            query,
            kinds=kinds,
            filters=filters or {},
            limit=limit,
            offset=offset,
            facets=facets,
        )

    def as_you_type(self, text: str, *, limit: int = 10, kinds: Sequence[Kind] = ()) -> list[Hit]:
        """Fast, bounded matches while typing: titles and names from one character, full text from three."""
        searcher = self.searcher()
        return run_as_you_type(searcher, self._context(searcher), text, limit=limit, kinds=kinds)

    def doc_count(self) -> int:
        """Number of documents in the index."""
        return int(self.searcher().doc_count())

    def segment_count(self) -> int:
        """Number of segments in the live index (autosaves add one each until a merge)."""
        return len(self.searcher().leaf_searchers())

    def indexed_revisions(self) -> dict[str, str]:
        """Record id -> indexed revision for every live document (duplicates reported as ghosts by check)."""
        return dict(self._indexed_pairs()[0])

    def _indexed_pairs(self) -> tuple[list[tuple[str, str]], int]:
        pairs: list[tuple[str, str]] = []
        duplicates = 0
        seen: set[str] = set()
        searcher = self.searcher()
        for leaf, _ in searcher.leaf_searchers():
            reader = leaf.reader()
            if not reader.has_column("idrev"):
                continue
            column = reader.column_reader("idrev")
            for docnum in range(reader.doc_count_all()):
                if reader.is_deleted(docnum):
                    continue
                record_id, _, revision = bytes(column[docnum]).decode("utf-8").partition(SEP)
                if record_id in seen:
                    duplicates += 1
                    continue
                seen.add(record_id)
                pairs.append((record_id, revision))
        return pairs, duplicates

    def check(self, store: RecordStore) -> IndexCheck:
        """Compare the index with the store: schema, watermark and (id, revision) pairs (R10)."""
        store_seq = store.last_seq()
        stamp = read_stamp(self.index_dir)
        version = stamp.schema_version if stamp else None
        watermark = stamp.watermark if stamp else 0
        if self._ix is None:
            live = store.count()
            return IndexCheck(version, SCHEMA_VERSION, watermark, store_seq, missing=live)
        expected = dict(store.revisions())
        pairs, duplicates = self._indexed_pairs()
        indexed = dict(pairs)
        missing = tuple(sorted(set(expected) - set(indexed)))
        ghost = tuple(sorted(set(indexed) - set(expected)))
        stale = tuple(sorted(i for i in set(expected) & set(indexed) if expected[i] != indexed[i]))
        return IndexCheck(
            version,
            SCHEMA_VERSION,
            watermark,
            store_seq,
            missing=len(missing),
            stale=len(stale),
            ghost=len(ghost) + duplicates,
            missing_ids=missing,
            stale_ids=stale,
            ghost_ids=ghost,
        )

    # ------------------------------------------------------------------ writing

    def _save_stamp(self, watermark: int, generation: str | None = None) -> None:
        current = read_stamp(self.index_dir)
        generation = generation or (self._stamp.generation if self._stamp else "")
        if generation != (current.generation if current else generation):
            # Another process swapped in a new generation: never point back at ours.
            logger.warning("index generation changed under us; not stamping %s", generation)
            return
        self._stamp = Stamp(SCHEMA_VERSION, watermark, generation)
        write_stamp(self.index_dir, self._stamp)

    def _documents(self, store: RecordStore, records: Sequence[Record]) -> list[dict[str, Any]]:
        linked = fetch_linked(store, records)
        attached = fetch_attachment_texts(store, records)
        return [build_document(r, linked, attached.get(r.id, "")) for r in records]

    def _write_ids(self, writer: Any, store: RecordStore, ids: Iterable[str]) -> tuple[int, bool]:
        """Index the live records among ``ids`` and delete the rest; returns (count, touched terms)."""
        wanted = sorted(set(ids))
        written = 0
        touched_terms = False
        # Old versions are found with this thread's searcher when it sees the writer's commit:
        # whoosh's update_document/delete_by_term open a reader of every segment per record.
        searcher = storage.aligned_searcher(self.searcher(), writer)

        def delete(record_id: str) -> None:
            if searcher is None:
                writer.delete_by_term("id", record_id)
                return
            for docnum in searcher.document_numbers(id=record_id):
                writer.delete_document(docnum)

        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start : start + BATCH]
            found = store.get_many(chunk)
            live = [r for r in found.values() if not r.deleted]
            touched_terms |= any(r.kind is Kind.TERM for r in found.values())
            for record_id in set(chunk) - {r.id for r in live}:
                delete(record_id)
                touched_terms = True  # a deleted id may have been a term: rebuild the map lazily
            for doc in self._documents(store, live):
                if searcher is None:
                    writer.update_document(**doc)
                else:
                    delete(doc["id"])
                    writer.add_document(**doc)
            written += len(chunk)
        return written, touched_terms

    def _dependents(self, store: RecordStore, ids: set[str]) -> set[str]:
        """Records whose documents copy names from ``ids`` (their authors, communities, terms, questions)."""
        found = store.get_many(ids)
        named = {i for i in ids if i not in found or found[i].kind in NAMED_KINDS or found[i].deleted}
        return store.linking_to(named) - ids if named else set()

    def _pending(self, store: RecordStore) -> tuple[set[str], int]:
        """Ids in the change feed after the watermark, and the newest seq seen."""
        ids: set[str] = set()
        seq = self.watermark
        while True:
            entries = store.changes_since(seq, limit=1000)
            if not entries:
                return ids, seq
            ids.update(e.record_id for e in entries)
            seq = max(seq, max(e.seq for e in entries))
            if len(entries) < 1000:
                return ids, seq

    def _update(self, store: RecordStore, ids: set[str], watermark: int) -> int:
        if self._ix is None:
            raise IndexNotReadyError(self._problem or "index not ready")
        ids = ids | self._dependents(store, ids) if ids else ids
        if ids:
            writer = self._ix.writer(timeout=10.0, **storage.writer_options())
            try:
                count, touched_terms = self._write_ids(writer, store, ids)
            except BaseException:
                writer.cancel()
                raise
            writer.commit(merge=False)
            if touched_terms:
                self._vocab_version += 1
            self._bump()
            self._merge_later()
        else:
            count = 0
        if watermark != self.watermark:
            self._save_stamp(watermark)
        return count

    def apply(self, changes: Changes, store: RecordStore) -> int:
        """Index what one store write changed (plus anything else the feed shows since the watermark).

        Commits without merging and refreshes searchers; returns the number of records touched.
        """
        with self._write_lock:
            self._follow_stamp()
            pending, seq = self._pending(store)
            ids = set(changes.saved) | set(changes.deleted) | pending
            return self._update(store, ids, max(seq, changes.seq, self.watermark))

    def catch_up(self, store: RecordStore) -> int:
        """Apply the store's change feed since the watermark; returns the number of records touched."""
        with self._write_lock:
            self._follow_stamp()
            ids, seq = self._pending(store)
            count = self._update(store, ids, max(seq, self.watermark))
            if count:
                logger.info("search index caught up %d records to seq %d", count, seq)
            return count

    def _follow_stamp(self) -> None:
        """Adopt what another process wrote to the stamp since we last looked (call under the locks).

        Several processes (the app, the CLI, a second window) share one index folder; every
        index write runs under the store's cross-process write lock, so the stamp on disk is
        the truth. A newer watermark saves re-indexing what the other process already did; a
        new generation (the other process rebuilt) must be followed, or our writes would go to
        a folder that rebuild is about to remove.
        """
        stamp = read_stamp(self.index_dir)
        if stamp is None or self._stamp is None or stamp == self._stamp:
            return
        if stamp.generation != self._stamp.generation or self._ix is None:
            logger.info("search index: another process swapped in %s; following it", stamp.generation)
            self._close_searchers()
            self._open_current()
            self._facet_cache = FacetCache()
            self._vocab_version += 1
        elif stamp.watermark > self._stamp.watermark:
            self._stamp = stamp
            self._vocab_version += 1  # its commits may have touched vocabulary terms
            self._bump()  # searchers reopen on the other process's commits

    def _merge_later(self) -> None:
        """Start merging the small segments in a background thread once there are too many."""
        if self._merger is not None and self._merger.is_alive():
            return
        ix = self._ix
        if ix is None or len(ix._segments()) <= MERGE_AFTER_SEGMENTS:
            return
        self._merger = threading.Thread(target=self._merge_small, args=(ix,), name="index-merge", daemon=True)
        self._merger.start()

    def _merge_small(self, ix: Any) -> None:
        """Merge the small segments of ``ix`` (whoosh's MERGE_SMALL policy leaves big ones alone)."""
        try:
            with self._write_lock:
                current = self._ix
                if current is None or current is not ix:
                    return  # rebuilt or closed meanwhile
                writer = current.writer(timeout=10.0, **storage.writer_options())
                writer.commit(merge=True)
                self._bump()
        except Exception:  # a merge is an optimisation: never let it take the app down
            logger.warning("merging index segments failed", exc_info=True)

    def optimize(self) -> None:
        """Merge all segments into one (slow: run it in a worker, rarely, never on the GUI path)."""
        with self._write_lock:
            if self._ix is None:
                raise IndexNotReadyError(self._problem)
            writer = self._ix.writer(timeout=10.0, **storage.writer_options())
            writer.commit(optimize=True)  # not ix.optimize(): that would write a compound segment
            self._bump()

    def rebuild(self, store: RecordStore, procs: int = 2) -> int:
        """Build a fresh generation from every live record and swap it in; returns the record count.

        ``procs > 1`` analyses in several processes with ``multisegment=True`` (about 2x on two
        cores, PERFORMANCE.md). A crash before the stamp is rewritten leaves the old index live.
        """
        with self._write_lock:
            seq = store.last_seq()  # changes during the build are caught up afterwards
            name = storage.new_generation_name()
            ix = storage.create_generation(self.index_dir, name)
            options: dict[str, Any] = {"limitmb": 128, **storage.writer_options()}
            if procs > 1:
                options.update(procs=procs, multisegment=True)
            writer = ix.writer(**options)
            count = 0
            try:
                batch: list[Record] = []
                for record in store.iter_records():
                    batch.append(record)
                    if len(batch) >= BATCH:
                        count += self._add_batch(writer, store, batch)
                        batch = []
                count += self._add_batch(writer, store, batch)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            self._close_searchers()
            previous = self._ix
            self._ix, self._problem = ix, ""
            self._stamp = Stamp(SCHEMA_VERSION, seq, name)
            write_stamp(self.index_dir, self._stamp)
            del previous
            self._facet_cache = FacetCache()
            self._vocab_version += 1
            self._bump()
            storage.remove_other_generations(self.index_dir, keep=name)
            logger.info("search index rebuilt: %d records in %s", count, name)
            self.catch_up(store)
            return count

    def _add_batch(self, writer: Any, store: RecordStore, batch: list[Record]) -> int:
        for doc in self._documents(store, batch):
            writer.add_document(**doc)
        return len(batch)

    # ------------------------------------------------------------------ start-up

    def ensure_ready(self, store: RecordStore, procs: int = 2) -> Readiness:
        """Make the index equal to the store: rebuild if outdated, broken or locked; else catch up, repair."""
        with self._write_lock:
            self._follow_stamp()
            reason = self._unusable_reason()
            if reason:
                logger.warning("search index %s: %s; rebuilding", self.index_dir, reason)
                self.rebuild(store, procs=procs)
                return Readiness("rebuilt", reason, self.check(store))
            backlog = self._backlog_too_big(store)
            if backlog:
                logger.warning("search index %s: %s; rebuilding", self.index_dir, backlog)
                self.rebuild(store, procs=procs)
                return Readiness("rebuilt", backlog, self.check(store))
            caught = self.catch_up(store)
            check = self.check(store)
            if check.ok:
                return Readiness("caught_up" if caught else "ok", "", check)
            wrong = check.missing + check.stale + check.ghost
            live = max(1, store.count())
            reason = f"{check.missing} missing, {check.stale} stale, {check.ghost} ghost documents"
            if wrong > REPAIR_SHARE * live or check.ghost > len(check.ghost_ids):
                logger.warning("search index: %s; rebuilding", reason)
                self.rebuild(store, procs=procs)
                return Readiness("rebuilt", reason, self.check(store))
            logger.warning("search index: %s; repairing", reason)
            ids = set(check.missing_ids) | set(check.stale_ids) | set(check.ghost_ids)
            self._update(store, ids, self.watermark)
            return Readiness("repaired", reason, self.check(store))

    def _backlog_too_big(self, store: RecordStore) -> str:
        """Why catching up would be slower than a rebuild ("" when it would not).

        A large import by another process (or a restored backup) can leave the watermark
        tens of thousands of changes behind; one writer analysing them in one process is
        several times slower than a rebuild on both cores.
        """
        live = store.count()
        limit = max(REBUILD_BACKLOG_MIN, int(REPAIR_SHARE * live))
        pending = len(store.changes_since(self.watermark, limit=limit + 1))
        if pending > limit:
            return f"more than {limit} changes to catch up (of {live} records)"
        return ""

    def _unusable_reason(self) -> str:
        """Why the open index cannot be trusted at all ("" when it can be checked and caught up)."""
        if self._ix is None:
            self._open_current()
        if self._ix is None:
            return self._problem or "index not opened"
        try:
            if not storage.wait_for_write_lock(self._ix, LOCK_WAIT):
                # The OS releases the lock when its holder dies, so this is a live writer
                # (another process's segment merge) that has not finished in LOCK_WAIT seconds.
                return f"index write lock held by another process for over {LOCK_WAIT:.0f} s"
            searcher = self.searcher()
            searcher.doc_count()
            self._indexed_pairs()
            searcher.search(_probe_query(), limit=1)
        except LockError as exc:
            return f"index locked: {exc!r}"
        except Exception as exc:  # any failure to read means the files are broken
            return f"index unreadable: {exc!r}"
        return ""


def _close_quietly(searcher: Any) -> None:
    """Close a searcher that may already be closed or half broken."""
    try:
        searcher.close()
    except Exception:  # ReaderClosed, or I/O errors of a broken index: nothing to keep
        logger.debug("error closing a searcher", exc_info=True)


def _probe_query() -> Any:
    from whoosh import query as wq

    return wq.Or([wq.Term(field, "imbizo") for field in PROSE_FIELDS])
