"""The calendar: a week or a month of sessions and the dates that need the Coordinator.

Who sees what is decided here, not by the screen: anyone who runs the register sees the
sessions (time, capacity, booked and waiting counts: no names); DBS renewals, family reviews,
summons hearings and subject access deadlines are added only for the roles that may read them
(a Session volunteer sees sessions only).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ccc_desktop.models.calendar_records import CalendarItem, CalendarKind
from ccc_desktop.models.dates import format_date
from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.roles import Permission

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services

# Families waiting for a place, by session pattern id (0: any session), for the sessions between
# two dates: the registry passes the waiting list's counts; without it no waiting count shows.
WaitingCounts = Callable[["Services", date, date], dict[int, int]]

MAX_DAYS = 62  # a month view is six weeks; nothing asks for more at once


def week_start(on: date) -> date:
    return on - timedelta(days=on.weekday())


def month_grid(year: int, month: int) -> tuple[date, date]:
    """The six whole weeks (Monday to Sunday) that show a month."""
    first = week_start(date(year, month, 1))
    return first, first + timedelta(days=41)


class CalendarService:
    def __init__(self, services: Services, waiting: WaitingCounts | None = None) -> None:
        self.services = services
        self.waiting = waiting

    def between(self, first: date, last: date) -> dict[date, list[CalendarItem]]:
        """Every day from first to last (inclusive) with its items, in time order."""
        actor = self.services.session.actor
        actor.require(Permission.RUN_REGISTER)
        if last < first or (last - first).days > MAX_DAYS:
            raise ValidationError("The calendar shows up to six weeks at a time.", "last")
        days: dict[date, list[CalendarItem]] = {
            first + timedelta(days=n): [] for n in range((last - first).days + 1)}

        def add(item: CalendarItem) -> None:
            if item.on in days:
                days[item.on].append(item)

        waiting = self.waiting(self.services, first, last) if self.waiting is not None else None
        for s in self.services.bookings.sessions_between(first, last):
            # Families waiting for this session day, and those who would take any session.
            count = None if waiting is None else (
                (waiting.get(s.pattern_id, 0) if s.pattern_id else 0) + waiting.get(0, 0))
            text = f"{s.start_time}–{s.end_time} · {s.booked} of {s.capacity} booked"
            if count:
                text += f" · {count} waiting"
            if s.finalised:
                text += " · finalised"
            add(CalendarItem(s.session_date, CalendarKind.SESSION, text, "register", s.id,
                             s.capacity, s.booked, count, s.start_time))
        if actor.can(Permission.MANAGE_VOLUNTEERS):
            for c in self.services.dbs.latest():
                add(CalendarItem(c.renewal_due, CalendarKind.DBS_RENEWAL,
                                 f"DBS renewal due: {c.volunteer_name}", "dbs", time="~1"))
        if actor.can(Permission.VIEW_FAMILIES):
            today = self.services.session.clock.today()
            for _family_id, reference, due in self.services.families.reviews_due(
                    max((last - today).days, -1)):
                if first <= due <= last:
                    add(CalendarItem(due, CalendarKind.REVIEW, f"Review due: family {reference}",
                                     "families", time="~2"))
        if actor.can(Permission.MANAGE_LEGAL):
            for summons in self.services.summonses.all(open_only=True):
                hearing = summons.hearing_time.strip()
                add(CalendarItem(summons.hearing_date, CalendarKind.HEARING,
                                 f"Summons hearing{' ' + hearing if hearing else ''}: "
                                 f"{summons.court}, case {summons.case_number}", "legal",
                                 time=hearing or "~0"))
        if actor.can(Permission.VIEW_REPORTS):
            for request in self.services.subject_access.list(open_only=True):
                add(CalendarItem(request.due_on, CalendarKind.SUBJECT_ACCESS,
                                 f"Subject access reply due (received "
                                 f"{format_date(request.received_on)})", "reports", time="~3"))
        for items in days.values():
            items.sort(key=lambda i: (i.kind is not CalendarKind.SESSION, i.time, i.text))
        return days
