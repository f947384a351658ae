"""How the app writes a moment (an ISO 8601 time, stored in UTC) for a person to read.

Two ways, both in the person's time zone: :func:`moment_text` in sentences, lists and dialogs,
in their locale ("3 December 2026, 16:18"); :func:`moment_cell` in the narrow date column of a
table, as 2026-12-03 16:18 (ISO 8601's order, South Africa's standard form: unambiguous where
a locale's short form is not, "03/12/26" or the C locale's "3 12 2026", and the same width in
every row). Text that is no moment is shown as it was given, so a damaged value is still visible.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt

#: A weekday in a locale's long date format, with the separator after it ("dddd, ").
_WEEKDAY = re.compile(r"\s*dddd[,.]?\s*")


def _parsed(iso: str) -> QDateTime | None:
    """The moment in local time, or None when ``iso`` is not an ISO 8601 time."""
    moment = QDateTime.fromString(str(iso or "").strip(), Qt.DateFormat.ISODate)
    return moment.toLocalTime() if moment.isValid() else None


def moment_text(iso: str) -> str:
    """A moment as a person reads it: "3 December 2026, 16:18" (the text as given when unreadable)."""
    local = _parsed(iso)
    if local is None:
        return str(iso or "")
    locale = QLocale()
    day = _WEEKDAY.sub(" ", locale.dateFormat(QLocale.FormatType.LongFormat)).strip(" ,")
    return QCoreApplication.translate("Moments", "{date}, {time}").format(
        date=locale.toString(local.date(), day),
        time=locale.toString(local.time(), QLocale.FormatType.ShortFormat),
    )


def moment_cell(iso: str) -> str:
    """A moment for a table's date column: "2026-12-03 16:18" (the text as given when unreadable)."""
    local = _parsed(iso)
    if local is None:
        return str(iso or "")
    return local.toString("yyyy-MM-dd HH:mm")
