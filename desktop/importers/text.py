"""Small text helpers shared by the importers: decoding, dates, lists, slugs."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

from desktop.importers.errors import ImportFileError

_DATE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?\s*$",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when ``data`` is UTF-16 saved without a byte-order mark.

    Such text is valid UTF-8 (every other byte is NUL), so it would otherwise be read as a
    header of ``t\x00i\x00t\x00l\x00e``; mostly-Latin text has NULs on one side only.
    """
    head = data[:4096]
    if len(head) < 4 or b"\x00" not in head:
        return None
    even, odd = head[0::2], head[1::2]
    for codec, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) <= 0.1 * len(other):
            return codec
    return None


def decode_text(data: bytes, name: str = "file") -> str:
    """UTF-8 text (a byte-order mark is dropped), or ImportFileError naming the bad byte."""
    codec = utf16_without_bom(data)
    if codec is not None:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            raise ImportFileError(f"{name} looks like UTF-16 text but is not; save it as UTF-8") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        raise ImportFileError(
            f"{name} is not UTF-8 text (byte 0x{bad} at offset {exc.start}); "
            "save it as UTF-8 and import it again"
        ) from None
    return text


def clean_text(value: Any) -> str:
    """A one-line or prose value as text: None becomes "", control characters go."""
    if value is None or isinstance(value, dict | list | tuple | set):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    # Front matter, CSV cells and JSON strings carry HTML entities (``It&#8217;s``) as often as bodies do.
    text = html.unescape(str(value))
    return _CONTROL.sub("", text).strip()


def one_line(value: Any) -> str:
    """Like :func:`clean_text` with runs of whitespace folded into one space."""
    return re.sub(r"\s+", " ", clean_text(value)).strip()


def str_list(value: Any) -> list[str]:
    """A YAML/JSON scalar or list as a list of non-empty one-line strings, in order, without repeats."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    result: list[str] = []
    for item in items:
        text = one_line(item)
        if text and text not in result:
            result.append(text)
    return result


def iso_date(value: Any) -> str | None:
    """An ISO 8601 date or date-time string, or None when ``value`` is not a date.

    Accepts what front matter and JSON feeds carry: ``2015-03-02 10:00:16 -0400``,
    ``2018-03-29 3:30:00 -0500``, ``2024-06-14``, ``2012-12-17T15:45:44.000+00:00``
    and date/datetime objects.
    """
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    match = _DATE.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    if hour is None:
        return date.isoformat()
    if int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59:
        return None
    text = f"{date.isoformat()}T{int(hour):02d}:{minute}:{second or '00'}"
    if fraction:
        text += fraction[:7]
    if zone:
        zone = zone.upper()
        if zone in ("Z", "UTC", "GMT"):
            text += "Z"
        else:
            digits = zone[1:].replace(":", "")
            text += f"{zone[0]}{digits[:2]}:{digits[2:]}"
    return text


def humanise_slug(slug: str) -> str:
    """``user-experience`` -> ``User experience``."""
    words = re.sub(r"[-_]+", " ", slug).strip()
    return words[:1].upper() + words[1:]


def display_path(path: Path | str) -> str:
    """A path as printable text, even when the file name is not valid UTF-8."""
    text = str(path)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def limit(text: str, size: int) -> str:
    """``text`` cut to at most ``size`` characters, on a word boundary when possible."""
    if len(text) <= size:
        return text
    cut = text[: size - 1]
    space = cut.rfind(" ")
    if space > size // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"
