"""Analyzers shared by the index and the query side.

Full text is stemmed and accent-folded (``café`` and ``cafe`` are one term); short
fields used while typing get edge n-grams; facet and identifier fields keep whole
values, lower-cased, one per ``\\x1f``-separated item.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from whoosh.analysis import (
    CharsetFilter,
    LowercaseFilter,
    NgramFilter,
    RegexTokenizer,
    StemmingAnalyzer,
    StripFilter,
)
from whoosh.support.charset import accent_map

#: Separator between the items of a multi-valued exact field.
SEP = "\x1f"

#: Longest edge n-gram kept for search-as-you-type; longer typed words are cut to it.
NGRAM_MAX = 12

_WORDS = re.compile(r"\w+(?:\.?\w+)*", re.UNICODE)


def text_analyzer() -> Any:
    """Stemming, stop words and accent folding for prose fields."""
    # The explicit expression keeps "*" out of words (the default one admits it for wildcards).
    return StemmingAnalyzer(expression=_WORDS.pattern, cachesize=-1) | CharsetFilter(accent_map)


def edge_ngram_analyzer() -> Any:
    """Lower-cased, accent-folded edge n-grams (1..NGRAM_MAX) of every word."""
    return (
        RegexTokenizer(_WORDS.pattern)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | NgramFilter(minsize=1, maxsize=NGRAM_MAX, at="start")
    )


def exact_analyzer() -> Any:
    """Whole values separated by SEP, trimmed and lower-cased (facets, identifiers, links)."""
    return RegexTokenizer(r"[^\x1f]+") | StripFilter() | LowercaseFilter()


def fold(text: str) -> str:
    """Lower-case and strip accents the way the analyzers do (``Café`` -> ``cafe``)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order (the tokenizer's idea of a word)."""
    return _WORDS.findall(fold(text))


def join_values(values: list[str]) -> str:
    """Items of a multi-valued exact field as one string for the analyzer."""
    return SEP.join(v.replace(SEP, " ").strip() for v in values if v and v.strip())
