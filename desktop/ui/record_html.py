"""A record as HTML for the detail view: its fields, tags, source and licence, and every connection.

Connections are grouped the way a person reads them: on a case study "Authors",
"Participants", "Community", "Cites" and "Cited by"; on an expert profile what
that person "Wrote", "Took part in", "Answered" and the communities they are in.
A link is clickable when its target is in the profile, greyed as "not in this
profile" otherwise. Every piece of record text is escaped before it is placed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QPalette

from desktop.core.kinds import FieldSpec, FieldType, Kind, field_specs
from desktop.ui.models import kind_label, muted_colour
from desktop.ui.moments import moment_text
from desktop.ui.review_html import review_history_html

if TYPE_CHECKING:  # the session loads SQLAlchemy and Whoosh: after the window shows
    from desktop.core.communities import AcceptedAnswer
    from desktop.session import LinkView, RecordView

RECORD_SCHEME = "record"
#: The colour of an accepted answer's mark.
ACCEPTED_GREEN = "#1b7f3b"
#: Links to vocabulary terms: they open the term in the Vocabulary page (tree, labels, what uses it).
TERM_SCHEME = "term"
_TABLE = "<table cellspacing='0' cellpadding='4' width='100%'>"
#: Links shown per row; a term tagged on thousands of records lists the first ones and a count.
LINKS_SHOWN = 40


def _t(text: str) -> str:
    return QCoreApplication.translate("DetailView", text)


_HEADING = re.compile(r"^#{1,6}\s+(.+)$", re.M)
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _paragraphs(text: str) -> str:
    """Prose (plain or light Markdown) as paragraphs: escaped first, then headings and **bold** kept."""
    html_parts = []
    for part in (p.strip() for p in str(text).split("\n\n")):
        if not part:
            continue
        escaped = html.escape(part)
        escaped = _HEADING.sub(r"<b>\1</b>", escaped)
        escaped = _BOLD.sub(r"<b>\1</b>", escaped)
        html_parts.append(f"<p>{escaped.replace(chr(10), '<br>')}</p>")
    return "".join(html_parts)


def format_value(type_: FieldType, value: Any) -> str:
    """One field value as safe HTML ('' when there is nothing to show)."""
    if value is None or value == "" or value == []:
        return ""
    if type_ is FieldType.LONGTEXT:
        return _paragraphs(value)
    if type_ is FieldType.LIST:
        return html.escape(", ".join(str(v).replace("_", " ") for v in value))
    if type_ is FieldType.BOOL:
        return (
            QCoreApplication.translate("DetailView", "Yes")
            if value
            else QCoreApplication.translate("DetailView", "No")
        )
    if type_ is FieldType.DATE and "T" in str(value):
        return html.escape(moment_text(str(value)))  # a moment reads "2 December 2026, 14:05", not ISO
    if type_ is FieldType.RAW:
        return html.escape(
            QCoreApplication.translate("DetailView", "(original record kept, {n} characters)").format(
                n=len(str(value))
            )
        )
    if type_ is FieldType.ACTIONS:
        rows = []
        for action in value:
            mark = "☑" if action.get("done") else "☐"
            extra = ", ".join(str(x) for x in (action.get("owner"), action.get("due")) if x)
            text = html.escape(str(action.get("action", "")))
            rows.append(f"<li>{mark} {text}" + (f" <i>({html.escape(extra)})</i>" if extra else "") + "</li>")
        return "<ul>" + "".join(rows) + "</ul>"
    return html.escape(str(value))


@dataclass(frozen=True)
class _Row:
    """One labelled row of connections ("Authors": two people)."""

    label: str
    links: list[LinkView]


#: Rows of what a record points at, in reading order: (relation, row label).
_OUTGOING: tuple[tuple[str, object], ...] = (  # object: the type QT_TRANSLATE_NOOP is stubbed with
    ("author", QT_TRANSLATE_NOOP("DetailView", "Authors")),
    ("participant", QT_TRANSLATE_NOOP("DetailView", "Participants")),
    ("facilitator", QT_TRANSLATE_NOOP("DetailView", "Facilitators")),
    ("member", QT_TRANSLATE_NOOP("DetailView", "Members")),
    ("in_community", QT_TRANSLATE_NOOP("DetailView", "Community")),
    ("answers", QT_TRANSLATE_NOOP("DetailView", "Answers the question")),
    ("asked_of", QT_TRANSLATE_NOOP("DetailView", "Asked of")),
    ("cites", QT_TRANSLATE_NOOP("DetailView", "Cites")),
    ("builds_on", QT_TRANSLATE_NOOP("DetailView", "Builds on")),
    ("about", QT_TRANSLATE_NOOP("DetailView", "About")),
    ("broader", QT_TRANSLATE_NOOP("DetailView", "Broader terms")),
    ("duplicate_of", QT_TRANSLATE_NOOP("DetailView", "Suspected duplicate of")),
    ("not_duplicate_of", QT_TRANSLATE_NOOP("DetailView", "Not a duplicate of")),
    ("revises", QT_TRANSLATE_NOOP("DetailView", "Proposed revision of")),
    ("requested_of", QT_TRANSLATE_NOOP("DetailView", "Asked for help")),
    ("regarding", QT_TRANSLATE_NOOP("DetailView", "About the draft")),
)


def _incoming_label(relation: str, source_kind: str, target_kind: Kind) -> str:
    """The row a backlink goes in, read from the record's side."""
    if target_kind is Kind.EXPERT:
        if relation == "author":
            return {"answer": "Answered", "question": "Asked"}.get(source_kind, "Wrote")
        expert_rows = {"participant": "Took part in", "facilitator": "Facilitates", "member": "Member of"}
        if relation in expert_rows:
            return expert_rows[relation]
    if relation == "in_community":
        return "Questions" if source_kind == "question" else "Shared in this community"
    labels = {
        "cites": "Cited by",
        "builds_on": "Applied in",
        "answers": "Answers",
        "about": "Tagged on",
        "broader": "Narrower terms",
        "duplicate_of": "Suspected duplicates",
        "not_duplicate_of": "Not a duplicate of",
        "revises": "Proposed revisions",
        "author": "Authored",
        "participant": "Took part in",
        "facilitator": "Facilitates",
        "member": "Member of",
        "asked_of": "Questions asked of them",
        "requested_of": "Requests for help",
        "regarding": "Requests about it",
    }
    return labels.get(relation, relation.replace("_", " ").capitalize())


