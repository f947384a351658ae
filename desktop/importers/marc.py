"""MARC21 (binary ``.mrc``/``.dat``) and MARCXML catalogue records into knowledge-centre items.

Each item keeps the whole original record as MARCXML in its ``marc`` field, so
:func:`desktop.importers.marc_build.export_marcxml` gives every field back. The source key is ``003:001``;
a missing 003 is taken from the collection when it is known (the pymarc test
records are the Library of Congress's), otherwise the key is a hash of the record.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
from dataclasses import replace
from typing import Any

import pymarc

from desktop.core.catalogue_match import isbn13, normalize_isbn
from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation
from desktop.importers.errors import ImportFileError
from desktop.importers.model import SourceFile, make_record
from desktop.importers.text import limit

log = logging.getLogger(__name__)

SPACE = "marc"
MARC_NS = "http://www.loc.gov/MARC21/slim"
_TRAILING = re.compile(r"[\s/:;,=.]+$")
_YEAR = re.compile(r"(1[0-9]{3}|20[0-9]{2})")
#: 035 $a prefix naming the Imbizo record a MARC record was built from (records made in the app).
IMBIZO_ID_PREFIX = "(Imbizo)"
#: 887 $2 of the field holding the Imbizo values standard MARC could not carry exactly (JSON in $a).
IMBIZO_SOURCE = "imbizo"

#: The item fields a MARC file carries: an import of it leaves the others (the holding centre,
#: unless the record has an 852) of an existing item alone.
COVERS = (
    "title", "authors", "publisher", "year", "edition", "isbn", "issn", "lccn", "control_number",
    "url", "format", "language", "subjects", "call_number", "abstract", "marc",
)  # fmt: skip

#: Leader 06 (type of record) in words; leader 07 refines text records.
_TYPES = {
    "a": "Book",
    "c": "Music score",
    "d": "Manuscript music",
    "e": "Map",
    "f": "Manuscript map",
    "g": "Video or projected medium",
    "i": "Sound recording (non-musical)",
    "j": "Music recording",
    "k": "Image",
    "m": "Computer file",
    "o": "Kit",
    "p": "Mixed materials",
    "r": "Object",
    "t": "Manuscript",
}
_TEXT_LEVELS = {"s": "Serial", "i": "Integrating resource", "a": "Article or chapter", "b": "Serial part"}


def is_marc21(data: bytes) -> bool:
    """True when ``data`` starts like a MARC21 transmission record (length + leader)."""
    return len(data) >= 24 and data[:5].isdigit() and data[10:12] == b"22" and data[20:24] == b"4500"


def is_marcxml(data: bytes) -> bool:
    """True when ``data`` looks like MARCXML (the MARC21 slim namespace near the top)."""
    return MARC_NS.encode() in data[:4096]


def read_records(data: bytes, *, xml: bool) -> list[pymarc.Record]:
    """Every record of a MARC21 or MARCXML file, or ImportFileError if any record is damaged."""
    if xml:
        if b"<!ENTITY" in data:
            raise ImportFileError("XML with entity declarations is not accepted")
        try:
            parsed: list[pymarc.Record] = pymarc.parse_xml_to_array(  # type: ignore[no-untyped-call]
                io.BytesIO(data)
            )
        except Exception as exc:  # the SAX parser and pymarc raise many kinds
            raise ImportFileError(f"not readable MARCXML: {exc}") from None
        if not parsed:
            raise ImportFileError("no MARC records found in this XML file")
        for number, record in enumerate(parsed, start=1):
            _check_record(record, number)
        return parsed
    reader = pymarc.MARCReader(io.BytesIO(data), to_unicode=True, force_utf8=False, utf8_handling="strict")
    records = []
    number = 0
    while True:
        number += 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except Exception as exc:  # pymarc raises a few kinds on damaged input
            raise ImportFileError(
                f"MARC record {number} cannot be read: {exc or type(exc).__name__}"
            ) from None
        if record is None:
            problem = reader.current_exception
            what = str(problem) or type(problem).__name__
            raise ImportFileError(
                f"MARC record {number} is damaged ({what}); the file may be truncated. Nothing was imported"
            )
        _check_record(record, number)
        records.append(record)
    if not records:
        raise ImportFileError("no MARC records found in this file")
    return records


def _check_record(record: Any, number: int) -> None:
    if not isinstance(record, pymarc.Record) or record.leader is None:
        raise ImportFileError(f"MARC record {number} has no leader")
    try:
        record.as_dict()
    except Exception as exc:
        raise ImportFileError(f"MARC record {number} is malformed: {exc}") from None


def _control(record: pymarc.Record, tag: str) -> str:
    for field in record.get_fields(tag):
        if field.is_control_field() and field.data:
            return str(field.data).strip()
    return ""


def _clean(value: str) -> str:
    return _TRAILING.sub("", re.sub(r"\s+", " ", value)).strip()


def _join(field: pymarc.Field, codes: str, sep: str = " ") -> str:
    return _clean(sep.join(s.value.strip() for s in field.subfields if s.code in codes and s.value))


def source_key(record: pymarc.Record, default_org: str = "") -> str:
    """``003:001``; the collection's organisation stands in for a missing 003; else a hash."""
    control = _control(record, "001")
    org = _control(record, "003") or default_org
    if control and org:
        return f"{org}:{control}"
    digest = hashlib.sha256(record.as_marc()).hexdigest()[:32]
    return f"sha256:{digest}"


