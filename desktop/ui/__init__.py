"""The desktop UI: the only package that imports PySide6.

Start-up rule (kept by tests/ui/test_lean_startup.py and measured by bench/bench_startup.py):
importing ``desktop.ui.app`` and ``desktop.ui.main_window`` (and so every page, view and dialog they
import at module level) must not load SQLAlchemy, Alembic, Whoosh, pymarc, PyYAML, Pillow or pypdf,
so the window shows before the profile opens. In UI modules:

- import ``desktop.session``, ``desktop.search``, ``desktop.store``, ``desktop.importers`` and
  ``desktop.media`` only under ``if TYPE_CHECKING:`` (with ``from __future__ import annotations``);
- at run time reach them inside the function that runs on a worker (``tasks.read``/``tasks.write``),
  or through ``desktop.ui.lazy``; pure data from ``desktop.core`` is fine at the top;
- import a rarely used dialog (settings, history, export, editors) inside the slot that opens it.
"""
