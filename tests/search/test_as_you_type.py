"""Search-as-you-type: names and titles from one character, full text from three."""

from __future__ import annotations

import pytest

from desktop.core.kinds import Kind
from desktop.search import SearchIndex
from tests.search.conftest import ids, rid


@pytest.fixture
def index(shared_index: SearchIndex) -> SearchIndex:
    """These tests only read: they share one index per module."""
    return shared_index


def test_one_character_matches_title_starts(index: SearchIndex) -> None:
    found = ids(index.as_you_type("k"))
    assert found == [rid("question")] or rid("sanitation-case") in found  # "Khayelitsha" starts with k
    assert rid("sanitation-case") in found


def test_prefixes_of_several_words_and_accents(index: SearchIndex) -> None:
    assert ids(index.as_you_type("thandi nk")) == [rid("thandi")]
    assert rid("cafe") in ids(index.as_you_type("caf"))
    assert rid("cafe") in ids(index.as_you_type("Café ru"))


def test_alternative_labels_are_typed_into(index: SearchIndex) -> None:
    assert rid("open-data") in ids(index.as_you_type("publ"))


def test_full_text_only_from_the_third_character(index: SearchIndex) -> None:
    # "plan" is in the question's details only, never at the start of a title word.
    assert index.as_you_type("pl", kinds=[Kind.QUESTION]) == []
    assert ids(index.as_you_type("plan", kinds=[Kind.QUESTION])) == [rid("question")]


def test_last_word_prefix_expands_against_indexed_words(index: SearchIndex) -> None:
    # "resid" is no title word start; it completes to "residents" from the summaries' words.
    assert ids(index.as_you_type("resid")) == [rid("sanitation-case")]


def test_kinds_and_limit(index: SearchIndex) -> None:
    assert {h.kind for h in index.as_you_type("s", kinds=[Kind.EXPERT])} == {Kind.EXPERT}
    assert len(index.as_you_type("s", limit=2)) == 2
    assert index.as_you_type("   ") == []
