"""``imbizo submit / review``: the curation workflow from the command line.

``imbizo submit ID`` sends one's own draft (or a returned record) for review;
``imbizo review`` lists the review queue (a librarian's, or one's own submitted and
returned items), and ``imbizo review ID --publish | --return COMMENT | --retire`` takes a
librarian's action. The change reaches the server with the next ``imbizo sync``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from desktop.cli.errors import EXIT_OK, EXIT_USAGE, CliError


def add_parsers(sub: Any) -> None:
    """The curation subcommands of ``imbizo``."""
    p = sub.add_parser("submit", help="send your draft or returned record for review (sent at the next sync)")
    p.add_argument("id", metavar="ID", help="a record id or a unique prefix of 8 or more characters")
    p = sub.add_parser("review", help="the review queue, or a librarian's action on one record")
    p.add_argument("id", metavar="ID", nargs="?", help="the record to act on (none: list the queue)")
    action = p.add_mutually_exclusive_group()
    action.add_argument("--publish", action="store_true", help="publish it")
    action.add_argument(
        "--return", dest="comment", metavar="COMMENT", help="return it to its author with why"
    )
    action.add_argument("--retire", action="store_true", help="retire a published record that went stale")


def _act(args: argparse.Namespace, open_session: Callable[[argparse.Namespace], Any], action: str) -> int:
    from desktop.core.review import ReviewError

    with open_session(args) as session:
        record_id = session.resolve_id(args.id)
        if record_id is None:
            raise CliError(f"no record with id {args.id!r}")
        try:
            session.review(record_id, action, getattr(args, "comment", None) or "")
        except ReviewError as exc:
            raise CliError(str(exc)) from exc
        record = session.store.get(record_id)
    print(f"{record.title or record_id}: {record.status.value} (sent to the server at the next sync).")
    return EXIT_OK


def _cmd_submit(args: argparse.Namespace, open_session: Callable[[argparse.Namespace], Any]) -> int:
    return _act(args, open_session, "submitted")


def _cmd_review(args: argparse.Namespace, open_session: Callable[[argparse.Namespace], Any]) -> int:
    chosen = [
        name
        for name, on in (
            ("published", args.publish),
            ("returned", args.comment is not None),
            ("retired", args.retire),
        )
        if on
    ]
    if args.id is None:
        if chosen:
            raise CliError("name the record to act on", EXIT_USAGE)
        return _list_queue(args, open_session)
    if not chosen:
        raise CliError("choose --publish, --return COMMENT or --retire", EXIT_USAGE)
    return _act(args, open_session, chosen[0])


def _list_queue(args: argparse.Namespace, open_session: Callable[[argparse.Namespace], Any]) -> int:
    with open_session(args) as session:
        items = session.review_queue()
        librarian = session.is_librarian()
    if not items:
        print("Nothing waits for review." if librarian else "None of your records is in review.")
    for item in items:
        record = item.record
        line = f"{record.id[:8]}  {record.status.value:<9}  {item.submitted_at[:10]:<10}  {record.title}"
        print(line)
        if item.returned is not None:
            print(f"          returned by {item.returned.by}: {item.returned.comment}")
    return EXIT_OK


HANDLERS: dict[str, Callable[[argparse.Namespace, Callable[[argparse.Namespace], Any]], int]] = {
    "submit": _cmd_submit,
    "review": _cmd_review,
}
