"""Text extracted from attachments: a local cache kept beside the attachment rows.

The text of a PDF or a plain-text attachment is extracted in the background and
stored in ``attachments.text`` so the search index can find the record by it.
It is not synced content: storing it makes no revision and no outbox entry; it
only moves the record to the head of the change feed, so the index picks it up.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from desktop.core.ports import AttachmentInfo
from desktop.store.models import AttachmentRow, RecordRow
from desktop.store.rows import attachment_from_row

#: ``attachments.text_state`` values.
TEXT_PENDING = "pending"  # not tried yet
TEXT_DONE = "done"  # ``text`` holds the extracted text
TEXT_NONE = "none"  # nothing to extract (a photo, a spreadsheet...)
TEXT_FAILED = "failed"  # ``text`` holds the reason, for the person who attached it
TEXT_STATES = frozenset({TEXT_PENDING, TEXT_DONE, TEXT_NONE, TEXT_FAILED})

_CHUNK = 500


class AttachmentTexts:
    """Reading and storing attachment text (a mixin of RecordRepository, which supplies the rest)."""

    def _read_session(self) -> AbstractContextManager[Session]:  # pragma: no cover - overridden
        raise NotImplementedError

    def _write_session(self, action: str) -> AbstractContextManager[Session]:  # pragma: no cover
        raise NotImplementedError

    def _touch(self, session: Session, record_id: str) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def pending_text_attachments(self, limit: int = 20) -> list[AttachmentInfo]:
        """Attachments of live records whose text has not been extracted yet, oldest first."""
        query = (
            select(AttachmentRow)
            .join(RecordRow, RecordRow.id == AttachmentRow.record_id)
            .where(AttachmentRow.text_state == TEXT_PENDING, RecordRow.deleted.is_(False))
            .order_by(AttachmentRow.id)
            .limit(max(0, limit))
        )
        with self._read_session() as session:
            return [attachment_from_row(row) for row in session.scalars(query)]

    def set_attachment_text(self, record_id: str, sha256: str, text: str | None, state: str) -> bool:
        """Store the outcome of extracting an attachment's text; the record is then re-indexed.

        ``state`` is one of :data:`TEXT_STATES`; with ``TEXT_FAILED``, ``text`` is the reason.
        Makes no revision and no outbox entry (the text is a local cache). Returns False
        when the record no longer has that attachment.
        """
        if state not in TEXT_STATES:
            raise ValueError(f"unknown attachment text state {state!r}")
        with self._write_session("store the attachment's text") as session:
            result = session.execute(
                update(AttachmentRow)
                .where(AttachmentRow.record_id == record_id, AttachmentRow.sha256 == sha256)
                .values(text=text, text_state=state)
            )
            if not getattr(result, "rowcount", 0):
                return False
            if state in (TEXT_DONE, TEXT_PENDING):  # only searchable text changes the index document
                self._touch(session, record_id)
            return True

    def attachment_text(self, record_id: str, sha256: str) -> str | None:
        """The stored text of one attachment (or the reason it failed), or None."""
        query = select(AttachmentRow.text).where(
            AttachmentRow.record_id == record_id, AttachmentRow.sha256 == sha256
        )
        with self._read_session() as session:
            return session.scalar(query)

    def attachment_texts(
        self, record_ids: Iterable[str], *, max_chars: int = 300_000
    ) -> dict[str, list[tuple[str, str]]]:
        """(file name, extracted text) of each attachment of these records, for the search index.

        One query per 500 records, never one per record. Text that is not extracted
        (yet) is "", and each text is cut at ``max_chars`` in SQL so a batch of large
        PDFs stays small in memory.
        """
        ids = list(dict.fromkeys(record_ids))
        found: dict[str, list[tuple[str, str]]] = {}
        text = func.substr(AttachmentRow.text, 1, max_chars)
        with self._read_session() as session:
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                query = (
                    select(AttachmentRow.record_id, AttachmentRow.filename, AttachmentRow.text_state, text)
                    .where(AttachmentRow.record_id.in_(chunk))
                    .order_by(AttachmentRow.id)
                )
                for record_id, filename, state, body in session.execute(query):
                    found.setdefault(record_id, []).append(
                        (filename, (body or "") if state == TEXT_DONE else "")
                    )
        return found
