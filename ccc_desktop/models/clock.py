"""Time, injectable so tests can stand at the edges (leap days, exactly three years)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime


class Clock:
    def __init__(self, now: Callable[[], datetime] | None = None) -> None:
        self._now = now or (lambda: datetime.now().replace(microsecond=0))

    def now(self) -> datetime:
        return self._now()

    def today(self) -> date:
        return self.now().date()

    def monotonic(self) -> float:
        return time.monotonic()


class FixedClock(Clock):
    """A clock for tests that moves only when told."""

    def __init__(self, at: datetime) -> None:
        self.at = at
        super().__init__(lambda: self.at)

    def advance(self, **kwargs: float) -> None:
        from datetime import timedelta

        self.at = self.at + timedelta(**kwargs)
