"""Builders shared by the volunteer tests (today is 26 Nov 2026 in every test)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ccc_desktop.models.services.registry import Services
from ccc_desktop.models.volunteers_records import (
    DbsCheckInput,
    DbsLevel,
    DbsOutcome,
    RiskDecision,
    Volunteer,
    VolunteerDetails,
    VolunteerRole,
)

TODAY = date(2026, 11, 26)
_cert = iter(range(1, 10_000))


def details(**kw: object) -> VolunteerDetails:
    base = VolunteerDetails(
        full_name="Alice Brown", address="3 Elm Row\nChesterfield S41 2BB", phone="01246 555123",
        email="alice@example.org", date_of_birth=date(1980, 5, 4), start_date=date(2026, 1, 10),
        roles=frozenset({VolunteerRole.SESSION}), references_received=2,
        induction_on=date(2026, 1, 12), safeguarding_on=date(2026, 1, 20),
        undertaking_version="1", undertaking_signed_on=date(2026, 1, 12),
        policy_read_on=date(2026, 1, 12), court_clause_acknowledged=True)
    return replace(base, **kw)  # type: ignore[arg-type]


def check(**kw: object) -> DbsCheckInput:
    base = DbsCheckInput(
        level=DbsLevel.ENHANCED_BARRED, certificate_number=f"00123456{next(_cert):04d}",
        issue_date=date(2026, 1, 5), id_checked_by="Carol Dean", outcome=DbsOutcome.CLEAR)
    return replace(base, **kw)  # type: ignore[arg-type]


def disclosed(**kw: object) -> DbsCheckInput:
    values: dict[str, object] = dict(
        outcome=DbsOutcome.DISCLOSED,
        disclosed_information="Caution for criminal damage, 1999 (aged 19)",
        decision=RiskDecision.PROCEED, decision_notes="Old, minor, unrelated to children.",
        decided_by="Margaret Holt", decided_on=date(2026, 1, 9))
    values.update(kw)
    return check(**values)


def ready_volunteer(services: Services, **kw: object) -> Volunteer:
    """An applicant with everything activation needs."""
    v = services.volunteers.create(details(**kw))
    services.dbs.record(v.id, check())
    return v
