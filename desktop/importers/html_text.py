"""HTML to readable text with the standard library's ``html.parser``.

Paragraphs become blank-line separated blocks, headings keep a Markdown ``#``
marker, list items start with ``- ``, links keep their text, table cells are
separated with `` | ``, scripts and styles are dropped and entities decoded.
Non-Latin scripts pass through untouched.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "header", "footer", "main", "aside", "nav",
        "figure", "figcaption", "blockquote", "address", "details", "summary", "form",
        "fieldset", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "caption",
        "ul", "ol", "hr", "center",
    }
)  # fmt: skip
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_DROP = frozenset({"script", "style", "template", "noscript", "head", "title", "svg", "iframe"})
_VOID = frozenset(
    {"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr"}
)
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--")


class _TextBuilder(HTMLParser):
    """Collects text into lines and blocks while walking the HTML."""

    def __init__(self, *, preserve_whitespace: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.preserve = preserve_whitespace
        self.out: list[str] = []
        self.line: list[str] = []
        self.drop_depth = 0
        self.pre_depth = 0
        self.list_stack: list[str] = []
        self.in_cell = False

    # -- output helpers -------------------------------------------------
    def _flush_line(self) -> None:
        text = "".join(self.line)
        self.line = []
        if self.preserve or self.pre_depth:
            self.out.append(text)
            return
        text = text.rstrip()
        if text.strip():
            self.out.append(text)

    def _break(self, blank: bool) -> None:
        self._flush_line()
        if blank and self.out and self.out[-1] != "":
            self.out.append("")

    # -- parser callbacks -----------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            if tag not in _VOID:
                self.drop_depth += 1
            return
        if self.drop_depth:
            return
        if tag == "br":
            self._flush_line()
        elif tag in _HEADINGS:
            self._break(True)
            self.line.append("#" * _HEADINGS[tag] + " ")
        elif tag == "li":
            self._flush_line()
            depth = max(len(self.list_stack) - 1, 0)
            self.line.append("  " * depth + "- ")
        elif tag in ("ul", "ol"):
            self._break(not self.list_stack)
            self.list_stack.append(tag)
        elif tag == "pre":
            self._break(True)
            self.pre_depth += 1
        elif tag == "tr":
            self._flush_line()
        elif tag in ("td", "th"):
            if self.line and "".join(self.line).strip():
                self.line.append(" | ")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt and alt.strip() and not self.preserve:
                self.line.append(alt.strip())
        elif tag in _BLOCK_TAGS:
            self._break(True)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self.drop_depth = max(self.drop_depth - 1, 0)
            return
        if self.drop_depth:
            return
        if tag in _HEADINGS:
            self._break(True)
        elif tag in ("ul", "ol"):
            if self.list_stack:
                self.list_stack.pop()
            self._break(not self.list_stack)
        elif tag == "li":
            self._flush_line()
        elif tag == "pre":
            self.pre_depth = max(self.pre_depth - 1, 0)
            self._break(True)
        elif tag == "tr":
            self._flush_line()
        elif tag in _BLOCK_TAGS:
            self._break(True)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.drop_depth:
            return
        if self.preserve or self.pre_depth:
            if self.preserve and not self.pre_depth:
                parts = data.split("\n")
                for number, part in enumerate(parts):
                    if number:
                        self._flush_line()
                    self.line.append(part)
                return
            lines = data.split("\n")
            for number, part in enumerate(lines):
                if number:
                    self._flush_line()
                self.line.append(part)
            return
        text = _SPACES.sub(" ", data)
        current = "".join(self.line)
        if not current.strip() or current.endswith(" "):
            text = text.lstrip()
        self.line.append(text)

    def result(self) -> str:
        self._flush_line()
        lines = [line.rstrip() for line in self.out]
        text = "\n".join(lines)
        text = re.sub(r"\n{3,}", "\n\n", text)
        return text.strip("\n").strip()


def html_to_text(markup: str) -> str:
    """Readable plain text (with light Markdown markers) from an HTML fragment."""
    if not markup:
        return ""
    builder = _TextBuilder(preserve_whitespace=False)
    builder.feed(markup)
    builder.close()
    return builder.result()


def strip_inline_html(markdown: str) -> str:
    """Remove HTML tags embedded in Markdown while leaving the Markdown itself alone.

    Text between tags is kept verbatim (line breaks and indentation matter in
    Markdown); block tags become blank lines, ``<li>`` becomes ``- ``, links keep
    their text, scripts, styles and comments vanish and entities are decoded.
    """
    if not _TAG.search(markdown):
        return html.unescape(markdown)
    # Markdown autolinks (<https://...>, <name@example.org>) are not tags.
    protected = re.sub(r"<((?:https?|ftp|mailto):[^<>\s]+|[^<>\s@]+@[^<>\s@]+)>", r"\1", markdown)
    builder = _TextBuilder(preserve_whitespace=True)
    builder.feed(protected)
    builder.close()
    return builder.result()
