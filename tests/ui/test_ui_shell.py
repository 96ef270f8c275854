"""The window opens offscreen, unlocks, locks (Ctrl+L and idle) and shows each role its tabs."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ccc_desktop.models.vault import Vault
from ccc_desktop.ui.shell.app import Controller
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs
from conftest import CENTRE, CHAIR, COORDINATOR, VOLUNTEER


@pytest.fixture
def controller(qtbot, vault: Vault):
    dialogs = RecordingDialogs()
    c = Controller(vault, dialogs)
    qtbot.addWidget(c.window)
    c.start()
    yield c
    c.shutdown()


def _unlock(qtbot, c: Controller, username: str, passphrase: str) -> None:
    panel = c.unlock_panel
    panel.username.clear()
    qtbot.keyClicks(panel.username, username)
    qtbot.keyClicks(panel.passphrase, passphrase)
    qtbot.mouseClick(panel.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not c.window.locked or panel.message.text() != "", timeout=5000)


def test_opens_locked_and_unlocks(qtbot, controller: Controller) -> None:
    assert controller.window.locked
    assert controller.window.status_user.text() == "Locked"
    _unlock(qtbot, controller, *COORDINATOR)
    assert not controller.window.locked
    assert controller.window.tab_keys == [
        "dashboard", "families", "register", "calendar", "waiting", "volunteers", "dbs", "legal", "reports", "policy", "settings"]
    assert "Carol Dean" in controller.window.status_user.text()
    assert "Coordinator" in controller.window.status_user.text()
    assert CENTRE.name in controller.window.windowTitle()


def test_wrong_passphrase_shows_message_and_stays_locked(qtbot, controller: Controller) -> None:
    _unlock(qtbot, controller, "coordinator", "certainly wrong")
    assert controller.window.locked
    assert controller.unlock_panel.message.text() == "Wrong passphrase."
    assert controller.unlock_panel.passphrase.text() == ""


def test_ctrl_l_locks_and_drops_the_session(qtbot, controller: Controller) -> None:
    _unlock(qtbot, controller, *COORDINATOR)
    session = controller.session
    assert session is not None
    controller.window.lock_action.trigger()
    assert controller.window.locked
    assert not session.is_open
    assert controller.window.tabs is None
    _unlock(qtbot, controller, *COORDINATOR)
    assert not controller.window.locked


def test_idle_timeout_locks(qtbot, controller: Controller) -> None:
    _unlock(qtbot, controller, *COORDINATOR)
    controller.idle.start(50)
    qtbot.waitUntil(lambda: controller.window.locked, timeout=3000)


def test_using_the_keyboard_or_mouse_puts_off_the_idle_lock(qtbot, controller: Controller,  # type: ignore[no-untyped-def]
                                                           monkeypatch) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    _unlock(qtbot, controller, *COORDINATOR)
    used: list[str] = []
    monkeypatch.setattr(controller.idle, "activity", lambda: used.append("used"))
    QTest.keyClick(controller.window, Qt.Key.Key_Shift)
    assert used  # the key press, seen by the application's filter
    used.clear()
    QTest.mouseClick(controller.window, Qt.MouseButton.LeftButton)
    assert used  # and the mouse
    monkeypatch.undo()
    controller.idle.start(1000)
    QTest.qWait(400)
    controller.idle.activity()  # the spell without use starts again
    assert controller.idle.timer.remainingTime() > 800
    assert not controller.window.locked


def test_lock_shortcut_is_ctrl_l(controller: Controller) -> None:
    assert controller.window.lock_action.shortcut().toString() == "Ctrl+L"


def test_volunteer_sees_only_the_register(qtbot, controller: Controller) -> None:
    _unlock(qtbot, controller, *VOLUNTEER)
    assert controller.window.tab_keys == ["register", "calendar", "policy"]
    assert "Session volunteer" in controller.window.status_user.text()


def test_chair_sees_settings(qtbot, controller: Controller) -> None:
    _unlock(qtbot, controller, *CHAIR)
    assert "settings" in controller.window.tab_keys


def test_audit_panel_verifies(qtbot, controller: Controller) -> None:
    _unlock(qtbot, controller, *COORDINATOR)
    settings = controller.window.show_tab("settings")
    settings.setCurrentIndex(2)
    qtbot.mouseClick(settings.audit.verify_button, Qt.MouseButton.LeftButton)
    assert "whole" in settings.audit.result.text()
    assert settings.audit.model.rowCount() > 0


def test_add_account_through_the_dialog(qtbot, controller: Controller, monkeypatch) -> None:
    from ccc_desktop.ui.settings import settings as settings_ui

    _unlock(qtbot, controller, *COORDINATOR)
    tab = controller.window.show_tab("settings")
    seen = {}

    def fake_exec(dialog) -> int:
        dialog.display_name.setText("New Person")
        dialog.username.setText("n.person")
        dialog.passphrase.setText("Temporary pass 123")
        dialog.again.setText("Temporary pass 12")  # a typo first
        dialog.submit()
        seen["typo"] = dialog.errors.message_for("again")
        dialog.again.setText("Temporary pass 123")
        dialog.submit()
        return 1

    monkeypatch.setattr(settings_ui.NewPassphraseDialog, "exec", fake_exec)
    tab.accounts.add()
    assert "not the same" in seen["typo"]
    names = [tab.accounts.model.row(i).username for i in range(tab.accounts.model.rowCount())]
    assert "n.person" in names


def test_centre_details_validation_by_the_field(qtbot, controller: Controller) -> None:
    _unlock(qtbot, controller, *COORDINATOR)
    tab = controller.window.show_tab("settings")
    tab.centre.name.setText("   ")
    tab.centre.save()
    assert "centre's name" in tab.centre.errors.message_for("name")
    assert controller.ctx.services.centre.details().name == CENTRE.name


def test_must_change_passphrase_is_asked_for(qtbot, vault: Vault, coordinator, monkeypatch) -> None:
    from ccc_desktop.models.roles import Role
    from ccc_desktop.ui.shell import passphrase_dialog

    coordinator.accounts.add("temp.user", "Temp User", Role.VOLUNTEER, "Temporary pass 123")

    def fake_exec(dialog) -> int:
        dialog.current.setText("Temporary pass 123")
        dialog.new.setText("My very own passphrase")
        dialog.again.setText("My very own passphrase")
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(passphrase_dialog.ChangePassphraseDialog, "exec", fake_exec)
    c = Controller(vault, RecordingDialogs())
    qtbot.addWidget(c.window)
    c.start()
    _unlock(qtbot, c, "temp.user", "Temporary pass 123")
    assert not c.window.locked
    c.shutdown()
    vault.unlock("temp.user", "My very own passphrase").lock()


def test_setup_wizard_creates_the_vault(qtbot, tmp_path: Path) -> None:
    from ccc_desktop.ui.shell.setup_wizard import SetupWizard

    vault = Vault(tmp_path / "new")
    wizard = SetupWizard(vault, RecordingDialogs())
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    assert wizard.currentPage() is wizard.centre
    wizard.next()  # no name: refused, the message is by the field
    assert wizard.currentPage() is wizard.centre
    assert "centre's name" in wizard.centre.errors.message_for("centre_name")
    wizard.centre.name.setText("Hilltop <Contact> & Centre")
    wizard.next()
    page = wizard.account
    page.display_name.setText("Pat Coordinator")
    page.username.setText("pat")
    page.passphrase.setText("short")
    page.again.setText("short")
    wizard.next()
    assert wizard.currentPage() is page and "10 characters" in page.errors.message_for("passphrase")
    assert not vault.exists()
    page.passphrase.setText("A long enough passphrase")
    page.again.setText("A long enough passphrase")
    wizard.next()
    assert wizard.currentPage() is wizard.recovery
    assert vault.exists() and wizard.session is not None
    assert len(wizard.recovery.key_label.text()) == 39
    wizard.next()
    assert wizard.currentPage() is wizard.confirm_key
    assert not wizard.button(wizard.WizardButton.FinishButton).isEnabled()
    groups = wizard.recovery_key.split("-")
    for number, edit in wizard.confirm_key.edits.items():
        edit.setText(groups[number - 1])
    assert wizard.button(wizard.WizardButton.FinishButton).isEnabled()
    wizard.session.lock()
    s = vault.unlock_with_recovery(wizard.recovery_key, "pat", "Yet another passphrase")
    s.lock()


def test_recovery_dialog_from_the_unlock_screen(qtbot, controller: Controller, recovery_key: str) -> None:
    from ccc_desktop.ui.shell.unlock import RecoveryDialog

    dialog = RecoveryDialog(controller.vault.unlock_with_recovery)
    qtbot.addWidget(dialog)
    dialog.key.setText("WRONG-KEY")
    dialog.username.setText("coordinator")
    dialog.new.setText("Recovered passphrase 1")
    dialog.again.setText("Recovered passphrase 1")
    dialog.submit()
    assert "recovery key" in dialog.errors.message_for("recovery_key")
    assert dialog.session is None
    dialog.key.setText(recovery_key)
    import time

    time.sleep(0)  # throttle: one failure needs no wait
    dialog.submit()
    assert dialog.session is not None
    dialog.session.lock()


def test_pdf_preview_saves_and_audits(qtbot, coordinator, tmp_path: Path) -> None:
    from ccc_desktop.documents.recovery_key import recovery_key_pdf
    from ccc_desktop.ui.widgets.context import make_context
    from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

    dialogs = RecordingDialogs(save_path=str(tmp_path / "out"))
    ctx = make_context(coordinator, dialogs)
    pdf = recovery_key_pdf(CENTRE, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", coordinator.session.clock.today())
    letter = coordinator.letters.keep("sample", "Sample letter", "centre", None, pdf)
    dialog = PdfPreviewDialog(ctx, letter_id=letter.id)
    qtbot.addWidget(dialog)
    assert len(dialog.page_labels) == 1
    dialog.save()
    assert (tmp_path / "out.pdf").read_bytes() == pdf
    actions = [e.action for e in coordinator.audit.for_record(coordinator.session.actor, "letter", letter.id)]
    assert actions == ["letter generated", "letter opened", "letter saved as PDF"]


def test_pdf_preview_reports_a_failed_save(qtbot, coordinator, tmp_path: Path) -> None:
    from ccc_desktop.documents.recovery_key import recovery_key_pdf
    from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

    target = tmp_path / "readonly"
    target.mkdir()
    target.chmod(0o500)
    dialogs = RecordingDialogs(save_path=str(target / "x.pdf"))
    pdf = recovery_key_pdf(CENTRE, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", coordinator.session.clock.today())
    dialog = PdfPreviewDialog(None, pdf=pdf, dialogs=dialogs)
    qtbot.addWidget(dialog)
    import os

    if os.geteuid() == 0:
        # root ignores directory permissions: point at a path that cannot exist instead.
        dialogs.save_path = str(tmp_path / "missing-file-as-dir" / "x.pdf")
        (tmp_path / "missing-file-as-dir").write_text("a file, not a folder")
    dialog.save()
    assert dialogs.shown[-1][0] == "error"
    assert "could not be saved" in dialogs.shown[-1][2]
