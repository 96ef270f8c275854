"""Sessions, bookings and the register."""

from __future__ import annotations

from datetime import date

import pytest

from ccc_desktop.models.errors import PermissionDenied, ValidationError
from ccc_desktop.models.families_records import BookingStatus
from tests.family_helpers import SATURDAY, accepted_family, referral, resident, saturday_session


def test_booking_needs_acceptance_and_ground_rules(coordinator) -> None:  # type: ignore[no-untyped-def]
    sid = saturday_session(coordinator)
    received = coordinator.families.create(referral(), [resident()], [])
    with pytest.raises(ValidationError) as err:
        coordinator.bookings.book(received, sid)
    assert err.value.field == "family"
    no_rules = accepted_family(coordinator, ground_rules_on="", policy_agreed_on="")
    with pytest.raises(ValidationError) as err:
        coordinator.bookings.book(no_rules, sid)
    assert err.value.field == "ground_rules" and "Jane Example" in str(err.value)
    adult = coordinator.families.get(no_rules).adults[0].id
    coordinator.families.record_ground_rules(adult, "20/11/2026", "20/11/2026")
    assert coordinator.bookings.book(no_rules, sid)


def test_double_booking_and_capacity(coordinator) -> None:  # type: ignore[no-untyped-def]
    sid = saturday_session(coordinator, capacity=1)
    a = accepted_family(coordinator)
    b = accepted_family(coordinator, full_name="Second Parent")
    bid = coordinator.bookings.book(a, sid)
    with pytest.raises(ValidationError) as err:
        coordinator.bookings.book(a, sid)
    assert err.value.field == "session" and "already booked" in str(err.value)
    with pytest.raises(ValidationError) as err:
        coordinator.bookings.book(b, sid)
    assert err.value.field == "session" and "full" in str(err.value)
    coordinator.bookings.cancel(bid)
    assert coordinator.bookings.book(b, sid)
    # rebooking a cancelled place reuses its row
    with pytest.raises(ValidationError):
        coordinator.bookings.book(a, sid)


def test_repeating_weekly_bookings_are_all_or_nothing(coordinator) -> None:  # type: ignore[no-untyped-def]
    pattern = coordinator.bookings.add_pattern(5, "10:00", "12:00", 2, "Saturday morning")
    a = accepted_family(coordinator)
    ids = coordinator.bookings.book_repeating(a, pattern, "01/12/2026", "31/12/2026")
    assert len(ids) == 4  # 5, 12, 19, 26 December
    days = [b.session_date for b in coordinator.bookings.for_family(a)]
    assert sorted(days) == [date(2026, 12, d) for d in (5, 12, 19, 26)]
    b = accepted_family(coordinator, full_name="B Parent")
    c = accepted_family(coordinator, full_name="C Parent")
    coordinator.bookings.book(b, coordinator.bookings.sessions_between(date(2026, 12, 19), date(2026, 12, 19))[0].id)
    with pytest.raises(ValidationError) as err:
        coordinator.bookings.book_repeating(c, pattern, "01/12/2026", "31/12/2026")
    assert "19 Dec 2026" in str(err.value)
    assert coordinator.bookings.for_family(c) == []
    with pytest.raises(ValidationError) as err:
        coordinator.bookings.add_pattern(5, "12:00", "10:00", 2)
    assert err.value.field == "end_time"
    with pytest.raises(ValidationError) as err:
        coordinator.bookings.add_pattern(5, "10:00", "12:00", 0)
    assert err.value.field == "capacity"


