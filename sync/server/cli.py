"""The ``imbizo-server`` command: run the server and administer it.

Exit codes: 0 success, 1 failure, 2 usage error. Passwords are read from standard input
(asked for twice, unechoed, on a terminal) and never printed or logged.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import ssl
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sync.server.config import Settings

# The commands import the server's modules when they run, so ``--help`` and usage errors are quick.
ROLES = ("staff", "librarian", "admin")

logger = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A command that failed; the message is for the person at the terminal."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (global options before the command)."""
    parser = argparse.ArgumentParser(prog="imbizo-server", description="The Imbizo central sync server.")
    parser.add_argument("--data-dir", type=Path, help="folder of the database and blobs")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="migrate the database, then serve HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8765, help="port to listen on (default 8765)")
    serve.add_argument("--ssl-certfile", type=Path, help="serve https with this certificate chain (PEM)")
    serve.add_argument("--ssl-keyfile", type=Path, help="the certificate's private key (PEM)")
    adduser = commands.add_parser("adduser", help="add an account (password from standard input)")
    adduser.add_argument("name")
    adduser.add_argument("--role", required=True, choices=ROLES)
    setrole = commands.add_parser("setrole", help="change an account's role")
    setrole.add_argument("name")
    setrole.add_argument("role", choices=ROLES)
    commands.add_parser("disable", help="disable an account and end its sessions").add_argument("name")
    commands.add_parser("resetpw", help="set a new password (standard input); ends sessions").add_argument(
        "name"
    )
    commands.add_parser("backup", help="write the database and blobs to one archive").add_argument(
        "file", type=Path
    )
    restore_cmd = commands.add_parser(
        "restore", help="replace the database and add the blobs from an archive"
    )
    restore_cmd.add_argument("file", type=Path)
    restore_cmd.add_argument(
        "--force", action="store_true", help="replace a server that already has accounts"
    )
    commands.add_parser("migrate", help="bring the database schema up to date")
    return parser


def read_password(prompt: str = "Password: ") -> str:
    """A password from the terminal (twice, unechoed) or the first line of standard input."""
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("Again: ") != first:
            raise CommandError("the two passwords differ")
        return first
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def tls_context(certfile: Path, keyfile: Path | None) -> ssl.SSLContext:
    """The server's TLS settings: TLS 1.2 and 1.3 only (RELIABILITY.md S5), Python's default ciphers."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certfile, keyfile)
    return context


def _serve(settings: Settings, args: argparse.Namespace) -> str:
    import uvicorn

    from sync.server.api import create_app

    if bool(args.ssl_keyfile) != bool(args.ssl_certfile):
        raise CommandError("--ssl-certfile and --ssl-keyfile go together")
    tls: dict[str, object] = {}
    if args.ssl_certfile:
        context = tls_context(args.ssl_certfile, args.ssl_keyfile)  # a bad file fails here, before serving
        tls = {
            "ssl_certfile": str(args.ssl_certfile),
            "ssl_keyfile": str(args.ssl_keyfile),
            "ssl_context_factory": lambda _config, _default: context,
        }
    app = create_app(settings)
    scheme = "https" if tls else "http"
    logger.info("serving on %s://%s:%d (data in %s)", scheme, args.host, args.port, settings.data_dir)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", **tls)  # type: ignore[arg-type]
    return ""


def _with_session(settings: Settings, action: str, name: str, role_name: str | None = None) -> str:
    from sync.protocol import Role
    from sync.server import accounts
    from sync.server.auth import Passwords
    from sync.server.db import Database

    role = Role(role_name) if role_name else None
    passwords = Passwords(settings.argon2)
    password = read_password() if action in ("adduser", "resetpw") else ""
    db = Database(settings.database_url)
    try:
        with db.write() as session:
            if action == "adduser":
                assert role is not None
                accounts.create_user(
                    session=session, passwords=passwords, name=name, role=role, password=password
                )
                return f"added {name} ({role.value})"
            if action == "setrole":
                assert role is not None
                accounts.set_role(session=session, name=name, role=role)
                return f"{name} is now {role.value}"
            if action == "disable":
                ended = accounts.disable_user(session=session, name=name)
                return f"disabled {name}; {ended} session(s) ended"
            ended = accounts.reset_password(
                session=session, passwords=passwords, name=name, password=password
            )
            return f"new password set for {name}; {ended} session(s) ended"
    except accounts.AccountError as exc:
        raise CommandError(str(exc)) from exc
    finally:
        db.dispose()


def run(args: argparse.Namespace) -> str:
    """Carry out one parsed command; returns the line to print."""
    from sync.server.backup import backup, restore
    from sync.server.config import Settings
    from sync.server.migrate import migrate_database

    settings = Settings.load(args.data_dir)
    command = args.command
    if command == "serve":
        return _serve(settings, args)
    if command == "migrate":
        before, after = migrate_database(settings)
        return (
            f"schema {after} (was {before or 'empty'})" if before != after else f"schema {after}: up to date"
        )
    if command == "backup":
        count = backup(settings, args.file)
        return f"backup written to {args.file} ({count} blobs)"
    if command == "restore":
        count = restore(settings, args.file, force=args.force)
        return f"restored {args.file} ({count} blobs)"
    migrate_database(settings)
    return _with_session(settings, command, args.name, getattr(args, "role", None))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``imbizo-server``."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    from sync.server.backup import BackupError
    from sync.server.config import SettingsError
    from sync.server.migrate import SchemaError

    try:
        message = run(args)
    except SettingsError as exc:
        print(f"imbizo-server: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (CommandError, BackupError, SchemaError) as exc:
        print(f"imbizo-server: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return EXIT_FAILURE
    if message:
        print(message)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
