"""The rota on paper for a month (issue 16)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from family_helpers import accepted_family, saturday_session
from pypdf import PdfReader
from volunteer_helpers import ready_volunteer

from ccc_desktop.models.errors import PermissionDenied, ValidationError


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_month_rota_lists_sessions_volunteers_and_duties(coordinator, volunteer) -> None:  # type: ignore[no-untyped-def]
    a = ready_volunteer(coordinator, full_name="Zoe <b>Adams</b>")
    b = ready_volunteer(coordinator, full_name="Ben Carter")
    for v in (a, b):
        coordinator.volunteers.activate(v.id)
    first = saturday_session(coordinator, date(2026, 12, 5))
    second = saturday_session(coordinator, date(2026, 12, 12))
    saturday_session(coordinator, date(2026, 12, 19))  # nobody on duty yet
    saturday_session(coordinator, date(2027, 1, 2))  # another month
    coordinator.bookings.book(accepted_family(coordinator), first)
    coordinator.volunteers.assign(first, a.id, "door & play room")
    coordinator.volunteers.assign(first, b.id)
    coordinator.volunteers.assign(second, b.id, "first aid")

    rows = coordinator.volunteers.month_rota(2026, 12)
    assert [r.session_date.day for r in rows] == [5, 12, 19]
    assert rows[0].booked == 1 and rows[0].capacity == 8
    assert [(e.volunteer_name, e.duty) for e in rows[0].duties] == [
        ("Ben Carter", ""), ("Zoe <b>Adams</b>", "door & play room")]

    text = _text(coordinator.volunteers.month_rota_pdf(2026, 12))
    flat = " ".join(text.split())
    assert "Volunteer rota · December 2026" in text
    assert "Sat 5 Dec 2026" in flat and "Sat 12 Dec 2026" in flat and "2 Jan 2027" not in flat
    assert "Zoe <b>Adams</b> — door & play room" in flat  # escaped, literally
    assert "Ben Carter — first aid" in flat and "Nobody on duty yet" in flat
    assert "1 of 8" in flat
    # Each volunteer's own dates.
    assert "Ben Carter Sat 5, Sat 12 (first aid)" in flat

    with pytest.raises(PermissionDenied):
        volunteer.volunteers.month_rota_pdf(2026, 12)
    with pytest.raises(ValidationError):
        coordinator.volunteers.month_rota(2026, 13)


def test_an_empty_month_says_so(coordinator) -> None:  # type: ignore[no-untyped-def]
    assert "There are no sessions this month." in _text(coordinator.volunteers.month_rota_pdf(2027, 2))
