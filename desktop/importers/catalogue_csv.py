"""Catalogue CSV: knowledge-centre items one per row, read and written with one documented header set.

The columns (the export writes all of them, in this order; an import needs ``title`` and
reads any others it finds, in any order, under these names or common aliases):

``id, source_key, title, authors, publisher, year, edition, isbn, issn, lccn,
control_number, url, format, language, subjects, call_number, holding_centre, abstract, marc``

Lists (``authors``, ``isbn``, ``issn``, ``subjects``) are separated by ``|`` (a ``|`` or
``\\`` inside an item is written ``\\|`` or ``\\\\``); ``marc`` is the original MARCXML record
of an item that came from MARC. A row's identity is ``id`` (the Imbizo record id) or else
its ``source_key``, else its control number, else a hash of its title, authors, year and
ISBNs. A blank cell gives no value: updating an item from a CSV replaces the values the
row has and leaves the other fields alone. Reading is tolerant: a byte-order mark, UTF-16,
Windows-1252 (with a note), comma, semicolon or tab delimiters, Excel's ``sep=`` line,
quoted cells with line breaks.
A row that cannot be an item (no title, a year that is not one, a value too long) is
rejected with its reason; the other rows still import.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import uuid
from collections.abc import Iterable
from typing import Any

from desktop.core.kinds import Kind
from desktop.core.records import Record
from desktop.core.validation import validate
from desktop.importers.errors import ImportFileError
from desktop.importers.marc import MARC_NS, SPACE, read_records
from desktop.importers.model import SourceFile, make_record
from desktop.importers.text import utf16_without_bom

COLUMNS = (
    "id", "source_key", "title", "authors", "publisher", "year", "edition", "isbn", "issn", "lccn",
    "control_number", "url", "format", "language", "subjects", "call_number", "holding_centre",
    "abstract", "marc",
)  # fmt: skip
#: The item fields among the columns (``id`` and ``source_key`` are identity, not fields).
FIELD_COLUMNS = COLUMNS[2:]
LIST_COLUMNS = frozenset({"authors", "isbn", "issn", "subjects"})
_ALIASES = {
    "record_id": "id", "imbizo_id": "id", "key": "source_key", "name": "title", "main_title": "title",
    "author": "authors", "creator": "authors", "creators": "authors", "contributors": "authors",
    "publishers": "publisher", "date": "year", "publication_year": "year", "published": "year",
    "isbn13": "isbn", "isbn10": "isbn", "isbns": "isbn", "issns": "issn", "lc_control_number": "lccn",
    "control_no": "control_number", "record_number": "control_number", "link": "url", "uri": "url",
    "type": "format", "material_type": "format", "lang": "language", "subject": "subjects",
    "keywords": "subjects", "tags": "subjects", "call_no": "call_number", "shelf_mark": "call_number",
    "shelfmark": "call_number", "location": "holding_centre", "holding": "holding_centre",
    "centre": "holding_centre", "center": "holding_centre", "holding_center": "holding_centre",
    "description": "abstract", "summary": "abstract", "notes": "abstract", "marcxml": "marc",
}  # fmt: skip
_SPECIFIC = {
    "authors",
    "publisher",
    "year",
    "isbn",
    "issn",
    "lccn",
    "control_number",
    "call_number",
    "source_key",
}
_ESCAPED_SPLIT = re.compile(r"(?<!\\)((?:\\\\)*)\|")
_YEAR = re.compile(r"^\s*\[?c?\s*(-?\d{1,4})\s*\]?\.?\s*$", re.IGNORECASE)
_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
csv.field_size_limit(8_000_000)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def one_line(value: str) -> str:
    """A cell as one line: control characters dropped, line breaks folded (no entity decoding: exact)."""
    return re.sub(r"\s*[\r\n]+\s*", " ", _CONTROL.sub("", value)).strip()


def _prose(value: str) -> str:
    return _CONTROL.sub("", value.replace("\r\n", "\n")).strip()


def _norm(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def column_of(header: str) -> str:
    """The catalogue column a header names ("" when it names none)."""
    name = _norm(header)
    name = _ALIASES.get(name, name)
    return name if name in COLUMNS else ""


def decode_csv(data: bytes, notes: list[str]) -> str:
    """The text of a CSV file: UTF-8 (with or without a BOM), UTF-16 with a BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError("the file says it is UTF-16 but is not; save it as UTF-8") from None
    codec = utf16_without_bom(data)
    if codec is not None:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            raise ImportFileError("the file looks like UTF-16 but is not; save it as UTF-8") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        notes.append(
            f"not UTF-8 (byte 0x{data[exc.start : exc.start + 1].hex()} at offset {exc.start}); "
            "read as Windows-1252: check accented letters, or save the file as UTF-8"
        )
    return data.decode("cp1252", errors="replace")


