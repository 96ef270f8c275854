"""The demo vault's families: about 200, two years of Saturdays with attendance, paperwork."""

from collections import Counter
from datetime import timedelta

import pytest

from ccc_desktop.models.services.registry import Services


@pytest.mark.dates
def test_demo_has_two_years_of_families_and_registers(demo: Services) -> None:
    s = demo
    session = demo.session
    today = session.clock.today()
    rows = s.families.search("", limit=1000)
    assert 190 <= len(rows) <= 210
    statuses = Counter(r.status.value for r in rows)
    assert {"received", "accepted", "closed", "declined"} <= set(statuses)
    assert statuses["accepted"] >= 30
    # Families 1 and 2 are current (the legal demo uses them).
    assert {r.id: r.status.value for r in rows}[1] == "accepted"
    sessions = s.bookings.sessions_between(today - timedelta(days=740), today)
    assert len(sessions) >= 100 and all(x.booked <= x.capacity for x in sessions)
    assert sum(x.finalised for x in sessions) >= 95
    [latest] = [d for d in s.register.day(sessions[-1].session_date)]
    assert latest.entries and latest.on_duty
    assert any(e.arrived_at for e in latest.entries)
    log = s.disclosures.log()
    assert sum(d.answer == "attendance" for d in log) >= 10
    assert any(d.answer == "beyond" and d.ground and d.authorised_by for d in log)
    assert any(c.holds for c in s.families.retention_candidates())
    assert len(s.families.lacking_ground_rules()) >= 1
    assert s.families.reviews_due()
    consents = [c for r in rows[:200] for c in s.families.consents(r.id)]
    assert len(consents) >= 15 and any(c.withdrawn_on for c in consents)
    # Last-used dates follow the history, not the day the demo was built.
    assert min(c.last_used_on for c in s.families.retention_candidates()) < today - timedelta(days=300)
    # Family 1: a summons names it, an agreement is in force and a session is an assessment.
    assert s.agreements.status_for_family(1).in_force
    assert any(b.assessment for b in s.bookings.for_family(1))
    assert any(x.family_id == 1 for x in s.summonses.all(open_only=True))


@pytest.mark.dates
def test_demo_families_cancel_now_and_then_so_sessions_are_not_all_full(demo: Services) -> None:
    stats = demo.statistics
    quarter = stats.figures(*stats.default_period())
    assert quarter["sessions.cancelled"] >= 1
    assert quarter["sessions.booked"] < quarter["sessions.capacity"]
    # A cancelled booking stays cancelled on the register: no arrival, absence or no-show.
    cancelled = [b for r in demo.families.search("", limit=1000)
                 for b in demo.bookings.for_family(r.id) if b.status.value == "cancelled"]
    assert cancelled and not any(b.arrived_at for b in cancelled)
