"""The day's sheet: the register on paper for the door (issue 16)."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from ccc_desktop.documents.day_sheet import FOOTER, shifted
from ccc_desktop.models.errors import PermissionDenied
from tests.family_helpers import (
    accepted_family,
    child,
    referral,
    resident,
    saturday_session,
    visiting,
)
from tests.volunteer_helpers import ready_volunteer


def pages(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def _booked_family(s, sid: int) -> int:  # type: ignore[no-untyped-def]
    fid = accepted_family(s)
    s.families.set_safety(fid, 'Uncle <b>Bob</b> & "Co"', "Resident parent leaves by the side door")
    s.bookings.book(fid, sid)
    return fid


def test_sheet_holds_the_register_and_nothing_more(coordinator, volunteer) -> None:  # type: ignore[no-untyped-def]
    centre = coordinator.centre.details()
    coordinator.centre.update(replace(centre, emergency_details="First aider: Pat <i>Green</i>; "
                                      "assembly point: car park"))
    sid = saturday_session(coordinator)
    fid = _booked_family(coordinator, sid)
    ref = coordinator.families.reference(fid)
    v = ready_volunteer(coordinator, full_name="Alice Brown")
    coordinator.volunteers.activate(v.id)
    coordinator.volunteers.assign(sid, v.id, "door")

    pdf = volunteer.register.day_sheet(sid)  # the Session volunteer prints it
    text = "\n".join(pages(pdf))
    flat = " ".join(text.split())
    assert ref in text
    for name in ("Jane", "John", "Amy", "Alice Brown"):
        assert name in text
    # Staggered times: Jane arrives 15 min before 10:00 and leaves 15 min after 12:00.
    assert "09:45 – 12:15" in text and "10:00 – 12:00" in text
    # Safety printed prominently, user text literally (escaped, not parsed as markup).
    assert 'MUST NOT ATTEND: Uncle <b>Bob</b> & "Co"' in flat
    assert "side door" in flat
    assert "First aider: Pat <i>Green</i>" in flat and "999" in text
    assert FOOTER in text
    for heading in ("Arrived", "Initials", "Left"):
        assert heading in text
    # Nothing the register does not show: no address, phone, email, date of birth, referral.
    for secret in ("Secret Street", "Private Road", "07700", "@example.org", "14/03/2019",
                   "14 Mar 2019", "Nut allergy", "Ann Solicitor", "01234 567890", "Example",
                   "Checklist done"):
        assert secret not in text, secret
    # Coordinator's sheet is the same sheet.
    assert pages(coordinator.register.day_sheet(sid)) == pages(pdf)


def test_thirty_families_run_over_pages_with_headings_repeated(coordinator, volunteer) -> None:  # type: ignore[no-untyped-def]
    sid = saturday_session(coordinator, capacity=30)
    for n in range(30):
        fid = coordinator.families.create(
            referral(), [resident(full_name=f"Parent{n:02d} Surname"), visiting()],
            [child(full_name=f"Kid{n:02d} Surname")])
        coordinator.families.record_previsit(fid, "15/09/2026", "Carol Dean", "")
        coordinator.families.set_status(fid, "accepted")
        if n % 3 == 0:
            coordinator.families.set_safety(fid, f"Stranger{n:02d}", "")
        coordinator.bookings.book(fid, sid)
    sheet = pages(volunteer.register.day_sheet(sid))
    assert len(sheet) >= 3
    for n, page in enumerate(sheet, start=1):
        assert "Safety arrangements" in page and "Initials" in page and "Arrived" in page
        assert f"page {n}" in page and FOOTER in page
    every = "\n".join(sheet)
    for n in range(30):
        assert f"Parent{n:02d}" in every and f"Kid{n:02d}" in every
    assert "Surname" not in every  # first names only
    assert every.count("MUST NOT ATTEND: Stranger") == 10


def test_only_a_manager_may_save_the_sheet_and_output_is_audited(coordinator, volunteer) -> None:  # type: ignore[no-untyped-def]
    sid = saturday_session(coordinator)
    volunteer.register.record_day_sheet_output(sid, "printed")
    with pytest.raises(PermissionDenied):
        volunteer.register.record_day_sheet_output(sid, "saved as PDF")
    coordinator.register.record_day_sheet_output(sid, "saved as PDF")
    actions = [e.action for e in coordinator.audit.entries()]
    assert "day sheet printed" in actions and "day sheet saved as PDF" in actions


def test_empty_session_and_staggers_past_midnight() -> None:
    assert shifted("10:00", -15) == "09:45"
    assert shifted("23:50", 20) == "23:50"
    assert shifted("bad", 5) == "bad"


def test_the_longest_text_the_limits_allow_still_prints(coordinator, volunteer) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.models import limits

    centre = coordinator.centre.details()
    coordinator.centre.update(replace(centre, emergency_details="\n".join(
        ["Call the Coordinator on 07700 900014 first."] * 10)[:limits.REASON.chars]))
    sid = saturday_session(coordinator)
    fid = accepted_family(coordinator)
    words = ("Resident parent leaves by the side door; the volunteer walks the child across. " * 300)
    coordinator.families.set_safety(fid, ("Grandad Bob, " * 200)[:limits.TEXT.chars],
                                    words[:limits.LONG_NOTES.chars])
    for n in range(20):
        coordinator.families.add_adult(fid, resident(full_name=f"Aunt{n:02d} " + "X" * 100))
    coordinator.bookings.book(fid, sid)
    coordinator.register.set_notes(sid, ("Fire drill at 11. " * 200)[:2000])
    sheet = pages(volunteer.register.day_sheet(sid))
    assert len(sheet) > 3
    every = "\n".join(sheet)
    assert "Aunt19" in every and every.count("side door") > 100
