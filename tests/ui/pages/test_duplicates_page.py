"""The Duplicates page, driven like a librarian: find, compare, merge, undo (Edit menu), refusals."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, Status, new_record_id
from desktop.paths import ProfilePaths
from desktop.session import ROLE_KEY, Session

WAIT_MS = 20_000


def _plant(paths: ProfilePaths, role: str) -> dict[str, str]:
    """Two catalogue records of one book under other control numbers (ISBN-10 and ISBN-13 forms),
    a case study citing the second, and a file on it."""
    keep = Record(
        id=new_record_id(),
        kind=Kind.CENTRE_ITEM,
        status=Status.PUBLISHED,
        fields={
            "title": "Plain language for public servants",
            "isbn": ["0-19-852663-6"],
            "control_number": "1",
        },
    )
    gone = Record(
        id=new_record_id(),
        kind=Kind.CENTRE_ITEM,
        status=Status.PUBLISHED,
        fields={
            "title": "Plain language for public servants.",
            "isbn": ["9780198526636 (pbk.)"],
            "control_number": "77",
            "publisher": "Oxford University Press",
            "year": 2001,
        },
    )
    citing = Record(
        id=new_record_id(),
        kind=Kind.CASE_STUDY,
        fields={"title": "Clearer rates letters"},
        links=(Link(Relation.CITES, gone.id),),
        owner="thandi",
    )
    with Session.open(paths) as session:
        session.save_many([keep, gone, citing])
        session.store.add_attachment(gone.id, b"cover scan", "cover.png", "image/png")
        session.store.set_meta(ROLE_KEY, role)
    return {"keep": keep.id, "gone": gone.id, "citing": citing.id}


def _our_group(page: Any, ids: dict[str, str]) -> int:
    for row, group in enumerate(page.groups):
        if {m.id for m in group.members} == {ids["keep"], ids["gone"]}:
            return row
    return -1


def _open_duplicates(qtbot: Any, window: Any) -> Any:
    page = window.shell.page("duplicates")
    with qtbot.waitSignal(page.groups_loaded, timeout=WAIT_MS):
        window.shell.show_key("duplicates")
    assert window.nav.currentItem().text() == "Duplicates"
    return page


def test_find_compare_merge_and_undo(
    qtbot, open_window, demo_profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _plant(demo_profile, "librarian")
    window = open_window(demo_profile)
    page = _open_duplicates(qtbot, window)
    row = _our_group(page, ids)
    assert row >= 0, [[m.title for m in g.members] for g in page.groups]
    assert page.groups_table.item(row, 2).text() == "same ISBN"
    assert "same ISBN 9780198526636" in page.groups_table.item(row, 2).toolTip()

    with qtbot.waitSignal(page.pair_loaded, timeout=WAIT_MS):
        page.select_group(row)
    pair = page.pair
    assert pair is not None and {pair.left.id, pair.right.id} == {ids["keep"], ids["gone"]}
    labels = {page.compare_table.item(r, 0).text(): r for r in range(page.compare_table.rowCount())}
    differing = {label for label, r in labels.items() if page.compare_table.item(r, 0).font().bold()}
    assert {"Title", "ISBN", "Publisher", "Files"} <= differing
    assert "Format" not in labels  # rows empty on both sides are left out

    questions: list[str] = []
    monkeypatch.setattr(page, "confirm", lambda _title, question: questions.append(question) or True)
    keep_side = 0 if pair.left.id == ids["keep"] else 1
    button = page.keep_left if keep_side == 0 else page.keep_right
    with qtbot.waitSignal(page.merges_loaded, timeout=WAIT_MS):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _our_group(page, ids) == -1 and not page._busy, timeout=WAIT_MS)
    assert "Keep “Plain language for public servants”" in questions[0]
    assert [(e.survivor_id, e.loser_id, e.undone) for e in page.merge_log] == [
        (ids["keep"], ids["gone"], False)
    ]
    session = window.session
    kept, gone, citing = (session.store.get(ids[k]) for k in ("keep", "gone", "citing"))
    assert gone.deleted and Link(Relation.DUPLICATE_OF, ids["keep"], "merged") in gone.links
    assert kept.fields["publisher"] == "Oxford University Press"
    assert citing.links == (Link(Relation.CITES, ids["keep"]),)
    assert [a.filename for a in session.attachments(ids["keep"])] == ["cover.png"]
    assert window.undo_merge_action.text() == "Undo merge of “Plain language for public servants.”"
    # Both histories are readable from the survivor's; the merged record's versions are not restorable here.
    from desktop.ui.history_dialog import HistoryDialog

    dialog = HistoryDialog(window.tasks, session, ids["keep"], window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: bool(dialog.entries), timeout=WAIT_MS)
    rows = [dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())]
    merged_rows = [r for r, text in enumerate(rows) if text.startswith("merged record “Plain language")]
    assert merged_rows and len(merged_rows) == len(session.store.history(ids["gone"]))
    assert dialog.table.item(0, 0).text() == "Merged"  # the survivor's version the merge wrote
    dialog.table.selectRow(merged_rows[0])
    assert not dialog.restore_button.isEnabled()
    dialog.close()

    # Undo from the Edit menu, as a librarian would after a wrong merge.
    with qtbot.waitSignal(page.merges_loaded, timeout=WAIT_MS):
        window.undo_merge_action.trigger()
    qtbot.waitUntil(
        lambda: bool(page.merge_log) and page.merge_log[0].undone and not page._busy, timeout=WAIT_MS
    )
    gone = session.store.get(ids["gone"])
    assert not gone.deleted and session.store.get(ids["citing"]).links == (Link(Relation.CITES, ids["gone"]),)
    assert session.attachments(ids["keep"]) == []
    qtbot.waitUntil(lambda: _our_group(page, ids) >= 0, timeout=WAIT_MS)  # the group is back
    assert page.merges_table.item(0, 3).text().startswith("undone")
    assert not page.undo_button.isEnabled()


def test_a_staff_member_is_told_librarians_merge(qtbot, open_window, demo_profile, monkeypatch) -> None:
    ids = _plant(demo_profile, "staff")
    window = open_window(demo_profile)
    page = _open_duplicates(qtbot, window)
    with qtbot.waitSignal(page.pair_loaded, timeout=WAIT_MS):
        page.select_group(_our_group(page, ids))
    told: list[str] = []
    monkeypatch.setattr(page, "confirm", lambda *_a: True)
    monkeypatch.setattr(page, "inform", lambda _title, message: told.append(message))
    page.merge_into(0)
    qtbot.waitUntil(lambda: bool(told) and not page._busy, timeout=WAIT_MS)
    assert "Librarians merge duplicates" in told[0]
    assert not window.session.store.get(ids["gone"]).deleted
    assert page.merge_log == []


def _plant_three(paths: ProfilePaths) -> dict[str, str]:
    """Three catalogue records of one ISBN: two copies of a book and a wrongly keyed report."""
    ids = {}
    for name, title, isbn in (
        ("book", "Plain language for public servants", "0-19-852663-6"),
        ("copy", "Plain language for public servants.", "9780198526636"),
        ("report", "Plain language for public servants", "978-0-19-852663-6 (wrongly keyed)"),
    ):
        record = Record(
            id=new_record_id(),
            kind=Kind.CENTRE_ITEM,
            status=Status.PUBLISHED,
            fields={"title": title, "isbn": [isbn], "control_number": name},
        )
        ids[name] = record.id
        with Session.open(paths) as session:
            session.save(record)
    with Session.open(paths) as session:
        session.store.set_meta(ROLE_KEY, "librarian")
    return ids


def _group_of(page: Any, ids: dict[str, str]) -> Any:
    for row, group in enumerate(page.groups):
        if {m.id for m in group.members} & set(ids.values()):
            return row, group
    return -1, None


def test_not_these_two_then_not_duplicates_then_propose_again(
    qtbot, open_window, demo_profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _plant_three(demo_profile)
    window = open_window(demo_profile)
    page = _open_duplicates(qtbot, window)
    row, group = _group_of(page, ids)
    assert group is not None and len(group.members) == 3
    with qtbot.waitSignal(page.pair_loaded, timeout=WAIT_MS):
        page.select_group(row)
    assert page.not_pair_button.isVisible() and page.not_group_button.isEnabled()
    assert page.lower_tabs.tabText(1) == "Not duplicates"
    questions: list[str] = []
    monkeypatch.setattr(page, "confirm", lambda _title, question: questions.append(question) or True)

    # The two compared are different items: the third record stays proposed with each of them.
    compared = {page.pair.left.id, page.pair.right.id}
    with qtbot.waitSignals([page.groups_loaded, page.dismissals_loaded], timeout=WAIT_MS):
        qtbot.mouseClick(page.not_pair_button, Qt.MouseButton.LeftButton)
    assert not page._busy and len(page.dismissals.items) == 1
    assert "The other records of the group stay proposed" in questions[-1]
    assert set(page.dismissals.items[0].pair) == compared
    row, group = _group_of(page, ids)
    assert len(group.members) == 3 and len(group.pairs) == 2  # still to look at, without that pair
    assert page.lower_tabs.tabText(1) == "Not duplicates (1)"

    # The whole group is not duplicates: it leaves the list, and the list below names each pair.
    with qtbot.waitSignal(page.pair_loaded, timeout=WAIT_MS):
        page.select_group(row)
    with qtbot.waitSignals([page.groups_loaded, page.dismissals_loaded], timeout=WAIT_MS):
        qtbot.mouseClick(page.not_group_button, Qt.MouseButton.LeftButton)
    assert not page._busy and _group_of(page, ids)[1] is None and len(page.dismissals.items) == 3
    assert "will not be proposed together again" in questions[-1] and "• Plain language" in questions[-1]
    table = page.dismissals.table
    assert {table.item(r, 0).text() for r in range(3)} <= {
        "Plain language for public servants",
        "Plain language for public servants.",
    }
    assert table.item(0, 2).text().startswith(window.session.me())
    # Kept on the records (so it syncs), and the detail view says so.
    session = window.session
    holders = [session.store.get(i) for i in ids.values()]
    assert sum(1 for r in holders for link in r.links if link.relation is Relation.NOT_DUPLICATE_OF) == 3

    # Propose two of the pairs again: they come back as one group of three (joined through the third).
    assert not page.dismissals.restore_button.isEnabled()
    page.dismissals.select_rows([0, 1])
    assert page.dismissals.restore_button.isEnabled()
    with qtbot.waitSignals([page.groups_loaded, page.dismissals_loaded], timeout=WAIT_MS):
        qtbot.mouseClick(page.dismissals.restore_button, Qt.MouseButton.LeftButton)
    assert not page._busy and len(page.dismissals.items) == 1
    assert questions[-1] == "Propose these 2 pairs of records as likely duplicates again?"
    assert len(_group_of(page, ids)[1].pairs) == 2


def test_a_staff_member_is_told_librarians_decide(qtbot, open_window, demo_profile, monkeypatch) -> None:
    ids = _plant(demo_profile, "staff")
    window = open_window(demo_profile)
    page = _open_duplicates(qtbot, window)
    with qtbot.waitSignal(page.pair_loaded, timeout=WAIT_MS):
        page.select_group(_our_group(page, ids))
    assert not page.not_pair_button.isVisible()  # a group of two: "Not duplicates" says it all
    told: list[str] = []
    monkeypatch.setattr(page, "confirm", lambda *_a: True)
    monkeypatch.setattr(page, "inform", lambda _title, message: told.append(message))
    page.dismiss_group()
    qtbot.waitUntil(lambda: bool(told) and not page._busy, timeout=WAIT_MS)
    assert "Librarians decide about duplicates" in told[0]
    assert window.session.dismissed_duplicates() == []


def test_ctrl_z_undoes_a_merge_only_on_the_duplicates_page(
    qtbot, open_window, demo_profile, monkeypatch
) -> None:
    from PySide6.QtGui import QKeySequence

    ids = _plant(demo_profile, "librarian")
    window = open_window(demo_profile)
    undo = QKeySequence(QKeySequence.StandardKey.Undo)
    assert window.undo_merge_action.shortcut().isEmpty()  # Home: Ctrl+Z is not the merge's
    page = _open_duplicates(qtbot, window)
    assert window.undo_merge_action.shortcut() == undo
    monkeypatch.setattr(page, "confirm", lambda *_a: True)
    with qtbot.waitSignal(page.pair_loaded, timeout=WAIT_MS):
        page.select_group(_our_group(page, ids))
    with qtbot.waitSignal(page.merges_loaded, timeout=WAIT_MS):
        page.merge_into(0)
    qtbot.waitUntil(lambda: bool(page.merge_log) and not page._busy, timeout=WAIT_MS)

    # In the search box, Ctrl+Z undoes the typing, not the merge.
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=WAIT_MS)
    window.query_edit.setFocus()
    qtbot.keyClicks(window.query_edit, "plain")
    qtbot.keyClick(window.query_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.query_edit.text() == ""
    assert not page.merge_log[0].undone

    # On the page itself, Ctrl+Z undoes the merge.
    page.groups_table.setFocus()
    with qtbot.waitSignal(page.merges_loaded, timeout=WAIT_MS):
        qtbot.keyClick(page.groups_table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.merge_log[0].undone and not page._busy, timeout=WAIT_MS)

    # A list page's bulk-tag Undo keeps Ctrl+Z there.
    window.shell.show_key(window.shell.nav_keys[2])
    assert window.undo_merge_action.shortcut().isEmpty()
