"""Client-side sync algorithm over a Replica (filled in by the sync issue)."""

from __future__ import annotations

from typing import Protocol


class Replica(Protocol):
    """What a local store offers the sync engine."""

    def pending_outbox_count(self) -> int:
        """Number of local changes waiting to be pushed."""
        ...
