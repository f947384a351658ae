"""Drive the app through its screens and save a PNG of each into screenshots/ (git-ignored).

Run under Xvfb:
    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots.py [--corpus] [--dark]

Screens: the empty state, search as you type, full-text results with facets, a facet
filter, a record with its connections, an expert profile with what they wrote, and
"who knows about <topic>". ``--corpus`` also imports the whole shared corpus into a
second profile and shows search and experts over it. ``--dark`` repeats the main
screens in Qt's dark colour scheme.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

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

    def close(self) -> None:
        self.window.close()
        self.window.deleteLater()
        settle(self.app, 0.2)


def demo_tour(app: QApplication, out: Path, workdir: Path, prefix: str = "") -> None:
    shooter = Shooter(app, out, workdir / f"{prefix}demo-profile", prefix)
    shooter.shot("01-empty-state")
    shooter.window.empty_state.demo_button.click()
    wait_until(app, lambda: (shooter.window.record_count or 0) > 0, what="the demo to load")
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
    shooter.close()


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--corpus", nargs="?", const=DEFAULT_CORPUS, type=Path, help="also import a corpus")
    parser.add_argument("--dark", action="store_true", help="also take the main screens with a dark palette")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = ensure_application()
    with tempfile.TemporaryDirectory(prefix="imbizo-shots-") as tmp:
        workdir = Path(tmp)
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(workdir / "settings"))
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(workdir / "settings"))
        demo_tour(app, args.out, workdir)
        if args.dark:
            use_dark_scheme(app)
            demo_tour(app, args.out, workdir, prefix="dark-")
        if args.corpus:
            corpus_tour(app, args.out, workdir, args.corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
