"""From what the user typed to a Whoosh query.

Words are ANDed, quotes make phrases, ``OR`` and ``-word`` (or ``NOT word``) work;
nothing else of Whoosh's syntax is enabled (no field names, wildcards, ranges or
boosts, which users type by accident and which explode on large indexes). A query
the parser cannot handle falls back to its plain words.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from whoosh import qparser
from whoosh import query as wq

from desktop.search.analysis import words
from desktop.search.identifiers import query_forms
from desktop.search.schema import FIELD_BOOSTS

logger = logging.getLogger(__name__)

PROSE_FIELDS: tuple[str, ...] = tuple(FIELD_BOOSTS)


def make_parser(schema: Any, fields: tuple[str, ...] = PROSE_FIELDS) -> Any:
    """A multi-field parser with AND grouping and only the plugins users need."""
    boosts = {f: FIELD_BOOSTS[f] for f in fields if f in FIELD_BOOSTS}
    parser = qparser.MultifieldParser(list(fields), schema, fieldboosts=boosts, group=qparser.AndGroup)
    parser.remove_plugin_class(qparser.FieldsPlugin)
    parser.remove_plugin_class(qparser.WildcardPlugin)
    parser.remove_plugin_class(qparser.RangePlugin)
    parser.remove_plugin_class(qparser.BoostPlugin)
    parser.remove_plugin_class(qparser.EveryPlugin)
    parser.add_plugin(qparser.PlusMinusPlugin())
    return parser


def parse_user_query(parser: Any, text: str) -> Any | None:
    """The query for ``text``; plain words ANDed if the syntax is broken; None when nothing is searchable."""
    try:
        parsed = parser.parse(text)
    except Exception:  # the parser raises assorted errors on odd input; never crash a search
        logger.info("query syntax not understood, searching its words: %r", text, exc_info=True)
        plain = " ".join(words(text))
        try:
            parsed = parser.parse(plain) if plain else wq.NullQuery
        except Exception:
            logger.warning("query could not be parsed at all: %r", text, exc_info=True)
            return None
    if parsed is wq.NullQuery or isinstance(parsed, type(wq.NullQuery)):
        return None
    return parsed


def union_trees(q: Any) -> Any:
    """Make every ``Or`` in ``q`` match through a tree of union matchers; returns ``q``.

    Whoosh's automatic choice preloads the matches of an ``Or`` into an array on every segment
    of at most 5,000 documents, clearing a 2,048-slot array in Python for each one: the one-record
    segments that autosaves add made that the largest cost of a search after an edit (cProfile).
    """
    if isinstance(q, wq.Or):
        q.matcher_type = wq.Or.DEFAULT_MATCHER
    for child in q.children():
        union_trees(child)
    return q


def positive_terms(q: Any) -> Iterator[tuple[str, str]]:
    """(field, text) of the terms a hit should contain (negated parts skipped), for snippets."""
    if isinstance(q, wq.Not):
        return
    if isinstance(q, wq.AndNot):
        yield from positive_terms(q.a)
        return
    if isinstance(q, wq.Term):
        text = q.text.decode("utf-8") if isinstance(q.text, bytes) else str(q.text)
        yield q.fieldname, text
        return
    if isinstance(q, wq.Phrase):
        for word in q.words:
            yield q.fieldname, str(word)
        return
    for child in q.children():
        yield from positive_terms(child)


def identifier_query(text: str) -> Any | None:
    """A query on the identifier field for every form ``text`` could take, or None."""
    forms = query_forms(text)
    if not forms:
        return None
    return wq.Or([wq.Term("ident", form) for form in sorted(forms)])


class Vocabulary:
    """Labels of vocabulary terms mapped to each other, for query expansion.

    A query naming an alternative label also finds records tagged with the preferred
    label, and a query naming a preferred label also finds records tagged with one of
    its alternative labels (a free tag typed before the term existed). Expansion happens
    at query time, not index time: a librarian's edit of one term then changes results
    at once, without re-indexing every record tagged with it (tags are plain strings,
    which no change feed or backlink would lead us to).
    """

    def __init__(
        self,
        pairs: Mapping[tuple[str, ...], str] | None = None,
        alternatives: Mapping[tuple[str, ...], Sequence[str]] | None = None,
    ) -> None:
        self._alt: dict[tuple[str, ...], str] = dict(pairs or {})
        self._pref: dict[tuple[str, ...], tuple[str, ...]] = {
            k: tuple(v) for k, v in (alternatives or {}).items()
        }
        self._longest = max((len(key) for key in [*self._alt, *self._pref]), default=0)
        self._lock = threading.Lock()

    @classmethod
    def from_labels(cls, labels: list[list[str]]) -> Vocabulary:
        """From each term's ``[preferred, alt1, alt2, ...]`` labels."""
        pairs: dict[tuple[str, ...], str] = {}
        alternatives: dict[tuple[str, ...], list[str]] = {}
        for entry in labels:
            if not entry:
                continue
            preferred, *others = entry
            own = tuple(words(preferred))
            for alt in others:
                key = tuple(words(alt))
                if key and key != own:
                    pairs.setdefault(key, preferred)
                    if own and alt not in alternatives.setdefault(own, []):
                        alternatives[own].append(alt)
        return cls(pairs, alternatives)

    def __len__(self) -> int:
        return len(self._alt) + len(self._pref)

    def expansions(self, text: str) -> list[tuple[str, str]]:
        """(a label to find among tags, the rest of the query) for each label found in ``text``.

        An alternative label typed gives its preferred label; a preferred label typed gives each
        of its alternative labels. Looked up by word windows, so the cost is the query's length
        times the longest label's, not the size of the vocabulary.
        """
        typed = words(text)
        found: dict[tuple[str, str], None] = {}
        for n in range(min(self._longest, len(typed)), 0, -1):
            for start in range(len(typed) - n + 1):
                key = tuple(typed[start : start + n])
                if key not in self._alt and key not in self._pref:
                    continue
                rest = " ".join(typed[:start] + typed[start + n :])
                if key in self._alt:
                    found.setdefault((self._alt[key], rest), None)
                for alt in self._pref.get(key, ()):
                    found.setdefault((alt, rest), None)
        return list(found)


def expand_with_vocabulary(parser: Any, text: str, main: Any, vocabulary: Vocabulary) -> Any:
    """``main`` OR (records tagged with a label the typed one stands for AND the rest of the query)."""
    if len(vocabulary) == 0 or '"' in text or " OR " in text:
        return main
    by_rest: dict[str, list[str]] = {}
    for label, rest in vocabulary.expansions(text):
        by_rest.setdefault(rest, []).append(label.strip().lower())
    alternatives = [main]
    for rest, labels in by_rest.items():
        terms = [wq.Term("f_topic", label, boost=FIELD_BOOSTS["topics"]) for label in dict.fromkeys(labels)]
        tagged = terms[0] if len(terms) == 1 else wq.Or(terms)
        rest_query = parse_user_query(parser, rest) if rest else None  # parsed once per rest
        alternatives.append(wq.And([tagged, rest_query]) if rest_query is not None else tagged)
    return main if len(alternatives) == 1 else wq.Or(alternatives)
