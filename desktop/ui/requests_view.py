"""Peer learning on the Experts page: my availability (on my own profile), the requests made of me
(accept, decline, mark done with an outcome) and the requests I made, with their state."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.detail_view import RECORD_SCHEME
from desktop.ui.experts_view import availability_label
from desktop.ui.models import muted_colour
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.core.changes import Changes
    from desktop.expert_service import RequestsOverview, RequestSummary
    from desktop.session import Session

AVAILABILITY_CHOICES = ("advice", "mentoring", "peer_review")
#: ``respond:<state>:<request id>`` anchors under a request made of me.
RESPOND_SCHEME = "respond"


class AvailabilityBar(QWidget):
    """ "I am available for: advice, mentoring, peer review" toggles, saved on my expert profile."""

    changed = Signal(object)  # Changes

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None, *, compact: bool = False):
        super().__init__(parent)
        self.tasks = tasks
        self.session: Session | None = None
        self.compact = compact
        self.label = QLabel(self.tr("I am available for:"))
        self.boxes: dict[str, QCheckBox] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        for offer in AVAILABILITY_CHOICES:
            box = QCheckBox(availability_label(offer))
            box.setAccessibleName(self.tr("Available for {offer}").format(offer=availability_label(offer)))
            box.toggled.connect(lambda _on: self._save())
            self.boxes[offer] = box
            layout.addWidget(box)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setEnabled(False)  # greyed: an explanation, not a control
        self.note.setVisible(not compact)  # beside a record's actions there is no room to explain
        layout.addWidget(self.note, 1)
        self._loading = False

    def set_session(self, session: Session | None) -> None:
        """Read and save my profile in this session."""
        self.session = session

    def show_profile(self, offers: list[str] | None, name: str = "") -> None:
        """Show what my profile offers (None: I have no profile, so nothing can be toggled)."""
        self._loading = True
        for offer, box in self.boxes.items():
            box.setChecked(offers is not None and offer in offers)
            box.setEnabled(offers is not None)
        self._loading = False
        me = self.session.me() if self.session is not None else ""
        text = (
            self.tr("Shown on your profile, {name}, and in the expert finder.").format(name=name)
            if offers is not None
            else self.tr(
                "You have no expert profile yet: create one with your user name ({me}) as its handle."
            ).format(me=me)
        )
        self.note.setText(text)

    @property
    def offers(self) -> list[str]:
        """What is ticked."""
        return [offer for offer, box in self.boxes.items() if box.isChecked()]

    def _save(self) -> None:
        session = self.session
        if self._loading or session is None:
            return
        offers = self.offers
        self.tasks.write(
            lambda: session.experts.set_availability(offers),
            self.changed.emit,
            description="save availability",
        )


class RequestsView(QWidget):
    """My availability, the requests made of me and the ones I made (all from the local store)."""

    record_requested = Signal(str)
    records_changed = Signal(object)  # Changes
    overview_shown = Signal(object)  # RequestsOverview

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.session: Session | None = None
        self.overview: RequestsOverview | None = None
        self._generation = 0
        self.availability = AvailabilityBar(tasks)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName(self.tr("Requests"))
        self.browser.anchorClicked.connect(self._on_anchor_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.availability)
        layout.addWidget(self.browser, 1)
        self.availability.changed.connect(self._on_changed)

    def set_session(self, session: Session | None) -> None:
        """Read this session's requests (when refreshed)."""
        self.session = session
        self.availability.set_session(session)

    def refresh(self) -> None:
        """Read the requests again (off the GUI thread)."""
        session = self.session
        if session is None:
            return
        self._generation += 1
        generation = self._generation

        def done(overview: RequestsOverview) -> None:
            if generation != self._generation:
                return
            self.overview = overview
            profile = overview.profile
            offers = list(profile.fields.get("availability") or []) if profile is not None else None
            self.availability.show_profile(offers, profile.title if profile is not None else "")
            self._render()
            self.overview_shown.emit(overview)

        self.tasks.read(session.experts.overview, done, description="list requests")

    # -- rendering ---------------------------------------------------------------------------------

    def _render(self) -> None:
        overview = self.overview
        if overview is None:
            return
        muted = muted_colour(self.palette())
        parts = [f"<h2>{html.escape(self.tr('Requests made of me'))}</h2>"]
        if overview.incoming:
            parts.extend(self._request_html(r, muted) for r in overview.incoming)
        else:
            none = self.tr("None yet. Mark yourself available above, and requests reach you with a sync.")
            parts.append(f"<p style='color:{muted}'>{html.escape(none)}</p>")
        parts.append(f"<h2>{html.escape(self.tr('My requests'))}</h2>")
        if overview.outgoing:
            parts.extend(self._request_html(r, muted) for r in overview.outgoing)
        else:
            none = self.tr("None yet: ask for mentoring or a peer review from the expert finder.")
            parts.append(f"<p style='color:{muted}'>{html.escape(none)}</p>")
        self.browser.setHtml("".join(parts))

    def _request_html(self, request: RequestSummary, muted: str) -> str:
        kind = self._type_text(request.request_type)
        who = html.escape(request.other_name or self.tr("(someone)"))
        if request.other_id:
            who = f"<a href='{RECORD_SCHEME}:{html.escape(request.other_id)}'>{who}</a>"
        heading = (
            self.tr("{kind}, asked by {who}") if request.incoming else self.tr("{kind} from {who}")
        ).format(kind=html.escape(kind), who=who)
        state = html.escape(self._state_text(request.state))
        lines = [f"<p style='margin-top:10px; margin-bottom:0'><b>{heading}</b> — {state}"]
        lines.append(f" <span style='color:{muted}'>{html.escape(request.date[:10])}</span></p>")
        if request.regarding_id:
            title = html.escape(request.regarding_title or self.tr("(untitled)"))
            draft = self.tr("Draft:")
            lines.append(
                f"<p style='margin:0'>{html.escape(draft)} "
                f"<a href='{RECORD_SCHEME}:{html.escape(request.regarding_id)}'>{title}</a></p>"
            )
        if request.message:
            lines.append(f"<p style='margin:0'>“{html.escape(request.message)}”</p>")
        if request.outcome:
            outcome = self.tr("Outcome: {text}").format(text=request.outcome)
            lines.append(f"<p style='margin:0'><i>{html.escape(outcome)}</i></p>")
        if request.incoming:
            actions = {
                "open": (("accepted", self.tr("Accept")), ("declined", self.tr("Decline"))),
                "accepted": (("done", self.tr("Mark done…")),),
            }.get(request.state, ())
            links = [
                f"<a href='{RESPOND_SCHEME}:{state}:{html.escape(request.id)}'>{html.escape(text)}</a>"
                for state, text in actions
            ]
            if links:
                lines.append(
                    "<p style='margin-top:2px; margin-bottom:0'>" + " &nbsp;·&nbsp; ".join(links) + "</p>"
                )
        return "".join(lines)

    def _type_text(self, request_type: str) -> str:
        return {
            "advice": self.tr("Advice"),
            "mentoring": self.tr("Mentoring"),
            "peer_review": self.tr("Peer review"),
        }.get(request_type, request_type)

    def _state_text(self, state: str) -> str:
        return {
            "open": self.tr("waiting for an answer"),
            "accepted": self.tr("accepted"),
            "declined": self.tr("declined"),
            "done": self.tr("done"),
        }.get(state, state)

    # -- answering ---------------------------------------------------------------------------------

    def respond(self, request_id: str, state: str, outcome: str = "") -> None:
        """Accept, decline or complete a request made of me (on the write lane)."""
        session = self.session
        if session is None:
            return
        self.tasks.write(
            lambda: session.respond_to_request(request_id, state, outcome),
            self._on_changed,
            description="answer a request",
        )

    def _on_changed(self, changes: Changes) -> None:
        self.records_changed.emit(changes)
        self.refresh()

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == RECORD_SCHEME:
            self.record_requested.emit(url.path())
            return
        if url.scheme() != RESPOND_SCHEME:
            return
        state, _, request_id = url.path().partition(":")
        outcome = ""
        if state == "done":
            outcome, ok = QInputDialog.getMultiLineText(
                self, self.tr("Mark done"), self.tr("What came of it (the requester sees this):")
            )
            if not ok:
                return
        self.respond(request_id, state, outcome)
