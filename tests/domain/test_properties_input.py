"""Property-based tests (hypothesis) over what people type: dates, times, names, passphrases and
recovery keys. Each property says what must hold for every input, not for a few examples."""

from __future__ import annotations

import base64
import calendar
import re
from datetime import date, time

import pytest
from date_helpers import SHORT_MONTHS
from hypothesis import assume, example, given
from hypothesis import strategies as st

from ccc_desktop.models import crypto
from ccc_desktop.models.dates import (
    add_months,
    add_years,
    format_date,
    format_entry,
    parse_date,
    parse_optional_date,
    parse_time,
)
from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.limits import FIRST_YEAR, LAST_YEAR
from ccc_desktop.models.validation import (
    MIN_PASSPHRASE,
    check_display_name,
    check_new_passphrase,
    check_username,
)

# Dates a centre will meet, with room either side; dd/mm/yyyy needs a four-digit year.
dates = st.dates(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31))
near_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
typed = st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.from_regex(
    r"\A\s?\d{1,3}[/.\-]\d{1,3}[/.\-]\d{1,5}\s?\Z")


# ---- dates ------------------------------------------------------------------------------------
@given(typed)
@example("29/02/2025")
@example("00/00/0000")
@example("")
@example("\n")
@example("31/4/2026")
@example("٢٤/١١/٢٠٢٦")  # Arabic-Indic digits are digits to \d and int()
def test_parse_date_never_crashes(text: str) -> None:
    """Anything typed gives a date or a ValidationError naming the field, nothing else."""
    try:
        parsed = parse_date(text, "when", "Date of birth")
    except ValidationError as err:
        assert err.field == "when"
        assert str(err).startswith("Date of birth: ")
    else:
        assert isinstance(parsed, date)


@given(dates)
def test_a_date_round_trips_through_the_form(d: date) -> None:
    assert parse_date(format_entry(d)) == d


@given(dates, st.sampled_from("/.-"), st.booleans(), st.sampled_from(["", " ", "  ", "\t"]))
def test_any_accepted_spelling_means_the_same_date(d: date, sep: str, pad: bool, space: str) -> None:
    day, month = (f"{d.day:02d}", f"{d.month:02d}") if pad else (str(d.day), str(d.month))
    assert parse_date(f"{space}{day}{sep}{month}{sep}{d.year:04d}{space}") == d


@given(st.integers(0, 99), st.integers(0, 99), st.integers(0, 9999))
@example(29, 2, 2025)
@example(29, 2, 2024)
@example(29, 2, 1900)
@example(29, 2, 2000)
@example(31, 11, 2026)
def test_impossible_dates_are_refused_in_plain_words(day: int, month: int, year: int) -> None:
    text = f"{day:02d}/{month:02d}/{year:04d}"
    real = 1 <= year and 1 <= month <= 12 and 1 <= day <= (
        calendar.monthrange(year, month)[1] if 1 <= month <= 12 and year >= 1 else 0)
    if real and FIRST_YEAR <= year <= LAST_YEAR:
        assert parse_date(text) == date(year, month, day)
    elif real:  # a real date the forms could not show back, or too near the calendar's end
        with pytest.raises(ValidationError, match="enter a date"):
            parse_date(text, "d")
    else:
        with pytest.raises(ValidationError, match="is not a real date"):
            parse_date(text, "d")


@given(st.text(max_size=5).map(lambda s: "".join(c for c in s if c.isspace())))
def test_a_blank_optional_date_is_none(blank: str) -> None:
    assert parse_optional_date(blank) is None


@given(near_dates)
def test_dates_are_shown_as_day_month_year(d: date) -> None:
    shown = format_date(d)
    assert re.fullmatch(r"[1-9]\d? [A-Z][a-z]{2} \d{4}", shown)
    day, month, year = shown.split()
    assert date(int(year), SHORT_MONTHS.index(month) + 1, int(day)) == d


# ---- times ------------------------------------------------------------------------------------
@given(st.text(max_size=12) | st.from_regex(r"\A\d{1,3}[:.]\d{1,3}\Z"))
@example("24:00")
@example("23:60")
@example("9.30")
def test_parse_time_never_crashes(text: str) -> None:
    try:
        t = parse_time(text, "arrived")
    except ValidationError as err:
        assert err.field == "arrived"
    else:
        assert isinstance(t, time)


@given(st.times())
def test_a_time_round_trips(t: time) -> None:
    assert parse_time(t.strftime("%H:%M")) == t.replace(second=0, microsecond=0)
    assert parse_time(f"{t.hour}.{t.minute:02d}") == t.replace(second=0, microsecond=0)


@given(st.integers(0, 99), st.integers(0, 99))
def test_impossible_times_are_refused(h: int, m: int) -> None:
    if h <= 23 and m <= 59:
        assert parse_time(f"{h}:{m:02d}") == time(h, m)
    else:
        with pytest.raises(ValidationError, match="is not a real time"):
            parse_time(f"{h}:{m:02d}")


# ---- adding months and years (reviews, DBS renewals, retention) ----------------------------------
@given(near_dates, st.integers(-1200, 1200))
@example(date(2024, 1, 31), 1)
@example(date(2023, 1, 31), 1)
@example(date(2024, 2, 29), 12)
@example(date(2024, 3, 31), -1)
def test_add_months_keeps_the_day_or_clamps_to_the_month_end(d: date, months: int) -> None:
    out = add_months(d, months)
    total = d.year * 12 + d.month - 1 + months
    assert out.year * 12 + out.month - 1 == total
    assert out.day == min(d.day, calendar.monthrange(out.year, out.month)[1])


