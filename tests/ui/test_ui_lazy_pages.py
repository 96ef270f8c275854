"""Screens with several pages build each page the first time it is shown, and a family record
or a stored letter opened from the record is read in the background (issue 17: opening a screen
built every page at once, and waited for the audit trail's write, holding the window)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QFrame

from ccc_desktop.ui.data_protection.reports import BackupPanel, DisposalLogPanel, ReportsTab
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


def test_a_family_record_is_read_in_the_background_when_asked(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.families.record import FamilyDialog

    fid = accepted_family(ctx.services)
    before = len(ctx.services.audit.entries(ctx.actor, "family opened"))
    dialog = FamilyDialog(ctx, fid, background=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.busy and dialog.tabs.count() == 0
    assert dialog.heading.text() == "Opening the record…"
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    assert dialog.tabs.count() == 8 and dialog.tabs.currentWidget() is dialog.referral
    assert dialog.heading.text().startswith(dialog.family.reference)
    assert dialog.windowTitle() == f"Family {dialog.family.reference}"
    assert len(ctx.services.audit.entries(ctx.actor, "family opened")) == before + 1  # audited
    assert dialog.adults_model.rowCount() == 2


def test_a_refused_record_closes_with_the_reason(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.families.record import FamilyDialog

    dialog = FamilyDialog(ctx, 9999, background=True)  # no such family
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    assert not dialog.isVisible() and dialog.result() == 0
    kind, title, _text = ctx.dialogs.shown[-1][:3]
    assert (kind, title) == ("error", "Cannot open the record")


def test_a_stored_letter_is_read_and_drawn_in_the_background_when_asked(qtbot, ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.documents.recovery_key import recovery_key_pdf
    from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog
    from conftest import CENTRE

    services = ctx.services
    pdf = recovery_key_pdf(CENTRE, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", services.session.clock.today())
    letter = services.letters.keep("sample", "Sample letter", "centre", None, pdf)
    dialog = PdfPreviewDialog(ctx, letter_id=letter.id, background=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.busy and dialog.count.text() == "Opening the letter…"
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    assert len(dialog.page_labels) == 1 and dialog.count.text() == "1 page"
    assert dialog.windowTitle() == "Sample letter" and dialog.save_button.isEnabled()
    ctx.dialogs.save_path = str(tmp_path / "out")
    dialog.save()
    assert (tmp_path / "out.pdf").read_bytes() == pdf
    actions = [e.action for e in services.audit.for_record(services.session.actor, "letter", letter.id)]
    assert actions == ["letter generated", "letter opened", "letter saved as PDF"]
    gone = PdfPreviewDialog(ctx, letter_id=letter.id + 1, background=True)  # no such letter
    qtbot.addWidget(gone)
    gone.show()
    qtbot.waitUntil(lambda: not gone.busy, timeout=10000)
    assert not gone.isVisible() and ctx.dialogs.shown[-1][:2] == ("error", "Cannot open the letter")


def test_tab_goes_through_a_page_built_late_and_then_to_close(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from a11y_helpers import tab_order
    from PySide6.QtWidgets import QTabBar

    from ccc_desktop.ui.families.record import FamilyDialog

    dialog = FamilyDialog(ctx, accepted_family(ctx.services), background=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    for index in (0, 1, 3):  # Referral (made after Close), People and Bookings (made when shown)
        dialog.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        order = tab_order(dialog)
        at = order.index(dialog.close_button)
        page = dialog.tabs.currentWidget()
        assert all(page.isAncestorOf(w) for w in order[:at]) and at > 1, index
        assert isinstance(order[at + 1], QTabBar), index  # then the page tabs, as before
