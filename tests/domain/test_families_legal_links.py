"""Families joined to the legal area: assessment sessions under clause 7, and what a family's
disposal does to agreements, summonses and police visits."""

from __future__ import annotations

import pytest

from ccc_desktop.models.errors import PermissionDenied, ValidationError
from ccc_desktop.models.legal_records import AgreementForm, PoliceVisitForm, SummonsForm
from conftest import COORDINATOR
from tests.family_helpers import accepted_family


def _agreement(fid: int | None, start: str = "01/11/2026", end: str = "31/12/2026") -> AgreementForm:
    return AgreementForm("cafcass", "Cafcass East Midlands", "Observed contact", start, end,
                         "Chair", fid)


def _summons(fid: int) -> SummonsForm:
    return SummonsForm(received_on="20/11/2026", received_how="post", court="Derby Family Court",
                       case_number="DE26F00123", hearing_date="10/12/2026", family_id=fid)


def test_an_assessment_session_needs_an_agreement_in_force(coordinator) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    other = accepted_family(coordinator, full_name="Other Parent")
    sid = coordinator.bookings.add_session("28/11/2026", "10:00", "12:00", 8)
    booking = coordinator.bookings.book(fid, sid)
    coordinator.bookings.book(other, sid)
    assert coordinator.agreements.status_for_family(fid).in_force is False
    with pytest.raises(ValidationError) as refused:
        coordinator.bookings.set_assessment(booking, True)
    assert "No assessment agreement is in force for this family on 28 Nov 2026" in str(refused.value)
    assert "clause 7" in str(refused.value)
    assert coordinator.bookings.for_family(fid)[0].assessment is False

    # An agreement for another family does not help; one that ended before the day neither.
    coordinator.agreements.add(_agreement(other))
    coordinator.agreements.add(_agreement(fid, "01/10/2026", "27/11/2026"))
    with pytest.raises(ValidationError, match="ended on 27 Nov 2026"):
        coordinator.bookings.set_assessment(booking, True)

    coordinator.agreements.add(_agreement(fid))
    status = coordinator.agreements.status_for_family(fid)
    assert status.in_force and "Cafcass East Midlands" in status.text
    marked = coordinator.bookings.set_assessment(booking, True)
    assert marked.assessment is True
    assert coordinator.bookings.for_family(fid)[0].assessment is True
    [day] = coordinator.register.day(marked.session_date)
    assert [e.assessment for e in day.entries if e.family_id == fid] == [True]
    assert [e.assessment for e in day.entries if e.family_id == other] == [False]
    assert coordinator.bookings.set_assessment(booking, False).assessment is False


def test_a_standing_agreement_covers_any_family(coordinator) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    sid = coordinator.bookings.add_session("28/11/2026", "10:00", "12:00", 8)
    booking = coordinator.bookings.book(fid, sid)
    coordinator.agreements.add(_agreement(None))
    assert coordinator.bookings.set_assessment(booking, True).assessment is True


def test_a_volunteer_cannot_mark_an_assessment_session(coordinator, login) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    sid = coordinator.bookings.add_session("28/11/2026", "10:00", "12:00", 8)
    booking = coordinator.bookings.book(fid, sid)
    coordinator.agreements.add(_agreement(fid))
    volunteer = login("volunteer")
    with pytest.raises(PermissionDenied):
        volunteer.bookings.set_assessment(booking, True)


def test_disposing_of_a_family_removes_its_agreements_and_unlinks_closed_summonses(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    keep = accepted_family(coordinator, full_name="Kept Parent")
    own = coordinator.agreements.add(_agreement(fid))
    standing = coordinator.agreements.add(_agreement(None))
    others = coordinator.agreements.add(_agreement(keep))
    summons = coordinator.summonses.log(_summons(fid))
    coordinator.summonses.close(summons.id, "set aside", "25/11/2026")
    kept_summons = coordinator.summonses.log(_summons(keep))
    visit = coordinator.police.log(PoliceVisitForm("25/11/2026", "PC Brown", family_id=fid))
    clock.advance(days=3 * 365 + 2)
    result = coordinator.retention.dispose([("family", fid)], COORDINATOR[1])
    assert result.disposed == 1
    remaining = {a.id for a in coordinator.agreements.all()}
    assert own.id not in remaining and {standing.id, others.id} <= remaining
    assert coordinator.summonses.detail(summons.id).summons.family_id is None
    assert coordinator.summonses.detail(kept_summons.id).summons.family_id == keep
    assert coordinator.police.get(visit.id).family_id is None
    log = coordinator.retention.disposal_log()
    assert [e.reference for e in log] == ["F-0001"]
