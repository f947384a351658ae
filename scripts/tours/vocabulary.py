"""The Vocabulary page on the whole corpus: the tree, a term, finding by label, merging, bulk tagging,
a tag field completing from the vocabulary in an editor, and retiring a term for a replacement.

Runs on a copy of the corpus profile (EuroVoc, the LGSL and the Digital.gov topics: 7,638 terms).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QUrl
from PySide6.QtGui import QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea
from tours._common import Shooter, copy_profile, settle, wait_until

from desktop.ui.vocabulary_tree import TermTree


def _type(app: QApplication, widget: Any, text: str) -> None:
    widget.setFocus()
    for char in text:
        QTest.keyClicks(widget, char)
        settle(app, 0.02)


def composite(shooter: Shooter, name: str, extras: list[Any]) -> None:
    """The window with dialogs and popups painted where they are (no window manager under Xvfb)."""
    settle(shooter.app, 0.4)
    window = shooter.window
    image = window.grab()
    painter = QPainter(image)
    origin = window.geometry().topLeft()
    for widget in extras:
        if widget is not None and widget.isVisible():
            painter.drawPixmap(widget.mapToGlobal(widget.rect().topLeft()) - origin, widget.grab())
    painter.end()
    path = shooter.out / f"{shooter.prefix}{name}.png"
    image.save(str(path))
    print(f"saved {path}")


def editor_shot(shooter: Shooter, editor_window: Any, name: str, popup: Any) -> None:
    """An editor window with its completion popup painted on it."""
    settle(shooter.app, 0.4)
    image = editor_window.grab()
    painter = QPainter(image)
    if popup is not None and popup.isVisible():
        painter.drawPixmap(
            popup.mapToGlobal(popup.rect().topLeft()) - editor_window.geometry().topLeft(), popup.grab()
        )
    painter.end()
    path = shooter.out / f"{shooter.prefix}{name}.png"
    image.save(str(path))
    print(f"saved {path}")


def _term_id(window: Any, label: str, scheme: str = "") -> str:
    tree = window.shell.page("vocabulary").model.tree
    for term_id, entry in tree.terms.items():
        if entry.label == label and (not scheme or entry.scheme == scheme):
            return str(term_id)
    raise LookupError(label)


def run(app: QApplication, out: Path, workdir: Path, corpus_profile: Path | None) -> None:
    profile = copy_profile(corpus_profile, workdir)
    from desktop.paths import ProfilePaths
    from desktop.session import Session

    with Session.open(ProfilePaths(profile, "--data-dir")) as session:
        session.store.set_meta("sync.role", "librarian")  # as a librarian's sign-in leaves it
    shooter = Shooter(app, out, profile, "vocabulary-")
    window = shooter.window
    page = window.shell.page("vocabulary")
    loaded: list[bool] = []
    page.tree_loaded.connect(lambda: loaded.append(True))
    window.shell.show_key("vocabulary")
    wait_until(app, lambda: bool(loaded), what="the vocabulary tree")
    print(f"tree nodes made for {len(page.model.tree):,} terms: {page.model.nodes_made}")
    started = time.perf_counter()
    tree = TermTree.build(window.session.terms())  # what the reader thread does
    read_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    page.model.set_tree(tree)  # what the GUI thread does with it
    app.processEvents()
    shown_ms = (time.perf_counter() - started) * 1000
    eurovoc = next(
        r for r in range(page.model.rowCount()) if page.model.index(r, 0).data().startswith("EuroVoc")
    )
    started = time.perf_counter()
    page.tree.expand(page.model.index(eurovoc, 0))  # 544 top terms, made on the GUI thread as shown
    app.processEvents()
    expand_ms = (time.perf_counter() - started) * 1000
    print(
        f"terms read and tree built off the GUI thread: {read_ms:.0f} ms; model reset on the GUI thread: "
        f"{shown_ms:.1f} ms; EuroVoc opened (544 rows): {expand_ms:.1f} ms"
    )

    # 1. The tree: EuroVoc opened down to a term with narrower terms and alternative labels.
    energy = _term_id(window, "energy policy", "eurovoc")
    page.show_in_tree(_term_id(window, "energy saving", "eurovoc"))
    page.tree.expand(page.model.index_of(energy))
    wait_until(app, lambda: page.panel.details is not None, what="the term panel")
    print(f"tree nodes made after opening a branch: {page.model.nodes_made}")
    shooter.shot("01-tree-and-term")

    # 2. A term used by many records, with the records listed.
    page.show_in_tree(_term_id(window, "Accessibility"))
    wait_until(
        app,
        lambda: page.panel.details is not None and page.panel.details.term.title == "Accessibility",
        what="Accessibility",
    )
    page.panel.show_uses()
    shooter.shot("02-term-panel-with-records")

    # 3. An LGSL service, and finding terms by an alternative label.
    lgsl_root = next(
        row for row in range(page.model.rowCount()) if "Local Government" in page.model.index(row, 0).data()
    )
    for row in range(page.model.rowCount()):
        page.tree.collapse(page.model.index(row, 0))
    page.tree.expand(page.model.index(lgsl_root, 0))
    page.tree.scrollToTop()
    lgsl_first = page.model.index(0, 0, page.model.index(lgsl_root, 0))
    page.tree.setCurrentIndex(lgsl_first)
    wait_until(
        app,
        lambda: (
            page.panel.details is not None
            and page.panel.details.term.id == lgsl_first.data(page.model.TermIdRole)
        ),
    )
    shooter.shot("03-tree-lgsl")
    _type(app, page.find_edit, "rational use")
    wait_until(app, lambda: page.found_list.count() > 0, what="terms found")
    page.found_list.setCurrentRow(0)
    wait_until(
        app, lambda: page.panel.details is not None and page.panel.details.term.title == "energy saving"
    )
    shooter.shot("04-find-by-alternative-label")
    edit_dialog = page.edit_term()
    assert edit_dialog is not None
    edit_dialog.move(window.geometry().center() - edit_dialog.rect().center())
    composite(shooter, "05-edit-term", [edit_dialog])
    edit_dialog.reject()

    # 4. Bulk tagging: five articles of the knowledge base get "energy consumption".
    shooter.list_page("knowledge-base")
    kb = window.list_pages["knowledge-base"]
    selection = kb.table.selectionModel()
    for row in range(5):
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        selection.select(kb.model.index(row, 0), flags)
    settle(app)
    tagged = kb.selected_ids()
    tag_dialog = kb.tagger.start(window.session, tagged)
    assert tag_dialog is not None
    tag_dialog.move(window.geometry().center() - tag_dialog.rect().center())
    _type(app, tag_dialog.chooser, "consumption")
    wait_until(app, lambda: bool(tag_dialog.chooser.offered()), what="terms to tag with")
    settle(app, 0.5)
    composite(shooter, "06-bulk-tag-dialog", [tag_dialog, tag_dialog.chooser.completer_.popup()])
    match = next(m for m in tag_dialog.chooser._offered.values() if m.label == "energy consumption")
    tag_dialog.chooser.choose(match)
    tag_dialog.ok_button.click()
    wait_until(app, lambda: kb.tag_bar.isVisible(), what="the tagging")
    wait_until(app, lambda: kb.detail.view is not None and "energy consumption" in kb.detail.view.record.tags)
    shooter.shot("07-bulk-tagged-with-undo")

    # 5. The merge dialog: "energy consumption" (now on five records) into "energy use".
    window.shell.show_key("vocabulary")
    page.show_in_tree(_term_id(window, "energy consumption", "eurovoc"))
    wait_until(
        app,
        lambda: (
            page.panel.details is not None
            and page.panel.details.term.title == "energy consumption"
            and len(page.panel.details.usage.tagged) == 5
        ),
        what="energy consumption",
    )
    merged_id = page.panel.details.term.id
    dialog = page.merge_term()
    assert dialog is not None
    dialog.move(window.geometry().center() - dialog.rect().center())
    _type(app, dialog.chooser, "energy us")
    wait_until(app, lambda: bool(dialog.chooser.offered()), what="merge candidates")
    settle(app, 0.5)
    composite(shooter, "08-merge-dialog", [dialog, dialog.chooser.completer_.popup()])
    match = next(m for m in dialog.chooser._offered.values() if m.label == "energy use")
    dialog.chooser.choose(match)
    composite(shooter, "09-merge-dialog-chosen", [dialog])
    notes: list[str] = []
    page.tree_loaded.connect(lambda: notes.append(page.note_label.text()))
    dialog.merge_button.click()
    wait_until(app, lambda: bool(notes), what="the merge")
    wait_until(app, lambda: page.panel.details is not None and page.panel.details.term.title == "energy use")
    wait_until(app, lambda: len(page.panel.details.usage.tagged) == 5, what="the retagged records")
    page.panel.show_uses()
    shooter.shot("10-after-merge")

    # 5b. A link to the merged term (a colleague's record, a bookmark) leads to the one that stays.
    page.show_in_tree(merged_id)
    wait_until(
        app,
        lambda: page.panel.details is not None and page.panel.details.replaced is not None,
        what="the merged term's replacement",
    )
    shooter.shot("10b-merged-term-leads-to-replacement")

    # 5c. A tag in a record's view opens its term here, in the tree; Back returns to the record.
    window.open_record(tagged[0])
    detail = window.record_page.detail
    wait_until(app, lambda: detail.view is not None and detail.view.record.id == tagged[0], what="the record")
    shooter.shot("10c-record-with-term-tags")

    detail.browser.anchorClicked.emit(QUrl(f"term:{_term_id(window, 'energy use', 'eurovoc')}"))
    wait_until(
        app,
        lambda: (
            page.panel.details is not None
            and page.panel.details.term.title == "energy use"
            and page.panel.details.replaced is None  # read again: asked for by its own id
        ),
        what="the tag's term",
    )
    shooter.shot("10d-tag-opened-in-vocabulary")

    # 6. Completion in an editor: an alternative label offers its preferred term.
    case_id = tagged[0]
    editor_window = shooter.editor(lambda: window.edit_record(case_id))
    from desktop.ui.editors.draft import vocab_key

    field = editor_window.editor.widget(vocab_key(editor_window.editor.record.kind))
    scroll = editor_window.editor.findChild(QScrollArea)
    if scroll is not None:
        scroll.ensureWidgetVisible(field, 0, 200)
    editor_window.activateWindow()
    _type(app, field.input, "rational use")
    wait_until(app, lambda: field.model.rowCount() > 0, what="completions")
    if not field.completer.popup().isVisible():  # no window manager gives the editor the focus
        field.completer.setCompletionPrefix(field.input.text())
        field.completer.complete()
    settle(app, 0.6)
    editor_shot(shooter, editor_window, "11-editor-tag-completion", field.completer.popup())
    offered = field.model.stringList()[0]
    field.completer.popup().hide()
    field.choose(offered)  # what picking it does: the preferred label is stored
    field.input.clear()
    settle(app, 0.3)
    editor_shot(shooter, editor_window, "12-editor-tag-chosen", None)
    editor_window.editor.confirm_close_invalid = lambda _errors: True
    editor_window.close()
    settle(app, 0.5)

    # 7. Retiring "energy saving" for "energy policy": the replacement takes its labels.
    window.shell.show_key("vocabulary")
    saving = _term_id(window, "energy saving", "eurovoc")
    page.show_in_tree(saving)
    wait_until(app, lambda: page.panel.details is not None and page.panel.details.term.id == saving)
    retire_dialog = page.retire_term()
    assert retire_dialog is not None
    retire_dialog.move(window.geometry().center() - retire_dialog.rect().center())
    retire_dialog.replace_radio.setChecked(True)
    _type(app, retire_dialog.chooser, "energy pol")
    wait_until(app, lambda: bool(retire_dialog.chooser.offered()), what="replacements")
    match = next(m for m in retire_dialog.chooser._offered.values() if m.label == "energy policy")
    retire_dialog.chooser.choose(match)
    composite(shooter, "13-retire-with-replacement", [retire_dialog])
    retired: list[bool] = []
    page.tree_loaded.connect(lambda: retired.append(True))
    retire_dialog.retire_button.click()
    wait_until(app, lambda: bool(retired), what="the retirement")
    wait_until(
        app,
        lambda: (
            page.panel.details is not None
            and page.panel.details.term.id == energy
            and "energy saving" in (page.panel.details.term.fields.get("alt_labels") or [])
        ),
        what="the replacement with the retired term's labels",
    )
    shooter.shot("14-replacement-with-the-retired-labels")
    _type(app, page.find_edit, "rational use")
    wait_until(app, lambda: page.found_list.count() > 0, what="terms found by the old label")
    shooter.shot("15-old-label-finds-the-replacement")
    page.tree.setFocus(Qt.FocusReason.OtherFocusReason)
    shooter.close()
