"""``imbizo submit / review``: the curation workflow from the command line.

``imbizo submit ID`` sends one's own draft (or a returned record) for review;
``imbizo review`` lists the review queue (a librarian's, or one's own submitted and
returned items), and ``imbizo review ID --publish | --return COMMENT | --retire`` takes a
librarian's action. The change reaches the server with the next ``imbizo sync``. With
``--json`` both print JSON that follows resources/schemas/review.schema.json: ``{"queue":
[...]}`` for the queue, ``{"result": {...}}`` for an action.
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
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p = sub.add_parser("review", help="the review queue, or a librarian's action on one record")
    p.add_argument("id", metavar="ID", nargs="?", help="the record to act on (none: list the queue)")
    action = p.add_mutually_exclusive_group()
    action.add_argument("--publish", action="store_true", help="publish it")
    action.add_argument(
        "--return", dest="comment", metavar="COMMENT", help="return it to its author with why"
    )
    action.add_argument("--retire", action="store_true", help="retire a published record that went stale")
    p.add_argument("--json", action="store_true", help="print the queue, or the action's result, as JSON")


def _act(args: argparse.Namespace, open_session: Callable[[argparse.Namespace], Any], action: str) -> int:
    from desktop.cli import output
    from desktop.core.review import ReviewError, review_log

    with open_session(args) as session:
        record_id = session.resolve_id(args.id)
        if record_id is None:
            raise CliError(f"no record with id {args.id!r}")
        try:
            session.review(record_id, action, getattr(args, "comment", None) or "")
        except ReviewError as exc:
            raise CliError(str(exc)) from exc
        record = session.store.get(record_id)
    if args.json:
        history = [entry.to_json() for entry in review_log(record)]
        output.print_json(
            {
                "result": {
                    "id": record.id,
                    "kind": record.kind.value,
                    "title": record.title,
                    "action": action,
                    "status": record.status.value,
                    "entry": history[-1],
                    "history": history,
                }
            }
        )
        return EXIT_OK
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
    from desktop.cli import output

    with open_session(args) as session:
        items = session.review_queue()
        librarian = session.is_librarian()
        user = session.me()
    if args.json:
        output.print_json({"user": user, "reviewer": librarian, "queue": [item.to_json() for item in items]})
        return EXIT_OK
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
