"""The community page and a question's thread as HTML for a QTextBrowser (plain text escaped).

Links: ``record:<id>`` opens a record, ``question:<id>`` a question's thread, ``accept:<id>``
accepts an answer (or accepts it instead of the accepted one), ``withdraw:<question id>``
withdraws the acceptance; both offered to the asker and to librarians, as the server allows.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QPalette

from desktop.core.kinds import FieldType
from desktop.ui.models import kind_label, muted_colour
from desktop.ui.moments import moment_text
from desktop.ui.record_html import ACCEPTED_GREEN, accepted_answer_html, format_value

if TYPE_CHECKING:
    from desktop.community_service import CommunityOverview, Person, Thread

QUESTION_SCHEME, ACCEPT_SCHEME, WITHDRAW_SCHEME = "question", "accept", "withdraw"
_GREEN = ACCEPTED_GREEN


#: Texts used inside the HTML (marked for lupdate here; looked up by their source text).
_TEXTS = (
    QT_TRANSLATE_NOOP("CommunityView", "How to join"),
    QT_TRANSLATE_NOOP("CommunityView", "People"),
    QT_TRANSLATE_NOOP("CommunityView", "Facilitators"),
    QT_TRANSLATE_NOOP("CommunityView", "Members"),
    QT_TRANSLATE_NOOP("CommunityView", "Accounts on the server"),
    QT_TRANSLATE_NOOP("CommunityView", "none"),
    QT_TRANSLATE_NOOP("CommunityView", "Questions"),
    QT_TRANSLATE_NOOP("CommunityView", "answered"),
    QT_TRANSLATE_NOOP("CommunityView", "No questions yet. Ask the community one."),
    QT_TRANSLATE_NOOP("CommunityView", "Knowledge"),
    QT_TRANSLATE_NOOP("CommunityView", "Nothing published here yet."),
    QT_TRANSLATE_NOOP("CommunityView", "Its experts"),
    QT_TRANSLATE_NOOP("CommunityView", "Recent activity"),
    QT_TRANSLATE_NOOP("CommunityView", "No activity yet."),
    QT_TRANSLATE_NOOP("CommunityView", "Accepted answer"),
    QT_TRANSLATE_NOOP("CommunityView", "Accept this answer"),
    QT_TRANSLATE_NOOP("CommunityView", "Accept this instead"),
    QT_TRANSLATE_NOOP("CommunityView", "Withdraw acceptance"),
    QT_TRANSLATE_NOOP(
        "CommunityView", "The accepted answer is not in this profile (deleted, or not synced yet)."
    ),
    QT_TRANSLATE_NOOP("CommunityView", "as librarian"),
    QT_TRANSLATE_NOOP("CommunityView", "None named"),
    QT_TRANSLATE_NOOP("CommunityView", "{n} published here or on its topics"),
    QT_TRANSLATE_NOOP("CommunityView", "(untitled)"),
)


def _tx(text: str) -> str:
    """A text of :data:`_TEXTS`, translated."""
    return QCoreApplication.translate("CommunityView", text)


def _x(text: str) -> str:
    """A text of :data:`_TEXTS`, translated and escaped for HTML."""
    return html.escape(_tx(text))


def _day(stamp: str) -> str:
    return html.escape(stamp[:10])


def _people(people: list[Person], muted: str, empty: str) -> str:
    if not people:
        return f"<span style='color:{muted}'>{html.escape(empty)}</span>"
    items = []
    for person in people:
        name = html.escape(
            person.name or QCoreApplication.translate("CommunityView", "(profile not in this profile)")
        )
        why = f" <span style='color:{muted}'>— {html.escape(person.why)}</span>" if person.why else ""
        items.append(f"<a href='record:{person.profile_id}'>{name}</a>{why}")
    return "<br>".join(items)


_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _excerpt(text: str, limit: int = 600) -> str:
    """The purpose up to its first heading, Markdown links as their text, at most ``limit``
    characters (the record view has all of it)."""
    lines: list[str] = []
    for line in text.strip().splitlines():
        if line.lstrip().startswith("#") and lines:
            break
        lines.append(line)
    text = _MD_LINK.sub(r"\1", "\n".join(lines)).strip()
    if len(text) <= limit:
        return text
    cut = text.rfind("\n\n", 0, limit)
    return (text[:cut] if cut > 200 else text[:limit].rsplit(" ", 1)[0]) + " …"


def community_html(overview: CommunityOverview, palette: QPalette) -> str:
    """The community page."""
    muted = muted_colour(palette)
    record = overview.record
    fields = record.fields
    parts = [f"<h2>{html.escape(record.title)}</h2>"]
    meta = [html.escape(str(fields.get("service_area") or ""))] if fields.get("service_area") else []
    if record.tags:
        meta.append(html.escape(", ".join(record.tags)))
    if fields.get("expires"):
        meta.append(
            html.escape(
                QCoreApplication.translate("CommunityView", "archived on {day}").format(
                    day=str(fields["expires"])[:10]
                )
            )
        )
    role = overview.my_role
    meta.append(
        html.escape(
            QCoreApplication.translate("CommunityView", "You are a facilitator")
            if role == "facilitator"
            else QCoreApplication.translate("CommunityView", "You are a member")
            if role == "member"
            else QCoreApplication.translate("CommunityView", "You are not a member")
            if role == ""
            else QCoreApplication.translate(
                "CommunityView", "Membership not known yet (sign in and open this page online)"
            )
        )
    )
    parts.append(f"<p style='color:{muted}'>{' · '.join(m for m in meta if m)}</p>")
    purpose = format_value(FieldType.LONGTEXT, _excerpt(str(fields.get("purpose") or "")))
    if purpose:
        parts.append(purpose)
    if fields.get("contact"):
        parts.append(f"<p><b>{_x('How to join')}:</b> {html.escape(str(fields['contact']))}</p>")

    parts.append(f"<h3>{_x('People')}</h3><table width='100%' cellpadding='3'>")
    parts.append(
        f"<tr><th align='left' valign='top' width='26%'>{_x('Facilitators')}</th>"
        f"<td>{_people(overview.facilitators, muted, _tx('None named'))}</td></tr>"
    )
    if overview.members:
        parts.append(
            f"<tr><th align='left' valign='top'>{_x('Members')}</th>"
            f"<td>{_people(overview.members, muted, '')}</td></tr>"
        )
    if overview.server_members is not None:
        facilitator = " (" + html.escape(QCoreApplication.translate("CommunityView", "facilitator")) + ")"
        accounts = ", ".join(
            html.escape(user) + (facilitator if role == "facilitator" else "")
            for user, role in sorted(overview.server_members.items())
        )
        when = QCoreApplication.translate("CommunityView", "as of {day}").format(
            day=moment_text(overview.fetched_at)
        )
        parts.append(
            f"<tr><th align='left' valign='top'>{_x('Accounts on the server')}</th>"
            f"<td>{accounts or _x('none')} "
            f"<span style='color:{muted}'>({html.escape(when)})</span></td></tr>"
        )
    parts.append("</table>")

    open_questions = overview.open_questions
    counts = QCoreApplication.translate("CommunityView", "{open} open of {n}").format(
        open=len(open_questions), n=len(overview.questions)
    )
    parts.append(f"<h3>{_x('Questions')} <span style='color:{muted}'>({html.escape(counts)})</span></h3>")
    if overview.questions:
        rows = []
        ordered = sorted(overview.questions, key=lambda q: q.accepted)  # open ones first, newest first
        for question in ordered[:15]:
            answers = (
                QCoreApplication.translate("CommunityView", "no answer yet")
                if question.answers == 0
                else QCoreApplication.translate("CommunityView", "1 answer")
                if question.answers == 1
                else QCoreApplication.translate("CommunityView", "{n} answers").format(n=question.answers)
            )
            done = f"<b style='color:{_GREEN}'>✔ {_x('answered')}</b> " if question.accepted else ""
            accepted = ""
            if question.accepted_answer is not None:
                accepted = (
                    f"<br><span style='color:{muted}'>{_x('Accepted answer')}:</span> "
                    f"{accepted_answer_html(question.accepted_answer, muted)}"
                )
            rows.append(
                f"<li>{done}<a href='{QUESTION_SCHEME}:{question.id}'>{html.escape(question.title)}</a> "
                f"<span style='color:{muted}'>— {html.escape(question.owner)}, "
                f"{html.escape(answers)}</span>{accepted}</li>"
            )
        parts.append("<ul>" + "".join(rows) + "</ul>")
    else:
        parts.append(f"<p style='color:{muted}'>{_x('No questions yet. Ask the community one.')}</p>")

    count = _tx("{n} published here or on its topics").format(n=f"{overview.knowledge_count:,}")
    parts.append(
        f"<h3><a name='knowledge'></a>{_x('Knowledge')} "
        f"<span style='color:{muted}'>({html.escape(count)})</span></h3>"
    )
    if overview.knowledge:
        rows = [
            f"<li><a href='record:{item.id}'>{html.escape(item.title or _tx('(untitled)'))}</a> "
            f"<span style='color:{muted}'>{html.escape(kind_label(item.kind))}"
            f"{', ' + _day(item.date) if item.date else ''}</span></li>"
            for item in overview.knowledge
        ]
        parts.append("<ul>" + "".join(rows) + "</ul>")
    else:
        parts.append(f"<p style='color:{muted}'>{_x('Nothing published here yet.')}</p>")

    parts.append(f"<h3>{_x('Its experts')}</h3>")
    no_experts = QCoreApplication.translate(
        "CommunityView", "No one with evidence on its topics in this profile yet."
    )
    parts.append(f"<p>{_people(overview.experts, muted, no_experts)}</p>")

    parts.append(f"<h3>{_x('Recent activity')}</h3>")
    if overview.activity:
        rows = [
            f"<li>{_day(item.updated_at)} — <a href='record:{item.id}'>"
            f"{html.escape(item.title or _tx('(untitled)'))}</a> "
            f"<span style='color:{muted}'>{html.escape(kind_label(item.kind))}</span></li>"
            for item in overview.activity
        ]
        parts.append("<ul>" + "".join(rows) + "</ul>")
    else:
        parts.append(f"<p style='color:{muted}'>{_x('No activity yet.')}</p>")
    return "".join(parts)


def _tint(palette: QPalette) -> str:
    """A light green blended into the page's base colour (legible in light and dark palettes)."""
    base = palette.color(QPalette.ColorRole.Base)
    mix = 0.16
    r = round(0x1B * mix + base.red() * (1 - mix))
    g = round(0x7F * mix + base.green() * (1 - mix))
    b = round(0x3B * mix + base.blue() * (1 - mix))
    return f"#{r:02x}{g:02x}{b:02x}"


