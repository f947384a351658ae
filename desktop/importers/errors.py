"""The importers' own error type: every parse failure is reported as one of these."""

from __future__ import annotations


class ImportFileError(Exception):
    """A file could not be read or parsed; the message says why, in words a user can act on."""
