"""Fixtures for the search tests: a real store (desktop.store) and a real Whoosh index in tmp_path."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, record_id_for
from desktop.search import SearchIndex
from desktop.store import RecordRepository, open_store

CORPUS = Path(os.environ.get("IMBIZO_CORPUS", Path(__file__).resolve().parents[3] / "shared" / "corpus"))
NEWS = CORPUS / "knowledge_base" / "digitalgov" / "news"


def rid(name: str) -> str:
    """A stable record id for a short test name."""
    return record_id_for("test", name)


def corpus_text(name: str, fallback: str) -> str:
    """The body of one real digitalgov news post (read, never copied into the repo)."""
    path = next(iter(sorted(NEWS.rglob(f"*{name}*.md"))), None) if NEWS.is_dir() else None
    if path is None:
        return fallback
    text = path.read_text(encoding="utf-8", errors="replace").split("---", 2)[-1]
    return re.sub(r"\s+", " ", text).strip()


def sample_records() -> list[Record]:
    """A small knowledge base with people, communities, vocabulary and a library item."""
    dataviz = corpus_text("tell-compelling-stories-with-data-visualization", "Data visualization tips.")
    return [
        Record(
            rid("thandi"),
            Kind.EXPERT,
            {
                "name": "Thandi Nkosi",
                "organisation": "City of Cape Town",
                "role": "Water engineer",
                "expertise": ["water sanitation", "drought planning"],
                "bio": "Twenty years running municipal sanitation programmes.",
            },
        ),
        Record(
            rid("sipho"),
            Kind.EXPERT,
            {
                "name": "Sipho Dlamini",
                "organisation": "eThekwini Municipality",
                "role": "Data analyst",
                "expertise": ["data visualisation"],
                "bio": "Builds dashboards.",
            },
        ),
        Record(
            rid("lerato"),
            Kind.EXPERT,
            {
                "name": "Lerato Mokoena",
                "organisation": "GSA",
                "role": "Community facilitator",
                "bio": "Runs learning networks.",
            },
        ),
        Record(
            rid("open-data"),
            Kind.TERM,
            {"label": "Open data", "alt_labels": ["public data", "government data"]},
        ),
        Record(
            rid("water-cop"),
            Kind.COMMUNITY,
            {"name": "Water practitioners network", "purpose": "Sharing practice on sanitation and drought."},
            links=(Link(Relation.FACILITATOR, rid("lerato")),),
        ),
        Record(
            rid("sanitation-case"),
            Kind.CASE_STUDY,
            {
                "title": "Community-led sanitation in Khayelitsha",
                "summary": "How residents and the city co-designed sanitation services.",
                "body": "Ward committees mapped every toilet. Sanitation outcomes improved.",
                "district": "Cape Town",
                "organisations": ["City of Cape Town"],
                "date": "2021-06-01",
            },
            tags=("sanitation", "participation"),
            links=(Link(Relation.AUTHOR, rid("thandi")), Link(Relation.IN_COMMUNITY, rid("water-cop"))),
        ),
        Record(
            rid("drought-visit"),
            Kind.SITE_VISIT,
            {
                "title": "Learning visit to the Berg river scheme",
                "start_date": "2019-02-10",
                "district": "Cape Town",
                "purpose": "See drought water planning.",
                "observations": "Sanitation and water reuse at scale.",
            },
            links=(Link(Relation.PARTICIPANT, rid("thandi")), Link(Relation.PARTICIPANT, rid("sipho"))),
        ),
        Record(
            rid("dataviz"),
            Kind.ARTICLE,
            {
                "title": "Tell compelling stories with data visualization",
                "summary": "Ten tips for getting the most from your data visualizations.",
                "body": dataviz,
                "organisations": ["GSA"],
                "date": "2010-10-22",
                "url": "https://digital.gov/2010/10/22/dataviz/",
            },
            tags=("Open data", "analytics"),
            links=(Link(Relation.AUTHOR, rid("sipho")), Link(Relation.ABOUT, rid("open-data"))),
        ),
        Record(
            rid("cafe"),
            Kind.CASE_STUDY,
            {
                "title": "The café that runs on open government",
                "summary": "A cafe owner uses municipal data to plan.",
                "body": "Café owners in Durban read budgets.",
                "organisations": ["eThekwini Municipality"],
                "district": "Durban",
                "date": "2021-03-03",
            },
            tags=("economic development",),
            links=(Link(Relation.AUTHOR, rid("ghost-person")),),
        ),
        Record(
            rid("handbook"),
            Kind.CENTRE_ITEM,
            {
                "title": "Handbook of municipal water services",
                "authors": ["Smith, Jane"],
                "publisher": "Juta",
                "year": 2005,
                "isbn": ["978-0-306-40615-7"],
                "issn": ["0378-5955"],
                "lccn": "2001-627",
                "control_number": "ocm12345678",
                "subjects": ["Water supply", "Sanitation"],
                "abstract": "Planning water and sanitation.",
            },
        ),
        Record(
            rid("question"),
            Kind.QUESTION,
            {"title": "How do we budget for drought sanitation?", "body": "Our district needs a plan."},
            links=(Link(Relation.IN_COMMUNITY, rid("water-cop")),),
        ),
        Record(
            rid("answer"),
            Kind.ANSWER,
            {"body": "Start from ward-level toilet maps and reuse targets."},
            links=(Link(Relation.ANSWERS, rid("question")), Link(Relation.AUTHOR, rid("sipho"))),
        ),
    ]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RecordRepository]:
    """A fresh real store holding the sample records."""
    repo = open_store(tmp_path / "profile")
    repo.save_many(sample_records())
    yield repo
    repo.close()


@pytest.fixture
def index(tmp_path: Path, store: RecordRepository) -> Iterator[SearchIndex]:
    """The sample store's index, built once through ensure_ready (single process: fast in tests)."""
    ix = SearchIndex.open(tmp_path / "index", store)
    ix.ensure_ready(store, procs=1)
    yield ix
    ix.close()


@pytest.fixture(scope="module")
def shared_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    """One index of the sample store per test module, for tests that only read."""
    base = tmp_path_factory.mktemp("shared")
    repo = open_store(base / "profile")
    repo.save_many(sample_records())
    ix = SearchIndex.open(base / "index", repo)
    ix.ensure_ready(repo, procs=1)
    yield ix
    ix.close()
    repo.close()


def ids(hits: object) -> list[str]:
    """Record ids of a list of hits, in order."""
    return [h.id for h in hits]  # type: ignore[attr-defined]
