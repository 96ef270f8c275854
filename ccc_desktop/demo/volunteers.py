"""Demo volunteers: about forty in every status, DBS checks overdue, due soon and fine, and a
rota over every session the demo has, two years back and three weeks ahead, so the statistics
count volunteers and their hours in every quarter. Fictional people, made through the real
services."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ccc_desktop.demo.context import at
from ccc_desktop.demo.names import address, person, phone
from ccc_desktop.models.dates import add_years
from ccc_desktop.models.roles import Role
from ccc_desktop.models.storage.sessions import SessionStore
from ccc_desktop.models.volunteers_records import (
    DbsCheckInput,
    DbsLevel,
    DbsOutcome,
    RiskDecision,
    VolunteerDetails,
    VolunteerRole,
    VolunteerStatus,
)

if TYPE_CHECKING:
    from ccc_desktop.demo.context import DemoContext


@dataclass(frozen=True)
class Plan:
    status: VolunteerStatus
    due_in: int | None              # days from today to the DBS renewal due date; None: no check
    update_service: bool = False
    renewal_applied: bool = False
    disclosed: RiskDecision | None = None  # a check with information disclosed, and the decision
    pending_decision: bool = False
    old_undertaking: bool = False   # signed version 1 only: must sign version 2
    no_undertaking: bool = False
    no_induction: bool = False
    stale_safeguarding: bool = False
    resigned_days_ago: int = 0
    roles: tuple[VolunteerRole, ...] = (VolunteerRole.SESSION,)


A, AP, P, R = (VolunteerStatus.ACTIVE, VolunteerStatus.APPLICANT, VolunteerStatus.PAUSED,
               VolunteerStatus.RESIGNED)
PLANS: list[Plan] = [
    # Active: overdue, due in 7/30/60 days, and plenty that are fine.
    Plan(A, -3), Plan(A, -20, renewal_applied=True), Plan(A, -45, update_service=True),
    Plan(A, 2), Plan(A, 6, renewal_applied=True), Plan(A, 12), Plan(A, 19, update_service=True),
    Plan(A, 27), Plan(A, 41), Plan(A, 55),
    Plan(A, 120), Plan(A, 160, old_undertaking=True), Plan(A, 210), Plan(A, 260, update_service=True),
    Plan(A, 300, roles=(VolunteerRole.SESSION, VolunteerRole.COMMITTEE)), Plan(A, 340),
    Plan(A, 400, disclosed=RiskDecision.PROCEED), Plan(A, 450, stale_safeguarding=True),
    Plan(A, 520), Plan(A, 600, old_undertaking=True), Plan(A, 700),
    Plan(A, 760, disclosed=RiskDecision.PROCEED_WITH_CONDITIONS), Plan(A, 830),
    Plan(A, 900, roles=(VolunteerRole.COORDINATOR, VolunteerRole.SESSION)),
    # Applicants: from nothing yet to ready to start.
    Plan(AP, None, no_undertaking=True, no_induction=True), Plan(AP, None),
    Plan(AP, 1000, pending_decision=True), Plan(AP, 1050), Plan(AP, 1080, no_induction=True),
    Plan(AP, 990, disclosed=RiskDecision.PROCEED),
    # Paused.
    Plan(P, -60), Plan(P, 500), Plan(P, 700, disclosed=RiskDecision.DO_NOT_PROCEED),
    Plan(P, 300, update_service=True),
    # Resigned, some long enough ago that the record is due for disposal.
    Plan(R, 200, resigned_days_ago=40), Plan(R, 90, resigned_days_ago=200),
    Plan(R, -300, resigned_days_ago=500), Plan(R, -700, resigned_days_ago=900),
    Plan(R, -900, resigned_days_ago=1130), Plan(R, -1000, resigned_days_ago=1300),
]

DISCLOSURES = {
    RiskDecision.PROCEED: ("Caution for shoplifting, 2004 (aged 19).",
                           "Single minor matter over twenty years ago; disclosed at interview."),
    RiskDecision.PROCEED_WITH_CONDITIONS: (
        "Conviction for drink-driving, 2015.",
        "Not relevant to work with children; not to drive families or children."),
    RiskDecision.DO_NOT_PROCEED: ("Conviction for assault, 2021.",
                                  "Recent violence: not suitable for contact sessions."),
}


def step(ctx: DemoContext) -> None:
    services = ctx.services
    rng = ctx.rng
    today = ctx.today
    session = services.session
    real_clock = session.clock
    used: set[str] = set()
    certificates: set[str] = set()
    years = services.dbs.renewal_years()
    accounts = [a for a in services.accounts.list() if a.role is Role.VOLUNTEER]
    # Who may be on a past rota, and until when: pausing and resigning wait until the rota is
    # made (only active volunteers can be put on it).
    serving: dict[int, date] = {}
    to_pause: list[int] = []
    to_resign: list[tuple[int, date]] = []
    keep_old_undertaking: set[int] = set()

    def certificate() -> str:
        while True:
            number = f"{rng.randint(0, 999_999_999_999):012d}"
            if number not in certificates:
                certificates.add(number)
                return number

    try:
        for plan in PLANS:
            ready = plan.status is A and (plan.due_in or 0) >= 120 and not plan.old_undertaking
            account = accounts.pop(0) if accounts and ready else None
            while True:
                first, last = person(rng)
                if account is not None:  # the Session volunteer accounts belong to real rota people
                    first, last = account.display_name.split(" ", 1)
                name = f"{first} {last}"
                if name not in used:
                    used.add(name)
                    break
            # Issue the check so that it falls due on the planned day.
            due = today + timedelta(days=plan.due_in) if plan.due_in is not None else None
            if due is None:
                issue = None
            elif plan.update_service:
                issue = add_years(due, -1) - timedelta(days=rng.randint(400, 900))
            else:
                issue = add_years(due, -years)
            refused = plan.disclosed is RiskDecision.DO_NOT_PROCEED
            earliest = (issue - timedelta(days=400)) if (issue and refused) else issue
            if plan.stale_safeguarding:
                started = add_years(today, -4)
            elif earliest is not None:
                started = earliest - timedelta(days=rng.randint(20, 90))
            else:
                started = today - timedelta(days=rng.randint(5, 40))
            # "Now" while the record is set up: the past for those made active long ago, so
            # they were active on a then-current check.
            as_of = min(today, due) if due else today
            if plan.resigned_days_ago:
                as_of = min(as_of, today - timedelta(days=plan.resigned_days_ago + 1))
            at(ctx, as_of)
            trained = min(started + timedelta(days=rng.randint(3, 20)), as_of)
            safeguarding = (started + timedelta(days=10) if plan.stale_safeguarding
                            else max(started, as_of - timedelta(days=rng.randint(60, 300))))
            signed = None if plan.no_undertaking else trained
            v = services.volunteers.create(VolunteerDetails(
                full_name=name, address=address(rng), phone=phone(rng),
                email=f"{first.lower()}.{last.lower().replace(' ', '')}@example.org.uk",
                date_of_birth=date(rng.randint(1950, 2002), rng.randint(1, 12), rng.randint(1, 28)),
                start_date=started, roles=frozenset(plan.roles),
                references_received=1 if plan.status is AP and plan.due_in is None else 2,
                induction_on=None if plan.no_induction else trained,
                safeguarding_on=None if plan.no_induction else safeguarding,
                undertaking_version="" if signed is None else "1", undertaking_signed_on=signed,
                policy_read_on=signed, court_clause_acknowledged=signed is not None,
                account_id=account.id if account else None))
            if plan.old_undertaking or plan.no_undertaking:
                keep_old_undertaking.add(v.id)
            if issue is not None and due is not None:
                if refused:
                    # Active first on an earlier clear certificate; the new one pauses them.
                    at(ctx, issue - timedelta(days=380))
                    services.dbs.record(v.id, DbsCheckInput(
                        level=DbsLevel.ENHANCED_BARRED, certificate_number=certificate(),
                        issue_date=issue - timedelta(days=400), id_checked_by="Carol Dean",
                        outcome=DbsOutcome.CLEAR))
                    services.volunteers.activate(v.id)
                    at(ctx, as_of)
                decision = plan.disclosed
                disclosed_text, notes = DISCLOSURES[decision] if decision else ("", "")
                if plan.pending_decision:
                    disclosed_text = "Caution for possession of cannabis, 2010."
                services.dbs.record(v.id, DbsCheckInput(
                    level=DbsLevel.ENHANCED_BARRED, certificate_number=certificate(),
                    issue_date=issue, id_checked_by=rng.choice(["Carol Dean", "Margaret Holt"]),
                    outcome=DbsOutcome.DISCLOSED if disclosed_text else DbsOutcome.CLEAR,
                    disclosed_information=disclosed_text, decision=decision, decision_notes=notes,
                    decided_by="Margaret Holt" if decision else "",
                    decided_on=min(issue + timedelta(days=5), as_of) if decision else None,
                    update_service=plan.update_service,
                    last_status_check=add_years(due, -1) if plan.update_service else None))
                if plan.status is not AP and not refused:
                    services.volunteers.activate(v.id)
            session.clock = real_clock
            if plan.status is P:
                to_pause.append(v.id)
                serving[v.id] = today - timedelta(weeks=PAUSED_WEEKS_AGO)
            elif plan.status is R:
                resigned_on = today - timedelta(days=plan.resigned_days_ago)
                to_resign.append((v.id, resigned_on))
                serving[v.id] = resigned_on
            elif plan.status is A:
                serving[v.id] = date.max
            checks = services.dbs.list(v.id)
            if plan.renewal_applied and checks:
                services.dbs.record_renewal_application(
                    checks[0].id, today - timedelta(days=rng.randint(3, 12)))
    finally:
        session.clock = real_clock

    resigning = {volunteer_id for volunteer_id, _on in to_resign}
    # The centre revised its undertaking this year: most have signed the new version since.
    services.volunteers.set_current_undertaking_version("2")
    for v in services.volunteers.list():
        if v.id in keep_old_undertaking or v.id in resigning:
            continue
        signed = max(today - timedelta(days=rng.randint(5, 120)), v.details.start_date or today)
        services.volunteers.update(v.id, replace(v.details, undertaking_version="2",
                                                 undertaking_signed_on=signed, policy_read_on=signed))
    _rota(ctx, serving)
    try:
        for volunteer_id in to_pause:
            at(ctx, serving[volunteer_id])
            services.volunteers.pause(volunteer_id)
    finally:
        session.clock = real_clock
    for volunteer_id, resigned_on in to_resign:
        services.volunteers.resign(volunteer_id, resigned_on,
                                   rng.choice(["Moving away", "Work commitments",
                                               "Caring for a relative", "Starting college", ""]))


PAUSED_WEEKS_AGO = 8  # the paused volunteers last served about two months ago


def _rota(ctx: DemoContext, serving: dict[int, date]) -> None:
    """Three or four volunteers on every session not yet finalised, from the oldest to three
    weeks after the next Saturday (Saturday sessions are made here for those seven weeks if no
    other step made them). A volunteer serves from their induction (or start) until the day they
    resigned or paused (``serving``), while their DBS check is current: so every quarter's
    statistics have volunteers and hours, and every session from three weeks before today to
    three weeks after it has people on duty."""
    services = ctx.services
    db = services.session.db
    store = SessionStore(db)
    today = ctx.today
    saturday = today + timedelta(days=(5 - today.weekday()) % 7)
    for week in range(-3, 4):
        day = saturday + timedelta(weeks=week)
        if not store.on_date(day):
            with db.transaction():
                for start, end in (("10:00", "12:00"), ("13:30", "15:30")):
                    store.insert(day, start, end, 8)
    sessions = [info for info in services.bookings.sessions_between(
        date(1900, 1, 1), saturday + timedelta(weeks=3)) if not info.finalised]
    active = {v.id: v for v in services.volunteers.list(VolunteerStatus.ACTIVE) if v.id in serving}
    due = {c.volunteer_id: c.renewal_due for c in services.dbs.latest()}
    duties = ["door", "play room", "handover", ""]
    for info in sessions:
        on = info.session_date
        current = sorted(i for i, v in active.items()
                         if due.get(i) and due[i] >= on and serving[i] > on
                         and (v.details.induction_on or v.details.start_date or on) <= on)
        team = ctx.rng.sample(current, k=min(len(current), ctx.rng.choice((3, 4))))
        for volunteer_id, duty in zip(team, duties, strict=False):
            services.volunteers.assign(info.id, volunteer_id, duty)
