"""The Statistics panel and the waiting list's dialog: refusals are shown, by their field."""

from __future__ import annotations

import pytest

from ccc_desktop.ui.widgets.context import make_context
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs
from tests.family_helpers import referral, resident


@pytest.fixture
def ctx(coordinator):
    return make_context(coordinator, RecordingDialogs())


def test_a_typed_period_that_is_not_a_date_is_shown_above_the_figures(qtbot, ctx) -> None:
    from ccc_desktop.ui.statistics.statistics import StatisticsPanel

    panel = StatisticsPanel(ctx)
    qtbot.addWidget(panel)
    shown = panel.stats
    panel.first.setText("31/02/2026")
    panel.last.setText("30/11/2026")
    panel.show_typed()
    assert "not a real date" in panel.errors.banner.text()
    assert not panel.errors.banner.isHidden()
    assert panel.stats is shown  # the figures on screen stay as they were
    panel.first.setText("01/01/2026")
    panel.show_typed()
    assert panel.errors.banner.isHidden()
    assert panel.stats is not None and panel.stats.last.isoformat() == "2026-11-30"


def test_adding_to_the_waiting_list_needs_a_family_and_an_accepted_referral(qtbot, ctx) -> None:
    from ccc_desktop.ui.statistics.waiting import AddToWaitingListDialog

    ctx.services.families.create(referral(), [resident(full_name="Wren Waite")], [])
    dialog = AddToWaitingListDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.submit()
    kind, title, _text = ctx.dialogs.shown[-1]
    assert (kind, title) == ("error", "Choose a family")
    dialog.family.search.setText("waite")
    dialog.family.refresh()
    assert dialog.family.family_id() is not None
    dialog.submit()
    assert "accepted referral" in dialog.errors.message_for("family")
    assert ctx.services.waiting.entries() == []


def test_the_records_behind_capacity_used_show_the_bookings_and_what_each_adds(qtbot, ctx, clock) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    from ccc_desktop.ui.statistics.statistics import RecordsBehindDialog
    from tests.stats_helpers import Q1, build_small_centre

    centre = build_small_centre(ctx.services, clock)
    behind = ctx.services.statistics.records_behind(*Q1, "sessions.used")
    dialog = RecordsBehindDialog(behind, "Q1 2027 (Jan–Mar)", None)
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Capacity used — Q1 2027 (Jan–Mar): 33%" in texts
    assert "4 places booked of 12 offered." in texts
    rows = {dialog.model.data(dialog.model.index(r, 0)): dialog.model.data(dialog.model.index(r, 1))
            for r in range(dialog.model.rowCount())}
    references = {ctx.services.families.get(f).reference: f for f in (centre.a, centre.c)}
    assert {references[ref]: counted for ref, counted in rows.items()} == {
        centre.a: "3 bookings", centre.c: "1 booking"}
