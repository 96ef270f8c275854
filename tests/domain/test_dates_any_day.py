"""What depends on "today" works on any day: these tests stand on the run's pinned day (TODAY in
conftest; `.ci/run` repeats them on 31 Jan, 28 Feb 2027, 29 Feb 2028, 28 Mar 2027 and 31 Dec).

Expectations are worked out here from the pinned day with the test's own calendar arithmetic,
never from the wall clock and never from the application's date helpers.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from dataprot_fakes import FakeSource, only_retention_sources
from date_helpers import months_later, years_later
from family_helpers import child, referral, resident, visiting
from volunteer_helpers import check, details

from ccc_desktop.demo import DEMO_ACCOUNTS, build_demo
from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.dates import format_entry
from ccc_desktop.models.services.dashboard import DashboardItem
from ccc_desktop.models.services.families import families_section
from ccc_desktop.models.services.policy import policy_section
from ccc_desktop.models.services.registry import Services, build_services
from ccc_desktop.models.services.retention import DUE, SOON
from ccc_desktop.models.vault import Vault
from ccc_desktop.models.volunteers_records import WarningStage

pytestmark = pytest.mark.dates


def section(services: Services, title: str) -> list[DashboardItem]:
    return next(s for s in services.dashboard.sections() if s.title == title).items


# ---- the demo, built on the pinned day ----------------------------------------------------------
def check_demo_stands_on(s: Services, today: date) -> None:
    """The demo's deadlines are placed relative to the day it was built: what it promises."""
    assert s.session.clock.today() == today
    # Subject access: open requests received 9, 12 and 27 days ago, each due a calendar month on.
    open_requests = s.subject_access.list(open_only=True)
    received = {r.received_on for r in open_requests}
    assert {today - timedelta(days=12), today - timedelta(days=27)} <= received
    for r in open_requests:
        assert r.due_on == months_later(r.received_on, 1)
        assert r.days_left(today) == (r.due_on - today).days
    sar = section(s, "Subject access requests")
    assert sorted(i.due for i in sar if i.due) == sorted(r.due_on for r in open_requests)
    nearly = [i for i in sar if i.due == months_later(today - timedelta(days=27), 1)]
    assert nearly and nearly[0].severity == "warning"
    # DBS: overdue, due within 7 and within 30 days, each stage agreeing with its due date.
    stages: dict[WarningStage, list[int]] = {}
    for c, stage in s.dbs.attention():
        days = (c.renewal_due - today).days
        stages.setdefault(stage, []).append(days)
        if stage is WarningStage.OVERDUE:
            assert days < 0
        elif stage is WarningStage.DAYS_7:
            assert 0 <= days <= 7
        elif stage is WarningStage.DAYS_30:
            assert 7 < days <= 30
        elif stage is WarningStage.DAYS_60:
            assert 30 < days <= 60
    assert len(stages[WarningStage.OVERDUE]) >= 2 and stages[WarningStage.DAYS_7]
    assert stages[WarningStage.DAYS_30]
    assert {i.due for i in section(s, "DBS checks")} == {c.renewal_due for c, _ in s.dbs.attention()}
    # Family reviews: due within 30 days of today or overdue, and the dashboard says which.
    reviews = s.families.reviews_due()
    assert reviews and all((due - today).days <= 30 for _f, _r, due in reviews)
    assert any(due < today for _f, _r, due in reviews)
    fam = families_section(s)
    assert fam is not None
    for _fid, ref, due in reviews:
        if due < today:
            assert any(ref in i.text and i.severity == "overdue" and i.due == due for i in fam.items)
    # The policy: last reviewed eleven months and twelve days ago, so due in the coming weeks.
    status = s.policy.review_status()
    assert status.last_review is not None and status.next_due is not None
    reviewed = months_later(today, -11) - timedelta(days=12)
    assert status.last_review.reviewed_on == reviewed
    assert status.next_due == years_later(reviewed, 1)
    assert 0 < (status.next_due - today).days <= 30
    [item] = section(s, "Confidentiality policy")
    assert item.severity == "warning" and f"due in {(status.next_due - today).days} day" in item.text
    # Retention: due on or before today, falling due within the next 90 days.
    report = s.retention.report()
    assert report.due and all(i.due_on <= today for i in report.due)
    assert all(today < i.due_on <= today + timedelta(days=90) for i in report.items if i.status == SOON)
    # The rota: every session three weeks either side of today has people on duty.
    rota = s.volunteers.sessions_between(today - timedelta(weeks=3), today + timedelta(weeks=3))
    assert len({r.session_date for r in rota}) >= 6 and all(r.on_duty for r in rota)