def thread_html(thread: Thread, palette: QPalette) -> str:
    """A question with its answers, the accepted one first and marked."""
    muted = muted_colour(palette)
    question = thread.question
    parts = [f"<h2>{html.escape(question.title)}</h2>"]
    where = []
    if thread.community is not None:
        where.append(
            QCoreApplication.translate("CommunityView", "in {community}").format(
                community=f"<a href='record:{thread.community.id}'>{html.escape(thread.community.title)}</a>"
            )
        )
    if thread.asked_of:
        names = ", ".join(
            f"<a href='record:{p.profile_id}'>{html.escape(p.name or p.user or '?')}</a>"
            for p in thread.asked_of
        )
        where.append(QCoreApplication.translate("CommunityView", "asked of {names}").format(names=names))
    asked = QCoreApplication.translate("CommunityView", "Asked by {who} on {day}").format(
        who=html.escape(question.owner), day=_day(str(question.fields.get("date") or question.created_at))
    )
    parts.append(f"<p style='color:{muted}'>{asked} {' · '.join(where)}</p>")
    body = format_value(FieldType.LONGTEXT, str(question.fields.get("body") or ""))
    if body:
        parts.append(body)
    answers = sorted(thread.answers, key=lambda a: (a.id != thread.accepted_id, a.created_at))
    count = len(answers)
    heading = (
        QCoreApplication.translate("CommunityView", "No answers yet")
        if count == 0
        else QCoreApplication.translate("CommunityView", "1 answer")
        if count == 1
        else QCoreApplication.translate("CommunityView", "{n} answers")
    )
    parts.append(f"<h3>{html.escape(heading.format(n=count))}</h3>")
    if thread.accepted_id and not thread.accepted_here:
        missing = _x("The accepted answer is not in this profile (deleted, or not synced yet).")
        parts.append(f"<p style='color:{muted}'>{missing}{_acceptance_action(thread, '', muted)}</p>")
    tint = _tint(palette)
    for number, answer in enumerate(answers):
        accepted = answer.id == thread.accepted_id
        mark = f"<b style='color:{_GREEN}'>✔ {_x('Accepted answer')}</b>" if accepted else ""
        byline = QCoreApplication.translate("CommunityView", "{who}, {day}").format(
            who=html.escape(thread.authors.get(answer.id) or answer.owner),
            day=_day(str(answer.fields.get("date") or answer.created_at)),
        )
        action = _acceptance_action(thread, answer.id, muted)
        background = f" bgcolor='{tint}'" if accepted else ""
        if number and not accepted:
            parts.append("<hr>")
        parts.append(
            f"<table width='100%' cellpadding='8' cellspacing='0'{background}><tr><td>"
            f"{mark}{format_value(FieldType.LONGTEXT, str(answer.fields.get('body') or ''))}"
            f"<p style='color:{muted}'>{byline}{action}</p></td></tr></table>"
        )
    return "".join(parts)


def _acceptance_action(thread: Thread, answer_id: str, muted: str) -> str:
    """The link under an answer for those who may change the accepted one ('' for others):
    accept it, accept it instead of the accepted one, or (on the accepted one, or with no
    answer id when the accepted answer is not here) withdraw the acceptance."""
    if not thread.may_accept:
        return ""
    if not answer_id or answer_id == thread.accepted_id:
        href, text = f"{WITHDRAW_SCHEME}:{thread.question.id}", _x("Withdraw acceptance")
    else:
        href = f"{ACCEPT_SCHEME}:{answer_id}"
        text = _x("Accept this instead") if thread.accepted_id else _x("Accept this answer")
    action = f" · <a href='{href}'>{text}</a>"
    if not thread.mine:
        action += f" <span style='color:{muted}'>({_x('as librarian')})</span>"
    return action
