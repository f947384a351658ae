"""Moments read one way in sentences and one way in table cells, in local time, whatever screen."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale, Qt

from desktop.ui.moments import moment_cell, moment_text


def test_a_moment_reads_as_a_local_long_date_and_time() -> None:
    iso = "2026-12-02T14:05:00+00:00"
    local = QDateTime.fromString(iso, Qt.DateFormat.ISODate).toLocalTime()
    text = moment_text(iso)
    assert QLocale().monthName(local.date().month()) in text and "2026" in text
    assert QLocale().toString(local.time(), QLocale.FormatType.ShortFormat) in text
    assert iso[:16] not in text and "UTC" not in text  # never the stored ISO form


def test_a_table_cell_reads_year_month_day_in_local_time() -> None:
    iso = "2026-12-02T14:05:00Z"
    local = QDateTime.fromString(iso, Qt.DateFormat.ISODate).toLocalTime()
    assert moment_cell(iso) == local.toString("yyyy-MM-dd HH:mm")
    assert len(moment_cell("2026-01-05T01:02:00Z")) == len(moment_cell(iso))  # one width in a column


def test_text_that_is_no_moment_is_shown_as_given() -> None:
    assert moment_text("yesterday-ish") == "yesterday-ish"
    assert moment_cell("") == ""
    assert moment_text("") == ""
