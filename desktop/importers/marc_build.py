"""MARC records for knowledge-centre items, for the MARCXML export.

An item that came from MARC keeps its original record in ``marc``: it is written back
as it came when its fields still read the same from it, and otherwise with only the
MARC fields of the changed values rewritten. An item made in the app gets a record
built from its fields (245 title, 100/700 authors, 260 publisher and year, 020 ISBN,
650 subjects, 852 holding centre, 856 URL...). Whatever the standard fields cannot carry
exactly (a trailing full stop that MARC readers trim, a format with no leader code, a
multi-paragraph abstract) goes into one 887 field (``$2 imbizo``, JSON in ``$a``) that
the importer reads back, so an export and an import keep every field. A built or edited
record whose id the import would not derive from 003/001 names it in 035 ``(Imbizo)<id>``.
An unedited original is written as it came, even when its key used the organisation of
its collection for a missing 003 (imported elsewhere, it then gets another key).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import pymarc

from desktop.core.kinds import Kind
from desktop.core.records import Record, record_id_for
from desktop.importers.errors import ImportFileError
from desktop.importers.marc import (
    _TEXT_LEVELS,
    _TYPES,
    IMBIZO_ID_PREFIX,
    IMBIZO_SOURCE,
    MARC_NS,
    SPACE,
    read_records,
    record_fields,
    source_key,
    to_marcxml,
)
from desktop.importers.model import compact

#: The fields the MARC mapping reads (``marc`` itself aside).
MAPPED = (
    "title", "authors", "publisher", "year", "edition", "isbn", "issn", "lccn", "control_number",
    "url", "format", "language", "subjects", "call_number", "holding_centre", "abstract",
)  # fmt: skip
_LEADER_OF_FORMAT: dict[str, tuple[str, str]] = {name: (code, "m") for code, name in _TYPES.items()}
_LEADER_OF_FORMAT.update({name: ("a", level) for level, name in _TEXT_LEVELS.items()})
_BLANK_008 = "000000n" + " " * 33


def _sub(code: str, value: str) -> pymarc.Subfield:
    return pymarc.Subfield(code=code, value=value)


def _data(tag: str, ind: str, *subfields: tuple[str, str]) -> pymarc.Field:
    return pymarc.Field(
        tag=tag, indicators=pymarc.Indicators(ind[0], ind[1]), subfields=[_sub(c, v) for c, v in subfields]
    )


def _set_008(record: pymarc.Record, start: int, value: str) -> None:
    fields = record.get_fields("008")
    fixed = str(fields[0].data) if fields else _BLANK_008
    fixed = fixed.ljust(40)
    fixed = fixed[:start] + value + fixed[start + len(value) :]
    for field in fields:
        record.remove_field(field)
    record.add_ordered_field(pymarc.Field(tag="008", data=fixed))


def _remove(record: pymarc.Record, *tags: str) -> None:
    for field in record.get_fields(*tags):
        record.remove_field(field)


def _write_title(record: pymarc.Record, f: dict[str, Any]) -> None:
    _remove(record, "245")
    record.add_ordered_field(_data("245", "10", ("a", str(f.get("title") or ""))))


def _write_authors(record: pymarc.Record, f: dict[str, Any]) -> None:
    _remove(record, "100", "110", "111", "700", "710", "711")
    for number, name in enumerate(f.get("authors") or []):
        record.add_ordered_field(_data("100" if number == 0 else "700", "1 ", ("a", str(name))))


def _write_imprint(record: pymarc.Record, f: dict[str, Any]) -> None:
    _remove(record, "260", "264")
    year, publisher = f.get("year"), str(f.get("publisher") or "")
    subfields = [("b", publisher)] if publisher else []
    if isinstance(year, int) and 1000 <= year <= 2099:
        subfields.append(("c", str(year)))
    if subfields:
        record.add_ordered_field(_data("260", "  ", *subfields))
    date = f"s{year:04d}" if isinstance(year, int) and 0 <= year <= 9999 else "n    "
    _set_008(record, 6, date)


def _write_language(record: pymarc.Record, f: dict[str, Any]) -> None:
    _remove(record, "041")
    language = str(f.get("language") or "")
    _set_008(record, 35, language if len(language) == 3 and language.isalpha() else "   ")


def _write_format(record: pymarc.Record, f: dict[str, Any]) -> None:
    kind, level = _LEADER_OF_FORMAT.get(str(f.get("format") or ""), ("a", "m"))
    leader = str(record.leader).ljust(24)
    record.leader = pymarc.Leader(leader[:6] + kind + level + leader[8:])


def _write_control(record: pymarc.Record, f: dict[str, Any]) -> None:
    _remove(record, "001")
    if f.get("control_number"):
        record.add_ordered_field(pymarc.Field(tag="001", data=str(f["control_number"])))


def _repeated(tag: str, ind: str, code: str, name: str) -> Callable[[pymarc.Record, dict[str, Any]], None]:
    def write(record: pymarc.Record, f: dict[str, Any]) -> None:
        _remove(record, tag)
        for value in f.get(name) or []:
            record.add_ordered_field(_data(tag, ind, (code, str(value))))

    return write


def _single(
    tags: tuple[str, ...], tag: str, ind: str, code: str, name: str
) -> Callable[[pymarc.Record, dict[str, Any]], None]:
    def write(record: pymarc.Record, f: dict[str, Any]) -> None:
        _remove(record, *tags)
        if f.get(name):
            record.add_ordered_field(_data(tag, ind, (code, str(f[name]))))

    return write


def _write_subjects(record: pymarc.Record, f: dict[str, Any]) -> None:
    _remove(record, *[f"6{n:02d}" for n in range(100)])
    for subject in f.get("subjects") or []:
        record.add_ordered_field(_data("650", " 4", ("a", str(subject))))


def _write_abstract(record: pymarc.Record, f: dict[str, Any]) -> None:
    _remove(record, "520")
    for paragraph in str(f.get("abstract") or "").split("\n\n"):
        if paragraph.strip():
            record.add_ordered_field(_data("520", "  ", ("a", paragraph)))


_WRITERS: dict[str, Callable[[pymarc.Record, dict[str, Any]], None]] = {
    "title": _write_title,
    "authors": _write_authors,
    "publisher": _write_imprint,
    "year": _write_imprint,
    "edition": _single(("250",), "250", "  ", "a", "edition"),
    "isbn": _repeated("020", "  ", "a", "isbn"),
    "issn": _repeated("022", "  ", "a", "issn"),
    "lccn": _single(("010",), "010", "  ", "a", "lccn"),
    "control_number": _write_control,
    "url": _single(("856",), "856", "40", "u", "url"),
    "format": _write_format,
    "language": _write_language,
    "subjects": _write_subjects,
    "call_number": _single(("050", "090", "082"), "090", "  ", "a", "call_number"),
    "holding_centre": _single(("852",), "852", "  ", "a", "holding_centre"),
    "abstract": _write_abstract,
}


def _mapped(fields: dict[str, Any]) -> dict[str, Any]:
    return compact({name: fields.get(name) for name in MAPPED})


def _original(item: Record) -> pymarc.Record | None:
    marc = item.fields.get("marc")
    if not isinstance(marc, str) or not marc.strip():
        return None
    xml = f'<collection xmlns="{MARC_NS}">{marc}</collection>'.encode()
    try:
        return read_records(xml, xml=True)[0]
    except ImportFileError:
        return None


def marc_record(item: Record) -> pymarc.Record:
    """The MARC record of a knowledge-centre item: its original (patched where edited), or one built anew."""
    wanted = _mapped(item.fields)
    record = _original(item)
    if record is not None and _mapped(record_fields(record)) == wanted:
        return record  # unedited: exactly as it came
    if record is None:
        record = pymarc.Record(leader="00000nam a2200000   4500", force_utf8=True)
        changed: list[str] = list(MAPPED)
    else:
        _remove(record, "887")  # an earlier export's exact values: rebuilt below if still needed
        read = _mapped(record_fields(record))
        changed = [name for name in MAPPED if read.get(name) != wanted.get(name)]
    done: set[Callable[[pymarc.Record, dict[str, Any]], None]] = set()
    for name in changed:
        writer = _WRITERS[name]
        if writer not in done:
            done.add(writer)
            writer(record, wanted)
    read = _mapped(record_fields(record))
    exact = {name: wanted.get(name) for name in MAPPED if read.get(name) != wanted.get(name)}
    if exact:
        text = json.dumps(exact, ensure_ascii=False, sort_keys=True)
        record.add_ordered_field(_data("887", "  ", ("a", text), ("2", IMBIZO_SOURCE)))
    if record_id_for(SPACE, source_key(record)) != item.id:
        _remove_imbizo_id(record)
        record.add_ordered_field(_data("035", "  ", ("a", f"{IMBIZO_ID_PREFIX}{item.id}")))
    return record


def _remove_imbizo_id(record: pymarc.Record) -> None:
    for field in record.get_fields("035"):
        if any(v.startswith(IMBIZO_ID_PREFIX) for v in field.get_subfields("a")):
            record.remove_field(field)


def export_marcxml(records: Iterable[Record]) -> bytes:
    """A MARCXML collection of the knowledge-centre items among ``records`` (others are left out)."""
    parts = [f'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="{MARC_NS}">\n']
    for item in records:
        if item.kind is Kind.CENTRE_ITEM and not item.deleted:
            parts.append(to_marcxml(marc_record(item)).strip() + "\n")
    parts.append("</collection>\n")
    return "".join(parts).encode("utf-8")
