"""Finding files under ``resources/``, from a checkout and from a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources/`` folder: inside the bundle when frozen, else beside the packages."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    """The path of one resource file (which may not exist)."""
    return resources_dir().joinpath(*parts)


def demo_file() -> Path:
    """The demo knowledge base offered on the first run."""
    return resource("demo", "demo_knowledge_base.json")


def schema_file(name: str) -> Path:
    """A JSON Schema of the command line's ``--json`` output."""
    return resource("schemas", f"{name}.schema.json")
