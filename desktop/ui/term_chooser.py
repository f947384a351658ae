"""Choosing a vocabulary term by typing any of its labels: a completer fed off the GUI thread.

The session finds terms whose preferred or alternative labels contain the text typed
(:meth:`Session.find_terms`, on a reader thread); an alternative label is offered as
"public data → Open data", and choosing it chooses the term (its preferred label).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from desktop.core.vocabulary import TermMatch
from desktop.ui.tasks import TaskManager
from desktop.ui.vocabulary_tree import scheme_name

if TYPE_CHECKING:
    from desktop.session import Session

COMPLETE_AFTER_MS = 150
OFFERED = 12


def offered_text(match: TermMatch, *, with_scheme: bool = False) -> str:
    """How a found term reads in a completion list."""
    text = f"{match.matched} → {match.label}" if match.by_alternative else match.label
    return f"{text} ({scheme_name(match.scheme)})" if with_scheme else text


def offered_texts(matches: list[TermMatch]) -> list[tuple[str, TermMatch]]:
    """Each match with its completion text; the scheme is added where two would read the same."""
    plain = [offered_text(m) for m in matches]
    out: list[tuple[str, TermMatch]] = []
    seen: set[str] = set()
    for text, match in zip(plain, matches, strict=True):
        shown = offered_text(match, with_scheme=True) if plain.count(text) > 1 else text
        if shown.casefold() not in seen:
            seen.add(shown.casefold())
            out.append((shown, match))
    return out


def find_terms_later(
    tasks: TaskManager, session: Session, owner: QWidget
) -> Callable[[str, Callable[[list[TermMatch]], None]], None]:
    """``find(text, on_result)``: terms found on a reader thread, delivered while ``owner`` lives."""

    def find(text: str, on_result: Callable[[list[TermMatch]], None]) -> None:
        def deliver(found: list[TermMatch]) -> None:
            if shiboken6.isValid(owner):
                on_result(found)

        tasks.read(lambda: session.find_terms(text, limit=OFFERED), deliver, description="find terms")

    return find


class TermChooser(QLineEdit):
    """Type a label, pick a term. ``chosen`` carries the TermMatch (None when the text names no term)."""

    chosen = Signal(object)

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None, *, placeholder: str = ""):
        super().__init__(parent)
        self.tasks = tasks
        self.session: Session | None = None
        self.excluded: set[str] = set()
        self.match: TermMatch | None = None
        self._offered: dict[str, TermMatch] = {}
        self._asked = ""
        self.setPlaceholderText(placeholder or self.tr("Type a preferred or alternative label"))
        self.setClearButtonEnabled(True)
        self.list_model = QStringListModel(self)
        self.completer_ = QCompleter(self.list_model, self)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setMaxVisibleItems(10)
        self.completer_.setWidget(self)
        self.completer_.activated.connect(self._on_activated)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COMPLETE_AFTER_MS)
        self._timer.timeout.connect(self._look_up)
        self.textEdited.connect(self._on_text_edited)
        self.returnPressed.connect(self._on_return)

    def set_session(self, session: Session | None) -> None:
        """Find terms in this session."""
        self.session = session

    def _on_text_edited(self, _text: str) -> None:
        if self.match is not None:
            self.match = None
            self.chosen.emit(None)
        self._timer.start()

    def _look_up(self) -> None:
        text = self.text().strip()
        if not text or self.session is None:
            self._hide_popup()
            return
        self._asked = text
        find_terms_later(self.tasks, self.session, self)(text, lambda found: self._on_found(text, found))

    def _on_found(self, asked: str, found: list[TermMatch]) -> None:
        if asked != self._asked or asked != self.text().strip():
            return  # typed on: a newer answer is coming
        offered = offered_texts([m for m in found if m.id not in self.excluded])
        self._offered = dict(offered)
        self.list_model.setStringList([text for text, _ in offered])
        if offered and self.hasFocus():
            self.completer_.complete()

    def _on_activated(self, text: str) -> None:
        match = self._offered.get(text)
        if match is not None:
            self.choose(match)

    def _on_return(self) -> None:
        popup = self.completer_.popup()
        if popup is not None and popup.isVisible() and popup.currentIndex().isValid():
            return  # the completer's activation chooses the highlighted one
        typed = " ".join(self.text().split()).casefold()
        exact = [m for m in self._offered.values() if typed in (m.label.casefold(), m.matched.casefold())]
        if exact:
            self.choose(exact[0])

    def choose(self, match: TermMatch) -> None:
        """Choose a term (what picking it in the list does): the box shows its preferred label."""
        self.match = match
        self.setText(match.label)
        self._hide_popup()
        self.chosen.emit(match)

    def _hide_popup(self) -> None:
        popup = self.completer_.popup()
        if popup is not None:
            popup.hide()

    def offered(self) -> list[str]:
        """The completion texts offered for the text typed (for tests and the tour)."""
        return list(self.list_model.stringList())
