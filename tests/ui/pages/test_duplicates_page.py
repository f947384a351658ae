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
    rows = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
    merged_rows = [r for r, text in enumerate(rows) if text.startswith("merged record “Plain language")]
    assert merged_rows and len(merged_rows) == len(session.store.history(ids["gone"]))
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