#: The order of backlink rows; anything else follows.
_INCOMING_ORDER = (
    QT_TRANSLATE_NOOP("DetailView", "Wrote"),
    QT_TRANSLATE_NOOP("DetailView", "Took part in"),
    QT_TRANSLATE_NOOP("DetailView", "Answered"),
    QT_TRANSLATE_NOOP("DetailView", "Asked"),
    QT_TRANSLATE_NOOP("DetailView", "Questions asked of them"),
    QT_TRANSLATE_NOOP("DetailView", "Facilitates"),
    QT_TRANSLATE_NOOP("DetailView", "Member of"),
    QT_TRANSLATE_NOOP("DetailView", "Questions"),
    QT_TRANSLATE_NOOP("DetailView", "Shared in this community"),
    QT_TRANSLATE_NOOP("DetailView", "Answers"),
    QT_TRANSLATE_NOOP("DetailView", "Applied in"),
    QT_TRANSLATE_NOOP("DetailView", "Cited by"),
    QT_TRANSLATE_NOOP("DetailView", "Narrower terms"),
    QT_TRANSLATE_NOOP("DetailView", "Tagged on"),
    QT_TRANSLATE_NOOP("DetailView", "Authored"),
    QT_TRANSLATE_NOOP("DetailView", "Suspected duplicates"),
    QT_TRANSLATE_NOOP("DetailView", "Proposed revisions"),
    QT_TRANSLATE_NOOP("DetailView", "Requests for help"),
    QT_TRANSLATE_NOOP("DetailView", "Requests about it"),
)
#: Workflow statuses as the meta line shows them (marked here for the translation source).
_STATUS_LABELS = (
    QT_TRANSLATE_NOOP("DetailView", "Draft"),
    QT_TRANSLATE_NOOP("DetailView", "Submitted"),
    QT_TRANSLATE_NOOP("DetailView", "Published"),
    QT_TRANSLATE_NOOP("DetailView", "Returned"),
    QT_TRANSLATE_NOOP("DetailView", "Retired"),
)


