"""End to end on the real SQLite store: idempotence, links, duplicates, hostile files."""

from __future__ import annotations

import io
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pymarc
import pytest

from desktop.core.changes import Changes
from desktop.core.kinds import Kind
from desktop.core.records import Record, Relation
from desktop.importers import export_marcxml, import_paths, parse_path
from desktop.importers.digitalgov import author_id, topic_id
from desktop.store import RecordRepository

NEWS = "knowledge_base/digitalgov/news/2015/03"


def digitalgov_slice(corpus: Path) -> list[Path]:
    news = sorted((corpus / NEWS).glob("*.md"))[:6]
    return [
        *news,
        corpus / "experts/digitalgov/authors/awichman",
        corpus / "vocab/digitalgov_topics/research",
        corpus / "vocab/digitalgov_topics/multilingual",
    ]


def test_import_is_idempotent_and_links_authors(corpus: Path, store: RecordRepository) -> None:
    paths = digitalgov_slice(corpus)
    calls: list[tuple[int, int, str]] = []
    first = import_paths(paths, store, progress=lambda done, total, name: calls.append((done, total, name)))
    assert first.errors == [] and first.files == 9 and first.added == 9
    assert calls[0][:2] == (0, 9) and calls[-1] == (9, 9, "")
    ids = {r.id for r in store.iter_records()}

    second = import_paths(paths, store)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 9)
    assert {r.id for r in store.iter_records()} == ids

    expert = store.get(author_id("awichman"))
    assert expert is not None and expert.kind is Kind.EXPERT
    backlinks = store.backlinks(author_id("awichman"))
    assert any(b.relation is Relation.AUTHOR for b in backlinks)
    # topic files are read first, so article tags use the topics' own labels
    article = next(
        r for r in store.iter_records([Kind.ARTICLE]) if topic_id("research") in r.links_of(Relation.ABOUT)
    )
    assert "Research" in article.tags


def test_imported_records_are_published_and_an_import_again_keeps_their_status_here(
    corpus: Path, store: RecordRepository
) -> None:
    from desktop.core.records import Status
    from desktop.core.review import ReviewAction, apply_review

    paths = digitalgov_slice(corpus)
    import_paths(paths, store)
    records = list(store.iter_records())
    # Published by their publisher, nobody's draft: not in anyone's drafts, never in review.
    assert {r.status for r in records} == {Status.PUBLISHED} and {r.owner for r in records} == {""}
    assert store.my_drafts() == []
    article = next(r for r in records if r.kind is Kind.ARTICLE)
    retired = apply_review(article, ReviewAction.RETIRED, by="lib", librarian=True, comment="Out of date")
    store.save(retired.with_changes(owner="lib"))
    again = import_paths(paths, store)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 9)
    kept = store.get(article.id)
    assert kept.status is Status.RETIRED and kept.owner == "lib"
    assert kept.fields["review_log"][-1]["comment"] == "Out of date"


def test_same_key_twice_in_one_run_updates_and_is_noted(corpus: Path, store: RecordRepository) -> None:
    folder = corpus / "vocab/lgsl_govuk_publisher"
    report = import_paths([folder], store)
    assert report.errors == []
    # 268 codes in 2015, 117 now (2 of them new): the later file updates the codes both share
    assert (report.added, report.updated) == (270, 115)
    assert store.count(Kind.TERM) == 270
    assert any("was also in" in note for _, note in report.notes)


