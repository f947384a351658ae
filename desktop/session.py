"""One open profile: the store (the truth) and the search index (its cache), kept in step.

The command line and the app both work through a :class:`Session`, so a record
saved by either is indexed the same way. Every write and the index update that
follows it run under the store's cross-process write lock, so the app, a
scheduled ``imbizo import`` and ``imbizo sync`` never interleave.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.attachment_service import AttachmentService, ExtractedText
from desktop.community_service import CommunityService
from desktop.core.changes import Changes, ImportProgress, ImportReport
from desktop.core.communities import AcceptedAnswer
from desktop.core.dismissals import DismissedPair, Pair, plan_dismissal, plan_restore
from desktop.core.duplicates import DuplicateGroup, find_duplicates
from desktop.core.editing import FollowUpDue, RecordSummary, WorkingCopy
from desktop.core.kinds import Kind
from desktop.core.merging import MergeRefused, check_may_merge
from desktop.core.ports import AttachmentInfo, RevisionInfo
from desktop.core.records import INVERSE_LABELS, Record, Status, new_record_id, utc_now
from desktop.core.review import ROLE_KEY as ROLE_KEY  # the profile's server role (meta key)
from desktop.core.review import QueueFilter, QueueItem, ReviewAction, with_workflow_of
from desktop.core.usage import Dashboard, UsageEvent
from desktop.core.vocabulary import TermEntry, TermMatch, TermUsage, follow_replacements
from desktop.expert_service import ExpertService
from desktop.importers import ImportRun, import_paths
from desktop.importers.catalogue import CatalogueFormat, write_catalogue
from desktop.importers.preview import ImportPreview, apply_preview, preview_paths
from desktop.paths import ProfilePaths
from desktop.review_service import ReviewService
from desktop.search import ExpertFilters, ExpertFinder, ExpertMatch, Hit, SearchIndex, SearchResult
from desktop.store import RecordNotFoundError, RecordRepository, open_store
from desktop.store.listing import LOCAL_USER_KEY
from desktop.store.merges import MergeEntry, MergeResult, MergeStore

if TYPE_CHECKING:
    from desktop.usage_service import UsageService
from desktop.vocabulary_service import VocabularyResult, VocabularyService

logger = logging.getLogger(__name__)

#: Import this many files between two index catch-ups, so a long import becomes searchable as it goes.
INDEX_CATCH_UP_EVERY = 200
#: A first import into an empty profile of at least this many records rebuilds the index at the end.
BULK_REBUILD_FROM = 500
#: Files one step of :meth:`Session.import_steps` imports: a few hundred milliseconds of work, so a
#: save queued on the app's write lane waits at most that long behind an import.
IMPORT_BATCH_FILES = 25
#: ...and a step stops after the file that takes it past this many seconds (some files are big).
IMPORT_BATCH_SECONDS = 0.5


@dataclass(frozen=True)
class LinkView:
    """A link as a person reads it: which way, how, and to what."""

    relation: str
    label: str
    id: str
    kind: str
    title: str
    exists: bool
    #: The label of the merged or retired term this link named (it now leads to ``id``, its replacement).
    replaces: str = ""

    def to_json(self) -> dict[str, Any]:
        """The link as the JSON of ``show --json``."""
        data = {
            "relation": self.relation,
            "label": self.label,
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "exists": self.exists,
        }
        if self.replaces:
            data["replaces"] = self.replaces
        return data


@dataclass(frozen=True)
class RecordView:
    """A record with every connection resolved: what it points at and what points at it."""

    record: Record
    links: list[LinkView] = field(default_factory=list)
    backlinks: list[LinkView] = field(default_factory=list)
    #: "" when the profile never synced; else local, waiting, synced, conflict or "refused: <why>".
    sync_state: str = ""
    #: A question's accepted answer (an answer's own, when it is the accepted one); else None.
    accepted: AcceptedAnswer | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON of ``show --json``."""
        data = self.record.to_json()
        data["links"] = [link.to_json() for link in self.links]
        data["backlinks"] = [link.to_json() for link in self.backlinks]
        return data


