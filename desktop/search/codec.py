"""The Whoosh codec of the index: whoosh-reloaded 2.7.5's W3 codec with two defects fixed.

Profiling a rebuild and an autosave (cProfile, bench/bench_search.py) showed two costs that
are defects, not work:

- **Every term wrote its own posting block.** The W3 codec can keep the postings of a rare
  term inside its term-table entry ("inlining"), but 2.7.5 calls ``terminfo.set_inline``,
  which does not exist (the method is ``set_inlined``), so only the default ``inlinelimit=1``
  (never inline) works. Every term then pays a pickle, a zlib compression and a block
  header even with a single posting: most terms of a corpus (edge n-grams, rare words) and
  *all* the terms of the one-document segment an autosave writes. Here terms with fewer
  than ``INLINE_LIMIT`` postings are inlined, and read back through ``ListMatcher``, the
  codec's own reading path for inlined terms.
- **A stat() per posting of every unscored field.** ``W3PerDocReader._cached_reader`` caches
  the length column of a field but not its absence, so while a segment is flushed each
  posting of a field without lengths (id, kind, facets, links, identifiers) asks the file
  system whether that column exists. Segment files never change once written, so the
  absence is cached too.

The codec is a subclass rather than a patch of whoosh's classes: it is pickled into each
segment's entry of the table of contents and into ``procs > 1`` sub-writers, so readers and
worker processes (also under the "spawn" start method) use it without any set-up.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec import whoosh3

#: Terms with fewer postings than this are stored inside their term-table entry.
INLINE_LIMIT = 16

_MISSING = object()


class _PostingsWriter(whoosh3.W3PostingsWriter):  # type: ignore[misc]
    _terminfo: Any

    def finish_postings(self) -> Any:
        terminfo = self._terminfo
        count = len(self)
        values = self._values
        if not self.written() and count < self._inlinelimit and len(values) in (0, count):
            terminfo.add_block(self)
            # One value per posting, b"" for formats without values: ListMatcher.value() returns
            # the str "" for an empty list, which merging segments rejects.
            terminfo.set_inlined(self._ids, self._weights, values or [b""] * count)
            self._terminfo = None
            return terminfo
        return super().finish_postings()


class _PerDocReader(whoosh3.W3PerDocReader):  # type: ignore[misc]
    def _cached_reader(self, fieldname: str, column: Any) -> Any:
        readers = self._readers
        found = readers.get(fieldname, _MISSING)
        if found is _MISSING:
            found = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
            readers[fieldname] = found
        return found


class ImbizoCodec(whoosh3.W3Codec):  # type: ignore[misc]
    """W3 with rare terms inlined and missing length columns remembered."""

    def __init__(self, blocklimit: int = 128, compression: int = 3, inlinelimit: int = INLINE_LIMIT):
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        return _PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def per_document_reader(self, storage: Any, segment: Any) -> Any:
        return _PerDocReader(storage, segment)


def codec() -> ImbizoCodec:
    """The codec every writer of the index gets (see ``storage.writer_options``)."""
    return ImbizoCodec()
