"""Renewal dates for both kinds of DBS check and the staged warnings, at their edges."""

from datetime import date, timedelta

import pytest

from ccc_desktop.models.volunteers_records import WarningStage, renewal_due, warning_stage


@pytest.mark.parametrize("issue,years,due", [
    (date(2026, 1, 5), 3, date(2029, 1, 5)),
    (date(2024, 2, 29), 3, date(2027, 2, 28)),   # leap day: no 29 Feb in 2027
    (date(2024, 2, 29), 4, date(2028, 2, 29)),   # ...but there is in 2028
    (date(2023, 12, 31), 3, date(2026, 12, 31)),
    (date(2026, 1, 5), 2, date(2028, 1, 5)),     # the setting changes the period
])
def test_renewal_is_issue_plus_the_set_years(issue: date, years: int, due: date) -> None:
    assert renewal_due(issue, False, None, years) == due


def test_a_status_check_date_is_ignored_without_the_update_service() -> None:
    assert renewal_due(date(2026, 1, 5), False, date(2026, 6, 1), 3) == date(2029, 1, 5)


@pytest.mark.parametrize("issue,last,due", [
    (date(2025, 3, 1), None, date(2026, 3, 1)),               # no status check yet: issue + 1 year
    (date(2022, 3, 1), date(2026, 2, 10), date(2027, 2, 10)),  # a year after the last status check
    (date(2020, 1, 1), date(2024, 2, 29), date(2025, 2, 28)),  # leap-day status check
    (date(2024, 2, 29), None, date(2025, 2, 28)),              # leap-day issue, no status check
])
def test_update_service_subscribers_are_due_their_next_annual_status_check(
        issue: date, last: date | None, due: date) -> None:
    # The update service ignores the renewal-years setting: the status check is annual.
    assert renewal_due(issue, True, last, 3) == due
    assert renewal_due(issue, True, last, 5) == due


@pytest.mark.parametrize("days_left,stage", [
    (61, WarningStage.NONE),
    (60, WarningStage.DAYS_60),
    (31, WarningStage.DAYS_60),
    (30, WarningStage.DAYS_30),
    (8, WarningStage.DAYS_30),
    (7, WarningStage.DAYS_7),
    (0, WarningStage.DAYS_7),       # due today: not yet overdue
    (-1, WarningStage.OVERDUE),
])
def test_warnings_are_staged_at_60_30_and_7_days(days_left: int, stage: WarningStage) -> None:
    today = date(2026, 11, 26)
    assert warning_stage(today + timedelta(days=days_left), today, False) is stage


@pytest.mark.parametrize("days_left,stage", [
    (61, WarningStage.NONE),
    (60, WarningStage.PAUSED),
    (7, WarningStage.PAUSED),
    (0, WarningStage.PAUSED),
    (-1, WarningStage.OVERDUE),    # a renewal in progress does not hide an expired check
])
def test_a_renewal_in_progress_pauses_the_warnings(days_left: int, stage: WarningStage) -> None:
    today = date(2026, 11, 26)
    assert warning_stage(today + timedelta(days=days_left), today, True) is stage
