"""RIS (the reference-manager exchange format) into knowledge-centre items.

Each record runs from ``TY`` to ``ER``; lines are ``XX  - value``, and a line without a
tag continues the value before it. Tags read: TY (format), TI/T1/CT/BT/T2 (title),
AU/A1-A4 (authors), PY/Y1/DA (year), PB, ET (edition), SN (ISBNs and ISSNs, told apart by
shape), UR/L1/L2/LK and DO (URL), KW (subjects), AB/N2 (abstract), LA, CN (call number),
AN/ID (control number). A record with no title, or cut off before its ``ER`` (a truncated
file, or a ``TY`` with no ``ER`` before it), is rejected with the reason; the others import.
The identity of a record is its control number, else a hash of title, authors, year and ISBNs.
"""

from __future__ import annotations

import re
from typing import Any

from desktop.core.catalogue_match import normalize_isbn, normalize_issn
from desktop.core.kinds import Kind
from desktop.core.records import Record
from desktop.core.validation import validate
from desktop.importers.catalogue_csv import FIELD_COLUMNS, decode_csv, fallback_key, one_line
from desktop.importers.errors import ImportFileError
from desktop.importers.marc import SPACE
from desktop.importers.model import SourceFile, make_record

_LINE = re.compile(r"^([A-Z][A-Z0-9])  ?-(?: (.*)|\s*)$")
_YEAR = re.compile(r"(-?\d{1,4})")
#: The fields RIS can carry (an import of RIS leaves the others of an existing item alone).
COVERED = tuple(name for name in FIELD_COLUMNS if name not in ("lccn", "holding_centre", "marc"))
FORMATS = {
    "BOOK": "Book", "EBOOK": "Book", "EDBOOK": "Book", "CHAP": "Article or chapter",
    "ECHAP": "Article or chapter", "JOUR": "Article or chapter", "EJOUR": "Article or chapter",
    "MGZN": "Article or chapter", "NEWS": "Article or chapter", "JFULL": "Serial", "SER": "Serial",
    "MAP": "Map", "MUSIC": "Music score", "SOUND": "Sound recording (non-musical)",
    "VIDEO": "Video or projected medium", "MPCT": "Video or projected medium",
    "ADVS": "Video or projected medium",
    "COMP": "Computer file", "DATA": "Computer file", "ART": "Image", "MANSCPT": "Manuscript",
    "RPRT": "Report", "THES": "Thesis", "CONF": "Conference proceedings", "CPAPER": "Conference paper",
    "GOVDOC": "Government document", "STAND": "Standard", "PAMP": "Pamphlet", "ELEC": "Web page",
}  # fmt: skip
_TITLE_TAGS = ("TI", "T1", "CT", "BT", "T2")
_AUTHOR_TAGS = frozenset({"AU", "A1", "A2", "A3", "A4"})


def is_ris(head: bytes) -> bool:
    """True when ``head`` starts like a RIS file (``TY  - ``, after a BOM and blank lines)."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return bool(re.match(rb"TY  ?- ", text))


def _entries(text: str, notes: list[str]) -> list[tuple[int, list[tuple[str, str]], bool, str]]:
    """(first line, (tag, value) pairs, closed by ER, why not closed) for each record in the text."""
    records: list[tuple[int, list[tuple[str, str]], bool, str]] = []
    current: list[tuple[str, str]] | None = None
    start = 0
    stray = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        match = _LINE.match(line)
        if match is None:
            if current and line.strip():
                tag, value = current[-1]
                current[-1] = (tag, f"{value} {line.strip()}".strip())
            elif line.strip():
                stray += 1
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "TY":
            if current is not None:
                records.append((start, current, False, f"no ER line before the next TY on line {number}"))
            current, start = [(tag, value)], number
        elif tag == "ER":
            if current is None:
                stray += 1
            else:
                records.append((start, current, True, ""))
                current = None
        elif current is None:
            stray += 1
        else:
            current.append((tag, value))
    if current is not None:
        records.append((start, current, False, "the file ends before its ER line (it may be cut off)"))
    if stray:
        notes.append(f"{stray} line(s) outside a TY ... ER record were ignored")
    return records


def _fields(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    values: dict[str, list[str]] = {}
    for tag, value in pairs:
        if value:
            values.setdefault(tag, []).append(value)

    def first(*tags: str) -> str:
        return next((one_line(values[t][0]) for t in tags if values.get(t)), "")

    authors = list(dict.fromkeys(one_line(v) for tag, v in pairs if tag in _AUTHOR_TAGS and one_line(v)))
    isbns: list[str] = []
    issns: list[str] = []
    for value in values.get("SN", []):
        for token in re.split(r"[;,]\s*|\s+(?=\d)", value):
            issn = normalize_issn(token)
            isbn = normalize_isbn(token)
            if isbn and len(re.sub(r"\D", "", token)) >= 10 and isbn not in isbns:
                isbns.append(isbn)
            elif issn and issn not in issns:
                issns.append(issn)
    year_text = first("PY", "Y1", "DA")
    year_match = _YEAR.search(year_text)
    url = first("UR", "L1", "L2", "LK")
    doi = first("DO")
    if not url and doi:
        url = doi if doi.startswith("http") else f"https://doi.org/{doi}"
    type_code = first("TY").upper()
    abstracts = [v.strip() for tag in ("AB", "N2") for v in values.get(tag, []) if v.strip()]
    return {
        "title": first(*_TITLE_TAGS),
        "authors": authors,
        "publisher": first("PB"),
        "year": int(year_match.group(1)) if year_match else None,
        "edition": first("ET"),
        "isbn": isbns,
        "issn": issns,
        "control_number": first("AN", "ID"),
        "url": url,
        "format": FORMATS.get(type_code, type_code.title() if type_code and type_code != "GEN" else ""),
        "language": first("LA"),
        "subjects": list(dict.fromkeys(one_line(v) for v in values.get("KW", []) if one_line(v))),
        "call_number": first("CN"),
        "abstract": "\n\n".join(dict.fromkeys(abstracts)),
    }


def parse_ris(
    data: bytes, src: SourceFile, notes: list[str], rejected: list[tuple[str, str]]
) -> list[Record]:
    """The items of one RIS file; records that cannot be items go to ``rejected`` with the reason."""
    records: list[Record] = []
    for number, (line, pairs, closed, why) in enumerate(_entries(decode_csv(data, notes), notes), start=1):
        fields = _fields(pairs)
        label = f"record {number} (line {line})"
        if fields["title"]:
            label += f" ({fields['title'][:60]})"
        if not closed:
            rejected.append((label, why))
            continue
        if not fields["title"]:
            rejected.append((label, "it has no title (TI or T1)"))
            continue
        key = fallback_key(fields)
        record = make_record(SPACE, Kind.CENTRE_ITEM, fields, src.source(key, url=fields.get("url") or ""))
        problems = validate(record)
        if problems:
            rejected.append((label, "; ".join(map(str, problems))))
            continue
        records.append(record)
    if not records and not rejected:  # a note alone would leave the preview empty, with no reason
        raise ImportFileError(
            "no RIS records in this file: each record starts with a 'TY  - ' line and ends with 'ER  - '"
        )
    return records
