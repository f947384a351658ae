"""A record's history: its saved versions, what each changed, and restoring one.

Restoring saves a NEW version holding the old content, so history is never
rewritten. The history and the diffs are read off the GUI thread, the restore
runs on the write lane.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.core.diff import FieldChange, diff_records, summarize
from desktop.core.kinds import field_specs
from desktop.core.records import Record
from desktop.core.review import REVIEW_LOG_FIELD, ReviewAction, ReviewEntry, review_log
from desktop.ui.models import muted_colour
from desktop.ui.moments import moment_text
from desktop.ui.tasks import TaskManager

if TYPE_CHECKING:  # SQLAlchemy and Whoosh load with the profile, after the window shows
    from desktop.core.changes import Changes
    from desktop.core.ports import RevisionInfo
    from desktop.session import Session

#: Characters of one value shown in the diff pane (a long body is cut, with a note).
SHOWN_CHARS = 4_000
#: How the server's history names what each stored version did (sync/PROTOCOL.md "Review history").
SERVER_ACTIONS: dict[str, object] = {  # object: the type QT_TRANSLATE_NOOP is stubbed with
    "create": QT_TRANSLATE_NOOP("HistoryDialog", "created it"),
    "edit": QT_TRANSLATE_NOOP("HistoryDialog", "saved a change"),
    "submit": QT_TRANSLATE_NOOP("HistoryDialog", "submitted it for review"),
    "publish": QT_TRANSLATE_NOOP("HistoryDialog", "published it"),
    "return": QT_TRANSLATE_NOOP("HistoryDialog", "returned it to its author"),
    "retire": QT_TRANSLATE_NOOP("HistoryDialog", "retired it"),
    "reopen": QT_TRANSLATE_NOOP("HistoryDialog", "reopened it as a draft"),
    "delete": QT_TRANSLATE_NOOP("HistoryDialog", "deleted it"),
    "restore": QT_TRANSLATE_NOOP("HistoryDialog", "restored it from the trash"),
    "propose": QT_TRANSLATE_NOOP("HistoryDialog", "proposed it as a revision"),
}


#: What a version that took a review step is called in the list ("Version N" otherwise).
ACTION_HEADLINES: dict[ReviewAction, object] = {
    ReviewAction.SUBMITTED: QT_TRANSLATE_NOOP("HistoryDialog", "Submitted"),
    ReviewAction.PUBLISHED: QT_TRANSLATE_NOOP("HistoryDialog", "Published"),
    ReviewAction.RETURNED: QT_TRANSLATE_NOOP("HistoryDialog", "Returned"),
    ReviewAction.RETIRED: QT_TRANSLATE_NOOP("HistoryDialog", "Retired"),
    ReviewAction.REOPENED: QT_TRANSLATE_NOOP("HistoryDialog", "Reopened"),
}

#: What a review step with no comment and no other change did, so its row is never blank.
STEP_MEANINGS: dict[ReviewAction, object] = {
    ReviewAction.SUBMITTED: QT_TRANSLATE_NOOP("HistoryDialog", "sent for review; the text is unchanged"),
    ReviewAction.PUBLISHED: QT_TRANSLATE_NOOP("HistoryDialog", "published as it was submitted"),
    ReviewAction.RETURNED: QT_TRANSLATE_NOOP("HistoryDialog", "returned to its authors"),
    ReviewAction.RETIRED: QT_TRANSLATE_NOOP("HistoryDialog", "taken out of use; the text is kept"),
    ReviewAction.REOPENED: QT_TRANSLATE_NOOP("HistoryDialog", "a draft again; the text is unchanged"),
}


@dataclass(frozen=True)
class HistoryEntry:
    """One saved version with what it changed compared with the version before it.

    ``number`` counts the record's versions from 1 (the oldest); ``step`` is the review step
    this version took (None for an edit); ``merged`` the title of the record merged into this
    one by this version (None when it is no merge) and ``merged_by`` who merged it.
    """

    info: RevisionInfo
    changes: list[FieldChange]
    number: int = 0
    step: ReviewEntry | None = None
    merged: str | None = None
    merged_by: str = ""

    @property
    def revision(self) -> str:
        """The version's revision id."""
        return self.info.revision


