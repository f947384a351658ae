"""A record's review history as the detail view shows it: "Submitted by A on …", "Returned by B on …: why".

The entries are the record's ``fields["review_log"]`` (desktop/core/review.py); every
piece of their text is escaped before it is placed.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop.core.records import Record
from desktop.core.review import ReviewAction, ReviewEntry, review_log
from desktop.ui.moments import moment_text

_CONTEXT = "ReviewHistory"
#: How each entry reads ("{who}" and "{when}" filled in).
ENTRY_TEXTS: dict[ReviewAction, object] = {  # object: the type QT_TRANSLATE_NOOP is stubbed with
    ReviewAction.SUBMITTED: QT_TRANSLATE_NOOP("ReviewHistory", "Submitted by {who} on {when}"),
    ReviewAction.PUBLISHED: QT_TRANSLATE_NOOP("ReviewHistory", "Published by {who} on {when}"),
    ReviewAction.RETURNED: QT_TRANSLATE_NOOP("ReviewHistory", "Returned by {who} on {when}"),
    ReviewAction.RETIRED: QT_TRANSLATE_NOOP("ReviewHistory", "Retired by {who} on {when}"),
    ReviewAction.REOPENED: QT_TRANSLATE_NOOP("ReviewHistory", "Reopened by {who} on {when}"),
}


def _t(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def entry_text(entry: ReviewEntry) -> str:
    """One entry as a sentence (plain text): "Returned by lib on 2 December 2026, 10:00: add the costs"."""
    text = _t(str(ENTRY_TEXTS[entry.action])).format(who=entry.by or "?", when=moment_text(entry.at))
    return f"{text}: {entry.comment}" if entry.comment else text


def review_history_html(record: Record, muted: str) -> str:
    """The "Review history" section of a record ("" when it has none), newest last."""
    entries = review_log(record)
    if not entries:
        return ""
    lines = []
    for entry in entries:
        head = _t(str(ENTRY_TEXTS[entry.action])).format(who=entry.by or "?", when=moment_text(entry.at))
        line = html.escape(head)
        if entry.comment:
            comment = html.escape(entry.comment).replace("\n", "<br>")
            line += f":<br><span style='margin-left:12px'>“{comment}”</span>"
        lines.append(f"<li>{line}</li>")
    title = html.escape(QCoreApplication.translate("ReviewHistory", "Review history"))
    return f"<h3>{title}</h3><ul>{''.join(lines)}</ul>"
