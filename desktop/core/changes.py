"""What a mutating service call changed, so views and the index refresh from it (Anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    """Ids of records saved (created or updated) and deleted by one operation.

    ``seq`` is the store's change-feed position after the operation; the search
    index records it as its watermark.
    """

    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    seq: int = 0

    @property
    def saved(self) -> tuple[str, ...]:
        """Created and updated ids together."""
        return self.created + self.updated

    @property
    def empty(self) -> bool:
        """True when nothing was written."""
        return not (self.created or self.updated or self.deleted)

    def merged(self, other: Changes) -> Changes:
        """Both operations' changes, as if they were one."""
        return Changes(
            created=self.created + other.created,
            updated=self.updated + other.updated,
            deleted=self.deleted + other.deleted,
            unchanged=self.unchanged + other.unchanged,
            seq=max(self.seq, other.seq),
        )


@dataclass(frozen=True)
class ChangeEntry:
    """One row of the store's change feed: record ``record_id`` changed at ``seq``."""

    seq: int
    record_id: str
    deleted: bool = False


@dataclass
class ImportReport:
    """What an import did, per file: the counts and the reasons."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    files: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file, message)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (file, message)
    skips: list[tuple[str, str]] = field(default_factory=list)  # (file, why it was skipped), one per file

    @property
    def failed(self) -> bool:
        """True when at least one file could not be imported."""
        return bool(self.errors)


@dataclass(frozen=True)
class ImportProgress:
    """Where a stepwise import stands after a batch (small: it crosses to the GUI thread often)."""

    done: int  # files read so far
    total: int  # files the run will read
    current: str  # display name of the next file ("" at the end)
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
