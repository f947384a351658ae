"""The ``imbizo`` command line: the same services as the app, for administrators and scripts."""

from desktop.cli.main import main

__all__ = ["main"]