def test_the_demo_stands_on_the_pinned_day(demo: Services, today: date) -> None:
    check_demo_stands_on(demo, today)


def test_a_demo_built_on_29_february_2028_is_relative_to_that_day(tmp_path: Path) -> None:
    leap = datetime(2028, 2, 29, 9, 30)
    build_demo(tmp_path / "demo", FixedClock(leap))
    session = Vault(tmp_path / "demo", FixedClock(leap)).unlock(
        "coordinator", DEMO_ACCOUNTS["coordinator"][1])
    try:
        s = build_services(session)
        check_demo_stands_on(s, date(2028, 2, 29))
        # Received 27 days before 29 Feb 2028 (2 Feb): due 2 Mar 2028, 2 days left.
        [item] = [i for i in section(s, "Subject access requests") if i.due == date(2028, 3, 2)]
        assert item.text.endswith(": 2 days left")
    finally:
        session.lock("logged out")


# ---- each area on the pinned day ----------------------------------------------------------------
def test_family_reviews_fall_due_three_months_after_the_first_session(coordinator: Services,
                                                                      today: date) -> None:
    s = coordinator
    first = months_later(today, -3)  # the review falls due today, or a day or two before
    fid = s.families.create(referral(referral_date=format_entry(first - timedelta(days=40))),
                            [resident(ground_rules_on=format_entry(first - timedelta(days=20)),
                                      policy_agreed_on=format_entry(first - timedelta(days=20))),
                             visiting(ground_rules_on=format_entry(first - timedelta(days=20)),
                                      policy_agreed_on=format_entry(first - timedelta(days=20)))],
                            [child()])
    s.families.record_previsit(fid, format_entry(first - timedelta(days=14)), "Carol Dean", "Done")
    s.families.set_status(fid, "accepted")
    sid = s.bookings.add_session(format_entry(first), "10:00", "12:00", 8)
    s.register.arrive(s.bookings.book(fid, sid), "10:00")
    due = months_later(first, 3)
    assert s.families.get(fid).next_review_due == due
    [(got_fid, ref, got_due)] = s.families.reviews_due()
    assert (got_fid, got_due) == (fid, due)
    fam = families_section(s)
    assert fam is not None
    expected = "overdue" if due < today else "warning"
    assert any(ref in i.text and i.due == due and i.severity == expected for i in fam.items), fam.items
    s.families.record_review(fid, format_entry(today), "Going well")
    assert s.families.get(fid).next_review_due == months_later(today, 6)
    assert s.families.reviews_due() == []


@pytest.mark.parametrize("days_left, stage", [
    (-1, WarningStage.OVERDUE), (0, WarningStage.DAYS_7), (7, WarningStage.DAYS_7),
    (8, WarningStage.DAYS_30), (30, WarningStage.DAYS_30), (31, WarningStage.DAYS_60),
    (60, WarningStage.DAYS_60), (61, WarningStage.NONE)])
