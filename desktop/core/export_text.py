"""Records as Markdown and HTML for dissemination (pure Python; the app prints the HTML to PDF).

Every record becomes one section: its title, kind and status, every field that has a
value under its label, its connections with readable titles, its tags, and where it
came from with its licence and attribution. Record text is escaped in HTML (a hostile
title stays text) and in Markdown (it cannot open a tag or a link).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.core.kinds import KIND_LABELS, FieldSpec, FieldType, field_specs
from desktop.core.records import Record

#: ``translate(context, text)``: the app passes Qt's translator; the default keeps English.
Translate = Callable[[str, str], str]

CONTEXT = "Export"
FIELDS_CONTEXT = "fields"  # the same context the detail view translates field labels in


def _english(_context: str, text: str) -> str:
    return text


@dataclass(frozen=True)
class ExportLink:
    """One connection as the reader sees it: how (``label``), to what (title and kind)."""

    label: str
    id: str
    title: str
    kind: str
    exists: bool


@dataclass(frozen=True)
class ExportItem:
    """A record with its resolved connections: what it points at and what points at it."""

    record: Record
    links: tuple[ExportLink, ...] = ()
    backlinks: tuple[ExportLink, ...] = ()


# -- shared pieces ------------------------------------------------------------------------


def _kind_label(kind: str, translate: Translate) -> str:
    for known, label in KIND_LABELS.items():
        if known.value == kind:
            return translate(CONTEXT, label)
    return kind


def _shown_fields(record: Record) -> list[tuple[FieldSpec, Any]]:
    """The fields worth printing: not the title field again, not empty, not raw source records."""
    shown = []
    for spec in field_specs(record.kind):
        if spec.name in ("title", "name", "label") and spec.required:
            continue
        if spec.type is FieldType.RAW:
            continue
        value = record.fields.get(spec.name)
        if value is None or value == "" or value == [] or value == ():
            continue
        shown.append((spec, value))
    return shown


def _plain_value(spec: FieldSpec, value: Any, translate: Translate) -> str:
    """A short field value as plain text."""
    if spec.type is FieldType.LIST:
        return ", ".join(str(v).replace("_", " ") for v in value)
    if spec.type is FieldType.BOOL:
        return translate(CONTEXT, "Yes") if value else translate(CONTEXT, "No")
    return str(value)


def _action_text(action: dict[str, Any], translate: Translate) -> tuple[bool, str, str]:
    extra = ", ".join(str(x) for x in (action.get("owner"), action.get("due")) if x)
    return bool(action.get("done")), str(action.get("action", "")), extra


def _link_text(link: ExportLink, translate: Translate) -> str:
    if link.exists:
        kind = _kind_label(link.kind, translate) if link.kind else ""
        return f"{link.title or translate(CONTEXT, '(untitled)')}" + (f" ({kind})" if kind else "")
    shown = link.title or link.id[:8]
    return f"{shown} ({translate(CONTEXT, 'not in this profile')})"


def _grouped(links: Iterable[ExportLink]) -> dict[str, list[ExportLink]]:
    groups: dict[str, list[ExportLink]] = {}
    for link in links:
        groups.setdefault(link.label, []).append(link)
    return groups


def _source_lines(record: Record, translate: Translate) -> list[str]:
    source = record.source
    if source is None:
        return []
    lines = [source.collection + (f" · {source.key}" if source.key else "")]
    if source.url:
        lines.append(source.url)
    if source.licence:
        lines.append(translate(CONTEXT, "Licence: {licence}").format(licence=source.licence))
    if source.attribution:
        lines.append(source.attribution)
    return lines


def _meta(record: Record, translate: Translate) -> str:
    meta = [_kind_label(record.kind.value, translate), translate(CONTEXT, record.status.value.capitalize())]
    if record.demo:
        meta.append(translate(CONTEXT, "Demo content"))
    return " · ".join(meta)


# -- Markdown -------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|!])")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def md_escape(text: str) -> str:
    """One line of record text made inert in Markdown (no emphasis, links, tags or headings)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _md_prose(text: str) -> str:
    """Long text is Markdown already: kept, except that nothing in it can open an HTML tag."""
    return _TAG_START.sub("&lt;", str(text).strip())


def record_markdown(item: ExportItem, translate: Translate = _english) -> str:
    """One record as a Markdown section (starting with a level-1 heading)."""
    record = item.record
    tr = translate
    out = [
        f"# {md_escape(record.title or tr(CONTEXT, '(untitled)'))}",
        "",
        f"*{md_escape(_meta(record, tr))}*",
        "",
    ]
    short: list[str] = []
    long: list[str] = []
    for spec, value in _shown_fields(record):
        label = md_escape(tr(FIELDS_CONTEXT, spec.label))
        if spec.type is FieldType.LONGTEXT:
            long += [f"## {label}", "", _md_prose(value), ""]
        elif spec.type is FieldType.ACTIONS:
            long += [f"## {label}", ""]
            for action in value:
                done, text, extra = _action_text(action, tr)
                suffix = f" ({md_escape(extra)})" if extra else ""
                long.append(f"- [{'x' if done else ' '}] {md_escape(text)}{suffix}")
            long.append("")
        else:
            short.append(f"- **{label}:** {md_escape(_plain_value(spec, value, tr))}")
    if record.tags:
        short.append(f"- **{md_escape(tr(CONTEXT, 'Tags'))}:** {md_escape(', '.join(record.tags))}")
    if short:
        out += [*short, ""]
    out += long
    for heading, links in (
        (tr(CONTEXT, "Connections"), item.links),
        (tr(CONTEXT, "What points here"), item.backlinks),
    ):
        groups = _grouped(links)
        if not groups:
            continue
        out += [f"## {md_escape(heading)}", ""]
        for label, members in groups.items():
            titles = "; ".join(md_escape(_link_text(link, tr)) for link in members)
            out.append(f"- **{md_escape(tr(CONTEXT, label.capitalize()))}:** {titles}")
        out.append("")
    source = _source_lines(record, tr)
    if source:
        out += [f"## {md_escape(tr(CONTEXT, 'Source'))}", ""]
        out += [f"{md_escape(line)}  " for line in source]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def records_markdown(items: Sequence[ExportItem], translate: Translate = _english) -> str:
    """Several records as one Markdown document, one section each, separated by rules."""
    return "\n---\n\n".join(record_markdown(item, translate) for item in items)


