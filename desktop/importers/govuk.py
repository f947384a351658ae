"""GOV.UK content items (the publishing-api JSON of one page) into records.

``case_study`` becomes a case study; every other document type an article that
keeps its type. The source key is ``content_id:locale`` (``base_path:locale``
when a file has no content id), so translations are separate records and the
variants of one item in a folder update each other.
"""

from __future__ import annotations

import json
import re
from typing import Any

from desktop.core.kinds import Kind
from desktop.core.records import Record
from desktop.importers.errors import ImportFileError
from desktop.importers.html_text import html_to_text
from desktop.importers.model import SourceFile, make_record
from desktop.importers.text import clean_text, iso_date, one_line, str_list

SPACE = "govuk"
_HTML = re.compile(r"<[A-Za-z][^>]*>")
#: Parts of ``details`` that hold page text when there is no ``body``, in reading order.
_TEXT_KEYS = (
    "introduction",
    "introductory_paragraph",
    "lead_paragraph",
    "summary",
    "parts",
    "collection_groups",
    "groups",
    "sections",
    "need_to_know",
    "what_you_need_to_know",
    "more_information",
    "other_ways_to_apply",
    "before_results",
    "after_results",
)
_MAX_DEPTH = 12


def looks_like_content_item(data: Any) -> bool:
    """True for a JSON object shaped like a GOV.UK content item."""
    return isinstance(data, dict) and bool(
        {"base_path", "content_id"} & data.keys()
        and {"document_type", "schema_name", "details"} & data.keys()
    )


def parse_govuk(raw: str, src: SourceFile, notes: list[str]) -> list[Record]:
    """One record from a content-item JSON document; ImportFileError if it is not one."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise ImportFileError("not readable JSON (nested too deeply)") from None
    if not looks_like_content_item(data):
        raise ImportFileError(
            "this JSON is not a GOV.UK content item (no content_id/base_path and document_type)"
        )
    return [_record(data, src, notes)]


def _record(item: dict[str, Any], src: SourceFile, notes: list[str]) -> Record:
    details = item.get("details") if isinstance(item.get("details"), dict) else {}
    assert isinstance(details, dict)
    content_id = one_line(item.get("content_id"))
    base_path = one_line(item.get("base_path"))
    locale = one_line(item.get("locale")) or "en"
    if not content_id and not base_path:
        raise ImportFileError("the content item has neither content_id nor base_path")
    key = f"{content_id or base_path}:{locale}"
    document_type = one_line(item.get("document_type")) or one_line(item.get("schema_name")) or "page"
    title = one_line(item.get("title"))
    if not title:
        raise ImportFileError("the content item has no title")
    body = _body(details)
    date = iso_date(details.get("first_public_at")) or iso_date(item.get("first_published_at"))
    date = date or iso_date(item.get("public_updated_at"))
    updated = iso_date(item.get("public_updated_at")) or iso_date(item.get("updated_at"))
    url = f"https://www.gov.uk{base_path}" if base_path.startswith("/") else ""
    status: dict[str, Any] = {}
    withdrawn = item.get("withdrawn_notice")
    if isinstance(withdrawn, dict) and withdrawn:
        status["withdrawn"] = True
        when = iso_date(withdrawn.get("withdrawn_at")) or one_line(withdrawn.get("withdrawn_at"))
        if when:
            status["withdrawn_at"] = when
        explanation = html_to_text(clean_text(withdrawn.get("explanation")))
        if explanation:
            status["withdrawn_explanation"] = explanation
    phase = one_line(item.get("phase"))
    if phase and phase != "live":
        status["phase"] = phase
    common = {
        "title": title,
        "summary": clean_text(item.get("description")),
        "body": body,
        "organisations": _organisations(item, details),
        "date": date,
    }
    source = src.source(key, url=url, status=status)
    if document_type == "case_study":
        fields = {"category": "case study", **common}
        return make_record(SPACE, Kind.CASE_STUDY, fields, source)
    fields = {
        **common,
        "document_type": document_type,
        "updated": updated,
        "locale": locale,
        "url": url,
    }
    return make_record(SPACE, Kind.ARTICLE, fields, source)


def _organisations(item: dict[str, Any], details: dict[str, Any]) -> list[str]:
    names: list[str] = []
    links = item.get("links")
    if isinstance(links, dict):
        for org in links.get("organisations") or []:
            if isinstance(org, dict):
                names.extend(str_list(org.get("title")))
    for org in details.get("organisations") or [] if isinstance(details.get("organisations"), list) else []:
        if isinstance(org, dict):
            names.extend(str_list(org.get("title")))
    unique: list[str] = []
    for name in names:
        if name not in unique:
            unique.append(name)
    return unique


def _body(details: dict[str, Any]) -> str:
    body = details.get("body")
    if isinstance(body, str) and body.strip():
        return html_to_text(body)
    if isinstance(body, list):  # multiple content types: prefer HTML
        for part in body:
            if isinstance(part, dict) and part.get("content_type") == "text/html":
                return html_to_text(clean_text(part.get("content")))
    blocks: list[str] = []
    for key in _TEXT_KEYS:
        if key in details:
            _collect(details[key], blocks, 0)
    return "\n\n".join(blocks)


def _collect(value: Any, blocks: list[str], depth: int) -> None:
    """Readable text from the HTML strings in ``value``, with titles of parts as headings."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, str):
        text = html_to_text(value) if _HTML.search(value) else clean_text(value)
        if text:
            blocks.append(text)
    elif isinstance(value, list):
        for item in value:
            _collect(item, blocks, depth + 1)
    elif isinstance(value, dict):
        heading = one_line(value.get("title")) or one_line(value.get("name"))
        text_parts = [value[k] for k in ("description", "body", "content") if k in value]
        if heading and text_parts:
            blocks.append(f"## {heading}")
        for part in text_parts:
            _collect(part, blocks, depth + 1)
