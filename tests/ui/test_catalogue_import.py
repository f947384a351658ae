"""The staged catalogue import in the app: choose files, see the preview, import, see the report; export."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop.core.import_preview import Outcome
from desktop.core.kinds import Kind
from desktop.paths import ProfilePaths
from desktop.session import Session

WAIT_MS = 30_000
MARC = "library/pymarc_test/marc.dat"
OTHER = "library/pymarc_test/test.dat"


@pytest.fixture
def catalogue_profile(tmp_path: Path, corpus: Path) -> ProfilePaths:
    paths = ProfilePaths(tmp_path / "profile", "--data-dir")
    with Session.open(paths) as session:
        session.import_paths([corpus / MARC, corpus / OTHER])
    return paths


def _mine(tmp_path: Path, paths: ProfilePaths) -> tuple[Path, str, str]:
    """A CSV with one changed record (of test.dat) and one new one sharing an ISBN with marc.dat."""
    with Session.open(paths) as session:
        items = sorted(session.store.iter_records([Kind.CENTRE_ITEM]), key=lambda r: r.id)
    changed = next(r for r in items if r.source.path.endswith("test.dat"))
    holder = next(r for r in items if r.source.path.endswith("marc.dat") and r.fields.get("isbn"))
    csv = tmp_path / "mine.csv"
    csv.write_text(
        "id,title,isbn,holding_centre\n"
        f"{changed.id},A corrected title,,Durban knowledge centre\n"
        f",Another copy of it,{holder.fields['isbn'][0]},\n"
        ",,,\n,,,Polokwane\n",
        encoding="utf-8",
    )
    return csv, changed.id, holder.id


def test_choose_files_see_the_preview_import_and_see_the_report(
    qtbot, open_window, catalogue_profile, tmp_path, corpus, monkeypatch
) -> None:
    csv, changed_id, holder_id = _mine(tmp_path, catalogue_profile)
    window = open_window(catalogue_profile)
    before = window.record_count
    monkeypatch.setattr("desktop.ui.import_flow.ask_import_files", lambda _parent: [corpus / MARC, csv])
    window.import_files_action.trigger()
    flow = window.catalogue_flow
    qtbot.waitUntil(lambda: flow.preview is not None, timeout=WAIT_MS)
    dialog = flow.dialog
    assert dialog.isVisible() and dialog.pages.currentIndex() == dialog.PAGE_PREVIEW
    assert flow.preview.counts() == {"add": 0, "update": 1, "unchanged": 20, "duplicate": 1, "rejected": 1}
    assert dialog.outcome_buttons[Outcome.UPDATE].text().endswith(" 1")
    assert dialog.import_button.text() == "Import 1 record(s)" and dialog.import_button.isEnabled()
    assert window.record_count == before  # the preview wrote nothing

    dialog.show_outcome(Outcome.UPDATE)  # the update, side by side
    assert dialog.proxy.rowCount() == 1 and dialog.selected_item().existing_id == changed_id
    rows = {
        dialog.changes.item(r, 0).text(): (dialog.changes.item(r, 1).text(), dialog.changes.item(r, 2).text())
        for r in range(dialog.changes.rowCount())
    }
    assert rows["Title"][1] == "A corrected title" and rows["Holding centre"] == (
        "",
        "Durban knowledge centre",
    )
    assert "Authors" not in rows  # the CSV has no authors column: they stay, so they are not listed
    assert "ISBN" not in rows  # ...and a blank ISBN cell leaves the ISBNs alone

    dialog.show_outcome(Outcome.DUPLICATE)  # the duplicate beside the item it duplicates
    assert "same ISBN" in dialog.side_reason.text()
    qtbot.waitUntil(lambda: holder_id in dialog.holders, timeout=WAIT_MS)
    assert dialog.changes.horizontalHeaderItem(1).text() == "Already in the catalogue"
    dialog.show_outcome(Outcome.REJECTED)
    assert dialog.selected_item().reason == "it has no title"
    dialog.filter_edit.setText("zzz-no-such-title")
    assert dialog.proxy.rowCount() == 0
    dialog.filter_edit.clear()

    dialog.import_button.click()
    assert dialog.pages.currentIndex() in (dialog.PAGE_IMPORTING, dialog.PAGE_REPORT)
    qtbot.waitUntil(lambda: flow.report is not None, timeout=WAIT_MS)
    assert dialog.pages.currentIndex() == dialog.PAGE_REPORT
    assert dialog.report_text().startswith(
        "Done. 0 added, 1 updated, 20 already as they were; 1 duplicate(s)"
    )
    assert dialog.report_table.rowCount() == 2
    dialog.copy_report()
    assert "it has no title" in QApplication.clipboard().text()
    dialog.close_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert window.session.store.get(changed_id).title == "A corrected title"
    assert window.record_count == before


def test_the_knowledge_centre_page_imports_and_exports_the_catalogue(
    qtbot, open_window, catalogue_profile, tmp_path, corpus, monkeypatch
) -> None:
    window = open_window(catalogue_profile)
    window.shell.show_key("centre")
    page = window.current_page()
    monkeypatch.setattr("desktop.ui.catalogue_flow.ask_catalogue_files", lambda _parent: [corpus / OTHER])
    page.import_catalogue_button.click()
    flow = window.catalogue_flow
    qtbot.waitUntil(lambda: flow.preview is not None, timeout=WAIT_MS)
    assert flow.preview.counts()["unchanged"] == 10 and not flow.dialog.import_button.isEnabled()
    flow.dialog.preview_cancel.click()
    assert not flow.dialog.isVisible()

    target = tmp_path / "catalogue.xml"
    exported: list[object] = []
    monkeypatch.setattr(
        "desktop.ui.catalogue_flow.CatalogueExportFlow.ask_path", lambda self: (target, "marcxml")
    )
    page.export_catalogue_button.click()
    qtbot.waitUntil(
        lambda: target.exists() and "Exported 30" in window.statusBar().currentMessage(), timeout=WAIT_MS
    )
    assert target.read_text(encoding="utf-8").count("<record ") == 30
    flow = window.export_catalogue(tmp_path / "catalogue.csv")
    flow.exported.connect(exported.append)
    qtbot.waitUntil(lambda: bool(exported), timeout=WAIT_MS)
    assert exported == [(tmp_path / "catalogue.csv", 30)]
