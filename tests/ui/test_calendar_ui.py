"""The Calendar tab: a painted grid of days, moved about by keyboard (issue 16)."""

from __future__ import annotations

from datetime import date

from family_helpers import accepted_family, saturday_session
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QWidget

from ccc_desktop.ui.calendar.calendar import ITEMS_ROLE, CalendarTab
from ccc_desktop.ui.widgets.context import make_context
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs


def _tab(qtbot, services) -> CalendarTab:  # type: ignore[no-untyped-def]
    tab = CalendarTab(make_context(services, RecordingDialogs()))
    qtbot.addWidget(tab)
    tab.resize(1100, 700)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def test_month_and_week_views_by_keyboard(qtbot, coordinator) -> None:  # type: ignore[no-untyped-def]
    sid = saturday_session(coordinator, date(2026, 11, 28), capacity=3)
    coordinator.bookings.book(accepted_family(coordinator), sid)
    tab = _tab(qtbot, coordinator)
    # Today is Thursday 26 Nov 2026: November's six weeks, today chosen.
    assert tab.title.text() == "November 2026"
    assert tab.model.rowCount() == 6 and tab.model.columnCount() == 7
    assert tab.selected_date() == date(2026, 11, 26)
    view = tab.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert tab.selected_date() == date(2026, 11, 28)
    assert "1 of 3 booked" in tab.detail.text()
    index = view.currentIndex()
    [item] = index.data(ITEMS_ROLE)
    assert item.session_id == sid
    assert "Saturday 28 Nov 2026" in index.data(Qt.ItemDataRole.AccessibleTextRole)
    # Down a week runs into December: the page turns.
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert tab.selected_date() == date(2026, 12, 5) and tab.title.text() == "December 2026"
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert tab.title.text() == "November 2026"
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert tab.selected_date() == date(2026, 11, 26)
    # The week view: one row, Monday 23 to Sunday 29 November.
    tab.week_choice.click()
    assert tab.model.rowCount() == 1 and tab.title.text() == "Week of 23 November 2026"
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert tab.title.text() == "Week of 30 November 2026"
    assert tab.model.headerData(0, Qt.Orientation.Horizontal) == "Mon 30 Nov 2026"


class _Register(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[date] = []

    def go_to(self, on: date) -> None:
        self.opened.append(on)


class _Window(QMainWindow):
    """Stands in for the main window: the calendar asks it for the register tab."""

    def __init__(self, tab: CalendarTab) -> None:
        super().__init__()
        self.register = _Register()
        self.setCentralWidget(tab)

    def show_tab(self, key: str) -> QWidget | None:
        return self.register if key == "register" else None


def test_enter_opens_the_days_register(qtbot, coordinator) -> None:  # type: ignore[no-untyped-def]
    tab = CalendarTab(make_context(coordinator, RecordingDialogs()))
    window = _Window(tab)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Left)
    qtbot.keyClick(tab.view, Qt.Key.Key_Return)
    assert window.register.opened == [date(2026, 11, 25)]


def test_volunteer_calendar_holds_sessions_only(qtbot, coordinator, volunteer) -> None:  # type: ignore[no-untyped-def]
    saturday_session(coordinator, date(2026, 11, 28))
    tab = _tab(qtbot, volunteer)
    kinds = {i.kind.value for items in tab.model.days.values() for i in items}
    assert kinds == {"session"}
