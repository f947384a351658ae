"""The one error kind of the media layer: a file that cannot be read, shown to the user as it is."""

from __future__ import annotations


class MediaError(ValueError):
    """A photo or document could not be processed; ``str(error)`` is a sentence a user can read."""
