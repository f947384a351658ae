"""Start-up conventions of a desktop app: the saved appearance and the translator.

``apply_start_up_conventions(app)`` runs in ``run_app`` before the main window is
built, so the first frame already has the right palette and language.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QLocale, QSettings, QTranslator
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from desktop.resources import resource
from desktop.ui.appearance import SETTINGS_KEY, apply_appearance, normalise_mode

logger = logging.getLogger(__name__)

#: ``resources/translations/imbizo_<locale>.qm`` files are compiled from ``imbizo_<locale>.ts``.
TRANSLATION_PREFIX = "imbizo_"
#: Translators kept alive while installed (Qt does not own them).
_translators: list[QTranslator] = []


def apply_saved_appearance(app: QApplication) -> str:
    """Apply the appearance saved in QSettings ("system" when none); returns the mode."""
    mode = normalise_mode(QSettings().value(SETTINGS_KEY, "system"))
    apply_appearance(app, mode)
    return mode


def install_translator(app: QApplication, locale: QLocale | None = None) -> QTranslator | None:
    """Load ``imbizo_<locale>.qm`` (e.g. ``imbizo_zu.qm``) when one ships; returns it, or None.

    English is the source language, so no file is needed for it.
    """
    translator = QTranslator(app)
    folder = str(resource("translations"))
    if not translator.load(locale or QLocale(), "imbizo", "_", folder, ".qm"):
        return None
    app.installTranslator(translator)
    _translators.append(translator)
    logger.info("loaded the translation %s", translator.filePath())
    return translator


def apply_start_up_conventions(app: QApplication) -> None:
    """Appearance and language, before any window is built."""
    apply_saved_appearance(app)
    install_translator(app)


def standard_shortcuts(key: QKeySequence.StandardKey, fallback: str) -> list[QKeySequence]:
    """The platform's shortcuts for ``key``, or ``fallback`` where the platform defines none.

    Qt leaves some standard keys empty on Windows and most Linux desktops (Preferences, Quit),
    so "Ctrl+," and "Ctrl+Q" would otherwise do nothing there.
    """
    bindings = QKeySequence.keyBindings(key)
    return list(bindings) if bindings else [QKeySequence(fallback)]
