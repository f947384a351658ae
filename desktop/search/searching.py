"""Running searches on one searcher: ranked pages, facets, snippets, suggestions, as-you-type."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from whoosh import collectors
from whoosh import query as wq
from whoosh.searching import TimeLimit

from desktop.core.kinds import Kind
from desktop.search.analysis import NGRAM_MAX, words
from desktop.search.facets import FacetCache, FacetDict, count_facets, filter_query
from desktop.search.query import (
    PROSE_FIELDS,
    Vocabulary,
    expand_with_vocabulary,
    identifier_query,
    parse_user_query,
    positive_terms,
    union_trees,
)
from desktop.search.results import Hit, SearchResult
from desktop.search.snippets import make_snippet
from desktop.search.suggest import suggest

logger = logging.getLogger(__name__)

#: Search-as-you-type: full text joins from this many typed characters.
FULL_TEXT_FROM = 3
#: Search-as-you-type: time budget of the full-text part, in seconds.
AS_YOU_TYPE_BUDGET = 0.15
#: Search-as-you-type: the last typed word completes to at most this many indexed words.
PREFIX_EXPANSION = 16
_EXPANSION_FIELDS = ("title", "summary", "topics")


@dataclass
class SearchContext:
    """What a search needs besides the searcher: parsers, vocabulary and the facet cache."""

    parser: Any
    plain_parser: Any
    vocabulary: Vocabulary
    facet_cache: FacetCache


def _kind_values(kinds: Sequence[Kind | str]) -> list[str]:
    return [Kind(k).value for k in kinds]


def _combine(main: Any, filt: Any | None) -> Any:
    return main if filt is None else wq.And([main, filt])


def _hit(searcher: Any, hit: Any, terms: frozenset[str], facets: list[FacetDict], analyzer: Any) -> Hit:
    stored = hit.fields()
    docnum = hit.docnum
    values = facets[docnum] if docnum < len(facets) else {}
    snippet = make_snippet([stored.get("summary", ""), stored.get("body_head", "")], terms, analyzer)
    return Hit(
        id=str(stored["id"]),
        kind=Kind(stored["kind"]),
        title=str(stored.get("title", "")),
        score=float(hit.score or 0.0),
        snippet=snippet,
        facet_values={k: list(v) for k, v in values.items()},
    )


def _terms_of(q: Any) -> frozenset[str]:
    return frozenset(text for field, text in positive_terms(q) if field in PROSE_FIELDS)


def run_search(
    searcher: Any,
    ctx: SearchContext,
    text: str,
    *,
    kinds: Sequence[Kind | str],
    filters: Mapping[str, Sequence[str]],
    limit: int,
    offset: int,
    facets: bool,
) -> SearchResult:
    """A page of ranked hits for ``text`` with facet counts over every hit."""
    limit = max(0, int(limit))
    offset = max(0, int(offset))
    filt = filter_query(_kind_values(kinds), filters)
    main: Any | None = None
    ident = identifier_query(text)
    if ident is not None and not searcher.search(ident, limit=1, filter=filt).is_empty():
        main = ident  # an identifier typed into the box finds its record first
    if main is None:
        parsed = parse_user_query(ctx.parser, text) if text.strip() else None
        if parsed is not None:
            main = expand_with_vocabulary(ctx.parser, text, parsed, ctx.vocabulary)
        elif text.strip() and not (kinds or filters):
            main = wq.NullQuery  # only stop words or symbols
        else:
            main = wq.Every()  # browsing: everything, narrowed by filters
    if main is wq.NullQuery:
        return SearchResult(text, 0, [], {}, suggestion=None)
    main = union_trees(main)
    filt = union_trees(filt) if filt is not None else None

    results = searcher.search(main, limit=offset + limit if limit else 1, filter=filt, terms=False)
    facet_values = ctx.facet_cache.for_searcher(searcher)
    counts: dict[str, list[tuple[str, int]]] = {}
    if facets:
        docnums = list(searcher.docs_for_query(_combine(main, filt)))
        total = len(docnums)
        counts = count_facets(facet_values, docnums)
    else:
        total = len(results)
    analyzer = searcher.schema["body"].analyzer
    terms = _terms_of(main)
    page = [results[i] for i in range(offset, min(offset + limit, results.scored_length()))]
    hits = [_hit(searcher, h, terms, facet_values, analyzer) for h in page]
    suggestion = suggest(searcher, ctx.parser, text, total) if main is not ident and text.strip() else None
    return SearchResult(text, total, hits, counts, suggestion)


def _complete_last_word(searcher: Any, typed: list[str]) -> str:
    """The typed words with the last one ORed with up to PREFIX_EXPANSION indexed completions.

    Completions come from the unstemmed spelling words of the short fields, so the cap
    bounds the query (no explosion over the body's lexicon) and a prefix of a word is
    matched against words, not stems ("sanitati" completes to "sanitation").
    """
    *head, last = typed
    if len(last) < FULL_TEXT_FROM:
        return " ".join(typed)
    reader = searcher.reader()
    options = {last}
    for field in _EXPANSION_FIELDS:
        spelling_field = searcher.schema[field].spelling_fieldname(field)
        for word in reader.expand_prefix(spelling_field, last):
            text = word.decode("utf-8") if isinstance(word, bytes) else str(word)
            if len(options) > PREFIX_EXPANSION:
                break
            options.add(text)
    alternatives = " OR ".join(sorted(options))
    return " ".join([*head, f"({alternatives})"])


def run_as_you_type(
    searcher: Any, ctx: SearchContext, text: str, *, limit: int, kinds: Sequence[Kind | str]
) -> list[Hit]:
    """Title/name prefix matches from the first character; full text added from the third."""
    typed = words(text)
    if not typed or limit <= 0:
        return []
    filt = filter_query(_kind_values(kinds), {})
    facet_values = ctx.facet_cache.for_searcher(searcher)
    analyzer = searcher.schema["body"].analyzer
    prefix_query = wq.And([wq.Term("ac", w[:NGRAM_MAX]) for w in typed])
    found: list[Hit] = []
    seen: set[str] = set()
    for hit in searcher.search(prefix_query, limit=limit, filter=filt, terms=False):
        result = _hit(searcher, hit, frozenset(), facet_values, analyzer)
        found.append(result)
        seen.add(result.id)
    if len(text.strip()) < FULL_TEXT_FROM or len(found) >= limit:
        return found
    full = parse_user_query(ctx.plain_parser, _complete_last_word(searcher, typed))
    if full is None:
        return found
    full = union_trees(_combine(full, filt))
    collector = collectors.TimeLimitCollector(
        searcher.collector(limit=limit + len(found)), AS_YOU_TYPE_BUDGET, use_alarm=False
    )
    try:
        searcher.search_with_collector(full, collector)
    except TimeLimit:
        logger.debug("as-you-type full text hit its time limit for %r", text)
    terms = _terms_of(full)
    for hit in collector.results():
        if len(found) >= limit:
            break
        if hit["id"] in seen:
            continue
        result = _hit(searcher, hit, terms, facet_values, analyzer)
        found.append(result)
        seen.add(result.id)
    return found
