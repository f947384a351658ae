"""Hypothesis fuzz of each parser: hostile input gives ImportFileError or records, nothing else."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.validation import ValidationError
from desktop.importers.errors import ImportFileError
from desktop.importers.govuk import parse_govuk
from desktop.importers.html_text import html_to_text, strip_inline_html
from desktop.importers.licences import Collection
from desktop.importers.marc import read_records
from desktop.importers.markdown import clean_markdown, parse_markdown
from desktop.importers.model import RunContext, SourceFile
from desktop.importers.vocab import parse_vocab_csv

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_SLOW = settings(FUZZ, max_examples=120)
FUZZ_ROOT = Collection("fuzz", Path("/tmp/fuzz"))
SRC = SourceFile(path=Path("/tmp/fuzz/x.md"), collection=FUZZ_ROOT, terms=FUZZ_ROOT.terms)
DIGITALGOV = SourceFile(
    path=Path("/tmp/digitalgov/news/x.md"),
    collection=Collection("digitalgov", Path("/tmp/digitalgov"), layout="digitalgov"),
    terms=SRC.terms,
)
MARKUP = st.text(alphabet=st.sampled_from(list("<>/=\"'&;#-:{}%[]() \n\tabpliu1xé中ع")), max_size=300)
FRONT = st.sampled_from(
    ["---\n", "+++\n", "", "---\ntitle: x\n---\n", "---\n- a\n---\n", "---\ntopics: {a: 1}\n---\n"]
)


def _ok_or_own_error(call: Callable[[], object]) -> None:
    with contextlib.suppress(ImportFileError):
        call()


@FUZZ_SLOW
@given(front=FRONT, text=st.one_of(st.text(max_size=400), MARKUP))
def test_markdown_parser(front: str, text: str) -> None:
    for src in (SRC, DIGITALGOV):
        with contextlib.suppress(ImportFileError):
            parse_markdown(front + text, src, RunContext(), [])


@FUZZ
@given(markup=MARKUP)
def test_html_helpers(markup: str) -> None:
    assert isinstance(html_to_text(markup), str)
    assert isinstance(strip_inline_html(markup), str)
    assert isinstance(clean_markdown(markup), str)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@FUZZ_SLOW
@given(
    item=st.fixed_dictionaries(
        {"document_type": st.text(max_size=15)},
        optional={
            "content_id": JSON_VALUES,
            "base_path": JSON_VALUES,
            "title": JSON_VALUES,
            "locale": JSON_VALUES,
            "details": JSON_VALUES,
            "links": JSON_VALUES,
            "withdrawn_notice": JSON_VALUES,
            "first_published_at": JSON_VALUES,
            "description": JSON_VALUES,
        },
    ),
    raw=st.text(max_size=80),
)
def test_govuk_parser(item: dict[str, object], raw: str) -> None:
    import json

    _ok_or_own_error(lambda: parse_govuk(json.dumps(item), SRC, []))
    _ok_or_own_error(lambda: parse_govuk(raw, SRC, []))


@pytest.fixture(scope="module")
def marc_sample(corpus: Path) -> bytes:
    return (corpus / "library/pymarc_test/test.dat").read_bytes()[:3000]


@FUZZ
@given(data=st.data())
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_marc_parser(marc_sample: bytes, data: st.DataObject) -> None:
    sample = bytearray(marc_sample)
    for _ in range(data.draw(st.integers(0, 6))):
        position = data.draw(st.integers(0, len(sample) - 1))
        sample[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(sample)))
    _ok_or_own_error(lambda: read_records(bytes(sample[:cut]), xml=False))
    junk = data.draw(st.binary(max_size=200))
    _ok_or_own_error(lambda: read_records(junk, xml=False))
    xml = b'<collection xmlns="http://www.loc.gov/MARC21/slim"><record>' + junk + b"</record></collection>"
    _ok_or_own_error(lambda: read_records(xml, xml=True))


@FUZZ
@given(
    header=st.sampled_from(
        [
            "label,alt labels,broader",
            "LGSL,Description,Providing Tier",
            "concept_id,prefLabel_en,altLabels_en,broader_ids",
            "a;b",
            "",
        ]
    ),
    body=st.text(alphabet=st.sampled_from(list(',;|"\n\r\tab1é ')), max_size=200),
)
def test_vocab_parser(header: str, body: str) -> None:
    def run() -> None:
        try:
            parse_vocab_csv(header + "\n" + body, SRC, [])
        except ValidationError:  # pragma: no cover - parsers must not build invalid records
            raise AssertionError("parser built an invalid record") from None

    _ok_or_own_error(run)
