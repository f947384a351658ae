"""S1: schemathesis against the app's OpenAPI schema, in-process (ASGI), signed in, over seeded data.

The run is schemathesis' own engine (what ``st run`` does): the examples, coverage and
fuzzing phases over every operation, with every default check, a modest number of
examples per operation. A missing protocol header answers 426 (PROTOCOL.md), which the
checks for rejected requests are told to count as a rejection.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.engine import Status, events, from_schema

from sync.protocol import CommunityRole, Role
from sync.server.api import create_app
from tests.sync.server.helpers import PROTOCOL, add_membership, add_users, login, make_settings, version

#: Generated requests per operation and phase (PostgreSQL's run looks for what only it refuses).
EXAMPLES_PER_OPERATION = {"sqlite": 12, "postgresql": 5}


def _seeded_schema(base: Path, database_url: str, examples: int) -> tuple[Any, Any]:
    """The schema of an app with users, a community, records and a librarian's token."""
    settings = make_settings(base / "data", database_url)
    app = create_app(settings)
    add_users(settings, {"fuzz": Role.LIBRARIAN, "staff": Role.STAFF})
    with TestClient(app, headers=PROTOCOL) as client:
        librarian = login(client, "fuzz")
        community = librarian.create(version(kind="community"))["envelope"]["id"]
        add_membership(settings, "staff", community, CommunityRole.MEMBER)
        for _ in range(3):
            librarian.create(version(visibility="community", community=community))
        token = login(client, "fuzz").token

    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    schema.config.generation.update(max_examples=examples, deterministic=True)
    for check in (schema.config.checks.negative_data_rejection, schema.config.checks.missing_required_header):
        check.expected_statuses = [*check.expected_statuses, "426"]

    @schema.auth()
    class Bearer:
        def get(self, case: Any, ctx: Any) -> str:
            return token

        def set(self, case: Any, data: str, ctx: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return schema, app


def _describe(event: events.ScenarioFinished) -> list[str]:
    lines = []
    for checks in event.recorder.checks.values():
        for check in checks:
            if check.status != Status.SUCCESS and check.failure_info is not None:
                failure = check.failure_info.failure
                lines.append(
                    f"{event.phase.value} {event.label}: {check.name}: {failure.title}: {failure.message}"
                )
    return lines or [f"{event.phase.value} {event.label}: {event.status.value}"]


@pytest.mark.timeout(300)
def test_the_api_keeps_its_contract_under_fuzzing(tmp_path: Path, database_url: str) -> None:
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    schema, app = _seeded_schema(tmp_path, database_url, EXAMPLES_PER_OPERATION[backend])
    problems: list[str] = []
    tested: set[str] = set()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished) and event.label:
            tested.add(event.label)
            if event.status in (Status.FAILURE, Status.ERROR):
                problems.extend(_describe(event))
        elif isinstance(event, events.NonFatalError | events.FatalError):
            problems.append(f"engine error: {event}")
    app.state.context.db.dispose()
    operations = {
        f"{method.upper()} {path}" for path, item in app.openapi()["paths"].items() for method in item
    }
    assert operations <= tested
    assert problems == [], "\n".join(problems)
