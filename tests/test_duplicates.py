"""Duplicate detection (desktop/core/duplicates.py): identifiers, edge cases, and real corpus slices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.core.duplicates import (
    DuplicateFacts,
    candidate_pairs,
    compare,
    describe,
    facts_of,
    find_duplicates,
)
from desktop.core.identifiers import (
    author_key,
    edition_key,
    normalize_isbn,
    normalize_issn,
    normalize_title,
    normalize_url,
)
from desktop.core.kinds import Kind
from desktop.core.records import Record
from desktop.importers.run import parse_path


def item(
    record_id: str, title: str, authors: tuple[str, ...] = (), kind: Kind = Kind.CENTRE_ITEM, **fields: Any
) -> DuplicateFacts:
    values: dict[str, Any] = {"title": title, **fields}
    if kind is Kind.CENTRE_ITEM:
        values["authors"] = list(authors)
        return DuplicateFacts.of(record_id, kind, values)
    return DuplicateFacts.of(record_id, kind, values, author_ids=authors)


# --- identifiers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["0-19-852663-6", "0198526636 (pbk.)", "019852663 6", "978-0-19-852663-6", "9780198526636 (alk. paper)"],
)
def test_isbn_forms_are_one_isbn13(written: str) -> None:
    assert normalize_isbn(written) == "9780198526636"


def test_isbns_with_a_wrong_check_digit_are_not_identifiers() -> None:
    assert normalize_isbn("0198526637") == ""
    # The first ten digits of an ISBN-13 (how some catalogue imports cut them) are not an ISBN-10.
    assert normalize_isbn("9781850084") == ""
    assert normalize_isbn("079-XYZ") == ""


def test_isbn_10_with_x_check_digit() -> None:
    assert normalize_isbn("0-8044-2957-X") == "9780804429573"


def test_issn_forms() -> None:
    assert (
        normalize_issn("1471-2989")
        == normalize_issn("1471 2989")
        == normalize_issn("14712989")
        == "1471-2989"
    )
    assert normalize_issn("0317-847x (print)") == "0317-847X"
    assert normalize_issn("no issn") == ""


@pytest.mark.parametrize(
    "written",
    [
        "https://www.digital.gov/guides/mobile-principles/",
        "http://digital.gov/guides/mobile-principles",
        "https://DIGITAL.gov:443/guides/mobile-principles/?utm_source=newsletter&utm_medium=email",
        "https://digital.gov/guides//mobile-principles/#top",
        "digital.gov/guides/mobile-principles/index.html",
        "http://www.digital.gov/guides/mobile-principles/index.html/",  # bench_duplicates missed this
    ],
)
def test_url_forms_name_one_page(written: str) -> None:
    assert normalize_url(written) == "digital.gov/guides/mobile-principles"


def test_url_query_that_names_content_is_kept() -> None:
    assert normalize_url("https://example.gov/item?id=2&utm_campaign=x") == "example.gov/item?id=2"
    assert normalize_url("https://example.gov/item?id=2") != normalize_url("https://example.gov/item?id=3")
    assert normalize_url("mailto:someone@example.gov") == ""
    assert normalize_url("not a url") == ""


def test_titles_authors_and_editions_fold() -> None:
    assert normalize_title("The Eighth Day : a thriller / John Case.") == "the eighth day a thriller"
    assert normalize_title("Abrégé de cytologie") == "abrege de cytologie"
    assert author_key("Klein, Robert M. (Robert Melvin)") == author_key("Klein, Robert") == "klein r"
    assert author_key("Robert Klein") == "klein r"
    assert edition_key("2nd ed.") == edition_key("2e éd. rev. et complétée") == "2"
    assert edition_key("") == edition_key("1st ed") == "1"
    assert edition_key("Large print ed") != edition_key("")


# --- hand-made edge cases -------------------------------------------------------------------


def test_same_isbn_under_different_control_numbers_is_a_duplicate() -> None:
    a = item("a", "Plain language for public servants", isbn=["0-19-852663-6"], control_number="001")
    b = item("b", "Plain language for public servants.", isbn=["9780198526636 (pbk.)"], control_number="777")
    match = compare(a, b)
    assert match is not None and match.score > 0.95
    assert match.reasons[0].code == "isbn"
    assert match.reasons[0].detail == "9780198526636"


def test_editions_that_merely_share_a_title_are_not_duplicates() -> None:
    second = item(
        "a", "Anatomy, histology and cell biology", ("Klein, Robert M.",), year=2004, edition="2nd ed"
    )
    third = item(
        "b", "Anatomy, histology and cell biology", ("Klein, Robert M.",), year=2007, edition="3rd ed"
    )
    same_year_other_edition = item(
        "c", "Anatomy, histology and cell biology", ("Klein, R.",), year=2004, edition="3rd ed"
    )
    reprint_other_isbn = item(
        "d", "Anatomy, histology and cell biology", ("Klein, R.",), year=2004, isbn=["0198526636"]
    )
    plain = item(
        "e",
        "Anatomy, histology and cell biology",
        ("Klein, R.",),
        year=2004,
        edition="2nd ed",
        isbn=["0804429573"],
    )
    assert compare(second, third) is None
    assert compare(second, same_year_other_edition) is None
    assert compare(reprint_other_isbn, plain) is None
    # The one pair left is the same edition and year, with an ISBN on one record only: a duplicate.
    groups = find_duplicates([second, third, same_year_other_edition, reprint_other_isbn, plain])
    assert [[m.id for m in g.members] for g in groups] == [["e", "a"]]


def test_parts_of_a_series_and_short_topic_titles_are_not_duplicates() -> None:
    day = {"date": "2019-11-04T13:30:00-05:00"}
    part1 = item("a", "Foundations of Agile, Part I", ("x",), Kind.ARTICLE, **day)
    part2 = item("b", "Foundations of Agile, Part II", ("x",), Kind.ARTICLE, **day)
    assert compare(part1, part2) is None
    methods = item("c", "Methods", kind=Kind.ARTICLE, **day)
    other_methods = item("d", "Methods", kind=Kind.ARTICLE, **day)
    assert compare(methods, other_methods) is None  # same date, no author: a topic page, not one item


def test_recurring_events_on_other_days_are_not_duplicates() -> None:
    july = item("a", "DevOps Community of Practice Monthly Meeting", ("x",), Kind.ARTICLE, date="2019-07-23")
    august = item(
        "b", "DevOps Community of Practice Monthly Meeting", ("x",), Kind.ARTICLE, date="2019-08-27"
    )
    assert compare(july, august) is None


def test_lightly_edited_title_with_same_author_and_date_is_a_duplicate() -> None:
    a = item(
        "a", "How to build an analytics strategy", ("x",), Kind.ARTICLE, date="2020-12-22T14:01:00-05:00"
    )
    b = item("b", "How to Build an Analytics Strategy!", ("x", "y"), Kind.ARTICLE, date="2020-12-23")
    c = item("c", "How to buld an analytics strategy", (), Kind.ARTICLE, date="2020-12-22")
    match = compare(a, c)
    assert match is not None and {r.code for r in match.reasons} == {"title_date"}
    groups = find_duplicates([a, b, c])
    assert len(groups) == 1 and {m.id for m in groups[0].members} == {"a", "b", "c"}
    assert describe(groups[0].reasons) == "near-identical title, author and date"


def test_different_authors_or_urls_keep_same_titled_items_apart() -> None:
    a = item("a", "Barack Obama", authors=("De Medeiros, Michael",), year=2009)
    b = item("b", "Barack Obama", authors=("Horn, Geoffrey M",), year=2009)
    assert compare(a, b) is None
    copy1 = item(
        "c",
        "Ars minor [fragment]",
        authors=("Donatus, Aelius",),
        year=1465,
        url="http://arks.princeton.edu/ark:/88435/x346d425p",
    )
    copy2 = item(
        "d",
        "Ars minor [fragment]",
        authors=("Donatus, Aelius",),
        year=1465,
        url="http://arks.princeton.edu/ark:/88435/1v53jx06c",
    )
    assert compare(copy1, copy2) is None


def test_same_url_in_other_forms_across_kinds() -> None:
    article = item(
        "a",
        "Eight principles of mobile-friendliness",
        kind=Kind.ARTICLE,
        url="https://www.digital.gov/guides/mobile-principles/",
    )
    centre = item(
        "b", "Eight principles of mobile friendliness", url="http://digital.gov/guides/mobile-principles"
    )
    groups = find_duplicates([article, centre])
    assert len(groups) == 1
    assert groups[0].reasons[0].code == "url"
    assert set(groups[0].kinds) == {Kind.ARTICLE, Kind.CENTRE_ITEM}
    assert find_duplicates([article, centre], kinds=[Kind.CASE_STUDY]) == []


def test_a_shared_url_does_not_join_different_editions() -> None:
    series = "https://www.publisher.example/series/health"
    first = item(
        "a", "Primary care", ("Ndlovu, T",), year=2001, edition="1st ed", isbn=["0198526636"], url=series
    )
    second = item(
        "b", "Primary care", ("Ndlovu, T",), year=2001, edition="2nd ed", isbn=["0804429573"], url=series
    )
    assert compare(first, second) is None
    news = item("c", "New guide released", kind=Kind.ARTICLE, date="2021-12-20", url=series)
    guide = item("d", "Primary care guide", kind=Kind.ARTICLE, date="2020-01-03", url=series)
    match = compare(news, guide)  # a post announcing a page and the page: shown, with a lower score
    assert match is not None and match.reasons[0].code == "url" and match.score < 0.85


def test_a_key_shared_by_many_records_is_a_collection_not_an_item() -> None:
    many = [
        item(f"r{i}", f"Unrelated report number {i}", kind=Kind.ARTICLE, url="https://www.gov.uk/")
        for i in range(20)
    ]
    assert find_duplicates(many) == []


def test_blocking_compares_few_pairs() -> None:
    facts = [
        item(
            f"r{i}",
            f"Report on topic {i} of the district",
            (f"a{i % 7}",),
            Kind.ARTICLE,
            date=f"2020-01-{1 + i % 28:02d}",
        )
        for i in range(600)
    ]
    assert len(candidate_pairs(facts)) < 600 * 3  # never all 179,700 pairs


def test_the_fuller_record_is_the_suggested_survivor() -> None:
    thin = item("a", "Plain language guide", isbn=["0198526636"])
    full = item("b", "Plain language guide", isbn=["0198526636"], publisher="OUP", year=2001)
    [group] = find_duplicates([thin, full])
    assert group.members[0].id == "b"
    assert group.to_json()["records"][0]["id"] == "b"


# --- real corpus slices ------------------------------------------------------------------------


def _records(path: Path) -> list[Record]:
    return [record for parsed in parse_path(path) for record in parsed.records]


def test_corpus_news_reposted_under_another_file_name(corpus: Path) -> None:
    records = _records(corpus / "knowledge_base/digitalgov/news/2024/07")
    groups = find_duplicates([facts_of(r) for r in records])
    assert len(groups) == 1
    paths = sorted(next(r for r in records if r.id == m.id).source.path for m in groups[0].members)  # type: ignore[union-attr]
    assert [Path(p).name for p in paths] == [
        "2024-07-10-18f-engineering-craft-practices-at-10.md",
        "2024-07-10-engineering-craft-practices-at-10.md",
    ]
    assert {r.code for r in groups[0].reasons} >= {"url", "title_date"}


def test_corpus_catalogue_editions_and_copies_do_not_flood(corpus: Path) -> None:
    """nlm.xml holds several editions of the same titles, princeton.xml several copies of one
    incunable (each with its own persistent URL): none of them is a duplicate group."""
    nlm = _records(corpus / "library/marc2bibframe2_dataset/nlm.xml")
    princeton = _records(corpus / "library/marc2bibframe2_dataset/princeton.xml")
    groups = find_duplicates([facts_of(r) for r in nlm + princeton])
    titles = [m.title for g in groups for m in g.members]
    assert "Anatomy, histology and cell biology : PreTest self-assessment and review" not in titles
    assert not any(t.startswith("Ars minor") or t.startswith("Biblia latina") for t in titles)
    assert len(groups) <= 2  # the Zytologie/Cytologie spelling pair is the one real look-alike
