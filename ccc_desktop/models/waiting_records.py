"""Plain records for the waiting list (issue 14)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class WaitingEntry:
    id: int
    family_id: int
    reference: str
    position: int  # 1 = first in the queue (0 once it has left the list)
    added_on: date
    days_waited: int
    pattern_id: int | None
    needs: str  # 'Saturday 10:00-12:00' or 'Any session'
    status: str  # waiting, offered, placed, removed
    offered_on: date | None
    offered_session_id: int | None
    offered: str  # 'Sat 6 Dec 2026 10:00' or ''
    offers_made: int
    left_on: date | None
    left_reason: str

    @property
    def status_label(self) -> str:
        return {"waiting": "Waiting", "offered": "Place offered", "placed": "Took a place",
                "removed": "Left the list"}[self.status]


@dataclass(frozen=True)
class PlaceOpening:
    """A free place at an upcoming session and the first waiting family it fits."""

    session_id: int
    session_date: date
    start_time: str
    end_time: str
    free: int
    entry: WaitingEntry
