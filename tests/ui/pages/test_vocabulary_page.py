"""The Vocabulary page, bulk tagging and tag completion, driven as a librarian would.

The profile holds a slice of the real vocabularies (EuroVoc's "energy policy" microthesaurus and
the current LGSL, imported by the real importer) and a few case studies.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QUrl

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, new_record_id
from desktop.paths import ProfilePaths
from desktop.session import Session
from tests.test_vocabulary import AUDIT, CONSUMPTION, ENERGY_USE, MARKET, POLICY, SAVING, write_slice

WAIT_MS = 20_000
CASES = [f"Ward {n} energy report" for n in range(4)]


@pytest.fixture(scope="module")
def vocab_profile_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import CORPUS

    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    base = tmp_path_factory.mktemp("vocab-ui")
    folder = base / "profile"
    with Session.open(ProfilePaths(folder, "--data-dir")) as session:
        session.import_paths(write_slice(CORPUS, base / "csv"))
        session.store.set_meta("sync.role", "librarian")  # as a librarian's sign-in leaves it
        tagged = [("energy consumption",), ("energy consumption", "meters"), (), ()]
        session.save_many(
            [
                Record(
                    new_record_id(),
                    Kind.CASE_STUDY,
                    {"title": title, "summary": "What the district learnt about its energy use."},
                    tags=tags,
                    links=(Link(Relation.ABOUT, CONSUMPTION),) if tags else (),
                )
                for title, tags in zip(CASES, tagged, strict=True)
            ]
        )
    return folder


@pytest.fixture
def vocab_profile(vocab_profile_template: Path, tmp_path: Path) -> ProfilePaths:
    folder = tmp_path / "profile"
    shutil.copytree(vocab_profile_template, folder)
    return ProfilePaths(folder, "--data-dir")


@pytest.fixture
def page(qtbot: Any, open_window: Callable[[ProfilePaths], Any], vocab_profile: ProfilePaths) -> Any:
    window = open_window(vocab_profile)
    vocabulary = window.shell.page("vocabulary")
    with qtbot.waitSignal(vocabulary.tree_loaded, timeout=WAIT_MS):
        window.shell.show_key("vocabulary")
    return vocabulary


def wait_term(qtbot: Any, page: Any, term_id: str) -> None:
    qtbot.waitUntil(
        lambda: page.panel.details is not None and page.panel.details.term.id == term_id, timeout=WAIT_MS
    )


def choose(qtbot: Any, chooser: Any, typed: str, label: str) -> None:
    chooser.setFocus()
    qtbot.keyClicks(chooser, typed)
    qtbot.waitUntil(lambda: any(m.label == label for m in chooser._offered.values()), timeout=WAIT_MS)
    chooser.choose(next(m for m in chooser._offered.values() if m.label == label))


def test_browse_the_tree_lazily_and_follow_links(qtbot: Any, page: Any) -> None:
    model = page.model
    names = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert any(name.startswith("EuroVoc") for name in names)
    assert any(name.startswith("Local Government Service List") for name in names)
    assert model.nodes_made < 200  # rows made as shown, not one per term
    page.show_in_tree(CONSUMPTION)
    wait_term(qtbot, page, CONSUMPTION)
    assert page.tree.currentIndex().data() == "energy consumption"
    assert page.tree.currentIndex().parent().data() == "energy market"
    text = page.panel.browser.toPlainText()
    assert "use of energy" in text and "energy audit" in text and "2 records" in text
    page.panel.browser.anchorClicked.emit(QUrl("uses:list"))
    assert page.panel.uses_list.count() == 2
    page.panel.browser.anchorClicked.emit(QUrl(f"term:{AUDIT}"))
    wait_term(qtbot, page, AUDIT)
    assert page.tree.currentIndex().data() == "energy audit"


def test_find_a_term_by_an_alternative_label(qtbot: Any, page: Any) -> None:
    qtbot.keyClicks(page.find_edit, "rational use")
    qtbot.waitUntil(lambda: page.found_list.count() > 0, timeout=WAIT_MS)
    assert page.found_list.item(0).text().startswith("rational use of energy → energy saving")
    page.found_list.setCurrentRow(0)
    wait_term(qtbot, page, SAVING)


def test_edit_and_create_terms(qtbot: Any, page: Any) -> None:
    session = page.session
    page.show_in_tree(SAVING)
    wait_term(qtbot, page, SAVING)
    lgsl = next(
        page.model.index(r, 0)
        for r in range(page.model.rowCount())
        if "Local" in page.model.index(r, 0).data()
    )
    page.tree.expand(lgsl)
    dialog = page.edit_term()
    dialog.alt_edit.setPlainText("rational use of energy\nwaste of energy\nenergy thrift")
    dialog.scope_edit.setPlainText("Using less energy for the same service.")
    with qtbot.waitSignal(page.tree_loaded, timeout=WAIT_MS):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    term = session.store.get(SAVING)
    assert "energy thrift" in term.fields["alt_labels"]
    lgsl = next(
        page.model.index(r, 0)
        for r in range(page.model.rowCount())
        if "Local" in page.model.index(r, 0).data()
    )
    assert page.tree.isExpanded(lgsl)  # the tree was read again; what was open stays open
    assert page.tree.currentIndex().data() == "energy saving"
    assert term.fields["scope_note"] == "Using less energy for the same service."
    assert session.store.outbox_entries(SAVING)

    dialog = page.new_term()
    dialog.label_edit.setText("Smart meters")
    choose(qtbot, dialog.broader_chooser, "consumpt", "energy consumption")
    assert dialog.broader() == [(CONSUMPTION, "energy consumption")]
    with qtbot.waitSignal(page.tree_loaded, timeout=WAIT_MS):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    created = [e for e in session.terms() if e.label == "Smart meters"]
    assert len(created) == 1 and created[0].broader == (CONSUMPTION,) and created[0].scheme == "eurovoc"
    wait_term(qtbot, page, created[0].id)
    assert page.tree.currentIndex().parent().data() == "energy consumption"


def test_merge_two_terms(qtbot: Any, page: Any) -> None:
    session = page.session
    page.show_in_tree(CONSUMPTION)
    wait_term(qtbot, page, CONSUMPTION)
    dialog = page.merge_term()
    assert "The 2 records tagged with it are retagged." in dialog.explanation.text()
    assert not dialog.merge_button.isEnabled()
    choose(qtbot, dialog.chooser, "energy us", "energy use")
    assert dialog.merge_button.isEnabled()
    dialog.merge_button.click()
    wait_term(qtbot, page, ENERGY_USE)
    qtbot.waitUntil(lambda: "2 records retagged" in page.note_label.text(), timeout=WAIT_MS)
    assert session.store.get(CONSUMPTION).deleted
    assert "energy consumption" in session.store.get(ENERGY_USE).fields["alt_labels"]
    tagged = [r for r in session.term_usage(ENERGY_USE).tagged]
    assert sorted(r.title for r in tagged) == CASES[:2]
    assert all(r.links_of(Relation.ABOUT) == [ENERGY_USE] for r in tagged)
    assert session.store.get(AUDIT).links_of(Relation.BROADER) == [ENERGY_USE]
    assert page.tree.currentIndex().data() == "energy use"


def open_in_record_page(qtbot: Any, window: Any, record_id: str) -> Any:
    window.open_record(record_id)
    detail = window.record_page.detail
    qtbot.waitUntil(lambda: detail.view is not None and detail.view.record.id == record_id, timeout=WAIT_MS)
    return detail


def test_a_tag_in_a_records_view_opens_the_term_in_the_vocabulary_page(qtbot: Any, page: Any) -> None:
    window = page.window()
    record = next(r for r in page.session.store.iter_records([Kind.CASE_STUDY]) if r.title == CASES[1])
    detail = open_in_record_page(qtbot, window, record.id)
    assert f"term:{CONSUMPTION}" in detail.browser.toHtml()  # the tag is a link to the term
    detail.browser.anchorClicked.emit(QUrl(f"term:{CONSUMPTION}"))
    assert window.current_page() is page
    wait_term(qtbot, page, CONSUMPTION)
    assert page.tree.currentIndex().data() == "energy consumption"  # its place in the tree
    assert "2 records" in page.panel.browser.toPlainText()  # and what uses it
    assert window.shell.can_go_back
    window.go_back()  # Back returns to the record
    assert window.current_page() is window.record_page
    assert not page.can_go_back
    # A term found by a search and shown as a record offers its place in the vocabulary.
    detail = open_in_record_page(qtbot, window, SAVING)
    assert "Show it in the Vocabulary page" in detail.browser.toPlainText()
    assert f"term:{SAVING}" in detail.browser.toHtml()
    detail.browser.anchorClicked.emit(QUrl(f"term:{SAVING}"))
    assert window.current_page() is page
    wait_term(qtbot, page, SAVING)
    assert page.tree.currentIndex().data() == "energy saving"
    # Chosen in the navigation, the page has no way back.
    window.shell.show_term(CONSUMPTION)
    window.shell.nav.setCurrentRow(window.shell.nav_keys.index("home"))
    window.shell.nav.setCurrentRow(window.shell.nav_keys.index("vocabulary"))
    assert not page.can_go_back


def test_a_merged_term_leads_to_its_replacement(qtbot: Any, page: Any) -> None:
    window = page.window()
    session = page.session
    session.merge_terms(ENERGY_USE, CONSUMPTION)
    late = Record(  # still naming the old term, as a colleague's record synced after the merge would
        new_record_id(),
        Kind.CASE_STUDY,
        {"title": "Late meter report", "summary": "Tagged offline."},
        tags=("energy consumption",),
        links=(Link(Relation.ABOUT, CONSUMPTION),),
    )
    session.save(late)
    with qtbot.waitSignal(page.tree_loaded, timeout=WAIT_MS):
        page.refresh()
    page.show_in_tree(CONSUMPTION)  # a link to the old term
    wait_term(qtbot, page, ENERGY_USE)
    assert page.panel.details.replaced.id == CONSUMPTION
    assert "“energy consumption” was merged into this term." in page.panel.browser.toPlainText()
    assert page.tree.currentIndex().data() == "energy use"

    detail = open_in_record_page(qtbot, window, late.id)
    html = detail.browser.toHtml()
    assert f"term:{ENERGY_USE}" in html and f"term:{CONSUMPTION}" not in html
    assert "energy consumption (now “energy use”)" in detail.browser.toPlainText()


def test_retire_a_term_removing_its_tag(qtbot: Any, page: Any) -> None:
    session = page.session
    page.show_in_tree(CONSUMPTION)
    wait_term(qtbot, page, CONSUMPTION)
    dialog = page.retire_term()
    assert dialog.remove_radio.isChecked() and dialog.retire_button.isEnabled()
    dialog.replace_radio.setChecked(True)
    assert not dialog.retire_button.isEnabled()  # a replacement must be chosen first
    dialog.remove_radio.setChecked(True)
    with qtbot.waitSignal(page.tree_loaded, timeout=WAIT_MS):
        dialog.retire_button.click()
    assert session.store.get(CONSUMPTION).deleted
    assert all(
        CONSUMPTION not in r.links_of(Relation.ABOUT) for r in session.store.iter_records([Kind.CASE_STUDY])
    )
    assert session.store.get(AUDIT).links_of(Relation.BROADER) == [
        MARKET
    ]  # lifted to the retired term's broader


def test_retire_a_term_with_a_replacement_that_takes_its_labels(qtbot: Any, page: Any) -> None:
    window = page.window()
    session = page.session
    page.show_in_tree(CONSUMPTION)
    wait_term(qtbot, page, CONSUMPTION)
    dialog = page.retire_term()
    assert "takes its labels as alternative labels" in dialog.findChildren(type(page.note_label))[-1].text()
    dialog.replace_radio.setChecked(True)
    choose(qtbot, dialog.chooser, "energy pol", "energy policy")
    with qtbot.waitSignal(page.tree_loaded, timeout=WAIT_MS):
        dialog.retire_button.click()
    wait_term(qtbot, page, POLICY)  # the replacement is shown, its new alternative labels with it
    text = page.panel.browser.toPlainText()
    assert "energy consumption" in text and "use of energy" in text
    assert "now also has “energy consumption” as an alternative label" in page.note_label.text()
    policy = session.store.get(POLICY)
    assert policy.fields["alt_labels"][:2] == ["energy consumption", "use of energy"]
    assert session.store.outbox_entries(POLICY)  # the edit waits to be pushed like any other
    tagged = {r.id for r in session.term_usage(POLICY).tagged}
    assert len(tagged) == 2 and tagged <= {h.id for h in session.search("energy consumption").hits}

    # The find box and a tag field offer the replacement for the old label.
    qtbot.keyClicks(page.find_edit, "use of ener")
    qtbot.waitUntil(lambda: page.found_list.count() > 0, timeout=WAIT_MS)
    assert page.found_list.item(0).text().startswith("use of energy → energy policy")
    stored = tag_in_an_editor(qtbot, window, "energy consum", "energy consumption → energy policy")
    assert stored.tags == ("energy policy",) and stored.links_of(Relation.ABOUT) == [POLICY]


def test_staff_signed_in_to_a_server_cannot_curate(qtbot: Any, page: Any) -> None:
    page.session.store.set_meta("sync.server_url", "https://kb.example.org")
    page.session.store.set_meta("sync.role", "staff")
    with qtbot.waitSignal(page.tree_loaded, timeout=WAIT_MS):
        page.refresh()
    page.show_in_tree(POLICY)
    wait_term(qtbot, page, POLICY)
    assert not page.can_curate
    assert not any(
        b.isEnabled() for b in (page.new_button, page.edit_button, page.merge_button, page.retire_button)
    )


def test_bulk_tag_a_selection_and_undo(qtbot: Any, page: Any) -> None:
    window = page.window()
    session = page.session
    lists = window.list_pages["knowledge-base"]
    window.show_page(lists)
    qtbot.waitUntil(lambda: lists.model.rowCount() == 4, timeout=WAIT_MS)
    selection = lists.table.selectionModel()
    for row in range(3):
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        selection.select(lists.model.index(row, 0), flags)
    chosen = lists.selected_ids()
    assert len(chosen) == 3 and lists.tag_button.isEnabled()
    # One of them already carries the term's label as a free tag (typed before the term existed).
    had = session.store.get(chosen[-1])
    session.save(had.with_changes(tags=(*had.tags, "energy saving")))
    before = {record_id: session.store.get(record_id) for record_id in chosen}
    seq = session.store.last_seq()
    lists.tag_button.click()
    dialog = lists.tagger.dialog
    assert "3 selected records" in dialog.findChildren(type(lists.count_label))[0].text()
    choose(qtbot, dialog.chooser, "rational use", "energy saving")  # found by its alternative label
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: lists.tag_bar.isVisible(), timeout=WAIT_MS)
    assert "Tagged 3 records with “energy saving”" in lists.tag_bar.label.text()
    assert session.store.last_seq() == seq + 3  # one write: one new revision each
    for record_id in chosen:
        record = session.store.get(record_id)
        assert "energy saving" in record.tags and SAVING in record.links_of(Relation.ABOUT)
    assert set(chosen) <= {hit.id for hit in session.search("rational use of energy").hits}

    lists.tag_bar.undo_button.click()
    qtbot.waitUntil(lambda: "Undone" in lists.tag_bar.label.text(), timeout=WAIT_MS)
    for record_id in chosen:  # exactly as before: the tag it had stays, the others lose it
        record = session.store.get(record_id)
        assert (record.tags, record.links) == (before[record_id].tags, before[record_id].links)
    assert "energy saving" in session.store.get(chosen[-1]).tags
    assert not lists.tag_bar.undo_button.isVisible()


def tag_in_an_editor(qtbot: Any, window: Any, typed: str, offered: str) -> Record:
    """Open an untagged case study, type ``typed`` in its tag field, pick ``offered``, save: the record."""
    session = window.session
    record = next(r for r in session.store.iter_records([Kind.CASE_STUDY]) if r.title == CASES[3])
    opened: list[Any] = []
    window.editors.editor_opened.connect(opened.append)
    window.edit_record(record.id)
    qtbot.waitUntil(lambda: bool(opened) and opened[0].editor.is_loaded, timeout=WAIT_MS)
    editor = opened[0].editor
    field = editor.widget("@tags")
    field.window().activateWindow()
    field.input.setFocus()
    qtbot.keyClicks(field.input, typed)
    qtbot.waitUntil(lambda: offered in field.model.stringList(), timeout=WAIT_MS)
    assert field.choose(offered)
    preferred = offered.split(" → ")[-1]
    assert [label for label, _id in field.value()] == [preferred]
    with qtbot.waitSignal(editor.record_saved, timeout=WAIT_MS):
        editor.save_action.trigger()
    editor.confirm_close_invalid = lambda _errors: True
    opened[0].close()
    return session.store.get(record.id)  # type: ignore[no-any-return]


def test_tag_field_completes_an_alternative_label_with_the_preferred_term(qtbot: Any, page: Any) -> None:
    stored = tag_in_an_editor(qtbot, page.window(), "rational use", "rational use of energy → energy saving")
    assert stored.tags == ("energy saving",) and stored.links_of(Relation.ABOUT) == [SAVING]


def test_import_eurovoc_and_lgsl_from_the_corpus_with_progress(
    qtbot: Any,
    open_window: Callable[[ProfilePaths], Any],
    demo_profile: ProfilePaths,
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    from tests.conftest import CORPUS

    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    corpus = tmp_path / "corpus"
    write_slice(CORPUS, corpus / "vocab" / "eurovoc")  # writes the EuroVoc slice there
    lgsl = corpus / "vocab" / "lgsl_govuk_publisher"
    lgsl.mkdir(parents=True)
    shutil.copy(CORPUS / "vocab" / "lgsl_govuk_publisher" / "local_services_current.csv", lgsl)
    monkeypatch.setattr("desktop.ui.vocabulary_import.corpus_folder", lambda: corpus)
    with Session.open(demo_profile) as session:
        session.store.set_meta("sync.role", "librarian")
    window = open_window(demo_profile)
    page = window.shell.page("vocabulary")
    with qtbot.waitSignal(page.tree_loaded, timeout=WAIT_MS):
        window.shell.show_key("vocabulary")
    assert [page.model.index(r, 0).data() for r in range(page.model.rowCount())] == [
        "Digital.gov topics (10 terms)"
    ]
    progressed: list[Any] = []
    page.import_vocabularies()
    flow = page.import_flow
    flow.progressed.connect(progressed.append)
    with qtbot.waitSignal(page.tree_loaded, timeout=60_000):
        qtbot.waitUntil(lambda: flow.report is not None, timeout=60_000)
    assert flow.report.added > 150 and progressed
    names = [page.model.index(r, 0).data() for r in range(page.model.rowCount())]
    assert any(n.startswith("EuroVoc") for n in names) and any(
        n.startswith("Local Government") for n in names
    )
    flow.dialog.close()


def test_a_notation_that_only_repeats_the_label_is_not_shown(qtbot: Any) -> None:
    from desktop.core.vocabulary import TermUsage
    from desktop.ui.term_panel import TermDetails, details_html

    def shown(label: str, notation: str) -> str:
        topic = Record("t-1", Kind.TERM, {"label": label, "scheme": "digitalgov", "notation": notation})
        return details_html(TermDetails(topic, {}, TermUsage()), "#777")

    assert "notation" not in shown("Human-centered design", "human-centered-design")
    assert "notation 642" in shown("energy saving", "642")
