"""Reports > Backups: test a backup from the window, the generations settings, and the backup
made when the app closes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel

from ccc_desktop.models.vault import Vault
from ccc_desktop.ui.data_protection import backups, closing_backup
from ccc_desktop.ui.shell.app import Controller
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs
from conftest import COORDINATOR


class _Answered(backups.BackupPassphraseDialog):
    """The passphrase dialog as if the user typed the passphrase and pressed OK."""

    def exec(self) -> int:  # type: ignore[override]
        self.passphrase.setText(COORDINATOR[1])
        return 1


def _controller(qtbot, vault: Vault, dialogs: RecordingDialogs) -> Controller:
    c = Controller(vault, dialogs)
    qtbot.addWidget(c.window)
    c.start()
    c.unlock_now(*COORDINATOR)
    return c


def test_test_a_backup_from_the_window(qtbot, vault: Vault, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(backups, "BackupPassphraseDialog", _Answered)
    dialogs = RecordingDialogs()
    c = _controller(qtbot, vault, dialogs)
    try:
        stick = tmp_path / "stick"
        stick.mkdir()
        made = c.ctx.services.backup.backup(stick)  # type: ignore[union-attr]
        c.show_backups()
        panel = c.window.tab("reports").backups  # type: ignore[union-attr]
        label = panel.findChild(QLabel, "lastTestedBackup")
        assert "No backup has been tested yet" in label.text()
        dialogs.folder = str(made.folder)
        panel.test_backup()
        qtbot.waitUntil(lambda: panel.task is None, timeout=20000)
        kind, title, text = dialogs.shown[-1]
        assert (kind, title) == ("info", "Backup tested")
        assert "passed its full check" in text and "families" in text
        assert made.name in label.text() and "checked out" in label.text()
    finally:
        c.shutdown()


def test_generation_settings_save_from_the_panel(qtbot, vault: Vault) -> None:
    dialogs = RecordingDialogs()
    c = _controller(qtbot, vault, dialogs)
    try:
        c.show_backups()
        panel = c.window.tab("reports").backups  # type: ignore[union-attr]
        assert (panel.daily.value(), panel.weekly.value(), panel.monthly.value()) == (7, 4, 12)
        assert panel.on_close.isChecked()
        panel.daily.setValue(3)
        panel.on_close.setChecked(False)
        panel.save_settings()
        saved = c.ctx.services.backup.settings()  # type: ignore[union-attr]
        assert saved.policy.daily == 3 and not saved.on_close
        assert dialogs.shown[-1][:2] == ("info", "Saved")
    finally:
        c.shutdown()


def test_closing_makes_a_backup_in_the_last_folder(qtbot, vault: Vault, tmp_path: Path,
                                                   monkeypatch) -> None:
    monkeypatch.setattr(closing_backup, "COUNTDOWN_S", 1)
    dialogs = RecordingDialogs()
    c = _controller(qtbot, vault, dialogs)
    try:
        stick = tmp_path / "stick"
        stick.mkdir()
        c.ctx.services.backup.backup(stick)  # type: ignore[union-attr]  # remembers the folder
        assert c.before_close() is True
        assert len([p for p in stick.iterdir() if p.name.startswith("CCC-backup-")]) >= 1
        assert len(c.ctx.services.backup.recent()) == 2  # type: ignore[union-attr]
    finally:
        c.shutdown()


def test_closing_with_the_stick_missing_asks(qtbot, vault: Vault, tmp_path: Path) -> None:
    dialogs = RecordingDialogs(confirm_answer=False)
    c = _controller(qtbot, vault, dialogs)
    try:
        stick = tmp_path / "stick"
        stick.mkdir()
        c.ctx.services.backup.backup(stick)  # type: ignore[union-attr]
        stick.rename(tmp_path / "elsewhere")
        assert c.before_close() is False  # the user chose Cancel: the window stays open
        assert dialogs.shown[-1][1] == "No backup folder"
    finally:
        c.shutdown()


def test_skip_this_time_before_the_copy_starts(qtbot, vault: Vault, tmp_path: Path) -> None:
    dialogs = RecordingDialogs()
    c = _controller(qtbot, vault, dialogs)
    try:
        stick = tmp_path / "stick"
        stick.mkdir()
        service = c.ctx.services.backup  # type: ignore[union-attr]
        service.backup(stick)
        dialog = closing_backup.ClosingBackupDialog(service, stick, c.window)
        qtbot.addWidget(dialog)
        dialog.skip_button.click()
        assert dialog.result() == 0 and dialog.task is None
        assert len(service.recent()) == 1
    finally:
        c.shutdown()
