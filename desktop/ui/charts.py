"""Charts for the dashboard, drawn with QPainter: horizontal bars and lines over months.

Why QPainter and not QtCharts: QtCharts ships in PySide6-Addons, which the project does not
install (it uses PySide6-Essentials). Measured on PySide6-Addons 6.11.3: the wheel is 175 MB
to download and 439 MB installed, on every developer machine and CI run; a PyInstaller bundle
would take in QtCharts.abi3.so (1.0 MB) and libQt6Charts.so.6 (2.3 MB), and with them
libQt6OpenGL (0.7 MB) and libQt6OpenGLWidgets (0.06 MB), which build.spec leaves out today:
about 4 MB more in the bundle, for two chart types this module draws in a few hundred lines.
Drawing also follows the app's palette at once (light and dark), which QtCharts' own themes
do not.

Every chart has a text alternative: its accessible description summarises what it shows, and
:class:`ChartCard` switches it to a table of the same numbers.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

#: Okabe and Ito's colour-blind safe qualitative palette (blue, orange, green, purple, sky, red).
SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")


def is_dark(palette: QPalette) -> bool:
    """True for a dark palette (light text on a dark window)."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def series_colours(palette: QPalette) -> list[QColor]:
    """The series colours, lightened on a dark palette so that each keeps its contrast."""
    colours = [QColor(name) for name in SERIES_COLOURS]
    return [c.lighter(135) for c in colours] if is_dark(palette) else colours


#: Grid lines above the zero line of a line chart.
GRID_STEPS = 4


def nice_ceiling(value: float) -> float:
    """A round number at or above ``value`` for an axis whose :data:`GRID_STEPS` grid lines each fall
    on a round whole number (a tick of 1, 1.5, 2, 2.5, 3, 4, 5 or 7.5 x a power of ten, at least 1)."""
    if value <= 0:
        return float(GRID_STEPS)
    wanted = value / GRID_STEPS
    power = 1.0
    while power * 10 < wanted:
        power *= 10
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10):
        tick = step * power
        if tick >= wanted and tick == int(tick):
            return float(tick * GRID_STEPS)
    return float(10 * power * GRID_STEPS)  # pragma: no cover - the last step always fits


@dataclass(frozen=True)
class BarRow:
    """One labelled row of bars (one value per series)."""

    label: str
    values: tuple[int, ...]


