"""The staged import: what a set of files would add, update, leave unchanged, skip or reject.

:func:`preview_paths` parses the files (in a child process for the app) and compares each
record with the store, writing nothing. Each record gets one outcome:

- ``add``: nothing in the store has its source identity;
- ``update``: a record with the same identity (the id its source key gives) exists and
  the file changes some of its fields (:attr:`PreviewItem.changes` lists them);
- ``unchanged``: the same identity with the same fields;
- ``duplicate``: a new identity holding the ISBN, ISSN or LCCN of an item already in the
  store (or earlier in the same files): the same thing catalogued again under another
  control number, so it is skipped (:mod:`desktop.core.catalogue_match`); a key repeated
  in the files is skipped the same way, the last one kept;
- ``rejected``: a file or a row that cannot be imported, with the reason.

An update of a catalogue record replaces the fields its file carries and keeps the rest
(a MARC record carries all but the holding centre; a CSV row only its non-blank cells), and
keeps the record's status, tags, links, owner and source. :func:`apply_preview` then writes the adds and
updates a batch at a time, one transaction per batch.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Generator, Iterable, Sequence
from pathlib import Path

from desktop.core.catalogue_match import IdentifierIndex
from desktop.core.changes import ImportProgress, ImportReport
from desktop.core.import_preview import FieldChange, ImportPreview, Outcome, PreviewItem
from desktop.core.kinds import Kind, field_spec, field_specs
from desktop.core.ports import RecordStore
from desktop.core.records import Record
from desktop.importers.model import ParsedFile
from desktop.importers.run import CATALOGUE_FORMATS, Parser, _priority, iter_files
from desktop.importers.text import display_path

__all__ = [
    "FieldChange",
    "ImportPreview",
    "Outcome",
    "PreviewItem",
    "apply_preview",
    "classify",
    "preview_paths",
]

log = logging.getLogger(__name__)

#: Records written per transaction by :func:`apply_preview`.
APPLY_BATCH_RECORDS = 200


def _covered(record: Record, covers: tuple[str, ...] | None) -> tuple[str, ...]:
    return covers if covers is not None else tuple(spec.name for spec in field_specs(record.kind))


def merge_into(existing: Record, incoming: Record, covers: tuple[str, ...] | None) -> Record:
    """``existing`` with the fields ``incoming``'s file carries replaced (others, and the envelope, kept)."""
    fields = dict(existing.fields)
    for name in _covered(incoming, covers):
        if name not in incoming.fields:
            fields.pop(name, None)
    fields.update(incoming.fields)
    return existing.with_changes(fields=fields, deleted=False)


def field_changes(before: Record | None, after: Record) -> tuple[FieldChange, ...]:
    """The fields whose values differ, in the kind's field order."""
    old = before.fields if before is not None else {}
    names = [spec.name for spec in field_specs(after.kind)]
    names += sorted((set(old) | set(after.fields)) - set(names))
    return tuple(
        FieldChange(name, old.get(name), after.fields.get(name))
        for name in names
        if old.get(name) != after.fields.get(name)
    )


def _written(item: PreviewItem, current: Record | None) -> Record:
    """What the import writes for ``item`` against the stored version ``current``."""
    incoming = item.incoming or item.record
    assert incoming is not None
    if current is not None and item.merge:
        return merge_into(current, incoming, item.covers)
    return incoming


def classify(parsed_files: Iterable[ParsedFile], store: RecordStore) -> ImportPreview:
    """Compare the records of parsed files with the store; writes nothing."""
    preview = ImportPreview()
    pending: list[PreviewItem] = []
    for parsed in parsed_files:
        name = display_path(parsed.path)
        preview.files += 1
        preview.notes.extend((name, note) for note in parsed.notes)
        if parsed.errors:
            reason = "; ".join(parsed.errors)
            preview.items.append(PreviewItem(Outcome.REJECTED, name, "the whole file", reason))
            continue
        for label, reason in parsed.rejected:
            preview.items.append(PreviewItem(Outcome.REJECTED, name, label, reason))
        merge = parsed.format in CATALOGUE_FORMATS
        for record in parsed.records:
            pending.append(
                PreviewItem(
                    Outcome.ADD,
                    name,
                    record.title,
                    record=record,
                    covers=parsed.covers,
                    merge=merge,
                    incoming=record,
                )
            )
    last = {item.record.id: index for index, item in enumerate(pending) if item.record is not None}
    ids = list(last)
    existing: dict[str, Record] = {}
    for start in range(0, len(ids), 500):
        existing.update(store.get_many(ids[start : start + 500]))
    holders = IdentifierIndex()
    by_marc: dict[str, str] = {}
    for item_record in store.iter_records([Kind.CENTRE_ITEM]):
        holders.add(item_record)
        marc = item_record.fields.get("marc")
        if isinstance(marc, str) and marc:
            by_marc.setdefault(_digest(marc), item_record.id)
    _rebind_same_originals(pending, existing, by_marc, store)
    last = {item.incoming.id: index for index, item in enumerate(pending) if item.incoming is not None}
    for index, item in enumerate(pending):
        incoming = item.incoming
        assert incoming is not None
        if last[incoming.id] != index:
            later = pending[last[incoming.id]]
            key = incoming.source.key if incoming.source else incoming.id
            item.outcome = Outcome.DUPLICATE
            item.reason = f"key {key!r} appears again in {later.file}; that record is kept"
            item.existing_id = incoming.id
        else:
            _classify_one(item, existing.get(incoming.id), holders)
        preview.items.append(item)
    return preview


