"""Screens with several pages build each page the first time it is shown (issue 17: opening a
screen built every page at once and held the window on a large centre)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QFrame

from ccc_desktop.ui.data_protection.disposal_log import DisposalLogPanel
from ccc_desktop.ui.data_protection.reports import BackupPanel, ReportsTab
from ccc_desktop.ui.widgets.context import make_context
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs
from tests.family_helpers import accepted_family, saturday_session


@pytest.fixture
def ctx(coordinator):  # type: ignore[no-untyped-def]
    return make_context(coordinator, RecordingDialogs())


def test_reports_builds_a_page_when_it_is_first_shown(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    tab = ReportsTab(ctx)
    qtbot.addWidget(tab)
    titles = [tab.tabText(i) for i in range(tab.count())]
    assert titles == ["Retention", "Disposal log", "Subject access requests", "Backups", "Statistics"]
    assert tab.currentWidget() is tab.retention
    assert [tab.built_page(k) for k in ("disposal_log", "subject_access", "backups", "statistics")] \
        == [None, None, None, None]
    tab.setCurrentIndex(1)  # as a click on "Disposal log" does
    log = tab.built_page("disposal_log")
    assert isinstance(log, DisposalLogPanel) and tab.currentWidget() is log
    assert tab.tabText(1) == "Disposal log" and tab.count() == 5
    assert tab.built_page("backups") is None
    tab.show_backups()  # asked for by name (File > Back up and restore…): built and shown
    assert isinstance(tab.backups, BackupPanel) and tab.currentWidget() is tab.backups
    assert tab.tabText(tab.currentIndex()) == "Backups"
    assert tab.built_page("statistics") is None and tab.built_page("subject_access") is None
    # The dashboard's "Make a backup" finds its button on a page not built yet.
    other = ReportsTab(ctx)
    qtbot.addWidget(other)
    button = other.find_place("backup_button")
    assert button is not None and button is other.backups.backup_button  # type: ignore[union-attr]
    assert other.built_page("statistics") is None  # built only as far as the button


def test_family_record_builds_a_page_when_it_is_first_shown(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.families.record import FamilyDialog

    fid = accepted_family(ctx.services)
    ctx.services.bookings.book(fid, saturday_session(ctx.services))
    dialog = FamilyDialog(ctx, fid)
    qtbot.addWidget(dialog)
    tabs = dialog.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Referral", "People", "Safety", "Bookings", "Consent", "Disclosures && letters",
        "Incidents", "Documents"]
    assert tabs.currentWidget() is dialog.referral
    assert all(tabs.built_page(k) is None for k in ("people", "safety", "bookings", "consent",
                                                     "disclosures", "incidents", "documents"))
    tabs.setCurrentIndex(3)  # Bookings, as a click shows it: built with its part of the record
    assert tabs.built_page("bookings") is tabs.currentWidget()
    assert dialog.bookings_model.rowCount() == 1
    assert tabs.built_page("people") is None
    # A page's widget asked for by name builds its page, with the record's part in it.
    assert dialog.adults_model.rowCount() == 2 and tabs.built_page("people") is not None
    assert dialog.restricted_state.text() == "None recorded."  # the Incidents page's own
    # Reloading after a save refreshes the pages built so far; the others read it when shown.
    ctx.services.families.set_safety(fid, "Uncle Bob", "")
    dialog.reload()
    assert tabs.built_page("safety") is None
    assert dialog.must_not.toPlainText() == "Uncle Bob"


def test_register_adds_a_busy_sessions_cards_a_few_at_a_time(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.families.register import CARD_BATCH, RegisterTab

    sid = saturday_session(ctx.services, capacity=12)
    for n in range(11):
        ctx.services.bookings.book(accepted_family(ctx.services, full_name=f"Parent {n}"), sid)
    tab = RegisterTab(ctx)
    qtbot.addWidget(tab)
    shown = lambda: [w for w in tab.scroll_area.widget().findChildren(QFrame)  # noqa: E731
                     if w.objectName() == "entry"]
    assert tab.busy and len(shown()) == CARD_BATCH < 11
    qtbot.waitUntil(lambda: not tab.busy, timeout=5000)
    QApplication.processEvents()
    assert len(shown()) == 11
    assert [c.entry.booking_id for c in shown()] == [e.booking_id for e in tab.current().entries]
    tab.refresh()  # asking for the cards adds the ones still to come at once
    assert tab.busy and len(tab.cards) == 11 and not tab.busy
