"""What the review queue and Home read: the records in a workflow status (few, whatever the size)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, select

from desktop.core.kinds import Kind
from desktop.core.records import Record, Status
from desktop.store.models import RecordRow
from desktop.store.rows import RECORD_COLUMNS, core, record_from_row

if TYPE_CHECKING:
    from desktop.store.repository import RecordRepository

_IN_STATUS = select(*RECORD_COLUMNS).where(
    RecordRow.status.in_(bindparam("statuses", expanding=True)),
    RecordRow.kind.in_(bindparam("kinds", expanding=True)),
    RecordRow.deleted.is_(False),
    RecordRow.demo.is_(False),
)


def records_in_status(
    store: RecordRepository, statuses: Sequence[Status], kinds: Sequence[Kind]
) -> list[Record]:
    """The live records of ``kinds`` in one of ``statuses`` (demo records left out).

    A scan of the records table without an index on status: a few milliseconds at the
    corpus size, and the queue is read only when it is shown.
    """
    params = {"statuses": [s.value for s in statuses], "kinds": [k.value for k in kinds]}
    with store._read_session() as session:
        return [record_from_row(row) for row in core(session).execute(_IN_STATUS, params)]
