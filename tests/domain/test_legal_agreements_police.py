"""Clause 7 assessment agreements and police visits."""

from __future__ import annotations

from datetime import date

import pytest

from ccc_desktop.models.errors import PermissionDenied, ValidationError
from ccc_desktop.models.legal_records import POLICE_GUIDANCE, AgreementForm, PoliceVisitForm
from ccc_desktop.models.services.legal import agreement_status


def agreement(**kw: object) -> AgreementForm:
    base = dict(agency_type="cafcass", agency_name="Cafcass East Midlands", scope="Observe contact",
                valid_from="01/11/2026", valid_to="31/12/2026", approved_by="Margaret Holt",
                family_id=12)
    base.update(kw)
    return AgreementForm(**base)  # type: ignore[arg-type]


def test_no_agreement_refuses_with_the_reason(coordinator) -> None:
    with pytest.raises(ValidationError) as err:
        coordinator.agreements.require_in_force(12, date(2026, 11, 26))
    msg = str(err.value)
    assert "No assessment agreement is in force for this family on 26 Nov 2026" in msg
    assert "clause 7" in msg and "Cafcass" in msg
    status = agreement_status(coordinator, 12)
    assert not status.in_force and status.text == "No assessment agreement is in force."


def test_an_agreement_in_force_allows_assessment_only_within_its_dates(coordinator) -> None:
    a = coordinator.agreements.add(agreement())
    assert coordinator.agreements.require_in_force(12, date(2026, 11, 1)).id == a.id
    assert coordinator.agreements.require_in_force(12, date(2026, 12, 31)).id == a.id
    with pytest.raises(ValidationError) as err:
        coordinator.agreements.require_in_force(12, date(2027, 1, 1))
    assert "ended on 31 Dec 2026" in str(err.value)
    with pytest.raises(ValidationError) as err:
        coordinator.agreements.require_in_force(12, date(2026, 10, 31))
    assert "starts on 1 Nov 2026" in str(err.value)
    # Another family is not covered.
    with pytest.raises(ValidationError):
        coordinator.agreements.require_in_force(13, date(2026, 11, 26))
    status = coordinator.agreements.status_for_family(12)
    assert status.in_force
    assert status.text == ("Assessment agreement in force: Cafcass East Midlands (Cafcass officer), "
                           "until 31 Dec 2026.")
    assert not coordinator.agreements.status_for_family(13).in_force


def test_ending_early_stops_it(coordinator) -> None:
    a = coordinator.agreements.add(agreement())
    coordinator.agreements.end(a.id, "20/11/2026")
    with pytest.raises(ValidationError) as err:
        coordinator.agreements.require_in_force(12, date(2026, 11, 26))
    assert "ended on 20 Nov 2026" in str(err.value)
    assert coordinator.agreements.require_in_force(12, date(2026, 11, 20)).id == a.id
    with pytest.raises(ValidationError) as err:
        coordinator.agreements.end(a.id, "01/10/2026")
    assert err.value.field == "ended_on"


def test_a_standing_agreement_covers_any_family(coordinator) -> None:
    coordinator.agreements.add(agreement(family_id=None, agency_type="social worker",
                                         agency_name="Derbyshire Children's Services"))
    assert coordinator.agreements.require_in_force(99, date(2026, 11, 26)).family_id is None
    assert agreement_status(coordinator, 5).in_force


@pytest.mark.parametrize("field,value", [
    ("agency_type", "detective"), ("agency_name", " "), ("scope", ""), ("valid_from", "1/13/2026"),
    ("valid_to", "31/10/2026"), ("approved_by", ""), ("family_id", "twelve"),
])
def test_bad_agreements_are_refused(coordinator, field, value) -> None:
    with pytest.raises(ValidationError) as err:
        coordinator.agreements.add(agreement(**{field: value}))
    assert err.value.field == field
    assert coordinator.agreements.all() == []


def test_police_visit_is_logged_with_everything(coordinator) -> None:
    v = coordinator.police.log(PoliceVisitForm(
        visit_date="21/11/2026", visit_time="14:05", officer_name="PC Rachel Moore",
        officer_number="4471", station="Chesterfield", emergency=False,
        asked="Wanted to serve an order on a father", said="Asked them to serve it elsewhere",
        outcome="Left without approaching anyone", family_id=3))
    got = coordinator.police.get(v.id)
    assert (got.visit_date, got.visit_time, got.officer_name, got.officer_number, got.station) == (
        date(2026, 11, 21), "14:05", "PC Rachel Moore", "4471", "Chesterfield")
    assert not got.emergency and got.family_id == 3 and "elsewhere" in got.said
    assert [x.id for x in coordinator.police.all()] == [v.id]
    entry = coordinator.audit.for_record(coordinator.session.actor, "police visit", v.id)[0]
    assert entry.action == "police visit logged" and "Moore" not in entry.detail
    assert "not to approach or detain" in POLICE_GUIDANCE and "serve the order elsewhere" in POLICE_GUIDANCE


@pytest.mark.parametrize("field,value", [
    ("visit_date", "27/11/2026"), ("visit_date", "yesterday"), ("visit_time", "9am"), ("officer_name", ""),
])
def test_bad_police_visits_are_refused(coordinator, field, value) -> None:
    base = dict(visit_date="21/11/2026", officer_name="PC Moore")
    base[field] = value
    with pytest.raises(ValidationError) as err:
        coordinator.police.log(PoliceVisitForm(**base))  # type: ignore[arg-type]
    assert err.value.field == field


def test_volunteer_cannot_see_agreements_or_police_visits(coordinator, volunteer) -> None:
    a = coordinator.agreements.add(agreement())
    for call in (lambda: volunteer.agreements.add(agreement()),
                 lambda: volunteer.agreements.all(),
                 lambda: volunteer.agreements.get(a.id),
                 lambda: volunteer.agreements.end(a.id, "21/11/2026"),
                 lambda: volunteer.agreements.status_for_family(12),
                 lambda: volunteer.agreements.require_in_force(12, date(2026, 11, 26)),
                 lambda: volunteer.police.log(PoliceVisitForm("21/11/2026", "PC Moore")),
                 lambda: volunteer.police.all()):
        with pytest.raises(PermissionDenied):
            call()