def _step_taken(record: Record, parent: Record | None) -> ReviewEntry | None:
    """The review step a version added to its parent's review history, or None."""
    log = review_log(record)
    before = len(review_log(parent)) if parent is not None else 0
    return log[-1] if len(log) > before else None


def load_history(session: Session, record_id: str) -> list[HistoryEntry]:
    """Every saved version of a record, newest first, each diffed against its parent (runs on a worker)."""
    history = session.history(record_id)
    by_revision = {info.revision: info.record for info in history}
    target_ids = {link.target_id for info in history for link in info.record.links}
    target_ids |= {  # ids in fields set by an action (a question's accepted answer) read as titles
        str(info.record.fields[spec.name])
        for info in history
        for spec in field_specs(info.record.kind)
        if spec.names_a_record and info.record.fields.get(spec.name)
    }
    titles = {rid: record.title for rid, record in session.records(target_ids).items()}
    merges = {m.survivor_revision: m for m in session.merges(limit=200, survivor_id=record_id)}
    counts = Counter(info.record.id for info in history)
    seen: Counter[str] = Counter()
    entries = []
    for info in history:  # newest first, each record's own versions together
        parent = by_revision.get(info.parent_revision)
        number = counts[info.record.id] - seen[info.record.id]
        seen[info.record.id] += 1
        merge = merges.get(info.revision) if info.record.id == record_id else None
        entries.append(
            HistoryEntry(
                info,
                diff_records(parent, info.record, titles=titles),
                number=number,
                step=_step_taken(info.record, parent),
                merged=merge.loser_title if merge is not None else None,
                merged_by=merge.merged_by if merge is not None else "",
            )
        )
    return entries


def _value_html(value: str, cut_note: str) -> str:
    shown = value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS]
    text = html.escape(shown).replace("\n", "<br>")
    if len(value) > SHOWN_CHARS:
        text += f" <i>{html.escape(cut_note)}</i>"
    return text


