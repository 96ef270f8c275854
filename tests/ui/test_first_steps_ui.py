"""The first steps on the dashboard (issue 16): ticks, a button to where each step is done, and
hiding the list; the Session volunteer never has it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QTabWidget, QWidget

from ccc_desktop.models.vault import Vault
from ccc_desktop.ui.shell.app import Controller
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs
from conftest import COORDINATOR, VOLUNTEER


@pytest.fixture
def controller(qtbot, vault: Vault):  # type: ignore[no-untyped-def]
    c = Controller(vault, RecordingDialogs())
    qtbot.addWidget(c.window)
    c.window.show()
    yield c
    c.shutdown()


def checklist(c: Controller) -> QGroupBox | None:
    """The first steps on the dashboard, once its worker has gathered the sections."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtTest import QTest

    dashboard = c.window.tab("dashboard")
    assert dashboard is not None
    for _ in range(500):  # the dashboard gathers its sections in a worker thread
        if not dashboard.busy:  # type: ignore[attr-defined]
            break
        QTest.qWait(20)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the old boxes go
    return dashboard.findChild(QGroupBox, "checklist_first_steps")


def test_each_button_goes_to_the_control_that_does_it(qtbot, controller: Controller) -> None:  # type: ignore[no-untyped-def]
    controller.unlock_now(*COORDINATOR)
    box = checklist(controller)
    assert box is not None and box.title() == "First steps: 1 of 5 done"  # the test vault has a Chair
    texts = [w.text() for w in box.findChildren(QLabel)]
    assert "\u2714" in texts and texts.count("\u2610") == 4
    buttons = [b for b in box.findChildren(QPushButton) if b.objectName() != "dismiss_checklist"]
    assert [b.text() for b in buttons] == [
        "Set the session days", "Add a volunteer", "Import from a spreadsheet",
        "Record the last review", "Make a backup"]
    expected = {"Set the session days": ("register", "days_button"),
                "Add a volunteer": ("volunteers", "new_volunteer_button"),
                "Import from a spreadsheet": ("settings", "import_button"),
                "Record the last review": ("policy", "review_button"),
                "Make a backup": ("reports", "backup_button")}
    window = controller.window
    for button in buttons:
        tab_key, name = expected[button.text()]
        window.show_tab("dashboard")
        box = checklist(controller)
        assert box is not None
        button = next(b for b in box.findChildren(QPushButton) if b.text() == button.text())
        button.click()
        assert window.tabs is not None
        assert window.tab_keys[window.tabs.currentIndex()] == tab_key
        target = window.tab(tab_key).findChild(QWidget, name)  # type: ignore[union-attr]
        assert target is not None and target.isVisible(), name  # its inner page is in front
        assert target.hasFocus() or window.focusWidget() is target, name


def test_the_chairs_button_goes_to_the_accounts_page(qtbot, controller: Controller, coordinator) -> None:  # type: ignore[no-untyped-def]
    chair = next(a for a in coordinator.accounts.list() if a.username == "chair")
    coordinator.accounts.disable(chair.id)
    coordinator.session.lock("logged out")
    controller.unlock_now(*COORDINATOR)
    box = checklist(controller)
    assert box is not None and box.title() == "First steps: 0 of 5 done"
    next(b for b in box.findChildren(QPushButton) if b.text() == "Add the Chair's account").click()
    settings = controller.window.tab("settings")
    assert isinstance(settings, QTabWidget)
    assert settings.tabText(settings.currentIndex()) == "Accounts"
    assert settings.findChild(QWidget, "add_account_button").isVisible()  # type: ignore[union-attr]


def test_hiding_the_list_is_kept(qtbot, controller: Controller) -> None:  # type: ignore[no-untyped-def]
    controller.unlock_now(*COORDINATOR)
    box = checklist(controller)
    assert box is not None
    box.findChild(QPushButton, "dismiss_checklist").click()  # type: ignore[union-attr]
    assert checklist(controller) is None
    controller.lock()
    controller.unlock_now(*COORDINATOR)
    assert checklist(controller) is None


def test_a_step_ticks_itself_off_while_the_dashboard_is_open(qtbot, controller: Controller) -> None:  # type: ignore[no-untyped-def]
    controller.unlock_now(*COORDINATOR)
    assert controller.window.ctx is not None
    controller.window.ctx.services.bookings.add_pattern(5, "10:00", "12:00", 8)
    qtbot.waitUntil(lambda: checklist(controller) is not None
                    and checklist(controller).title() == "First steps: 2 of 5 done")  # type: ignore[union-attr]


def test_the_session_volunteer_has_no_dashboard_or_first_steps(qtbot, controller: Controller) -> None:  # type: ignore[no-untyped-def]
    controller.unlock_now(*VOLUNTEER)
    assert controller.window.tab("dashboard") is None
