"""Keyboard and screen readers (issue 7, for the Coordinator): on every main screen the Tab key
reaches every control, and every field, list and button has a name a screen reader can say."""

from __future__ import annotations

import pytest
from a11y_helpers import controls, describe, pages, tab_order, unnamed
from family_helpers import accepted_family
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from volunteer_helpers import ready_volunteer

from ccc_desktop.models.legal_records import SummonsForm
from ccc_desktop.models.vault import Vault
from ccc_desktop.ui.shell.app import Controller
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs
from conftest import COORDINATOR


def _problems(root: QWidget, where: str) -> list[str]:
    out = []
    for page in pages(root):
        for w in unnamed(root):
            out.append(f"{where} / {page}: no accessible name: {describe(w)}")
        reached = tab_order(root)
        for w in controls(root):
            if w not in reached:
                out.append(f"{where} / {page}: Tab never reaches {describe(w)}")
    return out


@pytest.fixture
def window(qtbot, vault: Vault, coordinator):  # type: ignore[no-untyped-def]
    # Something on every screen: a family booked into today's session, a volunteer, a summons,
    # a subject access request.
    fid = accepted_family(coordinator)
    today = coordinator.session.clock.today().strftime("%d/%m/%Y")
    coordinator.bookings.book(fid, coordinator.bookings.add_session(today, "09:00", "12:00", 8))
    ready_volunteer(coordinator)
    coordinator.summonses.log(SummonsForm(received_on="20/11/2026", received_how="post",
                                          court="Derby Family Court", case_number="DE26P01234",
                                          hearing_date="14/12/2026", family_id=fid))
    coordinator.subject_access.log("Jane Example", "Seen photo ID", "20/11/2026")
    c = Controller(vault, RecordingDialogs())
    qtbot.addWidget(c.window)
    c.start()
    c.window.show()
    qtbot.waitExposed(c.window)
    yield c
    c.shutdown()


def _unlock(qtbot, c: Controller) -> None:  # type: ignore[no-untyped-def]
    panel = c.unlock_panel
    panel.username.setText(COORDINATOR[0])
    panel.passphrase.setText(COORDINATOR[1])
    panel.unlock_button.click()
    qtbot.waitUntil(lambda: not c.window.locked, timeout=5000)


def test_unlock_screen_by_keyboard(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    problems = _problems(window.unlock_panel, "unlock")
    assert problems == []
    assert window.unlock_panel.username in tab_order(window.unlock_panel)


def test_every_main_tab_is_reachable_and_named(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    _unlock(qtbot, window)
    w = window.window
    assert w.tab_keys == ["dashboard", "families", "register", "calendar", "waiting", "volunteers", "dbs", "legal",
                          "reports", "policy", "settings"]
    problems = []
    for key in w.tab_keys:
        tab = w.show_tab(key)
        QApplication.processEvents()
        problems += _problems(tab, key)
    assert problems == []


def test_register_buttons_say_which_family(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    _unlock(qtbot, window)
    tab = window.window.show_tab("register")
    card = tab.findChild(QWidget, "entry")
    assert card is not None
    assert card.arrived.accessibleName() == "Arrived F-0001"
    assert card.left.accessibleName() == "Left F-0001"
    assert card.arrived in tab_order(tab)


def test_family_record_and_summons_dialog_by_keyboard(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.families.families import FamilyDialog
    from ccc_desktop.ui.legal.summonses import SummonsDialog

    _unlock(qtbot, window)
    ctx = window.window.ctx
    families = window.window.show_tab("families")
    assert _problems(families, "families") == []
    order = tab_order(families)
    assert order.index(families.search) < order.index(families.table)  # search, then the list
    record = FamilyDialog(ctx, 1, window.window)
    qtbot.addWidget(record)
    record.show()
    qtbot.waitExposed(record)
    problems = _problems(record, "family record")
    assert problems == [], "\n".join(problems)
    record.close()
    dialog = SummonsDialog(ctx, None, window.window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert _problems(dialog, "summons dialog") == []
    order = tab_order(dialog)
    assert order.index(dialog.court) < order.index(dialog.case_number) < order.index(dialog.family.search)
    assert dialog.family.choice in order
    dialog.close()
    assert Qt  # keep the import for readers: keys are pressed with QTest in a11y_helpers


def test_the_main_forms_by_keyboard(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.data_protection.subject_access import LinkDialog
    from ccc_desktop.ui.families.families import DisclosureDialog, NewFamilyDialog
    from ccc_desktop.ui.volunteers.dbs import DbsCheckDialog
    from ccc_desktop.ui.volunteers.volunteers import VolunteerDialog

    _unlock(qtbot, window)
    w = window.window
    s = w.ctx.services
    dialogs = {
        "new referral": NewFamilyDialog(w.ctx, w),
        "disclosure request": DisclosureDialog(w.ctx, 1, w),
        "volunteer record": VolunteerDialog(w.ctx, s.volunteers.list()[0], w),
        "DBS check": DbsCheckDialog(w.ctx, None, None, w),
        "subject access link": LinkDialog(w.ctx, s.subject_access.list()[0], w),
    }
    problems = []
    for name, dialog in dialogs.items():
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        problems += _problems(dialog, name)
        dialog.close()
    assert problems == [], "\n".join(problems)
