"""Helpers for the R7 sync-target safety tests: records in bulk, a tampering link, a second server.

``TamperingAdapter`` is the in-process link of tests/support/asgi_transport.py with a
hook that rewrites the server's JSON answer to one path (a pull page cut short, an
index page truncated, a summary that undercounts), as a blip or a buggy server would.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

import desktop.core.records as records_module
from desktop.core.kinds import Kind
from desktop.core.records import Record, new_record_id
from desktop.session import Session
from sync.protocol import API_PREFIX, Role
from sync.server.api import create_app
from tests.support.asgi_transport import ASGIAdapter
from tests.sync.server.helpers import add_users, make_settings

Tamper = Callable[[dict[str, Any]], dict[str, Any]]


def case_study(title: str, **fields: object) -> Record:
    """A case study with the fields a staff member fills in."""
    values: dict[str, object] = {
        "title": title,
        "summary": "What we did",
        "district": "Northern Demo District",
    }
    values.update(fields)
    return Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields=values)


def save_many(session: Session, count: int, prefix: str = "Note") -> list[str]:
    """Save ``count`` case studies in one transaction; returns their ids."""
    made = [case_study(f"{prefix} {number}") for number in range(count)]
    session.save_many(made)
    return [record.id for record in made]


def live_ids(session: Session) -> set[str]:
    """Ids of the live (not deleted) case studies of a profile."""
    return {r.id for r in session.store.iter_records([Kind.CASE_STUDY]) if not r.deleted}


class TamperingAdapter(ASGIAdapter):
    """An in-process link whose answers to some API paths go through a rewrite first."""

    def __init__(self, app: Any):
        super().__init__(app)
        self.tampers: dict[str, Tamper] = {}
        self.tampered = 0

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        response = super().send(request, **kwargs)
        path = urlsplit(request.url or "").path.removeprefix(API_PREFIX)
        tamper = self.tampers.get(path)
        if tamper is not None and response.status_code == 200:
            body = tamper(json.loads(response.content))
            response._content = json.dumps(body).encode("utf-8")
            self.tampered += 1
        return response


def routed_session(routes: dict[str, ASGIAdapter]) -> requests.Session:
    """A requests Session sending each base URL (``http://127.0.0.2``) to its own in-process server."""
    session = requests.Session()
    for base, adapter in routes.items():
        session.mount(base, adapter)
    return session


def second_server(folder: Path, users: dict[str, Role]) -> Any:
    """Another server app with its own database (another office's, or a new one)."""
    settings = make_settings(folder)
    app = create_app(settings)
    add_users(settings, users)
    return app


@contextmanager
def shifted_clock(offset: timedelta) -> Iterator[None]:
    """The desktop's clock (``desktop.core.records.utc_now``, which the store stamps with) shifted.

    Only the desktop module's ``datetime`` is replaced, so the in-process server keeps the
    real time, as a server on another machine would.
    """
    real = records_module.datetime  # type: ignore[attr-defined]

    class Shifted(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Shifted:
            moment = real.now(tz or UTC) + offset
            return cls.fromtimestamp(moment.timestamp(), tz or UTC)

    records_module.datetime = Shifted  # type: ignore[attr-defined]
    try:
        yield
    finally:
        records_module.datetime = real  # type: ignore[attr-defined]
