"""Queries drawn from the records themselves (seeded), so every engine answers the same ones."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from desktop.core.records import Record

_WORD = re.compile(r"[A-Za-z]{4,}")
_STOP = frozenset(
    """this that with from have they their there what when which will would your about into
    than then them these those were been being more most also some such only other over under
    before where while does each just like make made many much must need very well here after
    http https www""".split()
)


@dataclass
class QuerySet:
    """Queries per class; kinds for the facet-filter class come with their term."""

    single: list[str] = field(default_factory=list)
    two_and: list[tuple[str, str]] = field(default_factory=list)
    phrase: list[tuple[str, str]] = field(default_factory=list)
    prefix_words: list[str] = field(default_factory=list)
    filtered: list[tuple[str, str]] = field(default_factory=list)  # (term, kind)
    topics: list[str] = field(default_factory=list)
    #: Vocabulary labels, half preferred and half alternative (the searches that query expansion serves).
    labels: list[str] = field(default_factory=list)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP]


def draw_queries(records: list[Record], count: int, seed: int = 20261123) -> QuerySet:
    """``count`` queries per class drawn from titles, summaries and bodies of ``records``."""
    rng = random.Random(seed)
    with_text = [r for r in records if len(_words(r.title)) >= 2]
    queries = QuerySet()
    for _ in range(count):
        record = rng.choice(with_text)
        title_words = _words(record.title)
        queries.single.append(rng.choice(title_words))
        pair = rng.sample(title_words, 2)
        queries.two_and.append((pair[0], pair[1]))
        body_words = _words(str(record.fields.get("summary") or record.fields.get("body") or record.title))
        if len(body_words) >= 2:
            start = rng.randrange(len(body_words) - 1)
            queries.phrase.append((body_words[start], body_words[start + 1]))
        else:
            queries.phrase.append((title_words[0], title_words[1]))
        queries.filtered.append((rng.choice(title_words), record.kind.value))
    prefix_pool = [w for r in with_text for w in _words(r.title) if len(w) >= 5]
    queries.prefix_words = [rng.choice(prefix_pool) for _ in range(max(10, count // 5))]
    terms = [r.title for r in records if r.kind.value == "term" and 0 < len(r.title) < 40]
    pool = terms or [q for q in queries.single]
    queries.topics = [rng.choice(pool) for _ in range(max(10, count // 4))]
    term_records = [r for r in records if r.kind.value == "term" and not r.deleted]
    preferred = [r.title for r in term_records if 0 < len(r.title) < 40]
    alternative = [
        str(a) for r in term_records for a in r.fields.get("alt_labels") or [] if 0 < len(str(a)) < 40
    ]
    if preferred and alternative:
        half = max(5, count // 4)
        queries.labels = [rng.choice(preferred) for _ in range(half)] + [
            rng.choice(alternative) for _ in range(half)
        ]
    return queries
