"""Catalogue CSV and RIS readers: good files, tolerant parsing, and hostile or malformed input."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.catalogue_match import normalize_isbn, normalize_issn, normalize_lccn
from desktop.importers import parse_path
from desktop.importers.catalogue_csv import COLUMNS, join_list, split_list
from desktop.importers.model import ParsedFile


def one(path: Path) -> ParsedFile:
    (parsed,) = parse_path(path)
    return parsed


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_identifier_normal_forms() -> None:
    assert normalize_isbn("978-0-306-40615-7 (pbk.)") == "9780306406157"  # 13 digits, not cut to 10
    assert normalize_isbn("0201616165 (alk. paper)") == "0201616165"
    assert normalize_isbn("not an isbn") == ""
    assert normalize_issn("issn 0378 5955") == "0378-5955" and normalize_issn("1234-567x") == "1234-567X"
    assert normalize_lccn("n 78-89035") == "n78089035" and normalize_lccn("85-2 /AC") == "85000002"


def test_list_cells_escape_and_split() -> None:
    items = ["Smith, J.", "a|b", "back\\slash"]
    assert split_list(join_list(items)) == items
    assert split_list(" x |  | y ") == ["x", "y"]


def test_catalogue_csv_with_bom_semicolons_and_quoted_line_breaks(tmp_path: Path) -> None:
    text = (
        "\ufeffTitle;Author;ISBN;Year;Location;Description\r\n"
        '"Water; a guide";"Mokoena, T. | Naidoo, P.";978-0-306-40615-7;c1998.;Durban;'
        '"Line one\r\n\r\nLine two"\r\n'
    )
    parsed = one(write(tmp_path, "items.csv", text))
    assert parsed.format == "catalogue-csv" and parsed.ok and parsed.rejected == []
    (item,) = parsed.records
    assert item.fields["title"] == "Water; a guide"
    assert item.fields["authors"] == ["Mokoena, T.", "Naidoo, P."]
    assert item.fields["isbn"] == ["978-0-306-40615-7"] and item.fields["year"] == 1998
    assert item.fields["holding_centre"] == "Durban"
    assert item.fields["abstract"] == "Line one\n\nLine two"
    assert parsed.covers == ()  # a blank cell leaves a field alone


def test_excel_sep_line_tabs_and_utf16(tmp_path: Path) -> None:
    parsed = one(write(tmp_path, "a.csv", "sep=|\ntitle|isbn\nOne|0201616165\n"))
    assert [r.fields["isbn"] for r in parsed.records] == [["0201616165"]]
    parsed = one(write(tmp_path, "b.csv", "title\tauthors\tyear\r\nTabbed\tA, B\t2001\r\n".encode("utf-16")))
    assert parsed.records[0].fields["authors"] == ["A, B"] and parsed.records[0].fields["year"] == 2001


def test_wrong_encoding_is_read_with_a_note(tmp_path: Path) -> None:
    parsed = one(write(tmp_path, "latin.csv", "title,authors\nCaf\xe9 culture,Ngcobo\n".encode("cp1252")))
    assert parsed.records[0].fields["title"] == "Café culture"
    assert any("not UTF-8" in note and "Windows-1252" in note for note in parsed.notes)


def test_bad_rows_are_rejected_with_reasons_and_the_rest_kept(tmp_path: Path) -> None:
    huge = "x" * 5_000
    text = (
        "title,authors,year,marc\n"
        "Good one,A,2001,\n"
        ",No title,2002,\n"
        "Bad year,B,next spring,\n"
        f"{huge},C,2003,\n"
        "Bad marc,D,2004,<record><oops></record>\n"
    )
    parsed = one(write(tmp_path, "rows.csv", text))
    assert [r.title for r in parsed.records] == ["Good one"]
    reasons = dict(parsed.rejected)
    assert reasons["row 3"] == "it has no title"
    assert "is not a year" in reasons["row 4 (Bad year)"]
    assert any("Title is too long" in why for why in reasons.values())
    assert any("not a MARCXML record" in why for why in reasons.values())


def test_a_csv_that_is_not_csv_is_a_file_error_not_a_crash(tmp_path: Path) -> None:
    parsed = one(write(tmp_path, "x.csv", "title,isbn\n" + '"never closed,1\n' * 3 + "\x00" * 10))
    assert parsed.ok or parsed.errors  # read or refused, never an exception
    parsed = one(write(tmp_path, "empty.csv", ""))
    assert parsed.format == "csv" and not parsed.ok  # no header: not a catalogue file


def test_export_header_is_the_documented_one(tmp_path: Path) -> None:
    from desktop.importers.catalogue_csv import export_csv

    assert export_csv([]).decode("utf-8-sig").strip() == ",".join(COLUMNS)


RIS = """TY  - BOOK
TI  - Municipal water services
AU  - Mokoena, Thandi
AU  - Naidoo, Priya
PY  - 2019///
PB  - Imbizo Press
SN  - 9780306406157; 0378-5955
KW  - Water supply
KW  - Local government
AB  - A long abstract that goes on
  over a second line.
