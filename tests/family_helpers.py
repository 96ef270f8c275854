"""Shared builders for the families tests."""

from __future__ import annotations

from datetime import date

from ccc_desktop.models.families_records import AdultInput, ChildInput, ReferralInput
from ccc_desktop.models.services.registry import Services

SATURDAY = date(2026, 11, 21)  # the Saturday before the fixed clock's 26 Nov 2026


def referral(**kw: object) -> ReferralInput:
    values: dict[str, object] = {"referral_date": "02/09/2026", "route": "solicitor",
                                 "referrer_name": "Ann Solicitor", "referrer_organisation": "Brook & Hale",
                                 "referrer_contact": "01234 567890", "court_order": True}
    values.update(kw)
    return ReferralInput(**values)  # type: ignore[arg-type]


def resident(**kw: object) -> AdultInput:
    values: dict[str, object] = {"full_name": "Jane Example", "role": "resident parent",
                                 "address": "1 Secret Street, Hidden Town HT1 1AA",
                                 "phone": "07700 900123", "email": "jane@example.org",
                                 "arrive_minutes_before": 15, "leave_minutes_after": 15,
                                 "ground_rules_on": "10/09/2026", "policy_agreed_on": "10/09/2026"}
    values.update(kw)
    return AdultInput(**values)  # type: ignore[arg-type]


def visiting(**kw: object) -> AdultInput:
    values: dict[str, object] = {"full_name": "John Example", "role": "visiting parent",
                                 "address": "9 Private Road, Elsewhere EL9 9ZZ",
                                 "phone": "07700 900456", "email": "john@example.org",
                                 "ground_rules_on": "11/09/2026", "policy_agreed_on": "11/09/2026"}
    values.update(kw)
    return AdultInput(**values)  # type: ignore[arg-type]


def child(**kw: object) -> ChildInput:
    values: dict[str, object] = {"full_name": "Amy Example", "date_of_birth": "14/03/2019",
                                 "needs": "Nut allergy"}
    values.update(kw)
    return ChildInput(**values)  # type: ignore[arg-type]


def accepted_family(s: Services, **kw: object) -> int:
    fid = s.families.create(referral(), [resident(**kw), visiting()], [child()])
    s.families.record_previsit(fid, "15/09/2026", "Carol Dean", "Checklist done")
    s.families.set_status(fid, "accepted")
    return fid


def saturday_session(s: Services, on: date = SATURDAY, capacity: int = 8) -> int:
    return s.bookings.add_session(on.strftime("%d/%m/%Y"), "10:00", "12:00", capacity)
