"""The expert finder screen: a topic (free text, or a vocabulary term picked as you type), filters
by district, organisation and availability, the people ranked with their evidence, and the record
behind a piece of evidence beside them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.core.kinds import Kind
from desktop.ui.detail_view import DetailView
from desktop.ui.editors.pickers import COMPLETE_AFTER_MS, session_lookup
from desktop.ui.experts_view import ExpertsView, availability_label
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.search import ExpertFilters
    from desktop.session import Session

AVAILABILITY_CHOICES = ("advice", "mentoring", "peer_review")


class ExpertFinderPanel(QWidget):
    """Topic and filters on top; the ranked people, and the record a piece of evidence is, below."""

    ask_requested = Signal(object)  # ExpertMatch
    help_requested = Signal(object, str)  # ExpertMatch, request type

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.session: Session | None = None
        self.term_id = ""
        self._terms: dict[str, str] = {}  # completion label -> term id
        self._choices_loaded = False

        self.topic_edit = QLineEdit()
        self.topic_edit.setPlaceholderText(self.tr("A topic, or a vocabulary term as you type it"))
        self.topic_edit.setAccessibleName(self.tr("Who knows about this topic?"))
        self.topic_edit.setClearButtonEnabled(True)
        self.topic_label = QLabel(self.tr("Who knows about:"))
        self.topic_label.setBuddy(self.topic_edit)
        self.terms_model = QStringListModel(self)
        self.completer = QCompleter(self.terms_model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # Terms found by an alternative label do not start with what was typed: show them all.
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setWidget(self.topic_edit)
        self.completer.activated.connect(self._on_term_chosen)
        self.find_button = QPushButton(self.tr("Find"))
        self.find_button.setAccessibleName(self.tr("Find experts"))
        self.find_button.setDefault(True)

        self.district_box = self._combo(self.tr("District"), self.tr("Any district"))
        self.organisation_box = self._combo(self.tr("Organisation"), self.tr("Any organisation"))
        self.organisation_box.setMinimumContentsLength(24)
        self.organisation_box.setMaximumWidth(360)  # some organisation names run to a sentence
        self.available_box = self._combo(self.tr("Available for"), self.tr("Available for anything"))
        for offer in AVAILABILITY_CHOICES:
            self.available_box.addItem(
                self.tr("Available for {offer}").format(offer=availability_label(offer)), offer
            )

        self.results = ExpertsView(tasks)
        self.results.show_actions = True
        self.results.browser.setHtml(
            "<p>"
            + self.tr(
                "Type a topic and press Enter. People are ranked by what connects them to it: their "
                "profile, what they wrote or reviewed, site visits they took part in, and their "
                "accepted answers."
            )
            + "</p>"
        )
        self.detail = DetailView(tasks, placeholder=self.tr("Choose a piece of evidence to see it here."))
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.results)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([640, 480])

        top = QHBoxLayout()
        top.addWidget(self.topic_label)
        top.addWidget(self.topic_edit, 1)
        top.addWidget(self.find_button)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Only:")))
        for box in (self.district_box, self.organisation_box, self.available_box):
            filters.addWidget(box)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COMPLETE_AFTER_MS)
        self._timer.timeout.connect(self._complete)
        self.topic_edit.textEdited.connect(self._on_text_edited)
        self.topic_edit.returnPressed.connect(self._on_return_pressed)
        self.find_button.clicked.connect(lambda: self.find_people())
        for box in (self.district_box, self.organisation_box, self.available_box):
            box.activated.connect(lambda _index: self._refind())
        self.results.record_requested.connect(self.detail.open_record)
        self.results.ask_requested.connect(self.ask_requested)
        self.results.help_requested.connect(self.help_requested)

    def _combo(self, name: str, anything: str) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(name)
        box.setToolTip(name)
        box.addItem(anything, "")
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return box

    def set_session(self, session: Session | None) -> None:
        """Ask this session from now on (the filter choices are read when first shown)."""
        self.session = session
        self.results.set_session(session)
        self.detail.set_session(session)
        self._choices_loaded = False

    def load_choices(self) -> None:
        """Fill the district and organisation filters from the expert profiles (off the GUI thread)."""
        session = self.session
        if session is None or self._choices_loaded:
            return
        self._choices_loaded = True

        def done(choices: tuple[list[tuple[str, int]], list[tuple[str, int]]]) -> None:
            for box, values in zip((self.district_box, self.organisation_box), choices, strict=True):
                chosen = box.currentData()
                while box.count() > 1:
                    box.removeItem(1)
                for value, count in values:
                    # How many people a choice leaves says whether it is worth choosing.
                    box.addItem(self.tr("{name} ({n})").format(name=value, n=f"{count:,}"), value)
                box.setCurrentIndex(max(0, box.findData(chosen)))
                box.setVisible(box.count() > 1)  # no one has said where they work: nothing to choose

        self.tasks.read(session.experts.filter_choices, done, description="list districts and organisations")

    # -- finding ---------------------------------------------------------------------------------

    @property
    def filters(self) -> ExpertFilters:
        """The filters as set."""
        from desktop.search import ExpertFilters

        return ExpertFilters(
            district=str(self.district_box.currentData() or ""),
            organisation=str(self.organisation_box.currentData() or ""),
            available=str(self.available_box.currentData() or ""),
        )

    def set_filter(self, box: QComboBox, value: str) -> None:
        """Choose ``value`` in a filter box (adding it when the choices are not loaded yet)."""
        index = box.findData(value)
        if index < 0:
            box.addItem(value, value)
            index = box.count() - 1
        box.setCurrentIndex(index)

    def find_people(self, topic: str | None = None) -> None:
        """Find people for ``topic`` (or what the box says) with the filters as set."""
        if topic is not None and topic.strip() != self.topic_edit.text().strip():
            self.topic_edit.setText(topic.strip())
            self.term_id = self._terms.get(topic.strip().casefold(), "")
        text = self.topic_edit.text().strip()
        if not text:
            return
        popup = self.completer.popup()
        if popup is not None:
            popup.hide()
        self.results.find_experts(text, self.filters, self.term_id)

    def _refind(self) -> None:
        if self.results.topic:
            self.find_people()

    # -- vocabulary terms as you type ------------------------------------------------------------

    def _on_text_edited(self, text: str) -> None:
        self.term_id = self._terms.get(text.strip().casefold(), "")
        self._timer.start()

    def _complete(self) -> None:
        text = self.topic_edit.text().strip()
        session = self.session
        if len(text) < 2 or session is None:
            return
        lookup = session_lookup(self.tasks, session, (Kind.TERM,), self)

        def deliver(found: list[tuple[str, ...]]) -> None:
            if text != self.topic_edit.text().strip():
                return  # typed on: a newer answer is coming
            for label, term_id, *_rest in found:
                self._terms[label.casefold()] = term_id
            self.terms_model.setStringList(list(dict.fromkeys(item[0] for item in found)))
            if found and self.topic_edit.hasFocus():
                self.completer.complete()

        lookup(text, deliver)

    def _on_term_chosen(self, label: str) -> None:
        self.topic_edit.setText(label)
        self.term_id = self._terms.get(label.casefold(), "")
        self.find_people()

    def _on_return_pressed(self) -> None:
        popup = self.completer.popup()
        if popup is not None and popup.isVisible() and popup.currentIndex().isValid():
            return  # Enter on a highlighted term: choosing it finds
        self.find_people()
