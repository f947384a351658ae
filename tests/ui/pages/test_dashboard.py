"""Knowing what is used, in the app: a staff member opens a record, marks it helpful and searches for
something that is not there; after syncs the librarian's dashboard shows it. And the charts,
rendered offscreen in the light and the dark palette, with their text and table alternatives."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from conftest import WAIT_MS
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtTest import QTest

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, Status, new_record_id
from desktop.core.usage import OTHERS, Dashboard, SearchTerm, Series, UsageEvent, UsageKind, UsedRecord
from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.sync_service import SyncService
from desktop.ui.charts import BarChart, BarRow, LineChart, nice_ceiling
from desktop.ui.pages.dashboard_page import DashboardPage
from desktop.ui.sync_controller import UP_TO_DATE
from desktop.ui.tasks import TaskManager
from desktop.ui.usage_recorder import recorder_for
from tests.support.server_process import running_server

PASSWORD = "correct horse battery"
USERS = {"alice": ("staff", PASSWORD), "bob": ("staff", PASSWORD), "lib": ("librarian", PASSWORD)}


def _sign_in(qtbot: Any, window: Any, url: str, user: str) -> None:
    sync = window.sync_ui
    qtbot.waitUntil(lambda: sync.controller.service is not None, timeout=WAIT_MS)
    dialog = sync.open_sign_in()
    dialog.server_edit.setText(url)
    dialog.user_edit.setText(user)
    dialog.password_edit.setText(PASSWORD)
    with qtbot.waitSignal(sync.controller.signed_in, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sync.controller.state.kind == UP_TO_DATE, timeout=WAIT_MS)


def _sync(qtbot: Any, window: Any) -> None:
    controller = window.sync_ui.controller
    controller.refresh_status()
    qtbot.waitUntil(lambda: not controller.running, timeout=WAIT_MS)
    assert controller.sync_now()
    qtbot.waitUntil(lambda: not controller.running and controller.state.kind != "syncing", timeout=WAIT_MS)


def test_viewed_helped_and_not_found_reach_the_librarians_dashboard(
    qtbot: Any, open_window: Any, tmp_path: Path
) -> None:
    with running_server(tmp_path / "server", USERS) as url:
        lib = open_window(ProfilePaths(tmp_path / "lib", "--data-dir"))
        _sign_in(qtbot, lib, url, "lib")
        guide = Record(new_record_id(), Kind.ARTICLE, fields={"title": "Rainwater harvesting guide"})
        case = Record(
            new_record_id(),
            Kind.CASE_STUDY,
            fields={"title": "Tanks for Ugu clinics"},
            status=Status.PUBLISHED,
            links=(Link(Relation.BUILDS_ON, guide.id),),
        )
        lib.session.save_many([guide, case])
        _sync(qtbot, lib)

        alice = open_window(ProfilePaths(tmp_path / "alice", "--data-dir"))
        _sign_in(qtbot, alice, url, "alice")
        _sync(qtbot, alice)
        qtbot.waitUntil(lambda: alice.session.store.get(guide.id) is not None, timeout=WAIT_MS)
        alice.query_edit.setText("rainwater harvesting")
        search = alice.search
        qtbot.waitUntil(lambda: search.model.rowCount() > 0, timeout=WAIT_MS)
        search.results.setCurrentIndex(search.model.index(0, 0))  # previewed in the detail view
        detail = alice.detail
        qtbot.waitUntil(
            lambda: detail.record_id == guide.id and detail.helped_button.isVisible(), timeout=WAIT_MS
        )
        assert (
            "Applied in" in detail.browser.toPlainText()
            and "Tanks for Ugu clinics" in detail.browser.toPlainText()
        )
        qtbot.mouseClick(detail.helped_button, Qt.MouseButton.LeftButton)
        assert detail.helped_button.isChecked()
        recorder = recorder_for(alice.tasks, alice.session)

        def recorded() -> list[str]:
            return sorted(
                [e.kind.value for e in alice.session.store.pending_usage(10)]
                + [e.kind.value for e in recorder.held]
            )

        qtbot.waitUntil(lambda: "view" in recorded(), timeout=WAIT_MS)  # it stayed on screen long enough
        alice.query_edit.setText("zzqx borehole permits")
        QTest.keyClick(alice.query_edit, Qt.Key.Key_Return)  # submitted: recorded as soon as it answers
        qtbot.waitUntil(
            lambda: search.last_answer is not None and search.last_answer.text.startswith("zzqx"),
            timeout=WAIT_MS,
        )
        assert search.last_answer.total == 0
        qtbot.waitUntil(lambda: alice.session.store.usage_pending_count() == 4, timeout=WAIT_MS)
        # Opening a result settled the first search; every keystroke in between was never recorded.
        assert recorded() == ["helped", "search", "search", "view"]
        assert {e.query for e in alice.session.store.pending_usage(10)} == {
            "",
            "rainwater harvesting",
            "zzqx borehole permits",
        }
        _sync(qtbot, alice)
        assert alice.session.store.usage_pending_count() == 0

        with Session.open(ProfilePaths(tmp_path / "bob", "--data-dir")) as bob:  # a second person, no window
            service = SyncService(bob, use_keyring=False)
            service.login(url, "bob", PASSWORD)
            bob.record_usage([UsageEvent(UsageKind.SEARCH, query="zzqx borehole permits", hits=0)])
            service.sync()

        _sync(qtbot, lib)
        page = lib.shell.page("dashboard")
        with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
            lib.shell.show_key("dashboard")  # the page reads when first shown
    board = page.dashboard
    assert board is not None and board.scope == "everyone"
    top = board.used[0]
    assert (top.title, top.views, top.helped, top.applied_in) == ("Rainwater harvesting guide", 1, 1, 1)
    assert [(g.term, g.people) for g in board.gaps] == [("zzqx borehole permits", 2)]
    assert page.used_chart.rows[0].label == "Rainwater harvesting guide"
    assert "zzqx borehole permits" in page.gaps_chart.describe()
    page.used.toggle.setChecked(True)
    assert page.used.table.item(0, 0).text() == "Rainwater harvesting guide"


def _board() -> Dashboard:
    periods = [f"2026-{m:02d}" for m in range(1, 13)]
    return Dashboard(
        scope="everyone",
        as_of="2026-12-02T10:00:00+00:00",
        since="2025-12-02T10:00:00+00:00",
        min_people=2,
        totals={"views": 1234, "searches": 321, "zero_hit_searches": 45, "helped": 67, "people": 12},
        used=[
            UsedRecord(new_record_id(), "article", f"Guide {i}", True, 100 - 9 * i, 10 - i, i % 3)
            for i in range(12)
        ],
        terms=[],
        gaps=[SearchTerm(f"missing topic {i}", 12 - i, 2 + i % 3, 10 - i) for i in range(8)],
        periods=periods,
        communities=[Series(f"Community {i}", tuple((m * (i + 1)) % 17 for m in range(12))) for i in range(3)]
        + [Series(OTHERS, tuple(range(12)))],
        districts=[Series("Ugu", tuple(range(0, 24, 2))), Series("", tuple(range(12, 0, -1)))],
        stale=[UsedRecord(new_record_id(), "centre_item", "An old handbook", True)],
        stale_count=431,
        waiting=3,
    )


def _dark(palette: QPalette) -> QPalette:
    dark = QPalette(palette)
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#2a2b2e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e8eaed"))
    return dark


def _colours(image: QImage) -> int:
    seen = set()
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            seen.add(image.pixel(x, y))
    return len(seen)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_charts_draw_in_both_palettes_with_text_alternatives(qtbot: Any, dark: bool) -> None:
    tasks = TaskManager()
    page = DashboardPage(tasks)
    qtbot.addWidget(page)
    if dark:
        page.setPalette(_dark(page.palette()))
    page.resize(1200, 900)
    page.show_dashboard(_board())
    page.show()
    qtbot.waitExposed(page)
    for chart in (page.used_chart, page.gaps_chart, page.communities_chart, page.districts_chart):
        image = chart.grab().toImage()
        assert image.width() > 100 and _colours(image) > 5, chart.accessibleName()
        assert chart.accessibleDescription()
    assert "Guide 0: Views 100, Helped 10, Applied in 0" in page.used_chart.accessibleDescription()
    assert "No district given" in page.districts_chart.describe()
    # The groups summed as Others are in the table, not drawn (their sum would flatten the others).
    assert "Others" not in page.communities_chart.describe()
    table = page.communities.table
    assert table.item(table.rowCount() - 1, 0).text() == "Others"
    assert "summed as Others" in page.communities.note.text()
    assert page.stale_card.title.text() == "Nobody opened in a year: 431 items"
    assert page.stale_card.table.item(0, 0).text() == "An old handbook"
    assert "3 uses wait for the next sync" in page.scope_label.text()
    page.gaps.toggle.setChecked(True)
    assert page.gaps.table.rowCount() == 8 and page.gaps.table.item(0, 1).text() == "10"
    opened: list[str] = []
    page.record_opened.connect(opened.append)
    page.used.table.cellActivated.emit(2, 0)
    assert opened == [page.dashboard.used[2].id]
    tasks.shutdown()


def test_an_empty_chart_says_so(qtbot: Any) -> None:
    bars, lines = BarChart(), LineChart()
    for chart in (bars, lines):
        qtbot.addWidget(chart)
        chart.resize(300, 200)
    bars.set_data(["Views"], [], "Nothing opened yet.")
    lines.set_data([], [], [], "No activity yet.")
    assert bars.describe() == "Nothing opened yet." and lines.describe() == "No activity yet."
    assert not bars.grab().isNull() and not lines.grab().isNull()
    bars.set_data(["Views"], [BarRow("A very long title " * 8, (3,))])
    clicked: list[int] = []
    bars.row_clicked.connect(clicked.append)
    QTest.mouseClick(bars, Qt.MouseButton.LeftButton, pos=bars.rect().center().__class__(20, 12))
    assert clicked == [0]


def test_ones_own_gaps_count_searches_not_people(qtbot: Any) -> None:
    tasks = TaskManager()
    page = DashboardPage(tasks)
    qtbot.addWidget(page)
    board = _board()
    page.show_dashboard(dataclasses.replace(board, scope="own", min_people=1))
    assert page.gaps_chart.series == ["Found nothing"]
    assert "People" not in [page.gaps.table.horizontalHeaderItem(c).text() for c in range(3)]
    assert page.gaps.table.columnCount() == 3 and "people" not in page.totals_label.text()
    page.show_dashboard(board)
    assert page.gaps_chart.series == ["Found nothing", "People"] and "12 people" in page.totals_label.text()
    tasks.shutdown()


@pytest.mark.parametrize(
    ("peak", "ceiling"),
    [(0, 4), (1, 4), (3, 4), (5, 8), (17, 20), (2550, 3000), (8700, 10000), (17202, 20000)],
)
def test_the_axis_ends_where_every_grid_line_is_a_round_whole_number(peak: int, ceiling: int) -> None:
    assert nice_ceiling(peak) == ceiling
