"""Demo families: about 200 fictional referrals, two years of Saturday sessions with bookings
and attendance, safety arrangements, consents, disclosure requests and an incident.

Made through the real services. The session clock is moved to each event's day while it is
recorded, so last-used dates, referral dates and the audit trail look like two real years.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ccc_desktop.demo.context import SEED, accept_after_previsit, at
from ccc_desktop.demo.names import FIRST, LAST, address, phone
from ccc_desktop.models.dates import format_entry
from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.families_records import (
    AdultInput,
    ChildInput,
    ExceptionGround,
    IncidentInput,
    ReferralInput,
)
from ccc_desktop.models.storage.accounts import AccountStore

if TYPE_CHECKING:
    from ccc_desktop.demo.context import DemoContext

FAMILIES = 200
CAPACITY = 14
CANCELLED_SHARE = 0.05  # bookings the family cancels a few days ahead
ROUTES = ["solicitor"] * 5 + ["cafcass"] * 4 + ["self"] * 3 + ["social services"] * 2 + ["other"]
ORGS = {"solicitor": ["Brook & Hale LLP", "Moorside Family Law", "Spire Solicitors"],
        "cafcass": ["Cafcass East Midlands"], "social services": ["Derbyshire Children's Services"],
        "self": [""], "other": ["Citizens Advice Chesterfield", "Women's Aid North Derbyshire"]}
NEEDS = ["", "", "", "", "Nut allergy", "Asthma: inhaler in bag", "Autistic: prefers the quiet room",
         "Dairy-free snacks", "Wears hearing aids", "Shy at first; bring the Lego"]
ABSENCE = ["Child unwell", "Visiting parent working", "Car broke down", "Family holiday",
           "Child at a birthday party", "Snow: roads closed"]
MUST_NOT = ["Paternal grandfather", "Resident parent's new partner", "Maternal uncle",
            "Visiting parent's brother"]
SAFETY_NOTES = ["Resident parent uses the side door on Mill Lane.",
                "Handover in the small room; volunteer walks the child across.",
                "Parents must not meet: keep them in separate rooms at handover.",
                "Visiting parent waits in the car until called."]

# Why referrals were turned down or closed (issue 14), by turns: no extra random draws, so the
# rest of the demo stays as it was.
DECLINE_CYCLE = ("no place", "not suitable", "outside area")
CLOSE_CYCLE = ("own arrangements", "own arrangements", "another centre", "court order changed",
               "family withdrew", "own arrangements")


def _name(ctx: DemoContext, last: str | None = None) -> str:
    return f"{ctx.rng.choice(FIRST)} {last or ctx.rng.choice(LAST)}"


def step(ctx: DemoContext) -> None:
    s = ctx.services
    real_clock = s.session.clock
    today = ctx.today
    start = today - timedelta(days=730)
    try:
        with s.session.db.transaction():
            at(ctx, start - timedelta(days=30))
            pattern = s.bookings.add_pattern(5, "10:00", "12:00", CAPACITY, "Saturday morning")
            # Up to three weeks past the next Saturday: as far as the volunteers' rota reaches.
            saturday = today + timedelta(days=(5 - today.weekday()) % 7)
            session_ids = s.bookings.ensure_sessions(pattern, start - timedelta(days=7),
                                                     saturday + timedelta(weeks=3))
            sessions = _session_dates(s, session_ids)
            chair = AccountStore(s.session.db).by_username("chair")
            families = []
            for i in range(FAMILIES):
                families.append(_family(ctx, i, start, today, sessions))
            _registers(ctx, sessions, today)
            _paperwork(ctx, families, today, chair.id if chair else None)
            _old_families(ctx, pattern, today)
    finally:
        s.session.clock = real_clock


def _session_dates(s, session_ids: list[int]) -> dict[date, int]:
    infos = s.bookings.sessions_between(date(1900, 1, 1), date(9999, 12, 31))
    wanted = set(session_ids)
    return {i.session_date: i.id for i in infos if i.id in wanted}


def _family(ctx: DemoContext, i: int, start: date, today: date,
            sessions: dict[date, int]) -> tuple[int, str, date | None]:
    s, rng = ctx.services, ctx.rng
    # Families 1 and 2 are current (the legal demo refers to them); the rest spread over 2 years.
    if i < 2:
        referred = today - timedelta(days=rng.randint(150, 200))
    elif i >= FAMILIES - 6:
        referred = today - timedelta(days=rng.randint(1, 9))  # still in progress
    else:
        # More referrals recently than two years ago: the centre has grown.
        referred = start + timedelta(days=int(700 * (i / FAMILIES) ** 0.7) + rng.randint(-5, 5))
        referred = min(max(referred, start), today - timedelta(days=20))
    at(ctx, referred, 11, rng.randint(0, 59))
    surname_r, surname_v = rng.choice(LAST), rng.choice(LAST)
    route = rng.choice(ROUTES)
    adults = [
        AdultInput(_name(ctx, surname_r), "resident parent", address(rng), phone(rng),
                   f"{surname_r.lower()}{rng.randint(1, 99)}@example.org" if rng.random() < 0.7 else "",
                   15 if rng.random() < 0.35 else 0, 15 if rng.random() < 0.35 else 0),
        AdultInput(_name(ctx, surname_v), "visiting parent", address(rng), phone(rng),
                   f"{surname_v.lower()}{rng.randint(1, 99)}@example.org" if rng.random() < 0.6 else ""),
    ]
    if rng.random() < 0.15:
        adults.append(AdultInput(_name(ctx, surname_v), "other relative", address(rng), phone(rng)))
    children = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        dob = referred - timedelta(days=rng.randint(300, 12 * 365))
        children.append(ChildInput(f"{rng.choice(FIRST)} {rng.choice((surname_r, surname_v))}",
                                   format_entry(dob), rng.choice(NEEDS)))
    org = rng.choice(ORGS[route])
    referrer = "" if route == "self" else _name(ctx)
    contact = "" if route == "self" else phone(rng)
    court_order = rng.random() < 0.6
    kind_draw = rng.random()  # the draws in the order they were made: the rest stays the same
    kind = "handover" if kind_draw < 0.25 else "supervised" if kind_draw < 0.35 else "supported"
    fid = s.families.create(ReferralInput(
        format_entry(referred), route, referrer, org, contact, court_order=court_order,
        contact_kind=kind), adults, children)
    age = (today - referred).days
    # Recent referrals are still in progress.
    if age < 12 and i % 2 == 0:
        return fid, "received", None
    previsit = referred + timedelta(days=rng.randint(5, 12))
    if previsit > today:
        at(ctx, referred + timedelta(days=1))
        s.families.record_previsit(fid, format_entry(previsit), "Carol Dean", "")
        return fid, "pre-visit booked", None
    at(ctx, previsit, 14)
    s.families.record_previsit(fid, format_entry(previsit), rng.choice(("Carol Dean", "Margaret Holt")),
                               "Checklist: rooms shown, ground rules and policy explained, "
                               "arrival and departure times agreed.")
    if rng.random() < 0.06 and i >= 2:
        s.families.set_status(fid, "declined", DECLINE_CYCLE[fid % len(DECLINE_CYCLE)])
        return fid, "declined", None
    missing_rules = i >= 2 and age < 60 and rng.random() < 0.3
    fam = s.families.get(fid)
    for a in fam.adults:
        if missing_rules and a.role.value == "visiting parent":
            continue  # not yet agreed: the dashboard counts this family, bookings wait
        s.families.record_ground_rules(a.id, format_entry(previsit), format_entry(previsit))
    s.families.set_status(fid, "accepted")
    if rng.random() < 0.25:
        s.families.set_safety(fid, rng.choice(MUST_NOT) if rng.random() < 0.6 else "",
                              rng.choice(SAFETY_NOTES))
    if missing_rules:
        return fid, "accepted", None
    # Bookings: a run of Saturdays from about two weeks after the pre-visit.
    first = previsit + timedelta(days=rng.randint(7, 21))
    weeks = rng.randint(6, 26) if i >= 2 else 40
    every = rng.choice((1, 1, 2))
    booked: list[date] = []
    day = first + timedelta(days=(5 - first.weekday()) % 7)
    for _ in range(weeks):
        if day in sessions:
            at(ctx, min(day - timedelta(days=3), today))
            try:
                s.bookings.book(fid, sessions[day])
                booked.append(day)
            except ValidationError:
                pass  # the session was full: the family comes the week after
        day += timedelta(weeks=every)
    last = max(booked) if booked else None
    if last and last < today - timedelta(days=60) and i >= 2:
        at(ctx, last + timedelta(days=20))
        s.families.set_status(fid, "closed", CLOSE_CYCLE[fid % len(CLOSE_CYCLE)])
        return fid, "closed", booked[0] if booked else None
    return fid, "accepted", booked[0] if booked else None


def _old_families(ctx: DemoContext, pattern: int, today: date) -> None:
    """A few families last seen more than three years ago (due for disposal, one held back by an
    incident) and one falling due in the next weeks, for the retention report."""
    s, rng = ctx.services, ctx.rng
    for months_ago, incident in ((44, False), (41, True), (39, False), (37, False), (35, False)):
        referred = today - timedelta(days=int(months_ago * 30.44) + 70)
        at(ctx, referred, 11)
        surname = rng.choice(LAST)
        fid = s.families.create(ReferralInput(format_entry(referred), "solicitor", _name(ctx),
                                              "Spire Solicitors", phone(rng)),
                                [AdultInput(_name(ctx, surname), "resident parent", address(rng), phone(rng)),
                                 AdultInput(_name(ctx), "visiting parent", address(rng), phone(rng))],
                                [ChildInput(f"{rng.choice(FIRST)} {surname}",
                                            format_entry(referred - timedelta(days=rng.randint(700, 3000))))])
        visit = referred + timedelta(days=7)
        accept_after_previsit(ctx, fid, visit)
        first = visit + timedelta(days=14)
        sessions = s.bookings.ensure_sessions(pattern, first, first + timedelta(weeks=5))
        last_day = first
        for sid in sessions:
            info = s.bookings.sessions_between(first, first + timedelta(weeks=6))
            day = next(i.session_date for i in info if i.id == sid)
            at(ctx, day, 9)
            bid = s.bookings.book(fid, sid)
            at(ctx, day, 12, 5)
            s.register.set_times(bid, "09:55", "11:58")
            last_day = day
        if incident:
            at(ctx, last_day, 12, 30)
            s.families.record_incident(fid, IncidentInput(
                format_entry(last_day), "Visiting parent made threats to the resident parent in the car park.",
                "Both parents", "Police called; contact suspended pending review.",
                "Police, Chair, referring solicitor"))
        at(ctx, last_day + timedelta(days=1))
        s.families.set_status(fid, "closed", "ended for safety" if incident else "own arrangements")


def _registers(ctx: DemoContext, sessions: dict[date, int], today: date) -> None:
    """Attendance for every past Saturday (finalised by ``finalise_step``, after the rota). A
    few families cancel a day or four ahead, too late for the place to be filled: so sessions
    are not all full and the statistics count cancellations. The cancellations have their own
    random numbers, and every booking still draws the shared ones, so the rest stays as it was."""
    s, rng = ctx.services, ctx.rng
    cancel_rng = random.Random(f"{SEED}:cancellations")
    for day in sorted(d for d in sessions if d <= today):
        sid = sessions[day]
        [register] = [r for r in s.register.day(day) if r.session_id == sid]
        cancelled = set()
        for e in register.entries:
            if cancel_rng.random() < CANCELLED_SHARE:
                at(ctx, day - timedelta(days=cancel_rng.randint(1, 4)), 18)
                s.bookings.cancel(e.booking_id)
                cancelled.add(e.booking_id)
        at(ctx, day, 12, 10)
        for e in register.entries:
            roll = rng.random()
            if roll < 0.86:
                arrived = (f"09:{rng.randint(45, 59):02d}" if rng.random() < 0.5
                           else f"10:{rng.randint(0, 12):02d}")
                left = (f"11:{rng.randint(50, 59):02d}" if rng.random() < 0.7
                        else f"12:{rng.randint(0, 8):02d}")
                if e.booking_id not in cancelled:
                    s.register.set_times(e.booking_id, arrived, left)
            elif roll < 0.95:
                reason = rng.choice(ABSENCE)
                if e.booking_id not in cancelled:
                    s.register.absent(e.booking_id, reason)
            elif e.booking_id not in cancelled:
                s.register.no_show(e.booking_id)
        if register.entries:
            s.register.set_notes(sid, rng.choice((
                "Quiet session.", "Busy morning; all handovers smooth.",
                "Heating off in the big room: used the hall.", "New volunteer shadowing.",
                "Two families arrived early; staggering held.")))


def _paperwork(ctx: DemoContext, families: list[tuple[int, str, date | None]], today: date,
               chair_id: int | None) -> None:
    """Reviews, consents, disclosure requests and incidents, for families that attended."""
    s, rng = ctx.services, ctx.rng
    # Families that have had a first session, with its date.
    active = [(fid, status, first) for fid, status, first in families if first is not None]
    for fid, status, first in active:
        if status != "accepted" or first is None:
            continue
        due = first + timedelta(days=91)
        while due < today - timedelta(days=20):
            if rng.random() < 0.92:
                at(ctx, due)
                s.families.record_review(fid, format_entry(due), "Contact going well; continue.")
            due += timedelta(days=182)
    for fid, _status, first in rng.sample(active, k=min(24, len(active))):
        adults = s.families.get(fid).adults
        when = min(first + timedelta(days=rng.randint(5, 60)), today)
        at(ctx, when)
        cid = s.families.record_consent(adults[0].id, rng.choice((
            "Cafcass officer", "the other parent's solicitor", "Derbyshire Children's Services")),
            rng.choice(("Arranging contact outside the centre", "Court correspondence",
                        "Progressing to handover elsewhere")), format_entry(when),
            rng.choice(("Signed consent form", "In person at the pre-visit", "By email")))
        if rng.random() < 0.15:
            withdrawn = min(when + timedelta(days=40), today)
            at(ctx, withdrawn)
            s.families.withdraw_consent(cid, format_entry(withdrawn))
    for fid, _status, first in rng.sample(active, k=min(14, len(active))):
        when = min(first + timedelta(days=rng.randint(60, 200)), today)
        at(ctx, when, 15)
        rid = s.disclosures.log_request(fid, _name(ctx), rng.choice((
            "Cafcass East Midlands", "Brook & Hale LLP", "Moorside Family Law")), format_entry(when),
            "Dates and times the family attended contact")
        s.disclosures.answer_with_attendance(rid)
    fid = active[3][0]
    at(ctx, today - timedelta(days=40))
    rid = s.disclosures.log_request(fid, "DC Sharon Pike", "Derbyshire Constabulary",
                                    format_entry(today - timedelta(days=40)),
                                    "What was said at handover on the last two Saturdays")
    if chair_id is not None:
        s.disclosures.disclose_beyond(rid, ExceptionGround.VIOLENCE, chair_id,
                                      "Threat of violence made at handover; police investigating.",
                                      "Volunteer's account of the handover of the last Saturday")
    at(ctx, today - timedelta(days=2))
    s.disclosures.log_request(active[5][0], "Mr K Varley", "Varley & Co Solicitors",
                              format_entry(today - timedelta(days=2)),
                              "Copy of session notes for court")
    for fid, _status, first in active[3:5]:
        when = min(first + timedelta(days=35), today)
        at(ctx, when, 12, 30)
        s.families.record_incident(fid, IncidentInput(
            format_entry(when), "Raised voices between the parents at handover; the child was upset.",
            "Both parents; volunteer on the door", "Parents separated; handover finished in the small "
            "room; staggering increased to 20 minutes.", "Coordinator and Chair the same day"))


def finalise_step(ctx: DemoContext) -> None:
    """Finalise every register more than three weeks old, on its own day. A step of its own,
    after the volunteers' rota: a finalised register's rota can no longer change."""
    s = ctx.services
    real_clock = s.session.clock
    try:
        for info in s.bookings.sessions_between(date(1900, 1, 1),
                                                ctx.today - timedelta(weeks=3, days=1)):
            if not info.finalised:
                at(ctx, info.session_date, 16)
                s.register.finalise(info.id)
    finally:
        s.session.clock = real_clock