class BarChart(QWidget):
    """Horizontal bars, one group per row, one bar per series; a row clicked says so."""

    row_clicked = Signal(int)

    ROW_GAP = 8

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.series: list[str] = []
        self.rows: list[BarRow] = []
        self.empty_text = ""
        self.setMinimumHeight(120)
        self.setMouseTracking(False)

    def set_data(self, series: Sequence[str], rows: Sequence[BarRow], empty_text: str = "") -> None:
        """Show ``rows`` of ``series`` (a legend names the series when there are several)."""
        self.series, self.rows, self.empty_text = list(series), list(rows), empty_text
        self.setAccessibleDescription(self.describe())
        self.updateGeometry()
        self.update()

    def describe(self) -> str:
        """The chart as a sentence per row (its text alternative)."""
        if not self.rows:
            return self.empty_text
        parts = []
        for row in self.rows:
            values = ", ".join(
                f"{name} {value:,}" for name, value in zip(self.series, row.values, strict=False)
            )
            parts.append(f"{row.label}: {values}")
        return "; ".join(parts)

    def _bar_height(self) -> int:
        return max(6, QFontMetrics(self.font()).height() // 2 + 2)

    def _row_height(self) -> int:
        metrics = QFontMetrics(self.font())
        bars = len(self.series) * self._bar_height()
        return max(metrics.height(), bars) + self.ROW_GAP

    def _legend_height(self) -> int:
        return QFontMetrics(self.font()).height() + 8 if len(self.series) > 1 else 0

    def sizeHint(self) -> QSize:
        return QSize(420, max(120, self._legend_height() + len(self.rows) * self._row_height() + 8))

    def minimumSizeHint(self) -> QSize:
        return QSize(240, min(self.sizeHint().height(), 160))

    def _row_at(self, y: float) -> int:
        index = int((y - self._legend_height() - 4) // self._row_height())
        return index if 0 <= index < len(self.rows) else -1

    def mousePressEvent(self, event: QMouseEvent) -> None:
        row = self._row_at(event.position().y())
        if row >= 0:
            self.row_clicked.emit(row)
        super().mousePressEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        metrics = QFontMetrics(self.font())
        width = self.width()
        if not self.rows:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text
            )
            return
        colours = series_colours(palette)
        top = 4
        if len(self.series) > 1:
            x = 4
            for i, name in enumerate(self.series):
                painter.fillRect(QRectF(x, top + 3, 12, 12), colours[i % len(colours)])
                painter.setPen(text)
                painter.drawText(QPointF(x + 16, top + metrics.ascent() + 2), name)
                x += 16 + metrics.horizontalAdvance(name) + 16
            top += self._legend_height()
        label_width = min(int(width * 0.42), max(metrics.horizontalAdvance(r.label) for r in self.rows) + 8)
        value_width = metrics.horizontalAdvance(f"{max(max(r.values, default=0) for r in self.rows):,}") + 8
        plot_left = label_width + 4
        plot_width = max(10, width - plot_left - value_width - 4)
        peak = max(1, max(max(r.values, default=0) for r in self.rows))
        bar = self._bar_height()
        for index, row in enumerate(self.rows):
            y = top + index * self._row_height()
            label = metrics.elidedText(row.label, Qt.TextElideMode.ElideRight, label_width - 8)
            painter.setPen(text)
            painter.drawText(
                QRectF(0, y, label_width - 4, self._row_height() - self.ROW_GAP),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            group_top = y + (self._row_height() - self.ROW_GAP - bar * len(self.series)) / 2
            for s, value in enumerate(row.values):
                length = plot_width * value / peak
                rect = QRectF(plot_left, group_top + s * bar, max(1.0, length), bar - 1)
                painter.fillRect(rect, colours[s % len(colours)])
                painter.setPen(text)
                small = QFont(self.font())
                small.setPointSizeF(max(6.0, small.pointSizeF() * 0.85))
                painter.setFont(small)
                if value:  # a zero says nothing a missing bar does not; it only crowds the row
                    painter.drawText(
                        QPointF(plot_left + length + 4, group_top + s * bar + bar - 2), f"{value:,}"
                    )
                painter.setFont(self.font())
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawLine(
            QPointF(plot_left, top), QPointF(plot_left, top + len(self.rows) * self._row_height())
        )


class LineChart(QWidget):
    """Lines over periods (months), one per series, with a y axis of round numbers and a legend."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.periods: list[str] = []
        self.labels: list[str] = []
        self.series: list[tuple[str, tuple[int, ...]]] = []
        self.empty_text = ""
        self.partial_last = False
        self.setMinimumHeight(220)

    def set_data(
        self,
        periods: Sequence[str],
        labels: Sequence[str],
        series: Sequence[tuple[str, tuple[int, ...]]],
        empty_text: str = "",
        *,
        partial_last: bool = False,
    ) -> None:
        """``labels`` name ``periods`` on the x axis; each series has one value per period.

        ``partial_last``: the last period is not over (this month so far): its segment is dashed,
        so that its fall is not read as a drop in use.
        """
        self.periods, self.labels, self.series = list(periods), list(labels), list(series)
        self.empty_text = empty_text
        self.partial_last = partial_last
        self.setAccessibleDescription(self.describe())
        self.update()

    def describe(self) -> str:
        """Each series' total and its busiest month (the text alternative)."""
        if not self.series:
            return self.empty_text
        parts = []
        for name, values in self.series:
            best = max(range(len(values)), key=lambda i: values[i]) if values else 0
            busiest = self.labels[best] if values and self.labels else ""
            parts.append(f"{name}: {sum(values):,} in all, most in {busiest}")
        return "; ".join(parts)

    def sizeHint(self) -> QSize:
        return QSize(420, 260)

    def _legend_rows(self, metrics: QFontMetrics, width: int) -> list[list[int]]:
        rows: list[list[int]] = [[]]
        x = 0
        for i, (name, _) in enumerate(self.series):
            advance = 16 + metrics.horizontalAdvance(name) + 16
            if rows[-1] and x + advance > width:
                rows.append([])
                x = 0
            rows[-1].append(i)
            x += advance
        return rows

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        grid = palette.color(QPalette.ColorRole.Mid)
        metrics = QFontMetrics(self.font())
        if not self.series or not self.periods:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text
            )
            return
        colours = series_colours(palette)
        legend = self._legend_rows(metrics, self.width() - 8)
        top = 4
        for row in legend:
            x = 4
            for i in row:
                name = self.series[i][0]
                painter.fillRect(QRectF(x, top + 3, 12, 12), colours[i % len(colours)])
                painter.setPen(text)
                painter.drawText(QPointF(x + 16, top + metrics.ascent() + 2), name)
                x += 16 + metrics.horizontalAdvance(name) + 16
            top += metrics.height() + 4
        top += 6
        peak = nice_ceiling(max(max(values, default=0) for _, values in self.series))
        axis_width = metrics.horizontalAdvance(f"{int(peak):,}") + 10
        left, right = axis_width, self.width() - 12
        bottom = self.height() - metrics.height() - 8
        plot = QRectF(left, top, max(10, right - left), max(10, bottom - top))
        for step in range(GRID_STEPS + 1):
            value = peak * step / GRID_STEPS
            y = plot.bottom() - plot.height() * step / GRID_STEPS
            painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine if step else Qt.PenStyle.SolidLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text)
            painter.drawText(
                QRectF(0, y - metrics.height() / 2, axis_width - 6, metrics.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{int(value):,}",
            )
        count = len(self.periods)
        x_step = plot.width() / max(1, count - 1)
        every = max(1, int((metrics.horizontalAdvance("Mmm 00") + 8) // max(1.0, x_step)) + 1)
        for i, label in enumerate(self.labels):
            if i % every and i != count - 1:
                continue
            at = plot.left() + i * x_step
            painter.setPen(text)
            painter.drawText(
                QRectF(at - 40, plot.bottom() + 4, 80, metrics.height()), Qt.AlignmentFlag.AlignHCenter, label
            )
        for s, (_, values) in enumerate(self.series):
            colour = colours[s % len(colours)]
            painter.setPen(QPen(colour, 2.5))
            points = [
                QPointF(plot.left() + i * x_step, plot.bottom() - plot.height() * value / peak)
                for i, value in enumerate(values)
            ]
            for i, (a, b) in enumerate(itertools.pairwise(points)):
                dashed = self.partial_last and i == len(points) - 2
                painter.setPen(QPen(colour, 2.5, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine))
                painter.drawLine(a, b)
            painter.setBrush(colour)
            for point in points:
                painter.drawEllipse(point, 3, 3)
            painter.setBrush(Qt.BrushStyle.NoBrush)


class ChartCard(QWidget):
    """A titled chart with a switch to a table of the same numbers (the accessible alternative)."""

    row_activated = Signal(int)

    def __init__(self, title: str, chart: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.chart = chart
        self.title = QLabel(title)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setText(self.tr("Show as table"))
        self.toggle.setAccessibleName(self.tr("Show {title} as a table").format(title=title))
        self.toggle.toggled.connect(self._on_toggled)
        self.table = QTableWidget()
        self.table.setAccessibleName(self.tr("{title}, as a table").format(title=title))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)  # one line a row: a long title is cut short (whole in its tooltip)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.cellActivated.connect(lambda row, _col: self.row_activated.emit(row))
        chart.setAccessibleName(title)
        if isinstance(chart, BarChart):
            chart.row_clicked.connect(self.row_activated)
        self.stack = QStackedWidget()
        self.stack.addWidget(chart)
        self.stack.addWidget(self.table)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(head)
        layout.addWidget(self.note)
        layout.addWidget(self.stack, 1)

    def set_note(self, text: str) -> None:
        """A line under the title (what the chart counts, a privacy rule)."""
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def set_table(self, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        """The numbers as a table (numbers right-aligned)."""
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.setRowCount(len(rows))
        # The first column (a title, a term, a group) takes the room the numbers leave, so that the
        # numbers stay in sight; a title cut short shows whole in its tooltip.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if headers:
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(f"{value:,}" if isinstance(value, int) else str(value))
                if isinstance(value, int):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                else:
                    item.setToolTip(str(value))
                self.table.setItem(r, c, item)

    def _on_toggled(self, table: bool) -> None:
        self.stack.setCurrentIndex(1 if table else 0)
        self.toggle.setText(self.tr("Show as chart") if table else self.tr("Show as table"))
