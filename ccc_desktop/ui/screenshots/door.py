"""Screenshots and sample documents for the door (issue 16): the day's sheet and its times."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtWidgets import QWidget

from ccc_desktop.models.families_records import RegisterDay
from ccc_desktop.models.services.registry import Services
from ccc_desktop.ui.shell.main_window import MainWindow


def busiest_recent_day(services: Services) -> RegisterDay:
    """The fullest session of the fortnight around today: a believable sheet."""
    today = services.session.clock.today()
    days = [d for on in services.register.session_dates(today - timedelta(days=7), today)
            for d in services.register.day(on)]
    if not days:
        days = [d for on in services.register.session_dates(today, today + timedelta(days=14))
                for d in services.register.day(on)]
    return max(days, key=lambda d: (len(d.entries), d.session_date))


def _day_sheet_pdf(services: Services) -> bytes:
    return services.register.day_sheet(busiest_recent_day(services).session_id)


def _rota_pdf(services: Services) -> bytes:
    today = services.session.clock.today()
    return services.volunteers.month_rota_pdf(today.year, today.month)


def _sheet_times(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.families.register_sheet import SheetTimesDialog

    assert w.ctx is not None
    return SheetTimesDialog(w.ctx, busiest_recent_day(w.ctx.services), w)


def _calendar(week: bool) -> Callable[[MainWindow], QWidget]:
    def make(w: MainWindow) -> QWidget:
        tab = w.show_tab("calendar")
        assert tab is not None
        (tab.week_choice if week else tab.month_choice).setChecked(True)  # type: ignore[attr-defined]
        return w

    return make


def _policy_review(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.policy.policy import ReviewDialog

    assert w.ctx is not None
    return ReviewDialog(w.ctx, w)


DOOR_SHOTS: list[tuple[str, Callable[[MainWindow], QWidget]]] = [
    ("calendar-month.png", _calendar(week=False)),
    ("calendar-week.png", _calendar(week=True)),
    ("dialog-sheet-times.png", _sheet_times),
    # Where a new centre records the policy's last review (one of its first steps).
    ("dialog-policy-review.png", _policy_review),
]
DOOR_DOCUMENTS: list[tuple[str, Callable[[Services], bytes]]] = [
    ("day-sheet.pdf", _day_sheet_pdf),
    ("rota.pdf", _rota_pdf),
]
