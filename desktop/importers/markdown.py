"""Markdown with YAML (or TOML) front matter, as written for Hugo and Jekyll sites.

This module splits front matter from the body, cleans the body (Hugo shortcodes,
Liquid tags and inline HTML removed, entities decoded, fenced code left alone)
and maps generic pages (18F methods, the 2016 GOV.UK service manual, any other
folder of Markdown) to records. Digital.gov's layout lives in ``digitalgov.py``.
"""

from __future__ import annotations

import logging
import re
import tomllib
from typing import Any

import yaml

from desktop.core.kinds import Kind
from desktop.core.records import Record
from desktop.importers.errors import ImportFileError
from desktop.importers.html_text import strip_inline_html
from desktop.importers.model import RunContext, SourceFile, make_record
from desktop.importers.text import clean_text, humanise_slug, iso_date, one_line, str_list

log = logging.getLogger(__name__)


_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 10x faster


class _Loader(_BaseLoader):  # type: ignore[misc]
    """Safe loader that leaves timestamps as text (we normalise dates ourselves)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})", re.MULTILINE)
_REF_LINK = re.compile(r"\]\(\s*\{\{[<%]\s*(?:rel)?ref\s+\"?([^\"\s>%]+)\"?\s*[>%]\}\}\s*\)")
_SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}", re.DOTALL)
_LIQUID = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Front matter (a mapping, maybe empty) and the body of a Markdown document.

    Raises ImportFileError for front matter that does not end or does not parse.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    stripped = text.lstrip("\ufeff")
    first, _, rest = stripped.partition("\n")
    marker = first.strip()
    if marker not in ("---", "+++"):
        return {}, stripped
    end = re.search(rf"^{re.escape(marker)}[ \t]*$", rest, re.MULTILINE)
    if end is None:
        raise ImportFileError(f"the front matter starts with {marker!r} but never ends")
    head, body = rest[: end.start()], rest[end.end() :].lstrip("\n")
    try:
        data: Any = tomllib.loads(head) if marker == "+++" else yaml.load(head, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" (line {mark.line + 2}, column {mark.column + 1})" if mark is not None else ""
        raise ImportFileError(f"the front matter is not valid YAML{where}: {exc.problem}") from None
    except (yaml.YAMLError, tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:
        raise ImportFileError(f"the front matter cannot be read: {exc}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ImportFileError(f"the front matter is a {type(data).__name__}, not a set of fields")
    return {str(key): value for key, value in data.items()}, body


def clean_markdown(body: str) -> str:
    """The Markdown body as readable Markdown: shortcodes, Liquid and HTML tags out, code kept."""
    pieces: list[str] = []
    position = 0
    while True:
        fence = _FENCE.search(body, position)
        if fence is None:
            pieces.append(_clean_prose(body[position:]))
            break
        pieces.append(_clean_prose(body[position : fence.start()]))
        marker = fence.group(2)
        close = re.compile(rf"^ {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$", re.MULTILINE)
        line_end = body.find("\n", fence.end())
        if line_end == -1:
            pieces.append(body[fence.start() :])
            break
        closing = close.search(body, line_end + 1)
        end = len(body) if closing is None else closing.end()
        pieces.append(body[fence.start() : end])
        position = end
    text = "".join(pieces)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _clean_prose(text: str) -> str:
    if not text:
        return ""
    text = _REF_LINK.sub(r"](\1)", text)
    text = _SHORTCODE.sub("", text)
    text = _LIQUID.sub("", text)
    leading = text[: len(text) - len(text.lstrip("\n"))]
    trailing = text[len(text.rstrip("\n")) :]
    return leading + strip_inline_html(text) + trailing


def first_heading(body: str) -> str:
    """The text of the first Markdown heading, or ""."""
    match = _HEADING.search(body)
    return match.group(1).strip() if match else ""


def source_status(front: dict[str, Any]) -> dict[str, Any]:
    """Source-side states from front matter: draft, a status word, an expiry date."""
    status: dict[str, Any] = {}
    if front.get("draft") is True or str(front.get("draft", "")).lower() == "true":
        status["draft"] = True
    word = one_line(front.get("status")) or one_line(front.get("Status"))
    if word:
        if word.lower() == "draft":
            status["draft"] = True
        else:
            status["status"] = word
    expires = iso_date(front.get("expirydate")) or one_line(front.get("expirydate"))
    if expires:
        status["expires"] = expires
    return status


def title_of(front: dict[str, Any], body: str, src: SourceFile) -> str:
    """The page title: front matter, else the first heading, else the file name."""
    title = one_line(front.get("title")) or first_heading(body)
    if not title:
        stem = src.path.parent.name if src.path.stem in ("_index", "index") else src.path.stem
        title = humanise_slug(stem)
    return title


def date_field(front: dict[str, Any], name: str, notes: list[str], *keys: str) -> str | None:
    """The first date among ``keys`` as ISO 8601; a value that is not a date is noted and dropped."""
    for key in keys:
        value = front.get(key)
        if value in (None, ""):
            continue
        date = iso_date(value)
        if date is None:
            notes.append(f"{name}: {key} {clean_text(value)[:40]!r} is not a date; left out")
            continue
        return date
    return None


def parse_markdown(data: str, src: SourceFile, ctx: RunContext, notes: list[str]) -> list[Record]:
    """Records from one Markdown file of a generic or known collection."""
    front, raw_body = split_front_matter(data)
    layout = src.collection.layout
    if layout in ("digitalgov", "digitalgov-topics"):
        from desktop.importers.digitalgov import parse_digitalgov

        return parse_digitalgov(front, raw_body, src, ctx, notes)
    body = clean_markdown(raw_body)
    if layout == "18f-methods":
        return [_eighteen_f_method(front, body, src, notes)]
    return [_generic_article(front, body, src, notes)]


def _generic_article(front: dict[str, Any], body: str, src: SourceFile, notes: list[str]) -> Record:
    key = one_line(front.get("slug")) or one_line(front.get("permalink")) or src.rel
    document_type = (
        one_line(front.get("type"))
        or one_line(front.get("layout"))
        or (str_list(front.get("category")) or str_list(front.get("categories")) or [""])[0]
        or "guide"
    )
    url = one_line(front.get("url")) or one_line(front.get("permalink"))
    if src.collection.layout == "govuk-service-manual-2016":
        path = re.sub(r"(/index)?\.(md|markdown)$", "", src.rel)
        url = f"https://www.gov.uk/{path}"
    elif not url.startswith(("http://", "https://")):
        url = ""
    tags = str_list(front.get("tags")) + str_list(front.get("phases"))
    fields = {
        "title": title_of(front, body, src),
        "document_type": document_type,
        "summary": clean_text(
            front.get("summary") or front.get("description") or front.get("subtitle") or front.get("deck")
        ),
        "body": body,
        "date": date_field(front, "date", notes, "date", "published", "publishDate"),
        "updated": date_field(front, "updated", notes, "lastmod", "updated", "last_modified_at"),
        "locale": one_line(front.get("lang")) or one_line(front.get("locale")),
        "url": url,
    }
    source = src.source(key, url=url, status=source_status(front))
    return make_record(src.collection.name, Kind.ARTICLE, fields, source, tags=tags)


def _eighteen_f_method(front: dict[str, Any], body: str, src: SourceFile, notes: list[str]) -> Record:
    """An 18F method: a best practice (what, why, how to do it)."""
    key = one_line(front.get("permalink")) or one_line(front.get("slug")) or src.rel
    url = f"https://methods.18f.gov{key}" if key.startswith("/") else ""
    why = clean_text(front.get("why"))
    time_required = one_line(front.get("timeRequired"))
    context = why + (f"\n\nTime required: {time_required}" if time_required else "")
    status = source_status(front)
    if src.rel.startswith("_methods/archive/") or "/archive/" in src.rel:
        status["archived"] = True
    fields = {
        "title": title_of(front, body, src),
        "category": "best practice",
        "summary": clean_text(front.get("what") or front.get("description")),
        "context": context.strip(),
        "approach": body,
    }
    tags = str_list(front.get("category"))
    source = src.source(key, url=url, status=status)
    return make_record(src.collection.name, Kind.CASE_STUDY, fields, source, tags=tags)
