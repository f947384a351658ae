"""Translations: the Qt translation source in resources/ matches the code, and every visible
string in the UI goes through tr() (or QCoreApplication.translate)."""

from __future__ import annotations

import ast
import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "desktop" / "ui"
FIX_HINT = "run `python scripts/update_translations.py` and commit resources/translations/imbizo_en.ts"


def _script():
    spec = importlib.util.spec_from_file_location(
        "update_translations", ROOT / "scripts" / "update_translations.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def messages(ts_file: Path) -> set[tuple[str, str]]:
    """(context, source text) of every message in a .ts file."""
    root = ET.parse(ts_file).getroot()
    return {
        (context.findtext("name") or "", message.findtext("source") or "")
        for context in root.iter("context")
        for message in context.iter("message")
    }


def test_the_translation_source_is_up_to_date(tmp_path: Path) -> None:
    script = _script()
    committed = script.TS_FILE
    assert committed.is_file(), f"{committed} is missing: {FIX_HINT}"
    fresh = tmp_path / "imbizo_en.ts"
    script.run_lupdate(fresh)
    now, then = messages(fresh), messages(committed)
    assert len(now) > 100  # lupdate really read the UI
    missing, stale = sorted(now - then), sorted(then - now)
    assert not missing and not stale, (
        f"resources/translations/imbizo_en.ts is out of date ({len(missing)} new, {len(stale)} gone; "
        f"first new: {missing[:3]}, first gone: {stale[:3]}): {FIX_HINT}"
    )


def test_the_comparison_notices_a_new_string(tmp_path: Path) -> None:
    script = _script()
    fresh = tmp_path / "a.ts"
    script.run_lupdate(fresh)
    module = tmp_path / "extra.py"
    module.write_text(
        "from PySide6.QtWidgets import QWidget\n\n"
        "class Probe(QWidget):\n    def f(self):\n        return self.tr('A brand new string')\n",
        encoding="utf-8",
    )
    import subprocess

    subprocess.run(
        [script.qt_tool("pyside6-lupdate"), str(module), "-ts", str(tmp_path / "b.ts")],
        check=True,
        capture_output=True,
    )
    assert ("Probe", "A brand new string") in messages(tmp_path / "b.ts") - messages(fresh)


# -- no untranslated visible literals -----------------------------------------------------------

#: Methods whose string arguments people read.
VISIBLE_METHODS = {
    "setText", "setWindowTitle", "setToolTip", "setPlaceholderText", "setAccessibleName",
    "setAccessibleDescription", "addAction", "addMenu", "setStatusTip", "setWhatsThis", "setTitle",
    "setLabelText", "addTab", "setTabText", "setTabToolTip", "setHeaderLabels", "showMessage",
    "setPrefix", "setSuffix", "setSpecialValueText", "setWindowIconText", "addButton", "setInformativeText",
    "setDetailedText", "setItemText", "addItem", "addItems", "setCancelButtonText",
}  # fmt: skip
#: Widgets whose constructor takes visible text.
VISIBLE_CLASSES = {
    "QLabel", "QPushButton", "QAction", "QCheckBox", "QGroupBox", "QRadioButton", "QToolButton", "QMenu",
    "QCommandLinkButton", "QMessageBox", "QProgressDialog",
}  # fmt: skip
#: QMessageBox / QInputDialog / QFileDialog static calls: (parent, title, text, ...).
VISIBLE_STATICS = {
    "information", "warning", "critical", "question", "about", "getText", "getItem", "getInt",
    "getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory",
}  # fmt: skip
#: Literal strings that are not words (object names, symbols, keys) and need no translation.
ALLOWED = {"…", "×", "—", "–", "·", "•", "+", "-", "?", "%", "<", ">", "«", "»", "Imbizo", "Ctrl+K"}


def _is_human(text: str) -> bool:
    return text.strip() not in ALLOWED and any(ch.isalpha() for ch in text)


def _literal_text(node: ast.AST) -> str | None:
    """The visible text of an argument that is a bare literal (or a literal .format()), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
    ):
        return node.func.value.value
    if isinstance(node, ast.List | ast.Tuple):
        texts = [_literal_text(element) for element in node.elts]
        return " ".join(t for t in texts if t) or None
    return None


def _visible_args(call: ast.Call) -> list[ast.expr]:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if name in VISIBLE_CLASSES:
        return list(call.args) + [k.value for k in call.keywords if k.arg in ("text", "title")]
    if isinstance(func, ast.Attribute) and name in VISIBLE_STATICS:
        return list(call.args[1:3])
    if isinstance(func, ast.Attribute) and name in VISIBLE_METHODS:
        return list(call.args[:1]) if name != "addItems" else list(call.args)
    return []


def untranslated_literals(path: Path) -> list[str]:
    """``file:line: call("text")`` for every human string passed straight to a visible-text call."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for arg in _visible_args(node):
            text = _literal_text(arg)
            if text is not None and _is_human(text):
                where = path.relative_to(ROOT)
                found.append(f"{where}:{node.lineno}: {ast.unparse(node.func)}({text!r})")
    return found


def test_the_scanner_catches_untranslated_text(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def build(self, parent):\n"
        "    self.label.setText('Not translated')\n"
        "    self.other.setText(self.tr('Translated'))\n"
        "    QPushButton('Save', parent)\n"
        "    QLabel(f'{count} records')\n"
        "    self.button.setToolTip('{n} items'.format(n=3))\n"
        "    QMessageBox.warning(parent, 'Title', self.tr('Fine'))\n"
        "    self.edit.setPlaceholderText('')\n"
        "    self.edit.setObjectName('query_edit')\n"
        "    self.more.setText('…')\n",
        encoding="utf-8",
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        found = untranslated_literals(sample)
    finally:
        ROOT = saved
    assert [line.split(":")[1] for line in found] == ["2", "4", "5", "6", "7"], found


def _ui_files() -> list[Path]:
    return sorted(UI.rglob("*.py"))


@pytest.mark.parametrize("path", _ui_files(), ids=lambda p: str(p.relative_to(UI)))
def test_no_untranslated_visible_literals(path: Path) -> None:
    found = untranslated_literals(path)
    assert not found, "wrap these in self.tr(...) / QCoreApplication.translate(...):\n" + "\n".join(found)


def hidden_from_lupdate(path: Path) -> list[str]:
    """Translated strings lupdate cannot list correctly: module-level wrappers such as ``_t("...")``
    (lupdate does not know them), and ``other.tr("...")`` (lupdate files it under the variable's name,
    while Qt looks it up under the object's class)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        text = _literal_text(node.args[0])
        wrapper = isinstance(func, ast.Name) and func.id in ("_t", "_", "tr", "_tr")
        foreign_tr = (
            isinstance(func, ast.Attribute)
            and func.attr == "tr"
            and not (isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"))
        )
        if text is not None and _is_human(text) and (wrapper or foreign_tr):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(func)}({text!r})")
    return found


@pytest.mark.parametrize("path", _ui_files(), ids=lambda p: str(p.relative_to(UI)))
def test_translated_strings_are_visible_to_lupdate(path: Path) -> None:
    found = hidden_from_lupdate(path)
    assert not found, (
        "lupdate cannot put these in the translation source under the right context; write "
        'QCoreApplication.translate("Context", "text") (or self.tr) at the call:\n' + "\n".join(found)
    )
