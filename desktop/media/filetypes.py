"""A file's real type, told from its first bytes rather than its name.

The extension only refines a type the bytes agree with (which kind of text a text
file is, which kind of ZIP an office document is): a program renamed ``photo.jpg``
is ``application/octet-stream``, never ``image/jpeg``.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

#: Bytes read to decide the type.
SNIFF_BYTES = 8192

_FTYP_BRANDS = {
    b"avif": "image/avif",
    b"avis": "image/avif",
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"hevc": "image/heic",
    b"heim": "image/heic",
    b"heis": "image/heic",
    b"mif1": "image/heif",
    b"msf1": "image/heif",
}
#: Image types Pillow reads here (the allow-list of formats ``images`` opens).
READABLE_IMAGES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "image/tiff", "image/avif"}
)
_TEXT_EXTENSIONS = {
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
    ".txt": "text/plain",
}


def _image_type(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:2] == b"BM" and len(head) >= 26:
        return "image/bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(head[8:12])
    return None


def _looks_like_text(head: bytes) -> bool:
    """No NUL bytes and mostly printable: a UTF-8 or single-byte text file."""
    if not head:
        return True
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True  # a byte-order mark: UTF-8 or UTF-16 text
    if b"\x00" in head:
        return False
    control = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return control <= len(head) // 100


def sniff_media_type(head: bytes, filename: str = "") -> str:
    """The media type of a file whose first bytes (a few KB) are ``head``; ``filename`` refines text types."""
    found = _image_type(head)
    if found:
        return found
    if b"%PDF-" in head[:1024]:  # readers accept junk before the header, so pypdf does too
        return "application/pdf"
    suffix = Path(filename).suffix.lower()
    guessed = mimetypes.guess_type(f"x{suffix}")[0] if suffix else None
    if head.startswith(b"PK\x03\x04"):
        if guessed and guessed.startswith("application/") and guessed != "application/pdf":
            return guessed  # docx, xlsx, odt, epub... are ZIP files
        return "application/zip"
    if _looks_like_text(head):
        if suffix in _TEXT_EXTENSIONS:
            return _TEXT_EXTENSIONS[suffix]
        if guessed and guessed.startswith("text/"):
            return guessed
        return "text/plain"
    if guessed and not guessed.startswith(("image/", "text/")) and guessed != "application/pdf":
        return guessed  # an audio file, a spreadsheet...: the name is all there is to go on
    return "application/octet-stream"


def sniff_file(path: Path) -> str:
    """The media type of the file at ``path`` (reads its first bytes)."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    return sniff_media_type(head, path.name)


def is_image(media_type: str) -> bool:
    """True for an image type this app can read (thumbnails, photo preparation)."""
    return media_type in READABLE_IMAGES


def is_photo_like(media_type: str) -> bool:
    """True for any image type, readable here or not (HEIC photos carry location too)."""
    return media_type.startswith("image/")