@given(near_dates, st.integers(-100, 100), st.integers(-100, 100))
def test_add_months_moves_whole_months(d: date, a: int, b: int) -> None:
    assert add_months(d, 0) == d
    # Clamping can only pull a day back, never push it on.
    assert add_months(add_months(d, a), b) <= add_months(d, a + b)
    if d.day <= 28:
        assert add_months(add_months(d, a), b) == add_months(d, a + b)
    if a > 0:
        assert add_months(d, a) > d
    if a < 0:
        assert add_months(d, a) < d


@given(near_dates, st.integers(-100, 100))
@example(date(2024, 2, 29), 1)
@example(date(2024, 2, 29), 4)
@example(date(2000, 2, 29), 100)
def test_add_years_is_twelve_months_and_moves_leap_days_to_28_february(d: date, years: int) -> None:
    out = add_years(d, years)
    assert out == add_months(d, 12 * years)
    assert out.year == d.year + years and out.month == d.month
    if (d.month, d.day) == (2, 29):
        assert out.day == (29 if calendar.isleap(out.year) else 28)
    else:
        assert out.day == d.day


# ---- account names and passphrases ------------------------------------------------------------------
@given(st.text(max_size=40) | st.from_regex(r"\A\s?[A-Za-z0-9._\- ]{1,34}\s?\Z"))
@example("  ab  ")
@example("a" * 32)
@example("a" * 33)
@example("-abc")
@example("carol.dean")
def test_usernames_follow_one_rule(text: str) -> None:
    stripped = text.strip()
    ok = bool(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{2,31}", stripped))
    if ok:
        assert check_username(text) == stripped
    else:
        with pytest.raises(ValidationError) as err:
            check_username(text)
        assert err.value.field == "username"


@given(st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"], max_codepoint=0x17F),
               max_size=150))
def test_display_names_are_trimmed_and_bounded(text: str) -> None:
    stripped = " ".join(text.split())
    if 1 <= len(stripped) <= 120:
        assert check_display_name(text) == stripped
    else:
        with pytest.raises(ValidationError):
            check_display_name(text)


@given(st.text(max_size=30), st.text(alphabet="abcXYZ019 ", max_size=14))
@example("aaaaaaaaaaaa", "")
@example("abcabcabcabc", "")
@example("Coordinator1", "coordinator1")
@example(" Coordinator1 ", "coordinator1")
def test_passphrase_rule(passphrase: str, username: str) -> None:
    weak = (len(passphrase) < MIN_PASSPHRASE or len(set(passphrase)) < 4 or (
        bool(username) and passphrase.strip().casefold() == username.strip().casefold()))
    if weak:
        with pytest.raises(ValidationError) as err:
            check_new_passphrase(passphrase, username, field="new")
        assert err.value.field == "new" and str(err.value).startswith("Passphrase: ")
    else:
        check_new_passphrase(passphrase, username)


# ---- recovery keys ---------------------------------------------------------------------------------
CANONICAL = re.compile(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){7}")
raw_keys = st.binary(min_size=20, max_size=20).map(
    lambda b: "-".join(base64.b32encode(b).decode()[i:i + 4] for i in range(0, 32, 4)))


@given(raw_keys, st.sampled_from(["", " ", "-", "  ", "\t"]), st.booleans(), st.booleans())
def test_a_recovery_key_is_accepted_however_it_is_typed(key: str, sep: str, lower: bool,
                                                        misread: bool) -> None:
    typed_key = key.replace("-", "").lower() if lower else key.replace("-", "")
    typed_key = sep.join(typed_key[i:i + 4] for i in range(0, 32, 4))
    if misread:  # O, I and B copied as digits 0, 1 and 8
        typed_key = typed_key.translate(str.maketrans("OoIiBb", "001188"))
    assert crypto.normalise_recovery_key(f" {typed_key} ") == key


@given(st.text(max_size=60))
@example("ß" * 16)  # upper-cases to 32 letters: one character typed can be two
def test_normalising_anything_gives_a_canonical_key_or_none(text: str) -> None:
    out = crypto.normalise_recovery_key(text)
    if out is not None:
        assert CANONICAL.fullmatch(out)
        assert crypto.normalise_recovery_key(out) == out


@given(raw_keys, st.integers(0, 31), st.sampled_from("ACDEFGHJKLMNPQRSTUVWXYZ234567"))
def test_one_wrong_character_is_a_different_key(key: str, pos: int, ch: str) -> None:
    flat = key.replace("-", "")
    assume(flat[pos] != ch)
    changed = flat[:pos] + ch + flat[pos + 1:]
    assert crypto.normalise_recovery_key(changed) not in (None, key)
    assert crypto.normalise_recovery_key(flat[:-1]) is None  # one character short
    assert crypto.normalise_recovery_key(flat + "A") is None  # one too many


def test_new_recovery_keys_are_canonical() -> None:
    for _ in range(50):
        key = crypto.new_recovery_key()
        assert CANONICAL.fullmatch(key) and crypto.normalise_recovery_key(key) == key
