"""Argument parsing and dispatch for ``imbizo``.

Exit codes (documented in the README): 0 success (also for zero hits), 1 failure,
2 usage error, 3 partial import or failed check.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from desktop import __version__
from desktop.cli.errors import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, CliError

logger = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors exit with code 2 and a one-line hint."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The whole command-line grammar."""
    parser = _Parser(
        prog="imbizo",
        description="Imbizo: an offline knowledge base and expert directory. "
        "With no command, opens the app on the local profile.",
        epilog="Exit codes: 0 success (also for zero hits), 1 failure, 2 usage error, "
        "3 partial import, failed check, or a sync with conflicts or refusals; 4 not signed in; "
        "5 this version is too old for the server; 6 a sync stopped to ask first (mass deletion, or "
        "another server).",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="profile folder (else $IMBIZO_DATA_DIR, "
        "else data_dir in the config file, else the platform's user data folder)",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="log to stderr too")
    parser.add_argument("--version", action="version", version=f"imbizo {__version__}")
    parser.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("import", help="import files or folders (Markdown, GOV.UK JSON, MARC, vocabulary CSV)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument(
        "--preview",
        action="store_true",
        help="write nothing: list what the import would add, update, leave unchanged, "
        "skip as a duplicate (same ISBN, ISSN or LCCN) or reject, and why",
    )

    p = sub.add_parser("export", help="export the catalogue (knowledge-centre items) as CSV or MARCXML")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", required=True, choices=["csv", "marcxml"], dest="fmt")
    p.add_argument(
        "--kind", default="centre_item", choices=["centre_item"], help="the records to export (centre_item)"
    )

    p = sub.add_parser("search", help="ranked full-text search")
    p.add_argument("query", metavar="QUERY", help='words are ANDed; "quotes" make phrases; OR and -word work')
    p.add_argument("--kind", action="append", default=[], metavar="K", help="only records of this kind")
    p.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="facet filter; repeated on one field ORs, on different fields ANDs",
    )
    p.add_argument("--limit", type=_positive_int, default=10, metavar="N")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("experts", help="who knows about a topic, with the evidence")
    p.add_argument("topic", metavar="TOPIC")
    p.add_argument("--district", default="", help="only experts of this district")
    p.add_argument("--organisation", default="", help="only experts of this organisation")
    p.add_argument(
        "--available",
        choices=("advice", "mentoring", "peer_review"),
        default="",
        help="only experts available for this",
    )
    p.add_argument("--limit", type=_positive_int, default=10, metavar="N")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("show", help="one record with its fields, source and links")
    p.add_argument("id", metavar="ID", help="a record id or a unique prefix of 8 or more characters")
    p.add_argument("--json", action="store_true")

    sub.add_parser("reindex", help="rebuild the search index from the database")
    p = sub.add_parser("check", help="database integrity and index consistency")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("backup", help="back up the database with SQLite's backup API")
    p.add_argument("file", metavar="FILE")
    p = sub.add_parser("restore", help="replace the database with a backup (the index is rebuilt)")
    p.add_argument("file", metavar="FILE")
    sub.add_parser("demo", help="load the demo knowledge base into this profile")
    from desktop.cli import duplicates_command

    duplicates_command.add_parser(sub, _positive_int)
    from desktop.cli import merge_command

    merge_command.add_parser(sub, _positive_int)
    from desktop.cli import sync_commands  # argparse only: the sync stack loads when a command runs

    sync_commands.add_parsers(sub)
    from desktop.cli import review_commands

    review_commands.add_parsers(sub)
    return parser


def app_arguments(argv: list[str]) -> argparse.Namespace | None:
    """The arguments when they only open the app (``--data-dir DIR``, ``-v``, ``--smoke-test``); else None.

    Opening the app is the common case and must start fast: building the whole command grammar
    costs ~30 ms, so these few options are read directly. Anything else (a command, ``--help``,
    a mistake) goes to the full parser, which also gives the usage errors.
    """
    values: dict[str, object] = {"command": None, "data_dir": None, "verbose": False, "smoke_test": False}
    items = iter(argv)
    for item in items:
        if item in ("--verbose", "-v"):
            values["verbose"] = True
        elif item == "--smoke-test":
            values["smoke_test"] = True
        elif item == "--data-dir":
            folder = next(items, None)
            if folder is None or folder.startswith("-"):
                return None
            values["data_dir"] = folder
        elif item.startswith("--data-dir=") and len(item) > len("--data-dir="):
            values["data_dir"] = item.partition("=")[2]
        else:
            return None
    return argparse.Namespace(**values)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def main(
    argv: Sequence[str] | None = None, *, open_app: Callable[[str | None, bool], int] | None = None
) -> int:
    """Run ``imbizo`` with ``argv`` (default: sys.argv[1:]); returns the exit code.

    With no command, ``open_app(data_dir, smoke_test)`` opens the window; the composition
    root passes it, so the command line itself never imports the UI.
    """
    args = app_arguments(sys.argv[1:] if argv is None else list(argv)) or build_parser().parse_args(argv)
    from desktop.logs import setup_logging

    # The app opens its log file once its window shows (desktop/logs.py); commands open it now.
    setup_logging(verbose=args.verbose, deferred=args.command is None and open_app is not None)
    if args.command is None:
        if open_app is None:
            build_parser().print_help()
            return EXIT_USAGE
        return open_app(args.data_dir, args.smoke_test)
    # Imported here, not at the top: the commands pull in SQLAlchemy, Whoosh and the importers,
    # which opening the app must not wait for (the window shows first, the profile opens after).
    from desktop.cli import commands

    try:
        return commands.run(args)
    except CliError as exc:
        print(f"imbizo: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("imbizo: interrupted", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:
        # The reader went away (``imbizo search x | head``): not an error, stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
