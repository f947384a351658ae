#!/usr/bin/env python3
"""Refresh the Qt translation source ``resources/translations/imbizo_en.ts`` from the UI code.

    python scripts/update_translations.py          # after changing any tr() text
    python scripts/update_translations.py --qm     # also compile every imbizo_<lang>.ts to .qm

English is the source language: ``imbizo_en.ts`` lists every visible string (by
context, the class whose ``tr()`` says it) for translators, who copy it to
``imbizo_<lang>.ts`` and translate it in Qt Linguist. ``--qm`` runs pyside6-lrelease;
the app loads ``imbizo_<locale>.qm`` at start-up when one is there.
tests/ui/test_translations.py fails when the committed file is out of date.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "desktop" / "ui"
TRANSLATIONS = ROOT / "resources" / "translations"
TS_FILE = TRANSLATIONS / "imbizo_en.ts"


def qt_tool(name: str) -> str:
    """A PySide6 tool from the interpreter's environment (``.venv/bin``), else from PATH."""
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6-Essentials (pip install -e '.[dev]')")
    return found


def ui_sources() -> list[str]:
    """Every UI module, as paths relative to the checkout (so the output does not name this machine)."""
    return [str(p.relative_to(ROOT)) for p in sorted(SOURCE_DIR.rglob("*.py"))]


def run_lupdate(ts_file: Path) -> None:
    """Write (or update) ``ts_file`` with every tr() string of the UI; drops strings no longer used."""
    ts_file.parent.mkdir(parents=True, exist_ok=True)
    command = [
        qt_tool("pyside6-lupdate"),
        *ui_sources(),
        "-source-language",
        "en",
        "-target-language",
        "en",
        "-no-obsolete",
        "-locations",
        "none",  # no line numbers: the file changes only when a text changes
        "-ts",
        str(ts_file),
    ]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)


def run_lrelease() -> list[Path]:
    """Compile every translated ``imbizo_<lang>.ts`` (not the English source) to ``.qm``."""
    built = []
    for ts_file in sorted(TRANSLATIONS.glob("imbizo_*.ts")):
        if ts_file == TS_FILE:
            continue
        qm_file = ts_file.with_suffix(".qm")
        subprocess.run(
            [qt_tool("pyside6-lrelease"), str(ts_file), "-qm", str(qm_file)],
            check=True,
            capture_output=True,
        )
        built.append(qm_file)
    return built


def main(argv: list[str] | None = None) -> int:
    """Update the translation source, and optionally compile the translations."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--qm", action="store_true", help="also compile imbizo_<lang>.ts files to .qm")
    args = parser.parse_args(argv)
    run_lupdate(TS_FILE)
    print(f"updated {TS_FILE.relative_to(ROOT)}")
    if args.qm:
        for qm_file in run_lrelease():
            print(f"built {qm_file.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
