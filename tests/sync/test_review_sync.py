"""The curation workflow through the real sync service and server (in-process): the role the app
keeps offline, and review actions that travel with a sync."""

from __future__ import annotations

from typing import Any

from desktop.core.kinds import Kind
from desktop.core.records import Record, Status, new_record_id
from desktop.core.review import review_log
from sync.protocol import Role
from sync.server import accounts
from sync.server.db import Database


def test_the_role_is_kept_at_sign_in_and_follows_a_change_on_the_server(
    make_client: Any, server: Any
) -> None:
    alice, lib = make_client("alice"), make_client("lib")
    assert alice.session.role() == "staff" and not alice.session.is_librarian()
    assert lib.session.is_librarian()
    alice.service.sync()
    db = Database(server.state.settings_for_tests.database_url)
    with db.write() as session:
        accounts.set_role(session=session, name="alice", role=Role.LIBRARIAN)
    db.dispose()
    report = alice.service.sync()  # a role change asks for a reconciliation; the role comes with it
    assert report.reconciled and alice.session.is_librarian()


def test_a_return_with_its_comment_reaches_the_author_who_cannot_rewrite_it(make_client: Any) -> None:
    alice, lib = make_client("alice"), make_client("lib")
    record = Record(
        id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": "Ward meetings"}, owner="alice"
    )
    alice.session.save(record)
    alice.session.review(record.id, "submitted")
    alice.service.sync()
    lib.service.sync()
    lib.session.review(record.id, "returned", "Which wards, and how often?")
    lib.service.sync()
    alice.service.sync()
    mine = alice.session.store.get(record.id)
    assert mine.status is Status.RETURNED
    assert review_log(mine)[-1].comment == "Which wards, and how often?"
    # Rewriting the librarian's comment locally is refused by the server, with the reason.
    log = [dict(e) for e in mine.fields["review_log"]]
    log[-1]["comment"] = "Fine as it is"
    alice.session.save(mine.with_fields(review_log=log))
    report = alice.service.sync()
    assert [(rid, "cannot be changed" in why) for rid, why in report.rejected] == [(record.id, True)]
