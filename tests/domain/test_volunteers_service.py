"""Volunteer records, the activation rule, resignation, the rota and the dashboard."""

from datetime import date

import pytest
from volunteer_helpers import check, details, disclosed, ready_volunteer

from ccc_desktop.models.errors import PermissionDenied, ValidationError
from ccc_desktop.models.roles import Role
from ccc_desktop.models.storage.sessions import SessionStore
from ccc_desktop.models.volunteers_records import (
    DbsLevel,
    DbsOutcome,
    RiskDecision,
    VolunteerRole,
    VolunteerStatus,
    WarningStage,
)


def _field(excinfo: pytest.ExceptionInfo) -> str | None:
    return excinfo.value.field


# ---- records -------------------------------------------------------------------------------
def test_create_and_read_back_every_field(coordinator) -> None:
    d = details(roles=frozenset({VolunteerRole.SESSION, VolunteerRole.COMMITTEE}), notes="Drives")
    v = coordinator.volunteers.create(d)
    again = coordinator.volunteers.get(v.id)
    assert again.details == d
    assert again.status is VolunteerStatus.APPLICANT
    assert again.undertaking_current and not again.needs_to_sign_again
    assert again.safeguarding_renewal_due == date(2029, 1, 20)


def test_create_and_update_are_audited_without_personal_data(coordinator) -> None:
    v = coordinator.volunteers.create(details())
    coordinator.volunteers.update(v.id, details(phone="07700 900123", address="9 New Road"))
    entries = coordinator.audit.for_record(coordinator.session.actor, "volunteer", v.id)
    assert [e.action for e in entries][-2:] in (["volunteer created", "volunteer updated"],
                                                ["volunteer updated", "volunteer created"])
    text = " ".join(e.detail for e in entries)
    assert "address, phone" in text
    for personal in ("Alice", "Brown", "07700", "New Road", "Elm Row"):
        assert personal not in text


def test_a_new_undertaking_version_makes_earlier_signers_sign_again(coordinator) -> None:
    v = coordinator.volunteers.create(details())
    coordinator.volunteers.set_current_undertaking_version("2")
    again = coordinator.volunteers.get(v.id)
    assert again.needs_to_sign_again and not again.undertaking_current
    assert "must sign version 2" in again.undertaking_gap()
    row = next(r for r in coordinator.volunteers.overview() if r.volunteer.id == v.id)
    assert "undertaking (sign again)" in row.needs
    signed = coordinator.volunteers.update(v.id, details(undertaking_version="2",
                                                          undertaking_signed_on=date(2026, 11, 20)))
    assert signed.undertaking_current


def test_undertaking_signed_without_version_takes_the_current_one(coordinator) -> None:
    coordinator.volunteers.set_current_undertaking_version("2025-B")
    v = coordinator.volunteers.create(details(undertaking_version=""))
    assert v.details.undertaking_version == "2025-B" and v.undertaking_current


@pytest.mark.parametrize("kw,field", [
    ({"full_name": "  "}, "full_name"),
    ({"email": "not an email"}, "email"),
    ({"phone": "call me maybe"}, "phone"),
    ({"date_of_birth": date(2027, 1, 1)}, "date_of_birth"),
    ({"start_date": date(1979, 1, 1)}, "start_date"),
    ({"roles": frozenset()}, "roles"),
    ({"references_received": -1}, "references_received"),
    ({"induction_on": date(2026, 11, 27)}, "induction_on"),
    ({"safeguarding_on": date(2026, 12, 1)}, "safeguarding_on"),
    ({"undertaking_signed_on": None}, "undertaking_signed_on"),  # a version but no date
    ({"policy_read_on": None}, "policy_read_on"),  # clause 3 acknowledged but no date
])
def test_bad_volunteer_input_names_the_field_and_keeps_what_was_saved(coordinator, kw, field) -> None:
    v = coordinator.volunteers.create(details())
    with pytest.raises(ValidationError) as err:
        coordinator.volunteers.update(v.id, details(**kw))
    assert _field(err) == field
    assert coordinator.volunteers.get(v.id).details == details()
    with pytest.raises(ValidationError):
        coordinator.volunteers.create(details(**kw))
    assert len(coordinator.volunteers.list()) == 1


