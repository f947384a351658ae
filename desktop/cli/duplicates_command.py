"""``imbizo duplicates``: likely duplicate groups, and the librarian's "not duplicates".

``imbizo duplicates`` lists the groups (pairs said not to be duplicates left out; ``--all``
lists them too, marked). ``--dismiss GROUP`` or ``--dismiss ID ID...`` says records are not
duplicates, ``--dismissed`` lists what was said so, ``--restore ID ID...`` takes it back. The
word is kept on the records and reaches the server with the next ``imbizo sync``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from desktop.cli.errors import EXIT_OK, EXIT_USAGE, CliError

if TYPE_CHECKING:
    from desktop.session import Session

OpenSession = Callable[[argparse.Namespace], AbstractContextManager[Any]]


def add_parser(sub: Any, positive_int: Callable[[str], int]) -> None:
    """The ``duplicates`` subcommand."""
    p = sub.add_parser(
        "duplicates",
        help="likely duplicates: the same ISBN, ISSN or source URL, or a near-identical title "
        "with the same author or date; and the records said not to be duplicates",
    )
    p.add_argument("--kind", action="append", default=[], metavar="K", help="only groups holding this kind")
    p.add_argument("--limit", type=positive_int, default=None, metavar="N", help="at most N groups")
    p.add_argument(
        "--all", action="store_true", help="also list the groups said not to be duplicates, marked and last"
    )
    p.add_argument("--json", action="store_true", help="print the groups as JSON")
    action = p.add_mutually_exclusive_group()
    action.add_argument(
        "--dismiss",
        nargs="+",
        metavar="ID",
        help="not duplicates: a group's id, or two or more record ids (or unique prefixes of 8+ characters)",
    )
    action.add_argument("--dismissed", action="store_true", help="list the records said not to be duplicates")
    action.add_argument(
        "--restore", nargs="+", metavar="ID", help="take back 'not duplicates' between these records"
    )


def run(args: argparse.Namespace, open_session: OpenSession) -> int:
    """List the groups, or dismiss, list or restore "not duplicates"."""
    if args.dismiss:
        return _dismiss(args, open_session)
    if args.restore:
        return _restore(args, open_session)
    if args.dismissed:
        return _list_dismissed(args, open_session)
    return _list_groups(args, open_session)


def _list_groups(args: argparse.Namespace, open_session: OpenSession) -> int:
    """The groups, best score first, with the reasons and the records of each."""
    from desktop.cli import output
    from desktop.core.duplicates import describe

    kinds = _kinds(args.kind)
    with open_session(args) as session:
        groups = session.find_duplicates(kinds=kinds, limit=args.limit, include_dismissed=args.all)
    if args.json:
        output.print_json({"groups": [group.to_json() for group in groups]})
        return EXIT_OK
    if not groups:
        print("No likely duplicates found.")
        return EXIT_OK
    live = sum(1 for group in groups if not group.dismissed)
    print(f"{live} group(s) of likely duplicates, best first:")
    for number, group in enumerate(groups, start=1):
        if group.dismissed and (number == 1 or not groups[number - 2].dismissed):
            print("Said not to be duplicates:")
        print(f"{number:>3}. score {group.score:.2f}  {describe(group.reasons)}  [group {group.id}]")
        for member in group.members:
            year = f" ({member.year})" if member.year else ""
            print(f"      {member.id[:8]}  [{member.kind.value}] {member.title or '(untitled)'}{year}")
    return EXIT_OK


def _kinds(names: list[str]) -> list[Any]:
    from desktop.core.duplicates import DUPLICATE_KINDS
    from desktop.core.kinds import parse_kind

    try:
        kinds = [parse_kind(k) for k in names]
    except ValueError as exc:
        raise CliError(str(exc), EXIT_USAGE) from exc
    unsupported = [k.value for k in kinds if k not in DUPLICATE_KINDS]
    if unsupported:
        known = ", ".join(k.value for k in DUPLICATE_KINDS)
        raise CliError(f"duplicates are looked for among {known}, not {', '.join(unsupported)}", EXIT_USAGE)
    return kinds


def _record_ids(session: Session, texts: list[str]) -> list[str]:
    ids = []
    for text in texts:
        record_id = session.resolve_id(text)
        if record_id is None:
            raise CliError(f"no record with id {text!r}")
        ids.append(record_id)
    if len(set(ids)) < 2:
        raise CliError("name two or more different records", EXIT_USAGE)
    return ids


def _dismiss(args: argparse.Namespace, open_session: OpenSession) -> int:
    from desktop.cli import output
    from desktop.core.dismissals import DismissalRefused

    with open_session(args) as session:
        if len(args.dismiss) == 1:  # a group's id, as listed
            group = next((g for g in session.find_duplicates() if g.id == args.dismiss[0].strip()), None)
            if group is None:
                raise CliError(f"no group of likely duplicates with id {args.dismiss[0]!r}")
            ids = [member.id for member in group.members]
        else:
            ids = _record_ids(session, args.dismiss)
        try:
            changes = session.dismiss_duplicates(ids)
        except DismissalRefused as exc:
            raise CliError(str(exc)) from exc
        titles = [record.title or record.id for record in session.records(ids).values()]
    if args.json:
        output.print_json({"records": ids, "updated": list(changes.updated)})
    else:
        names = ", ".join(f"“{title}”" for title in titles)
        print(f"Not duplicates: {names} (sent to the server at the next sync).")
    return EXIT_OK


def _restore(args: argparse.Namespace, open_session: OpenSession) -> int:
    from desktop.cli import output
    from desktop.core.dismissals import DismissalRefused, pairs_among

    with open_session(args) as session:
        ids = _record_ids(session, args.restore)
        wanted = set(pairs_among(ids))
        pairs = [item.pair for item in session.dismissed_duplicates() if item.pair in wanted]
        if not pairs:
            raise CliError("these records were not said not to be duplicates")
        try:
            changes = session.restore_duplicates(pairs)
        except DismissalRefused as exc:
            raise CliError(str(exc)) from exc
    if args.json:
        output.print_json({"records": ids, "updated": list(changes.updated)})
    else:
        print(f"{len(pairs)} pair(s) will be proposed as likely duplicates again (sent at the next sync).")
    return EXIT_OK


def _list_dismissed(args: argparse.Namespace, open_session: OpenSession) -> int:
    from desktop.cli import output

    with open_session(args) as session:
        items = session.dismissed_duplicates()
    if args.json:
        output.print_json({"dismissals": [item.to_json() for item in items]})
        return EXIT_OK
    if not items:
        print("No records were said not to be duplicates.")
    for item in items:
        note = f"  ({item.note})" if item.note else ""
        first, second = (
            f"“{title or '(untitled)'}”" + (f" ({detail})" if detail else "")
            for title, detail in (
                (item.first_title, item.first_detail),
                (item.second_title, item.second_detail),
            )
        )
        print(f"{item.first_id[:8]} {item.second_id[:8]}  {first} is not {second}{note}")
    return EXIT_OK
