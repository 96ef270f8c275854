"""Dates as the Coordinator types and reads them: entered dd/mm/yyyy, shown as 24 Nov 2026."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.limits import FIRST_YEAR, LAST_YEAR

_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_HM = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")

# Month and day names spelt out here, not by strftime: strftime follows the C library's locale,
# which Qt sets from the system on Unix, so a Polish or Welsh PC would show "lis"/"Tach".
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def parse_date(text: str, field: str | None = None, label: str = "Date") -> date:
    """Parse dd/mm/yyyy (also dd.mm.yyyy, dd-mm-yyyy). Raises ValidationError in plain words."""
    m = _DMY.match(text or "")
    if not m:
        raise ValidationError(f"{label}: enter the date as dd/mm/yyyy, for example 24/11/2026.", field)
    d, mo, y = (int(g) for g in m.groups())
    try:
        value = date(y, mo, d)
    except ValueError:
        raise ValidationError(f"{label}: {text.strip()} is not a real date.", field) from None
    check_year(value, field, label)
    return value


def check_year(value: date, field: str | None = None, label: str = "Date") -> date:
    """Refuse a date the forms cannot show back (before 1900) or so late that a year of weekly
    sessions or a renewal period after it would run off the calendar."""
    if value.year < FIRST_YEAR:
        raise ValidationError(f"{label}: enter a date from {FIRST_YEAR} onwards.", field)
    if value.year > LAST_YEAR:
        raise ValidationError(f"{label}: enter a date before {LAST_YEAR + 1}.", field)
    return value


def parse_optional_date(text: str, field: str | None = None, label: str = "Date") -> date | None:
    return None if not (text or "").strip() else parse_date(text, field, label)


def parse_time(text: str, field: str | None = None, label: str = "Time") -> time:
    m = _HM.match(text or "")
    if not m:
        raise ValidationError(f"{label}: enter the time as hh:mm, for example 10:30.", field)
    h, mi = int(m.group(1)), int(m.group(2))
    if h > 23 or mi > 59:
        raise ValidationError(f"{label}: {text.strip()} is not a real time.", field)
    return time(h, mi)


def format_date(d: date | None) -> str:
    """24 Nov 2026 (no leading zero on the day)."""
    if d is None:
        return ""
    return f"{d.day} {format_month(d, short=True)}"


def format_date_long(d: date) -> str:
    return f"{d.day} {format_month(d)}"


def month_name(d: date, short: bool = False) -> str:
    """November, or Nov."""
    name = MONTHS[d.month - 1]
    return name[:3] if short else name


def format_month(d: date, short: bool = False, short_year: bool = False) -> str:
    """November 2026; Nov 2026 (short); Nov 26 (short_year)."""
    year = f"{d.year % 100:02d}" if short_year else str(d.year)
    return f"{month_name(d, short or short_year)} {year}"


def day_name(d: date, short: bool = False) -> str:
    """Monday, or Mon."""
    name = DAYS[d.weekday()]
    return name[:3] if short else name


def format_entry(d: date | None) -> str:
    """The form a date is typed in: 24/11/2026."""
    return "" if d is None else d.strftime("%d/%m/%Y")


def format_datetime(dt: datetime) -> str:
    return f"{format_date(dt.date())} {dt.strftime('%H:%M')}"


def add_months(d: date, months: int) -> date:
    """Same day of month, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, min(d.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def add_years(d: date, years: int) -> date:
    """29 Feb + 1 year = 28 Feb."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)
