"""Server CPU per request, by kind: push (create, edit), pull, pending, digest, index, record.

    python -m bench.bench_server_requests            # 400 records, 200 requests of each kind
    python -m bench.bench_server_requests --smoke    # 60 records, 30 of each, as CI runs it
    python -m bench.bench_server_requests --profile server.pstat   # also a yappi CPU profile

The real server app in-process (tests/support/asgi_transport.py: no socket) on an SQLite
database in /dev/shm where there is one (this measures the server's Python, not fsync), driven
by the real ``SyncClient``. The app is wrapped so that only the time inside it is counted: the
process CPU while the app handles a request (the client waits meanwhile, so it is the
server's). A librarian publishes the records one push at a time (what every staff member
pulls), then edits them; a staff member pulls the tail of the feed (what a sync brings), the
whole feed, asks for its pending summary and the digest every sync ends with. Prints, per
kind, the mean and median server CPU per request in microseconds. Asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sync import protocol as p
from sync.client import SyncClient
from sync.protocol import Role
from sync.server.api import create_app
from tests.support.asgi_transport import in_process_session
from tests.sync.server.helpers import PASSWORD, add_users, make_settings

_URL = "http://127.0.0.1:8765"
_USERS = {"lib": Role.LIBRARIAN, "alice": Role.STAFF}


class MeteredApp:
    """The ASGI app, counting the process CPU spent inside each call under the current label."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.label = ""
        self.cpu: dict[str, list[float]] = defaultdict(list)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        start = time.process_time()
        try:
            await self.app(scope, receive, send)
        finally:
            if self.label:
                self.cpu[self.label].append(time.process_time() - start)


def _client(app: MeteredApp, user: str) -> SyncClient:
    http, _adapter = in_process_session(app)
    client = SyncClient(_URL, session=http)
    client.login(user, PASSWORD, str(uuid.uuid4()))
    return client


def _version(number: int, *, record_id: str | None = None, generation: int = 1) -> p.RecordVersion:
    """A case study of a realistic size (a few hundred bytes of fields)."""
    payload = {
        "fields": {
            "title": f"Case study {number}",
            "summary": "How a district office kept its records through a flood. " * 4,
            "lessons": "Back up weekly; keep a paper index; name one person per shelf. " * 3,
        },
        "tags": ["flood", "records", f"district-{number % 7}"],
        "links": [],
    }
    envelope = p.Envelope(
        id=record_id or str(uuid.uuid4()),
        kind="case_study",
        owner="",
        status=p.Status.PUBLISHED,
        visibility=p.Visibility.EVERYONE,
        revision=f"{generation}-{uuid.uuid4().hex}",
    )
    return p.RecordVersion(envelope=envelope, payload=payload, attachments=[])


def _change(version: p.RecordVersion, base: str = "") -> p.PushChange:
    return p.PushChange(change_id=uuid.uuid4().hex, base_revision=base, record=version)


def _measure(app: MeteredApp, label: str, count: int, call: Callable[[int], object]) -> None:
    app.label = label
    for number in range(count):
        call(number)
    app.label = ""


def run(*, records: int, requests: int, profile: Path | None = None) -> dict[str, list[float]]:
    """Run the requests against a fresh server; returns the server CPU seconds per request, by kind."""
    base = "/dev/shm" if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(prefix="imbizo-bench-server-", dir=base) as folder:
        settings = make_settings(Path(folder) / "server")
        inner = create_app(settings)
        add_users(settings, _USERS)
        app = MeteredApp(inner)
        try:
            librarian, staff = _client(app, "lib"), _client(app, "alice")
            if profile is not None:
                import yappi

                yappi.set_clock_type("cpu")
                yappi.start()
            stored: list[p.RecordVersion] = []

            def create(number: int) -> None:
                (result,) = librarian.push([_change(_version(number))]).results
                assert result.record is not None
                stored.append(result.record)

            def edit(number: int) -> None:
                current = stored[number % len(stored)]
                generation = int(current.envelope.revision.split("-")[0]) + 1
                new = _version(number + records, record_id=current.envelope.id, generation=generation)
                (result,) = librarian.push([_change(new, current.envelope.revision)]).results
                assert result.record is not None, result
                stored[number % len(stored)] = result.record

            _measure(app, "push (create)", records, create)
            _measure(app, "push (edit)", requests, edit)
            head = staff.pending(0).latest
            _measure(app, "pull (last 10)", requests, lambda _n: staff.pull(max(0, head - 10)))
            _measure(app, "pull (nothing new)", requests, lambda _n: staff.pull(head))
            _measure(app, "pull (page of 100)", max(1, requests // 10), lambda _n: staff.pull(0, 100))
            _measure(app, "pending (last 10)", requests, lambda _n: staff.pending(max(0, head - 10)))
            _measure(app, "digest", max(1, requests // 4), lambda _n: staff.digest())
            _measure(app, "index page", max(1, requests // 10), lambda _n: staff.index_page())
            _measure(
                app, "record", requests, lambda n: staff.fetch_record(stored[n % len(stored)].envelope.id)
            )
            if profile is not None:
                import yappi

                yappi.stop()
                yappi.get_func_stats().save(str(profile), type="pstat")
            librarian.close()
            staff.close()
        finally:
            inner.state.context.db.dispose()
        return dict(app.cpu)


def main(argv: list[str] | None = None) -> int:
    """Print the server CPU per request kind."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="small sizes, as CI runs it")
    parser.add_argument(
        "--records", type=int, default=0, help="records on the server (default 400; smoke 60)"
    )
    parser.add_argument(
        "--requests", type=int, default=0, help="requests of each kind (default 200; smoke 30)"
    )
    parser.add_argument("--profile", type=Path, help="save a yappi CPU profile (pstat) of the requests here")
    args = parser.parse_args(argv)
    records = args.records or (60 if args.smoke else 400)
    requests = args.requests or (30 if args.smoke else 200)
    figures = run(records=records, requests=requests, profile=args.profile)
    print(f"server CPU per request, in-process app on SQLite, {records} records on the server")
    print(f"{'request':<22}{'count':>8}{'mean us':>12}{'median us':>12}")
    for label, seconds in figures.items():
        micros = [s * 1e6 for s in seconds]
        print(
            f"{label:<22}{len(micros):>8}{statistics.mean(micros):>12.0f}{statistics.median(micros):>12.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
