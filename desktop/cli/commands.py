"""The subcommands of ``imbizo``: each opens the profile, calls the session, prints."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from desktop.cli import output
from desktop.cli.errors import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, CliError
from desktop.core.kinds import Kind, parse_kind
from desktop.paths import ConfigError, resolve_profile
from desktop.resources import demo_file
from desktop.search import FACETS, ExpertFilters
from desktop.session import Session
from desktop.store import StoreError

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def _session(args: argparse.Namespace) -> Iterator[Session]:
    try:
        paths = resolve_profile(args.data_dir)
    except ConfigError as exc:
        raise CliError(str(exc)) from exc
    try:
        session = Session.open(paths)
    except StoreError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"cannot open the profile {paths.data_dir}: {exc}") from exc
    try:
        yield session
    except StoreError as exc:
        raise CliError(str(exc)) from exc
    finally:
        session.close()


def run(args: argparse.Namespace) -> int:
    """Dispatch one subcommand; returns its exit code."""
    from desktop.cli import review_commands, sync_commands

    if args.command in sync_commands.HANDLERS:
        return sync_commands.HANDLERS[args.command](args, _session)
    if args.command == "duplicates":
        from desktop.cli import duplicates_command

        return duplicates_command.run(args, _session)
    if args.command == "merge":
        from desktop.cli import merge_command

        return merge_command.run(args, _session)
    if args.command in review_commands.HANDLERS:
        return review_commands.HANDLERS[args.command](args, _session)
    handler: Callable[[argparse.Namespace], int] = _HANDLERS[args.command]
    return handler(args)


def _cmd_import(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise CliError(f"no such file or folder: {', '.join(missing)}", EXIT_USAGE)
    show_progress = sys.stderr.isatty() and not args.json

    def progress(done: int, total: int, name: str) -> None:
        if show_progress:
            print(f"\r{done}/{total} {name[-60:]:<60}", end="", file=sys.stderr, flush=True)

    if args.preview:
        return _preview_import(args, paths)
    with _session(args) as session:
        report = session.import_paths(paths, progress=progress)
    if show_progress:
        print(file=sys.stderr)
    if args.json:
        output.print_json(output.import_report_json(report))
    else:
        output.print_import_report(report)
    return EXIT_PARTIAL if report.errors else EXIT_OK


def _preview_import(args: argparse.Namespace, paths: list[Path]) -> int:
    with _session(args) as session:
        preview = session.preview_import(paths)
    if args.json:
        output.print_json(preview.to_json())
    else:
        output.print_import_preview(preview)
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    target = Path(args.file)
    if target.is_dir() or not target.parent.is_dir():
        raise CliError(f"cannot write {target}: choose a file in an existing folder", EXIT_USAGE)
    with _session(args) as session:
        count = session.export_catalogue(target, args.fmt)
    print(f"Exported {count} knowledge-centre item(s) to {target} as {args.fmt}.")
    return EXIT_OK


def _parse_filters(items: list[str]) -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name or not value.strip():
            raise CliError(f"--filter needs FIELD=VALUE, not {item!r}", EXIT_USAGE)
        if name not in FACETS:
            raise CliError(f"unknown filter field {name!r}; known: {', '.join(FACETS)}", EXIT_USAGE)
        filters.setdefault(name, []).append(value.strip())
    return filters


def _parse_kinds(items: list[str]) -> list[Kind]:
    try:
        return [parse_kind(k) for k in items]
    except ValueError as exc:
        raise CliError(str(exc), EXIT_USAGE) from exc


def _cmd_search(args: argparse.Namespace) -> int:
    kinds = _parse_kinds(args.kind)
    filters = _parse_filters(args.filter)
    with _session(args) as session:
        result = session.search(args.query, kinds=kinds, filters=filters, limit=args.limit)
    if args.json:
        output.print_json(result.to_json())
    else:
        output.print_search_result(result)
    return EXIT_OK


def _cmd_experts(args: argparse.Namespace) -> int:
    with _session(args) as session:
        filters = ExpertFilters(args.district, args.organisation, args.available)
        experts = session.find_experts(args.topic, limit=args.limit, filters=filters)
    if args.json:
        output.print_json({"topic": args.topic, "experts": [e.to_json() for e in experts]})
    else:
        output.print_experts(args.topic, experts)
    return EXIT_OK


def _cmd_show(args: argparse.Namespace) -> int:
    with _session(args) as session:
        record_id = session.resolve_id(args.id)
        view = session.view(record_id) if record_id else None
    if view is None:
        raise CliError(f"no record with id {args.id!r}")
    if args.json:
        output.print_json(view.to_json())
    else:
        output.print_record(view)
    return EXIT_OK


def _cmd_reindex(args: argparse.Namespace) -> int:
    with _session(args) as session:
        session.reindex()
        count = session.index.doc_count()
    print(f"Index rebuilt: {count} records.")
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    with _session(args) as session:
        report = session.check()
    if args.json:
        output.print_json({"ok": report.ok, "problems": report.problems, "details": report.details})
    else:
        for problem in report.problems:
            print(f"problem: {problem}")
        print("Database and index are consistent." if report.ok else f"{len(report.problems)} problem(s).")
    return EXIT_OK if report.ok else EXIT_PARTIAL


def _cmd_backup(args: argparse.Namespace) -> int:
    target = Path(args.file)
    if target.exists():
        raise CliError(f"{target} already exists; choose a new file name", EXIT_USAGE)
    with _session(args) as session:
        session.backup(target)
    print(f"Backed up to {target}.")
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    source = Path(args.file)
    if not source.is_file():
        raise CliError(f"no such backup file: {source}", EXIT_USAGE)
    with _session(args) as session:
        session.restore(source)
    print(f"Restored from {source}; the search index was rebuilt.")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    with _session(args) as session:
        changes = session.load_demo(demo_file())
    print(f"Demo knowledge base loaded: {len(changes.created)} added, {len(changes.updated)} updated.")
    return EXIT_OK


_HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "import": _cmd_import,
    "export": _cmd_export,
    "search": _cmd_search,
    "experts": _cmd_experts,
    "show": _cmd_show,
    "reindex": _cmd_reindex,
    "check": _cmd_check,
    "backup": _cmd_backup,
    "restore": _cmd_restore,
    "demo": _cmd_demo,
}