def test_register_day_arrival_departure_absence_finalise(coordinator, volunteer, clock) -> None:  # type: ignore[no-untyped-def]
    sid = saturday_session(coordinator)
    a = accepted_family(coordinator)
    b = accepted_family(coordinator, full_name="Bee Parent")
    c = accepted_family(coordinator, full_name="Cee Parent")
    ba, bb, bc = (coordinator.bookings.book(f, sid) for f in (a, b, c))
    coordinator.families.set_safety(a, "Grandfather (Mr X)", "Resident parent uses the side door")
    [day] = volunteer.register.day(SATURDAY)
    assert [e.booking_id for e in day.entries] == [ba, bb, bc]
    entry = day.entries[0]
    assert entry.must_not_attend == "Grandfather (Mr X)" and entry.has_safety
    assert entry.adults[0].arrive_minutes_before == 15
    assert volunteer.register.arrive(ba) == "09:30"  # the clock's time at the press
    with pytest.raises(ValidationError) as err:
        volunteer.register.leave(ba, "09:00")
    assert err.value.field == "left_at"
    volunteer.register.leave(ba, "11:45")
    with pytest.raises(ValidationError) as err:
        volunteer.register.set_times(ba, "11:00", "10:00")
    assert err.value.field == "left_at"
    with pytest.raises(ValidationError) as err:
        volunteer.register.absent(bb, "  ")
    assert err.value.field == "absence_reason"
    volunteer.register.absent(bb, "Child unwell")
    with pytest.raises(ValidationError) as err:
        volunteer.register.finalise(sid)
    assert err.value.field == "register"
    volunteer.register.no_show(bc)
    volunteer.register.set_notes(sid, "Quiet morning & <calm>")
    volunteer.register.finalise(sid)
    [day] = volunteer.register.day(SATURDAY)
    assert day.finalised and day.notes == "Quiet morning & <calm>"
    statuses = {e.booking_id: (e.status, e.arrived_at, e.left_at, e.absence_reason) for e in day.entries}
    assert statuses[ba] == (BookingStatus.BOOKED, "09:30", "11:45", "")
    assert statuses[bb][0] is BookingStatus.ABSENT and statuses[bb][3] == "Child unwell"
    assert statuses[bc][0] is BookingStatus.NO_SHOW
    # after finalising: the volunteer cannot change it; the Coordinator can, and it is audited
    with pytest.raises(ValidationError):
        volunteer.register.arrive(bc, "10:05")
    coordinator.register.arrive(bc, "10:05")
    actions = [e.action for e in coordinator.audit.entries(coordinator.session.actor, limit=5000)]
    assert "arrival recorded after the register was finalised" in actions
    assert "register finalised" in actions


def test_volunteers_on_duty_show_on_the_register(coordinator) -> None:  # type: ignore[no-untyped-def]
    sid = saturday_session(coordinator)
    from tests.volunteer_helpers import ready_volunteer

    v = ready_volunteer(coordinator, full_name="Vera Helper")
    coordinator.volunteers.activate(v.id)
    coordinator.volunteers.assign(sid, v.id)
    [day] = coordinator.register.day(SATURDAY)
    assert day.on_duty == ("Vera Helper",)


def test_volunteer_cannot_book_or_cancel(coordinator, volunteer) -> None:  # type: ignore[no-untyped-def]
    sid = saturday_session(coordinator)
    a = accepted_family(coordinator)
    bid = coordinator.bookings.book(a, sid)
    with pytest.raises(PermissionDenied):
        volunteer.bookings.book(a, sid)
    with pytest.raises(PermissionDenied):
        volunteer.bookings.cancel(bid)
    with pytest.raises(PermissionDenied):
        volunteer.bookings.add_session("28/11/2026", "10:00", "12:00", 3)


def test_no_booking_or_cancelling_on_a_finalised_register(coordinator) -> None:  # type: ignore[no-untyped-def]
    sid = saturday_session(coordinator)
    a = accepted_family(coordinator)
    b = accepted_family(coordinator, full_name="Bee Parent")
    bid = coordinator.bookings.book(a, sid)
    coordinator.register.absent(bid, "Unwell")
    coordinator.register.finalise(sid)
    with pytest.raises(ValidationError) as err:
        coordinator.bookings.book(b, sid)
    assert err.value.field == "session" and "finalised" in str(err.value)
    with pytest.raises(ValidationError) as err:
        coordinator.bookings.cancel(bid)
    assert err.value.field == "booking"


def test_the_register_opens_on_the_day(coordinator, volunteer) -> None:  # type: ignore[no-untyped-def]
    sid = coordinator.bookings.add_session("28/11/2026", "10:00", "12:00", 8)
    bid = coordinator.bookings.book(accepted_family(coordinator), sid)
    for action in (lambda: volunteer.register.arrive(bid), lambda: volunteer.register.no_show(bid),
                   lambda: volunteer.register.set_times(bid, "10:00", "")):
        with pytest.raises(ValidationError) as err:
            action()
        assert err.value.field == "register"
    volunteer.register.absent(bid, "Family on holiday")  # known in advance
