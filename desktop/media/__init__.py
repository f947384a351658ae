"""Media: what Imbizo does with attached files, without Qt, the store or the index.

``filetypes`` tells a file's real type from its bytes, ``images`` makes thumbnails and
prepares photos for sharing (location removed, optionally downscaled), ``text``
extracts the text of PDFs and plain-text documents, and ``worker`` runs that
extraction in a separate process with a time limit, since a parser stuck on a
hostile PDF would otherwise hold the interpreter.

Import the submodules directly: this package stays cheap to import (Pillow and
pypdf load only when a file is processed), so nothing here slows start-up.
"""

from desktop.media.errors import MediaError

__all__ = ["MediaError"]
