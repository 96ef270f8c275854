"""Screenshots and documents for the statistics (issue 14): Reports › Statistics, the records
behind a figure, and the NACCC return, its CSV and the annual report written to OUT."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.ui.shell.main_window import MainWindow


def _statistics(w: MainWindow) -> QWidget:
    tab = w.show_tab("reports")
    assert tab is not None
    tab.show_statistics()  # type: ignore[attr-defined]
    tab.statistics.view.selectRow(0)  # type: ignore[attr-defined]
    return w


def _records_behind(key: str) -> Callable[[MainWindow], QWidget]:
    def shot(w: MainWindow) -> QWidget:
        from ccc_desktop.models.services.statistics import period_label
        from ccc_desktop.ui.statistics.statistics import RecordsBehindDialog

        assert w.ctx is not None
        s = w.ctx.services.statistics
        first, last = s.default_period()
        return RecordsBehindDialog(s.records_behind(first, last, key), period_label(first, last), w)

    return shot


def _waiting(w: MainWindow) -> QWidget:
    tab = w.show_tab("waiting")
    assert tab is not None
    if tab.model.rows:  # type: ignore[attr-defined]
        tab.view.selectRow(0)  # type: ignore[attr-defined]
    return w


def _last_financial_year(services: Services) -> tuple[date, date]:
    today = services.session.clock.today()
    start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    return date(start.year - 1, 4, 1), start - timedelta(days=1)


def _naccc_pdf(services: Services) -> bytes:
    s = services.statistics
    return s.naccc_pdf(s.figures(*s.default_period()))


def _naccc_csv(services: Services) -> bytes:
    s = services.statistics
    return s.csv(s.figures(*s.default_period()))


def _annual_pdf(services: Services) -> bytes:
    s = services.statistics
    return s.annual_pdf(s.figures(*_last_financial_year(services)))


STATISTICS_SHOTS: list[tuple[str, Callable[[MainWindow], QWidget]]] = [
    ("reports-statistics.png", _statistics),
    ("dialog-statistics-records.png", _records_behind("referrals.received")),
    ("dialog-statistics-records-capacity.png", _records_behind("sessions.used")),
    ("dialog-statistics-records-children.png", _records_behind("children.seen")),
    ("waiting-list.png", _waiting),
]
STATISTICS_DOCUMENTS: list[tuple[str, Callable[[Services], bytes]]] = [
    ("naccc-return.pdf", _naccc_pdf),
    ("naccc-return.csv", _naccc_csv),
    ("annual-report.pdf", _annual_pdf),
]
