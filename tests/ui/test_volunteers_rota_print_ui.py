"""Printing a month's rota from the Rota panel (issue 16)."""

from __future__ import annotations

from datetime import date

from family_helpers import saturday_session
from volunteer_helpers import ready_volunteer

from ccc_desktop.ui.volunteers.rota import RotaPanel
from ccc_desktop.ui.widgets.context import make_context
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs


def test_print_a_months_rota(qtbot, coordinator) -> None:  # type: ignore[no-untyped-def]
    v = ready_volunteer(coordinator, full_name="Ben Carter")
    coordinator.volunteers.activate(v.id)
    coordinator.volunteers.assign(saturday_session(coordinator, date(2026, 12, 5)), v.id, "door")
    panel = RotaPanel(make_context(coordinator, RecordingDialogs()))
    qtbot.addWidget(panel)
    shown = []
    panel.run_dialog = shown.append  # type: ignore[method-assign]
    # Today is 26 Nov 2026: late in the month, so next month's rota is offered first.
    assert panel.print_month.currentText() == "December 2026"
    assert [panel.print_month.itemText(i) for i in range(panel.print_month.count())] == [
        "October 2026", "November 2026", "December 2026", "January 2027", "February 2027"]
    panel.print_button.click()
    [preview] = shown
    qtbot.addWidget(preview)
    assert preview.windowTitle() == "Rota: December 2026" and preview.count.text() == "1 page"