# -- HTML -----------------------------------------------------------------------------------

_HEADING = re.compile(r"^#{1,6}\s+(.+)$", re.M)
_BOLD = re.compile(r"\*\*(.+?)\*\*")

STYLE = """
body { font-family: sans-serif; font-size: 10.5pt; line-height: 1.35; }
h1 { font-size: 18pt; margin-bottom: 2pt; }
h2 { font-size: 12.5pt; margin-top: 14pt; margin-bottom: 4pt; }
p.meta { color: #555555; margin-top: 0; }
th { text-align: left; vertical-align: top; padding-right: 10pt; }
td { vertical-align: top; }
p.source { color: #333333; }
"""


def _html_prose(text: str) -> str:
    """Prose (plain or light Markdown) as paragraphs: escaped first, then headings and **bold** kept."""
    parts = []
    for part in (p.strip() for p in str(text).split("\n\n")):
        if not part:
            continue
        escaped = html.escape(part)
        escaped = _HEADING.sub(r"<b>\1</b>", escaped)
        escaped = _BOLD.sub(r"<b>\1</b>", escaped)
        parts.append(f"<p>{escaped.replace(chr(10), '<br>')}</p>")
    return "".join(parts)


def record_html(item: ExportItem, translate: Translate = _english, *, new_page: bool = False) -> str:
    """One record as an HTML fragment (a ``<div>`` section); every piece of record text is escaped.

    ``new_page`` starts it on a new page when printed (Qt honours page breaks on blocks such as h1).
    """
    record = item.record
    tr = translate
    esc = html.escape
    style = " style='page-break-before: always'" if new_page else ""
    out = [
        f"<h1{style}>{esc(record.title or tr(CONTEXT, '(untitled)'))}</h1>",
        f"<p class='meta'>{esc(_meta(record, tr))}</p>",
    ]
    rows = []
    long = []
    for spec, value in _shown_fields(record):
        label = esc(tr(FIELDS_CONTEXT, spec.label))
        if spec.type is FieldType.LONGTEXT:
            long.append(f"<h2>{label}</h2>{_html_prose(value)}")
        elif spec.type is FieldType.ACTIONS:
            items = []
            for action in value:
                done, text, extra = _action_text(action, tr)
                mark = "☑" if done else "☐"
                items.append(
                    f"<li>{mark} {esc(text)}" + (f" <i>({esc(extra)})</i>" if extra else "") + "</li>"
                )
            long.append(f"<h2>{label}</h2><ul>{''.join(items)}</ul>")
        else:
            rows.append(f"<tr><th>{label}</th><td>{esc(_plain_value(spec, value, tr))}</td></tr>")
    if record.tags:
        rows.append(f"<tr><th>{esc(tr(CONTEXT, 'Tags'))}</th><td>{esc(', '.join(record.tags))}</td></tr>")
    if rows:
        out.append("<table cellspacing='0' cellpadding='3'>" + "".join(rows) + "</table>")
    out += long
    for heading, links in (
        (tr(CONTEXT, "Connections"), item.links),
        (tr(CONTEXT, "What points here"), item.backlinks),
    ):
        groups = _grouped(links)
        if not groups:
            continue
        link_rows = [
            f"<tr><th>{esc(tr(CONTEXT, label.capitalize()))}</th>"
            f"<td>{'<br>'.join(esc(_link_text(link, tr)) for link in members)}</td></tr>"
            for label, members in groups.items()
        ]
        out.append(
            f"<h2>{esc(heading)}</h2><table cellspacing='0' cellpadding='3'>{''.join(link_rows)}</table>"
        )
    source = _source_lines(record, tr)
    if source:
        lines = "<br>".join(esc(line) for line in source)
        out.append(f"<h2>{esc(tr(CONTEXT, 'Source'))}</h2><p class='source'>{lines}</p>")
    return "<div class='record'>" + "".join(out) + "</div>"


def records_html(
    items: Sequence[ExportItem],
    *,
    title: str = "",
    page_breaks: bool = False,
    translate: Translate = _english,
) -> str:
    """A whole HTML document; ``page_breaks`` starts each record after the first on a new page (PDF)."""
    sections = []
    for number, item in enumerate(items):
        section = record_html(item, translate, new_page=page_breaks and number > 0)
        if number and not page_breaks:
            section = "<hr>" + section
        sections.append(section)
    doc_title = title or (items[0].record.title if len(items) == 1 else translate(CONTEXT, "Records"))
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{html.escape(doc_title)}</title><style>{STYLE}</style></head>"
        f"<body>{''.join(sections)}</body></html>\n"
    )
