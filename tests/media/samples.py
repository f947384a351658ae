"""Real sample files for the media, session and panel tests: photos made with Pillow, hand-built PDFs."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw
from PIL.ExifTags import GPS, IFD, Base

#: Written into the GPS block and the XMP packet of the located photo; must not survive stripping.
SECRET_DATUM = "SECRET-DATUM-KWADUKUZA"
SECRET_PLACE = "SECRET-PLACE-ESHOWE"


def photo_with_location(path: Path, *, size: tuple[int, int] = (640, 480), orientation: int = 6) -> Path:
    """A JPEG with GPS EXIF, an XMP packet naming a place, and an orientation tag.

    The top-left quarter is red, so a test can check which way up a copy is.
    """
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0] // 2, size[1] // 2), fill=(255, 0, 0))
    exif = Image.Exif()
    exif[Base.Make] = "TestCam"
    exif[Base.Orientation] = orientation
    exif[IFD.GPSInfo] = {
        GPS.GPSLatitudeRef: "S",
        GPS.GPSLatitude: (29.0, 20.0, 15.5),
        GPS.GPSLongitudeRef: "E",
        GPS.GPSLongitude: (31.0, 17.0, 3.25),
        GPS.GPSMapDatum: SECRET_DATUM,
    }
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
        f'photoshop:City="{SECRET_PLACE}"/></rdf:RDF></x:xmpmeta>'
    ).encode()
    image.save(path, format="JPEG", quality=90, exif=exif, xmp=xmp)
    return path


def plain_photo(path: Path, *, size: tuple[int, int] = (300, 200), color: str = "green") -> Path:
    """A JPEG without any location."""
    Image.new("RGB", size, color).save(path, format="JPEG")
    return path


def png_bomb(path: Path, width: int = 40_000, height: int = 40_000) -> Path:
    """A tiny PNG file that claims to be a huge picture (only the header is real)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_bytes(pages: list[str]) -> bytes:
    """A valid PDF with one page per string, each drawn in Helvetica (hand-built, with a correct xref)."""
    objects: list[bytes] = []
    font_id = 3
    page_ids = [4 + 2 * n for n in range(len(pages))]
    bodies = [pid + 1 for pid in page_ids]
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for text, cid in zip(pages, bodies, strict=True):
        lines = text.split("\n")
        ops = ["BT", f"/F{font_id} 12 Tf", "72 720 Td", "14 TL"]
        ops += [f"({_escape(line)}) Tj T*" for line in lines]
        ops.append("ET")
        stream = "\n".join(ops).encode("cp1252")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F{font_id} {font_id} 0 R >> >> /Contents {cid} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode() + b"0000000000 65535 f \n"
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def write_pdf(path: Path, pages: list[str]) -> Path:
    """Write :func:`pdf_bytes` to ``path``."""
    path.write_bytes(pdf_bytes(pages))
    return path


def encrypted_pdf(path: Path, pages: list[str], *, user_password: str, owner_password: str = "owner") -> Path:
    """A PDF encrypted with RC4 (readable without an extra library) by pypdf."""
    from pypdf import PdfReader, PdfWriter

    source = path.with_suffix(".plain.pdf")
    write_pdf(source, pages)
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")
    with open(path, "wb") as handle:
        writer.write(handle)
    source.unlink()
    return path