def tag_targets(view: RecordView) -> dict[str, LinkView]:
    """Tags that name a vocabulary term in the profile (an "about" link with that label), by tag."""
    terms: dict[str, LinkView] = {}
    for link in view.links:
        if link.relation == "about" and link.exists and link.kind == Kind.TERM.value:
            terms.setdefault(link.title.casefold(), link)
            if link.replaces:  # a tag of a merged or retired term leads to its replacement
                terms.setdefault(link.replaces.casefold(), link)
    return {tag: terms[tag.casefold()] for tag in view.record.tags if tag.casefold() in terms}


def link_href(record_id: str, kind: str) -> str:
    """Where a link goes: a term opens in the Vocabulary page, any other record in the detail view."""
    scheme = TERM_SCHEME if kind == Kind.TERM.value else RECORD_SCHEME
    return f"{scheme}:{html.escape(record_id, quote=True)}"


def outgoing_rows(view: RecordView, shown_as_tags: Iterable[str] = ()) -> list[_Row]:
    """What the record points at, one row per relation (about-links already shown as tags left out)."""
    skip = set(shown_as_tags)
    rows = []
    for relation, label in _OUTGOING:
        links = [link for link in view.links if link.relation == relation and link.id not in skip]
        if links:
            rows.append(_Row(_t(str(label)), links))
    known = {relation for relation, _ in _OUTGOING}
    for link in view.links:
        if link.relation not in known:
            rows.append(_Row(_t(link.label.capitalize()), [link]))
    return rows


def incoming_rows(view: RecordView) -> list[_Row]:
    """What points at the record, grouped for reading (an expert: "Wrote", "Took part in", ...)."""
    groups: dict[str, list[LinkView]] = {}
    for link in view.backlinks:
        groups.setdefault(_incoming_label(link.relation, link.kind, view.record.kind), []).append(link)
    order = {label: i for i, label in enumerate(_INCOMING_ORDER)}
    labels = sorted(groups, key=lambda label: order.get(label, len(order)))
    return [_Row(_t(label), groups[label]) for label in labels]


#: Kinds a row label already names ("Authors" are people): no kind shown after each link.
_OBVIOUS_KINDS = {Kind.EXPERT.value, Kind.COMMUNITY.value, Kind.TERM.value}


def _link_html(link: LinkView, muted: str, show_kind: bool) -> str:
    if not link.exists:
        shown = html.escape(link.title or link.id[:8])
        missing = html.escape(QCoreApplication.translate("DetailView", "not in this profile"))
        return f"<span style='color:{muted}'>{shown} — {missing}</span>"
    name = html.escape(link.title or QCoreApplication.translate("DetailView", "(untitled)"))
    # The kind never wraps away from its title ("Site\nvisit"): non-breaking spaces inside it.
    kind_text = html.escape(kind_label(link.kind)).replace(" ", "&nbsp;")
    kind = f" <span style='color:{muted}'>{kind_text}</span>" if show_kind else ""
    return f"<a href='{link_href(link.id, link.kind)}'>{name}</a>{kind}"


def _rows_html(title: str, rows: Sequence[_Row], muted: str) -> str:
    if not rows:
        return ""
    parts = []
    for row in rows:
        cells = [_link_html(link, muted, link.kind not in _OBVIOUS_KINDS) for link in row.links[:LINKS_SHOWN]]
        more = len(row.links) - LINKS_SHOWN
        if more > 0:
            and_more = QCoreApplication.translate("DetailView", "and {n} more").format(n=more)
            cells.append(f"<span style='color:{muted}'>{html.escape(and_more)}</span>")
        parts.append(
            f"<tr><th align='left' valign='top' width='28%'>{html.escape(row.label)}</th>"
            f"<td>{'<br>'.join(cells)}</td></tr>"
        )
    return f"<h3>{html.escape(title)}</h3>{_TABLE}{''.join(parts)}</table>"