def to_marcxml(record: pymarc.Record) -> str:
    """The record as one MARCXML ``<record>`` element (UTF-8 text; leader/09 set to ``a``)."""
    leader = str(record.leader)
    if len(leader) >= 10 and leader[9] != "a":
        record.leader = pymarc.Leader(leader[:9] + "a" + leader[10:])
    xml: bytes = pymarc.record_to_xml(record, namespace=True)  # type: ignore[no-untyped-call]
    return xml.decode("utf-8")


def _year(record: pymarc.Record) -> int | None:
    for tag in ("260", "264"):
        for field in record.get_fields(tag):
            for value in field.get_subfields("c"):
                match = _YEAR.search(value)
                if match:
                    return int(match.group(1))
    fixed = _control(record, "008")
    if len(fixed) >= 11 and fixed[7:11].isdigit():
        return int(fixed[7:11])
    return None


def _publisher(record: pymarc.Record) -> str:
    fields = record.get_fields("260") + sorted(
        record.get_fields("264"), key=lambda f: 0 if f.indicator2 == "1" else 1
    )
    for field in fields:
        for value in field.get_subfields("b"):
            if _clean(value):
                return _clean(value)
    return ""


def _subjects(record: pymarc.Record) -> list[str]:
    subjects: list[str] = []
    for field in record.get_fields(*[f"6{n:02d}" for n in range(100)]):
        if field.is_control_field():
            continue
        main = _join(field, "abcdgqtnp")
        subdivisions = [_clean(s.value) for s in field.subfields if s.code in "vxyz" and _clean(s.value)]
        heading = " -- ".join(part for part in [main, *subdivisions] if part)
        if heading and heading not in subjects:
            subjects.append(limit(heading, 500))
    return subjects


def _format(record: pymarc.Record) -> str:
    leader = str(record.leader)
    kind, level = (leader[6], leader[7]) if len(leader) > 7 else ("", "")
    if kind == "a" and level in _TEXT_LEVELS:
        return _TEXT_LEVELS[level]
    return _TYPES.get(kind, "")


def _language(record: pymarc.Record) -> str:
    fixed = _control(record, "008")
    code = fixed[35:38].strip() if len(fixed) >= 38 else ""
    if code.isalpha():
        return code
    for field in record.get_fields("041"):
        for value in field.get_subfields("a"):
            if value.strip():
                return value.strip()[:3]
    return ""


def _call_number(record: pymarc.Record) -> str:
    for tag in ("050", "090"):
        for field in record.get_fields(tag):
            text = _join(field, "ab")
            if text:
                return text
    for field in record.get_fields("082"):
        text = _join(field, "a")
        if text:
            return text
    return ""


def _title(record: pymarc.Record) -> str:
    for tag in ("245", "130", "240", "246"):
        for field in record.get_fields(tag):
            text = _join(field, "abnp" if tag == "245" else "a")
            if text:
                return limit(text, 1000)
    return ""


def record_fields(record: pymarc.Record) -> dict[str, Any]:
    """The knowledge-centre fields of one MARC record (before its source is known)."""
    authors: list[str] = []
    for field in record.get_fields("100", "110", "111", "700", "710", "711"):
        name = _join(field, "abcq" if field.tag in ("110", "710") else "aq")
        if field.tag in ("110", "710"):
            name = _join(field, "ab")
        if name and name not in authors:
            authors.append(limit(name, 500))
    isbns: list[str] = []
    for field in record.get_fields("020"):
        for value in field.get_subfields("a"):
            isbn = normalize_isbn(value)
            if isbn and isbn not in isbns:
                isbns.append(isbn)
    issns = [_clean(v) for f in record.get_fields("022") for v in f.get_subfields("a") if _clean(v)]
    lccn = next((v.strip() for f in record.get_fields("010") for v in f.get_subfields("a") if v.strip()), "")
    url = next((v.strip() for f in record.get_fields("856") for v in f.get_subfields("u") if v.strip()), "")
    editions = [_join(f, "ab") for f in record.get_fields("250")]
    abstracts = [_join(f, "ab") for f in record.get_fields("520")]
    return {
        "title": _title(record),
        "authors": authors,
        "publisher": limit(_publisher(record), 1000),
        "year": _year(record),
        "edition": limit(next((e for e in editions if e), ""), 1000),
        "isbn": isbns,
        "issn": list(dict.fromkeys(issns)),
        "lccn": lccn[:1000],
        "control_number": _control(record, "001")[:1000],
        "url": url[:1000],
        "format": _format(record),
        "language": _language(record),
        "subjects": _subjects(record),
        "call_number": limit(_call_number(record), 1000),
        "holding_centre": limit(_holding_centre(record), 1000),
        "abstract": "\n\n".join(a for a in abstracts if a),
    } | _imbizo_values(record)


