"""Ranked full text, query syntax, facets, snippets, did-you-mean, vocabulary and identifiers."""

from __future__ import annotations

import pytest

from desktop.core.kinds import Kind
from desktop.search import MARK_END, MARK_START, SearchIndex
from tests.search.conftest import ids, rid


@pytest.fixture
def index(shared_index: SearchIndex) -> SearchIndex:
    """These tests only read: they share one index per module."""
    return shared_index


def test_title_match_outranks_body_match(index: SearchIndex) -> None:
    result = index.search("sanitation")
    assert result.total >= 5
    # The case study has "sanitation" in its title; the site visit only in its observations.
    order = ids(result.hits)
    assert order.index(rid("sanitation-case")) < order.index(rid("drought-visit"))


def test_words_are_anded(index: SearchIndex) -> None:
    assert ids(index.search("sanitation Khayelitsha").hits) == [rid("sanitation-case")]


def test_phrase_or_and_minus(index: SearchIndex) -> None:
    assert ids(index.search('"municipal water services"').hits) == [rid("handbook")]
    assert index.search('"water municipal services"').total == 0
    either = set(ids(index.search("Khayelitsha OR Berg").hits))
    assert either == {rid("sanitation-case"), rid("drought-visit")}
    without = set(ids(index.search("sanitation -Khayelitsha").hits))
    assert rid("sanitation-case") not in without and rid("drought-visit") in without


def test_stemming_and_accents(index: SearchIndex) -> None:
    assert rid("dataviz") in ids(index.search("visualizations").hits)  # stem of "visualization"
    assert rid("drought-visit") in ids(index.search("reusing").hits)  # "reuse" in the observations
    assert ids(index.search("cafe").hits)[0] == rid("cafe")
    assert ids(index.search("CAFÉ").hits)[0] == rid("cafe")


@pytest.mark.parametrize(
    "query", ['"unclosed', "(a OR", "AND", "-", "title:water", "wat*", "[a TO b]", "^2", "(((", "NOT"]
)
def test_broken_syntax_never_crashes(index: SearchIndex, query: str) -> None:
    result = index.search(query)
    assert result.total >= 0


def test_field_syntax_is_not_interpreted(index: SearchIndex) -> None:
    # "title:" is not a field restriction for users; the words are searched as typed.
    assert rid("handbook") in ids(index.search("handbook:water").hits)


def test_facet_counts(index: SearchIndex) -> None:
    result = index.search("sanitation")
    kinds = dict(result.facets["kind"])
    assert kinds["case_study"] == 1 and kinds["site_visit"] == 1 and kinds["centre_item"] == 1
    assert dict(result.facets["district"]) == {"Cape Town": 2}
    assert ("Water practitioners network", 2) in result.facets["community"]  # case study, question
    assert ("Thandi Nkosi", 1) in result.facets["author"]  # resolved from the AUTHOR link
    assert ("Smith, Jane", 1) in result.facets["author"]  # centre-item authors
    assert ("Sanitation", 1) in result.facets["topic"] or ("sanitation", 1) in result.facets["topic"]
    assert ("2005", 1) in result.facets["year"]
    browse = index.search("")
    assert browse.total == 12
    assert ("Open data", 1) in browse.facets["topic"]  # tag and ABOUT link count once


def test_filters_same_field_or_and_cross_field_and(index: SearchIndex) -> None:
    both = index.search("", filters={"district": ["Cape Town", "Durban"]})
    assert set(ids(both.hits)) == {rid("sanitation-case"), rid("drought-visit"), rid("cafe")}
    narrowed = index.search("", filters={"district": ["Cape Town", "Durban"], "year": ["2021"]})
    assert set(ids(narrowed.hits)) == {rid("sanitation-case"), rid("cafe")}
    kinds = index.search("", kinds=[Kind.ARTICLE], filters={"organisation": ["gsa"]})
    assert ids(kinds.hits) == [rid("dataviz")]
    in_community = index.search("sanitation", filters={"community": ["water practitioners NETWORK"]})
    assert set(ids(in_community.hits)) == {rid("sanitation-case"), rid("question")}
    with pytest.raises(ValueError, match="unknown facet"):
        index.search("water", filters={"colour": ["red"]})


def test_paging(index: SearchIndex) -> None:
    everything = index.search("", limit=100)
    page = index.search("", limit=5, offset=5)
    assert page.total == everything.total
    assert ids(page.hits) == ids(everything.hits)[5:10]


def test_snippets_mark_matches_from_short_fields(index: SearchIndex) -> None:
    hit = index.search("residents").hits[0]
    assert hit.id == rid("sanitation-case")
    assert f"{MARK_START}residents{MARK_END}" in hit.snippet
    stemmed = index.search("toilets").hits[0]
    assert f"{MARK_START}toilet{MARK_END}" in stemmed.snippet  # matched through its stem
    assert "<" not in stemmed.snippet


def test_to_json_shape(index: SearchIndex) -> None:
    data = index.search("sanitation", limit=2).to_json()
    assert set(data) == {"query", "total", "hits", "facets", "suggestion"}
    hit = data["hits"][0]
    assert {"id", "kind", "title", "score", "snippet", "topic", "district", "author"} <= set(hit)
    assert isinstance(data["facets"]["kind"][0], list)


def test_did_you_mean(index: SearchIndex) -> None:
    result = index.search("sanitaton")
    assert result.total == 0
    assert result.suggestion == "sanitation"
    assert index.search("sanitation").suggestion is None
    assert index.search("xqzzyv").suggestion is None


def test_alternative_label_finds_preferred_label(index: SearchIndex) -> None:
    found = ids(index.search("public data").hits)
    assert rid("dataviz") in found  # tagged "Open data"; "public data" is an alternative label
    assert rid("open-data") in found  # the term itself
    assert rid("dataviz") in ids(index.search("government data tips").hits)


@pytest.mark.parametrize(
    "typed",
    [
        "978-0-306-40615-7",
        "9780306406157",
        "0-306-40615-2",
        "0306406152",
        "0378-5955",
        "2001-627",
        "ocm12345678",
    ],
)
def test_identifiers_find_their_record(index: SearchIndex, typed: str) -> None:
    assert ids(index.search(typed).hits) == [rid("handbook")]


def test_url_and_record_id_find_their_record(index: SearchIndex) -> None:
    assert ids(index.search("http://www.digital.gov/2010/10/22/dataviz").hits) == [rid("dataviz")]
    assert ids(index.search(rid("cafe")).hits) == [rid("cafe")]
