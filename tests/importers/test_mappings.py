"""Field mappings checked against known values of real corpus files."""

from __future__ import annotations

from pathlib import Path

from desktop.core.kinds import Kind
from desktop.core.records import Relation, record_id_for
from desktop.importers import ParsedFile, parse_path
from desktop.importers.digitalgov import author_id, topic_id
from desktop.importers.vocab import term_id


def one(path: Path) -> ParsedFile:
    [parsed] = parse_path(path)
    assert parsed.ok, parsed.errors
    return parsed


def test_digitalgov_news_article(corpus: Path) -> None:
    path = corpus / "knowledge_base/digitalgov/news/2015/03"
    path = path / "2015-03-02-persona-development-case-study-nci-and-spanish-language-outreach.md"
    [record] = one(path).records
    assert record.kind is Kind.ARTICLE
    assert record.fields["title"] == "Persona Development Case Study: NCI and Spanish Language Outreach"
    assert record.fields["document_type"] == "news"
    assert record.fields["date"] == "2015-03-02T10:00:16-04:00"
    assert record.fields["summary"].startswith("Government websites need to address")
    body = record.fields["body"]
    assert "{{<" not in body and "&#8217;" not in body
    assert "federal government’s principal agency" in body
    assert "[personas](/topics/research)" in body
    assert record.links_of(Relation.AUTHOR) == [author_id("awichman")]
    assert record.links_of(Relation.ABOUT) == [
        topic_id(s) for s in ("research", "multilingual", "user-experience")
    ]
    assert record.tags == ("Research", "Multilingual", "User experience")
    assert record.id == record_id_for(
        "digitalgov:news", "persona-development-case-study-nci-and-spanish-language-outreach"
    )
    assert record.source is not None
    assert record.source.status == {"expires": "2025-01-01"}
    assert "public domain" in record.source.licence.lower() and "CC0" in record.source.licence
    assert record.status.value == "published"  # its publisher published it (the expiry stays a source state)


def test_digitalgov_author_is_an_expert_with_the_id_articles_link_to(corpus: Path) -> None:
    [record] = one(corpus / "experts/digitalgov/authors/awichman/_index.md").records
    assert record.kind is Kind.EXPERT
    assert record.id == author_id("awichman")
    assert record.fields["name"] == "Ashley Wichman"
    assert record.fields["handle"] == "awichman"
    [gsa] = one(corpus / "experts/digitalgov/authors/aaron-snow/_index.md").records
    assert gsa.fields["name"] == "Aaron Snow" and "organisation" not in gsa.fields


def test_digitalgov_community(corpus: Path) -> None:
    [record] = one(corpus / "experts/digitalgov/communities/apis.md").records
    assert record.kind is Kind.COMMUNITY
    assert record.fields["name"] == "Application Programming Interfaces (APIs)"
    assert record.fields["purpose"].startswith("Working to advance the cause of APIs")
    assert "This Community of Practice (CoP)" in record.fields["purpose"]
    assert record.links_of(Relation.FACILITATOR) == [author_id("gray-brooks")]
    assert topic_id("open-source") in record.links_of(Relation.ABOUT)
    assert record.fields["contact"].startswith("https://groups.google.com/")
    [agile] = one(corpus / "experts/digitalgov/communities/agile-lean.md").records
    assert "listserv@listserv.gsa.gov" in agile.fields["contact"]
    assert agile.source is not None and "expires" in agile.source.status


def test_digitalgov_topic_term(corpus: Path) -> None:
    [record] = one(corpus / "vocab/digitalgov_topics/accessibility/_index.md").records
    assert record.kind is Kind.TERM
    assert record.id == topic_id("accessibility")
    assert record.fields["label"] == "Accessibility"
    assert record.fields["scheme"] == "digitalgov-topics"
    assert "Section 508" in record.fields["alt_labels"]
    assert record.fields["scope_note"].startswith("Accessibility isn't just the right thing to do")


def test_18f_method_is_a_best_practice(corpus: Path) -> None:
    [record] = one(corpus / "knowledge_base/18f_methods/_methods/affinity-mapping.md").records
    assert record.kind is Kind.CASE_STUDY
    assert record.fields["title"] == "Affinity mapping"
    assert record.fields["category"] == "best practice"
    assert record.fields["summary"].startswith("A way of finding themes")
    assert record.fields["context"].startswith("To draw out insights")
    approach = record.fields["approach"]
    assert "<section" not in approach and "{{" not in approach and "interviews" in approach
    assert (
        record.source is not None and record.source.url == "https://methods.18f.gov/decide/affinity-mapping/"
    )
    assert record.tags == ("Decide",)


