"""A small centre with known numbers for the statistics tests (issue 14).

Everything happens in the first quarter of 2027 (and a little either side), with the clock
moved forward day by day as a real centre would; ``EXPECTED_Q1`` is every figure of that
quarter's return, counted by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from family_helpers import child, referral, resident, visiting
from volunteer_helpers import ready_volunteer

from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.services.registry import Services

Q1 = (date(2027, 1, 1), date(2027, 3, 31))
Q2 = (date(2027, 4, 1), date(2027, 6, 30))


def at(clock: FixedClock, d: date, hour: int = 9) -> None:
    clock.at = datetime(d.year, d.month, d.day, hour, 30)


def dmy(d: date) -> str:
    return d.strftime("%d/%m/%Y")


@dataclass
class Centre:
    a: int
    b: int
    c: int
    d: int
    e: int
    volunteer: int
    sessions: dict[str, int]

    @property
    def families(self) -> list[int]:
        return [self.a, self.b, self.c, self.d, self.e]


def _family(s: Services, clock: FixedClock, referred: date, route: str, kind: str,
            children: list[tuple[str, date]], name: str) -> int:
    at(clock, referred)
    return s.families.create(
        referral(referral_date=dmy(referred), route=route, contact_kind=kind,
                 referrer_name=f"Referrer of {name}"),
        [resident(full_name=f"{name} Resident", ground_rules_on=dmy(referred),
                  policy_agreed_on=dmy(referred)),
         visiting(full_name=f"{name} Visiting", ground_rules_on=dmy(referred),
                  policy_agreed_on=dmy(referred))],
        [child(full_name=n, date_of_birth=dmy(born), needs=f"Needs of {n}") for n, born in children])


def _accept(s: Services, clock: FixedClock, fid: int, on: date) -> None:
    at(clock, on)
    s.families.record_previsit(fid, dmy(on), "Carol Dean", "Checklist done")
    s.families.set_status(fid, "accepted")


def build_small_centre(s: Services, clock: FixedClock) -> Centre:
    sessions = {}
    at(clock, date(2026, 12, 1))
    for key, day in (("dec31", date(2026, 12, 31)), ("jan07", date(2027, 1, 7)),
                     ("feb04", date(2027, 2, 4)), ("mar31", date(2027, 3, 31)),
                     ("apr01", date(2027, 4, 1))):
        sessions[key] = s.bookings.add_session(dmy(day), "10:00", "12:00", 4)
    vol = ready_volunteer(s).id
    s.volunteers.activate(vol)
    # C: referred in December by a solicitor, handover, accepted on 3 January.
    c = _family(s, clock, date(2026, 12, 20), "solicitor", "handover",
                [("Cara Quill", date(2012, 1, 1))], "Quill")
    _accept(s, clock, c, date(2027, 1, 3))
    # A: Cafcass, supported, two children; accepted on 6 January.
    a = _family(s, clock, date(2027, 1, 5), "cafcass", "supported",
                [("Abel Zephyr", date(2024, 2, 10)), ("Anna Zephyr", date(2016, 6, 1))], "Zephyr")
    _accept(s, clock, a, date(2027, 1, 6))
    ba = s.bookings.book(a, sessions["jan07"])
    bb = s.bookings.book(a, sessions["feb04"])
    bc = s.bookings.book(a, sessions["mar31"])
    ca = s.bookings.book(c, sessions["jan07"])
    cb = s.bookings.book(c, sessions["feb04"])
    cc = s.bookings.book(c, sessions["apr01"])
    s.volunteers.assign(sessions["jan07"], vol, "Door")
    s.volunteers.assign(sessions["feb04"], vol, "Door")
    at(clock, date(2027, 1, 7), 12)
    s.register.arrive(ba, "10:00")
    s.register.leave(ba, "12:00")
    s.register.arrive(ca, "10:05")
    # B: self-referral on 10 January, turned down for want of a place on the 12th.
    b = _family(s, clock, date(2027, 1, 10), "self", "supported",
                [("Bea Yarrow", date(2019, 5, 5))], "Yarrow")
    at(clock, date(2027, 1, 12))
    s.families.set_status(b, "declined", "no place")
    # C cancels February; A does not come.
    at(clock, date(2027, 2, 1))
    s.bookings.cancel(cb)
    at(clock, date(2027, 2, 4), 13)
    s.register.no_show(bb)
    # D: social services on 15 February, withdrew on the 20th before the pre-visit.
    d = _family(s, clock, date(2027, 2, 15), "social services", "supported",
                [("Dan Wexford", date(2018, 8, 8))], "Wexford")
    at(clock, date(2027, 2, 15), 11)
    s.disclosures.log_request(a, "Ann Solicitor", "Brook & Hale", "15/02/2027", "Attendance dates")
    at(clock, date(2027, 2, 20))
    s.families.set_status(d, "closed", "family withdrew")
    # E: Cafcass on 1 March, accepted on the 10th, no place: on the waiting list.
    e = _family(s, clock, date(2027, 3, 1), "cafcass", "supported",
                [("Eve Vantongeren", date(2017, 7, 7))], "Vantongeren")
    _accept(s, clock, e, date(2027, 3, 10))
    s.waiting.add(e)
    # A attends on the last day of the quarter and the case closes that day.
    at(clock, date(2027, 3, 31), 12)
    s.register.arrive(bc, "10:00")
    s.families.set_status(a, "closed", "own arrangements")
    # C attends on the first day of the next quarter.
    at(clock, date(2027, 4, 1), 12)
    s.register.arrive(cc, "10:00")
    return Centre(a, b, c, d, e, vol, sessions)


EXPECTED_Q1 = {
    "referrals.received": 4,
    "referrals.received.self": 1,
    "referrals.received.solicitor": 0,
    "referrals.received.cafcass": 2,
    "referrals.received.social services": 1,
    "referrals.received.other": 0,
    "referrals.accepted": 3,
    "referrals.declined": 1,
    "referrals.declined.no place": 1,
    "referrals.withdrawn": 1,
    "waiting.joined": 1,
    "waiting.offered": 0,
    "waiting.placed": 0,
    "waiting.at_end": 1,
    "families.seen": 2,
    "families.new": 2,
    "children.seen": 3,
    "children.seen.0-4": 1,
    "children.seen.5-10": 1,
    "children.seen.11-15": 1,
    "children.seen.16+": 0,
    "families.closed": 1,
    "families.closed.own arrangements": 1,
    "sessions.offered": 3,
    "sessions.capacity": 12,
    "sessions.booked": 4,
    "sessions.used": 33,
    "sessions.attended": 3,
    "sessions.attended.supported": 2,
    "sessions.attended.supervised": 0,
    "sessions.attended.handover": 1,
    "sessions.assessment": 0,
    "sessions.cancelled": 1,
    "sessions.absent": 0,
    "sessions.no_show": 1,
    "volunteers.on_duty": 1,
    "volunteers.hours": 240,
    "disclosures.requests": 1,
    "legal.summonses": 0,
    "legal.police": 0,
}
