"""The Dashboard page: which knowledge is used, what people search for and do not find, activity
per community and district over the year, and what nobody opened in a year.

The numbers come from ``Session.usage_dashboard`` on a reader thread: the server's last summary
(staff see their own use, librarians and admins everyone's), or this computer's own use before
any sync. Each chart has a table of the same numbers; a record in a chart or table opens it.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.core.usage import OTHERS, Dashboard, SearchTerm, Series, UsedRecord
from desktop.ui.charts import BarChart, BarRow, ChartCard, LineChart
from desktop.ui.models import kind_label
from desktop.ui.moments import moment_text
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from desktop.session import Session

logger = logging.getLogger(__name__)

#: Rows shown in the bar charts (the tables list every row the summary has).
CHART_ROWS = 10


class DashboardPage(QWidget):
    """Charts and tables of what is used; reads when shown after something changed."""

    history_changed = Signal(bool)
    record_opened = Signal(str)
    loaded = Signal(object)  # Dashboard: shown

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.nav_key = "dashboard"
        self.session: Session | None = None
        self.stale = True
        self.dashboard: Dashboard | None = None
        self._generation = 0
        self.heading = QLabel(self.tr("Dashboard"))
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.scope_label = QLabel(self.tr("Reading…"))
        self.scope_label.setWordWrap(True)
        self.scope_label.setAccessibleName(self.tr("Whose use the dashboard shows"))
        self.totals_label = QLabel()
        self.totals_label.setWordWrap(True)
        self.totals_label.setAccessibleName(self.tr("Totals"))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setAccessibleName(self.tr("Read the dashboard again"))
        self.refresh_button.clicked.connect(self.refresh)

        self.used_chart = BarChart()
        self.used = ChartCard(self.tr("Most used knowledge"), self.used_chart)
        self.gaps_chart = BarChart()
        self.gaps = ChartCard(self.tr("Searched for, not found"), self.gaps_chart)
        self.communities_chart = LineChart()
        self.communities = ChartCard(self.tr("Activity per community"), self.communities_chart)
        self.districts_chart = LineChart()
        self.districts = ChartCard(self.tr("Activity per district"), self.districts_chart)
        self.stale_chart = BarChart()
        self.stale_card = ChartCard(self.tr("Nobody opened in a year"), self.stale_chart)
        self.used.row_activated.connect(lambda row: self._open(self._used_ids, row))
        self.stale_card.row_activated.connect(lambda row: self._open(self._stale_ids, row))
        self._used_ids: list[str] = []
        self._stale_ids: list[str] = []

        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(12)
        grid.addWidget(self.used, 0, 0)
        grid.addWidget(self.gaps, 0, 1)
        grid.addWidget(self.communities, 1, 0)
        grid.addWidget(self.districts, 1, 1)
        grid.addWidget(self.stale_card, 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_widget)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setAccessibleName(self.tr("Dashboard charts"))
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.scope_label)
        layout.addWidget(self.totals_label)
        layout.addWidget(scroll, 1)

    # -- page protocol -------------------------------------------------------------------

    def set_session(self, session: Session | None) -> None:
        """Read this session's dashboard (when the page is shown)."""
        self.session = session
        self.stale = True

    def activate(self) -> None:
        """Shown: read the dashboard if something changed since."""
        if self.stale:
            self.refresh()

    def refresh(self) -> None:
        """Read the dashboard again, off the GUI thread."""
        session = self.session
        if session is None:
            return
        self.stale = False
        self._generation += 1
        generation = self._generation
        self.refresh_button.setEnabled(False)

        def done(board: Dashboard) -> None:
            self.refresh_button.setEnabled(True)
            if generation == self._generation:
                self.show_dashboard(board)

        def failed(error: BaseException) -> None:
            self.refresh_button.setEnabled(True)
            logger.warning("the dashboard could not be read: %s", error)
            self.scope_label.setText(self.tr("The dashboard could not be read: {error}").format(error=error))

        self.tasks.read(session.usage_dashboard, done, failed, description="read the dashboard")

    @property
    def can_go_back(self) -> bool:
        """The dashboard has no trail of its own."""
        return False

    def go_back(self) -> None:
        """Nothing to go back to."""

    def save_state(self, settings: QSettings) -> None:
        """Which cards show tables."""
        settings.setValue("dashboard/tables", [c.toggle.isChecked() for c in self.cards])

    def restore_state(self, settings: QSettings) -> None:
        """Put back what :meth:`save_state` saved."""
        saved = settings.value("dashboard/tables")
        if isinstance(saved, list):
            for card, shown in zip(self.cards, saved, strict=False):
                card.toggle.setChecked(str(shown).lower() == "true")

    @property
    def cards(self) -> list[ChartCard]:
        """Every chart card, in reading order."""
        return [self.used, self.gaps, self.communities, self.districts]

    # -- showing -------------------------------------------------------------------------

    def show_dashboard(self, board: Dashboard) -> None:
        """Fill every chart and table from ``board``."""
        self.dashboard = board
        self.scope_label.setText(self._scope_text(board))
        totals = board.totals
        text = self.tr(
            "{views} views · {searches} searches, {zero} found nothing · {helped} marked helpful"
        ).format(
            views=f"{totals.get('views', 0):,}",
            searches=f"{totals.get('searches', 0):,}",
            zero=f"{totals.get('zero_hit_searches', 0):,}",
            helped=f"{totals.get('helped', 0):,}",
        )
        if board.scope == "everyone":  # one's own use is one person's
            text += " · " + self.tr("{people} people").format(people=f"{totals.get('people', 0):,}")
        self.totals_label.setText(text)
        self._show_used(board.used)
        self._show_gaps(board)
        labels = [self._month_label(period, i == 0) for i, period in enumerate(board.periods)]
        self._show_activity(self.communities, self.communities_chart, board, board.communities, labels, True)
        self._show_activity(self.districts, self.districts_chart, board, board.districts, labels, False)
        self._show_stale(board)
        self.loaded.emit(board)

    def _scope_text(self, board: Dashboard) -> str:
        if board.scope == "everyone":
            text = self.tr("Everyone's use over the last 12 months, as of the last sync ({when}).")
        elif board.scope == "own":
            text = self.tr("Your own use over the last 12 months, as of the last sync ({when}).")
        else:
            text = self.tr("Use on this computer over the last 12 months (sign in and sync to see more).")
        text = text.format(when=moment_text(board.as_of))
        if board.waiting:
            text += " " + self.tr("{n} uses wait for the next sync.").format(n=f"{board.waiting:,}")
        return text

    def _title(self, record: UsedRecord) -> str:
        if not record.exists:
            return self.tr("(not in this profile)")
        return record.title or self.tr("(untitled)")

    def _show_used(self, used: list[UsedRecord]) -> None:
        self._used_ids = [r.id for r in used]
        series = [self.tr("Views"), self.tr("Helped"), self.tr("Applied in")]
        rows = [BarRow(self._title(r), (r.views, r.helped, r.applied_in)) for r in used[:CHART_ROWS]]
        self.used_chart.set_data(series, rows, self.tr("Nothing opened yet."))
        self.used.set_note(self.tr("Views, “this helped me” marks and case studies that built on it."))
        self.used.set_table(
            [self.tr("Record"), self.tr("Kind"), *series],
            [
                [self._title(r), kind_label(r.kind) if r.kind else "", r.views, r.helped, r.applied_in]
                for r in used
            ],
        )

    def _show_gaps(self, board: Dashboard) -> None:
        gaps: list[SearchTerm] = board.gaps
        everyone = board.scope == "everyone"
        if everyone:
            series = [self.tr("Found nothing"), self.tr("People")]
            rows = [BarRow(t.term, (t.zero_hits, t.people)) for t in gaps[:CHART_ROWS]]
            note = self.tr("Searches that found nothing; a term shows once {n} different people searched it.")
            self.gaps.set_note(note.format(n=board.min_people))
        else:  # one's own searches: "people" would always be 1 (the table has every search)
            series = [self.tr("Found nothing")]
            rows = [BarRow(t.term, (t.zero_hits,)) for t in gaps[:CHART_ROWS]]
            self.gaps.set_note(
                self.tr("Your searches that found nothing: topics to ask about or to write up.")
            )
        self.gaps_chart.set_data(series, rows, self.tr("Every search found something."))
        headers = [self.tr("Search"), self.tr("Found nothing"), self.tr("Searches")]
        if everyone:
            self.gaps.set_table(
                [*headers, self.tr("People")], [[t.term, t.zero_hits, t.searches, t.people] for t in gaps]
            )
        else:
            self.gaps.set_table(headers, [[t.term, t.zero_hits, t.searches] for t in gaps])

    def _series_name(self, series: Series, communities: bool) -> str:
        if series.name == OTHERS:
            return self.tr("Others")
        if not series.name:
            return self.tr("No district given") if not communities else self.tr("(unnamed community)")
        return series.name

    def _show_activity(
        self,
        card: ChartCard,
        chart: LineChart,
        board: Dashboard,
        series: list[Series],
        labels: list[str],
        communities: bool,
    ) -> None:
        named = [(self._series_name(s, communities), s.values) for s in series]
        empty = (
            self.tr("No activity by members of a community yet.")
            if communities
            else self.tr("No activity yet.")
        )
        # The groups summed as "Others" are in the table only: drawn, their sum would dwarf each
        # group shown and flatten their lines against the axis.
        drawn = [(self._series_name(s, communities), s.values) for s in series if s.name != OTHERS]
        chart.set_data(board.periods, labels, drawn or named, empty, partial_last=True)  # this month
        note = (
            self.tr("Uses per month by the members of each community.")
            if communities
            else self.tr("Uses per month, by the district on each person's expert profile.")
        )
        if drawn and len(drawn) < len(named):
            note += " " + self.tr("The rest are summed as Others in the table.")
        card.set_note(note + " " + self.tr("This month so far is dashed."))
        card.set_table(
            [self.tr("Community") if communities else self.tr("District"), *labels, self.tr("In all")],
            [[name, *values, sum(values)] for name, values in named],
        )

    def _show_stale(self, board: Dashboard) -> None:
        self._stale_ids = [r.id for r in board.stale]
        self.stale_card.title.setText(
            self.tr("Nobody opened in a year: {n} items").format(n=f"{board.stale_count:,}")
        )
        self.stale_chart.set_data([], [], self.tr("Everything was opened in the last year."))
        self.stale_card.set_note(
            self.tr(
                "Published knowledge unchanged and unopened for a year, oldest first: review or retire it."
            )
            if board.scope == "everyone"
            else self.tr("Your records that nobody opened in a year, oldest first.")
            if board.scope == "own"
            else self.tr("Knowledge not changed and not opened on this computer for a year.")
        )
        self.stale_card.set_table(
            [self.tr("Record"), self.tr("Kind")],
            [[self._title(r), kind_label(r.kind) if r.kind else ""] for r in board.stale],
        )
        self.stale_card.toggle.setChecked(True)  # a list of titles reads best as a table
        self.stale_card.toggle.hide()

    def _month_label(self, period: str, first: bool) -> str:
        year, month = int(period[:4]), int(period[5:7])
        name = date(year, month, 1).strftime("%b")
        return f"{name} {year % 100:02d}" if first or month == 1 else name

    def _open(self, ids: list[str], row: int) -> None:
        if 0 <= row < len(ids):
            self.record_opened.emit(ids[row])
