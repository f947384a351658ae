"""The write lane in small steps, the import dialog and its report, and export to PDF, HTML and Markdown."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import pypdf
import pytest
from PySide6.QtWidgets import QApplication

from desktop.core.kinds import KIND_LABELS, Kind
from desktop.core.records import Record, new_record_id
from desktop.ui.export import ExportFlow, export_records
from desktop.ui.tasks import TaskManager

WAIT_MS = 20_000
NEWS = "knowledge_base/digitalgov/news/2015/03"


def _pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(str(path))
    # Qt's PDFs come back with tabs between words; compare on single spaces.
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# -- the write lane in steps ----------------------------------------------------------------


def test_a_write_queued_during_a_step_runs_before_the_next_step(qtbot) -> None:
    tasks = TaskManager()
    order: list[str] = []
    step_started = threading.Event()
    save_queued = threading.Event()

    def long_write():
        order.append("step 1")
        step_started.set()
        assert save_queued.wait(5)  # the save is queued while this step holds the lane
        yield 1
        order.append("step 2")
        yield 2
        order.append("step 3")
        return "imported"

    progress: list[int] = []
    results: list[object] = []
    tasks.write_steps(long_write(), progress.append, results.append, description="long write")
    assert step_started.wait(5)
    tasks.write(lambda: order.append("save"), description="save")
    save_queued.set()
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    assert order == ["step 1", "save", "step 2", "step 3"]
    assert progress == [1, 2] and results == ["imported"]
    assert tasks.shutdown()


def test_cancelling_steps_closes_the_generator_on_the_lane(qtbot) -> None:
    tasks = TaskManager()
    cleaned: list[str] = []
    cancelled: list[bool] = []
    results: list[object] = []

    def steps():
        try:
            yield from range(1_000)
        finally:
            cleaned.append(threading.current_thread().name)

    handle = None

    def on_progress(value: int) -> None:
        if value == 2:
            handle.cancel()

    handle = tasks.write_steps(
        steps(), on_progress, results.append, on_cancelled=lambda: cancelled.append(True)
    )
    qtbot.waitUntil(lambda: bool(cancelled), timeout=WAIT_MS)
    assert results == [] and len(cleaned) == 1
    assert cleaned[0] != threading.main_thread().name
    assert handle.steps_run < 1_000
    assert tasks.pending_count == 0
    assert tasks.shutdown()


# -- the import dialog ------------------------------------------------------------------------


def test_a_save_queued_during_an_import_runs_before_the_import_ends(
    qtbot, open_window, empty_profile, corpus
) -> None:
    from desktop.ui.import_flow import ImportFlow

    window = open_window(empty_profile)
    session = window.session
    flow = ImportFlow(window.tasks, session, window, batch_files=5)
    done_order: list[str] = []
    count_when_saved: list[int] = []
    record = Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": "Saved mid-import"})

    def save() -> None:
        count_when_saved.append(session.store.count())
        session.save(record)

    queued: list[bool] = []

    def queue_save_once(_progress) -> None:
        if not queued:
            queued.append(True)
            window.tasks.write(save, lambda _r: done_order.append("save"), description="save")

    flow.progressed.connect(queue_save_once)
    flow.finished.connect(lambda _ran: done_order.append("import"))
    flow.start([corpus / NEWS])
    qtbot.waitUntil(lambda: flow.report is not None, timeout=WAIT_MS)
    report = flow.report
    assert report.added == 40 and not report.errors
    assert done_order == ["save", "import"]
    assert count_when_saved[0] < report.added  # it ran between two batches, not after the import
    assert session.store.get(record.id) is not None
    assert flow.last_progress.total == 40
    flow.report_box.close()


def test_cancel_stops_after_the_batch_and_the_report_says_so(
    qtbot, open_window, empty_profile, corpus
) -> None:
    from desktop.ui.import_flow import ImportFlow

    window = open_window(empty_profile)
    flow = ImportFlow(window.tasks, window.session, window, batch_files=4)
    labels: list[str] = []

    def on_progress(progress) -> None:
        labels.append(flow.dialog.file_label.text())
        if progress.done:
            flow.dialog.cancel_button.click()

    flow.progressed.connect(on_progress)
    flow.start([corpus / NEWS])
    assert flow.dialog.isVisible() and flow.running
    qtbot.waitUntil(lambda: flow.report is not None, timeout=WAIT_MS)
    assert 0 < flow.report.added < 40
    first_file = sorted((corpus / NEWS).glob("*.md"))[0].name
    assert labels[0].startswith("Importing file 1 of 40: ") and labels[0].endswith(first_file)
    assert "cancelled" in flow.dialog.text()
    assert window.session.store.count() == flow.report.added
    assert not flow.dialog.cancel_button.isEnabled()
    flow.dialog.close()
    assert not flow.dialog.isVisible()


def test_closing_the_window_during_an_import_stops_it_cleanly(
    qtbot, open_window, empty_profile, corpus
) -> None:
    window = open_window(empty_profile)
    flow = window.import_paths([corpus / NEWS])
    with qtbot.waitSignal(flow.progressed, timeout=WAIT_MS):
        pass
    window.close()  # shuts the task manager down: the import stops at its next step
    assert window.session is None and flow.report is None
    assert window.tasks.active_threads() == 0

    from desktop.session import Session

    with Session.open(empty_profile) as session:
        kept = session.store.count()
        assert 0 <= kept < 40
        assert session.check().ok  # the index caught up with what was saved when it reopened


def test_the_report_lists_skipped_files_with_reasons(
    qtbot, open_window, empty_profile, tmp_path, corpus
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    for path in sorted((corpus / NEWS).glob("*.md"))[:2]:
        shutil.copy(path, folder / path.name)
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    (folder / "notes.txt").write_text("plain text", encoding="utf-8")
    window = open_window(empty_profile)

    flow = window.import_paths([folder])
    qtbot.waitUntil(lambda: flow.report is not None, timeout=WAIT_MS)
    dialog = flow.report_box
    assert dialog is not None and dialog.isVisible()
    assert "2 added" in dialog.text() and "2 skipped" in dialog.text()
    rows = {
        Path(dialog.table.item(row, 1).text()).name: (
            dialog.table.item(row, 0).text(),
            dialog.table.item(row, 2).text(),
        )
        for row in range(dialog.table.rowCount())
    }
    assert rows["broken.json"][0] == "Skipped" and "not valid JSON" in rows["broken.json"][1]
    assert rows["notes.txt"][0] == "Skipped" and "not a supported format" in rows["notes.txt"][1]

    dialog.copy_report()
    copied = QApplication.clipboard().text()
    assert "broken.json\tnot valid JSON" in copied.replace("Skipped\t", "").replace(str(folder) + "/", "")
    dialog.table.selectRow(0)
    dialog.copy_selection()
    assert QApplication.clipboard().text().count("\n") == 0 and "Skipped" in QApplication.clipboard().text()
    dialog.close_button.click()
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: window.record_count == 2, timeout=WAIT_MS)


# -- export ----------------------------------------------------------------------------------------


def _demo_ids(window, count: int) -> list[str]:
    kinds = [Kind.CASE_STUDY, Kind.SITE_VISIT, Kind.EXPERT]
    records = sorted(window.session.store.iter_records(kinds), key=lambda r: (kinds.index(r.kind), r.title))
    ids = [record.id for record in records]
    assert len(ids) >= count
    return ids[:count]


def test_export_a_demo_record_to_pdf_through_the_flow(qtbot, open_window, demo_profile, tmp_path) -> None:
    window = open_window(demo_profile)
    record_id = _demo_ids(window, 1)[0]
    record = window.session.store.get(record_id)
    flow = ExportFlow(window.tasks, window.session, window)
    target = tmp_path / "out" / "record.pdf"
    target.parent.mkdir()
    with qtbot.waitSignal(flow.exported, timeout=WAIT_MS):
        assert flow.start([record_id], target)
    assert "Exported to" in window.statusBar().currentMessage()
    text = _pdf_text(target)
    assert " ".join(record.title.split()) in text
    assert "Case study" in text and "Summary" in text
    assert record.source is not None and record.source.licence.split()[0] in text
    pages = pypdf.PdfReader(str(target)).pages
    assert [page.extract_text().split()[-1] for page in pages] == [str(n) for n in range(1, len(pages) + 1)]
    assert [p.name for p in target.parent.iterdir()] == ["record.pdf"]  # no temporary file left


def test_the_window_exports_to_the_path_given(qtbot, open_window, demo_profile, tmp_path) -> None:
    window = open_window(demo_profile)
    target = tmp_path / "record.md"
    flow = window.export_records(_demo_ids(window, 1), target)
    assert flow is not None
    qtbot.waitUntil(lambda: flow.path == target, timeout=WAIT_MS)
    assert target.read_text(encoding="utf-8").startswith("# ")
    assert window.export_records([]) is None


def test_export_three_records_gives_three_sections(qtbot, open_window, demo_profile, tmp_path) -> None:
    window = open_window(demo_profile)
    ids = _demo_ids(window, 3)
    views = [window.session.view(record_id) for record_id in ids]
    # A record's section opens with its title, then its kind and status.
    openings = [f"{' '.join(v.record.title.split())} {KIND_LABELS[v.record.kind]} ·" for v in views]

    pdf = export_records(views, tmp_path / "three.pdf", "pdf")
    reader = pypdf.PdfReader(str(pdf))
    starts = []
    for page in reader.pages:
        first = " ".join(page.extract_text().split())
        starts.extend(opening for opening in openings if first.startswith(opening))
    assert starts == openings  # each record starts a new page, in order
    assert len(reader.pages) >= 3

    markdown = export_records(views, tmp_path / "three.md", "md").read_text(encoding="utf-8")
    assert len([line for line in markdown.splitlines() if line.startswith("# ")]) == 3
    page = export_records(views, tmp_path / "three.html", "html").read_text(encoding="utf-8")
    assert page.count("<div class='record'>") == 3


def test_html_and_markdown_exports_escape_a_hostile_title(qtbot, open_window, demo_profile, tmp_path) -> None:
    window = open_window(demo_profile)
    view = window.session.view(_demo_ids(window, 1)[0])
    hostile = view.record.with_fields(title="<script>alert(1)</script> Water")
    from dataclasses import replace

    view = replace(view, record=hostile)
    page = export_records([view], tmp_path / "x.html", "html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Water" in page
    markdown = export_records([view], tmp_path / "x.md", "md").read_text(encoding="utf-8")
    assert "<script>" not in markdown
    for spec_label in ("Summary", "Service area"):
        if spec_label in page:
            assert re.search(rf"(\*\*{spec_label}:\*\*|^## {spec_label}$)", markdown, re.M)
    with pytest.raises(ValueError):
        export_records([view], tmp_path / "x.doc", "doc")