UR  - https://example.org/water
CN  - TD345 .M6 2019
LA  - eng
ID  - KC-17
ER  -

TY  - JOUR
AU  - Nobody
ER  -

TY  - CHAP
TI  - A chapter with no end
TY  - RPRT
T1  - A report
DO  - 10.1000/xyz
ER  -
TY  - BOOK
TI  - Cut off
"""


def test_ris_records_fields_and_rejections(tmp_path: Path) -> None:
    parsed = one(write(tmp_path, "refs.ris", RIS))
    assert parsed.format == "ris" and parsed.ok
    first, report = parsed.records
    fields = first.fields
    assert fields["title"] == "Municipal water services" and fields["authors"] == [
        "Mokoena, Thandi",
        "Naidoo, Priya",
    ]
    assert fields["year"] == 2019 and fields["isbn"] == ["9780306406157"] and fields["issn"] == ["0378-5955"]
    assert fields["subjects"] == ["Water supply", "Local government"] and fields["format"] == "Book"
    assert fields["abstract"] == "A long abstract that goes on over a second line."
    assert fields["control_number"] == "KC-17" and fields["call_number"] == "TD345 .M6 2019"
    assert report.fields["url"] == "https://doi.org/10.1000/xyz" and report.fields["format"] == "Report"
    reasons = [why for _label, why in parsed.rejected]
    assert reasons[0] == "it has no title (TI or T1)"
    assert "no ER line before the next TY" in reasons[1]
    assert "ends before its ER line" in reasons[2]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"TY  - BOOK\n",
        b"\xff\xfe\x00garbage",
        b"ER  - \n" * 5,
        ("TY  - BOOK\nTI  - " + "y" * 3000 + "\nER  - \n").encode(),
    ],
)
def test_hostile_ris_never_raises(tmp_path: Path, data: bytes) -> None:
    parsed = one(write(tmp_path, "h.ris", data))
    assert parsed.records == [] and (parsed.rejected or parsed.errors or parsed.notes)


def test_utf16_without_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    # Valid UTF-8 byte for byte (every other byte NUL), so it was read as a header "t\0i\0t\0l\0e".
    for codec in ("utf-16-le", "utf-16-be"):
        parsed = one(write(tmp_path, f"{codec}.csv", "title,isbn\nWater,0201616165\n".encode(codec)))
        assert [r.title for r in parsed.records] == ["Water"] and not parsed.errors


def test_ris_without_a_ty_line_is_rejected_with_the_reason(tmp_path: Path) -> None:
    parsed = one(write(tmp_path, "no-type.ris", "TI  - A title\nAU  - Smith, J\nPY  - 2020\nER  - \n"))
    assert not parsed.records and parsed.errors and "starts with a 'TY  - ' line" in parsed.errors[0]