def _tags_html(view: RecordView, terms: dict[str, LinkView], muted: str) -> str:
    shown = []
    for tag in view.record.tags:
        term = terms.get(tag)
        if term is not None:
            text = f"<a href='{link_href(term.id, term.kind)}'>{html.escape(tag)}</a>"
            if tag.casefold() != term.title.casefold():
                now = QCoreApplication.translate("DetailView", "now “{term}”").format(term=term.title)
                text += f" <span style='color:{muted}'>({html.escape(now)})</span>"
            shown.append(text)
        else:
            shown.append(html.escape(tag))
    return ", ".join(shown)


def _source_html(view: RecordView) -> str:
    source = view.record.source
    if source is None:
        return ""
    lines = [html.escape(source.collection + (f" · {source.key}" if source.key else ""))]
    if source.url:
        url = html.escape(source.url, quote=True)
        lines.append(f"<a href='{url}'>{html.escape(source.url)}</a>")
    if source.licence:
        lines.append(
            html.escape(
                QCoreApplication.translate("DetailView", "Licence: {licence}").format(licence=source.licence)
            )
        )
    if source.attribution:
        lines.append(html.escape(source.attribution))
    lines.extend(html.escape(line) for line in _source_states(source.status))
    return (
        f"<h3>{html.escape(QCoreApplication.translate('DetailView', 'Source'))}</h3><p>"
        + "<br>".join(lines)
        + "</p>"
    )


def _source_states(status: dict[str, Any]) -> list[str]:
    """What the publisher says of the item (a librarian decides whether to retire it here)."""

    lines = []
    if status.get("withdrawn"):
        when = str(status.get("withdrawn_at") or "")[:10]
        why = str(status.get("withdrawn_explanation") or "")
        line = (
            QCoreApplication.translate("DetailView", "Withdrawn by its publisher on {date}").format(date=when)
            if when
            else QCoreApplication.translate("DetailView", "Withdrawn by its publisher")
        )
        lines.append(f"{line}: {why}" if why else line)
    if status.get("archived"):
        lines.append(QCoreApplication.translate("DetailView", "Archived by its publisher"))
    if status.get("draft"):
        lines.append(QCoreApplication.translate("DetailView", "A draft at its source (not published there)"))
    if status.get("expires"):
        lines.append(
            QCoreApplication.translate("DetailView", "Its publisher set it to expire on {date}").format(
                date=str(status["expires"])[:10]
            )
        )
    if status.get("phase"):
        lines.append(
            QCoreApplication.translate("DetailView", "Phase at its source: {phase}").format(
                phase=str(status["phase"])
            )
        )
    return lines


def _meta_line(view: RecordView, muted: str) -> str:
    record = view.record
    meta = [kind_label(record.kind), _t(record.status.value.capitalize())]
    if record.demo:
        meta.append(QCoreApplication.translate("DetailView", "Demo content"))
    if record.owner:
        meta.append(QCoreApplication.translate("DetailView", "Owner: {owner}").format(owner=record.owner))
    if record.updated_at:
        meta.append(
            QCoreApplication.translate("DetailView", "Updated {date}").format(date=record.updated_at[:10])
        )
    state = _sync_state_text(view.sync_state)
    if state:
        meta.append(state)
    return f"<p style='color:{muted}'>{html.escape(' · '.join(meta))}</p>"


def _sync_state_text(state: str) -> str:
    """How a record's sync state reads in its meta line ("" before the profile ever synced)."""
    if state.startswith("refused:"):
        reason = state.partition(":")[2].strip()
        return QCoreApplication.translate("DetailView", "Refused by the server: {why}").format(why=reason)
    texts = {
        "local": QCoreApplication.translate("DetailView", "Only on this computer"),
        "waiting": QCoreApplication.translate("DetailView", "Changes waiting to sync"),
        "synced": QCoreApplication.translate("DetailView", "Synced"),
        "conflict": QCoreApplication.translate("DetailView", "In conflict: see Sync ▸ Conflicts"),
    }
    return texts.get(state, "")


