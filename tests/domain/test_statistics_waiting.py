"""The waiting list (issue 14): order, time waited, free places offered, taken, the letter."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from family_helpers import SATURDAY, accepted_family
from pypdf import PdfReader

from ccc_desktop.models.errors import PermissionDenied, ValidationError


def test_families_wait_in_order_and_a_free_place_goes_to_the_first_that_fits(coordinator, volunteer, clock) -> None:  # type: ignore[no-untyped-def]
    s = coordinator
    pattern = s.bookings.add_pattern(5, "10:00", "12:00", 1, "Saturday")
    saturday = SATURDAY + timedelta(days=7)  # 28 Nov 2026, after the clock's 26 Nov
    [sid] = s.bookings.ensure_sessions(pattern, saturday, saturday)
    placed = accepted_family(s, full_name="Placed Parent")
    booking = s.bookings.book(placed, sid)
    first = accepted_family(s, full_name="First Waiting")
    second = accepted_family(s, full_name="Second Waiting")
    any_day = accepted_family(s, full_name="Any Day")
    e1 = s.waiting.add(first, "01/10/2026", pattern)
    s.waiting.add(second, "15/10/2026", pattern)
    s.waiting.add(any_day, "20/10/2026")
    with pytest.raises(ValidationError, match="already on the waiting list"):
        s.waiting.add(first)
    entries = s.waiting.entries()
    assert [(e.family_id, e.position, e.days_waited) for e in entries] == [
        (first, 1, 56), (second, 2, 42), (any_day, 3, 37)]
    assert s.waiting.openings() == []  # the session is full
    s.bookings.cancel(booking)
    [opening] = s.waiting.openings()
    assert opening.session_id == sid and opening.entry.family_id == first
    s.waiting.offer(e1, sid)
    # Declining keeps the family's turn; taking books it and it leaves the list.
    s.waiting.decline_offer(e1)
    assert s.waiting.entries()[0].status == "waiting"
    s.waiting.offer(e1, sid)
    new_booking = s.waiting.take(e1)
    assert [b.id for b in s.bookings.for_family(first)] == [new_booking]
    assert [e.family_id for e in s.waiting.entries()] == [second, any_day]
    actions = [e.action for e in s.audit.entries(s.session.actor)]
    for action in ("put on the waiting list", "place offered", "place offer declined", "place taken"):
        assert action in actions
    stats = s.statistics.figures(date(2026, 10, 1), date(2026, 12, 31))
    assert stats["waiting.joined"] == 3 and stats["waiting.placed"] == 1
    assert stats["waiting.at_end"] == 2
    with pytest.raises(PermissionDenied):
        volunteer.waiting.entries()
    with pytest.raises(PermissionDenied):
        volunteer.waiting.add(second)


def test_closing_a_referral_takes_it_off_the_list_and_the_letter_names_only_the_reference(coordinator) -> None:  # type: ignore[no-untyped-def]
    s = coordinator
    fid = accepted_family(s, full_name="Letter Parent")
    entry = s.waiting.add(fid, "01/11/2026")
    letter_id = s.waiting.letter_to_referrer(entry)
    stored = s.letters.for_subject("family", fid)
    assert [le.id for le in stored] == [letter_id]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(s.letters.open(letter_id))).pages)
    text = " ".join(text.split())
    assert "our reference F-0001" in text and "Ann Solicitor" in text
    assert "Letter Parent" not in text and "Amy Example" not in text
    s.families.set_status(fid, "closed", "family withdrew")
    assert s.waiting.entries() == []
    [gone] = s.waiting.for_family(fid)
    assert gone.status == "removed" and gone.left_reason == "referral closed"