def test_an_account_links_to_one_volunteer_only(coordinator) -> None:
    acc = next(a for a in coordinator.accounts.list() if a.role is Role.VOLUNTEER)
    v = coordinator.volunteers.create(details(account_id=acc.id))
    assert v.details.account_id == acc.id
    with pytest.raises(ValidationError) as err:
        coordinator.volunteers.create(details(full_name="Other", account_id=acc.id))
    assert _field(err) == "account_id"
    with pytest.raises(ValidationError) as err:
        coordinator.volunteers.create(details(account_id=9999))
    assert _field(err) == "account_id"


# ---- the activation rule -------------------------------------------------------------------
def test_a_ready_volunteer_can_be_activated(coordinator) -> None:
    v = ready_volunteer(coordinator)
    assert coordinator.volunteers.activation_gaps(v.id) == []
    assert coordinator.volunteers.activate(v.id).status is VolunteerStatus.ACTIVE
    actions = [e.action for e in coordinator.audit.for_record(coordinator.session.actor, "volunteer", v.id)]
    assert "volunteer activated" in actions


def _refused(services, volunteer_id: int) -> str:
    with pytest.raises(ValidationError) as err:
        services.volunteers.activate(volunteer_id)
    assert err.value.field == "status"
    assert services.volunteers.get(volunteer_id).status is not VolunteerStatus.ACTIVE
    return str(err.value)


def test_activation_refused_without_an_undertaking_or_any_check(coordinator) -> None:
    v = coordinator.volunteers.create(details(undertaking_version="", undertaking_signed_on=None))
    message = _refused(coordinator, v.id)
    assert "signed confidentiality undertaking" in message
    assert "DBS check" in message and "none is recorded" in message


def test_activation_refused_with_an_old_undertaking(coordinator) -> None:
    v = ready_volunteer(coordinator)
    coordinator.volunteers.set_current_undertaking_version("2")
    message = _refused(coordinator, v.id)
    assert "version 2" in message and "signed version 1" in message
    assert "DBS" not in message


def test_activation_refused_with_an_expired_check(coordinator) -> None:
    v = coordinator.volunteers.create(details())
    coordinator.dbs.record(v.id, check(issue_date=date(2023, 11, 25)))  # due 25 Nov 2026
    message = _refused(coordinator, v.id)
    assert "current DBS check" in message and "25 Nov 2026" in message


def test_a_check_due_today_is_still_current(coordinator) -> None:
    v = coordinator.volunteers.create(details())
    coordinator.dbs.record(v.id, check(issue_date=date(2023, 11, 26)))
    assert coordinator.volunteers.activate(v.id).status is VolunteerStatus.ACTIVE


def test_activation_refused_when_the_risk_decision_says_no_or_is_missing(coordinator) -> None:
    v = coordinator.volunteers.create(details())
    c = coordinator.dbs.record(v.id, disclosed(decision=None, decision_notes="", decided_by=""))
    assert "risk decision on the information" in _refused(coordinator, v.id)
    coordinator.dbs.update(c.id, disclosed(certificate_number=c.certificate_number,
                                           decision=RiskDecision.DO_NOT_PROCEED))
    assert "does not allow them to volunteer" in _refused(coordinator, v.id)
    coordinator.dbs.update(c.id, disclosed(certificate_number=c.certificate_number,
                                           decision=RiskDecision.PROCEED_WITH_CONDITIONS))
    assert coordinator.volunteers.activate(v.id).status is VolunteerStatus.ACTIVE


def test_activation_refused_below_the_required_level(coordinator) -> None:
    v = coordinator.volunteers.create(details())
    coordinator.dbs.record(v.id, check(level=DbsLevel.BASIC))
    assert "Enhanced with children's barred list" in _refused(coordinator, v.id)