def accepted_answer_html(accepted: AcceptedAnswer, muted: str) -> str:
    """An accepted answer as a link to it: “how it starts” — who wrote it (never its id)."""
    if not accepted.exists:
        missing = QCoreApplication.translate("DetailView", "an answer not in this profile yet")
        return f"<span style='color:{muted}'>{html.escape(missing)}</span>"
    text = html.escape(accepted.excerpt or QCoreApplication.translate("DetailView", "(untitled)"))
    link = f"<a href='{RECORD_SCHEME}:{html.escape(accepted.id, quote=True)}'>“{text}”</a>"
    if not accepted.author:
        return link
    return f"{link} <span style='color:{muted}'>— {html.escape(accepted.author)}</span>"


def accepted_html(view: RecordView, muted: str) -> str:
    """A field set by accepting an answer, as what it means: on a question, a link to its accepted
    answer; on an answer, a mark when it is the accepted one ('' when there is nothing to say)."""
    accepted = view.accepted
    if accepted is None:
        return ""
    mark = f"<b style='color:{ACCEPTED_GREEN}'>✔</b> "
    if view.record.kind is Kind.QUESTION:
        return mark + accepted_answer_html(accepted, muted)
    return mark + html.escape(QCoreApplication.translate("DetailView", "This is the accepted answer"))


def _field_html(view: RecordView, spec: FieldSpec, value: Any, muted: str) -> str:
    """One field's value in the record view: fields set by an action as what they mean."""
    if spec.person:  # who accepted: worth saying only when it was not the asker
        shown = view.accepted is not None and value and value != view.record.owner
        return format_value(spec.type, value) if shown else ""
    return accepted_html(view, muted) if spec.by_action else format_value(spec.type, value)


def record_html(view: RecordView, palette: QPalette) -> str:
    """The whole record as HTML; every piece of record text is escaped."""
    record = view.record
    muted = muted_colour(palette)
    title = html.escape(record.title or QCoreApplication.translate("DetailView", "(untitled)"))
    parts = [f"<h2 style='margin-bottom:2px'>{title}</h2>", _meta_line(view, muted)]
    if record.kind is Kind.TERM and not record.deleted:  # found by a search: its place is the vocabulary
        where = html.escape(QCoreApplication.translate("DetailView", "Show it in the Vocabulary page"))
        parts.append(f"<p><a href='{link_href(record.id, Kind.TERM.value)}'>{where}</a></p>")
    rows = []
    for spec in field_specs(record.kind):
        if spec.name in ("title", "name") and spec.required:
            continue
        value = record.fields.get(spec.name)
        shown = _field_html(view, spec, value, muted)
        if shown:
            label = html.escape(QCoreApplication.translate("fields", spec.label))
            rows.append(f"<tr><th align='left' valign='top' width='28%'>{label}</th><td>{shown}</td></tr>")
    terms = tag_targets(view)
    if record.tags:
        tags_label = html.escape(QCoreApplication.translate("DetailView", "Tags"))
        tags = _tags_html(view, terms, muted)
        rows.append(f"<tr><th align='left' valign='top'>{tags_label}</th><td>{tags}</td></tr>")
    if rows:
        parts.append(_TABLE + "".join(rows) + "</table>")
    shown_as_tags = {link.id for link in terms.values()}
    parts.append(
        _rows_html(
            QCoreApplication.translate("DetailView", "Connections"), outgoing_rows(view, shown_as_tags), muted
        )
    )
    incoming_title = (
        QCoreApplication.translate("DetailView", "Work and communities")
        if record.kind is Kind.EXPERT
        else QCoreApplication.translate("DetailView", "What points here")
    )
    parts.append(_rows_html(incoming_title, incoming_rows(view), muted))
    parts.append(review_history_html(record, muted))
    parts.append(_source_html(view))
    return "".join(p for p in parts if p)
