"""Tour: the Duplicates page over the real corpus, with two duplicates planted in the copy.

The corpus already holds a few (an 18F post reposted under two file names, a resource and the
news item announcing it). The tour adds the two cases a librarian meets most: a catalogue record
imported again under another control number with its ISBN written in the other form, and an
article reposted under another slug. It compares, merges (as a librarian), shows the survivor's
history with the merged record's versions, and undoes the merge from the Edit menu. Last, it says
one of the corpus's own groups is not duplicates (a resource and the news item announcing it are
two items), shows the "Not duplicates" list, and the record's detail naming the other.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from tours._common import Shooter, copy_profile, settle, wait_until

from desktop.core.identifiers import normalize_isbn
from desktop.core.kinds import Kind
from desktop.core.records import Record, Relation, new_record_id

ME = "nomsa.librarian"


def _isbn10(isbn13: str) -> str:
    core = isbn13[3:12]
    check = (11 - sum((10 - i) * int(d) for i, d in enumerate(core)) % 11) % 11
    ten = core + ("X" if check == 10 else str(check))
    return f"{ten[0]}-{ten[1:4]}-{ten[4:9]}-{ten[9]} (pbk.)"


def _copy(record: Record, suffix: str, **fields: Any) -> Record:
    source = record.source
    if source is not None:
        source = replace(
            source, key=f"{source.key}-{suffix}", path=source.path.replace(".md", f"-{suffix}.md")
        )
    return record.with_changes(
        id=new_record_id(), fields={**record.fields, **fields}, source=source, revision="", parent_revision=""
    )


def _plant(session: Any) -> tuple[Record, Record, Record, Record]:
    """A catalogue record again under another control number, and an article under another slug."""
    book = next(
        r
        for r in session.store.iter_records([Kind.CENTRE_ITEM])
        if r.fields.get("authors")
        and r.fields.get("publisher")
        and r.fields.get("subjects")
        and any(normalize_isbn(i).startswith("978") for i in r.fields.get("isbn") or [])
    )
    isbn = next(normalize_isbn(i) for i in book.fields["isbn"] if normalize_isbn(i))
    again = _copy(
        book,
        "again",
        isbn=[_isbn10(isbn)],
        control_number="B" + str(book.fields.get("control_number", "0")),
        call_number="",
        subjects=[],
        abstract="Donated copy, catalogued again at the district office.",
    )
    again = again.with_changes(tags=("Donations",))
    article = next(
        r
        for r in session.store.iter_records([Kind.ARTICLE])
        if r.source is not None
        and r.source.collection == "digitalgov"
        and r.links_of(Relation.AUTHOR)
        and str(r.fields.get("date", "")).startswith("2019")
        and len(r.title.split()) >= 5
        and r.fields.get("summary")
    )
    repost = _copy(article, "repost", title=article.title + ".")
    session.save_many([again, repost])
    return book, again, article, repost


def _group_row(page: Any, ids: set[str]) -> int:
    return next(row for row, group in enumerate(page.groups) if {m.id for m in group.members} == ids)


def run(app: Any, out: Path, workdir: Path, corpus_profile: Path | None) -> None:
    """Take the Duplicates page's PNGs."""
    profile = copy_profile(corpus_profile, workdir)
    shooter = Shooter(app, out, profile, prefix="duplicates-")
    window = shooter.window
    session = window.session
    session.set_me(ME)
    session.set_role("librarian")
    book, again, article, repost = _plant(session)
    window.refresh_after_changes()

    page = window.shell.page("duplicates")
    window.shell.show_key("duplicates")
    wait_until(
        app, lambda: len(page.groups) > 0 and page.summary.text().startswith(("1", "2")), what="groups"
    )
    page.select_group(_group_row(page, {book.id, again.id}))
    wait_until(
        app,
        lambda: page.pair is not None and {page.pair.left.id, page.pair.right.id} == {book.id, again.id},
        what="the pair",
    )
    settle(app, 0.5)
    shooter.shot("catalogue-pair")

    page.select_group(_group_row(page, {article.id, repost.id}))
    wait_until(
        app, lambda: page.pair is not None and page.pair.left.id in {article.id, repost.id}, what="articles"
    )
    settle(app, 0.5)
    shooter.shot("article-pair")

    page.select_group(_group_row(page, {book.id, again.id}))
    wait_until(
        app, lambda: page.pair is not None and book.id in {page.pair.left.id, page.pair.right.id}, what="pair"
    )
    page.confirm = lambda _title, _question: True
    page.merge_into(0 if page.pair.left.id == book.id else 1)
    wait_until(app, lambda: bool(page.merge_log) and not page._busy, what="the merge")
    wait_until(
        app, lambda: all(book.id not in {m.id for m in g.members} for g in page.groups), what="refresh"
    )
    settle(app, 0.5)
    shooter.shot("after-merge")

    from desktop.ui.history_dialog import HistoryDialog

    dialog = HistoryDialog(window.tasks, session, book.id, window)
    dialog.show()
    wait_until(app, lambda: bool(dialog.entries), what="the history")
    merged = [
        r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 2).text().startswith("merged")
    ]
    if merged:
        dialog.table.selectRow(merged[0])
    settle(app, 0.5)
    path = out / "duplicates-history.png"
    dialog.grab().save(str(path))
    print(f"saved {path}")
    dialog.close()

    edit_menu = (
        window.undo_merge_action.associatedObjects()[0]
        if window.undo_merge_action.associatedObjects()
        else None
    )
    if edit_menu is not None and hasattr(edit_menu, "popup"):
        edit_menu.popup(window.mapToGlobal(window.menuBar().geometry().bottomLeft()))
        settle(app, 0.5)
        shooter.shot("edit-menu", whole_screen=True)
        edit_menu.hide()
    window.undo_merge_action.trigger()
    wait_until(
        app, lambda: bool(page.merge_log) and page.merge_log[0].undone and not page._busy, what="the undo"
    )
    wait_until(app, lambda: any(book.id in {m.id for m in g.members} for g in page.groups), what="group back")
    settle(app, 0.5)
    shooter.shot("after-undo")

    # Not duplicates: a group of the corpus itself, not one of those planted.
    planted = {book.id, again.id, article.id, repost.id}
    row = next((r for r, g in enumerate(page.groups) if not planted & {m.id for m in g.members}), None)
    if row is None:
        return
    page.select_group(row)
    wait_until(app, lambda: page.pair is not None, what="a corpus pair")
    settle(app, 0.5)
    shooter.shot("before-not-duplicates")
    dismissed = [m.id for m in page.groups[row].members]
    page.dismiss_group()
    wait_until(app, lambda: len(page.dismissals.items) >= 1 and not page._busy, what="the dismissal")
    wait_until(
        app, lambda: all(dismissed[0] not in {m.id for m in g.members} for g in page.groups), what="refresh"
    )
    page.lower_tabs.setCurrentWidget(page.dismissals)
    page.dismissals.select_rows([0])
    settle(app, 0.5)
    shooter.shot("not-duplicates")
    window.shell.open_record(dismissed[0])
    wait_until(app, lambda: window.tasks.pending_count == 0, what="the record and the people to ask")
    settle(app, 0.5)
    shooter.shot("not-duplicates-detail")
