"""'Did you mean': corrections from the index's own words, offered only when they help."""

from __future__ import annotations

import logging
import re
from typing import Any

from desktop.search.analysis import fold
from desktop.search.query import PROSE_FIELDS, parse_user_query

logger = logging.getLogger(__name__)

#: Below this many hits a correction is looked for.
SUGGEST_BELOW = 3
_WORD = re.compile(r"\w{3,}", re.UNICODE)
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_SPELLING_FIELDS = ("title", "summary", "topics")


def _known(reader: Any, analyzer: Any, word: str) -> bool:
    """True when the analysed word occurs in a prose field (stop words count as known)."""
    tokens = [t.text for t in analyzer(word)]
    if not tokens:
        return True
    return all(any(reader.doc_frequency(f, token) > 0 for f in PROSE_FIELDS) for token in tokens)


def _best_suggestion(correctors: list[Any], word: str) -> str | None:
    """The closest, most frequent indexed word to ``word`` over several fields' correctors.

    (whoosh's MultiCorrector yields its pairs in the wrong order in 2.7.5, so merge here.)
    """
    scored: dict[str, float] = {}
    for corrector in correctors:
        for score, option in corrector._suggestions(word, 2, 1):
            if option != word:
                scored[option] = max(score, scored.get(option, score))
    if not scored:
        return None
    return min(scored, key=lambda option: (-scored[option], option))


def suggest(searcher: Any, parser: Any, text: str, total: int) -> str | None:
    """A corrected query string with more hits than ``total``, or None when the query is fine."""
    if total >= SUGGEST_BELOW:
        return None
    reader = searcher.reader()
    analyzer = searcher.schema["title"].analyzer
    correctors = [searcher.corrector(f) for f in _SPELLING_FIELDS]
    changed = False

    def replace(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group(0)
        if word in _OPERATORS or word.isdigit() or _known(reader, analyzer, word):
            return word
        best = _best_suggestion(correctors, fold(word))
        if best is None:
            return word
        changed = True
        return best

    corrected = _WORD.sub(replace, text)
    if not changed:
        return None
    query = parse_user_query(parser, corrected)
    if query is None:
        return None
    better = len(searcher.search(query, limit=1))
    logger.debug("did you mean %r (%d hits) for %r (%d hits)", corrected, better, text, total)
    return corrected if better > total else None