@dataclass(frozen=True)
class CheckReport:
    """What ``imbizo check`` found."""

    ok: bool
    problems: list[str]
    details: dict[str, Any]


class Session:
    """An open profile. Use :meth:`open`; close it when done (or use it as a context manager)."""

    def __init__(self, paths: ProfilePaths, store: RecordRepository, index: SearchIndex):
        self.paths = paths
        self.store = store
        self.index = index

    # -- opening and closing -------------------------------------------------

    @classmethod
    def open(cls, paths: ProfilePaths, *, lock_timeout: float = 5.0) -> Session:
        """Open (creating if needed) the profile, its store and its index; the index is checked and
        caught up or rebuilt before this returns."""
        paths.data_dir.mkdir(parents=True, exist_ok=True)
        store = open_store(paths.data_dir, lock_timeout=lock_timeout)
        index = SearchIndex.open(paths.index_dir, store)
        session = cls(paths, store, index)
        with store.writing():
            index.ensure_ready(store)
        return session

    def close(self) -> None:
        """Release the index and the database."""
        self.index.close()
        self.store.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------

    def save(self, record: Record) -> Changes:
        """Save one record and make it searchable at once."""
        return self.save_many([record])

    def save_many(self, records: Sequence[Record]) -> Changes:
        """Save records in one transaction and index them, holding the write lock throughout."""
        with self.store.writing():
            changes = self.store.save_many(records)
            self.index.apply(changes, self.store)
        return changes

    def delete(self, record_id: str) -> Changes:
        """Move a record to the trash (a tombstone) and drop it from search."""
        return self.delete_many([record_id])

    def delete_many(self, record_ids: Sequence[str]) -> Changes:
        """Move records to the trash, each its own tombstone, and drop them from search in one update."""
        with self.store.writing():
            changes = Changes()
            for record_id in record_ids:
                changes = changes.merged(self.store.delete(record_id))
            self.index.apply(changes, self.store)
        return changes

    def import_paths(
        self,
        paths: Sequence[Path],
        *,
        progress: Callable[[int, int, str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportReport:
        """Import files and folders and make them searchable.

        Into a profile that already has records, the index catches up as the import
        goes, so a long import becomes searchable while it runs. The first bulk import
        into an empty profile instead rebuilds the index once at the end with both
        cores, about twice as fast as indexing record by record.
        """
        bulk = self.store.count() == 0
        files_done = 0

        def on_progress(done: int, total: int, name: str) -> None:
            nonlocal files_done
            if not bulk and done - files_done >= INDEX_CATCH_UP_EVERY:
                files_done = done
                self.catch_up_index()
            if progress:
                progress(done, total, name)

        try:
            report = import_paths(paths, self.store, progress=on_progress, cancelled=cancelled)
        finally:
            if bulk and self.store.count() >= BULK_REBUILD_FROM:
                self.reindex()
            else:
                self.catch_up_index()
        return report

    def import_steps(
        self,
        paths: Sequence[Path],
        *,
        batch_files: int = IMPORT_BATCH_FILES,
        cancelled: Callable[[], bool] | None = None,
        parse_in_child: bool = True,
    ) -> Generator[ImportProgress, None, ImportReport]:
        """Import files and folders a batch at a time: yields progress after each batch, returns the report.

        The app runs each step as its own job on the write lane, so saves queued meanwhile run between
        batches; the cross-process write lock is held only during a batch. ``cancelled()`` is checked
        between batches: what was imported stays, and the index is brought up to date either way.
        Indexing follows :meth:`import_paths` (catch-ups as it goes, or one rebuild after a first bulk
        import into an empty profile). The files are parsed in a child process (``parse_in_child``):
        the parsers would otherwise hold the interpreter the window runs on.
        """
        with self.store.writing():
            bulk = self.store.count() == 0
            run = ImportRun(paths, self.store, parse_in_child=parse_in_child)
        indexed_at = 0
        try:
            yield ImportProgress(0, run.total, run.current_name)
            while not run.done:
                if cancelled is not None and cancelled():
                    run.cancel()
                    break
                with self.store.writing():
                    run.step(batch_files, max_seconds=IMPORT_BATCH_SECONDS)
                    if not bulk and run.position - indexed_at >= INDEX_CATCH_UP_EVERY:
                        indexed_at = run.position
                        self.index.catch_up(self.store)
                report = run.report
                yield ImportProgress(
                    run.position,
                    run.total,
                    run.current_name,
                    report.added,
                    report.updated,
                    report.unchanged,
                    report.skipped,
                )
        except GeneratorExit:  # closed at exit: the index catches up at the next start instead
            logger.info("import stopped after %d of %d files", run.position, run.total)
            raise
        finally:
            run.close()
        if bulk and self.store.count() >= BULK_REBUILD_FROM:
            self.reindex()
        else:
            self.catch_up_index()
        run.log_summary()
        return run.report

    def preview_import(
        self,
        paths: Sequence[Path],
        *,
        parse_in_child: bool = False,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportPreview:
        """What importing ``paths`` would add, update, leave, skip as duplicates and reject; writes nothing.

        The app parses in a child process (``parse_in_child``), as :meth:`import_steps` does.
        """
        if not parse_in_child:
            return preview_paths(paths, self.store, cancelled=cancelled)
        from desktop.importers.parse_process import ProcessParser

        with ProcessParser({}) as parser:
            return preview_paths(paths, self.store, parse=parser.parse, cancelled=cancelled)

    def import_preview_steps(
        self, preview: ImportPreview, *, cancelled: Callable[[], bool] | None = None
    ) -> Generator[ImportProgress, None, ImportReport]:
        """Write a preview's adds and updates a batch (one transaction) at a time; yields progress.

        The write lock is held during a batch only; the index catches up after each batch.
        """
        steps = apply_preview(preview, self.store, cancelled=cancelled)
        try:
            while True:
                with self.store.writing():
                    try:
                        progress = next(steps)
                    except StopIteration as stop:
                        report: ImportReport = stop.value
                        break
                    self.index.catch_up(self.store)
                yield progress
        finally:
            steps.close()
        self.catch_up_index()
        return report

    def export_catalogue(self, path: Path, fmt: CatalogueFormat) -> int:
        """Write every knowledge-centre item to ``path`` as ``csv`` or ``marcxml``; returns how many."""
        return write_catalogue(self.store.iter_records([Kind.CENTRE_ITEM]), path, fmt)

    def load_demo(self, demo_file: Path) -> Changes:
        """Load the demo knowledge base shipped in resources/ (records marked demo, never pushed)."""
        data = json.loads(demo_file.read_text(encoding="utf-8"))
        records = [Record.from_json(item).with_changes(demo=True) for item in data["records"]]
        return self.save_many(records)

    def catch_up_index(self) -> int:
        """Bring the index up to the store's newest change; returns how many records were indexed."""
        with self.store.writing():
            return self.index.catch_up(self.store)

    def reindex(self) -> None:
        """Rebuild the whole index from the store."""
        with self.store.writing():
            self.index.rebuild(self.store)

    # -- reading -------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        kinds: Sequence[Kind] = (),
        filters: dict[str, list[str]] | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> SearchResult:
        """Ranked full-text search with facets, snippets and a spelling suggestion."""
        return self.index.search(query, kinds=kinds, filters=filters or {}, limit=limit, offset=offset)

    def as_you_type(self, text: str, *, limit: int = 10, kinds: Sequence[Kind] = ()) -> list[Hit]:
        """Quick matches while a person types: titles from the first letter, full text from the third
        (only records of ``kinds`` when given, e.g. experts for a people picker)."""
        return self.index.as_you_type(text, limit=limit, kinds=kinds)

    def find_experts(
        self,
        topic: str,
        *,
        limit: int = 10,
        filters: ExpertFilters | None = None,
        term_id: str = "",
        exclude: Sequence[str] = (),
    ) -> list[ExpertMatch]:
        """People ranked by the evidence that they know about ``topic`` (or the term ``term_id``),
        those passing ``filters``, leaving out ``exclude``."""
        finder = ExpertFinder(self.index, self.store)
        return finder.find(topic, limit=limit, filters=filters, term_id=term_id, exclude=exclude)

    # -- peer learning: availability, requests, whom to ask ---------------------------------
    # The work is in desktop/expert_service.py.

    @cached_property
    def experts(self) -> ExpertService:
        """My expert profile and availability, requests for help, people to ask about a record."""
        return ExpertService(self)

    def request_help(self, expert_id: str, request_type: str, message: str, regarding: str = "") -> Record:
        """Ask an expert for advice, mentoring or a peer review of my draft ``regarding``; synced next."""
        return self.experts.request_help(expert_id, request_type, message, regarding)

    def respond_to_request(self, request_id: str, state: str, outcome: str = "") -> Changes:
        """Accept, decline, or complete with an outcome, a request made of me."""
        return self.experts.respond(request_id, state, outcome)

    def resolve_id(self, text: str) -> str | None:
        """A full record id from an id or a unique prefix of at least 8 characters."""
        text = text.strip()
        if self.store.get(text) is not None:
            return text
        if len(text) >= 8:
            matches = self.store.ids_with_prefix(text, limit=2)
            if len(matches) == 1:
                return matches[0]
        return None

    def view(self, record_id: str) -> RecordView | None:
        """A record with its links resolved to titles and kinds, and what links to it."""
        record = self.store.get(record_id)
        if record is None:
            return None
        found = self.store.get_many(link.target_id for link in record.links)
        # A merged or retired term leads to the term that replaced it (its tombstone names it).
        targets = follow_replacements(found, self.store.get_many)
        links = []
        direct = {(link.relation, link.target_id) for link in record.links}
        for link in record.links:
            target = targets.get(link.target_id)
            was = found.get(link.target_id)
            replaced = target is not None and was is not None and target.id != was.id
            if replaced and target is not None:
                if (link.relation, target.id) in direct:
                    continue  # it names the replacement too (or an earlier link led there): shown once
                direct.add((link.relation, target.id))
            links.append(
                LinkView(
                    relation=link.relation.value,
                    label=link.relation.value.replace("_", " "),
                    id=target.id if target else link.target_id,
                    kind=target.kind.value if target else "",
                    title=target.title if target else "",
                    exists=target is not None and not target.deleted,
                    replaces=was.title if replaced and was is not None else "",
                )
            )
        backlinks = [
            LinkView(
                relation=back.relation.value,
                label=INVERSE_LABELS[back.relation],
                id=back.source_id,
                kind=back.source_kind.value,
                title=back.source_title,
                exists=True,
            )
            for back in self.store.backlinks(record_id)
        ]
        accepted = (
            self.communities.accepted_of(record) if record.kind in (Kind.QUESTION, Kind.ANSWER) else None
        )
        return RecordView(record, links, backlinks, self.store.sync_state(record_id), accepted)

    def records(self, record_ids: Iterable[str]) -> dict[str, Record]:
        """Several records at once."""
        return self.store.get_many(record_ids)

    # -- editing support (working copies, history, trash, lists) -------------

    def save_working_copy(self, record: Record, base_revision: str) -> None:
        """Autosave an editor's unsaved state: one small transaction, no revision, outbox entry or
        index update, and no wait on the profile's write lock (an import cannot starve it)."""
        self.store.save_working_copy(record, base_revision)

    def working_copy(self, record_id: str) -> WorkingCopy | None:
        """The unsaved working copy of a record, or None."""
        return self.store.working_copy(record_id)

    def working_copies(self) -> list[WorkingCopy]:
        """Every unsaved working copy, newest first (offered back after a crash)."""
        return self.store.working_copies()

    def discard_working_copy(self, record_id: str) -> None:
        """Forget a record's working copy."""
        self.store.discard_working_copy(record_id)

    def history(self, record_id: str) -> list[RevisionInfo]:
        """Every saved version of a record, newest first, then those of the records merged into it
        (their ``record.id`` is theirs, not ``record_id``)."""
        history = self.store.history(record_id)
        for merged_id in self._merges.merged_into(record_id):
            history.extend(self.store.history(merged_id))
        return history

    def revision(self, record_id: str, revision: str) -> Record | None:
        """One saved version of a record, or None."""
        return self.store.revision(record_id, revision)

    def restore_revision(self, record_id: str, revision: str) -> Changes:
        """Make an old version current again, as a NEW revision (history is never rewritten)."""
        with self.store.writing():
            old = self.store.revision(record_id, revision)
            if old is None:
                raise RecordNotFoundError(f"Record {record_id} has no saved version {revision}.")
            # The content comes back; where the record stands in review does not (its review history
            # only grows, and the server refuses one with entries taken out).
            restored = with_workflow_of(old, self.store.get(record_id))
            changes = self.store.save(restored.with_changes(revision="", parent_revision=""))
            self.index.apply(changes, self.store)
        return changes

    def trash(self) -> list[Record]:
        """Deleted records, most recently deleted first."""
        return self.store.trash()

    def restore_from_trash(self, record_id: str) -> Changes:
        """Bring a deleted record back (a new revision) and make it searchable again."""
        with self.store.writing():
            changes = self.store.undelete(record_id)
            self.index.apply(changes, self.store)
        return changes

    def me(self) -> str:
        """The local user's name (owner of new records), by default the operating system's user."""
        return self.store.local_user()

    def set_me(self, name: str) -> None:
        """Set the local user's name."""
        name = name.strip()
        if not name:
            raise ValueError("the user name must not be empty")
        self.store.set_meta(LOCAL_USER_KEY, name)

    def new_record(self, kind: Kind) -> Record:
        """A fresh, unsaved draft of ``kind`` owned by the local user (its fields still empty)."""
        return Record(
            id=new_record_id(),
            kind=Kind(kind),
            owner=self.me(),
            status=Status.DRAFT,
            created_at=utc_now(),
        )

    def list_page(
        self,
        kinds: Sequence[Kind],
        *,
        sort: str = "updated",
        descending: bool = True,
        text: str = "",
        offset: int = 0,
        limit: int = 200,
        mine: bool = False,
    ) -> list[RecordSummary]:
        """One page of a record list (see ``RecordRepository.list_page``)."""
        return self.store.list_page(
            kinds, sort=sort, descending=descending, text=text, offset=offset, limit=limit, mine=mine
        )

    def count_matching(self, kinds: Sequence[Kind], *, text: str = "", mine: bool = False) -> int:
        """How many records a list with these filters holds."""
        return self.store.count_matching(kinds, text=text, mine=mine)

    def recent(self, limit: int = 20) -> list[RecordSummary]:
        """The newest changes (vocabulary terms left out), for Home."""
        return self.store.recent(limit)

    def my_drafts(self, limit: int = 50) -> list[RecordSummary]:
        """The local user's drafts, for Home."""
        return self.store.my_drafts(limit)

    def follow_ups_due(self, within_days: int = 14, limit: int = 50) -> list[FollowUpDue]:
        """Site-visit follow-up actions not done, due within ``within_days`` or overdue, for Home."""
        return self.store.follow_ups_due(within_days, limit)

    # -- communities, questions and answers ----------------------------------
    # The work is in desktop/community_service.py (the community page, threads, notifications).

    @cached_property
    def communities(self) -> CommunityService:
        """Community pages, questions and answers, follows, notifications and membership."""
        return CommunityService(self)

    def ask_question(
        self, title: str, body: str = "", *, community_id: str = "", expert_id: str = ""
    ) -> Record:
        """Ask a question in a community or of a named expert (or both); it is followed, and synced next."""
        return self.communities.ask_question(title, body, community_id=community_id, expert_id=expert_id)

    def answer_question(self, question_id: str, body: str) -> Record:
        """Answer a question (answering follows it)."""
        return self.communities.answer(question_id, body)

    def accept_answer(self, question_id: str, answer_id: str) -> Changes:
        """The asker (or a librarian) marks the accepted answer, or another one instead ("" clears it)."""
        return self.communities.accept(question_id, answer_id)

    def withdraw_acceptance(self, question_id: str) -> Changes:
        """The asker (or a librarian) withdraws the accepted answer: the question is open again."""
        return self.communities.withdraw_acceptance(question_id)

    # -- curation ------------------------------------------------------------
    # The work is in desktop/review_service.py (the rules in desktop/core/review.py).

    @cached_property
    def _review(self) -> ReviewService:
        return ReviewService(self)

    def role(self) -> str:
        """The user's server role from the last sign-in or sync ("" before any): known offline."""
        return self._review.role()

    def set_role(self, role: str) -> None:
        """Remember the user's server role (sign-in and sync call this)."""
        self._review.set_role(role)

    def is_librarian(self) -> bool:
        """True when the user reviews (librarians and admins)."""
        return self._review.is_librarian()

    def review(self, record_id: str, action: ReviewAction | str, comment: str = "") -> Changes:
        """Submit, publish, return (with a comment), retire: the record saved with its review entry."""
        return self._review.review(record_id, action, comment)

    def review_queue(self, filters: QueueFilter | None = None) -> list[QueueItem]:
        """The review queue, oldest submission first (a librarian's, or the user's own items)."""
        return self._review.queue(filters)

    def returned_to_me(self, limit: int = 50) -> list[QueueItem]:
        """The user's records that came back from review, with the comment, for Home."""
        return self._review.returned_to_me(limit)

    def similar_records(self, record_id: str, limit: int = 8) -> list[Hit]:
        """ "More like this": records most like this one, from the search index."""
        return self._review.similar(record_id, limit)

    # -- attachments ---------------------------------------------------------
    # The work is in desktop/attachment_service.py; these methods keep the index in step with it.

    @cached_property
    def _attachments(self) -> AttachmentService:
        return AttachmentService(self.store, self.paths.data_dir)

    def add_attachment(
        self, record_id: str, path: Path, *, keep_location: bool = False, max_side: int | None = None
    ) -> AttachmentInfo:
        """Attach a file to a record and make its name searchable at once.

        Photos lose their location unless ``keep_location`` and are downscaled to
        ``max_side`` pixels when given; other files are stored as they are. Text is
        extracted later (:meth:`extract_pending_texts`). Raises MediaError or
        AttachmentTooLargeError (clear messages) with nothing changed.
        """
        info = self._attachments.add(record_id, path, keep_location=keep_location, max_side=max_side)
        self.catch_up_index()
        return info

    def remove_attachment(self, record_id: str, sha256: str) -> None:
        """Detach a file from a record (its bytes go when no record uses them) and re-index the record."""
        if self._attachments.remove(record_id, sha256):
            self.catch_up_index()

    def attachments(self, record_id: str) -> list[AttachmentInfo]:
        """Files attached to a record, in the order they were added."""
        return self.store.attachments(record_id)

    def blob_path(self, sha256: str) -> Path:
        """Where an attachment's bytes are stored (read them, never write them)."""
        return self.store.blob_path(sha256)

    def thumbnail(self, sha256: str, size: int = 256) -> Path | None:
        """A cached PNG thumbnail (under ``<profile>/thumbnails``) of an image attachment; None otherwise."""
        return self._attachments.thumbnail(sha256, size)

    def extract_texts(self, limit: int = 20) -> list[ExtractedText]:
        """Extract pending attachments' text in a worker process; writes nothing (the app reads with it)."""
        return self._attachments.extract_texts(limit)

    def store_extracted_texts(self, results: Sequence[ExtractedText]) -> int:
        """Store what :meth:`extract_texts` found and index the records it changed (the app's write step)."""
        stored = self._attachments.store_texts(results)
        if stored:
            self.catch_up_index()
        return stored

    def extract_pending_texts(self, limit: int = 20) -> int:
        """Extract, store and index the text of up to ``limit`` pending attachments; returns how many."""
        return self.store_extracted_texts(self.extract_texts(limit))

    # -- usage (the work is in desktop/usage_service.py) ---------------------

    @cached_property
    def _usage(self) -> UsageService:
        from desktop.usage_service import UsageService

        return UsageService(self.store)

    def record_usage(self, events: Sequence[UsageEvent]) -> int:
        """Keep usage events (views, settled searches, helped marks) in one small transaction."""
        return self._usage.record(events)

    def helped(self, record_id: str) -> bool:
        """Whether the local user marked the record "this helped me"."""
        return self._usage.helped(record_id)

    def usage_dashboard(self) -> Dashboard:
        """What the dashboard shows: the server's last summary, or this computer's use before any sync."""
        return self._usage.dashboard()

    # -- duplicates (detection in desktop/core/duplicates.py, merges in desktop/store/merges.py) --

    @cached_property
    def _merges(self) -> MergeStore:
        return MergeStore(self.store)

    def find_duplicates(
        self, *, kinds: Sequence[Kind] = (), limit: int | None = None, include_dismissed: bool = False
    ) -> list[DuplicateGroup]:
        """Likely duplicate groups across the knowledge base and the catalogue, best score first.

        Pairs said not to be duplicates are left out, or listed last, marked, with ``include_dismissed``.
        """
        return find_duplicates(
            self._merges.duplicate_facts(),
            kinds=kinds,
            limit=limit,
            dismissed=self._merges.dismissed_pairs(),
            include_dismissed=include_dismissed,
        )

    def dismiss_duplicates(self, record_ids: Sequence[str]) -> Changes:
        """Say no two of ``record_ids`` are duplicates: links on the records, saved, synced, indexed.

        Raises DismissalRefused (nothing written) when the user may not change the records: librarians.
        """
        user, role = self.me(), self.role()
        with self.store.writing():
            records = self.store.get_many(record_ids)
            changed = plan_dismissal(records, record_ids, user, role, f"{user}, {utc_now()[:10]}")
            changes = self.store.save_many(changed) if changed else Changes()
            self.index.apply(changes, self.store)
        return changes

    def restore_duplicates(self, pairs: Sequence[Pair]) -> Changes:
        """Take back "not duplicates" for ``pairs``: they are proposed again (new revisions, synced)."""
        user, role = self.me(), self.role()
        ids = list(dict.fromkeys(record_id for pair in pairs for record_id in pair))
        with self.store.writing():
            records = {rid: r for rid, r in self.store.get_many(ids).items() if not r.deleted}
            changed = plan_restore(records, pairs, user, role)
            changes = self.store.save_many(changed) if changed else Changes()
            self.index.apply(changes, self.store)
        return changes

    def dismissed_duplicates(self) -> list[DismissedPair]:
        """The pairs said not to be duplicates, between live records."""
        return self._merges.dismissals()

    def merge_records(self, survivor_id: str, loser_id: str) -> MergeResult:
        """Merge ``loser_id`` into ``survivor_id`` (one transaction, synced) and update the index.

        Raises MergeRefused (a clear message, nothing written) when the user may not change one of
        the records the merge touches: librarians merge.
        """
        user, role = self.me(), self.role()
        with self.store.writing():
            result = self._merges.merge(
                survivor_id,
                loser_id,
                user=user,
                authorize=lambda records: check_may_merge(records, user, role),
            )
            self.index.apply(result.changes, self.store)
        return result

    def undo_merge(self, merge_id: int | None = None) -> MergeResult:
        """Undo a merge (the newest one not undone when ``merge_id`` is None), as new revisions."""
        with self.store.writing():
            if merge_id is None:
                open_merges = self._merges.merges(limit=1, include_undone=False)
                if not open_merges:
                    raise MergeRefused("There is no merge to undo.")
                merge_id = open_merges[0].id
            result = self._merges.undo(merge_id)
            self.index.apply(result.changes, self.store)
        return result

    def merges(self, *, limit: int = 20, survivor_id: str | None = None) -> list[MergeEntry]:
        """The newest merges first (undone ones too, marked); only those into ``survivor_id`` when given."""
        return self._merges.merges(limit=limit, survivor_id=survivor_id)

    # -- the controlled vocabulary -------------------------------------------
    # The work is in desktop/vocabulary_service.py: each operation is one transaction, then one index update.

    @cached_property
    def vocabulary(self) -> VocabularyService:
        """Merge, retire, edit terms and tag records in bulk."""
        return VocabularyService(self.store, self.index, lambda: (self.me(), self.role()))

    def terms(self) -> list[TermEntry]:
        """Every live term, with its broader term ids and how many records are about it (for the browser)."""
        return self.store.term_entries()

    def find_terms(self, text: str, *, limit: int = 12) -> list[TermMatch]:
        """Terms whose preferred or alternative labels contain ``text`` (completion, the browser's search)."""
        return self.store.find_terms(text, limit)

    def term_usage(self, term_id: str) -> TermUsage:
        """The records tagged with or about a term, and its narrower terms."""
        term = self.store.get(term_id)
        return self.store.term_usage(term) if term is not None else TermUsage()

    def merge_terms(self, survivor_id: str, loser_id: str) -> VocabularyResult:
        """Merge one term into another and retag what used it, in one transaction (librarians)."""
        return self.vocabulary.merge(survivor_id, loser_id)

    def retire_term(self, term_id: str, replacement_id: str | None = None) -> VocabularyResult:
        """Retire a term: what used it gets ``replacement_id`` instead, or loses the tag."""
        return self.vocabulary.retire(term_id, replacement_id)

    def tag_records(
        self, record_ids: Sequence[str], term_id: str, *, remove: bool = False
    ) -> VocabularyResult:
        """Add (or remove) a term on many records in one write (those the user may change)."""
        return self.vocabulary.tag(record_ids, term_id, remove=remove)

    def restore_tagging(self, before: Sequence[Record], term_id: str) -> VocabularyResult:
        """Undo a bulk tag: the term's tags and links on each record as in ``before``, in one write."""
        return self.vocabulary.restore_tagging(before, term_id)

    def save_term(self, term: Record) -> VocabularyResult:
        """Save a new or edited term (a renamed term's records carry its new label)."""
        return self.vocabulary.save_term(term)

    # -- maintenance ---------------------------------------------------------

    def check(self) -> CheckReport:
        """Database integrity and index consistency, as ``imbizo check`` reports them."""
        store_report = self.store.check()
        index_report = self.index.check(self.store)
        problems = list(store_report.problems) + list(index_report.problems)
        return CheckReport(
            ok=not problems,
            problems=problems,
            details={"store": store_report.problems, "index": index_report.to_json()},
        )

    def backup(self, destination: Path) -> None:
        """Copy the database to ``destination`` with SQLite's backup API."""
        self.store.backup(destination)

    def restore(self, source: Path) -> None:
        """Replace the database with a backup (checked first), then rebuild the index from it."""
        with self.store.writing():
            self.store.restore(source)
            self.index.rebuild(self.store)
