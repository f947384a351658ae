"""The text of attached documents, for the search index: PDFs (pypdf) and plain-text files.

Output is capped (:data:`MAX_CHARS`, :data:`MAX_PAGES`), so a 900-page report or a
huge log file costs the index a bounded amount. Encrypted, malformed or binary
files raise :class:`MediaError`; nothing here lets a parser's exception escape.
Run it through ``desktop.media.worker`` when the file is untrusted: a hostile PDF
can keep pypdf busy for as long as it likes.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from desktop.media.errors import MediaError

logger = logging.getLogger(__name__)

#: At most this many characters of text per document (about 2 MB).
MAX_CHARS = 2_000_000
#: At most this many PDF pages are read.
MAX_PAGES = 2_000
#: Text types whose content is read as it is (Markdown and CSV are plain enough for the index).
TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/csv", "text/tab-separated-values"})
PDF_TYPE = "application/pdf"

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def is_extractable(media_type: str) -> bool:
    """True for the types whose text this module extracts."""
    return media_type == PDF_TYPE or media_type in TEXT_TYPES


def extract_text(
    path: Path, media_type: str, *, max_chars: int = MAX_CHARS, max_pages: int = MAX_PAGES
) -> str:
    """The text of the document at ``path``, at most ``max_chars`` characters.

    Raises MediaError when the type is not supported or the file cannot be read
    (encrypted with a password, malformed, not text at all).
    """
    path = Path(path)
    if media_type == PDF_TYPE:
        return _pdf_text(path, max_chars=max_chars, max_pages=max_pages)
    if media_type in TEXT_TYPES:
        return _plain_text(path, max_chars=max_chars)
    raise MediaError(f"Text cannot be extracted from files of type {media_type}.")


def decode_text(data: bytes) -> str:
    """Bytes of a text file as text: a byte-order mark wins, then UTF-8, then Windows-1252, then Latin-1."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return data[: exc.start].decode("utf-8")  # a character cut by the read limit
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # every byte is a Latin-1 character


def _plain_text(path: Path, *, max_chars: int) -> str:
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_chars * 4)  # enough bytes for max_chars of any UTF-8 text
    except OSError as exc:
        raise MediaError(f"The document could not be read: {exc.strerror or exc}.") from exc
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise MediaError("The file does not contain text (it looks like a binary file).")
    return _cap(decode_text(data), max_chars)


def _cap(text: str, max_chars: int) -> str:
    text = text.replace("\x00", "")
    return text if len(text) <= max_chars else text[:max_chars]


def _pdf_text(path: Path, *, max_chars: int, max_pages: int) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError
    except ImportError as exc:  # pragma: no cover - pypdf is a dependency
        raise MediaError("PDF text cannot be read: the pypdf package is missing.") from exc
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            _decrypt(reader)
        pages = reader.pages
        count = len(pages)
    except MediaError:
        raise
    except (FileNotDecryptedError, DependencyError) as exc:
        raise MediaError("The PDF is protected by a password; its text cannot be read.") from exc
    except FileNotFoundError as exc:
        raise MediaError("The PDF file no longer exists.") from exc
    except MemoryError as exc:
        raise MediaError("The PDF is too large to read on this computer.") from exc
    except (PdfReadError, Exception) as exc:  # malformed PDFs raise anything from KeyError to RecursionError
        logger.info("PDF %s could not be opened", path, exc_info=True)
        raise MediaError(f"The PDF is damaged or not a PDF at all ({_reason(exc)}).") from exc
    parts: list[str] = []
    length = 0
    failed = 0
    for number in range(min(count, max_pages)):
        try:
            text = pages[number].extract_text() or ""
        except MemoryError as exc:
            raise MediaError("The PDF is too large to read on this computer.") from exc
        except Exception:  # one broken page must not lose the rest of the document
            logger.info("PDF %s: page %d could not be read", path, number + 1, exc_info=True)
            failed += 1
            continue
        parts.append(text)
        length += len(text) + 1
        if length >= max_chars:
            break
    if failed and failed == min(count, max_pages):
        raise MediaError("The PDF is damaged: none of its pages could be read.")
    return _cap("\n".join(parts).strip(), max_chars)


def _decrypt(reader: Any) -> None:
    """Open a PDF encrypted without a user password (only printing or copying restricted)."""
    from pypdf import PasswordType

    try:
        result = reader.decrypt("")
    except NotImplementedError as exc:
        raise MediaError("The PDF uses an encryption this app cannot read.") from exc
    if result == PasswordType.NOT_DECRYPTED:
        raise MediaError("The PDF is protected by a password; its text cannot be read.")


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "..."