def test_only_the_newest_check_counts(coordinator) -> None:
    v = coordinator.volunteers.create(details())
    coordinator.dbs.record(v.id, check(issue_date=date(2025, 1, 1)))
    coordinator.dbs.record(v.id, check(issue_date=date(2026, 2, 1), outcome=DbsOutcome.DISCLOSED,
                                       disclosed_information="Conviction",
                                       decision=RiskDecision.DO_NOT_PROCEED, decided_by="Chair"))
    _refused(coordinator, v.id)


def test_a_refused_activation_still_audits_the_opening_of_the_result(coordinator) -> None:
    v = coordinator.volunteers.create(details())
    c = coordinator.dbs.record(v.id, disclosed(decision=RiskDecision.DO_NOT_PROCEED))
    _refused(coordinator, v.id)
    opened = coordinator.audit.for_record(coordinator.session.actor, "dbs_check", c.id)
    assert [e.detail for e in opened if e.action == "DBS result opened"] == ["to check activation"]


def test_a_paused_volunteer_needs_the_same_to_come_back(coordinator, clock) -> None:
    v = ready_volunteer(coordinator)
    coordinator.volunteers.activate(v.id)
    assert coordinator.volunteers.pause(v.id).status is VolunteerStatus.PAUSED
    clock.advance(days=3 * 366)
    assert "current DBS check" in _refused(coordinator, v.id)


def test_an_unsatisfactory_new_check_pauses_an_active_volunteer(coordinator) -> None:
    v = ready_volunteer(coordinator)
    coordinator.volunteers.activate(v.id)
    coordinator.dbs.record(v.id, disclosed(issue_date=date(2026, 11, 1), decided_on=date(2026, 11, 5),
                                           decision=RiskDecision.DO_NOT_PROCEED))
    assert coordinator.volunteers.get(v.id).status is VolunteerStatus.PAUSED
    # The audit trail (plain inside the file) says it was paused, not why.
    [pause] = [e for e in coordinator.audit.for_record(coordinator.session.actor, "volunteer", v.id)
               if e.action == "volunteer paused"]
    assert pause.detail == "active to paused"


# ---- resignation and the retention clock ---------------------------------------------------
def test_resigning_needs_a_date(coordinator) -> None:
    v = ready_volunteer(coordinator)
    with pytest.raises(ValidationError) as err:
        coordinator.volunteers.resign(v.id, None, "Moving away")
    assert _field(err) == "resigned_on"
    with pytest.raises(ValidationError) as err:
        coordinator.volunteers.resign(v.id, date(2026, 11, 27), "Moving away")
    assert _field(err) == "resigned_on"
    with pytest.raises(ValidationError) as err:
        coordinator.volunteers.resign(v.id, date(2025, 12, 31), "Moving away")  # before start
    assert _field(err) == "resigned_on"
    assert coordinator.volunteers.get(v.id).status is VolunteerStatus.APPLICANT


def test_resignation_starts_the_three_year_retention_clock(coordinator) -> None:
    v = ready_volunteer(coordinator)
    r = coordinator.volunteers.resign(v.id, date(2026, 3, 31), "Moving away")
    assert r.status is VolunteerStatus.RESIGNED and r.retention_clock_starts == date(2026, 3, 31)
    assert r.resignation_reason == "Moving away"
    [ret] = coordinator.volunteers.retention_dates()
    assert (ret.volunteer_id, ret.resigned_on, ret.dispose_after) == (v.id, date(2026, 3, 31),
                                                                      date(2029, 3, 31))
    back = coordinator.volunteers.rejoin(v.id)
    assert back.status is VolunteerStatus.APPLICANT and back.resigned_on is None
    assert coordinator.volunteers.retention_dates() == []
    with pytest.raises(ValidationError):
        coordinator.volunteers.activate(coordinator.volunteers.resign(v.id, date(2026, 11, 1)).id)


# ---- the rota ------------------------------------------------------------------------------
def _session(services, on: date, start: str = "10:00") -> int:
    db = services.session.db
    with db.transaction():
        return SessionStore(db).insert(on, start, "12:00", 8)


