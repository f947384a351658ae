"""``imbizo merge``: merge two duplicate records into one, undo a merge, list the merges.

``imbizo merge KEEP OTHER`` keeps KEEP and merges OTHER into it (the rules of the app's
Duplicates page: librarians merge; links, tags, files and both histories are kept);
``imbizo merge --undo [MERGE_ID]`` undoes a merge (the newest when no id is given);
``imbizo merge --log`` lists the recent merges with their ids. Changes reach the server with
the next ``imbizo sync``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from desktop.cli.errors import EXIT_OK, EXIT_USAGE, CliError

if TYPE_CHECKING:
    from desktop.store.merges import MergeEntry, MergeResult

OpenSession = Callable[[argparse.Namespace], AbstractContextManager[Any]]


def add_parser(sub: Any, positive_int: Callable[[str], int]) -> None:
    """The ``merge`` subcommand."""
    p = sub.add_parser(
        "merge",
        help="merge a duplicate into the record to keep (librarians), undo a merge, or list the merges",
    )
    p.add_argument(
        "ids",
        nargs="*",
        metavar="ID",
        help="KEEP OTHER: the record to keep, then its duplicate (ids or unique prefixes of 8+ characters)",
    )
    action = p.add_mutually_exclusive_group()
    action.add_argument(
        "--undo",
        nargs="?",
        const=0,
        type=positive_int,
        metavar="MERGE_ID",
        help="undo this merge (the newest not undone when no id is given)",
    )
    action.add_argument("--log", action="store_true", help="list the recent merges, newest first")
    p.add_argument("--limit", type=positive_int, default=20, metavar="N", help="merges listed by --log")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args: argparse.Namespace, open_session: OpenSession) -> int:
    """Merge, undo or list."""
    if args.log or args.undo is not None:
        if args.ids:
            raise CliError("--undo and --log take no record ids", EXIT_USAGE)
        return _log(args, open_session) if args.log else _undo(args, open_session)
    if len(args.ids) != 2:
        raise CliError("name the record to keep and its duplicate: imbizo merge KEEP OTHER", EXIT_USAGE)
    return _merge(args, open_session)


def _merge(args: argparse.Namespace, open_session: OpenSession) -> int:
    from desktop.core.merging import MergeRefused

    with open_session(args) as session:
        ids = []
        for text in args.ids:
            record_id = session.resolve_id(text)
            if record_id is None:
                raise CliError(f"no record with id {text!r}")
            ids.append(record_id)
        try:
            result = session.merge_records(ids[0], ids[1])
        except MergeRefused as exc:
            raise CliError(str(exc)) from exc
    _print_result(args, result, "Merged")
    return EXIT_OK


def _undo(args: argparse.Namespace, open_session: OpenSession) -> int:
    from desktop.core.merging import MergeRefused

    with open_session(args) as session:
        try:
            result = session.undo_merge(args.undo or None)
        except MergeRefused as exc:
            raise CliError(str(exc)) from exc
    _print_result(args, result, "Undid the merge of")
    return EXIT_OK


def _print_result(args: argparse.Namespace, result: MergeResult, verb: str) -> None:
    from desktop.cli import output

    entry = result.entry
    if args.json:
        changes = result.changes
        output.print_json(
            {
                "merge": entry_json(entry),
                "changes": {"updated": list(changes.updated), "deleted": list(changes.deleted)},
            }
        )
        return
    gone, kept = entry.loser_title or entry.loser_id, entry.survivor_title or entry.survivor_id
    print(f"{verb} “{gone}” into “{kept}”.")
    if entry.undone:
        print("Both records are back as they were before the merge (sent to the server at the next sync).")
        return
    moved = f"{entry.retargeted} record(s) now link to the kept one, {entry.attachments} file(s) copied"
    print(f"Merge {entry.id}: {moved}; sent to the server at the next sync.")
    print(f"Undo it with: imbizo merge --undo {entry.id}")


def _log(args: argparse.Namespace, open_session: OpenSession) -> int:
    from desktop.cli import output

    with open_session(args) as session:
        entries = session.merges(limit=args.limit)
    if args.json:
        output.print_json({"merges": [entry_json(entry) for entry in entries]})
        return EXIT_OK
    if not entries:
        print("No merges yet.")
    for entry in entries:
        state = f"undone {entry.undone_at[:16]}" if entry.undone else "merged"
        gone, kept = entry.loser_title or entry.loser_id, entry.survivor_title or entry.survivor_id
        print(f"{entry.id:>4}  {entry.merged_at[:16]}  {state:<23}  “{gone}” into “{kept}”")
    return EXIT_OK


def entry_json(entry: MergeEntry) -> dict[str, Any]:
    """A merge log entry as plain JSON values."""
    return {
        "id": entry.id,
        "kept": {"id": entry.survivor_id, "title": entry.survivor_title},
        "merged": {"id": entry.loser_id, "title": entry.loser_title},
        "kind": entry.kind,
        "merged_at": entry.merged_at,
        "merged_by": entry.merged_by,
        "undone_at": entry.undone_at or None,
        "links_moved": entry.retargeted,
        "files_copied": entry.attachments,
    }
