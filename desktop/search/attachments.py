"""Attachment names and extracted text, fetched in bulk for a batch of records being indexed.

The text lives in the store (``attachments.text``); each batch of records being
indexed costs one ``store.attachment_texts`` call, never one query per record.
Text is capped per attachment and per record: the first few hundred pages of a
long report are what a search needs, and the index stays small and fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from desktop.core.ports import RecordStore
from desktop.core.records import Record

#: Characters of one attachment's text that are indexed.
MAX_ATTACHMENT_CHARS = 300_000
#: Characters of attachment text indexed for one record, all attachments together.
MAX_RECORD_CHARS = 600_000

_NAME_SEPARATORS = re.compile(r"[_\-.+]+")


def name_words(filename: str) -> str:
    """A file name as words: ``site-visit_Eshowe.jpg`` -> ``site visit Eshowe jpg``."""
    return _NAME_SEPARATORS.sub(" ", filename).strip()


def attachment_field(items: Iterable[tuple[str, str]]) -> str:
    """The ``attachments`` field of one record from its (file name, text) pairs, capped."""
    parts: list[str] = []
    left = MAX_RECORD_CHARS
    for filename, text in items:
        piece = "\n".join(p for p in (name_words(filename), text[:MAX_ATTACHMENT_CHARS]) if p)
        if not piece:
            continue
        parts.append(piece[:left])
        left -= len(parts[-1]) + 1
        if left <= 0:
            break
    return "\n".join(parts)


def fetch_attachment_texts(store: RecordStore, records: Sequence[Record]) -> dict[str, str]:
    """Record id -> its ``attachments`` field, for the records that have attachments (one store call)."""
    if not records:
        return {}
    found = store.attachment_texts([r.id for r in records], max_chars=MAX_ATTACHMENT_CHARS)
    return {record_id: attachment_field(items) for record_id, items in found.items()}
