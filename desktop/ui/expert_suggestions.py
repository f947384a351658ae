"""“People to ask about this” under a record: the expert finder run on the record's tags and title
(its own authors left out), computed off the GUI thread and cached by the session."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QPalette

from desktop.core.kinds import Kind
from desktop.ui.models import muted_colour
from desktop.ui.record_html import RECORD_SCHEME

if TYPE_CHECKING:
    from desktop.search import ExpertMatch
    from desktop.session import RecordView

#: Kinds whose pages suggest people to ask (not people, vocabulary terms or requests themselves).
_NO_SUGGESTIONS = frozenset({Kind.EXPERT, Kind.TERM, Kind.REQUEST})
#: Evidence titles listed per person.
_WHY_SHOWN = 2


def suggests_people(kind: Kind) -> bool:
    """Whether a record of ``kind`` gets "People to ask about this"."""
    return kind not in _NO_SUGGESTIONS


def suggestions_html(view: RecordView, people: list[ExpertMatch] | None, palette: QPalette) -> str:
    """The section's HTML ("" until the finder answered, or when it found nobody)."""
    if not people or not suggests_people(view.record.kind):
        return ""
    from desktop.ui.experts_view import evidence_label  # the finder's wording of evidence

    muted = muted_colour(palette)
    rows = []
    for person in people:
        name = html.escape(person.name or QCoreApplication.translate("DetailView", "(unnamed)"))
        where = html.escape(" · ".join(p for p in (person.organisation, person.district) if p))
        why = [e for e in person.evidence if e.record_id not in (person.id, view.record.id)][:_WHY_SHOWN]
        reasons = "; ".join(
            f"{html.escape(evidence_label(e.relation))} <a href='{RECORD_SCHEME}:{html.escape(e.record_id)}'>"
            f"{html.escape(e.title or QCoreApplication.translate('DetailView', '(untitled)'))}</a>"
            for e in why
        )
        if not reasons and any(e.record_id == person.id for e in person.evidence):
            reasons = html.escape(QCoreApplication.translate("DetailView", "lists it in their expertise"))
        offers = ""
        if person.availability:
            labels = {
                "advice": QCoreApplication.translate("DetailView", "advice"),
                "mentoring": QCoreApplication.translate("DetailView", "mentoring"),
                "peer_review": QCoreApplication.translate("DetailView", "peer review"),
            }
            available = QCoreApplication.translate("DetailView", "available for {offers}").format(
                offers=", ".join(labels.get(a, a) for a in person.availability)
            )
            offers = f" <b>{html.escape(available)}</b>"
        rows.append(
            f"<li><a href='{RECORD_SCHEME}:{html.escape(person.id)}'>{name}</a>"
            + (f" <span style='color:{muted}'>{where}</span>" if where else "")
            + offers
            + (f"<br><span style='color:{muted}'>{reasons}</span>" if reasons else "")
            + "</li>"
        )
    title = html.escape(QCoreApplication.translate("DetailView", "People to ask about this"))
    return f"<h3 style='margin-bottom:2px'>{title}</h3><ul style='margin-top:0'>{''.join(rows)}</ul>"
