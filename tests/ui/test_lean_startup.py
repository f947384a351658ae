"""The start-up path stays lean: the window shows before SQLAlchemy, Whoosh and the importers load.

bench/bench_startup.py measures the time; these tests keep the cause of a slow start from creeping
back in (a module-level ``from desktop.session import ...`` in any UI module is enough).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from desktop.paths import ProfilePaths

#: Packages the window must not wait for: they load with the profile, on a worker, after it shows.
HEAVY = ("sqlalchemy", "alembic", "whoosh", "pymarc", "yaml", "PIL", "pypdf", "desktop.session")

REPO = Path(__file__).resolve().parents[2]


def _loaded_after(code: str, tmp_path: Path) -> list[str]:
    """Run ``code`` in a fresh interpreter and return the heavy modules it left in sys.modules."""
    script = (
        "import json, sys\n"
        f"{code}\n"
        f"heavy = {HEAVY!r}\n"
        "found = {m for m in sys.modules for h in heavy if m == h or m.startswith(h + '.')}\n"
        "print(json.dumps(sorted(found)))\n"
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
        "IMBIZO_CONFIG_DIR": str(tmp_path / "config"),
        "IMBIZO_LOG_DIR": str(tmp_path / "logs"),
    }
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "profile")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_app_and_the_main_window_loads_no_heavy_package(tmp_path: Path) -> None:
    loaded = _loaded_after("import desktop.__main__, desktop.ui.app, desktop.ui.main_window", tmp_path)
    assert loaded == [], f"imported on the start-up path: {loaded} (see desktop/ui/__init__.py)"


def test_building_and_showing_the_window_loads_no_heavy_package(tmp_path: Path) -> None:
    # Everything run_app does before the profile opens: the application, the window, show().
    code = (
        "from pathlib import Path\n"
        "from desktop.paths import ProfilePaths\n"
        "from desktop.ui.app import ensure_application\n"
        "from desktop.ui.main_window import MainWindow\n"
        "app = ensure_application()\n"
        "window = MainWindow(ProfilePaths(Path(sys.argv[1]), '--data-dir'))\n"
        "window.show()\n"
        "app.processEvents()\n"
        "assert window.isVisible()\n"
    )
    loaded = _loaded_after(code, tmp_path)
    assert loaded == [], f"loaded before the profile opens: {loaded} (see desktop/ui/__init__.py)"


def test_the_check_sees_a_heavy_import(tmp_path: Path) -> None:
    # The guard itself works: opening the session does load them.
    loaded = _loaded_after("import desktop.session", tmp_path)
    assert {"sqlalchemy", "whoosh", "desktop.session"} <= set(loaded)


def test_the_command_line_parser_loads_no_heavy_package(tmp_path: Path) -> None:
    # `imbizo --help` and the app share the parser; the commands import the stack only when they run.
    loaded = _loaded_after("from desktop.cli.main import build_parser\nbuild_parser()", tmp_path)
    assert loaded == []


def test_the_profile_starts_opening_only_once_the_window_is_exposed(
    qtbot: Any, demo_profile: ProfilePaths
) -> None:
    from desktop.ui.app import open_profile_once_exposed
    from desktop.ui.main_window import MainWindow

    window = MainWindow(demo_profile)
    qtbot.addWidget(window)
    opened: list[str] = []
    original = window.open_profile

    def counting_open() -> None:
        opened.append("open")
        original()

    window.open_profile = counting_open  # type: ignore[method-assign]
    window.show()
    open_profile_once_exposed(window)
    assert opened == []  # show() alone does not start it: the expose event and a queued call do
    qtbot.waitUntil(lambda: window.session is not None, timeout=20_000)
    assert opened == ["open"]
    assert window.windowHandle().isExposed()
    window.close()


def test_the_startup_probe_reports_the_window_then_the_search(
    tmp_path: Path, demo_profile: ProfilePaths
) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
        "IMBIZO_CONFIG_DIR": str(tmp_path / "config"),
        "IMBIZO_LOG_DIR": str(tmp_path / "logs"),
        "IMBIZO_STARTUP_PROBE": "search:water",
    }
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(demo_profile.data_dir)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line.split() for line in done.stdout.splitlines() if line.startswith("imbizo-probe ")]
    assert [words[1] for words in lines] == ["interactive", "searched"]
    interactive, searched = (float(words[2]) for words in lines)
    assert interactive <= searched
    figures = dict(word.split("=") for word in lines[1][3:])
    assert int(figures["hits"]) > 0  # the demo knowledge base has water services
    assert int(figures["rss_kb"]) > 0
