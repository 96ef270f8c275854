"""Calendar arithmetic for the dated tests, written apart from ccc_desktop.models.dates so the
tests do not check the application's date helpers against themselves."""

from __future__ import annotations

import calendar
from datetime import date


def months_later(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def years_later(d: date, years: int) -> date:
    return months_later(d, 12 * years)


# English month names written out, as the app shows them whatever the system's locale
# (strftime's %b would follow the locale Qt sets).
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def shown(d: date) -> str:
    """24 Nov 2026, the way the app shows a date."""
    return f"{d.day} {SHORT_MONTHS[d.month - 1]} {d.year}"
