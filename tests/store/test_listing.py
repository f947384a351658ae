"""Paged lists and Home queries on a real SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, update

from desktop.core.kinds import Kind
from desktop.core.records import Record, Status, new_record_id
from desktop.store import RecordRepository
from desktop.store.listing import LOCAL_USER_KEY, default_user
from desktop.store.models import RecordRow
from tests.store.conftest import make_record


@pytest.fixture
def me(repo: RecordRepository) -> str:
    repo.set_meta(LOCAL_USER_KEY, "Nomsa")
    return "Nomsa"


def _titles(rows: list[Any]) -> list[str]:
    return [row.title for row in rows]


def test_a_page_of_one_kind_sorted_by_title(repo: RecordRepository) -> None:
    titles = [f"Study {n:03d}" for n in range(40)]
    repo.save_many([make_record(Kind.CASE_STUDY, title) for title in reversed(titles)])
    repo.save(make_record(Kind.ARTICLE, "Study 000 article"))
    first = repo.list_page([Kind.CASE_STUDY], sort="title", descending=False, offset=0, limit=15)
    second = repo.list_page([Kind.CASE_STUDY], sort="title", descending=False, offset=15, limit=15)
    last = repo.list_page([Kind.CASE_STUDY], sort="title", descending=False, offset=30, limit=15)
    assert _titles(first + second + last) == titles
    assert _titles(repo.list_page([Kind.CASE_STUDY], sort="title", limit=3)) == titles[::-1][:3]
    assert repo.count_matching([Kind.CASE_STUDY]) == 40


def test_titles_sort_without_regard_to_case_on_one_kind_and_several(repo: RecordRepository) -> None:
    repo.save_many(
        [
            make_record(Kind.CASE_STUDY, "banana"),
            make_record(Kind.CASE_STUDY, "Apple"),
            make_record(Kind.ARTICLE, "apricot"),
            make_record(Kind.ARTICLE, "Cherry"),
        ]
    )
    one = repo.list_page([Kind.CASE_STUDY], sort="title", descending=False)
    assert _titles(one) == ["Apple", "banana"]
    both = repo.list_page([Kind.CASE_STUDY, Kind.ARTICLE], sort="title", descending=False)
    assert _titles(both) == ["Apple", "apricot", "banana", "Cherry"]


def test_several_kinds_merge_in_order(repo: RecordRepository) -> None:
    records = [make_record(Kind.CASE_STUDY, f"Water {n:02d}") for n in range(0, 30, 2)]
    records += [make_record(Kind.ARTICLE, f"Water {n:02d}") for n in range(1, 30, 2)]
    records += [make_record(Kind.CENTRE_ITEM, "Water 05b", fields={"year": 1998})]
    repo.save_many(records)
    kinds = [Kind.CASE_STUDY, Kind.ARTICLE, Kind.CENTRE_ITEM]
    expected = sorted((record.title for record in records), key=str.lower)
    pages = [
        repo.list_page(kinds, sort="title", descending=False, offset=offset, limit=7)
        for offset in range(0, 35, 7)
    ]
    assert _titles([row for page in pages for row in page]) == expected
    by_kind = repo.list_page(kinds, sort="kind", descending=False, limit=100)
    assert [row.kind for row in by_kind] == sorted(row.kind.value for row in by_kind)
    articles = [row.title for row in by_kind if row.kind is Kind.ARTICLE]
    assert articles == sorted(articles)
    assert repo.count_matching(kinds) == 31


def _set_updated(repo: RecordRepository, record_id: str, when: str) -> None:
    """Stamp a change time (the store's clock has one-second steps, too coarse for a fast test)."""
    with repo.engine.begin() as connection:
        connection.execute(update(RecordRow).where(RecordRow.id == record_id).values(updated_at=when))


def test_sorted_by_updated_newest_first(repo: RecordRepository) -> None:
    records = {title: make_record(title=title) for title in ("Old", "Middle", "New")}
    repo.save_many(list(records.values()))
    repo.save(make_record(Kind.ARTICLE, "Article"))
    for hour, title in enumerate(("Old", "Middle", "New")):
        _set_updated(repo, records[title].id, f"2025-01-01T0{hour}:00:00+00:00")
    assert _titles(repo.list_page([Kind.CASE_STUDY], sort="updated")) == ["New", "Middle", "Old"]
    assert _titles(repo.list_page([Kind.CASE_STUDY], sort="updated", descending=False)) == [
        "Old",
        "Middle",
        "New",
    ]
    both = repo.list_page([Kind.CASE_STUDY, Kind.ARTICLE], sort="updated")
    assert _titles(both) == ["Article", "New", "Middle", "Old"]


def test_sorted_by_status(repo: RecordRepository) -> None:
    repo.save(make_record(title="B", status=Status.PUBLISHED))
    repo.save(make_record(title="A", status=Status.DRAFT))
    repo.save(make_record(title="C", status=Status.DRAFT))
    rows = repo.list_page([Kind.CASE_STUDY], sort="status", descending=False)
    assert [(row.status, row.title) for row in rows] == [("draft", "A"), ("draft", "C"), ("published", "B")]


def test_text_filter_matches_titles_and_escapes_wildcards(repo: RecordRepository) -> None:
    repo.save_many(
        [
            make_record(title="Clinic queues"),
            make_record(title="CLINIC staffing"),
            make_record(title="100% solar"),
            make_record(title="1000 solar lamps"),
            make_record(title="snake_case"),
            make_record(title="snakeXcase"),
        ]
    )
    kinds = [Kind.CASE_STUDY]
    assert sorted(_titles(repo.list_page(kinds, text="clinic"))) == ["CLINIC staffing", "Clinic queues"]
    assert _titles(repo.list_page(kinds, text="100%")) == ["100% solar"]
    assert _titles(repo.list_page(kinds, text="snake_")) == ["snake_case"]
    assert repo.count_matching(kinds, text="clinic") == 2
    assert repo.count_matching(kinds, text="%") == 1


def test_deleted_records_are_not_listed(repo: RecordRepository) -> None:
    kept, gone = make_record(title="Kept"), make_record(title="Gone")
    repo.save_many([kept, gone])
    repo.delete(gone.id)
    assert _titles(repo.list_page([Kind.CASE_STUDY])) == ["Kept"]
    assert repo.count_matching([Kind.CASE_STUDY]) == 1


def test_mine_keeps_the_local_users_records(repo: RecordRepository, me: str) -> None:
    repo.save_many([make_record(title="Mine", owner=me), make_record(title="Theirs", owner="Sipho")])
    assert _titles(repo.list_page([Kind.CASE_STUDY], mine=True)) == ["Mine"]
    assert repo.count_matching([Kind.CASE_STUDY], mine=True) == 1
    assert repo.count_matching([Kind.CASE_STUDY]) == 2


def test_the_local_user_defaults_to_the_os_user(repo: RecordRepository) -> None:
    assert repo.local_user() == default_user()
    assert default_user()
    repo.set_meta(LOCAL_USER_KEY, "  Thandi ")
    assert repo.local_user() == "Thandi"


def test_summaries_carry_district_and_date(repo: RecordRepository) -> None:
    study = make_record(fields={"district": "Amathole", "date": "2021-03-04"}, demo=True)
    visit = make_record(Kind.SITE_VISIT, "Visit", fields={"start_date": "2022-05-06"})
    book = make_record(Kind.CENTRE_ITEM, "Book", fields={"year": 1998})
    repo.save_many([study, visit, book])
    rows = {row.id: row for row in repo.list_page([Kind.CASE_STUDY, Kind.SITE_VISIT, Kind.CENTRE_ITEM])}
    assert (rows[study.id].district, rows[study.id].date, rows[study.id].demo) == (
        "Amathole",
        "2021-03-04",
        True,
    )
    assert rows[visit.id].date == "2022-05-06"
    assert rows[book.id].date == "1998"
    assert rows[book.id].district == ""
    assert rows[book.id].kind is Kind.CENTRE_ITEM


def test_unknown_sort_is_refused(repo: RecordRepository) -> None:
    with pytest.raises(ValueError, match="unknown sort"):
        repo.list_page([Kind.CASE_STUDY], sort="colour")
    assert repo.list_page([], sort="title") == []


@pytest.fixture
def statements(repo: RecordRepository) -> Iterator[list[tuple[str, Any]]]:
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        captured.append((statement, parameters))

    event.listen(repo.engine, "before_cursor_execute", capture)
    yield captured
    event.remove(repo.engine, "before_cursor_execute", capture)


def _plan(repo: RecordRepository, statement: str, parameters: Any) -> list[str]:
    with repo.engine.connect() as connection:
        return [row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]


@pytest.mark.parametrize(
    ("sort", "index"), [("title", "ix_records_kind_title"), ("updated", "ix_records_kind_updated")]
)
def test_a_page_of_one_kind_reads_the_index_in_order(
    repo: RecordRepository, statements: list[tuple[str, Any]], sort: str, index: str
) -> None:
    repo.save_many([make_record(Kind.CASE_STUDY if n % 3 else Kind.ARTICLE, f"T{n:04d}") for n in range(300)])
    statements.clear()
    repo.list_page([Kind.CASE_STUDY], sort=sort, descending=False, offset=100, limit=50)
    page_query = [(s, p) for s, p in statements if "ORDER BY" in s]
    assert len(page_query) == 1
    plan = _plan(repo, *page_query[0])
    assert any(index in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan


def test_recent_leaves_out_vocabulary_terms_and_deleted_records(repo: RecordRepository) -> None:
    study, gone = make_record(title="Study"), make_record(title="Gone")
    repo.save_many([study, gone])
    repo.save(make_record(Kind.TERM, "Water supply"))
    repo.save(make_record(Kind.EXPERT, "Thandi"))
    repo.delete(gone.id)
    assert _titles(repo.recent(limit=10)) == ["Thandi", "Study"]
    assert len(repo.recent(limit=1)) == 1


def test_my_drafts(repo: RecordRepository, me: str) -> None:
    repo.save_many(
        [
            make_record(title="My draft", owner=me),
            make_record(title="My published", owner=me, status=Status.PUBLISHED),
            make_record(title="Their draft", owner="Sipho"),
            make_record(Kind.SITE_VISIT, "My visit", owner=me),
        ]
    )
    assert sorted(_titles(repo.my_drafts())) == ["My draft", "My visit"]


def _visit(title: str, follow_ups: list[dict[str, Any]], **extra: Any) -> Record:
    return Record(
        id=new_record_id(), kind=Kind.SITE_VISIT, fields={"title": title, "follow_ups": follow_ups}, **extra
    )


def test_follow_ups_due_soon_or_overdue(repo: RecordRepository) -> None:
    today = date(2025, 6, 10)
    visit = _visit(
        "Borehole visit",
        [
            {"action": "Send the report", "owner": "Nomsa", "due": "2025-06-12", "done": False},
            {"action": "Already done", "owner": "Nomsa", "due": "2025-06-11", "done": True},
            {"action": "Overdue call", "owner": "Sipho", "due": "2025-05-30"},
            {"action": "Far away", "owner": "Sipho", "due": "2025-09-01", "done": False},
            {"action": "No date", "owner": "Sipho", "due": ""},
        ],
    )
    other = _visit("Clinic visit", [{"action": "Order tickets", "owner": "", "due": "2025-06-24T09:00"}])
    gone = _visit("Deleted visit", [{"action": "Ghost", "due": "2025-06-11"}])
    repo.save_many([visit, other, gone])
    repo.delete(gone.id)
    due = repo.follow_ups_due(within_days=14, today=today)
    assert [(d.action, d.due, d.overdue) for d in due] == [
        ("Overdue call", "2025-05-30", True),
        ("Send the report", "2025-06-12", False),
        ("Order tickets", "2025-06-24", False),
    ]
    assert due[0].record_id == visit.id and due[0].record_title == "Borehole visit"
    assert due[0].owner == "Sipho" and not due[0].done
    assert [d.action for d in repo.follow_ups_due(within_days=3, today=today)] == [
        "Overdue call",
        "Send the report",
    ]
    assert len(repo.follow_ups_due(within_days=14, limit=1, today=today)) == 1
