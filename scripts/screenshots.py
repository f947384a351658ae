"""Drive the app through its screens and save a PNG of each into screenshots/ (git-ignored).

Run under Xvfb:
    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots.py [--corpus] [--dark]

Screens: the empty state, Home, every list page with a record selected, search as you
type, full-text results with facets, a facet filter, a record with its connections (on
the Search page and on its own page), an expert profile with what they wrote, the Experts
page's finder and "who knows about <topic>"; the editor of every kind (one with a field
error shown, one with recovered work), the history dialog, the trash, the settings
dialog and Home with unsaved work; the sync screens: sign-in (plain http, and https with an
office certificate authority), its result, a conflict, and a server that was replaced (the
status bar and the "start again with this server?" question). ``--corpus`` also imports
the whole shared corpus into a second profile and shows search and experts over it.
``--dark`` repeats the main screens in Qt's dark colour scheme.

``--tour NAME`` (repeatable; ``all`` for every one) runs only the named tours of
``scripts/tours/`` (one module each, with ``run(app, out, workdir, corpus_profile)``), and
``--corpus-profile DIR`` hands them a profile that already holds the imported corpus
(``imbizo --data-dir DIR import ../shared/corpus``); each tour works on a copy of it.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QScrollArea  # noqa: E402

from desktop.paths import ProfilePaths  # noqa: E402
from desktop.ui.app import ensure_application  # noqa: E402
from desktop.ui.main_window import MainWindow  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
logger = logging.getLogger("screenshots")


def wait_until(app: QApplication, condition: Callable[[], bool], timeout: float = 60, what: str = "") -> None:
    """Process events until ``condition()`` holds; raise after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what or condition}")
        app.processEvents()
        time.sleep(0.01)


