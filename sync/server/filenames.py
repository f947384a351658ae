"""Attachment names as metadata only: sanitized for a ``Content-Disposition`` header, never a path.

Blob files are stored under their hash (and unfinished uploads under a server-made id),
so a client's file name never reaches the file system; this module only makes the name
safe to show and to send back in a header (RFC 6266, with RFC 5987 encoding).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

#: Longest name sent back, in characters (the extension is kept).
MAX_NAME_CHARS = 150
_FALLBACK = "attachment"
_WINDOWS_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?$", re.IGNORECASE)
#: Unicode categories dropped: controls (NUL, CR, LF...), formats (bidi overrides, zero-width), unassigned.
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp"}


def sanitize_filename(name: str) -> str:
    """A harmless display name: no directories, controls, bidi overrides or reserved names."""
    text = unicodedata.normalize("NFC", name)
    # Keep only the last path component, whichever separator the sender used.
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    text = re.sub(r'[<>:"|?*]', "_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    if _WINDOWS_RESERVED.match(text):
        text = f"_{text}"
    if len(text) > MAX_NAME_CHARS:
        stem, dot, ext = text.rpartition(".")
        if dot and 0 < len(ext) <= 16:
            text = stem[: MAX_NAME_CHARS - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            text = text[:MAX_NAME_CHARS].rstrip(" .")
    return text or _FALLBACK


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback name and the UTF-8 name (RFC 6266 section 4.3)."""
    safe = sanitize_filename(name)
    ascii_name = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\%' else "_" for ch in safe)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(safe, safe='')}"
