"""Walking folders, detecting formats and importing files one transaction each.

A file is all or nothing: its records are validated, then saved with one
``store.save_many`` call; a file that cannot be read, parsed or validated is
reported by name and skipped, and nothing else is lost.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from desktop.core.changes import ImportReport
from desktop.core.kinds import Kind
from desktop.core.ports import RecordStore
from desktop.core.records import Record
from desktop.core.review import imported_over
from desktop.core.validation import ValidationError, validate
from desktop.importers.catalogue_csv import is_catalogue_csv, parse_catalogue_csv
from desktop.importers.digitalgov import TOPIC_SCHEME, register_community
from desktop.importers.errors import ImportFileError
from desktop.importers.govuk import parse_govuk
from desktop.importers.licences import CollectionFinder, is_licence_marker
from desktop.importers.marc import COVERS as MARC_COVERS
from desktop.importers.marc import IsbnIndex, is_marc21, is_marcxml, parse_marc
from desktop.importers.markdown import parse_markdown
from desktop.importers.model import ParsedFile, RunContext, SourceFile
from desktop.importers.parse_process import ProcessParser
from desktop.importers.ris import COVERED as RIS_COVERS
from desktop.importers.ris import is_ris, parse_ris
from desktop.importers.text import decode_text, display_path
from desktop.importers.vocab import parse_vocab_csv

log = logging.getLogger(__name__)

#: Files larger than this are refused (no collection file comes near it).
MAX_FILE_BYTES = 256 * 1024 * 1024
_NOT_CONTENT = re.compile(
    r"^(README|PROVENANCE|CHANGELOG|CONTRIBUTING|CODE_OF_CONDUCT|COPYING|NOTICE|SECURITY)([.-].*)?$",
    re.IGNORECASE,
)
_MARC_SUFFIXES = (".mrc", ".marc", ".dat", ".xml", ".csv", ".ris")
#: The formats of catalogue records (knowledge-centre items), the ones the staged preview is for.
CATALOGUE_FORMATS = ("marc", "marcxml", "catalogue-csv", "ris")

ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]


def detect_format(path: Path, head: bytes) -> str:
    """``markdown``, ``govuk-json``, ``csv`` (vocabulary), ``catalogue-csv``, ``ris``, ``marc``,
    ``marcxml`` or "" (not supported)."""
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        return "markdown"
    if suffix == ".json":
        return "govuk-json"
    if suffix == ".csv":
        return "catalogue-csv" if is_catalogue_csv(head) else "csv"
    if suffix == ".ris" or (suffix == ".txt" and is_ris(head)):
        return "ris"
    if suffix in (".mrc", ".marc"):
        return "marc"
    if suffix == ".xml":
        return "marcxml" if is_marcxml(head) else ""
    if is_marc21(head):
        return "marc"
    return ""


def iter_files(paths: Sequence[Path]) -> Iterator[tuple[Path, Path | None]]:
    """Every file under ``paths`` (sorted, hidden entries skipped) with the folder it was found under."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(folder) / name, path
        else:
            yield path, None


def _priority(path: Path, finder: CollectionFinder, root: Path | None) -> int:
    """Vocabulary first (article tags use its labels), then people and communities (articles
    link to them), then the rest."""
    if path.suffix.lower() == ".csv":
        return 0
    collection = finder.find(path, root)
    if collection.layout == "digitalgov-topics":
        return 0
    if collection.layout == "digitalgov":
        first = collection.relative(path).split("/")[0]
        return {"topics": 0, "authors": 1, "communities": 1}.get(first, 2)
    return 2