def _header_and_delimiter(text: str) -> tuple[str, str]:
    """The text from the header row on, and the delimiter (Excel's ``sep=`` line is honoured)."""
    first, _, rest = text.partition("\n")
    if first.strip().lower().startswith("sep=") and len(first.strip()) == 5:
        return rest, first.strip()[4]
    return text, max(",;\t", key=first.count)


def is_catalogue_csv(head: bytes) -> bool:
    """True when the first row of a CSV file is a catalogue header (``title`` and an identifier or two)."""
    codec = utf16_without_bom(head)
    if codec is not None:
        text = head.decode(codec, errors="replace")
    else:
        text = (
            head.decode("utf-8-sig", errors="replace")
            if not head.startswith((b"\xff\xfe", b"\xfe\xff"))
            else ""
        )
    if not text:
        try:
            text = head.decode("utf-16", errors="replace")
        except UnicodeDecodeError:
            return False
    body, delimiter = _header_and_delimiter(text)
    first = body.split("\n", 1)[0]
    try:
        headers = next(csv.reader([first], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return False
    names = {column_of(h) for h in headers}
    return "title" in names and bool(names & _SPECIFIC)


def split_list(value: str) -> list[str]:
    """The items of a ``|``-separated cell, with ``\\|`` and ``\\\\`` unescaped, empty items dropped."""
    items: list[str] = []
    for part in _ESCAPED_SPLIT.sub(lambda m: m.group(1) + "\x00", value).split("\x00"):
        text = one_line(re.sub(r"\\(.)", r"\1", part))
        if text and text not in items:
            items.append(text)
    return items


def join_list(values: Iterable[Any]) -> str:
    """The cell of a list: items joined by `` | `` with ``\\`` and ``|`` escaped."""
    return " | ".join(str(v).replace("\\", "\\\\").replace("|", "\\|") for v in values)


def _year(value: str) -> int | None:
    match = _YEAR.match(value)
    if not match:
        raise ValueError(f"year {value[:40]!r} is not a year")
    return int(match.group(1))


def _marc(value: str) -> str:
    xml = value.strip()
    if not xml:
        return ""
    wrapped = xml if "<collection" in xml[:200] else f'<collection xmlns="{MARC_NS}">{xml}</collection>'
    try:
        read_records(wrapped.encode("utf-8"), xml=True)
    except ImportFileError as exc:
        raise ValueError(f"the marc column is not a MARCXML record ({exc})") from None
    return xml


def row_fields(values: dict[str, str]) -> dict[str, Any]:
    """The item fields of one row (ValueError says why the row cannot be an item)."""
    fields: dict[str, Any] = {}
    for name in FIELD_COLUMNS:
        if name not in values:
            continue
        raw = values[name]
        if name in LIST_COLUMNS:
            items = split_list(raw)
            if name == "isbn" and len(items) == 1 and re.search(r"[;,\s]", items[0]):
                items = [i for i in re.split(r"[;,\s]+", items[0]) if i]
            fields[name] = items
        elif name == "year":
            fields[name] = _year(raw) if raw.strip() else None
        elif name == "abstract":
            fields[name] = _prose(raw)
        elif name == "marc":
            fields[name] = _marc(raw)
        else:
            fields[name] = one_line(raw)
    if not fields.get("title"):
        raise ValueError("it has no title")
    return fields


def fallback_key(fields: dict[str, Any]) -> str:
    """The source key of an item with none given: its control number, else a hash of what names it."""
    if fields.get("control_number"):
        return f"control:{fields['control_number']}"
    basis = "\x1f".join(
        [
            str(fields.get("title", "")),
            *fields.get("authors", []),
            str(fields.get("year") or ""),
            *fields.get("isbn", []),
        ]
    )
    return "sha256:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def _identity(values: dict[str, str], fields: dict[str, Any]) -> tuple[str | None, str]:
    """(the record id the row names, or None) and its source key."""
    given = values.get("id", "").strip().lower()
    record_id = given if _ID.match(given) else None
    key = one_line(values.get("source_key", ""))
    if not key and record_id:
        key = f"imbizo:{record_id}"
    key = key or fallback_key(fields)
    if record_id is None and given:
        try:
            record_id = str(uuid.UUID(given))
        except ValueError:
            record_id = None
    return record_id, key


def parse_catalogue_csv(
    data: bytes, src: SourceFile, notes: list[str], rejected: list[tuple[str, str]]
) -> tuple[list[Record], tuple[str, ...]]:
    """The items of a catalogue CSV file and the fields an update replaces even when absent (none:
    a blank cell leaves a field alone); bad rows go to ``rejected``."""
    body, delimiter = _header_and_delimiter(decode_csv(data, notes))
    try:
        rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=False))
    except csv.Error as exc:
        raise ImportFileError(f"not readable CSV: {exc}; nothing in it was imported") from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ImportFileError("the CSV file is empty (no header row)")
    headers = [column_of(h) for h in rows[0]]
    if "title" not in headers:
        raise ImportFileError(
            f"the CSV headers have no title column (found: {', '.join(h for h in rows[0][:8])})"
        )
    ignored = [h for h, name in zip(rows[0], headers, strict=True) if not name and h.strip()]
    if ignored:
        notes.append(f"columns not in the catalogue layout were ignored: {', '.join(ignored[:10])}")
    records: list[Record] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values: dict[str, str] = {}
        for name, cell in zip(headers, row, strict=False):
            if name and (cell.strip() or name not in values):
                values[name] = cell
        label = f"row {number}"
        if values.get("title", "").strip():
            label += f" ({one_line(values['title'])[:60]})"
        try:
            fields = row_fields(values)
        except ValueError as exc:
            rejected.append((label, str(exc)))
            continue
        record_id, key = _identity(values, fields)
        record = make_record(
            SPACE, Kind.CENTRE_ITEM, fields, src.source(key, url=fields.get("url") or ""), record_id=record_id
        )
        problems = validate(record)
        if problems:
            rejected.append((label, "; ".join(map(str, problems))))
            continue
        if len(row) > len(headers) and any(cell.strip() for cell in row[len(headers) :]):
            notes.append(f"{label} has more cells than headers; the extra cells were ignored")
        records.append(record)
    # A blank cell gives no value: an update leaves that field as it is (a spreadsheet with gaps
    # must not wipe what the catalogue knows), so the file covers only the values it has.
    return records, ()


def _cell(record: Record, name: str) -> str:
    if name == "id":
        return record.id
    if name == "source_key":
        return record.source.key if record.source else ""
    value = record.fields.get(name)
    if value is None:
        return ""
    if name in LIST_COLUMNS:
        return join_list(value if isinstance(value, list) else [value])
    return str(value)


def export_csv(records: Iterable[Record]) -> bytes:
    """The knowledge-centre items among ``records`` as catalogue CSV (UTF-8 with a BOM, for spreadsheets)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for record in records:
        if record.kind is Kind.CENTRE_ITEM and not record.deleted:
            writer.writerow([_cell(record, name) for name in COLUMNS])
    return out.getvalue().encode("utf-8-sig")
