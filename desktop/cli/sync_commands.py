"""``imbizo login / logout / sync / conflicts / resolve / passwd``: sync for offices on a schedule.

Passwords come from standard input (one line each; a terminal is asked without echo),
never from the command line, where other users could see them in the process list.
``imbizo sync --json`` prints what resources/schemas/sync.schema.json describes.
Exit codes beyond the common ones (desktop/cli/errors.py): 3 when a sync finished with
conflicts, rejected changes or a count that still differs (a review action another
librarian's overtook is reported as "Overtaken" but is no failure: nothing was lost);
4 not signed in (or the session ended); 5 this Imbizo is too old for the server; 6 the sync
stopped to ask first: the deletion fail-safe (run again with ``--allow-deletions`` to
confirm), or a server that is not the one this profile synced with (``--new-server``
confirms starting again with it).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from desktop.cli.errors import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, CliError

EXIT_AUTH = 4
EXIT_OUTDATED = 5
EXIT_FAILSAFE = 6


def add_parsers(sub: Any) -> None:
    """The sync subcommands of ``imbizo``."""
    p = sub.add_parser("login", help="sign in to a sync server (the password is read from standard input)")
    p.add_argument(
        "server", metavar="SERVER", help="https://... (http only to loopback or with --allow-http)"
    )
    p.add_argument("user", metavar="USER")
    p.add_argument("--allow-http", action="store_true", help="allow plain http to this host (an office LAN)")
    p.add_argument("--ca-file", metavar="PEM", help="trust this private CA's certificate for the server")
    p.add_argument("--json", action="store_true")
    sub.add_parser("logout", help="sign out and forget the token")
    p = sub.add_parser("sync", help="push local changes and pull the server's")
    p.add_argument("--allow-deletions", action="store_true", help="confirm a sync that deletes many records")
    p.add_argument(
        "--new-server",
        action="store_true",
        help="confirm starting again with a server this profile did not sync with (wiped, restored, moved)",
    )
    p.add_argument(
        "--download-limit",
        type=float,
        metavar="MB",
        help="download files up to this size (default 20 MB; larger ones stay on the server until opened)",
    )
    p.add_argument("--json", action="store_true", help="print what was pushed, pulled, merged, in conflict")
    p = sub.add_parser("conflicts", help="list the open sync conflicts")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("resolve", help="close a conflict, keeping your version or the server's")
    p.add_argument("id", metavar="ID", help="a record id or a unique prefix of 8 or more characters")
    side = p.add_mutually_exclusive_group(required=True)
    side.add_argument("--mine", action="store_true", help="keep your version (pushed at the next sync)")
    side.add_argument("--theirs", action="store_true", help="keep the server's version")
    sub.add_parser("passwd", help="change your password (old, then new, from standard input)")


def _read_secret(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline()
    if not line:
        raise CliError("expected a password on standard input", EXIT_USAGE)
    return line.rstrip("\r\n")


def _sync_error(exc: Exception, *, signing_in: bool = False) -> CliError:
    """The exit code each kind of sync error maps to."""
    from sync.client import AuthError, OutdatedClientError
    from sync.engine import DeletionFailsafeError, ServerRewoundError

    if isinstance(exc, AuthError):
        return CliError(str(exc) if signing_in else f"{exc} (imbizo login SERVER USER)", EXIT_AUTH)
    if isinstance(exc, OutdatedClientError):
        return CliError(str(exc), EXIT_OUTDATED)
    if isinstance(exc, DeletionFailsafeError):
        return CliError(f"{exc} Run `imbizo sync --allow-deletions` to confirm.", EXIT_FAILSAFE)
    if isinstance(exc, ServerRewoundError):
        return CliError(f"{exc} Run `imbizo sync --new-server` to confirm.", EXIT_FAILSAFE)
    return CliError(str(exc))


def _service(session: Any) -> Any:
    from desktop.sync_service import SyncService

    return SyncService(session)


def _guarded(action: Callable[[], int], *, signing_in: bool = False) -> int:
    from sync.client import SyncError

    try:
        return action()
    except SyncError as exc:
        raise _sync_error(exc, signing_in=signing_in) from exc


def cmd_login(args: argparse.Namespace, open_session: Callable[[argparse.Namespace], Any]) -> int:
    """``imbizo login SERVER USER``."""
    password = _read_secret(f"Password for {args.user} on {args.server}: ")
    with open_session(args) as session:
        service = _service(session)

        def run() -> int:
            signed = service.login(
                args.server, args.user, password, allow_http=args.allow_http, ca_file=args.ca_file
            )
            if args.json:
                print(json.dumps(asdict(signed)))
            else:
                print(f"Signed in to {signed.server} as {signed.user} ({signed.role}).")
                print(f"The token is kept in {signed.token_kept_in}.")
                if signed.insecure:
                    print("Warning: plain http: anyone on this network can read what is synced.")
            return EXIT_OK

        return _guarded(run, signing_in=True)


def cmd_logout(args: argparse.Namespace, open_session: Callable[[argparse.Namespace], Any]) -> int:
    """``imbizo logout``."""
    with open_session(args) as session:
        _service(session).logout()
    print("Signed out; the token was forgotten.")
    return EXIT_OK


def cmd_sync(args: argparse.Namespace, open_session: Callable[[argparse.Namespace], Any]) -> int:
    """``imbizo sync [--json] [--allow-deletions] [--new-server] [--download-limit MB]``."""
    from desktop.sync_service import on_progress_printer

    with open_session(args) as session:
        service = _service(session)

        def run() -> int:
            quiet = args.json or not sys.stderr.isatty()
            progress = None if quiet else on_progress_printer(lambda line: print(line, file=sys.stderr))
            limit = args.download_limit
            report = service.sync(
                allow_deletions=args.allow_deletions,
                accept_server=args.new_server,
                download_limit=None if limit is None else max(0, int(limit * 1024 * 1024)),
                progress=progress,
            )
            status = service.status()
            data = asdict(report) | {"conflicts_open": status.conflicts}
            data["rejected"] = [{"id": rid, "reason": reason} for rid, reason in report.rejected]
            data["overtaken"] = [_overtaken_json(item) for item in report.overtaken]
            if args.json:
                print(json.dumps(data, indent=2))
            else:
                print(_describe(report, status.conflicts))
            # An overtaken review is no failure of this sync: nothing is lost, nothing waits.
            troubled = status.conflicts or report.rejected or not report.verified
            return EXIT_PARTIAL if troubled else EXIT_OK

        return _guarded(run)


def _describe(report: Any, open_conflicts: int) -> str:
    lines = [
        f"Pushed {report.pushed}, pulled {report.pulled}, merged {report.merged}, "
        f"{report.conflicts} new conflicts ({open_conflicts} open), {report.proposed} proposed, "
        f"{report.deleted} deleted, {report.removed} no longer visible; "
        f"files: {report.uploaded} up, {report.downloaded} down."
    ]
    for record_id, reason in report.rejected:
        lines.append(f"Refused by the server: {record_id}: {reason}")
    for item in report.overtaken:
        lines.append(f"Overtaken: {item.title or item.record_id}: {item.reason}")
    for sha in report.too_large:
        lines.append(f"Too large for the server (kept here only): file {sha[:12]}…")
    if not report.verified:
        lines.append(
            f"After syncing, these still differ from the server: {', '.join(report.mismatched_kinds)}"
        )
    else:
        lines.append("Checked: this profile matches the server.")
    return "\n".join(lines)


def _overtaken_json(item: Any) -> dict[str, str]:
    """One overtaken review action, as resources/schemas/sync.schema.json describes it."""
    return {
        "id": item.record_id,
        "title": item.title,
        "by": item.by,
        "action": item.action,
        "at": item.at,
        "comment": item.comment,
        "reason": item.reason,
    }


def cmd_conflicts(args: argparse.Namespace, open_session: Callable[[argparse.Namespace], Any]) -> int:
    """``imbizo conflicts [--json]``."""
    with open_session(args) as session:
        conflicts = _service(session).conflicts()
        items = []
        for conflict in conflicts:
            theirs = session.store.get(conflict.record_id)
            items.append(
                {
                    "id": conflict.record_id,
                    "title": theirs.title if theirs else conflict.mine.title,
                    "kind": conflict.mine.kind.value,
                    "fields": list(conflict.fields),
                    "since": conflict.created_at,
                    "mine": conflict.mine.to_json(),
                    "theirs": theirs.to_json() if theirs else None,
                }
            )
    if args.json:
        print(json.dumps(items, indent=2, ensure_ascii=False))
    elif not items:
        print("No open conflicts.")
    else:
        for item in items:
            print(f"{item['id']}  {item['title']}  ({', '.join(item['fields'])})")
    return EXIT_OK


def cmd_resolve(args: argparse.Namespace, open_session: Callable[[argparse.Namespace], Any]) -> int:
    """``imbizo resolve ID --mine|--theirs``."""
    with open_session(args) as session:
        service = _service(session)
        ids = [c.record_id for c in service.conflicts() if c.record_id.startswith(args.id)]
        if len(ids) != 1 or (len(args.id) < 8 and args.id not in ids):
            raise CliError(
                f"no open conflict matches {args.id!r}" if not ids else f"{args.id!r} is ambiguous"
            )
        service.resolve(ids[0], "mine" if args.mine else "theirs")
    kept = "your version (pushed at the next sync)" if args.mine else "the server's version"
    print(f"Resolved {ids[0]}: kept {kept}.")
    return EXIT_OK


def cmd_passwd(args: argparse.Namespace, open_session: Callable[[argparse.Namespace], Any]) -> int:
    """``imbizo passwd``: the old password, then the new one, from standard input."""
    old = _read_secret("Current password: ")
    new = _read_secret("New password: ")
    with open_session(args) as session:
        service = _service(session)

        def run() -> int:
            service.change_password(old, new)
            print("Password changed. Every session ended: sign in again with `imbizo login`.")
            return EXIT_OK

        return _guarded(run)


HANDLERS: dict[str, Callable[[argparse.Namespace, Callable[[argparse.Namespace], Any]], int]] = {
    "login": cmd_login,
    "logout": cmd_logout,
    "sync": cmd_sync,
    "conflicts": cmd_conflicts,
    "resolve": cmd_resolve,
    "passwd": cmd_passwd,
}
