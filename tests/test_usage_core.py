"""The dashboard's series: the busiest groups by name, the rest (and what the server summed) as Others."""

from __future__ import annotations

from desktop.core.usage import OTHERS, Series, series_of
from sync import protocol as p


def test_the_groups_the_server_summed_join_the_others_and_nothing_is_lost() -> None:
    periods = ["2026-11", "2026-12"]
    rows = [(f"g{i}", "2026-11", 10 - i) for i in range(8)] + [(p.USAGE_OTHERS, "2026-12", 100)]
    series = series_of(rows, periods, {"g0": "Water"}, top=6)
    assert [s.name for s in series] == ["Water", "g1", "g2", "g3", "g4", "g5", OTHERS]
    assert series[-1] == Series(OTHERS, (4 + 3, 100))  # g6, g7, and the server's sum: one series
    assert sum(s.total for s in series) == sum(n for _, _, n in rows)


def test_the_server_and_the_dashboard_name_the_summed_groups_alike() -> None:
    assert p.USAGE_OTHERS == OTHERS
