"""List pages over the store: counts, sorting by header clicks, paging in as you scroll, filters, delete."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from desktop.core.kinds import Kind
from desktop.core.records import Record, Status, new_record_id
from desktop.session import Session
from desktop.ui.pages.record_model import PAGE_SIZE, RecordTableModel

WAIT_MS = 20_000


def _titles(model: RecordTableModel) -> list[str]:
    return [model.summary(row).title for row in range(model.rowCount())]


def _click_header(qtbot, page, column: int) -> None:
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def _wait_loaded(qtbot, model: RecordTableModel, rows: int) -> None:
    qtbot.waitUntil(lambda: model.rowCount() == rows and not model.is_fetching, timeout=WAIT_MS)


def test_the_knowledge_base_lists_the_demo_with_its_count_and_sorts_by_title(
    qtbot, open_window, demo_profile
) -> None:
    window = open_window(demo_profile)
    page = window.list_pages["knowledge-base"]
    window.show_page(page)
    qtbot.waitUntil(lambda: page.model.total == 30, timeout=WAIT_MS)  # 2 case studies + 28 articles
    _wait_loaded(qtbot, page.model, 30)
    assert page.count_label.text() == "30 case studies and articles"
    assert {page.model.summary(r).kind for r in range(30)} == {Kind.CASE_STUDY, Kind.ARTICLE}
    updated = [page.model.summary(r).updated_at for r in range(30)]
    assert updated == sorted(updated, reverse=True)  # newest first by default

    _click_header(qtbot, page, 0)  # Title
    qtbot.waitUntil(lambda: page.model.sort_key == "title", timeout=WAIT_MS)
    _wait_loaded(qtbot, page.model, 30)
    first = _titles(page.model)
    assert len(set(first)) > 20
    ascending = sorted(first)
    assert first == (list(reversed(ascending)) if page.model.descending else ascending)

    _click_header(qtbot, page, 0)  # again: the other way
    qtbot.waitUntil(lambda: _titles(page.model) == list(reversed(first)), timeout=WAIT_MS)
    _wait_loaded(qtbot, page.model, 30)
    assert {tuple(first), tuple(_titles(page.model))} == {tuple(ascending), tuple(reversed(ascending))}

    # District cannot sort (no index): the click leaves the order and the indicator as they were.
    before = _titles(page.model)
    _click_header(qtbot, page, 3)
    assert page.table.horizontalHeader().sortIndicatorSection() == 0
    assert page.model.sort_key == "title" and _titles(page.model) == before


def _catalogue(count: int, owner_every: int, me: str) -> list[Record]:
    return [
        Record(
            id=new_record_id(),
            kind=Kind.CENTRE_ITEM,
            fields={"title": f"Catalogue item {n:04d}", "publisher": "Test press"},
            owner=me if n % owner_every == 0 else "someone else",
            status=Status.PUBLISHED,
        )
        for n in range(1, count + 1)
    ]


def test_rows_page_in_as_the_list_scrolls_and_filters_narrow_it(qtbot, open_window, empty_profile) -> None:
    with Session.open(empty_profile) as session:
        session.save_many(_catalogue(450, owner_every=50, me=session.me()))
    window = open_window(empty_profile)
    page = window.list_pages["centre"]
    window.show_page(page)
    model = page.model
    qtbot.waitUntil(lambda: page.count_label.text() == "450 knowledge-centre items", timeout=WAIT_MS)
    _wait_loaded(qtbot, model, PAGE_SIZE)
    assert model.canFetchMore()

    page.table.scrollToBottom()  # the view asks for the next page when it reaches the end
    _wait_loaded(qtbot, model, 2 * PAGE_SIZE)
    page.table.scrollToBottom()
    _wait_loaded(qtbot, model, 450)
    assert not model.canFetchMore()
    assert len({model.summary(r).id for r in range(450)}) == 450  # no row twice

    page.filter_edit.setFocus()
    qtbot.keyClicks(page.filter_edit, "item 012")  # 0120..0129
    qtbot.waitUntil(lambda: model.total == 10, timeout=WAIT_MS)
    _wait_loaded(qtbot, model, 10)
    assert page.count_label.text() == "10 knowledge-centre items"
    assert all("item 012" in title for title in _titles(model))

    page.filter_edit.clear()
    qtbot.mouseClick(page.mine_check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: model.total == 9, timeout=WAIT_MS)  # every 50th is mine
    _wait_loaded(qtbot, model, 9)
    assert {model.summary(r).owner for r in range(9)} == {window.session.me()}


def test_select_open_new_edit_and_delete(qtbot, open_window, demo_profile, monkeypatch) -> None:
    window = open_window(demo_profile)
    page = window.list_pages["site-visits"]
    window.show_page(page)
    _wait_loaded(qtbot, page.model, 2)
    assert not page.edit_button.isEnabled() and not page.delete_button.isEnabled()

    page.table.setFocus()
    page.select_row(0)
    record_id = page.model.summary(0).id
    qtbot.waitUntil(lambda: page.detail.record_id == record_id, timeout=WAIT_MS)
    assert "Participants" in page.detail.browser.toPlainText()

    with qtbot.waitSignal(window.new_record_requested, timeout=WAIT_MS) as new:
        qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert new.args == [Kind.SITE_VISIT]
    with qtbot.waitSignal(window.edit_record_requested, timeout=WAIT_MS) as edit:
        qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    assert edit.args == [record_id]

    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # Enter opens the record on its own page
    assert window.current_page() is window.record_page
    qtbot.waitUntil(lambda: window.record_page.detail.record_id == record_id, timeout=WAIT_MS)
    window.go_back()
    assert window.current_page() is page

    asked: list[str] = []
    monkeypatch.setattr(page, "confirm_delete", lambda title, count=1: asked.append(title) or False)
    page.delete_selected()
    assert asked and page.model.total == 2  # said no: nothing happens

    monkeypatch.setattr(page, "confirm_delete", lambda title, count=1: True)
    with qtbot.waitSignal(page.records_changed, timeout=WAIT_MS):
        qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.total == 1 and page.model.rowCount() == 1, timeout=WAIT_MS)
    assert page.model.summary(0).id != record_id
    assert window.session.store.get(record_id).deleted
    qtbot.waitUntil(lambda: window.record_count == 54, timeout=WAIT_MS)
