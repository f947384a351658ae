"""The store's self-check: SQLite's own checks plus Imbizo's invariants."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import Engine, func, select

from desktop.store.attachments import BlobStore
from desktop.store.models import AttachmentRow, MetaRow, RecordRow
from desktop.store.rows import SEQ_KEY

logger = logging.getLogger(__name__)


@dataclass
class StoreCheckReport:
    """Result of :meth:`RecordRepository.check`: ``ok`` when ``problems`` is empty."""

    ok: bool = True
    problems: list[str] = field(default_factory=list)

    def add(self, problem: str) -> None:
        """Record one problem (and clear ``ok``)."""
        self.problems.append(problem)
        self.ok = False


def run_check(engine: Engine, blobs: BlobStore, *, hash_blobs: bool = True) -> StoreCheckReport:
    """Run every check and collect what is wrong (an empty report means healthy).

    With ``hash_blobs=False`` attachment files are only checked to exist (fast).
    """
    report = StoreCheckReport()
    with engine.connect() as connection:
        integrity = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            for line in integrity[:20]:
                report.add(f"integrity_check: {line}")
        for row in connection.exec_driver_sql("PRAGMA foreign_key_check"):
            report.add(f"foreign_key_check: {row[0]} row {row[1]} points at a missing {row[2]} row")
        value = connection.scalar(select(MetaRow.value).where(MetaRow.key == SEQ_KEY))
        counter = int(value) if value is not None else 0
        highest = connection.scalar(select(func.max(RecordRow.seq))) or 0
        if highest > counter:
            report.add(f"a record has change-feed position {highest}, beyond the counter {counter}")
        attachments = connection.execute(select(AttachmentRow.record_id, AttachmentRow.sha256)).all()
    verified: dict[str, str | None] = {}
    for record_id, sha in attachments:
        if sha not in verified:
            if hash_blobs:
                verified[sha] = blobs.hash_file(sha)
            else:
                verified[sha] = sha if blobs.path_for(sha).is_file() else None
        actual = verified[sha]
        if actual is None:
            report.add(f"attachment {sha} of record {record_id} is missing its file")
        elif actual != sha:
            report.add(f"attachment {sha} of record {record_id} is damaged (its file hashes to {actual})")
    if not report.ok:
        logger.warning("store check found %d problem(s)", len(report.problems))
    return report
