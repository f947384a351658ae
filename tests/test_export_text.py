"""Markdown and HTML export text: every labelled field, readable links, attribution, escaping."""

from __future__ import annotations

import re

from desktop.core.export_text import (
    ExportItem,
    ExportLink,
    md_escape,
    record_markdown,
    records_html,
    records_markdown,
)
from desktop.core.kinds import Kind, field_specs
from desktop.core.records import Record, Source

HOSTILE = "<script>alert('x')</script> & [link](http://evil) **bold**"


def _case_study(title: str = "Borehole rota") -> ExportItem:
    record = Record(
        id="a" * 32,
        kind=Kind.CASE_STUDY,
        fields={
            "title": title,
            "category": "Best practice",
            "summary": "Villagers share the pump schedule.\n\nIt works.",
            "service_area": "Water",
            "district": "Northern District",
            "organisations": ["Water board", "Ward committee"],
            "period": "2023-2024",
        },
        tags=("Water", "Maintenance"),
        source=Source(
            collection="demo",
            key="k1",
            url="https://example.org/x",
            licence="OGL v3",
            attribution="Crown copyright",
        ),
    )
    links = (ExportLink("author", "e" * 32, "Grace Achterberg", "expert", True),)
    backlinks = (
        ExportLink("cited by", "c" * 32, "Other study", "case_study", True),
        ExportLink("cited by", "d" * 32, "", "", False),
    )
    return ExportItem(record, links, backlinks)


def test_markdown_has_every_field_label_links_tags_and_attribution() -> None:
    item = _case_study()
    text = record_markdown(item)
    record = item.record
    for spec in field_specs(Kind.CASE_STUDY):
        if spec.name != "title" and record.fields.get(spec.name):
            assert re.search(
                rf"(\*\*{re.escape(spec.label)}:\*\*|^## {re.escape(spec.label)}$)", text, re.M
            ), spec
    assert text.startswith("# Borehole rota\n")
    assert "*Case study · Draft*" in text
    assert "- **Organisations:** Water board, Ward committee" in text
    assert "- **Tags:** Water, Maintenance" in text
    assert "- **Author:** Grace Achterberg (Expert)" in text
    assert "Other study (Case study); dddddddd (not in this profile)" in text
    assert "Licence: OGL v3" in text and "Crown copyright" in text and "https://example.org/x" in text


def test_markdown_escapes_record_text() -> None:
    text = record_markdown(_case_study(HOSTILE))
    title = text.splitlines()[0]
    assert "<script>" not in text
    assert title == "# " + md_escape(HOSTILE)
    assert "\\[link\\]" in title and "\\*\\*bold\\*\\*" in title


def test_html_escapes_hostile_titles_and_fields() -> None:
    item = _case_study(HOSTILE)
    page = records_html([item])
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<h2>Summary</h2><p>Villagers share the pump schedule.</p><p>It works.</p>" in page


def test_several_records_make_one_section_each() -> None:
    items = [_case_study(f"Study {n}") for n in range(3)]
    markdown = records_markdown(items)
    assert [line for line in markdown.splitlines() if line.startswith("# ")] == [
        "# Study 0",
        "# Study 1",
        "# Study 2",
    ]
    assert markdown.count("\n---\n") == 2
    printed = records_html(items, page_breaks=True)
    assert printed.count("<h1") == 3 and printed.count("page-break-before: always") == 2
    assert records_html(items).count("<hr>") == 2
