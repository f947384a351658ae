"""``imbizo-server backup`` and ``restore``: the database and the blobs in one tar archive.

SQLite is copied with its backup API (a consistent copy while the server runs);
PostgreSQL with ``pg_dump`` (custom format). Blob files never change once complete, so
the archive takes them after the database and may hold a few the copy does not know yet.
A restore checks every member's name and every blob's hash before anything is replaced.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from sync.server.config import Settings
from sync.server.db import Database, utc_now
from sync.server.migrate import SchemaError, head_revision, migrate_database
from sync.server.models import User

logger = logging.getLogger(__name__)

ARCHIVE_FORMAT = "imbizo-server-backup"
ARCHIVE_VERSION = 1
_SQLITE_MEMBER = "database/server.db"
_PG_MEMBER = "database/server.pgdump"
_BLOB_MEMBER = re.compile(r"^blobs/([0-9a-f]{2})/([0-9a-f]{64})$")


class BackupError(RuntimeError):
    """A backup or restore that cannot be done (the message says why; nothing was replaced)."""


def _kind(settings: Settings) -> str:
    return "sqlite" if settings.is_sqlite else "postgresql"


def _sqlite_path(settings: Settings) -> Path:
    database = make_url(settings.database_url).database
    if not database:
        raise BackupError("the SQLite database URL names no file")
    return Path(database)


def _pg_command(settings: Settings, program: str) -> tuple[list[str], dict[str, str]]:
    """A libpq command line for the database (the password travels in the environment, not argv)."""
    url = make_url(settings.database_url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    binary = os.environ.get("IMBIZO_PG_BIN")
    executable = str(Path(binary) / program) if binary else program
    return [executable, f"--dbname={uri}"], env


def backup(settings: Settings, destination: Path) -> int:
    """Write the archive to ``destination`` (atomically); returns the number of blobs in it."""
    destination = destination.absolute()
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent) as work:
        database_file = Path(work) / "database"
        if settings.is_sqlite:
            _sqlite_copy(_sqlite_path(settings), database_file)
            member = _SQLITE_MEMBER
        else:
            command, env = _pg_command(settings, "pg_dump")
            _run([*command, "--format=custom", "--no-owner", f"--file={database_file}"], env)
            member = _PG_MEMBER
        manifest = {
            "format": ARCHIVE_FORMAT,
            "version": ARCHIVE_VERSION,
            "database": _kind(settings),
            "schema": head_revision(),
            "created_at": utc_now().isoformat(),
        }
        partial = Path(work) / "archive.tar.gz"
        count = 0
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode("utf-8"))
            archive.add(database_file, arcname=member, recursive=False)
            for blob in _blob_files(settings.blob_dir):
                archive.add(blob, arcname=f"blobs/{blob.parent.name}/{blob.name}", recursive=False)
                count += 1
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, destination)
    logger.info("backup written to %s with %d blobs", destination, count)
    return count


def _sqlite_copy(source_path: Path, target_path: Path) -> None:
    if not source_path.is_file():
        raise BackupError(f"there is no database at {source_path}")
    source = sqlite3.connect(str(source_path))
    target = sqlite3.connect(str(target_path))
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _blob_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(
        path
        for folder in root.iterdir()
        if folder.is_dir() and re.fullmatch(r"[0-9a-f]{2}", folder.name)
        for path in folder.iterdir()
        if path.is_file() and re.fullmatch(r"[0-9a-f]{64}", path.name) and path.name[:2] == folder.name
    )


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(utc_now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (set IMBIZO_PG_BIN to its folder)") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{Path(command[0]).name} failed: {exc.stderr.strip()[-400:]}") from exc


def restore(settings: Settings, source: Path, *, force: bool = False) -> int:
    """Replace the server's database and add the archive's blobs; returns the number of blobs restored.

    Refuses (BackupError) an archive that is not a server backup, one for the other kind
    of database, one with a schema newer than this server's, and, without ``force``, a
    server that already has accounts. Stop the server first.
    """
    if not source.is_file():
        raise BackupError(f"there is no file {source}")
    with tarfile.open(source, "r:*") as archive:
        members = _checked_members(archive)
        manifest = _read_manifest(archive, members)
        if manifest.get("database") != _kind(settings):
            raise BackupError(
                f"the archive holds a {manifest.get('database')} database; this server uses {_kind(settings)}"
            )
        if str(manifest.get("schema")) > head_revision():
            raise BackupError(f"the archive has schema {manifest.get('schema')}, newer than this server's")
        if not force and _has_accounts(settings):
            raise BackupError("this server already has accounts; add --force to replace its database")
        settings.ensure_dirs()
        with tempfile.TemporaryDirectory(dir=settings.data_dir) as work:
            blobs = _extract_blobs(archive, members, Path(work))
            database_member = _SQLITE_MEMBER if settings.is_sqlite else _PG_MEMBER
            database_file = Path(work) / "database"
            _extract_member(archive, members, database_member, database_file)
            _restore_database(settings, database_file)
            for sha, path in blobs.items():
                target = settings.blob_dir / sha[:2] / sha
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
    try:
        # A new identity: a client that synced after this backup was taken must not resume
        # from its cursor (the server forgot what came after), so it stops and asks.
        migrate_database(settings, new_identity=True)
    except SchemaError as exc:
        raise BackupError(str(exc)) from exc
    logger.info("restored %s with %d blobs", source, len(blobs))
    return len(blobs)


def _checked_members(archive: tarfile.TarFile) -> dict[str, tarfile.TarInfo]:
    """Every member by name, after checking that each is a regular file with a name we expect."""
    members: dict[str, tarfile.TarInfo] = {}
    for member in archive.getmembers():
        name = member.name
        allowed = name in ("manifest.json", _SQLITE_MEMBER, _PG_MEMBER) or _BLOB_MEMBER.fullmatch(name)
        if not member.isfile() or not allowed:
            raise BackupError(
                f"the archive has an unexpected member {name[:100]!r}; it is not a server backup"
            )
        match = _BLOB_MEMBER.fullmatch(name)
        if match and match.group(2)[:2] != match.group(1):
            raise BackupError(f"the archive has a misplaced blob {name[:100]!r}")
        members[name] = member
    return members


def _read_manifest(archive: tarfile.TarFile, members: dict[str, tarfile.TarInfo]) -> dict[str, object]:
    member = members.get("manifest.json")
    handle = archive.extractfile(member) if member is not None and member.size < 65536 else None
    if handle is None:
        raise BackupError("the archive has no manifest; it is not a server backup")
    try:
        manifest = json.loads(handle.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError("the archive's manifest is unreadable") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
        raise BackupError("the archive is not an Imbizo server backup")
    if manifest.get("version") != ARCHIVE_VERSION:
        raise BackupError(f"the archive has format version {manifest.get('version')}, unknown to this server")
    return manifest


def _extract_member(
    archive: tarfile.TarFile, members: dict[str, tarfile.TarInfo], name: str, target: Path
) -> None:
    member = members.get(name)
    handle = archive.extractfile(member) if member is not None else None
    if handle is None:
        raise BackupError(f"the archive has no {name}")
    with open(target, "wb") as out:
        shutil.copyfileobj(handle, out)


def _extract_blobs(
    archive: tarfile.TarFile, members: dict[str, tarfile.TarInfo], work: Path
) -> dict[str, Path]:
    """Every blob of the archive into ``work``, each checked against its hash."""
    blobs: dict[str, Path] = {}
    for name in members:
        match = _BLOB_MEMBER.fullmatch(name)
        if not match:
            continue
        sha = match.group(2)
        handle = archive.extractfile(members[name])
        assert handle is not None
        target = work / sha
        digest = hashlib.sha256()
        with open(target, "wb") as out:
            while chunk := handle.read(1024 * 1024):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != sha:
            raise BackupError(f"the blob {sha} in the archive is damaged; nothing was restored")
        blobs[sha] = target
    return blobs


def _restore_database(settings: Settings, database_file: Path) -> None:
    if settings.is_sqlite:
        check = sqlite3.connect(str(database_file))
        try:
            if check.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise BackupError("the database in the archive is damaged; nothing was restored")
        finally:
            check.close()
        # Through SQLite's backup API, so the target's WAL and locks stay coherent.
        _sqlite_copy(database_file, _sqlite_path(settings))
    else:
        command, env = _pg_command(settings, "pg_restore")
        _run(
            [*command, "--clean", "--if-exists", "--no-owner", "--single-transaction", str(database_file)],
            env,
        )


def _has_accounts(settings: Settings) -> bool:
    if settings.is_sqlite and not _sqlite_path(settings).exists():
        return False
    db = Database(settings.database_url)
    try:
        with db.read() as session:
            return int(session.execute(select(func.count()).select_from(User)).scalar_one()) > 0
    except Exception:  # no schema yet: nothing to lose
        return False
    finally:
        db.dispose()
