"""“Who knows about <topic>?”: people ranked by evidence, each piece of evidence clickable."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from desktop.ui.detail_view import RECORD_SCHEME
from desktop.ui.models import kind_label, muted_colour
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:  # Whoosh and SQLAlchemy load with the profile, after the window shows
    from desktop.search import ExpertMatch
    from desktop.session import Session

EXPERT_LIMIT = 10
EVIDENCE_SHOWN = 6


class ExpertsView(QWidget):
    """Runs ``session.find_experts`` off the GUI thread and lists the people with their evidence."""

    record_requested = Signal(str)
    experts_shown = Signal(list)

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.session: Session | None = None
        self.topic = ""
        self.experts: list[ExpertMatch] = []
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

    def find_experts(self, topic: str) -> None:
        """Ask who knows about ``topic`` and show the answer when it comes."""
        session = self.session
        topic = topic.strip()
        if session is None or not topic:
            return
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
            lambda: session.find_experts(topic, limit=EXPERT_LIMIT), done, description="find experts"
        )

    def _render(self) -> None:
        muted = muted_colour(self.palette())
        title = self.tr("Who knows about “{topic}”?").format(topic=self.topic)
        parts = [f"<h1>{html.escape(title)}</h1>"]
        if not self.experts:
            nobody = self.tr("No one yet: nobody has written or worked on this topic in this profile.")
            parts.append(f"<p style='color:{muted}'>{html.escape(nobody)}</p>")
        best = max((e.score for e in self.experts), default=1.0) or 1.0
        for rank, expert in enumerate(self.experts, start=1):
            strength = round(5 * expert.score / best)
            stars = "●" * strength + "○" * (5 - strength)
            name = html.escape(expert.name or self.tr("(unnamed)"))
            org = html.escape(expert.organisation)
            parts.append(
                f"<h3>{rank}. <a href='{RECORD_SCHEME}:{html.escape(expert.id)}'>{name}</a>"
                f" <span style='color:{muted}; font-weight:normal'>{stars}</span></h3>"
            )
            if org:
                parts.append(f"<p style='color:{muted}; margin-top:0'>{org}</p>")
            items = []
            if any(e.record_id == expert.id for e in expert.evidence):
                # Their own profile is evidence too, but a link to the page they are on says nothing.
                own = self.tr("profile: lists this topic in their expertise")
                items.append(f"<li>{html.escape(own)}</li>")
            evidence_list = [e for e in expert.evidence if e.record_id != expert.id]
            for evidence in evidence_list[:EVIDENCE_SHOWN]:
                relation = html.escape(self.tr(evidence.relation.replace("_", " ")))
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
                parts.append("<ul style='margin-top:0'>" + "".join(items) + "</ul>")
        self.browser.setHtml("".join(parts))

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == RECORD_SCHEME:
            self.record_requested.emit(url.path())
