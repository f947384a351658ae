"""Build resources/demo/demo_knowledge_base.json from fixed files of the shared corpus.

Usage: python scripts/make_demo_data.py [--corpus ../shared/corpus] [--out resources/demo/...]

The demo knowledge base is what a first run offers on an empty profile. It mixes
public-domain and OGL items from the corpus (each keeps its source, licence and
attribution) with a few records written for the demo: fictional expert profiles,
two site visits, two case studies, a question and its answer. No real person's
name or profile goes in: Digital.gov author profiles are never used, and
paragraphs that name a Digital.gov author are dropped from the texts.

The output is deterministic: same corpus, same bytes.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pymarc
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop.core.kinds import Kind  # noqa: E402
from desktop.core.records import Link, Record, Relation, Source, Status, record_id_for  # noqa: E402
from desktop.core.validation import ensure_valid  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT_OUT = ROOT / "resources" / "demo" / "demo_knowledge_base.json"
CREATED = "2026-01-15T09:00:00+00:00"
BODY_LIMIT = 2_400

DIGITALGOV_LICENCE = "Public domain (US Government work) + CC0 1.0"
DIGITALGOV_ATTRIBUTION = "Digital.gov, U.S. General Services Administration (GSA/digitalgov.gov)"
OGL_LICENCE = "Open Government Licence v3.0"
OGL_ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."
DEMO_LICENCE = "CC0 1.0 (fictional content written for the Imbizo demo)"
DEMO_ATTRIBUTION = "Written for the Imbizo demo knowledge base; people and places are fictional."
DEMO_COLLECTION = "imbizo-demo"

# -- which corpus files go in -------------------------------------------------

TOPICS = [
    "accessibility",
    "plain-language",
    "customer-experience",
    "multilingual",
    "research",
    "open-data",
    "user-experience",
    "human-centered-design",
    "communication",
    "content-strategy",
]

NEWS = [
    "news/2024/01/2024-01-11-accessibility-testing-creating-digital-services-everyone-can-use.md",
    "news/2024/02/2024-02-09-timeless-top-10-best-practices-for-great-government-websites.md",
    "news/2024/10/2024-10-04-uncovering-impactful-solutions-through-user-research.md",
    "news/2024/11/2024-11-01-tips-for-building-a-small-scrappy-digital-team.md",
    "news/2024/11/2024-11-12-crafting-quality-content-throughout-its-lifecycle.md",
    "news/2024/12/2024-12-17-approaching-language-translations-to-provide-a-better-user-experience.md",
    "news/2024/12/2024-12-31-reduce-remove-remediate-pdfs-and-government-websites.md",
    "news/2023/03/2023-03-06-a-happy-compromise-between-people-first-and-plain-language.md",
    "news/2022/12/2022-12-13-to-build-trust-aim-for-easy.md",
    "news/2022/10/2022-10-24-managing-stakeholder-feedback-lessons-from-experience.md",
    "news/2023/10/2023-10-30-decoding-public-sentiment-harnessing-open-data-to-gain-insights-into-service-delivery.md",
    "news/2024/04/2024-04-15-delivering-seamless-customer-journeys.md",
    "news/2024/11/2024-11-04-youve-launched-now-what-planning-for-the-future-of-your-content.md",
    "news/2024/03/2024-03-06-customer-experience-beyond-surveys.md",
    "news/2024/01/2024-01-18-customer-experience-and-human-centered-design.md",
]

GUIDES = [
    ("guides/public-participation/establish-goals.md", ["communication", "customer-experience"]),
    ("guides/public-participation/facilitate-participation.md", ["communication", "customer-experience"]),
    ("guides/public-participation/evaluate-report.md", ["research", "communication"]),
    ("guides/accessibility-for-teams/content-design.md", None),
    ("guides/hcd/discovery-operations/interview-tips.md", ["research", "human-centered-design"]),
]

GOVUK = [
    "manual_section/what-is-content-design.json",
    "corporate_information_page/best-practice-complaints-procedure.json",
    "corporate_information_page/best-practice-information-charter.json",
    "corporate_information_page/best-practice-welsh-language-scheme.json",
    "news_article/best-practice-government-response.json",
    "case_study/case_study.json",
    "detailed_guide/national_applicability_alternative_url_detailed_guide.json",
    "help_page/about-govuk.json",
]
GOVUK_TOPICS = {
    "manual_section/what-is-content-design.json": ["content-strategy", "plain-language"],
    "corporate_information_page/best-practice-complaints-procedure.json": ["customer-experience"],
    "corporate_information_page/best-practice-information-charter.json": ["open-data"],
    "corporate_information_page/best-practice-welsh-language-scheme.json": ["multilingual"],
    "news_article/best-practice-government-response.json": ["communication"],
    "case_study/case_study.json": ["communication"],
    "detailed_guide/national_applicability_alternative_url_detailed_guide.json": ["customer-experience"],
    "help_page/about-govuk.json": ["content-strategy"],
}

# (file, record index, licence, holding library); personal names (100/700) are left out.
MARC = [
    ("marc2bibframe2_dataset/british_library.xml", 63, "CC0 1.0 (British Library catalogue metadata)", "BL"),
    ("marc2bibframe2_dataset/british_library.xml", 78, "CC0 1.0 (British Library catalogue metadata)", "BL"),
    ("marc2bibframe2_dataset/british_library.xml", 98, "CC0 1.0 (British Library catalogue metadata)", "BL"),
    ("marc2bibframe2_dataset/loc_general.xml", 78, "Public domain (US Government work)", "LC"),
]

COMMUNITY_FILE = "communities/plain-language-community-of-practice.md"

# -- the fictional people and what they know ------------------------------------

ORG = "Demo District Municipality"
NORTH = "Northern Demo District"
SOUTH = "Southern Demo District"

EXPERTS: list[dict[str, Any]] = [
    {
        "key": "expert-water-services",
        "name": "Lindiwe Okafor-Banda",
        "role": "District water services officer",
        "district": NORTH,
        "expertise": ["customer-experience", "plain-language", "communication"],
        "languages": ["English", "isiZulu"],
        "availability": ["advice", "mentoring"],
    },
    {
        "key": "expert-librarian",
        "name": "Tumelo Fairweather",
        "role": "Knowledge-centre librarian",
        "district": NORTH,
        "expertise": ["content-strategy", "open-data", "research"],
        "languages": ["English", "Setswana"],
        "availability": ["advice", "peer_review"],
    },
    {
        "key": "expert-accessibility",
        "name": "Rethabile Castellanos",
        "role": "Digital services and accessibility adviser",
        "district": SOUTH,
        "expertise": ["accessibility", "user-experience", "human-centered-design"],
        "languages": ["English", "Sesotho", "Spanish"],
        "availability": ["advice", "peer_review"],
    },
    {
        "key": "expert-participation",
        "name": "Sipho Vermaak-Lindqvist",
        "role": "Community participation facilitator",
        "district": SOUTH,
        "expertise": ["communication", "research", "human-centered-design"],
        "languages": ["English", "Afrikaans", "isiXhosa"],
        "availability": ["mentoring"],
    },
    {
        "key": "expert-languages",
        "name": "Grace Nandipha Achterberg",
        "role": "Multilingual services coordinator",
        "district": NORTH,
        "expertise": ["multilingual", "plain-language", "accessibility"],
        "languages": ["English", "isiXhosa", "French"],
        "availability": ["advice", "mentoring", "peer_review"],
    },
]


def demo_id(key: str) -> str:
    return record_id_for(DEMO_COLLECTION, key)


def demo_source(key: str) -> Source:
    return Source(DEMO_COLLECTION, key, licence=DEMO_LICENCE, attribution=DEMO_ATTRIBUTION)


# -- text cleaning -----------------------------------------------------------------


class _TextExtractor(HTMLParser):
    BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "tr", "div", "br", "section"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _TextExtractor()
    parser.feed(markup)
    text = "".join(parser.parts)
    paragraphs = [re.sub(r"[ \t\r\f\v]+", " ", p.replace("\n", " ")).strip() for p in text.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def clean_markdown(text: str) -> str:
    text = re.sub(r"\{\{[<%].*?[>%]\}\}", "", text, flags=re.S)  # Hugo shortcodes
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # images
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links -> their text
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


#: Real people named in the chosen texts who are not Digital.gov authors (found by reading the output).
EXTRA_NAMES = ("Stephanie Morrison",)

_PERSON_HINT = re.compile(r"\b(by|with|said|says|cite=|according to)\s+[A-Z][a-z]+ [A-Z][a-z]+")


def scrub_names(text: str, names: list[str]) -> str:
    """Drop every paragraph that names a Digital.gov author or looks like it quotes a person."""
    kept = []
    lowered_names = [n.lower() for n in names]
    for paragraph in text.split("\n\n"):
        low = paragraph.lower()
        if any(name in low for name in lowered_names) or _PERSON_HINT.search(paragraph):
            continue
        kept.append(paragraph)
    return "\n\n".join(kept)


def truncate(text: str, limit: int = BODY_LIMIT) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind("\n\n", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip()


def author_names(corpus: Path) -> list[str]:
    """Display names of Digital.gov authors (to keep them out), also used by the demo test."""
    names = []
    for path in sorted((corpus / "experts" / "digitalgov" / "authors").glob("*/_index.md")):
        match = re.search(r'^display_name:\s*"?([^"\n]+)"?', path.read_text(encoding="utf-8"), re.M)
        if match and " " in match.group(1).strip():
            names.append(match.group(1).strip())
    return [*names, *EXTRA_NAMES]


def front_matter(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---", 2)
    return yaml.safe_load(head) or {}, body


def one_line(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip()


def iso_date(value: Any) -> str:
    text = str(value or "").strip()
    return text[:10] if re.match(r"\d{4}-\d{2}-\d{2}", text) else ""


# -- building the records ---------------------------------------------------------


class DemoBuilder:
    def __init__(self, corpus: Path):
        self.corpus = corpus
        self.names = author_names(corpus)
        self.records: list[Record] = []
        self.term_ids: dict[str, str] = {}
        self.term_labels: dict[str, str] = {}
        self.expert_ids = {e["key"]: demo_id(e["key"]) for e in EXPERTS}

    def add(self, record: Record) -> Record:
        self.records.append(ensure_valid(record))
        return record

    def text(self, value: str) -> str:
        return scrub_names(value, self.names)

    def topic_links(self, topics: list[str]) -> tuple[tuple[str, ...], list[Link]]:
        known = [t for t in topics if t in self.term_ids]
        tags = tuple(self.term_labels[t] for t in known)
        return tags, [Link(Relation.ABOUT, self.term_ids[t]) for t in known]

    # terms
    def build_terms(self) -> None:
        for slug in TOPICS:
            rel = Path("vocab") / "digitalgov_topics" / slug / "_index.md"
            meta, _ = front_matter(self.corpus / rel)
            label = one_line(meta.get("title")) or slug
            record = Record(
                id=record_id_for("vocab:digitalgov", slug),
                kind=Kind.TERM,
                fields={
                    "label": label,
                    "scheme": "Digital.gov topics",
                    "notation": slug,
                    "scope_note": one_line(meta.get("summary") or meta.get("deck")),
                },
                source=Source(
                    "digitalgov_topics",
                    slug,
                    path=str(rel),
                    url=f"https://digital.gov/topics/{slug}/",
                    licence=DIGITALGOV_LICENCE,
                    attribution=DIGITALGOV_ATTRIBUTION,
                ),
                status=Status.PUBLISHED,
                created_at=CREATED,
            )
            self.term_ids[slug] = record.id
            self.term_labels[slug] = label
            self.add(record)

    # experts
    def build_experts(self) -> None:
        for expert in EXPERTS:
            expertise = [self.term_labels[t] for t in expert["expertise"]]
            fields = {
                "name": expert["name"],
                "role": expert["role"],
                "organisation": ORG,
                "district": expert["district"],
                "expertise": expertise,
                "languages": expert["languages"],
                "availability": expert["availability"],
                "email": f"{expert['key']}@demo.invalid",
                "bio": (
                    f"This is a fictional demo profile: {expert['name']} does not exist. "
                    f"In the demo, they work as {expert['role'].lower()} for the {ORG} in the "
                    f"{expert['district']}, and colleagues ask them about "
                    f"{', '.join(e.lower() for e in expertise)}."
                ),
            }
            tags, links = self.topic_links(expert["expertise"])
            self.add(
                Record(
                    id=self.expert_ids[expert["key"]],
                    kind=Kind.EXPERT,
                    fields=fields,
                    tags=tags,
                    links=tuple(links),
                    source=demo_source(expert["key"]),
                    status=Status.PUBLISHED,
                    created_at=CREATED,
                )
            )

    # Digital.gov news and guides
    def build_digitalgov(self) -> None:
        base = self.corpus / "knowledge_base" / "digitalgov"
        items = [(p, None, "news") for p in NEWS] + [(p, t, "guide") for p, t in GUIDES]
        for rel, topic_override, doc_type in items:
            meta, body = front_matter(base / rel)
            slug = one_line(meta.get("slug")) or Path(rel).stem
            topics = topic_override or [str(t) for t in meta.get("topics") or []]
            date = iso_date(meta.get("date"))
            if doc_type == "news":
                url = (
                    one_line(meta.get("source_url"))
                    or f"https://digital.gov/{date.replace('-', '/')}/{slug}/"
                )
            else:
                url = f"https://digital.gov/guides/{meta.get('guide', '')}/{Path(rel).stem}/"
            summary = self.text(one_line(meta.get("summary") or meta.get("deck")))
            text = truncate(self.text(clean_markdown(body)))
            tags, links = self.topic_links(topics)
            fields = {
                "title": one_line(meta.get("title")),
                "document_type": doc_type,
                "summary": summary,
                "body": text,
                "organisations": ["Digital.gov"],
                "date": date,
                "locale": "en",
                "url": url,
            }
            self.add(
                Record(
                    id=record_id_for("digitalgov", slug),
                    kind=Kind.ARTICLE,
                    fields={k: v for k, v in fields.items() if v},
                    tags=tags,
                    links=tuple(links),
                    source=Source(
                        "digitalgov",
                        slug,
                        path=f"knowledge_base/digitalgov/{rel}",
                        url=url,
                        licence=DIGITALGOV_LICENCE,
                        attribution=DIGITALGOV_ATTRIBUTION,
                    ),
                    status=Status.PUBLISHED,
                    created_at=CREATED,
                )
            )

    # GOV.UK content items
    def build_govuk(self) -> None:
        base = self.corpus / "knowledge_base" / "govuk_content_items"
        for rel in GOVUK:
            data = json.loads((base / rel).read_text(encoding="utf-8"))
            details = data.get("details") or {}
            body = details.get("body", "")
            if isinstance(body, list):
                body = " ".join(part.get("content", "") for part in body if isinstance(part, dict))
            text = truncate(self.text(html_to_text(str(body))))
            topics = GOVUK_TOPICS[rel]
            tags, links = self.topic_links(topics)
            url = "https://www.gov.uk" + str(data.get("base_path", ""))
            key = f"{data['content_id']}:{data.get('locale', 'en')}"
            fields = {
                "title": one_line(data.get("title")),
                "document_type": str(data.get("document_type", "")),
                "summary": self.text(one_line(data.get("description"))),
                "body": text,
                "organisations": ["GOV.UK"],
                "date": iso_date(data.get("first_published_at")),
                "updated": iso_date(data.get("public_updated_at")),
                "locale": str(data.get("locale", "en")),
                "url": url,
            }
            self.add(
                Record(
                    id=record_id_for("govuk", key),
                    kind=Kind.ARTICLE,
                    fields={k: v for k, v in fields.items() if v},
                    tags=tags,
                    links=tuple(links),
                    source=Source(
                        "govuk",
                        key,
                        path=f"knowledge_base/govuk_content_items/{rel}",
                        url=url,
                        licence=OGL_LICENCE,
                        attribution=OGL_ATTRIBUTION,
                    ),
                    status=Status.PUBLISHED,
                    created_at=CREATED,
                )
            )

    # knowledge-centre items from MARC (bibliographic fields only, no personal names)
    def build_marc(self) -> None:
        for rel, index, licence, library in MARC:
            record = pymarc.parse_xml_to_array(str(self.corpus / "library" / rel))[index]
            control = record.get("001").value().strip() if record.get("001") else str(index)
            org = record.get("003").value().strip() if record.get("003") else library
            title = one_line(record.title or "").rstrip(" /:;.")
            pub = record.get_fields("260", "264")
            publisher = (
                one_line(pub[0].get_subfields("b")[0]).rstrip(",;: ")
                if pub and pub[0].get_subfields("b")
                else ""
            )
            year_match = re.search(
                r"\d{4}", one_line(pub[0].get_subfields("c")[0]) if pub and pub[0].get_subfields("c") else ""
            )
            subjects = sorted(
                {one_line(f.format_field()).rstrip(".") for f in record.get_fields("650", "651")}
            )
            isbns = [
                one_line(f.get_subfields("a")[0]).split(" ")[0]
                for f in record.get_fields("020")
                if f.get_subfields("a")
            ]
            fields: dict[str, Any] = {
                "title": title,
                "publisher": publisher,
                "control_number": f"{org}{control}",
                "subjects": subjects,
                "isbn": isbns,
                "format": "Serial" if record.leader[7] == "s" else "Book",
                "language": record.get("008").value()[35:38] if record.get("008") else "",
                "holding_centre": "Demo District Knowledge Centre",
                "abstract": ("Subjects: " + "; ".join(subjects) + ".") if subjects else "",
            }
            if year_match:
                fields["year"] = int(year_match.group(0))
            calls = record.get_fields("050", "082")
            if calls and calls[0].get_subfields("a"):
                fields["call_number"] = one_line(calls[0].get_subfields("a")[0])
            topic = "open-data" if "Water" not in title else "customer-experience"
            tags, links = self.topic_links([topic])
            self.add(
                Record(
                    id=record_id_for("marc", f"{org}{control}"),
                    kind=Kind.CENTRE_ITEM,
                    fields={k: v for k, v in fields.items() if v not in ("", [], None)},
                    tags=tags,
                    links=tuple(links),
                    source=Source(
                        "marc",
                        f"{org}{control}",
                        path=f"library/{rel}",
                        licence=licence,
                        attribution="Library of Congress marc2bibframe2 sample dataset",
                    ),
                    status=Status.PUBLISHED,
                    created_at=CREATED,
                )
            )

    # communities: one from Digital.gov (without its real facilitators), one written for the demo
    def build_communities(self) -> tuple[str, str]:
        rel = Path("experts") / "digitalgov" / COMMUNITY_FILE
        meta, _ = front_matter(self.corpus / rel)
        slug = one_line(meta.get("slug"))
        topics = [str(t) for t in meta.get("topics") or []]
        tags, links = self.topic_links(topics)
        plain_id = record_id_for("digitalgov:community", slug)
        ids = self.expert_ids
        self.add(
            Record(
                id=plain_id,
                kind=Kind.COMMUNITY,
                fields={
                    "name": f"{one_line(meta.get('dg_shortname'))} community of practice",
                    "purpose": self.text(one_line(meta.get("summary")) + " " + one_line(meta.get("deck"))),
                    "service_area": "Communication",
                    "contact": "In the demo, ask a facilitator to add you.",
                    "date": iso_date(meta.get("date")),
                },
                tags=tags,
                links=(
                    Link(Relation.FACILITATOR, ids["expert-languages"], "demo link: fictional facilitator"),
                    Link(Relation.MEMBER, ids["expert-water-services"]),
                    Link(Relation.MEMBER, ids["expert-librarian"]),
                    Link(Relation.MEMBER, ids["expert-accessibility"]),
                    *links,
                ),
                source=Source(
                    "digitalgov_communities",
                    slug,
                    path=str(rel),
                    url=f"https://digital.gov/communities/{slug}/",
                    licence=DIGITALGOV_LICENCE,
                    attribution=DIGITALGOV_ATTRIBUTION,
                ),
                status=Status.PUBLISHED,
                created_at=CREATED,
            )
        )
        water_id = demo_id("community-water-services")
        tags, links = self.topic_links(["customer-experience", "communication"])
        self.add(
            Record(
                id=water_id,
                kind=Kind.COMMUNITY,
                fields={
                    "name": "Water services learning network",
                    "purpose": (
                        "District water services staff share what works when telling residents about "
                        "supply interruptions, water quality notices and new connections. (Demo content.)"
                    ),
                    "service_area": "Water and sanitation",
                    "contact": "Ask the facilitator at the next district meeting.",
                    "date": "2025-03-01",
                },
                tags=tags,
                links=(
                    Link(Relation.FACILITATOR, ids["expert-water-services"]),
                    Link(Relation.MEMBER, ids["expert-participation"]),
                    Link(Relation.MEMBER, ids["expert-languages"]),
                    *links,
                ),
                source=demo_source("community-water-services"),
                status=Status.PUBLISHED,
                created_at=CREATED,
            )
        )
        return plain_id, water_id

    def article_id(self, slug: str) -> str:
        return record_id_for("digitalgov", slug)

    # case studies, site visits, a question and an answer: fictional demo content
    def build_demo_stories(self, plain_id: str, water_id: str) -> None:
        ids = self.expert_ids
        cs1 = demo_id("case-study-water-notices")
        tags, links = self.topic_links(["plain-language", "customer-experience", "multilingual"])
        self.add(
            Record(
                id=cs1,
                kind=Kind.CASE_STUDY,
                fields={
                    "title": "Plain-language water interruption notices cut complaint calls",
                    "category": "case study",
                    "summary": (
                        "The Northern Demo District rewrote its water interruption notices in plain "
                        "language and in three languages. Calls to the complaints line during planned "
                        "interruptions fell by about a third. (Fictional demo content.)"
                    ),
                    "context": (
                        "Residents learned about planned interruptions from long notices full of "
                        "technical terms, printed in English only. The complaints line was flooded "
                        "every time a reservoir was cleaned."
                    ),
                    "approach": (
                        "Staff tested draft notices with residents at two pay points, cut each notice "
                        "to five short sentences (what, where, when, what to do, who to call), and had "
                        "them translated and checked by community volunteers."
                    ),
                    "results": (
                        "Complaint calls during the next three planned interruptions fell from an "
                        "average of 412 to 270. Ward councillors asked for the same template for "
                        "electricity notices."
                    ),
                    "lessons": (
                        "Test notices with the people who read them; a translation needs a second "
                        "reader from the community; put the phone number last, after the action."
                    ),
                    "service_area": "Water and sanitation",
                    "district": NORTH,
                    "organisations": [ORG],
                    "period": "2025",
                    "date": "2025-09-30",
                },
                tags=tags,
                links=(
                    Link(Relation.AUTHOR, ids["expert-water-services"]),
                    Link(Relation.PARTICIPANT, ids["expert-languages"]),
                    Link(
                        Relation.CITES,
                        self.article_id("a-happy-compromise-between-people-first-and-plain-language"),
                    ),
                    Link(
                        Relation.CITES,
                        record_id_for("govuk", self._govuk_key("manual_section/what-is-content-design.json")),
                    ),
                    Link(Relation.IN_COMMUNITY, water_id),
                    *links,
                ),
                source=demo_source("case-study-water-notices"),
                status=Status.PUBLISHED,
                created_at=CREATED,
            )
        )
        cs2 = demo_id("case-study-accessible-forms")
        tags, links = self.topic_links(["accessibility", "user-experience", "research"])
        self.add(
            Record(
                id=cs2,
                kind=Kind.CASE_STUDY,
                fields={
                    "title": "Accessible indigent-support application forms",
                    "category": "best practice",
                    "summary": (
                        "The Southern Demo District replaced a scanned PDF application with an "
                        "accessible form that works on a phone and with a screen reader. "
                        "(Fictional demo content.)"
                    ),
                    "context": (
                        "Applicants for indigent support had to print, fill in and scan a PDF. Many "
                        "had no printer; applicants with low vision could not read it at all."
                    ),
                    "approach": (
                        "A small team ran usability sessions with eight applicants, two of whom use "
                        "screen readers, rebuilt the form in plain HTML and tested it with keyboard "
                        "only and at 200% zoom."
                    ),
                    "results": (
                        "Completed online applications rose from 14% to 58% in six months; help-desk "
                        "visits for form filling halved."
                    ),
                    "lessons": (
                        "Remove the PDF rather than fixing it; test with real assistive technology; "
                        "keep a paper route for people who need it."
                    ),
                    "service_area": "Social development",
                    "district": SOUTH,
                    "organisations": [ORG],
                    "period": "2024-2025",
                    "date": "2025-06-12",
                },
                tags=tags,
                links=(
                    Link(Relation.AUTHOR, ids["expert-accessibility"]),
                    Link(Relation.PARTICIPANT, ids["expert-participation"]),
                    Link(
                        Relation.CITES,
                        self.article_id("reduce-remove-remediate-pdfs-and-government-websites"),
                    ),
                    Link(
                        Relation.CITES,
                        self.article_id("accessibility-testing-creating-digital-services-everyone-can-use"),
                    ),
                    *links,
                ),
                source=demo_source("case-study-accessible-forms"),
                status=Status.PUBLISHED,
                created_at=CREATED,
            )
        )
        visit1 = demo_id("site-visit-reservoir")
        tags, links = self.topic_links(["customer-experience", "communication"])
        self.add(
            Record(
                id=visit1,
                kind=Kind.SITE_VISIT,
                fields={
                    "title": "Learning visit: Kestrel Bay reservoir customer desk",
                    "start_date": "2025-05-14",
                    "end_date": "2025-05-15",
                    "host": "Kestrel Bay water services office (fictional)",
                    "place": "Kestrel Bay",
                    "district": NORTH,
                    "purpose": "See how a neighbouring office answers residents during supply interruptions.",
                    "observations": (
                        "One shared script for the phone line and the walk-in desk; a whiteboard of "
                        "current interruptions visible to staff and residents; SMS alerts sent the day "
                        "before work starts."
                    ),
                    "lessons": "Residents forgive interruptions they were told about, not surprises.",
                    "follow_ups": [
                        {
                            "action": "Draft a shared phone and desk script",
                            "owner": "Lindiwe Okafor-Banda",
                            "due": "2025-06-30",
                            "done": True,
                        },
                        {
                            "action": "Ask IT about SMS alerts for planned work",
                            "owner": "Sipho Vermaak-Lindqvist",
                            "due": "2025-08-31",
                            "done": False,
                        },
                    ],
                },
                tags=tags,
                links=(
                    Link(Relation.PARTICIPANT, ids["expert-water-services"]),
                    Link(Relation.PARTICIPANT, ids["expert-participation"]),
                    Link(Relation.CITES, cs1),
                    Link(Relation.IN_COMMUNITY, water_id),
                    *links,
                ),
                source=demo_source("site-visit-reservoir"),
                status=Status.PUBLISHED,
                created_at=CREATED,
            )
        )
        visit2 = demo_id("site-visit-library")
        tags, links = self.topic_links(["multilingual", "accessibility", "content-strategy"])
        self.add(
            Record(
                id=visit2,
                kind=Kind.SITE_VISIT,
                fields={
                    "title": "Learning visit: multilingual help desk at the Riverside community library",
                    "start_date": "2025-10-02",
                    "end_date": "2025-10-02",
                    "host": "Riverside community library (fictional)",
                    "place": "Riverside",
                    "district": SOUTH,
                    "purpose": "Learn how the library helps residents with online forms in four languages.",
                    "observations": (
                        "Volunteers who speak the residents' languages sit beside them at shared "
                        "computers; printed glossaries of form terms in each language; large-print "
                        "versions on request."
                    ),
                    "lessons": "A glossary of twenty form words removes most of the questions.",
                    "follow_ups": [
                        {
                            "action": "Build a glossary of application-form terms in three languages",
                            "owner": "Grace Nandipha Achterberg",
                            "due": "2025-12-15",
                            "done": False,
                        }
                    ],
                },
                tags=tags,
                links=(
                    Link(Relation.PARTICIPANT, ids["expert-languages"]),
                    Link(Relation.PARTICIPANT, ids["expert-librarian"]),
                    Link(Relation.PARTICIPANT, ids["expert-accessibility"]),
                    Link(Relation.CITES, cs2),
                    Link(
                        Relation.CITES,
                        self.article_id(
                            "approaching-language-translations-to-provide-a-better-user-experience"
                        ),
                    ),
                    Link(Relation.IN_COMMUNITY, plain_id),
                    *links,
                ),
                source=demo_source("site-visit-library"),
                status=Status.PUBLISHED,
                created_at=CREATED,
            )
        )
        question = demo_id("question-translation-checks")
        tags, links = self.topic_links(["multilingual", "plain-language"])
        self.add(
            Record(
                id=question,
                kind=Kind.QUESTION,
                fields={
                    "title": "Who checks our translated notices before they go out?",
                    "body": "We translate water notices into three languages. How do others check them?",
                    "date": "2025-10-20",
                },
                tags=tags,
                links=(
                    Link(Relation.AUTHOR, ids["expert-water-services"]),
                    Link(Relation.IN_COMMUNITY, plain_id),
                    *links,
                ),
                source=demo_source("question-translation-checks"),
                status=Status.PUBLISHED,
                created_at=CREATED,
            )
        )
        self.add(
            Record(
                id=demo_id("answer-translation-checks"),
                kind=Kind.ANSWER,
                fields={
                    "body": (
                        "We ask a second speaker from the community to read every translation aloud "
                        "before it is printed, and keep a shared glossary so the same words are used "
                        "every time. (Demo answer.)"
                    ),
                    "accepted": True,
                    "date": "2025-10-21",
                },
                links=(
                    Link(Relation.ANSWERS, question),
                    Link(Relation.AUTHOR, ids["expert-languages"]),
                    Link(Relation.IN_COMMUNITY, plain_id),
                ),
                source=demo_source("answer-translation-checks"),
                status=Status.PUBLISHED,
                created_at=CREATED,
            )
        )

    def _govuk_key(self, rel: str) -> str:
        data = json.loads((self.corpus / "knowledge_base" / "govuk_content_items" / rel).read_text("utf-8"))
        return f"{data['content_id']}:{data.get('locale', 'en')}"

    def build(self) -> list[Record]:
        self.build_terms()
        self.build_experts()
        self.build_digitalgov()
        self.build_govuk()
        self.build_marc()
        plain_id, water_id = self.build_communities()
        self.build_demo_stories(plain_id, water_id)
        return self.records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    records = DemoBuilder(args.corpus).build()
    ids = [r.id for r in records]
    if len(ids) != len(set(ids)):
        raise SystemExit("duplicate record ids in the demo set")
    payload = {"records": [r.to_json() for r in records]}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(f"{len(records)} records, {len(text.encode('utf-8')):,} bytes -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
