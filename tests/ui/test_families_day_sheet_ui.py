"""The day's sheet from the register screen: printed, and its times typed back in (issue 16)."""

from __future__ import annotations

from tests.family_helpers import accepted_family, saturday_session


def _booked_family(s, sid: int) -> int:  # type: ignore[no-untyped-def]
    fid = accepted_family(s)
    s.families.set_safety(fid, 'Uncle <b>Bob</b> & "Co"', "Resident parent leaves by the side door")
    s.bookings.book(fid, sid)
    return fid


def _tab_from(widget):  # type: ignore[no-untyped-def]
    """The next widget Tab would reach."""
    from PySide6.QtCore import Qt

    w = widget.nextInFocusChain()
    while not (w.focusPolicy() & Qt.FocusPolicy.TabFocus) or not w.isEnabled():
        w = w.nextInFocusChain()
    return w


def test_register_prints_the_sheet_for_the_volunteer_without_save(qtbot, coordinator, volunteer) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.families.register import RegisterTab
    from ccc_desktop.ui.widgets.context import make_context
    from ccc_desktop.ui.widgets.dialogs import RecordingDialogs

    sid = saturday_session(coordinator)
    _booked_family(coordinator, sid)
    for services, may_save in ((volunteer, False), (coordinator, True)):
        tab = RegisterTab(make_context(services, RecordingDialogs()))
        qtbot.addWidget(tab)
        shown = []
        tab.dialog = shown.append  # type: ignore[method-assign]
        assert tab.sheet_button.isEnabled()
        tab.sheet_button.click()
        [preview] = shown
        qtbot.addWidget(preview)
        assert preview.count.text() == "1 page"
        assert preview.save_button.isVisibleTo(preview) is may_save


def test_sheet_times_go_back_in_by_keyboard(qtbot, coordinator) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from ccc_desktop.models.families_records import BookingStatus
    from ccc_desktop.ui.families.register_sheet import SheetTimesDialog
    from ccc_desktop.ui.widgets.context import make_context
    from ccc_desktop.ui.widgets.dialogs import RecordingDialogs
    from tests.family_helpers import SATURDAY

    sid = saturday_session(coordinator)
    first = _booked_family(coordinator, sid)
    second = _booked_family(coordinator, sid)
    third = _booked_family(coordinator, sid)
    ctx = make_context(coordinator, RecordingDialogs())
    d = SheetTimesDialog(ctx, coordinator.register.session_day(sid))
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    a, b, c = d.rows
    # One row per family; Tab walks Arrived, Left, Did not come, then the next family.
    assert [r.entry.family_id for r in d.rows] == [first, second, third]
    assert _tab_from(a.arrived) is a.left and _tab_from(a.left) is a.no_show
    assert _tab_from(a.no_show) is b.arrived
    qtbot.keyClicks(a.arrived, "0950")
    qtbot.keyClicks(a.left, "12.10")
    qtbot.keyClicks(b.arrived, "25:00")
    qtbot.keyClick(c.no_show, Qt.Key.Key_Space)
    qtbot.keyClick(a.left, Qt.Key.Key_Return)  # Enter saves
    assert "arrival time is not a time" in d.banner.text() and d.result() == 0
    b.arrived.clear()
    qtbot.keyClicks(b.left, "11:00")
    qtbot.keyClick(a.left, Qt.Key.Key_Return)
    assert "needs the arrival time" in d.banner.text()
    b.left.clear()
    qtbot.keyClick(a.left, Qt.Key.Key_Return)
    assert d.result() == 1 and d.saved == 2
    entries = {e.family_id: e for e in coordinator.register.day(SATURDAY)[0].entries}
    assert (entries[first].arrived_at, entries[first].left_at) == ("09:50", "12:10")
    assert entries[second].arrived_at is None and entries[second].status is BookingStatus.BOOKED
    assert entries[third].status is BookingStatus.NO_SHOW