def test_service_manual_2016_page(corpus: Path) -> None:
    path = (
        corpus
        / "knowledge_base/govuk_service_design_manual_2016/service-manual/assisted-digital/action-plan.md"
    )
    [record] = one(path).records
    assert record.kind is Kind.ARTICLE
    assert record.fields["title"] == "Developing assisted digital support"
    assert record.fields["document_type"] == "guide"
    assert record.fields["url"] == "https://www.gov.uk/service-manual/assisted-digital/action-plan"
    assert record.source is not None
    assert record.source.status == {"draft": True}
    assert record.source.licence == "Open Government Licence v2.0"


def test_govuk_case_study_withdrawn(corpus: Path) -> None:
    [record] = one(corpus / "knowledge_base/govuk_content_items/case_study/archived.json").records
    assert record.kind is Kind.CASE_STUDY
    assert record.fields["title"] == "Terence, age 33, Stoke-on-Trent"
    assert record.fields["category"] == "case study"
    assert record.fields["body"].startswith("Following the death of his wife Terence")
    assert record.source is not None
    assert record.source.key == "3933c3df-9fdd-4a56-99cd-9a9351cbbf99:en"
    assert record.source.status["withdrawn"] is True
    assert record.source.status["withdrawn_at"] == "2014-08-22T10:29:02+01:00"
    assert record.source.attribution == (
        "Contains public sector information licensed under the Open Government Licence v3.0."
    )


def test_govuk_guide_parts_and_arabic(corpus: Path) -> None:
    [guide] = one(corpus / "knowledge_base/govuk_content_items/guide/guide.json").records
    assert guide.fields["title"] == "The national curriculum"
    assert guide.fields["document_type"] == "guide"
    assert guide.fields["body"].startswith("## Overview")
    assert guide.fields["url"] == "https://www.gov.uk/national-curriculum"
    [arabic] = one(
        corpus / "knowledge_base/govuk_content_items/html_publication/arabic_translation.json"
    ).records
    assert arabic.fields["locale"] == "ar"
    assert arabic.fields["title"].startswith("لٍم تعتبر المملكة المتحدة")
    assert "الشركات" in arabic.fields["body"]


def test_marc_binary_fields(corpus: Path) -> None:
    records = one(corpus / "library/pymarc_test/marc.dat").records
    assert len(records) == 20
    first = records[0]
    assert first.kind is Kind.CENTRE_ITEM
    assert first.fields["title"] == "The pragmatic programmer : from journeyman to master"
    assert first.fields["authors"] == ["Hunt, Andrew", "Thomas, David"]
    assert first.fields["isbn"] == ["020161622X"]
    assert first.fields["year"] == 2000
    assert first.fields["publisher"] == "Addison-Wesley"
    assert first.fields["call_number"] == "QA76.6 .H857 2000"
    assert first.fields["format"] == "Book" and first.fields["language"] == "eng"
    assert first.source is not None and first.source.key == "DLC:11778504"
    assert records[6].fields["isbn"] == ["1565926218"]  # "1565926218 (pbk. : alk. paper)"


def test_marcxml_fields_and_library_credit(corpus: Path) -> None:
    records = one(corpus / "library/marc2bibframe2_dataset/british_library.xml").records
    assert len(records) == 99
    first = records[0]
    assert first.fields["title"] == "OAG flight atlas. Worldwide"
    assert first.fields["issn"] == ["1471-2989"]
    assert first.fields["subjects"] == ["Aeronautics, Commercial -- Maps -- Periodicals"]
    assert first.source is not None and first.source.key == "Uk:007177759"
    assert "marc2bibframe2" in first.source.attribution and "British Library" in first.source.attribution


def test_eurovoc_csv(corpus: Path) -> None:
    records = one(corpus / "vocab/eurovoc/eurovoc_concepts_en_fr.csv").records
    assert len(records) == 7317
    by_id = {r.id: r for r in records}
    racial = by_id[term_id("eurovoc", "458")]
    assert racial.fields["label"] == "racial discrimination"
    assert racial.fields["alt_labels"] == ["racial desegregation", "racial equality", "racial segregation"]
    assert racial.fields["broader"] == ["anti-discriminatory measure"]
    assert racial.links_of(Relation.BROADER) == [term_id("eurovoc", "3908")]
    assert by_id[term_id("eurovoc", "1")].fields["label"] == "Århus (county)"
    assert racial.source is not None and "European Union" in racial.source.licence


def test_lgsl_csv(corpus: Path) -> None:
    records = one(corpus / "vocab/lgsl_govuk_publisher/local_services_current.csv").records
    first = records[0]
    assert first.fields == {
        "label": "Find out about educating your child at home",
        "scheme": "lgsl",
        "notation": "1",
        "scope_note": "Providing tier: county/unitary",
    }
    assert first.source is not None and "LG Inform Plus" in first.source.attribution
