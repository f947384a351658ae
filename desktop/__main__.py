"""Composition root: ``python -m desktop`` and the ``imbizo`` script start here.

With no command it opens the app (the only place that reaches for Qt); with a
command it runs the command line, which never imports Qt.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from desktop.cli.main import main as cli_main


def open_app(data_dir: str | None, smoke_test: bool) -> int:
    """Start the desktop window on the chosen profile."""
    try:
        from desktop.ui.app import run_app
    except ImportError as exc:
        print(f"imbizo: the desktop app needs PySide6 ({exc}); install imbizo[desktop]", file=sys.stderr)
        return 1
    return int(run_app(data_dir=data_dir, smoke_test=smoke_test))


def main(argv: Sequence[str] | None = None) -> int:
    """Run Imbizo: the app with no command, else the command line."""
    return cli_main(argv, open_app=open_app)


if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        # In the PyInstaller bundle a worker process started with "spawn" (text extraction)
        # re-runs this executable; freeze_support runs the worker instead of the app.
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