class Parser:
    """Parses single files with a shared collection cache and run context."""

    def __init__(self, context: RunContext | None = None) -> None:
        self.finder = CollectionFinder()
        self.context = context or RunContext()

    def parse(self, path: Path, root: Path | None) -> ParsedFile | None:
        """The parse of one file; None for files that are not content at all (licence markers)."""
        name = path.name
        if is_licence_marker(name):
            return None
        parsed = ParsedFile(path=path)
        if _NOT_CONTENT.match(name):
            parsed.notes.append("not collection content (a README, licence or provenance file); skipped")
            return parsed
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise ImportFileError(
                    f"the file is too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})"
                )
            data = path.read_bytes()
        except OSError as exc:
            parsed.errors.append(f"cannot be read: {exc.strerror or exc}")
            return parsed
        except ImportFileError as exc:
            parsed.errors.append(str(exc))
            return parsed
        parsed.format = detect_format(path, data[:4096])
        if not parsed.format:
            parsed.notes.append(
                "not a supported format (Markdown, GOV.UK JSON, MARC, MARCXML, CSV, RIS); skipped"
            )
            return parsed
        collection = self.finder.find(path, root)
        src = SourceFile(path=path, collection=collection, terms=collection.terms_for(path))
        try:
            parsed.records = self._records(parsed, data, src)
            for record in parsed.records:
                problems = validate(record)
                if problems:
                    raise ValidationError(problems)
        except ImportFileError as exc:
            parsed.records = []
            parsed.errors.append(str(exc))
        except ValidationError as exc:
            bad = parsed.records[[r.id for r in parsed.records].index(record.id)] if parsed.records else None
            label = f"record {bad.title[:60]!r}" if bad is not None and bad.title else "a record"
            parsed.records = []
            parsed.errors.append(f"{label} is not valid: {exc}")
        except RecursionError:
            parsed.records = []
            parsed.errors.append("the file is nested too deeply to read")
        return parsed

    def _records(self, parsed: ParsedFile, data: bytes, src: SourceFile) -> list[Record]:
        fmt, notes = parsed.format, parsed.notes
        if fmt in ("marc", "marcxml"):
            parsed.covers = MARC_COVERS
            return parse_marc(data, src, notes, xml=fmt == "marcxml")
        if fmt == "catalogue-csv":
            records, parsed.covers = parse_catalogue_csv(data, src, notes, parsed.rejected)
            return records
        if fmt == "ris":
            parsed.covers = RIS_COVERS
            return parse_ris(data, src, notes, parsed.rejected)
        text = decode_text(data, "the file")
        if fmt == "markdown":
            return parse_markdown(text, src, self.context, notes)
        if fmt == "govuk-json":
            return parse_govuk(text, src, notes)
        return parse_vocab_csv(text, src, notes)


def parse_path(path: Path) -> list[ParsedFile]:
    """Parse a file, or every file under a folder, without touching a store (for previews)."""
    parser = Parser()
    files = list(iter_files([Path(path)]))
    files.sort(key=lambda item: _priority(item[0], parser.finder, item[1]))
    result: list[ParsedFile] = []
    for file, root in files:
        parsed = parser.parse(file, root)
        if parsed is not None:
            result.append(parsed)
    return result


def _load_store_state(store: RecordStore, files: list[Path], context: RunContext, isbns: IsbnIndex) -> None:
    """Topic labels, Digital.gov communities and ISBN holders already in the store (read once per
    run, only if needed)."""
    if any(p.suffix.lower() in (".md", ".markdown") for p in files):
        for term in store.iter_records([Kind.TERM]):
            if term.fields.get("scheme") == TOPIC_SCHEME and term.fields.get("notation"):
                context.topic_labels.setdefault(str(term.fields["notation"]), term.title)
        for community in store.iter_records([Kind.COMMUNITY]):
            source = community.source
            if source is None or source.collection != "digitalgov" or community.deleted:
                continue
            stem = Path(source.path).stem if source.path else ""
            aliases = source.status.get("aliases")
            stored = [str(alias) for alias in aliases] if isinstance(aliases, list) else []
            register_community(context.community_ids, community.id, source.key, stem, stored)
    if any(p.suffix.lower() in _MARC_SUFFIXES for p in files):
        for item in store.iter_records([Kind.CENTRE_ITEM]):
            isbns.add_existing(item)


def _dedupe(records: list[Record], notes: list[str]) -> list[Record]:
    """The records of one file with a repeated key kept once (the later one wins)."""
    by_id: dict[str, Record] = {}
    for record in records:
        if record.id in by_id:
            key = record.source.key if record.source else record.id
            notes.append(f"key {key!r} appears twice in this file; the later record is kept")
        by_id[record.id] = record
    return list(by_id.values())


