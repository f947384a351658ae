"""What the tours share: a copy of the corpus profile to work on, and the screenshot helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

from screenshots import Shooter, settle, wait_until

__all__ = ["Shooter", "copy_profile", "settle", "wait_until"]


def copy_profile(corpus_profile: Path | None, workdir: Path) -> Path:
    """A fresh copy of the corpus profile in ``workdir`` (an empty profile folder when there is none)."""
    target = workdir / "profile"
    if corpus_profile is None:
        target.mkdir(parents=True, exist_ok=True)
        return target
    shutil.copytree(corpus_profile, target, ignore=shutil.ignore_patterns("*.lock", "lock"))
    return target
