"""Demo statistics (issue 14): a waiting list of accepted families for whom no Saturday place is
free, one letter to a referrer about the wait, and a cancelled booking next Saturday that the
dashboard and the register offer to the first family waiting. The two years of families,
sessions and registers made by the families step give the statistics their quarters.

Its own random numbers (not the shared ones), so the rest of the demo stays as it was.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from ccc_desktop.demo.context import accept_after_previsit, at
from ccc_desktop.demo.names import FIRST, LAST, address, phone
from ccc_desktop.models.dates import format_entry
from ccc_desktop.models.families_records import AdultInput, ChildInput, ReferralInput

if TYPE_CHECKING:
    from ccc_desktop.demo.context import DemoContext

WAITING = ((52, "cafcass", True), (38, "solicitor", False), (23, "self", True),
           (12, "social services", True), (5, "solicitor", False))


def statistics_step(ctx: DemoContext) -> None:
    s = ctx.services
    real_clock = s.session.clock
    rng = random.Random(14)
    today = ctx.today
    try:
        pattern = s.bookings.patterns()[0].id
        first_waiting = None
        for days_ago, route, saturday_only in WAITING:
            referred = today - timedelta(days=days_ago + 14)
            at(ctx, referred, 11)
            surname = rng.choice(LAST)
            fid = s.families.create(
                ReferralInput(format_entry(referred), route,
                              "" if route == "self" else f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                              {"cafcass": "Cafcass East Midlands", "solicitor": "Moorside Family Law",
                               "social services": "Derbyshire Children's Services"}.get(route, ""),
                              "" if route == "self" else phone(rng)),
                [AdultInput(f"{rng.choice(FIRST)} {surname}", "resident parent", address(rng), phone(rng)),
                 AdultInput(f"{rng.choice(FIRST)} {rng.choice(LAST)}", "visiting parent", address(rng),
                            phone(rng))],
                [ChildInput(f"{rng.choice(FIRST)} {surname}",
                            format_entry(referred - timedelta(days=rng.randint(400, 3600))))])
            visit = referred + timedelta(days=7)
            accept_after_previsit(ctx, fid, visit)
            joined = today - timedelta(days=days_ago)
            at(ctx, joined, 15)
            s.waiting.add(fid, format_entry(joined), pattern if saturday_only else None)
            first_waiting = first_waiting or fid
        # A letter to the first family's referrer about the wait.
        at(ctx, today - timedelta(days=2), 10)
        entry = next(e for e in s.waiting.entries() if e.family_id == first_waiting)
        s.waiting.letter_to_referrer(entry.id)
        # A family cancels next Saturday: the place is offered to the first family waiting.
        saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
        at(ctx, today - timedelta(days=1), 16)
        for info in s.bookings.sessions_between(saturday, saturday):
            booked = [b for b in s.register.day(saturday) if b.session_id == info.id]
            entries = booked[0].entries if booked else ()
            if entries:
                s.bookings.cancel(entries[-1].booking_id)
    finally:
        s.session.clock = real_clock
