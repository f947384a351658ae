"""The vocabulary as a tree: schemes, then top terms, then narrower terms, as a lazy Qt model.

:class:`TermTree` is plain Python, built on a worker thread from the session's term list
(every live term, its broader ids and use count): which terms hang under which, sorted.
:class:`TermTreeModel` shows it: a node object is made only when the view asks for a row,
so opening the Vocabulary page with the corpus' 7,638 terms makes a few dozen nodes, not
thousands of items. A term with two broader terms (EuroVoc has some) appears under both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

from desktop.core.vocabulary import TermEntry

#: How the known schemes read (the scheme field holds a short code).
SCHEME_NAMES = {
    "eurovoc": "EuroVoc",
    "lgsl": "Local Government Service List",
    "digitalgov-topics": "Digital.gov topics",
}

_Index = QModelIndex | QPersistentModelIndex


def scheme_name(scheme: str) -> str:
    """A scheme's name as people read it."""
    if not scheme:
        return QCoreApplication.translate("VocabularyPage", "Other terms")
    return SCHEME_NAMES.get(scheme.casefold(), scheme)


def _sort_key(entry: TermEntry) -> tuple[str, str]:
    return (entry.label.casefold(), entry.id)


@dataclass
class TermTree:
    """Schemes, their top terms and every term's narrower terms, sorted by label."""

    terms: dict[str, TermEntry] = field(default_factory=dict)
    schemes: list[str] = field(default_factory=list)
    tops: dict[str, list[str]] = field(default_factory=dict)  # scheme -> top term ids
    narrower: dict[str, list[str]] = field(default_factory=dict)  # term id -> narrower ids
    counts: dict[str, int] = field(default_factory=dict)  # scheme -> how many terms

    @classmethod
    def build(cls, entries: Sequence[TermEntry]) -> TermTree:
        """Work out the tree (run it off the GUI thread: it sorts thousands of labels)."""
        terms = {entry.id: entry for entry in entries}
        narrower: dict[str, list[str]] = {}
        tops: dict[str, list[str]] = {}
        counts: dict[str, int] = {}
        for entry in sorted(entries, key=_sort_key):
            counts[entry.scheme] = counts.get(entry.scheme, 0) + 1
            parents = [b for b in entry.broader if b in terms and b != entry.id]
            for parent in parents:
                narrower.setdefault(parent, []).append(entry.id)
            if not parents:
                tops.setdefault(entry.scheme, []).append(entry.id)
        schemes = sorted(tops, key=lambda s: (not s, scheme_name(s).casefold()))
        return cls(terms, schemes, tops, narrower, counts)

    def path_to(self, term_id: str) -> list[str]:
        """Term ids from a top term down to ``term_id`` (by first broader terms); [] if unknown."""
        path: list[str] = []
        seen: set[str] = set()
        current: str | None = term_id
        while current is not None and current in self.terms and current not in seen:
            seen.add(current)
            path.append(current)
            parents = [b for b in self.terms[current].broader if b in self.terms and b != current]
            current = parents[0] if parents else None
        if current is not None:  # a loop of broader terms: not reachable from a top term
            return []
        return list(reversed(path))

    def __len__(self) -> int:
        return len(self.terms)


class _Node:
    """One row of the model: a scheme (``term_id`` empty) or a term under a parent row."""

    __slots__ = ("children", "parent", "row", "scheme", "term_id")

    def __init__(self, parent: _Node | None, row: int, scheme: str, term_id: str = ""):
        self.parent = parent
        self.row = row
        self.scheme = scheme
        self.term_id = term_id
        self.children: list[_Node] | None = None


class TermTreeModel(QAbstractItemModel):
    """A lazy tree over a :class:`TermTree`: columns Term and Records (how many records are about it)."""

    TermIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.tree = TermTree()
        self._root = _Node(None, 0, "")
        self._root.children = []
        self.nodes_made = 0

    def set_tree(self, tree: TermTree) -> None:
        """Show another tree (after the terms were read again)."""
        self.beginResetModel()
        self.tree = tree
        self._root = _Node(None, 0, "")
        self._root.children = [_Node(None, row, scheme) for row, scheme in enumerate(tree.schemes)]
        self.nodes_made = len(self._root.children)
        self.endResetModel()

    def _child_ids(self, node: _Node) -> list[str]:
        if node is self._root:
            return []
        if not node.term_id:
            return self.tree.tops.get(node.scheme, [])
        return self.tree.narrower.get(node.term_id, [])

    def _children(self, node: _Node) -> list[_Node]:
        if node.children is None:
            ids = self._child_ids(node)
            node.children = [_Node(node, row, node.scheme, term_id) for row, term_id in enumerate(ids)]
            self.nodes_made += len(node.children)
        return node.children

    def _node(self, index: _Index) -> _Node:
        if not index.isValid():
            return self._root
        node = index.internalPointer()
        assert isinstance(node, _Node)
        return node

    # -- QAbstractItemModel -------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column > 1:
            return QModelIndex()
        children = self._children(self._node(parent))
        if not 0 <= row < len(children):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node = self._node(index)
        if node.parent is None:
            return QModelIndex()
        return self.createIndex(node.parent.row, 0, node.parent)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        node = self._node(parent)
        if node.children is not None:
            return len(node.children)
        return len(self._child_ids(node))

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def columnCount(self, _parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 2

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr("Term") if section == 0 else self.tr("Records")
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        entry = self.tree.terms.get(node.term_id) if node.term_id else None
        if role == self.TermIdRole:
            return node.term_id or None
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 1:
                return f"{entry.uses:,}" if entry is not None and entry.uses else ""
            if entry is not None:
                return entry.label
            return self.tr("{scheme} ({n} terms)").format(
                scheme=scheme_name(node.scheme), n=f"{self.tree.counts.get(node.scheme, 0):,}"
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            if entry is None:
                return self.tr("{n} top terms").format(n=f"{len(self.tree.tops.get(node.scheme, [])):,}")
            extra = [entry.notation] if entry.notation and entry.notation != entry.label else []
            if entry.alt_labels:
                extra.append(self.tr("also: {labels}").format(labels=", ".join(entry.alt_labels[:5])))
            return " — ".join([entry.label, *extra])
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and entry is None and index.column() == 0:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- finding a term ------------------------------------------------------------------

    def made_indexes(self) -> list[QModelIndex]:
        """Indexes of the rows whose children were made (the only ones a view can have expanded)."""
        found: list[QModelIndex] = []
        stack = [self._root]
        while stack:
            node = stack.pop()
            for child in node.children or ():
                if child.children is not None:
                    found.append(self.createIndex(child.row, 0, child))
                    stack.append(child)
        return found

    def index_of_scheme(self, scheme: str) -> QModelIndex:
        """The row of a scheme; invalid if the tree has none of its terms."""
        if scheme not in self.tree.schemes:
            return QModelIndex()
        return self.index(self.tree.schemes.index(scheme), 0)

    def index_of(self, term_id: str) -> QModelIndex:
        """The index of ``term_id`` along its first broader terms (made on the way); invalid if absent."""
        path = self.tree.path_to(term_id)
        if not path:
            return QModelIndex()
        scheme = self.tree.terms[path[0]].scheme
        if scheme not in self.tree.schemes:
            return QModelIndex()
        index = self.index(self.tree.schemes.index(scheme), 0)
        for step in path:
            children = self._children(self._node(index))
            row = next((n.row for n in children if n.term_id == step), -1)
            if row < 0:
                return QModelIndex()
            index = self.index(row, 0, index)
        return index