def test_the_rota_and_who_was_on_duty(coordinator, volunteer) -> None:
    a = ready_volunteer(coordinator, full_name="Zoe Adams")
    b = ready_volunteer(coordinator, full_name="Ben Carter")
    for v in (a, b):
        coordinator.volunteers.activate(v.id)
    s = _session(coordinator, date(2026, 11, 28))
    coordinator.volunteers.assign(s, a.id, "door")
    coordinator.volunteers.assign(s, b.id)
    assert volunteer.volunteers.on_duty(s) == ["Ben Carter", "Zoe Adams"]
    assert [e.duty for e in coordinator.volunteers.rota(s)] == ["", "door"]
    [rs] = coordinator.volunteers.sessions_between(date(2026, 11, 1), date(2026, 11, 30))
    assert rs.on_duty == ("Ben Carter", "Zoe Adams")
    coordinator.volunteers.unassign(s, a.id)
    assert coordinator.volunteers.on_duty(s) == ["Ben Carter"]
    audit = coordinator.audit.for_record(coordinator.session.actor, "session", s)
    assert [e.action for e in audit].count("volunteer put on rota") == 2
    assert all("Zoe" not in e.detail and "Ben" not in e.detail for e in audit)


def test_only_active_volunteers_go_on_the_rota(coordinator) -> None:
    v = ready_volunteer(coordinator)
    s = _session(coordinator, date(2026, 11, 28))
    with pytest.raises(ValidationError) as err:
        coordinator.volunteers.assign(s, v.id)
    assert _field(err) == "volunteer"


def test_no_rota_place_after_the_dbs_check_falls_due(coordinator) -> None:
    v = coordinator.volunteers.create(details())
    coordinator.dbs.record(v.id, check(issue_date=date(2023, 12, 10)))  # due 10 Dec 2026
    coordinator.volunteers.activate(v.id)
    on_due_day = _session(coordinator, date(2026, 12, 10))
    after = _session(coordinator, date(2026, 12, 12))
    coordinator.volunteers.assign(on_due_day, v.id)
    with pytest.raises(ValidationError) as err:
        coordinator.volunteers.assign(after, v.id)
    assert _field(err) == "volunteer" and "10 Dec 2026" in str(err.value)
    coordinator.dbs.record(v.id, check(issue_date=date(2026, 11, 20)))
    coordinator.volunteers.assign(after, v.id)
    assert coordinator.volunteers.on_duty(after) == ["Alice Brown"]


def test_resigning_takes_a_volunteer_off_future_sessions_only(coordinator, clock) -> None:
    v = ready_volunteer(coordinator)
    coordinator.volunteers.activate(v.id)
    past = _session(coordinator, date(2026, 11, 21))
    future = _session(coordinator, date(2026, 12, 5))
    coordinator.volunteers.assign(past, v.id)
    coordinator.volunteers.assign(future, v.id)
    coordinator.volunteers.resign(v.id, date(2026, 11, 26), "Health")
    assert coordinator.volunteers.on_duty(past) == ["Alice Brown"]
    assert coordinator.volunteers.on_duty(future) == []


def test_a_finalised_sessions_rota_cannot_change(coordinator) -> None:
    v = ready_volunteer(coordinator)
    coordinator.volunteers.activate(v.id)
    s = _session(coordinator, date(2026, 11, 21))
    coordinator.volunteers.assign(s, v.id)
    db = coordinator.session.db
    with db.transaction():
        db.execute("UPDATE sessions SET finalised_at = '2026-11-21T12:05:00' WHERE id = ?", (s,))
    with pytest.raises(ValidationError):
        coordinator.volunteers.unassign(s, v.id)
    assert coordinator.volunteers.on_duty(s) == ["Alice Brown"]


