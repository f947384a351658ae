"""“Who knows about <topic>?”: people ranked by evidence, each piece of evidence clickable."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from desktop.ui.detail_view import RECORD_SCHEME
from desktop.ui.models import kind_label, muted_colour
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:  # Whoosh and SQLAlchemy load with the profile, after the window shows
    from desktop.search import ExpertFilters, ExpertMatch
    from desktop.session import Session

EXPERT_LIMIT = 10
EVIDENCE_SHOWN = 6
#: Anchors of the actions under each person: ``ask:<id>``, ``request:<type>:<id>``.
ASK_SCHEME = "ask"
REQUEST_SCHEME = "request"


def evidence_label(relation: str) -> str:
    """How one kind of evidence reads in a list ("authored", "reviewed", ...)."""
    labels = {
        "profile": QCoreApplication.translate("ExpertsView", "profile"),
        "author": QCoreApplication.translate("ExpertsView", "authored"),
        "reviewed": QCoreApplication.translate("ExpertsView", "reviewed"),
        "participant": QCoreApplication.translate("ExpertsView", "took part in"),
        "facilitator": QCoreApplication.translate("ExpertsView", "facilitates"),
        "accepted_answer": QCoreApplication.translate("ExpertsView", "accepted answer to"),
        "answered": QCoreApplication.translate("ExpertsView", "answered"),
    }
    return labels.get(relation, relation.replace("_", " "))


def availability_label(offer: str) -> str:
    """``advice``, ``mentoring``, ``peer_review`` as a person reads them."""
    labels = {
        "advice": QCoreApplication.translate("ExpertsView", "advice"),
        "mentoring": QCoreApplication.translate("ExpertsView", "mentoring"),
        "peer_review": QCoreApplication.translate("ExpertsView", "peer review"),
    }
    return labels.get(offer, offer.replace("_", " "))


class ExpertsView(QWidget):
    """Runs ``session.find_experts`` off the GUI thread and lists the people with their evidence."""

    record_requested = Signal(str)
    experts_shown = Signal(list)
    ask_requested = Signal(object)  # ExpertMatch: ask them a question
    help_requested = Signal(object, str)  # ExpertMatch, request type (advice, mentoring, peer_review)

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.session: Session | None = None
        self.topic = ""
        self.experts: list[ExpertMatch] = []
        self.filters: ExpertFilters | None = None
        #: Show "Ask" and "Request …" under each person (the Experts page; not beside search results).
        self.show_actions = False
        self._generation = 0
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName(self.tr("Experts"))
        self.browser.anchorClicked.connect(self._on_anchor_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)

    def set_session(self, session: Session | None) -> None:
        """Ask this session from now on."""
        self.session = session

    def find_experts(self, topic: str, filters: ExpertFilters | None = None, term_id: str = "") -> None:
        """Ask who knows about ``topic`` (or the vocabulary term ``term_id``) among the people passing
        ``filters``, and show the answer when it comes."""
        session = self.session
        topic = topic.strip()
        if session is None or not (topic or term_id):
            return
        self.filters = filters
        self._generation += 1
        generation = self._generation
        self.topic = topic
        self.browser.setHtml(
            "<p>"
            + html.escape(self.tr("Looking for people who know about “{topic}”…").format(topic=topic))
            + "</p>"
        )

        def done(experts: list[ExpertMatch]) -> None:
            if generation == self._generation:
                self.experts = list(experts)
                self._render()
                self.experts_shown.emit(self.experts)

        self.tasks.read(
            lambda: session.find_experts(topic, limit=EXPERT_LIMIT, filters=filters, term_id=term_id),
            done,
            description="find experts",
        )

    def _render(self) -> None:
        muted = muted_colour(self.palette())
        title = self.tr("Who knows about “{topic}”?").format(topic=self.topic)
        parts = [f"<h1>{html.escape(title)}</h1>"]
        if not self.experts:
            filtered = self.filters is not None and any(
                (self.filters.district, self.filters.organisation, self.filters.available)
            )
            nobody = (
                self.tr("No one who passes the filters: try fewer.")
                if filtered
                else self.tr("No one yet: nobody has written or worked on this topic in this profile.")
            )
            parts.append(f"<p style='color:{muted}'>{html.escape(nobody)}</p>")
        best = max((e.score for e in self.experts), default=1.0) or 1.0
        for rank, expert in enumerate(self.experts, start=1):
            strength = round(5 * expert.score / best)
            stars = "●" * strength + "○" * (5 - strength)
            name = html.escape(expert.name or self.tr("(unnamed)"))
            parts.append(
                f"<h3>{rank}. <a href='{RECORD_SCHEME}:{html.escape(expert.id)}'>{name}</a>"
                f" <span style='color:{muted}; font-weight:normal'>{stars}</span></h3>"
            )
            where = " · ".join(html.escape(p) for p in (expert.organisation, expert.district) if p)
            if where:
                parts.append(f"<p style='color:{muted}; margin-top:0; margin-bottom:2px'>{where}</p>")
            if expert.availability:
                offers = ", ".join(availability_label(a) for a in expert.availability)
                available = self.tr("Available for {offers}").format(offers=offers)
                parts.append(
                    f"<p style='margin-top:0; margin-bottom:2px'><b>{html.escape(available)}</b></p>"
                )
            items = []
            if any(e.record_id == expert.id for e in expert.evidence):
                # Their own profile is evidence too, but a link to the page they are on says nothing.
                own = self.tr("profile: lists this topic in their expertise")
                items.append(f"<li>{html.escape(own)}</li>")
            evidence_list = [e for e in expert.evidence if e.record_id != expert.id]
            for evidence in evidence_list[:EVIDENCE_SHOWN]:
                relation = html.escape(evidence_label(evidence.relation))
                items.append(
                    f"<li>{relation}: <a href='{RECORD_SCHEME}:{html.escape(evidence.record_id)}'>"
                    f"{html.escape(evidence.title or self.tr('(untitled)'))}</a>"
                    f" <span style='color:{muted}'>{html.escape(kind_label(evidence.kind))}</span></li>"
                )
            more = len(evidence_list) - EVIDENCE_SHOWN
            if more > 0:
                items.append(
                    f"<li style='color:{muted}'>{html.escape(self.tr('and {n} more').format(n=more))}</li>"
                )
            if items:
                parts.append("<ul style='margin-top:0; margin-bottom:2px'>" + "".join(items) + "</ul>")
            if self.show_actions:
                parts.append(self._actions_html(expert, muted))
        self.browser.setHtml("".join(parts))

    def _actions_html(self, expert: ExpertMatch, muted: str) -> str:
        """One-click "Ask" and "Request …" links (requests only for what they offer, when they say)."""
        if not expert.handle:
            note = self.tr("Not on the sync server yet: they cannot be asked from here.")
            return f"<p style='color:{muted}; margin-top:0'>{html.escape(note)}</p>"
        person = html.escape(expert.id)
        links = [f"<a href='{ASK_SCHEME}:{person}'>{html.escape(self.tr('Ask a question'))}</a>"]
        offers = expert.availability or ["advice", "mentoring", "peer_review"]
        texts = {
            "advice": self.tr("Ask for advice"),
            "mentoring": self.tr("Request mentoring"),
            "peer_review": self.tr("Request a peer review"),
        }
        for offer in offers:
            links.append(f"<a href='{REQUEST_SCHEME}:{offer}:{person}'>{html.escape(texts[offer])}</a>")
        return "<p style='margin-top:0'>" + " &nbsp;·&nbsp; ".join(links) + "</p>"

    def _on_anchor_clicked(self, url: QUrl) -> None:
        scheme, path = url.scheme(), url.path()
        if scheme == RECORD_SCHEME:
            self.record_requested.emit(path)
            return
        if scheme == ASK_SCHEME:
            expert = self._expert(path)
            if expert is not None:
                self.ask_requested.emit(expert)
        elif scheme == REQUEST_SCHEME:
            request_type, _, person = path.partition(":")
            expert = self._expert(person)
            if expert is not None:
                self.help_requested.emit(expert, request_type)

    def _expert(self, person_id: str) -> ExpertMatch | None:
        return next((e for e in self.experts if e.id == person_id), None)