class HistoryDialog(QDialog):
    """Lists a record's versions; shows the selected one's changes; restores it on request."""

    #: Emitted with the Changes after a version was restored.
    record_restored = Signal(object)
    #: Emitted each time the list of versions has been (re)loaded.
    history_loaded = Signal()

    def __init__(
        self,
        tasks: TaskManager,
        session: Session,
        record_id: str,
        parent: QWidget | None = None,
        *,
        server_history: Callable[[str], Sequence[Any] | None] | None = None,
    ):
        super().__init__(parent)
        self.tasks = tasks
        self.session = session
        self.record_id = record_id
        self.server_history = server_history
        self.server_entries: list[Any] | None = None
        self.entries: list[HistoryEntry] = []
        self.setWindowTitle(self.tr("History"))
        self.resize(900, 560)

        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setAccessibleName(self.tr("Record"))
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Version"), self.tr("By"), self.tr("When"), self.tr("What changed")]
        )
        self.table.setAccessibleName(self.tr("Saved versions"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.diff_view = QTextBrowser(self)
        self.diff_view.setAccessibleName(self.tr("Changes in this version"))
        # The server's own record of who stored which version (submit, publish, return...).
        self.server_view = QTextBrowser(self)
        self.server_view.setAccessibleName(self.tr("History on the server"))
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.diff_view)
        splitter.addWidget(self.server_view)
        splitter.setStretchFactor(1, 2)
        splitter.setStretchFactor(2, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = QPushButton(self.tr("&Restore this version"), self)
        self.restore_button.setAccessibleName(self.tr("Restore this version"))
        self.restore_button.setEnabled(False)
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(self.tr("Close"))
        self.restore_button.clicked.connect(self.restore_selected)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        self.reload()
        self.read_server_history()

    # -- loading ---------------------------------------------------------------

    def reload(self) -> None:
        """Read the versions again (off the GUI thread)."""
        self.heading.setText(self.tr("Loading the history…"))
        session, record_id = self.session, self.record_id
        self.tasks.read(
            lambda: load_history(session, record_id), self._on_history_read, description="history"
        )

    def _on_history_read(self, entries: list[HistoryEntry]) -> None:
        self.entries = list(entries)
        title = self.entries[0].info.record.title if self.entries else ""
        count = len(self.entries)
        self.heading.setText(
            self.tr("“{title}”: %n saved version(s)", "", count).format(title=title or self.tr("(untitled)"))
        )
        self.table.setRowCount(count)
        for row, entry in enumerate(self.entries):
            cells = self._row_texts(entry, current=row == 0)
            tips = list(cells)
            # The revision id is for whoever compares versions with the server or a log, not a column.
            tips[0] = self.tr("Version {n}, revision {id}").format(n=entry.number, id=entry.revision)
            tips[2] = entry.info.saved_at
            for column, (text, tip) in enumerate(zip(cells, tips, strict=True)):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                self.table.setItem(row, column, item)
        self._fill_in_server_users()
        if count:
            self.table.selectRow(0)
        else:
            self.diff_view.setPlainText(self.tr("This record has no saved versions."))
        self.history_loaded.emit()

    def _row_texts(self, entry: HistoryEntry, *, current: bool) -> tuple[str, str, str, str]:
        """(Version, By, When, What changed) of one version, as the list shows them."""
        step, when = entry.step, entry.info.saved_at
        changes = [c for c in entry.changes if c.field not in {"status", REVIEW_LOG_FIELD}]
        if entry.merged is not None:
            headline, who = self.tr("Merged"), entry.merged_by
            what = self.tr("“{title}” merged into this record").format(
                title=entry.merged or self.tr("(untitled)")
            )
        elif step is not None:
            headline = QCoreApplication.translate("HistoryDialog", str(ACTION_HEADLINES[step.action]))
            who, when = step.by, step.at or when
            what = f"“{step.comment}”" if step.comment else summarize(changes)
            if not what:
                what = QCoreApplication.translate("HistoryDialog", str(STEP_MEANINGS[step.action]))
            elif step.comment and changes:
                what = self.tr("{comment}; changed {changes}").format(
                    comment=what, changes=summarize(changes)
                )
        else:
            headline, who = self.tr("Version {n}").format(n=entry.number), ""
            if entry.info.parent_revision:
                what = summarize(entry.changes) or self.tr("files or sync only (the text is unchanged)")
            else:
                what = self.tr("first version")
        if current:
            what = self.tr("{changes} (current)").format(changes=what) if what else self.tr("(current)")
        if entry.info.record.id != self.record_id:  # a record merged into this one keeps its history
            what = self.tr("merged record “{title}”: {changes}").format(
                title=entry.info.record.title or self.tr("(untitled)"), changes=what
            )
        return headline, who, moment_text(when), what

    def _fill_in_server_users(self) -> None:
        """Name who stored each version the list does not name yet, from the server's history."""
        users = {entry.revision: entry.user for entry in self.server_entries or []}
        for row, entry in enumerate(self.entries):
            item = self.table.item(row, 1)
            if item is not None and not item.text() and entry.revision in users:
                item.setText(users[entry.revision])

    def read_server_history(self) -> None:
        """Ask the server who stored each version (on the network lane); offline, say where it shows."""
        fetch = self.server_history
        if fetch is None:
            self._show_server_note(self.tr("The server's history of this record shows here once you sync."))
            return
        self._show_server_note(self.tr("Reading the server's history…"))
        record_id = self.record_id
        self.tasks.network(
            lambda: fetch(record_id),
            self._on_server_history,
            self._on_server_history_failed,
            description="read the server's history",
        )

    def _show_server_note(self, text: str) -> None:
        muted = muted_colour(self.palette())
        heading = html.escape(self.tr("On the server"))
        self.server_view.setHtml(f"<h4>{heading}</h4><p style='color:{muted}'>{html.escape(text)}</p>")

    def _on_server_history(self, entries: Sequence[Any] | None) -> None:
        if entries is None:
            self.server_entries = []
            self._show_server_note(
                self.tr("The server does not have this record yet: it goes up with the next sync.")
            )
            return
        self.server_entries = list(entries)
        rows = []
        for entry in reversed(self.server_entries):  # newest first, like the versions above
            what = QCoreApplication.translate(
                "HistoryDialog", str(SERVER_ACTIONS.get(entry.action, entry.action))
            )
            rows.append(
                f"<tr><td>{html.escape(moment_text(entry.at))}</td><td><b>{html.escape(entry.user)}</b></td>"
                f"<td>{html.escape(what)}</td></tr>"
            )
        heading = html.escape(self.tr("On the server: who did what, and when"))
        self.server_view.setHtml(f"<h4>{heading}</h4><table cellpadding='3'>{''.join(rows)}</table>")
        self._fill_in_server_users()
        self.history_loaded.emit()

    def _on_server_history_failed(self, error: BaseException) -> None:
        self.server_entries = None
        self._show_server_note(
            self.tr(
                "The server's history could not be read ({error}); it shows here when you are online."
            ).format(error=error)
        )

    # -- showing a version -----------------------------------------------------

    def selected_entry(self) -> HistoryEntry | None:
        """The version selected in the list, or None."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.entries):
            return None
        return self.entries[rows[0].row()]

    def _on_selection_changed(self) -> None:
        entry = self.selected_entry()
        current = bool(self.entries) and entry is self.entries[0]
        own = entry is not None and entry.info.record.id == self.record_id
        self.restore_button.setEnabled(own and not current)
        self.diff_view.setHtml(self.diff_html(entry) if entry is not None else "")

    def diff_html(self, entry: HistoryEntry) -> str:
        """The selected version's changes against its parent as an HTML table (all text escaped)."""
        muted = muted_colour(self.palette())
        when = html.escape(moment_text(entry.info.saved_at))
        parts = [f"<p style='color:{muted}'>{html.escape(self.tr('Saved'))} {when}</p>"]
        if not entry.changes:
            parts.append(f"<p>{html.escape(self.tr('Nothing changed in this version.'))}</p>")
            return "".join(parts)
        cut = self.tr("(cut short)")
        parts.append(
            "<table cellspacing='0' cellpadding='4' width='100%' border='1' style='border-collapse:collapse'>"
            f"<tr><th align='left'>{html.escape(self.tr('Field'))}</th>"
            f"<th align='left'>{html.escape(self.tr('Before'))}</th>"
            f"<th align='left'>{html.escape(self.tr('After'))}</th></tr>"
        )
        for change in entry.changes:
            parts.append(
                f"<tr><td valign='top'><b>{html.escape(change.label)}</b></td>"
                f"<td valign='top' style='color:{muted}'>{_value_html(change.old, cut)}</td>"
                f"<td valign='top'>{_value_html(change.new, cut)}</td></tr>"
            )
        parts.append("</table>")
        return "".join(parts)

    # -- restoring -------------------------------------------------------------

    def restore_selected(self) -> None:
        """Ask, then make the selected version current again (as a new version, on the write lane)."""
        entry = self.selected_entry()
        if entry is None or (self.entries and entry is self.entries[0]):
            return
        answer = QMessageBox.question(
            self,
            self.tr("Restore this version?"),
            self.tr(
                "The record will get the content it had on {when}. "
                "This is saved as a new version: nothing in its history is lost."
            ).format(when=moment_text(entry.info.saved_at)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.restore_button.setEnabled(False)
        session, record_id, revision = self.session, self.record_id, entry.revision
        self.tasks.write(
            lambda: session.restore_revision(record_id, revision),
            self._on_restored,
            self._on_restore_failed,
            description="restore a version",
        )

    def _on_restored(self, changes: Changes) -> None:
        self.record_restored.emit(changes)
        self.reload()

    def _on_restore_failed(self, error: BaseException) -> None:
        self._on_selection_changed()  # the button comes back; the error dialog says what went wrong
        self.tasks.report_error("restore a version", error)