class ImportRun:
    """One import, run a few files at a time so a caller can yield between batches.

    Creating it walks the folders and reads what the run needs from the store;
    :meth:`step` imports the next files (one transaction each); :attr:`report`
    grows as it goes. :func:`import_paths` is the one-call form.
    """

    def __init__(self, paths: Sequence[Path], store: RecordStore, *, parse_in_child: bool = False) -> None:
        self.store = store
        self.report = ImportReport()
        self._parser = Parser()
        files = list(iter_files(paths))
        for path in paths:
            if not Path(path).exists():
                self.report.errors.append((display_path(path), "no such file or folder"))
        files = [(p, r) for p, r in files if p.exists() or p.is_symlink()]
        files.sort(key=lambda item: _priority(item[0], self._parser.finder, item[1]))
        self._files = files
        self._isbns = IsbnIndex()
        _load_store_state(store, [p for p, _ in files], self._parser.context, self._isbns)
        # The app parses in a child process (desktop/importers/parse_process.py) so the parsers never
        # hold its interpreter; the command line has no window to keep alive and parses here.
        self._child: ProcessParser | None = None
        if parse_in_child and files:
            self._child = ProcessParser(self._parser.context.topic_labels, self._parser.context.community_ids)
        self._saved_by: dict[str, str] = {}
        self.position = 0
        self.cancelled = False

    @property
    def total(self) -> int:
        """How many files the run will read."""
        return len(self._files)

    @property
    def done(self) -> bool:
        """True when every file was read or the run was cancelled."""
        return self.cancelled or self.position >= len(self._files)

    @property
    def current_name(self) -> str:
        """The display name of the next file to read ("" at the end)."""
        if self.done:
            return ""
        return display_path(self._files[self.position][0])

    def step(self, max_files: int, progress: ProgressFn | None = None, *, max_seconds: float = 0.0) -> int:
        """Import up to ``max_files`` more files, stopping early once ``max_seconds`` (if > 0) have
        passed after a file; returns how many were read."""
        count = 0
        deadline = time.monotonic() + max_seconds
        while (
            count < max_files
            and not self.done
            and not (count and max_seconds and time.monotonic() > deadline)
        ):
            path, root = self._files[self.position]
            name = display_path(path)
            if progress is not None:
                progress(self.position, self.total, name)
            parsed = (self._child or self._parser).parse(path, root)
            self.position += 1
            count += 1
            if parsed is None:
                continue
            self.report.files += 1
            _save_file(parsed, name, self.store, self._isbns, self._saved_by, self.report)
        return count

    def close(self) -> None:
        """Stop the child parser, if any (call it when the run ends, whatever way)."""
        if self._child is not None:
            self._child.close()
            self._child = None

    def cancel(self) -> None:
        """Stop before the next file; what was imported stays, and the report says so."""
        if self.done:
            return
        self.cancelled = True
        self.report.notes.append(("", f"import cancelled after {self.position} of {self.total} files"))
        log.info("import cancelled after %d of %d files", self.position, self.total)

    def log_summary(self) -> None:
        """Log the counts of the finished run."""
        report = self.report
        log.info(
            "import: %d files, %d added, %d updated, %d unchanged, %d skipped, %d errors",
            report.files, report.added, report.updated, report.unchanged, report.skipped, len(report.errors),
        )  # fmt: skip


def import_paths(
    paths: Sequence[Path],
    store: RecordStore,
    *,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> ImportReport:
    """Import files and folders into ``store``, one transaction per file.

    ``progress(done, total, file)`` is called before each file and once at the
    end; ``cancelled()`` is checked between files. In the report, ``files``
    counts the files read (licence markers aside), ``skipped`` the files not
    imported (malformed, unsupported or not content), and added/updated/unchanged
    the records, from what the store says changed.
    """
    run = ImportRun(paths, store)
    while not run.done:
        if cancelled is not None and cancelled():
            run.cancel()
            break
        run.step(1, progress)
    if progress is not None and not run.cancelled:
        progress(run.total, run.total, "")
    run.log_summary()
    return run.report


def _save_file(
    parsed: ParsedFile,
    name: str,
    store: RecordStore,
    isbns: IsbnIndex,
    saved_by: dict[str, str],
    report: ImportReport,
) -> None:
    notes = parsed.notes + [f"{row} was rejected: {reason}" for row, reason in parsed.rejected]
    if parsed.errors:
        report.errors.append((name, "; ".join(parsed.errors)))
        report.notes.extend((name, note) for note in notes)
        report.skipped += 1
        report.skips.append((name, "; ".join(parsed.errors)))
        log.warning("import: skipped %s: %s", name, "; ".join(parsed.errors))
        return
    if not parsed.records:
        report.notes.extend((name, note) for note in notes)
        report.skipped += 1
        report.skips.append((name, "; ".join(notes) or "no records in the file"))
        return
    records = _dedupe(parsed.records, notes)
    records, pending, isbn_notes = isbns.flag(records)
    notes.extend(isbn_notes)
    stored = store.get_many([record.id for record in records])
    records = [imported_over(record, stored.get(record.id)) for record in records]
    for record in records:
        earlier = saved_by.get(record.id)
        if earlier is not None and earlier != name:
            key = record.source.key if record.source else record.id
            notes.append(f"key {key!r} was also in {earlier}; this file's version replaces it")
    try:
        changes = store.save_many(records)
    except ValidationError as exc:
        report.errors.append((name, f"not valid: {exc}"))
        report.skipped += 1
        report.skips.append((name, f"not valid: {exc}"))
        return
    except Exception as exc:  # the store's own errors: report the file, keep going
        log.exception("import: saving %s failed", name)
        report.errors.append((name, f"could not be saved: {exc}"))
        report.skipped += 1
        report.skips.append((name, f"could not be saved: {exc}"))
        return
    isbns.commit(pending)
    for record in records:
        saved_by[record.id] = name
    report.added += len(changes.created)
    report.updated += len(changes.updated)
    report.unchanged += len(changes.unchanged)
    report.notes.extend((name, note) for note in notes)