# ---- roles ---------------------------------------------------------------------------------
def test_a_session_volunteer_cannot_see_or_change_volunteer_records(coordinator, volunteer) -> None:
    v = ready_volunteer(coordinator)
    s = _session(coordinator, date(2026, 11, 28))
    calls = [
        lambda: volunteer.volunteers.list(),
        lambda: volunteer.volunteers.overview(),
        lambda: volunteer.volunteers.get(v.id),
        lambda: volunteer.volunteers.create(details()),
        lambda: volunteer.volunteers.update(v.id, details()),
        lambda: volunteer.volunteers.activate(v.id),
        lambda: volunteer.volunteers.activation_gaps(v.id),
        lambda: volunteer.volunteers.pause(v.id),
        lambda: volunteer.volunteers.resign(v.id, date(2026, 11, 1)),
        lambda: volunteer.volunteers.retention_dates(),
        lambda: volunteer.volunteers.assign(s, v.id),
        lambda: volunteer.volunteers.rota(s),
        lambda: volunteer.volunteers.set_current_undertaking_version("9"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert volunteer.volunteers.on_duty(s) == []


# ---- the dashboard -------------------------------------------------------------------------
def test_the_dashboard_lists_checks_due_and_volunteers_lacking_things(coordinator, volunteer) -> None:
    overdue = coordinator.volunteers.create(details(full_name="Olive Overdue"))
    coordinator.dbs.record(overdue.id, check(issue_date=date(2023, 11, 1)))
    soon = coordinator.volunteers.create(details(full_name="Sunil Soon"))
    c = coordinator.dbs.record(soon.id, check(issue_date=date(2023, 12, 20)))  # due in 24 days
    later = coordinator.volunteers.create(details(full_name="Laura Later"))
    coordinator.dbs.record(later.id, check(issue_date=date(2025, 1, 1)))
    gone = coordinator.volunteers.create(details(full_name="Gary Gone"))
    coordinator.dbs.record(gone.id, check(issue_date=date(2023, 1, 1)))
    coordinator.volunteers.resign(gone.id, date(2026, 6, 1))
    coordinator.volunteers.create(details(full_name="Nina New", undertaking_version="",
                                          undertaking_signed_on=None, induction_on=None))
    sections = {s.title: s for s in coordinator.dashboard.sections()}
    dbs = sections["DBS checks"]
    texts = [i.text for i in dbs.items]
    assert texts[0] == "Olive Overdue: DBS renewal overdue"
    assert (dbs.items[0].severity, dbs.items[0].due) == ("overdue", date(2026, 11, 1))
    assert texts[1] == "Sunil Soon: DBS renewal due in 24 days"
    assert (dbs.items[1].severity, dbs.items[1].due) == ("warning", date(2026, 12, 20))
    assert not any("Laura" in t or "Gary" in t for t in texts)
    # A renewal in progress: still listed with its due date, but as information only.
    coordinator.dbs.record_renewal_application(c.id, date(2026, 11, 20))
    dbs = {s.title: s for s in coordinator.dashboard.sections()}["DBS checks"]
    item = next(i for i in dbs.items if "Sunil" in i.text)
    assert item.severity == "info" and item.due == date(2026, 12, 20)
    assert item.text == "Sunil Soon: DBS renewal in progress since 20 Nov 2026; warnings paused"
    gaps = [i.text for i in sections["Volunteers"].items]
    assert "Nina New (applicant): needs undertaking, induction and DBS check" in gaps
    assert not any("Gary" in t for t in gaps)
    assert {s.title for s in volunteer.dashboard.sections()}.isdisjoint({"DBS checks", "Volunteers"})


def test_overview_shows_the_due_date_and_stage(coordinator) -> None:
    v = coordinator.volunteers.create(details())
    coordinator.dbs.record(v.id, check(issue_date=date(2023, 12, 30), update_service=False))
    [row] = coordinator.volunteers.overview()
    assert row.dbs_due == date(2026, 12, 30) and row.dbs_stage is WarningStage.DAYS_60
    assert row.needs == ()
    coordinator.volunteers.resign(v.id, date(2026, 11, 1))
    [row] = coordinator.volunteers.overview()
    assert row.dbs_due == date(2026, 12, 30) and row.dbs_stage is None and row.needs == ()
