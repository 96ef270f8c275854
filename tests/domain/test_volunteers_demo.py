"""The demo vault's volunteers: every status, checks overdue and due soon, a rota."""

from collections import Counter
from datetime import date, timedelta

import pytest

from ccc_desktop.demo import DEMO_ACCOUNTS
from ccc_desktop.models.services.registry import Services
from ccc_desktop.models.services.statistics import previous_quarter
from ccc_desktop.models.volunteers_records import VolunteerStatus, WarningStage


@pytest.mark.dates
def test_demo_has_about_forty_volunteers_in_every_status(demo: Services) -> None:
    services = demo
    session = demo.session
    volunteers = services.volunteers.list()
    assert 35 <= len(volunteers) <= 45
    counts = Counter(v.status.value for v in volunteers)
    assert set(counts) == {"applicant", "active", "paused", "resigned"}
    stages = Counter(s for _c, s in services.dbs.attention())
    assert stages[WarningStage.OVERDUE] >= 2 and stages[WarningStage.DAYS_7] >= 1
    assert stages[WarningStage.DAYS_30] >= 1 and stages[WarningStage.PAUSED] >= 1
    assert any(v.needs_to_sign_again for v in volunteers)
    # The Session volunteer account belongs to a volunteer who is on the rota.
    sam = next(v for v in volunteers if v.name == DEMO_ACCOUNTS["volunteer"][0])
    assert sam.details.account_id is not None
    # What the demo promises: every session from three weeks before today to three weeks
    # after it has volunteers on duty (the rota screen opens on a week back, three ahead).
    today = session.clock.today()
    sessions = services.volunteers.sessions_between(today - timedelta(weeks=3), today + timedelta(weeks=3))
    assert len({s.session_date for s in sessions}) >= 6
    assert all(s.on_duty for s in sessions), [s.session_date for s in sessions if not s.on_duty]
    assert services.audit.verify(session.actor).ok



@pytest.mark.dates
def test_the_demo_rota_covers_every_session_so_every_quarter_counts_volunteer_hours(
        demo: Services) -> None:
    services = demo
    today = demo.session.clock.today()
    # Every session the demo has (two years back, the old families' sessions before that, and
    # three weeks ahead) has volunteers on duty.
    sessions = services.volunteers.sessions_between(date(2000, 1, 1), today + timedelta(weeks=3))
    assert len(sessions) >= 100
    assert all(len(s.on_duty) >= 2 for s in sessions), [
        s.session_date for s in sessions if len(s.on_duty) < 2]
    stats = services.statistics
    first, last = stats.default_period()  # the quarter just ended
    quarter = stats.figures(first, last)
    held = quarter["sessions.offered"]
    assert held >= 12
    # Three or four volunteers on each two-hour session (minutes in the ledger).
    assert 3 * 120 * held <= quarter["volunteers.hours"] <= 4 * 120 * held
    assert quarter["volunteers.on_duty"] >= 4
    # Every quarter of the two years has hours, not only the weeks around today.
    for _ in range(8):
        assert stats.figures(first, last)["volunteers.hours"] > 0, first
        first, last = previous_quarter(first)
    # Volunteers who have resigned since served in their time, and their hours count.
    resigned = {v.id for v in services.volunteers.list(VolunteerStatus.RESIGNED)}
    behind = stats.records_behind(today - timedelta(days=730), today, "volunteers.hours")
    assert resigned & {line.record_id for line in behind.lines}