def test_dbs_warnings_are_staged_from_the_pinned_day(coordinator: Services, today: date,
                                                     days_left: int, stage: WarningStage) -> None:
    due = today + timedelta(days=days_left)
    issue = years_later(due, -3)
    if years_later(issue, 3) != due:  # 29 Feb three years on does not exist: nothing to test
        pytest.skip(f"no issue date is three years before {due}")
    started = issue - timedelta(days=30)
    v = coordinator.volunteers.create(details(
        start_date=started, induction_on=started, safeguarding_on=started,
        undertaking_signed_on=started, policy_read_on=started))
    coordinator.dbs.record(v.id, check(issue_date=issue))
    [latest] = coordinator.dbs.latest()
    assert latest.renewal_due == due and latest.stage(today) is stage
    items = section(coordinator, "DBS checks")
    if stage is WarningStage.NONE:
        assert items == []
    else:
        [item] = items
        assert item.due == due
        word = {-1: "overdue", 0: "due today", 1: "due in 1 day"}.get(days_left, f"due in {days_left} days")
        assert word in item.text


def test_retention_is_due_exactly_three_years_after_last_use(coordinator: Services, today: date,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    fam = FakeSource("family", "last used", "F")
    only_retention_sources(monkeypatch, coordinator, fam)
    fam.install(coordinator.session)
    exactly = years_later(today, -3)
    fam.add(coordinator.session, "Exactly three years", exactly)
    fam.add(coordinator.session, "A day short", exactly + timedelta(days=1))
    fam.add(coordinator.session, "Due on day 90", years_later(today + timedelta(days=90), -3))
    fam.add(coordinator.session, "Used lately", today - timedelta(days=30))
    got = {i.label: (i.status, i.due_on) for i in coordinator.retention.report().items}
    assert got["Exactly three years"] == (DUE, years_later(exactly, 3))
    assert got["A day short"][0] == (DUE if years_later(exactly + timedelta(days=1), 3) <= today else SOON)
    assert got["Due on day 90"][0] == SOON
    assert "Used lately" not in got


def test_subject_access_deadlines_count_from_the_pinned_day(coordinator: Services, today: date) -> None:
    sar = coordinator.subject_access
    month_ago = months_later(today, -1)
    a = sar.log("Dana Whitfield", "Photo ID", format_entry(month_ago))
    b = sar.log("Errol Pike", "Photo ID", format_entry(today))
    sar.log("Fay Lund", "Photo ID", format_entry(month_ago - timedelta(days=1)))
    assert a.due_on == months_later(month_ago, 1) and b.due_on == months_later(today, 1)
    left = {r.requester_name: r.days_left(today) for r in sar.list(open_only=True)}
    assert left["Errol Pike"] == (months_later(today, 1) - today).days >= 28
    assert left["Fay Lund"] < 0
    items = {i.text.split(":")[0].removeprefix("Subject access request from "): i
             for i in section(coordinator, "Subject access requests")}
    assert items["Fay Lund"].severity == "overdue" and "overdue by" in items["Fay Lund"].text
    if a.due_on == today:
        assert items["Dana Whitfield"].text.endswith("due today")
    assert items["Errol Pike"].severity == "info" and items["Errol Pike"].due == b.due_on


def test_policy_review_warns_thirty_days_ahead_of_the_pinned_day(coordinator: Services,
                                                                 today: date) -> None:
    policy = coordinator.policy
    reviewed = years_later(today, -1) - timedelta(days=1)  # a year and a day ago: overdue
    policy.record_review(format_entry(reviewed), "Management committee", "")
    [item] = policy_section(coordinator).items  # type: ignore[union-attr]
    assert item.severity == "overdue" and item.due == years_later(reviewed, 1)
    policy.record_review(format_entry(today - timedelta(days=1)), "Management committee", "")
    assert policy.review_status().next_due == years_later(today - timedelta(days=1), 1)
    assert policy_section(coordinator).items == []  # type: ignore[union-attr]


def test_the_clock_fixture_stands_on_the_pinned_day(clock: FixedClock, today: date,
                                                    coordinator: Services) -> None:
    assert clock.now() == datetime.combine(today, time(9, 30))
    assert coordinator.session.clock.today() == today

