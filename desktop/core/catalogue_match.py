"""Catalogue identifiers (ISBN, ISSN, LCCN) and the index that finds an item already holding one.

Kept on its own so the import preview shares the duplicate finder's notion of "the same
book" (:mod:`desktop.core.identifiers`: an ISBN matches as its ISBN-13 when its check digit
is right, an ISSN as ``NNNN-NNNC``): two items with the same ISBN, ISSN or LCCN under
different control numbers or source keys are the same thing catalogued twice.
Pure Python: no store, no parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from desktop.core.identifiers import normalize_isbn as matching_isbn
from desktop.core.identifiers import normalize_issn
from desktop.core.kinds import Kind
from desktop.core.records import Record

_ISBN = re.compile(r"^[\s-]*((?:[0-9][\s-]*){12}[0-9]|(?:[0-9][\s-]*){9}[0-9Xx])")


__all__ = ["IdentifierIndex", "IdentifierMatch", "identifiers", "isbn13", "normalize_isbn", "normalize_issn"]


def normalize_isbn(value: str) -> str:
    """The digits (and final X) of an ISBN as written, the form items keep:
    ``0201616165 (alk. paper)`` -> ``0201616165`` (matching uses the ISBN-13, see :func:`identifiers`)."""
    match = _ISBN.match(value)
    if not match:
        return ""
    return re.sub(r"[\s-]", "", match.group(1)).upper()


def isbn13(isbn: str) -> str:
    """The ISBN-13 form of a normalized ISBN (for matching 10- and 13-digit forms)."""
    if len(isbn) == 13:
        return isbn
    core = "978" + isbn[:9]
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(core))
    return core + str((10 - total % 10) % 10)


def normalize_lccn(value: str) -> str:
    """An LCCN in the Library of Congress's normalized form (no blanks, no ``/`` suffix, serial padded).

    ``n 78-89035`` -> ``n78089035``; ``85-2 `` -> ``85000002``.
    """
    text = re.sub(r"\s+", "", value).split("/")[0].lower()
    if "-" in text:
        prefix, _, serial = text.partition("-")
        if serial.isdigit():
            text = prefix + serial.zfill(6)
    return text


def identifiers(fields: dict[str, Any]) -> list[tuple[str, str]]:
    """``("isbn", 978...)``, ``("issn", ...)`` and ``("lccn", ...)`` keys of an item's fields."""
    keys: list[tuple[str, str]] = []
    for value in fields.get("isbn") or []:
        isbn = matching_isbn(str(value))
        if isbn and ("isbn", isbn) not in keys:
            keys.append(("isbn", isbn))
    for value in fields.get("issn") or []:
        issn = normalize_issn(str(value))
        if issn and ("issn", issn) not in keys:
            keys.append(("issn", issn))
    lccn = normalize_lccn(str(fields.get("lccn") or ""))
    if lccn:
        keys.append(("lccn", lccn))
    return keys


@dataclass(frozen=True)
class IdentifierMatch:
    """The item that already holds one of a record's identifiers."""

    holder_id: str
    holder_title: str
    scheme: str  # "isbn", "issn" or "lccn"
    value: str

    @property
    def reason(self) -> str:
        """Why the record is taken for a duplicate, in words."""
        return f"same {self.scheme.upper()} {self.value} as {self.holder_title!r}"


class IdentifierIndex:
    """Identifier -> the first knowledge-centre item holding it (the lowest id among existing ones)."""

    def __init__(self, records: Iterable[Record] = ()) -> None:
        self._holders: dict[tuple[str, str], tuple[str, str]] = {}
        for record in records:
            self.add(record)

    def add(self, record: Record) -> None:
        """Learn the identifiers of a live item (an item added earlier in the same import, too)."""
        if record.kind is not Kind.CENTRE_ITEM or record.deleted:
            return
        for key in identifiers(record.fields):
            holder = self._holders.get(key)
            if holder is None or record.id < holder[0]:
                self._holders[key] = (record.id, record.title)

    def match(self, record: Record) -> IdentifierMatch | None:
        """The other item that holds one of ``record``'s identifiers (ISBN first), or None."""
        if record.kind is not Kind.CENTRE_ITEM:
            return None
        for key in identifiers(record.fields):
            holder = self._holders.get(key)
            if holder is not None and holder[0] != record.id:
                return IdentifierMatch(holder[0], holder[1], key[0], key[1])
        return None
