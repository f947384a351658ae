"""Plain-text snippets with the matched words marked, from short stored fields only.

Highlighting re-analyses text, which costs more than searching (PERFORMANCE.md), so
snippets come from the stored summary and the first ~2,000 characters of the body,
and only for the page of hits being returned.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from whoosh import highlight

from desktop.core.marks import MARK_END as MARK_END
from desktop.core.marks import MARK_START as MARK_START

SNIPPET_CHARS = 240


class MarkFormatter(highlight.Formatter):  # type: ignore[misc]
    """Marks matched words with MARK_START/MARK_END and joins fragments with an ellipsis."""

    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"{MARK_START}{highlight.get_text(text, token, replace)}{MARK_END}"


_FORMATTER = MarkFormatter()
_FRAGMENTER = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)


def make_snippet(texts: Iterable[str], terms: frozenset[str], analyzer: Any) -> str:
    """The first text among ``texts`` with a match, as marked fragments; else the start of the first text.

    ``terms`` are the analysed query terms (stems, accent-folded) of the prose fields.
    """
    candidates = [t for t in texts if t]
    if terms:
        for text in candidates:
            marked = highlight.highlight(text, terms, analyzer, _FRAGMENTER, _FORMATTER, top=2)
            if MARK_START in marked:
                return str(marked).strip()
    if not candidates:
        return ""
    first = candidates[0]
    return first if len(first) <= SNIPPET_CHARS else first[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
