"""The calendar's days: sessions with their counts for everyone who runs the register; the
Coordinator's dates (DBS renewals, reviews, hearings, subject access) only for those who may
read them (issue 16)."""

from __future__ import annotations

from datetime import date

import pytest
from family_helpers import accepted_family, saturday_session
from volunteer_helpers import ready_volunteer

from ccc_desktop.models.calendar_records import CalendarKind
from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.legal_records import SummonsForm
from ccc_desktop.models.services.calendar import CalendarService, month_grid, week_start


def _world(s) -> None:  # type: ignore[no-untyped-def]
    sid = saturday_session(s, date(2026, 12, 5), capacity=2)
    fid = accepted_family(s)
    s.bookings.book(fid, sid)
    v = ready_volunteer(s, full_name="Dora Renewal")  # DBS issued 5 Jan 2026: renewal 5 Jan 2029
    s.volunteers.activate(v.id)
    s.summonses.log(SummonsForm(received_on="20/11/2026", received_how="post",
                                court="Derby Family Court", case_number="DE26P01234",
                                hearing_date="14/12/2026", hearing_time="10:00"))
    s.subject_access.log("Rosalind Pemberton", "Photo ID seen", "20/11/2026", "family", fid, "")


def test_a_month_for_the_coordinator(coordinator) -> None:  # type: ignore[no-untyped-def]
    _world(coordinator)
    first, last = month_grid(2026, 12)
    assert (first, last) == (date(2026, 11, 30), date(2027, 1, 10))
    days = coordinator.calendar.between(first, last)
    assert len(days) == 42 and list(days)[0] == first
    [session] = days[date(2026, 12, 5)]
    assert session.kind is CalendarKind.SESSION and session.tab == "register"
    assert (session.booked, session.capacity, session.waiting) == (1, 2, 0)  # nobody waiting
    assert session.text == "10:00–12:00 · 1 of 2 booked"
    [hearing] = days[date(2026, 12, 14)]
    assert hearing.kind is CalendarKind.HEARING and "Derby Family Court" in hearing.text
    [sar] = days[date(2026, 12, 20)]  # one calendar month after 20 Nov
    assert sar.kind is CalendarKind.SUBJECT_ACCESS and "Rosalind" not in sar.text
    # Nothing else in the six weeks: the renewal is in 2029 and no family has attended yet.
    assert sum(len(items) for items in days.values()) == 3


def test_reviews_and_dbs_renewals_land_on_their_days(coordinator) -> None:  # type: ignore[no-untyped-def]
    past = saturday_session(coordinator, date(2026, 9, 5))
    fid = accepted_family(coordinator)
    coordinator.register.arrive(coordinator.bookings.book(fid, past), "10:00")
    ref = coordinator.families.reference(fid)
    days = coordinator.calendar.between(*month_grid(2026, 12))
    [review] = days[date(2026, 12, 5)]
    assert review.kind is CalendarKind.REVIEW and ref in review.text and review.tab == "families"
    v = ready_volunteer(coordinator, full_name="Dora Renewal")
    coordinator.volunteers.activate(v.id)
    [renewal] = [i for i in coordinator.calendar.between(*month_grid(2029, 1))[date(2029, 1, 5)]]
    assert renewal.kind is CalendarKind.DBS_RENEWAL and "Dora Renewal" in renewal.text


def test_the_volunteer_sees_sessions_only(coordinator, volunteer) -> None:  # type: ignore[no-untyped-def]
    _world(coordinator)
    days = volunteer.calendar.between(*month_grid(2026, 12))
    items = [i for day in days.values() for i in day]
    assert items and {i.kind for i in items} == {CalendarKind.SESSION}
    assert not any("Derby" in i.text or "Rosalind" in i.text for i in items)


def test_waiting_counts_come_from_the_waiting_list_hook(coordinator) -> None:  # type: ignore[no-untyped-def]
    pattern = coordinator.bookings.add_pattern(5, "10:00", "12:00", 2, "Saturday")
    coordinator.bookings.ensure_sessions(pattern, date(2026, 12, 1), date(2026, 12, 31))
    asked = []

    def waiting(services, first, last):  # type: ignore[no-untyped-def]
        asked.append((first, last))
        return {pattern: 3}

    cal = CalendarService(coordinator, waiting=waiting)
    days = cal.between(date(2026, 12, 1), date(2026, 12, 7))
    [s] = days[date(2026, 12, 5)]
    assert s.waiting == 3 and s.text.endswith("3 waiting") and asked == [(date(2026, 12, 1), date(2026, 12, 7))]


def test_range_limits_and_weeks() -> None:
    assert week_start(date(2026, 12, 6)) == date(2026, 11, 30)
    assert month_grid(2028, 2) == (date(2028, 1, 31), date(2028, 3, 12))  # a leap February


def test_too_long_a_range_is_refused(coordinator) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        coordinator.calendar.between(date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(ValidationError):
        coordinator.calendar.between(date(2026, 2, 1), date(2026, 1, 1))
