"""Home: what is new, my drafts, follow-ups due with the overdue ones marked, quick actions."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from desktop.core.kinds import Kind
from desktop.core.records import Record, Status, new_record_id
from desktop.session import Session
from desktop.ui.pages.home import ID_ROLE, OVERDUE_ROLE

WAIT_MS = 20_000


def _texts(home, widget) -> list[str]:
    return home.item_texts(widget)


def test_home_shows_my_new_draft_and_an_overdue_follow_up(qtbot, open_window, demo_profile) -> None:
    today = date.today()
    with Session.open(demo_profile) as session:
        me = session.me()
        draft = Record(
            id=new_record_id(),
            kind=Kind.CASE_STUDY,
            fields={"title": "Standpipe queue cards"},
            owner=me,
            status=Status.DRAFT,
        )
        visit = Record(
            id=new_record_id(),
            kind=Kind.SITE_VISIT,
            fields={
                "title": "Visit to the Mossel depot",
                "follow_ups": [
                    {"action": "Send the roster", "owner": me, "due": str(today - timedelta(days=3))},
                    {"action": "Book the return visit", "owner": me, "due": str(today + timedelta(days=5))},
                    {
                        "action": "Already done",
                        "owner": me,
                        "due": str(today - timedelta(days=9)),
                        "done": True,
                    },
                ],
            },
            owner="someone else",
            status=Status.PUBLISHED,
        )
        session.save_many([draft, visit])
    window = open_window(demo_profile)
    home = window.home
    qtbot.waitUntil(lambda: home.data is not None, timeout=WAIT_MS)

    assert any("Standpipe queue cards" in text for text in _texts(home, home.drafts_list))
    assert not any("Visit to the Mossel depot" in text for text in _texts(home, home.drafts_list))
    assert any("Standpipe queue cards" in text for text in _texts(home, home.recent_list))

    items = {item.text(): item for item in home.items_of(home.follow_ups_list)}
    overdue = next(item for text, item in items.items() if "Send the roster" in text)
    soon = next(item for text, item in items.items() if "Book the return visit" in text)
    assert not any("Already done" in text for text in items)
    assert overdue.data(OVERDUE_ROLE) is True and "Overdue since" in overdue.text()
    assert overdue.font().bold() and not soon.font().bold()
    assert overdue.foreground().color() != soon.foreground().color()
    assert "Due " in soon.text() and overdue.data(ID_ROLE) == visit.id

    # Choosing the follow-up opens its site visit.
    home.follow_ups_list.setFocus()
    home.follow_ups_list.setCurrentItem(overdue)
    qtbot.keyClick(home.follow_ups_list, Qt.Key.Key_Return)
    assert window.current_page() is window.record_page
    qtbot.waitUntil(lambda: window.record_page.detail.record_id == visit.id, timeout=WAIT_MS)


def test_home_refreshes_after_a_save(qtbot, open_window, demo_profile) -> None:
    window = open_window(demo_profile)
    home = window.home
    qtbot.waitUntil(lambda: home.data is not None, timeout=WAIT_MS)
    assert home.items_of(home.drafts_list) == []
    assert "No drafts" in home.drafts_list.topLevelItem(0).text(0)

    record = window.session.new_record(Kind.SITE_VISIT).with_fields(title="Borehole pump check")
    window.session.save(record)
    with qtbot.waitSignal(home.refreshed, timeout=WAIT_MS):
        window.refresh_after_changes()
    assert any("Borehole pump check" in text for text in _texts(home, home.drafts_list))


def test_quick_actions(qtbot, open_window, demo_profile) -> None:
    window = open_window(demo_profile)
    home = window.home
    with qtbot.waitSignal(window.new_record_requested, timeout=WAIT_MS) as new:
        qtbot.mouseClick(home.new_visit_button, Qt.MouseButton.LeftButton)
    assert new.args == [Kind.SITE_VISIT]
    with qtbot.waitSignal(window.new_record_requested, timeout=WAIT_MS) as new:
        qtbot.mouseClick(home.new_case_button, Qt.MouseButton.LeftButton)
    assert new.args == [Kind.CASE_STUDY]
    qtbot.mouseClick(home.search_button, Qt.MouseButton.LeftButton)
    assert window.current_page() is window.search_page and window.search.query_edit.hasFocus()
