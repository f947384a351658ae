"""Identifiers and titles in the one form duplicates are matched on.

ISBNs (10 or 13 digits, hyphens, spaces, qualifiers such as ``(pbk.)``) become one
ISBN-13; ISSNs become ``NNNN-NNNC``; URLs lose what does not name a different page
(scheme, ``www.``, default ports, a trailing slash, tracking parameters, fragments);
titles are folded to lower-case words without accents or punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit

_ISBN_CHARS = re.compile(r"[0-9Xx][0-9Xx\s\-‐‑–]*")
_ISSN = re.compile(r"(\d{4})\s*[-‐‑–]?\s*(\d{3}[\dXx])")
#: Query parameters that track a visit rather than name a page.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_")
_TRACKING = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "_ga", "_gl", "ref", "source", "s_cid"}
)
_DEFAULT_PORTS = {"http": "80", "https": "443"}
_NOT_WORD = re.compile(r"[^\w]+")


def _isbn10_valid(digits: str) -> bool:
    if len(digits) != 10 or not digits[:9].isdigit() or not (digits[9].isdigit() or digits[9] == "X"):
        return False
    check = 10 if digits[9] == "X" else int(digits[9])
    return (sum((10 - i) * int(d) for i, d in enumerate(digits[:9])) + check) % 11 == 0


def _isbn13_valid(digits: str) -> bool:
    if len(digits) != 13 or not digits.isdigit():
        return False
    return sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits)) % 10 == 0


def normalize_isbn(value: str) -> str:
    """The ISBN-13 of an ISBN as written (``0-19-852663-6 (pbk.)`` -> ``9780198526636``), or "".

    Only ISBNs whose check digit is right are returned: a wrong one is a typo or a truncated
    ISBN-13 (ten digits starting 978), and matching on it would join unrelated books.
    """
    match = _ISBN_CHARS.search(str(value or ""))
    if match is None:
        return ""
    digits = re.sub(r"[^0-9X]", "", match.group(0).upper())
    if len(digits) == 13 and _isbn13_valid(digits):
        return digits
    if len(digits) == 10 and _isbn10_valid(digits):
        core = "978" + digits[:9]
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(core))
        return core + str((10 - total % 10) % 10)
    return ""


def normalize_issn(value: str) -> str:
    """An ISSN as ``NNNN-NNNC`` (``1471 2989``, ``14712989`` -> ``1471-2989``), or "" if there is none."""
    match = _ISSN.search(str(value or ""))
    if match is None:
        return ""
    return f"{match.group(1)}-{match.group(2).upper()}"


def normalize_url(value: str) -> str:
    """A URL reduced to the page it names, for matching (not for opening).

    ``https://www.Example.gov/a/b/?utm_source=x#top`` and ``http://example.gov/a/b`` both give
    ``example.gov/a/b``. Query parameters that name content (``?id=12``) are kept, sorted.
    Returns "" for anything that is not an http(s) or schemeless web address.
    """
    text = str(value or "").strip()
    if not text:
        return ""
    if "://" not in text:
        if text.startswith("//"):
            text = "http:" + text
        elif "." in text.split("/", 1)[0] and not re.search(r"[\s:@]", text.split("/", 1)[0]):
            text = "http://" + text
        else:
            return ""
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.hostname.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if port is not None and str(port) != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    # Slashes off first, so "/a/index.html/" is "/a" as "/a/index.html" is.
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    for index_page in ("/index.html", "/index.htm", "/index.php"):
        if path.lower().endswith(index_page):
            path = path[: -len(index_page)]
    path = path.rstrip("/")
    query = [
        (key, val)
        for key, val in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith(_TRACKING_PREFIXES) and key.lower() not in _TRACKING
    ]
    tail = f"?{urlencode(sorted(query))}" if query else ""
    return f"{host}{path}{tail}"


def fold_text(value: str) -> str:
    """Lower-case words without accents or punctuation, (``Café & Co.`` -> ``cafe and co``)."""
    text = unicodedata.normalize("NFKD", str(value or ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ")
    return " ".join(_NOT_WORD.sub(" ", text).replace("_", " ").split())


def normalize_title(value: str) -> str:
    """A title for comparison: folded, without a trailing ``[fragment]``-style note or statement of
    responsibility (``The eighth day : a thriller / John Case`` -> ``the eighth day a thriller``)."""
    text = str(value or "")
    text = re.split(r"\s/\s", text, maxsplit=1)[0]
    return fold_text(text)


def author_key(name: str) -> str:
    """A person's name as surname plus first initial (``Klein, Robert M. (Robert Melvin)`` -> ``klein r``).

    Catalogue headings put the surname first with a comma; without a comma the last word is the
    surname (``Robert Klein``). Names of organisations keep all their words.
    """
    text = re.sub(r"\(.*?\)|\d{3,4}-?(\d{3,4})?", " ", str(name or ""))
    if "," in text:
        surname, _, rest = text.partition(",")
        first = fold_text(rest).split()
        surname_words = fold_text(surname)
        return f"{surname_words} {first[0][0]}" if first else surname_words
    words = fold_text(text).split()
    if len(words) in (2, 3) and all(w.isalpha() for w in words):
        return f"{words[-1]} {words[0][0]}"
    return " ".join(words)


def edition_key(value: str) -> str:
    """What tells editions apart: its number (``2nd ed.``, ``2e éd. rev.`` -> ``2``), else its words.

    A missing edition statement reads as the first edition.
    """
    text = fold_text(value)
    if not text:
        return "1"
    number = re.search(r"\d+", text)
    if number:
        return str(int(number.group(0)))
    for word, digit in (("first", "1"), ("second", "2"), ("third", "3"), ("fourth", "4"), ("fifth", "5")):
        if word in text.split():
            return digit
    return text
