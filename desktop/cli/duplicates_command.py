"""``imbizo duplicates``: likely duplicate groups across the knowledge base and the catalogue."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from desktop.cli.errors import EXIT_OK, EXIT_USAGE, CliError


def add_parser(sub: Any, positive_int: Callable[[str], int]) -> None:
    """The ``duplicates`` subcommand."""
    p = sub.add_parser(
        "duplicates",
        help="likely duplicates: the same ISBN, ISSN or source URL, or a near-identical title "
        "with the same author or date",
    )
    p.add_argument("--kind", action="append", default=[], metavar="K", help="only groups holding this kind")
    p.add_argument("--limit", type=positive_int, default=None, metavar="N", help="at most N groups")
    p.add_argument("--json", action="store_true", help="print the groups as JSON")


def run(
    args: argparse.Namespace, open_session: Callable[[argparse.Namespace], AbstractContextManager[Any]]
) -> int:
    """List the groups, best score first, with the reasons and the records of each."""
    from desktop.cli import output
    from desktop.core.duplicates import DUPLICATE_KINDS, describe
    from desktop.core.kinds import parse_kind

    try:
        kinds = [parse_kind(k) for k in args.kind]
    except ValueError as exc:
        raise CliError(str(exc), EXIT_USAGE) from exc
    unsupported = [k.value for k in kinds if k not in DUPLICATE_KINDS]
    if unsupported:
        known = ", ".join(k.value for k in DUPLICATE_KINDS)
        raise CliError(f"duplicates are looked for among {known}, not {', '.join(unsupported)}", EXIT_USAGE)
    with open_session(args) as session:
        groups = session.find_duplicates(kinds=kinds, limit=args.limit)
    if args.json:
        output.print_json({"groups": [group.to_json() for group in groups]})
        return EXIT_OK
    if not groups:
        print("No likely duplicates found.")
        return EXIT_OK
    print(f"{len(groups)} group(s) of likely duplicates, best first:")
    for number, group in enumerate(groups, start=1):
        print(f"{number:>3}. score {group.score:.2f}  {describe(group.reasons)}")
        for member in group.members:
            year = f" ({member.year})" if member.year else ""
            print(f"      {member.id[:8]}  [{member.kind.value}] {member.title or '(untitled)'}{year}")
    return EXIT_OK