def _holding_centre(record: pymarc.Record) -> str:
    for field in record.get_fields("852"):
        text = _join(field, "a")
        if text:
            return text
    return ""


def _imbizo_values(record: pymarc.Record) -> dict[str, Any]:
    """The exact values an Imbizo export kept in 887 (those the standard fields could not carry)."""
    for field in record.get_fields("887"):
        if field.is_control_field() or IMBIZO_SOURCE not in field.get_subfields("2"):
            continue
        for value in field.get_subfields("a"):
            try:
                data = json.loads(value)
            except ValueError:
                continue
            if isinstance(data, dict):
                return {str(k): v for k, v in data.items() if k != "marc"}
    return {}


def imbizo_id(record: pymarc.Record) -> str:
    """The id of the Imbizo record this MARC record was built from (035 ``(Imbizo)<id>``), or ""."""
    for field in record.get_fields("035"):
        for value in field.get_subfields("a"):
            if value.startswith(IMBIZO_ID_PREFIX):
                candidate = value[len(IMBIZO_ID_PREFIX) :].strip()
                if re.fullmatch(r"[0-9a-f-]{32,36}", candidate):
                    return candidate
    return ""


def parse_marc(data: bytes, src: SourceFile, notes: list[str], *, xml: bool) -> list[Record]:
    """Knowledge-centre items from every record of one MARC21 or MARCXML file."""
    result: list[Record] = []
    for number, record in enumerate(read_records(data, xml=xml), start=1):
        fields = record_fields(record)
        if not fields["title"]:
            control = fields.get("control_number") or str(number)
            fields["title"] = f"Untitled catalogue record {control}"
            notes.append(f"MARC record {number} has no title (245); named {fields['title']!r}")
        key = source_key(record, src.terms.marc_org)
        fields["marc"] = to_marcxml(record)
        source = src.source(key, url=fields.get("url") or "")
        result.append(
            make_record(SPACE, Kind.CENTRE_ITEM, fields, source, record_id=imbizo_id(record) or None)
        )
    return result


class IsbnIndex:
    """ISBN -> the first item holding it, to flag later items that share an ISBN.

    Built once per run from the store; the first holder of an ISBN stays its
    holder, so re-importing the same records flags the same ones (idempotent).
    """

    def __init__(self) -> None:
        self.holders: dict[str, str] = {}

    def add_existing(self, record: Record) -> None:
        """Learn the ISBNs of an item already in the store."""
        if record.kind is not Kind.CENTRE_ITEM or (
            record.source and record.source.status.get("suspected_duplicate")
        ):
            return
        for isbn in record.fields.get("isbn") or []:
            if isinstance(isbn, str) and isbn:
                key = isbn13(isbn)
                holder = self.holders.get(key)
                if holder is None or record.id < holder:
                    self.holders[key] = record.id

    def flag(self, records: list[Record]) -> tuple[list[Record], dict[str, str], list[str]]:
        """Records with suspected duplicates linked and flagged; new holders (to commit) and notes."""
        pending: dict[str, str] = {}
        notes: list[str] = []
        result: list[Record] = []
        for record in records:
            isbns = [isbn13(i) for i in record.fields.get("isbn") or [] if isinstance(i, str) and i]
            if record.kind is not Kind.CENTRE_ITEM or not isbns:
                result.append(record)
                continue
            others: list[str] = []
            for isbn in isbns:
                holder = pending.get(isbn) or self.holders.get(isbn)
                if holder is None:
                    pending[isbn] = record.id
                elif holder != record.id and holder not in others:
                    others.append(holder)
            if others and record.source is not None:
                links = list(record.links) + [
                    Link(Relation.DUPLICATE_OF, other, note="same ISBN") for other in others
                ]
                status = {**record.source.status, "suspected_duplicate": True}
                source = replace(record.source, status=status)
                record = record.with_changes(links=tuple(links), source=source)
                notes.append(
                    f"{record.title!r} shares an ISBN with another item; flagged as a suspected duplicate"
                )
            result.append(record)
        return result, pending, notes

    def commit(self, pending: dict[str, str]) -> None:
        """Remember the holders of a file that was saved."""
        for isbn, record_id in pending.items():
            self.holders.setdefault(isbn, record_id)
