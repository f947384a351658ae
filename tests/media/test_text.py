"""Text extraction: PDFs (plain, several pages, encrypted, malformed), text encodings and caps."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.media.errors import MediaError
from desktop.media.text import decode_text, extract_text, is_extractable
from tests.media.samples import encrypted_pdf, pdf_bytes, write_pdf

PDF = "application/pdf"


def test_pdf_text_of_every_page(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "report.pdf", ["Borehole maintenance in Ugu", "Second page: (pumps) & taps"])
    text = extract_text(pdf, PDF)
    assert "Borehole maintenance in Ugu" in text and "Second page: (pumps) & taps" in text


def test_pdf_pages_and_characters_are_capped(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "long.pdf", [f"page number {n} words" for n in range(1, 11)])
    text = extract_text(pdf, PDF, max_pages=3)
    assert "page number 3" in text and "page number 4" not in text
    assert len(extract_text(pdf, PDF, max_chars=25)) == 25


def test_pdf_with_a_user_password_gives_a_clear_error(tmp_path: Path) -> None:
    pdf = encrypted_pdf(tmp_path / "locked.pdf", ["confidential budget"], user_password="secret")
    with pytest.raises(MediaError, match="protected by a password"):
        extract_text(pdf, PDF)


def test_pdf_restricted_only_by_an_owner_password_is_read(tmp_path: Path) -> None:
    pdf = encrypted_pdf(tmp_path / "restricted.pdf", ["printing not allowed"], user_password="")
    assert "printing not allowed" in extract_text(pdf, PDF)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\nthis is not really a pdf at all",
        b"",
        pdf_bytes(["half a document"])[:120],
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    ],
)
def test_malformed_pdf_gives_a_clear_error(tmp_path: Path, data: bytes) -> None:
    pdf = tmp_path / "broken.pdf"
    pdf.write_bytes(data)
    with pytest.raises(MediaError, match="PDF"):
        extract_text(pdf, PDF)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Umhlaba wethu — café".encode(), "Umhlaba wethu — café"),
        (b"\xef\xbb\xbfwith a BOM", "with a BOM"),
        ("utf-16 text ünï".encode("utf-16"), "utf-16 text ünï"),
        ("Windows “quotes” café".encode("cp1252"), "Windows “quotes” café"),
        (b"latin-1 \x81 byte", "latin-1 \x81 byte"),  # 0x81 is undefined in cp1252
    ],
)
def test_text_encodings(data: bytes, expected: str) -> None:
    assert decode_text(data) == expected


@pytest.mark.parametrize(("name", "media_type"), [("notes.md", "text/markdown"), ("table.csv", "text/csv")])
def test_text_files_are_read(tmp_path: Path, name: str, media_type: str) -> None:
    path = tmp_path / name
    path.write_text("# Water committee\n\nname,village\nThandi,Esikhaleni\n", encoding="cp1252")
    assert "Esikhaleni" in extract_text(path, media_type)


def test_text_is_capped_without_cutting_a_character(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("é" * 5000, encoding="utf-8")
    text = extract_text(path, "text/plain", max_chars=1001)
    assert text == "é" * 1001


def test_binary_file_named_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" * 10)
    with pytest.raises(MediaError, match="binary"):
        extract_text(path, "text/plain")


def test_unsupported_type_is_refused(tmp_path: Path) -> None:
    assert is_extractable(PDF) and is_extractable("text/csv") and not is_extractable("image/jpeg")
    with pytest.raises(MediaError, match="image/jpeg"):
        extract_text(tmp_path / "x.jpg", "image/jpeg")
