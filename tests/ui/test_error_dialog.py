"""The error dialog's copyable details, and the rotating log file in the user log folder."""

from __future__ import annotations

import logging
import logging.handlers
import platform
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop import __version__
from desktop.logs import log_dir, setup_logging
from desktop.ui.error_dialog import ErrorDialog, error_details, show_error


def _raised() -> RuntimeError:
    try:
        raise RuntimeError("the disk is full")
    except RuntimeError as exc:
        return exc


def test_details_name_version_platform_and_traceback() -> None:
    details = error_details("save the site visit", _raised())
    assert f"Imbizo {__version__}" in details
    assert platform.python_version() in details and platform.system() in details
    assert "While: save the site visit" in details
    assert "Traceback (most recent call last)" in details and "RuntimeError: the disk is full" in details


def test_the_copy_button_puts_the_details_on_the_clipboard(qtbot) -> None:
    QApplication.clipboard().setText("something else")
    dialog = show_error(None, "export a PDF", _raised())
    qtbot.addWidget(dialog)
    assert isinstance(dialog, ErrorDialog) and dialog.isVisible()
    assert dialog.details.isReadOnly()
    assert dialog.copy_button.accessibleName()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert copied == dialog.details.toPlainText()
    assert "export a PDF" in copied and "the disk is full" in copied and __version__ in copied
    assert dialog.isVisible()  # copying does not close the dialog
    dialog.close()


@pytest.fixture
def logging_restored() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


def test_logs_rotate_in_the_user_log_folder(tmp_path: Path, logging_restored: None) -> None:
    assert log_dir() == tmp_path / "logs"  # the autouse fixture's IMBIZO_LOG_DIR
    path = setup_logging()
    assert path == tmp_path / "logs" / "imbizo.log"
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_imbizo", False)]
    assert len(ours) == 1 and isinstance(ours[0], logging.handlers.RotatingFileHandler)
    handler = ours[0]
    assert handler.maxBytes > 0 and handler.backupCount >= 2

    logging.getLogger("desktop.test").info("first line")
    handler.flush()
    assert "first line" in path.read_text(encoding="utf-8")
    handler.maxBytes = 2_000  # rotate soon, rather than writing 2 MB
    for n in range(100):
        logging.getLogger("desktop.test").info("line %d %s", n, "x" * 50)
    assert (path.parent / "imbizo.log.1").exists()
    assert path.stat().st_size < 2_500

    setup_logging()  # a second set-up replaces our handler, never doubles it
    assert len([h for h in logging.getLogger().handlers if getattr(h, "_imbizo", False)]) == 1


def test_the_app_keeps_early_records_until_its_log_file_opens(tmp_path: Path, logging_restored: None) -> None:
    from desktop.logs import finish_logging

    assert setup_logging(deferred=True) is None
    logging.getLogger("desktop.test").warning("said before the window showed")
    assert not (tmp_path / "logs" / "imbizo.log").exists()  # nothing touched the disk yet
    path = finish_logging()
    assert path == tmp_path / "logs" / "imbizo.log"
    logging.getLogger("desktop.test").warning("said after")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert text.index("said before the window showed") < text.index("said after")
    assert finish_logging() is None  # once only
