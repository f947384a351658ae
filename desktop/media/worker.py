"""Text extraction in a separate process, stopped when it takes too long.

pypdf is pure Python: a hostile or merely pathological PDF can keep it busy for
minutes while holding the interpreter, which would freeze every thread of the app.
So extraction runs in a child process (started with ``spawn``, safe next to Qt's
threads) that handles one file at a time; a file that takes longer than the time
limit gets the child killed and a MediaError, and the next file starts a fresh child.
The child's address space is capped too, so a PDF cannot eat all the memory.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType

from desktop.child_process import ChildProcess
from desktop.media.errors import MediaError
from desktop.media.text import extract_text

logger = logging.getLogger(__name__)

#: Seconds one document may take before its extraction is stopped.
DEFAULT_TIMEOUT = 60.0
#: Bytes of address space the child may use (POSIX only).
MEMORY_LIMIT = 1536 * 1024 * 1024

Extractor = Callable[[Path, str], str]


class ExtractionWorker:
    """A child process extracting text from one document at a time (thread-safe; one job at a time).

    Use it as a context manager, or call :meth:`close`. ``function`` must be a
    module-level callable (it is sent to the child by name).
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        function: Extractor = extract_text,
        memory_limit: int | None = MEMORY_LIMIT,
    ) -> None:
        self.timeout = timeout
        self._child = ChildProcess(_serve, (function, memory_limit), "imbizo-text-extraction")
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        """The child's process id, or None when no child is running."""
        return self._child.pid

    def extract(self, path: Path, media_type: str) -> str:
        """The text of ``path``, extracted in the child; MediaError when it fails or times out."""
        with self._lock:
            conn = self._child.connection()
            try:
                conn.send((str(path), media_type))
            except (BrokenPipeError, EOFError, OSError):
                self._child.kill()
                conn = self._child.connection()
                conn.send((str(path), media_type))
            if not conn.poll(self.timeout):
                logger.warning("text extraction of %s took over %.0f s; stopping it", path, self.timeout)
                self._child.kill()
                raise MediaError(
                    f"Reading the text of the document took longer than {self.timeout:g} seconds, "
                    "so it was stopped. The file may be damaged or built to stall readers."
                )
            try:
                status, value = conn.recv()
            except (EOFError, OSError) as exc:
                self._child.kill()
                raise MediaError("The document stopped the text reader; it is probably damaged.") from exc
            if status == "ok":
                return str(value)
            raise MediaError(str(value))

    def close(self) -> None:
        """Ask the child to exit (killing it if it does not) and release the pipe."""
        with self._lock:
            self._child.close()

    def __enter__(self) -> ExtractionWorker:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _limit_memory(limit: int | None) -> None:
    if not limit:
        return
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):  # Windows, or a limit the system refuses
        pass


def _serve(conn: Connection, function: Extractor, memory_limit: int | None) -> None:
    """The child's loop: receive (path, media type), send ("ok", text) or ("error", message)."""
    _limit_memory(memory_limit)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        path, media_type = job
        result: tuple[str, str]
        try:
            result = ("ok", function(Path(path), media_type))
        except MediaError as exc:
            result = ("error", str(exc))
        except MemoryError:
            result = ("error", "The document is too large to read on this computer.")
        except BaseException as exc:  # never let the child die on a parser's surprise
            result = ("error", f"The document could not be read ({type(exc).__name__}: {exc}).")
        try:
            conn.send(result)
        except (OSError, ValueError):
            return