def settle(app: QApplication, seconds: float = 0.3) -> None:
    """Let layouts and repaints finish before a grab."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


class Shooter:
    """One window on one profile, and the PNGs taken of it."""

    def __init__(self, app: QApplication, out: Path, profile: Path, prefix: str = ""):
        self.app = app
        self.out = out
        self.prefix = prefix
        self.window = MainWindow(ProfilePaths(profile, "--data-dir"))
        self.window.resize(1360, 840)
        self.window.show()
        self.window.open_profile()
        wait_until(app, lambda: self.window.record_count is not None, what="the profile to open")

    def shot(self, name: str, *, whole_screen: bool = False) -> None:
        """Save the window (or the whole screen, to include dialogs) as a PNG."""
        settle(self.app)
        path = self.out / f"{self.prefix}{name}.png"
        screen = self.window.screen()
        if whole_screen and screen is not None:
            screen.grabWindow(0).save(str(path))
        else:
            self.window.grab().save(str(path))
        print(f"saved {path}")

    def search(self, text: str) -> None:
        search = self.window.search
        search.query_edit.setFocus()
        search.query_edit.clear()
        for char in text:  # as a person types, so the debounce and stale answers are exercised
            search.query_edit.insert(char)
            settle(self.app, 0.03)
        wait_until(
            self.app,
            lambda: search.last_answer is not None and search.last_answer.text == text,
            what=f"answer for {text!r}",
        )

    def select_hit(self, title: str) -> None:
        search = self.window.search
        rows = [r for r in range(search.model.rowCount()) if search.model.hit(r).title == title]
        row = rows[0] if rows else 0
        search.results.setCurrentIndex(search.model.index(row, 0))
        wanted = search.model.hit(row).id
        wait_until(self.app, lambda: self.view_id() == wanted, what=f"record {title!r}")

    def list_page(self, key: str, row: int = 0) -> None:
        """Show a list page and select one of its rows."""
        page = self.window.list_pages[key]
        self.window.show_page(page)
        wait_until(
            self.app, lambda: page.model.rowCount() > 0 or page.model.total == 0, what=f"the {key} list"
        )
        if page.model.rowCount():
            page.select_row(min(row, page.model.rowCount() - 1))
            wanted = page.current_record_id()
            # A page with its own view beside the list (Communities) says what it shows.
            shown = getattr(page, "shown_id", lambda: page.detail.record_id)
            wait_until(self.app, lambda: shown() == wanted, what=f"a record on {key}")

    def open_record(self, record_id: str) -> None:
        """Open a record on its own page."""
        self.window.open_record(record_id)
        detail = self.window.record_page.detail
        wait_until(self.app, lambda: detail.record_id == record_id, what="the record page")

    def view_id(self) -> str | None:
        view = self.window.detail.view
        return view.record.id if view is not None else None

    def follow(self, relation: str) -> None:
        view = self.window.detail.view
        assert view is not None
        link = next(link for link in view.links if link.relation == relation and link.exists)
        self.window.detail.browser.anchorClicked.emit(QUrl(f"record:{link.id}"))
        wait_until(self.app, lambda: self.view_id() == link.id, what=f"the {relation} link")

    def experts(self, topic: str) -> None:
        self.window.search.query_edit.setText(topic)
        self.window.find_experts()
        wait_until(self.app, lambda: self.window.experts.topic == topic and bool(self.window.experts.experts))

    def editor(self, trigger: Callable[[], None]) -> Any:
        """Open an editor window with ``trigger`` and wait until it is ready."""
        opened: list[Any] = []
        self.window.editors.editor_opened.connect(opened.append)
        trigger()
        wait_until(self.app, lambda: bool(opened) and opened[0].editor.is_loaded, what="an editor")
        self.window.editors.editor_opened.disconnect(opened.append)
        editor_window = opened[0]
        editor_window.resize(900, 860)
        editor_window.move(self.window.geometry().topLeft())
        editor_window.raise_()
        return editor_window

    def shot_of(self, widget: Any, name: str) -> None:
        """Save one top-level widget (an editor or a dialog) as a PNG."""
        settle(self.app, 0.4)
        path = self.out / f"{self.prefix}{name}.png"
        widget.grab().save(str(path))
        print(f"saved {path}")

    def close(self) -> None:
        self.window.close()
        self.window.deleteLater()
        settle(self.app, 0.2)


def demo_tour(app: QApplication, out: Path, workdir: Path, prefix: str = "") -> None:
    shooter = Shooter(app, out, workdir / f"{prefix}demo-profile", prefix)
    shooter.shot("01-empty-state")
    shooter.window.empty_state.demo_button.click()
    wait_until(app, lambda: (shooter.window.record_count or 0) > 0, what="the demo to load")
    home = shooter.window.home
    shooter.window.show_page(home)
    wait_until(app, lambda: home.data is not None and bool(home.data.recent), what="Home")
    shooter.shot("10-home")
    for number, key in enumerate(shooter.window.list_pages, start=11):
        shooter.list_page(key, row=1)
        shooter.shot(f"{number}-list-{key}")
    experts_page = shooter.window.list_pages["experts"]
    shooter.window.show_page(experts_page)
    experts_page.find_experts("plain language")
    wait_until(app, lambda: bool(experts_page.finder.experts), what="the experts finder")
    shooter.shot("16-experts-finder")
    first_visit = shooter.window.list_pages["site-visits"].model.summary(0)
    if first_visit is not None:
        shooter.open_record(first_visit.id)
        shooter.shot("17-record-page-site-visit")
    shooter.search("wa")
    shooter.shot("02-as-you-type")
    shooter.search("plain language")
    shooter.select_hit("Plain-language water interruption notices cut complaint calls")
    shooter.shot("03-search-results-and-record")
    shooter.follow("author")
    shooter.shot("04-expert-profile-with-backlinks")
    shooter.search("accessible")
    shooter.window.search.facets.check("kind", "article")
    wait_until(app, lambda: shooter.window.search.facets.filters == {"kind": ["article"]})
    settle(app, 0.5)
    shooter.select_hit("Reduce, remove, remediate: PDFs and government websites")
    shooter.shot("05-facet-filter")
    shooter.experts("accessibility")
    shooter.shot("06-experts-for-a-topic")
    shooter.search("acessibility")
    shooter.shot("07-did-you-mean")
    editing_tour(app, shooter)
    shooter.close()


def _find_id(window: MainWindow, title: str) -> str:
    session = window.session
    assert session is not None
    hits = session.search(f'"{title}"', limit=10).hits
    return next(hit.id for hit in hits if hit.title == title)


def editing_tour(app: QApplication, shooter: Shooter) -> None:
    """Editors of each kind, history, trash, settings and unsaved work on Home."""
    from desktop.core.kinds import Kind

    window = shooter.window
    case_id = _find_id(window, "Plain-language water interruption notices cut complaint calls")
    editor_window = shooter.editor(lambda: window.edit_record(case_id))
    shooter.shot_of(editor_window, "20-editor-case-study")
    body = editor_window.editor.widget("body")
    body.preview_button.click()
    shooter.shot_of(editor_window, "21-editor-case-study-preview")
    body.preview_button.click()
    editor_window.editor.widget("summary").edit.setPlainText("Shorter summary, saved as a new version.")
    editor_window.editor.save_action.trigger()
    wait_until(app, lambda: not editor_window.editor.is_dirty, what="the save")
    editor_window.close()
    wait_until(app, lambda: case_id not in window.editors.windows, what="the editor to close")

    visit_id = _find_id(window, "Learning visit: Kestrel Bay reservoir customer desk")
    editor_window = shooter.editor(lambda: window.edit_record(visit_id))
    shooter.shot_of(editor_window, "22-editor-site-visit")
    scroll = editor_window.editor.findChild(QScrollArea)
    if scroll is not None:
        scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
    shooter.shot_of(editor_window, "23-editor-site-visit-follow-ups-and-photos")
    editor_window.close()
    wait_until(app, lambda: visit_id not in window.editors.windows, what="the editor to close")

    for number, (kind, name) in enumerate(
        [(Kind.EXPERT, "expert"), (Kind.CENTRE_ITEM, "centre-item"), (Kind.COMMUNITY, "community")], start=24
    ):
        editor_window = shooter.editor(lambda kind=kind: window.new_record(kind))
        if kind is Kind.CENTRE_ITEM:  # show a field error next to its field
            editor = editor_window.editor
            QTest.keyClicks(editor.widget("title").edit, "Water safety planning manual")
            QTest.keyClicks(editor.widget("year").edit, "twenty")  # typed, as the errors follow typing
        shooter.shot_of(editor_window, f"{number}-editor-{name}")
        editor_window.editor.confirm_close_invalid = lambda _errors: True
        record_id = editor_window.editor.record.id
        editor_window.close()
        wait_until(app, lambda record_id=record_id: record_id not in window.editors.windows)

    dialog = window.show_history(case_id)
    assert dialog is not None
    wait_until(app, lambda: len(dialog.entries) >= 2, what="the history")
    dialog.table.selectRow(0)
    shooter.shot_of(dialog, "27-history")
    dialog.close()

    session = window.session
    assert session is not None
    trash_id = _find_id(window, "Welsh language scheme")
    session.delete(trash_id)
    window.refresh_after_changes()
    window.show_page(window.shell.trash_page)
    wait_until(app, lambda: bool(window.shell.trash_page.view.records), what="the trash")
    shooter.shot("28-trash")

    draft = session.new_record(Kind.SITE_VISIT).with_changes(
        fields={"title": "Visit to the Ward 4 pump house", "place": "Ward 4"}
    )
    session.save_working_copy(draft, "")
    window.show_page(window.home)
    window.home.refresh()
    wait_until(app, lambda: window.home.data is not None and bool(window.home.data.unsaved))
    shooter.shot("29-home-with-unsaved-work")
    editor_window = shooter.editor(lambda: window.edit_record(draft.id))
    shooter.shot_of(editor_window, "30-editor-recovered-work")
    editor_window.editor.banner.discard_button.click()
    editor_window.editor.confirm_close_invalid = lambda _errors: True
    editor_window.close()
    wait_until(app, lambda: draft.id not in window.editors.windows)

    window.open_settings()
    wait_until(app, lambda: getattr(window, "settings_dialog", None) is not None, what="the settings")
    shooter.shot_of(window.settings_dialog, "31-settings")
    window.settings_dialog.reject()


def sync_tour(app: QApplication, out: Path, workdir: Path) -> None:
    """Sign-in, the status bar while synced, a conflict side by side, a replaced server (real servers)."""
    sys.path.insert(0, str(ROOT))
    from desktop.core.kinds import Kind
    from desktop.core.records import Record, new_record_id
    from tests.support.server_process import running_server

    password = "correct horse battery"
    with running_server(workdir / "server", {"thandi": ("staff", password)}) as url:
        laptop = Shooter(app, out, workdir / "sync-laptop", "sync-")
        desktop = Shooter(app, out, workdir / "sync-desktop", "sync-other-")
        for shooter in (laptop, desktop):
            controller = shooter.window.sync_ui.controller
            wait_until(app, lambda c=controller: c.service is not None, what="the sync service")
        dialog = laptop.window.sync_ui.open_sign_in()
        assert dialog is not None
        dialog.server_edit.setText(url)
        dialog.user_edit.setText("thandi")
        dialog.password_edit.setText(password)
        laptop.shot_of(dialog, "40-sign-in")
        ca_file = workdir / "office-ca.pem"
        ca_file.write_text("-----BEGIN CERTIFICATE-----\n", encoding="ascii")  # only its name is shown
        dialog.server_edit.setText("https://imbizo.office.lan")
        dialog.ca_edit.setText(str(ca_file))
        laptop.shot_of(dialog, "43-sign-in-private-ca")
        dialog.ca_edit.clear()
        dialog.server_edit.setText(url)
        dialog.sign_in()
        wait_until(app, lambda: dialog.signed is not None, what="the dialog's sign-in")
        laptop.shot_of(dialog, "44-signed-in")
        dialog.reject()
        controller = desktop.window.sync_ui.controller
        controller.sign_in(url, "thandi", password)
        for shooter in (laptop, desktop):
            controller = shooter.window.sync_ui.controller
            wait_until(app, lambda c=controller: c.state.kind == "up_to_date", what="signed in")
        record = Record(
            id=new_record_id(),
            kind=Kind.CASE_STUDY,
            fields={"title": "Standpipe queue tokens in Ward 9", "summary": "Numbered tokens at the gate."},
        )
        laptop.window.session.save(record)
        for shooter in (laptop, desktop):
            controller = shooter.window.sync_ui.controller
            controller.sync_now()
            wait_until(app, lambda c=controller: not c.running, what="a sync")
        laptop.window.session.save(record.with_fields(summary="Numbered tokens, handed out from 6 am."))
        other = desktop.window.session.store.get(record.id)
        desktop.window.session.save(other.with_fields(summary="Tokens at the gate; the queue is gone by 8."))
        for shooter in (laptop, desktop):
            controller = shooter.window.sync_ui.controller
            controller.refresh_status()
            wait_until(app, lambda c=controller: not c.running, what="the status")
            controller.sync_now()
            wait_until(app, lambda c=controller: not c.running and c.state.kind != "syncing", what="a sync")
        desktop.window.show_page(desktop.window.home)
        desktop.shot("41-status-conflict")
        conflicts = desktop.window.sync_ui.open_conflicts()
        wait_until(app, lambda: bool(conflicts.items), what="the conflicts")
        desktop.shot_of(conflicts, "42-conflicts")
        conflicts.close()
        different_server(app, desktop, workdir, password)
        laptop.close()
        desktop.close()


def different_server(app: QApplication, shooter: Shooter, workdir: Path, password: str) -> None:
    """The profile signs in to a server with another database: the sync stops and asks."""
    from tests.support.server_process import running_server

    sync = shooter.window.sync_ui
    assert sync is not None
    with running_server(workdir / "new-server", {"thandi": ("staff", password)}) as url:
        sync.controller.sign_in(url, "thandi", password)  # the sync after it stops at the check
        wait_until(
            app, lambda: sync.server_box is not None and sync.server_box.isVisible(), what="the question"
        )
        box = sync.server_box
        assert box is not None
        shooter.shot("45-status-different-server")
        shooter.shot_of(box, "46-different-server-question")
        box.button(box.StandardButton.No).click()
        wait_until(app, lambda: sync.server_box is None, what="the answer")


def corpus_tour(app: QApplication, out: Path, workdir: Path, corpus: Path) -> None:
    shooter = Shooter(app, out, workdir / "corpus-profile", "corpus-")
    started = time.monotonic()
    flow = shooter.window.import_paths([corpus])
    assert flow is not None
    settle(app, 3.0)
    shooter.shot("01-import-progress", whole_screen=True)
    wait_until(app, lambda: flow.report is not None, timeout=1800, what="the corpus import")
    report = flow.report
    print(
        f"imported the corpus in {time.monotonic() - started:.0f} s: {report.added} added, "
        f"{report.updated} updated, {report.skipped} skipped, {len(report.errors)} errors"
    )
    wait_until(app, lambda: (shooter.window.record_count or 0) > 0)
    settle(app, 0.5)
    shooter.shot("02-import-report", whole_screen=True)
    if flow.report_box is not None:
        flow.report_box.close()
    shooter.search("water")
    shooter.select_hit("")
    shooter.shot("03-search-results")
    shooter.experts("accessibility")
    shooter.shot("04-experts-for-a-topic")
    home = shooter.window.home
    shooter.window.show_page(home)
    home.refresh()
    wait_until(app, lambda: home.data is not None and bool(home.data.recent), what="Home")
    shooter.shot("05-home")
    for number, key in enumerate(shooter.window.list_pages, start=6):
        shooter.list_page(key, row=3)
        shooter.shot(f"{number:02d}-list-{key}")
    experts_page = shooter.window.list_pages["experts"]
    expert = experts_page.model.summary(0)
    if expert is not None:
        shooter.open_record(expert.id)
        shooter.shot("11-record-page-expert")
    centre = shooter.window.list_pages["centre"].model.summary(0)
    if centre is not None:
        shooter.open_record(centre.id)
        shooter.shot("12-record-page-centre-item")
    shooter.close()


DARK = {
    "Window": "#353535",
    "WindowText": "#e8e8e8",
    "Base": "#262626",
    "AlternateBase": "#2e2e2e",
    "Text": "#e8e8e8",
    "Button": "#3c3c3c",
    "ButtonText": "#e8e8e8",
    "Highlight": "#2f65ca",
    "HighlightedText": "#ffffff",
    "Link": "#8ab4ff",
    "PlaceholderText": "#9a9a9a",
    "ToolTipBase": "#3c3c3c",
    "ToolTipText": "#e8e8e8",
    "Light": "#6a6a6a",
    "Midlight": "#4a4a4a",
    "Mid": "#2a2a2a",
    "Dark": "#1c1c1c",
    "Shadow": "#000000",
}


def use_dark_scheme(app: QApplication) -> None:
    """A dark palette on the Fusion style, as a desktop in dark mode would hand the app."""
    app.setStyle("Fusion")
    app.styleHints().setColorScheme(Qt.ColorScheme.Dark)
    palette = QPalette()
    for role, colour in DARK.items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#8a8a8a"))
    app.setPalette(palette)
    settle(app, 0.3)


TOURS_DIR = ROOT / "scripts" / "tours"


def tour_names(wanted: list[str]) -> list[str]:
    """The tours of scripts/tours/ to run: the named ones, or every one for ``all``."""
    known = sorted(p.stem for p in TOURS_DIR.glob("*.py") if not p.stem.startswith("_"))
    if "all" in wanted:
        return known
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise SystemExit(f"unknown tour(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return wanted


def run_tours(
    names: list[str], app: QApplication, out: Path, workdir: Path, corpus_profile: Path | None
) -> None:
    """Run the named tours of scripts/tours/ (each saves its own PNGs into ``out``)."""
    sys.path.insert(0, str(TOURS_DIR.parent))
    for name in names:
        started = time.monotonic()
        module = importlib.import_module(f"tours.{name}")
        module.run(app, out, workdir / f"tour-{name}", corpus_profile)
        print(f"tour {name}: {time.monotonic() - started:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--corpus", nargs="?", const=DEFAULT_CORPUS, type=Path, help="also import a corpus")
    parser.add_argument("--dark", action="store_true", help="also take the main screens with a dark palette")
    parser.add_argument(
        "--tour", action="append", default=[], help="run this tour of scripts/tours/ (or all)"
    )
    parser.add_argument("--corpus-profile", type=Path, help="a profile holding the imported corpus")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = ensure_application()
    with tempfile.TemporaryDirectory(prefix="imbizo-shots-") as tmp:
        workdir = Path(tmp)
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(workdir / "settings"))
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(workdir / "settings"))
        if args.tour:
            (workdir / "tours").mkdir()
            run_tours(tour_names(args.tour), app, args.out, workdir / "tours", args.corpus_profile)
            return 0
        demo_tour(app, args.out, workdir)
        sync_tour(app, args.out, workdir)
        if args.dark:
            use_dark_scheme(app)
            demo_tour(app, args.out, workdir, prefix="dark-")
        if args.corpus:
            corpus_tour(app, args.out, workdir, args.corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
