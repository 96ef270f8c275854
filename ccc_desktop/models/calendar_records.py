"""What the calendar shows on a day: plain records, no Qt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class CalendarKind(StrEnum):
    SESSION = "session"
    DBS_RENEWAL = "DBS renewal"
    REVIEW = "review"
    HEARING = "summons hearing"
    SUBJECT_ACCESS = "subject access deadline"


@dataclass(frozen=True)
class CalendarItem:
    on: date
    kind: CalendarKind
    text: str  # one line, plain text (never markup)
    tab: str = ""  # the main window's tab that deals with it
    session_id: int | None = None
    capacity: int = 0
    booked: int = 0
    waiting: int | None = None  # None: the centre keeps no waiting list
    time: str = ""  # sorts a day's items

    @property
    def full(self) -> bool:
        return self.kind is CalendarKind.SESSION and self.booked >= self.capacity
