"""Identifiers normalised the same way when indexed and when typed into the search box.

ISBNs lose hyphens and spaces and are indexed in both their 10- and 13-digit forms;
ISSNs lose the hyphen; LCCNs follow the Library of Congress normalisation; URLs lose
scheme, ``www.``, fragment and trailing slash; everything is lower-cased.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_ISBN_CHARS = re.compile(r"^[0-9Xx][0-9Xx\- ]{8,20}$")
_ISSN = re.compile(r"^(\d{4})-?(\d{3}[\dXx])$")
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)", re.IGNORECASE)


def _isbn10_check(first9: str) -> str:
    total = sum((10 - i) * int(d) for i, d in enumerate(first9))
    check = (11 - total % 11) % 11
    return "x" if check == 10 else str(check)


def _isbn13_check(first12: str) -> str:
    total = sum((3 if i % 2 else 1) * int(d) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def isbn_forms(raw: str) -> list[str]:
    """Both forms of an ISBN (13 and, for 978-, 10 digits), or [] if ``raw`` is no ISBN."""
    text = raw.strip()
    # Catalogue values often carry a qualifier: "0306406152 (pbk.)".
    text = text.split("(")[0].strip()
    if not _ISBN_CHARS.match(text):
        return []
    digits = re.sub(r"[\- ]", "", text).lower()
    if len(digits) == 10 and digits[:9].isdigit():
        thirteen = "978" + digits[:9]
        return [digits, thirteen + _isbn13_check(thirteen)]
    if len(digits) == 13 and digits.isdigit():
        forms = [digits]
        if digits.startswith("978"):
            forms.append(digits[3:12] + _isbn10_check(digits[3:12]))
        return forms
    return []


def normalize_issn(raw: str) -> str | None:
    """``1234-567X`` -> ``1234567x``; None if ``raw`` is no ISSN."""
    match = _ISSN.match(raw.strip())
    return (match.group(1) + match.group(2)).lower() if match else None


def normalize_lccn(raw: str) -> str | None:
    """LCCN normalisation (blanks out, ``/...`` suffix dropped, the part after a hyphen padded to 6)."""
    text = re.sub(r"\s+", "", raw).split("/")[0].lower()
    if not text:
        return None
    if "-" in text:
        head, _, tail = text.partition("-")
        if not tail.isdigit():
            return None
        text = head + tail.zfill(6)
    return text if re.fullmatch(r"[a-z]{0,3}\d{8,10}", text) else None


def normalize_url(raw: str) -> str | None:
    """``https://www.Example.gov/a/#x`` -> ``example.gov/a``; None if ``raw`` is no URL."""
    text = raw.strip()
    if not _URL.match(text):
        return None
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text, flags=re.IGNORECASE)
    text = re.sub(r"^www\.", "", text, flags=re.IGNORECASE)
    text = text.split("#")[0].rstrip("/")
    return text.lower() or None


def index_forms(values: Iterable[str], *, isbn: bool = False, issn: bool = False) -> set[str]:
    """Every normalised form under which identifiers ``values`` are indexed."""
    forms: set[str] = set()
    for value in values:
        text = str(value or "").strip()
        if not text:
            continue
        if isbn:
            forms.update(isbn_forms(text))
        if issn and (normalized := normalize_issn(text)):
            forms.add(normalized)
        for normalizer in (normalize_lccn, normalize_url):
            if found := normalizer(text):
                forms.add(found)
        forms.add(re.sub(r"\s+", " ", text).lower())
    return forms


def query_forms(raw: str) -> set[str]:
    """The normalised forms a typed query could be, to look up in the identifier field."""
    text = raw.strip().strip('"').strip()
    if not text or len(text) > 300:
        return set()
    forms: set[str] = set()
    # Only text with a digit can be a raw id, key or control number: a plain word such as
    # "mobile" is a topic's source key too, and must stay a full-text query.
    if any(ch.isdigit() for ch in text):
        forms.add(re.sub(r"\s+", " ", text).lower())
    forms.update(isbn_forms(text))
    for normalizer in (normalize_issn, normalize_lccn, normalize_url):
        if found := normalizer(text):
            forms.add(found)
    return forms