def test_govuk_variants_of_one_item_are_not_duplicated(
    corpus: Path, store: RecordRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = corpus / "knowledge_base/govuk_content_items/case_study"
    calls: list[int] = []
    save_many = store.save_many

    def counting(records: Sequence[Record]) -> Changes:
        calls.append(len(records))
        return save_many(records)

    monkeypatch.setattr(store, "save_many", counting)
    report = import_paths([folder], store)
    assert report.errors == [] and report.files == 7
    # doing-business-in-spain.json and without-image.json are one item (same content_id)
    assert len(list(store.iter_records())) == 6
    assert any("was also in" in note for _, note in report.notes)
    assert calls == [1] * 7  # one save_many per file


def test_marc_round_trip_gives_every_field_back(corpus: Path, store: RecordRepository) -> None:
    path = corpus / "library/marc2bibframe2_dataset/nlm.xml"
    report = import_paths([path], store)
    assert report.errors == [] and report.added == 99
    exported = export_marcxml(store.iter_records([Kind.CENTRE_ITEM]))
    exported_records = pymarc.parse_xml_to_array(io.BytesIO(exported))  # type: ignore[no-untyped-call]
    back = {r["001"].data: r for r in exported_records}
    originals = pymarc.parse_xml_to_array(str(path))  # type: ignore[no-untyped-call]
    assert len(back) == len(originals) == 99

    def fields(record: pymarc.Record) -> list[Any]:
        return [
            (f.tag, f.data)
            if f.is_control_field()
            else (f.tag, f.indicators, [(s.code, s.value) for s in f.subfields])
            for f in record.get_fields()
        ]

    for original in originals:
        copy = back[original["001"].data]
        assert fields(copy) == fields(original)
        assert str(copy.leader) == str(original.leader)


def test_isbn_shared_under_different_keys_is_flagged(
    corpus: Path, tmp_path: Path, store: RecordRepository
) -> None:
    with open(corpus / "library/pymarc_test/marc.dat", "rb") as handle:
        original = next(iter(pymarc.MARCReader(handle)))
    copy = pymarc.Record(leader=str(original.leader))
    kept = [f for f in original.get_fields() if f.tag not in ("001", "003")]
    new = [pymarc.Field(tag="001", data="copy-1"), pymarc.Field(tag="003", data="ZZ")]
    copy.add_field(*new, *kept)  # type: ignore[no-untyped-call]
    other = tmp_path / "other.mrc"
    other.write_bytes(copy.as_marc())

    for _ in range(2):  # a re-import flags the same record, nothing else
        report = import_paths([corpus / "library/pymarc_test/marc.dat", other], store)
        assert report.errors == []
    items = [r for r in store.iter_records([Kind.CENTRE_ITEM]) if "020161622X" in r.fields.get("isbn", [])]
    assert len(items) == 2
    flagged = [r for r in items if r.source and r.source.status.get("suspected_duplicate")]
    assert len(flagged) == 1
    [dup] = flagged
    [first] = [r for r in items if r is not dup]
    assert dup.links_of(Relation.DUPLICATE_OF) == [first.id]
    assert report.added == 0 and report.updated == 0


def test_hostile_files_are_reported_by_name_and_nothing_else_is_lost(
    corpus: Path, tmp_path: Path, store: RecordRepository
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "broken.md").write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    (folder / "never-ends.md").write_text("---\ntitle: x\nbody without end\n", encoding="utf-8")
    (folder / "bad.json").write_text('{"content_id": "x", "title": ', encoding="utf-8")
    marc = (corpus / "library/pymarc_test/test.dat").read_bytes()
    (folder / "truncated.mrc").write_bytes(marc[: len(marc) - 300])
    (folder / "latin1.md").write_bytes("---\ntitle: Café\n---\nCrème brûlée".encode("latin-1"))
    (folder / "huge.md").write_text("---\ntitle: " + "x" * 5000 + "\n---\nbody\n", encoding="utf-8")
    (folder / "zulu-arabic.md").write_text(
        "---\ntitle: Ukuphathwa kwamanzi — إدارة المياه — 水管理\n---\n"
        "IsiZulu: Amanzi ayimpilo. 日本語のテキスト。\n",
        encoding="utf-8",
    )
    (folder / "weird name ünï\u200b.md").write_text("# Heading only\n\ntext", encoding="utf-8")
    (folder / "notes.txt").write_text("not an import format", encoding="utf-8")
    shutil.copy(
        corpus / "knowledge_base/govuk_content_items/case_study/case_study.json", folder / "good.json"
    )

    report = import_paths([folder], store)
    failed = {Path(name).name: message for name, message in report.errors}
    assert set(failed) == {"broken.md", "never-ends.md", "bad.json", "truncated.mrc", "latin1.md", "huge.md"}
    assert "not valid YAML" in failed["broken.md"]
    assert "never ends" in failed["never-ends.md"]
    assert "not valid JSON" in failed["bad.json"]
    assert "truncated" in failed["truncated.mrc"]
    assert "not UTF-8" in failed["latin1.md"]
    assert "too long" in failed["huge.md"]
    assert report.added == 3  # good.json, the non-Latin page, the page with a hostile name
    assert store.count(Kind.CENTRE_ITEM) == 0  # all or nothing: no record before the damage
    titles = {r.title for r in store.iter_records()}
    assert "Ukuphathwa kwamanzi — إدارة المياه — 水管理" in titles
    assert "Heading only" in titles and "Get Britain Building: Carlisle Park" in titles
    page = next(r for r in store.iter_records() if r.title.startswith("Ukuphathwa"))
    assert page.fields["body"] == "IsiZulu: Amanzi ayimpilo. 日本語のテキスト。"
    assert page.source is not None and page.source.licence == ""  # unknown collection
    assert any(Path(name).name == "notes.txt" for name, _ in report.notes)


def test_cancel_stops_between_files(corpus: Path, store: RecordRepository) -> None:
    seen: list[str] = []
    report = import_paths(
        [corpus / "knowledge_base/govuk_content_items/case_study"],
        store,
        progress=lambda done, total, name: seen.append(name),
        cancelled=lambda: len(seen) >= 2,
    )
    assert report.files == 2 and store.count() == 2
    assert any("cancelled" in note for _, note in report.notes)


def test_parse_path_previews_without_a_store(corpus: Path) -> None:
    parsed = parse_path(corpus / "experts/digitalgov/communities")
    assert len(parsed) == 42
    index = next(p for p in parsed if p.path.name == "_index.md")
    assert index.records == [] and index.notes
    guidelines = next(p for p in parsed if p.path.name == "manage-listserv-subscription.md")
    assert guidelines.records == [] and "not a community" in guidelines.notes[0]
    assert sum(len(p.records) for p in parsed) == 40


def test_html_entities_in_front_matter_are_decoded(corpus: Path, store: RecordRepository) -> None:
    # The summary of this real post is written with entities: "It&#8217;s disturbing ... &#8220;it&#8217;s".
    post = corpus / "knowledge_base/digitalgov/news/2014/05"
    path = next(p for p in sorted(post.glob("*operation-predator*.md")))
    assert "&#8217;" in path.read_text(encoding="utf-8")
    report = import_paths([path], store)
    assert report.errors == []
    (record,) = list(store.iter_records([Kind.ARTICLE]))
    summary = record.fields["summary"]
    assert summary.startswith("It\u2019s disturbing")
    assert "&#" not in summary and "&#" not in record.fields["body"]


_EVENTS = "knowledge_base/digitalgov/events/2019"
#: Events whose text links to a community's page: by its slug, by an old address, by a Hugo ref.
_PLAIN_EVENT = f"{_EVENTS}/08/2019-08-14-plain-language-august-training-class.md"
_CITIZEN_EVENT = (
    f"{_EVENTS}/10/2019-10-16-study-design-developing-a-citizen-science-project-that-delivers-results.md"
)
_UX_SUMMIT = f"{_EVENTS}/05/2019-05-15-2019-government-ux-summit.md"


def _community(store: RecordRepository, slug: str) -> Record:
    [found] = [
        r for r in store.iter_records([Kind.COMMUNITY]) if r.source is not None and r.source.key == slug
    ]
    return found


@pytest.mark.parametrize("in_child", [False, True])
def test_articles_linking_to_a_community_page_are_shared_in_it(
    corpus: Path, store: RecordRepository, in_child: bool
) -> None:
    """Digital.gov events say which community hosts them by linking to its page: the importer
    links them in_community (whatever order the paths come in), names a community without its
    "Join the" and skips the guidelines page that sits among the communities."""
    from desktop.importers.run import ImportRun

    run = ImportRun(
        [
            corpus / _PLAIN_EVENT,
            corpus / _CITIZEN_EVENT,
            corpus / _UX_SUMMIT,
            corpus / "experts/digitalgov/communities",
        ],
        store,
        parse_in_child=in_child,
    )
    try:
        while run.step(20):
            pass
    finally:
        run.close()
    assert not run.report.errors
    plain = _community(store, "plain-language")
    assert plain.fields["name"] == "Plain Language"
    citizen = _community(store, "crowdsourcing-citizen-science")  # linked by its old address
    ux = _community(store, "user-experience")  # linked by a Hugo ref
    linked = {
        path: store.get(r.id).links_of(Relation.IN_COMMUNITY)
        for path, r in (
            (p, parse_path(corpus / p)[0].records[0]) for p in (_PLAIN_EVENT, _CITIZEN_EVENT, _UX_SUMMIT)
        )
    }
    assert plain.id in linked[_PLAIN_EVENT]
    assert citizen.id in linked[_CITIZEN_EVENT]
    assert ux.id in linked[_UX_SUMMIT]
    assert not [
        r for r in store.iter_records([Kind.COMMUNITY]) if r.source and r.source.key == "community-guidelines"
    ]
    assert any("not a community; skipped" in note for _, note in run.report.notes)
    # The community's knowledge lists what was shared in it first.
    [first, *_] = store.community_knowledge(plain.id, plain.links_of(Relation.ABOUT), 5)
    assert first.id in {
        r.id for r in store.iter_records([Kind.ARTICLE]) if plain.id in r.links_of(Relation.IN_COMMUNITY)
    }


def test_an_article_imported_later_links_to_a_community_already_in_the_store(
    corpus: Path, store: RecordRepository
) -> None:
    import_paths([corpus / "experts/digitalgov/communities"], store)
    import_paths([corpus / _PLAIN_EVENT], store)
    event = parse_path(corpus / _PLAIN_EVENT)[0].records[0]
    assert store.get(event.id).links_of(Relation.IN_COMMUNITY) == [_community(store, "plain-language").id]
    # Parsed alone (a preview, no store), nothing is linked to a community it cannot name.
    assert event.links_of(Relation.IN_COMMUNITY) == []
