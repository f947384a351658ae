"""The navigation shell: every page by click and by keyboard, Ctrl+K from anywhere, Back across pages."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from desktop.ui.pages.home import ID_ROLE
from desktop.ui.pages.record_list import RecordListPage

WAIT_MS = 20_000
NAV_TITLES = [
    "Home", "Search", "Knowledge base", "Site visits", "Experts", "Knowledge centre", "Communities",
    "Review queue", "Duplicates", "Vocabulary", "Dashboard", "Trash",
]  # fmt: skip


def _click_nav(qtbot, window, row: int) -> None:
    item = window.nav.item(row)
    rect = window.nav.visualItemRect(item)
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_every_page_by_click_and_by_keyboard(qtbot, open_window, demo_profile) -> None:
    window = open_window(demo_profile)
    assert [window.nav.item(r).text() for r in range(window.nav.count())] == NAV_TITLES
    assert window.current_page() is window.home  # the first run starts at Home
    # Lists read when first shown, not while the window opens.
    assert all(page.model.total is None and page.model.rowCount() == 0 for page in window.list_pages.values())

    for row in reversed(range(window.nav.count())):
        _click_nav(qtbot, window, row)
        assert window.current_page() is window.all_pages[row]
        assert window.nav.currentRow() == row

    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_Home)
    assert window.current_page() is window.home
    seen = [window.current_page()]
    for _ in range(window.nav.count() - 1):
        qtbot.keyClick(window.nav, Qt.Key.Key_Down)
        seen.append(window.current_page())
    assert seen == window.all_pages[:-1]
    assert window.current_page() is window.shell.trash_page
    qtbot.keyClick(window.nav, Qt.Key.Key_Up)
    assert window.current_page() is window.shell.page("dashboard")
    qtbot.keyClick(window.nav, Qt.Key.Key_Up)
    assert window.current_page() is window.shell.page("vocabulary")
    qtbot.keyClick(window.nav, Qt.Key.Key_Up)
    assert window.current_page() is window.shell.page("duplicates")
    qtbot.keyClick(window.nav, Qt.Key.Key_Up)
    assert window.current_page() is window.shell.page("review")
    qtbot.keyClick(window.nav, Qt.Key.Key_Up)
    assert isinstance(window.current_page(), RecordListPage)
    assert window.current_page().spec.title == "Communities"
    communities = window.current_page()
    qtbot.waitUntil(lambda: communities.model.total == 3, timeout=WAIT_MS)

    # Each page also has a Go menu entry, the first nine with Ctrl+<n>.
    shortcuts = [a.shortcut().toString() for a in window.page_actions]
    assert shortcuts[:9] == [f"Ctrl+{n}" for n in range(1, 10)] and set(shortcuts[9:]) <= {""}
    window.page_actions[3].trigger()
    assert window.current_page() is window.list_pages["site-visits"]


def test_ctrl_k_from_home_lands_in_the_search_box_and_typing_shows_results(
    qtbot, open_window, demo_profile
) -> None:
    window = open_window(demo_profile)
    assert window.current_page() is window.home
    window.home.search_button.setFocus()
    window.activateWindow()
    qtbot.keyClick(window.home.search_button, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is window.search_page
    assert window.search.query_edit.hasFocus()

    qtbot.keyClicks(window.search.query_edit, "plain language")
    qtbot.waitUntil(
        lambda: window.search.last_answer is not None and window.search.last_answer.text == "plain language",
        timeout=WAIT_MS,
    )
    assert window.search.model.rowCount() >= 5
    assert window.nav.currentRow() == 1


def test_typing_in_the_search_box_from_a_list_page_shows_the_search_page(
    qtbot, open_window, demo_profile
) -> None:
    window = open_window(demo_profile)
    window.show_page(window.list_pages["experts"])
    window.search.query_edit.setFocus()
    qtbot.keyClicks(window.search.query_edit, "wa")
    assert window.current_page() is window.search_page


def test_a_record_opened_from_home_returns_there_with_back(qtbot, open_window, demo_profile) -> None:
    window = open_window(demo_profile)
    home = window.home
    qtbot.waitUntil(lambda: bool(home.items_of(home.recent_list)), timeout=WAIT_MS)
    item = home.items_of(home.recent_list)[0]
    home.recent_list.scrollToItem(item)
    rect = home.recent_list.visualItemRect(item)  # a row of the "What is new" table
    qtbot.mouseClick(home.recent_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_page() is window.record_page
    detail = window.record_page.detail
    qtbot.waitUntil(lambda: detail.view is not None, timeout=WAIT_MS)
    assert detail.view.record.id == item.data(0, ID_ROLE)
    assert window.nav.currentRow() == 0  # Home stays marked: the record was opened from there
    assert window.back_button.isEnabled()

    qtbot.mouseClick(window.back_button, Qt.MouseButton.LeftButton)
    assert window.current_page() is window.home
    assert not window.back_button.isEnabled()


def test_the_page_and_splitters_are_remembered(qtbot, open_window, demo_profile) -> None:
    window = open_window(demo_profile)
    page = window.list_pages["centre"]
    window.show_page(page)
    page.splitter.setSizes([800, 200])  # the default is about 3:2
    sizes = page.splitter.sizes()
    window.close()
    assert QSettings().value("main_window/page") == "centre"

    again = open_window(demo_profile)
    again.resize(window.size())
    assert again.current_page() is again.list_pages["centre"]
    restored = again.list_pages["centre"].splitter
    qtbot.waitUntil(lambda: sum(restored.sizes()) == sum(sizes), timeout=WAIT_MS)
    assert restored.sizes() == sizes
