"""The demo knowledge base in resources/demo: valid, licensed, fictional people only, self-contained."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from desktop.core.kinds import Kind
from desktop.core.records import Record
from desktop.core.validation import validate
from desktop.resources import demo_file

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
AUTHORS = CORPUS / "experts" / "digitalgov" / "authors"


@pytest.fixture(scope="module")
def records() -> list[Record]:
    data = json.loads(demo_file().read_text(encoding="utf-8"))
    return [Record.from_json(item) for item in data["records"]]


def test_the_demo_is_small_and_every_record_is_valid(records: list[Record]) -> None:
    assert demo_file().stat().st_size < 300_000
    assert 40 <= len(records) <= 60
    assert len({r.id for r in records}) == len(records)
    for record in records:
        assert validate(record) == [], record.title


def test_every_record_has_a_licence_or_is_demo_written(records: list[Record]) -> None:
    for record in records:
        assert record.source is not None, record.title
        assert record.source.licence.strip(), record.title
        assert record.source.attribution.strip(), record.title
        if record.source.collection != "imbizo-demo":
            assert record.source.path, f"{record.title}: an imported record names its corpus file"


def test_every_screen_has_something_to_show(records: list[Record]) -> None:
    kinds = {r.kind for r in records}
    assert {Kind.ARTICLE, Kind.EXPERT, Kind.CASE_STUDY, Kind.SITE_VISIT, Kind.TERM, Kind.COMMUNITY} <= kinds
    experts = [r for r in records if r.kind is Kind.EXPERT]
    assert 4 <= len(experts) <= 6
    for expert in experts:
        assert "fictional" in expert.fields["bio"].lower()
        assert expert.source is not None and expert.source.collection == "imbizo-demo"


def test_links_resolve_inside_the_demo_set(records: list[Record]) -> None:
    ids = {r.id for r in records}
    dangling = [
        (r.title, link.relation.value) for r in records for link in r.links if link.target_id not in ids
    ]
    assert dangling == []
    people = {"author", "participant", "facilitator", "member"}
    connected = {link.target_id for r in records for link in r.links if link.relation.value in people}
    assert connected == {r.id for r in records if r.kind is Kind.EXPERT}, (
        "every fictional expert is connected to demo-written work"
    )


def test_real_articles_are_never_given_invented_authors(records: list[Record]) -> None:
    for record in records:
        if record.source is not None and record.source.collection != "imbizo-demo":
            authors = [link for link in record.links if link.relation.value == "author"]
            assert authors == [], f"{record.title}: a real item must not be credited to a fictional person"


@pytest.mark.skipif(not AUTHORS.is_dir(), reason="the shared corpus is not beside the checkout")
def test_no_digitalgov_author_is_named(records: list[Record]) -> None:
    names = []
    for path in sorted(AUTHORS.glob("*/_index.md")):
        match = re.search(r'^display_name:\s*"?([^"\n]+)"?', path.read_text(encoding="utf-8"), re.M)
        if match and " " in match.group(1).strip():
            names.append(match.group(1).strip().lower())
    assert len(names) > 500
    for record in records:
        text = json.dumps([record.fields, record.tags], ensure_ascii=False).lower()
        found = [name for name in names if name in text]
        assert found == [], f"{record.title} names {found}"
