"""Month and day names are English whatever the system's locale: strftime's %a/%A/%b/%B follow
the C library's locale, which Qt sets from the system on Unix (a Polish PC would print "lis")."""

from __future__ import annotations

import ast
from datetime import date, datetime
from pathlib import Path

from ccc_desktop.models.dates import (
    day_name,
    format_date,
    format_date_long,
    format_datetime,
    format_month,
    month_name,
)

SOURCE = Path(__file__).resolve().parents[2] / "ccc_desktop"
LOCALE_CODES = ("%a", "%A", "%b", "%B", "%c", "%x", "%X", "%p")


def test_names_are_spelt_out() -> None:
    assert format_date(date(2026, 11, 1)) == "1 Nov 2026"
    assert format_date_long(date(2027, 2, 28)) == "28 February 2027"
    assert format_datetime(datetime(2026, 12, 31, 9, 5)) == "31 Dec 2026 09:05"
    assert format_month(date(2026, 9, 30)) == "September 2026"
    assert format_month(date(2026, 9, 30), short=True) == "Sep 2026"
    assert format_month(date(2009, 1, 5), short_year=True) == "Jan 09"
    assert [month_name(date(2026, m, 1), short=True) for m in (1, 5, 6, 7, 12)] == \
        ["Jan", "May", "Jun", "Jul", "Dec"]
    week = [date(2026, 11, 30 + i) if i == 0 else date(2026, 12, i) for i in range(7)]
    assert [day_name(d) for d in week] == ["Monday", "Tuesday", "Wednesday", "Thursday",
                                           "Friday", "Saturday", "Sunday"]
    assert day_name(date(2026, 11, 29), short=True) == "Sun"


def locale_formats(source: str) -> list[int]:
    """Lines that ask strftime (or a format spec) for a locale-dependent name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        text = ""
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "strftime" and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            text = node.args[0].value
        elif isinstance(node, ast.FormattedValue) and isinstance(node.format_spec, ast.JoinedStr):
            text = "".join(str(v.value) for v in node.format_spec.values
                           if isinstance(v, ast.Constant))
        if any(code in text for code in LOCALE_CODES):
            found.append(node.lineno)
    return found


def test_the_rule_sees_both_shapes() -> None:
    assert locale_formats("d.strftime('%d %b %Y')") == [1]
    assert locale_formats("x = 1\nf'{d:%A} {n}'") == [2]
    assert locale_formats("d.strftime('%d/%m/%Y')\nf'{d:%H:%M}'") == []


def test_no_locale_dependent_names_in_the_app() -> None:
    offenders = [f"{path.relative_to(SOURCE)}:{line}"
                 for path in sorted(SOURCE.rglob("*.py"))
                 for line in locale_formats(path.read_text(encoding="utf-8"))]
    assert offenders == [], "use models.dates (day_name, month_name, format_month): " + \
        ", ".join(offenders)
