"""How the command line prints results for people (and JSON for scripts)."""

from __future__ import annotations

import json
import sys
import textwrap
from typing import TYPE_CHECKING, Any

from desktop.core.changes import ImportReport
from desktop.core.kinds import KIND_LABELS, Kind, field_specs
from desktop.search import MARK_END, MARK_START, ExpertMatch, SearchResult
from desktop.session import RecordView

if TYPE_CHECKING:
    from desktop.core.import_preview import ImportPreview


def print_json(data: Any) -> None:
    """JSON on stdout, UTF-8, indented for reading."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _marked(text: str) -> str:
    """Turn match markers into bold on a terminal, or into *stars* in a pipe."""
    if sys.stdout.isatty():
        return text.replace(MARK_START, "\033[1m").replace(MARK_END, "\033[0m")
    return text.replace(MARK_START, "*").replace(MARK_END, "*")


def _kind_label(kind: str) -> str:
    try:
        return KIND_LABELS[Kind(kind)]
    except ValueError:
        return kind


def print_search_result(result: SearchResult) -> None:
    """Hits with their kind, score and snippet, then the facets."""
    if result.suggestion:
        print(f"Did you mean: {result.suggestion}")
    shown = len(result.hits)
    print(
        f"{result.total} result(s) for {result.query!r}"
        + (f", showing {shown}" if shown < result.total else "")
    )
    for number, hit in enumerate(result.hits, start=1):
        print(f"{number:>3}. {_marked(hit.title) or '(untitled)'}  [{_kind_label(hit.kind)}]  {hit.id[:8]}")
        if hit.snippet:
            for line in textwrap.wrap(_marked(hit.snippet), 96):
                print(f"      {line}")
    for name, counts in result.facets.items():
        if counts:
            values = ", ".join(f"{value} ({count})" for value, count in counts[:8])
            print(f"  {name}: {values}")


def print_experts(topic: str, experts: list[ExpertMatch]) -> None:
    """People ranked for a topic, each with the evidence behind the rank."""
    if not experts:
        print(f"No one found who knows about {topic!r}.")
        return
    print(f"Who knows about {topic!r}:")
    for number, expert in enumerate(experts, start=1):
        where = ", ".join(part for part in (expert.organisation, expert.district) if part)
        org = f" — {where}" if where else ""
        print(f"{number:>3}. {expert.name}{org}  (score {expert.score:.2f})  {expert.id[:8]}")
        if expert.availability:
            print(f"      available for: {', '.join(a.replace('_', ' ') for a in expert.availability)}")
        for evidence in expert.evidence[:5]:
            print(f"      {evidence.relation}: {evidence.title} [{_kind_label(evidence.kind)}]")
        if len(expert.evidence) > 5:
            print(f"      ... and {len(expert.evidence) - 5} more")


def _field_text(value: Any) -> str:
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "; ".join(str(item.get("action", item)) for item in value)
        return ", ".join(str(v) for v in value)
    return str(value)


def print_record(view: RecordView) -> None:
    """A record's fields, source and licence, and every connection."""
    record = view.record
    state = " (in the trash)" if record.deleted else ""
    print(f"{record.title}{state}")
    print(
        f"{_kind_label(record.kind.value)} · {record.id} · {record.status.value}"
        + (" · demo" if record.demo else "")
    )
    for spec in field_specs(record.kind):
        value = record.fields.get(spec.name)
        if value in (None, "", []) or spec.name in ("title", "name", "label") or spec.name == "marc":
            continue
        text = _field_text(value)
        if len(text) > 600:
            text = text[:600].rstrip() + " ..."
        print(f"\n{spec.label}:")
        for para in text.splitlines():
            print(textwrap.fill(para, 96, initial_indent="  ", subsequent_indent="  ") if para else "")
    if record.tags:
        print(f"\nTags: {', '.join(record.tags)}")
    if record.source:
        src = record.source
        print(f"\nSource: {src.collection} · {src.key}")
        if src.url or src.path:
            print(f"  {src.url or src.path}")
        if src.licence:
            print(f"  Licence: {src.licence}")
        if src.attribution:
            print(f"  {src.attribution}")
        for key, value in src.status.items():
            print(f"  {key}: {value}")
    if view.links:
        print("\nLinks:")
        for link in view.links:
            title = link.title or "(not in this profile yet)"
            print(f"  {link.label}: {title} [{_kind_label(link.kind) if link.kind else '?'}] {link.id[:8]}")
    if view.backlinks:
        print("\nLinked from:")
        for link in view.backlinks:
            print(f"  {link.label}: {link.title} [{_kind_label(link.kind)}] {link.id[:8]}")


def import_report_json(report: ImportReport) -> dict[str, Any]:
    """The import report as JSON."""
    return {
        "files": report.files,
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": report.skipped,
        "errors": [{"file": f, "message": m} for f, m in report.errors],
        "notes": [{"file": f, "message": m} for f, m in report.notes],
    }


def print_import_preview(preview: ImportPreview) -> None:
    """Counts per outcome, then one line per record that is not unchanged, with its reason."""
    counts = preview.counts()
    print(
        f"Preview of {preview.files} file(s), nothing written: {counts['add']} to add, "
        f"{counts['update']} to update, {counts['unchanged']} unchanged, "
        f"{counts['duplicate']} duplicate(s) skipped, {counts['rejected']} rejected."
    )
    shown = [item for item in preview.items if item.outcome.value != "unchanged"]
    for item in shown[:200]:
        print(f"  {item.outcome.value:<9} {item.file}: {item.label[:70]}: {item.reason}")
        for change in item.changes if item.outcome.value == "update" else ():
            print(f"            {change.name}: {_short(change.before)} -> {_short(change.after)}")
    if len(shown) > 200:
        print(f"  ... and {len(shown) - 200} more (--json lists them all)")
    for name, message in preview.notes[:50]:
        print(f"  note: {name}: {message}")


def _short(value: object) -> str:
    text = "(none)" if value in (None, "", []) else str(value)
    return text if len(text) <= 70 else text[:67] + "..."


def print_import_report(report: ImportReport) -> None:
    """Counts, then every skipped file with its reason."""
    print(
        f"Imported {report.files} file(s): {report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.skipped} skipped."
    )
    for name, message in report.notes[:50]:
        print(f"  note: {name}: {message}")
    if len(report.notes) > 50:
        print(f"  ... and {len(report.notes) - 50} more notes")
    for name, message in report.errors:
        print(f"  skipped: {name}: {message}", file=sys.stderr)