def _label(kind: Kind, name: str) -> str:
    spec = field_spec(kind, name)
    return spec.label if spec is not None else name


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _rebind_same_originals(
    pending: list[PreviewItem], existing: dict[str, Record], by_marc: dict[str, str], store: RecordStore
) -> None:
    """An incoming MARC record identical to the original kept by a stored item is that item.

    A record with no 003 takes its organisation from its collection, so the same record exported
    and imported from elsewhere gets another key; the original record itself says it is the same.
    """
    for item in pending:
        incoming = item.incoming
        if incoming is None or incoming.id in existing:
            continue
        marc = incoming.fields.get("marc")
        stored_id = by_marc.get(_digest(marc)) if isinstance(marc, str) and marc else None
        if stored_id is None:
            continue
        current = existing.get(stored_id) or store.get(stored_id)
        if current is None:
            continue
        existing[stored_id] = current
        item.incoming = incoming.with_changes(id=stored_id, source=current.source)
        item.record = item.incoming


def _classify_one(item: PreviewItem, current: Record | None, holders: IdentifierIndex) -> None:
    record = item.incoming
    assert record is not None
    if current is not None and not current.deleted:
        written = _written(item, current)
        item.existing_id, item.base_revision = current.id, current.revision
        item.changes = field_changes(current, written)
        if written.content_hash() == current.content_hash():
            item.outcome, item.reason = Outcome.UNCHANGED, "already in the catalogue as it is in the file"
        else:
            names = ", ".join(_label(written.kind, c.name) for c in item.changes) or "its source details"
            item.outcome, item.reason = Outcome.UPDATE, f"changes {names}"
        item.record = written
        return
    match = holders.match(record)
    if match is not None:
        item.outcome, item.reason, item.existing_id = Outcome.DUPLICATE, match.reason, match.holder_id
        item.matched = match.scheme
        return
    written = record
    item.reason = "new"
    if current is not None:  # in the trash: the import brings it back with the file's fields
        written = item.record = _written(item, current)
        item.base_revision = current.revision
        item.reason = "brings the record back from the trash"
    item.changes = field_changes(None, written)
    holders.add(written)


ParseFn = Callable[[Path, Path | None], ParsedFile | None]


def preview_paths(
    paths: Sequence[Path],
    store: RecordStore,
    *,
    parse: ParseFn | None = None,
    cancelled: Callable[[], bool] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> ImportPreview:
    """Parse files and folders (with ``parse``, default in this process) and classify their records."""
    parser = Parser()
    files = [item for item in iter_files([Path(p) for p in paths]) if item[0].exists()]
    files.sort(key=lambda item: _priority(item[0], parser.finder, item[1]))
    parse_one = parse or parser.parse
    parsed_files: list[ParsedFile] = []
    stopped = False
    for number, (path, root) in enumerate(files):
        if cancelled is not None and cancelled():
            stopped = True
            break
        if progress is not None:
            progress(number, len(files), display_path(path))
        parsed = parse_one(path, root)
        if parsed is not None:
            parsed_files.append(parsed)
    missing = [display_path(p) for p in paths if not Path(p).exists()]
    preview = classify(parsed_files, store)
    preview.items[:0] = [
        PreviewItem(Outcome.REJECTED, name, "the whole file", "no such file") for name in missing
    ]
    preview.cancelled = stopped
    return preview


def apply_preview(
    preview: ImportPreview,
    store: RecordStore,
    *,
    batch_records: int | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Generator[ImportProgress, None, ImportReport]:
    """Write the adds and updates of ``preview``, one transaction per batch; yields after each batch.

    A record changed in the store since the preview is merged again onto its new version, so
    an edit made meanwhile is not lost. ``cancelled()`` is checked between batches. The report
    counts what the store says it did; duplicates and rejections are its skipped items.
    """
    batch_records = batch_records or APPLY_BATCH_RECORDS
    report = ImportReport(files=preview.files)
    skipped = [item for item in preview.items if item.outcome in (Outcome.DUPLICATE, Outcome.REJECTED)]
    report.skipped = len(skipped)
    report.skips = [(item.file, f"{item.label}: {item.reason}") for item in skipped]
    report.notes = list(preview.notes)
    todo = preview.to_write
    total = len(todo)
    done = 0
    yield ImportProgress(0, total, todo[0].label if todo else "")
    while done < total:
        if cancelled is not None and cancelled():
            report.notes.append(("", f"import cancelled after {done} of {total} records"))
            break
        batch = todo[done : done + batch_records]
        current = store.get_many([item.record.id for item in batch if item.record is not None])
        records: list[Record] = []
        for item in batch:
            now = current.get(item.record.id) if item.record is not None else None
            moved = now is not None and now.revision != item.base_revision
            records.append(_written(item, now) if moved or item.record is None else item.record)
        changes = store.save_many(records)
        report.added += len(changes.created)
        report.updated += len(changes.updated)
        report.unchanged += len(changes.unchanged)
        done += len(batch)
        yield ImportProgress(
            done,
            total,
            todo[done].label if done < total else "",
            report.added,
            report.updated,
            report.unchanged,
            report.skipped,
        )
    log.info(
        "staged import: %d added, %d updated, %d unchanged, %d skipped",
        report.added, report.updated, report.unchanged, report.skipped,
    )  # fmt: skip
    return report
