"""Issue 12: the file dialogs leave no folder history behind, and disabling an account in
Settings rekeys with progress and says what older copies still open."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from ccc_desktop.ui.widgets.dialogs import DialogService


@pytest.fixture
def qt_settings(tmp_path: Path):
    folder = tmp_path / "config"
    folder.mkdir()
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
    return folder


def _accept_with(folder: Path) -> None:
    def go() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QFileDialog)
        dialog.setDirectory(str(folder))
        dialog.accept()
    QTimer.singleShot(50, go)


def _written(config: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in config.rglob("*") if p.is_file())


def test_the_file_dialogs_write_no_folder_history(qtbot, qt_settings: Path, tmp_path: Path) -> None:
    family = tmp_path / "Oddsworth family papers" / "letters"
    family.mkdir(parents=True)
    # Qt's own dialog, used plainly, writes the folder to QtProject.conf: the check can fail.
    plain = QFileDialog(None, "Plain")
    plain.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    plain.setFileMode(QFileDialog.FileMode.Directory)
    _accept_with(family)
    plain.exec()
    del plain
    import gc

    gc.collect()
    assert "Oddsworth" in _written(qt_settings)
    for p in qt_settings.rglob("*"):
        if p.is_file():
            p.unlink()

    _accept_with(family)
    chosen = DialogService().choose_folder(None, "Choose the backup folder")
    assert chosen is not None and Path(chosen) == family
    gc.collect()
    assert "Oddsworth" not in _written(qt_settings)


def test_disabling_an_account_rekeys_with_progress_and_says_what_still_opens(qtbot, coordinator, vault,
                                                                            vault_dir) -> None:
    from ccc_desktop.models.errors import WrongPassphrase
    from ccc_desktop.ui.settings.settings import AccountsPanel
    from ccc_desktop.ui.widgets.context import make_context
    from ccc_desktop.ui.widgets.dialogs import RecordingDialogs
    from conftest import VOLUNTEER

    kept = vault_dir / "backups" / "before-upgrade-from-v7-20261101-090000"
    kept.mkdir(parents=True)
    (kept / "centre.keys").write_text("{}")
    dialogs = RecordingDialogs()
    ctx = make_context(coordinator, dialogs)
    panel = AccountsPanel(ctx)
    qtbot.addWidget(panel)
    row = next(i for i in range(panel.model.rowCount()) if panel.model.row(i).username == "volunteer")
    panel.table.selectRow(row)
    assert panel.disable_button.isEnabled()
    panel.disable()
    texts = [t for _, _, t in dialogs.shown]
    assert any("new key" in t and "old passphrase" in t.lower() for t in texts), texts
    assert any("still open with the old passphrases" in t for t in texts), texts
    asked = [(k, title) for k, title, _ in dialogs.shown]
    assert ("confirm", "Make a fresh backup?") in asked
    assert ("confirm", "Delete the older copies?") in asked and not kept.exists()
    volunteer = next(panel.model.row(i) for i in range(panel.model.rowCount())
                     if panel.model.row(i).username == "volunteer")
    assert not volunteer.enabled
    with pytest.raises(WrongPassphrase):
        vault.unlock(*VOLUNTEER)


def test_what_a_manager_unlock_finds_changed_is_shown(qtbot, vault, vault_dir) -> None:
    import sqlcipher3

    from ccc_desktop.models.keyslots import SlotFile
    from ccc_desktop.ui.shell.app import Controller
    from ccc_desktop.ui.widgets.dialogs import RecordingDialogs
    from conftest import COORDINATOR, VOLUNTEER

    keys = SlotFile.load(vault_dir / "centre.keys").unlock_passphrase(*VOLUNTEER)
    conn = sqlcipher3.connect(str(vault_dir / "centre.cccdb"), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{bytes(keys.db_key).hex()}'\"")
    conn.execute("UPDATE accounts SET role = 'chair' WHERE username = 'volunteer'")
    conn.close()
    dialogs = RecordingDialogs()
    c = Controller(vault, dialogs)
    qtbot.addWidget(c.window)
    c.start()
    c.unlock_now(*COORDINATOR)
    warnings = [(title, text) for kind, title, text in dialogs.shown if kind == "warning"]
    assert warnings and warnings[0][0] == "Changed outside CCC Desktop"
    assert "volunteer" in warnings[0][1] and "changed outside CCC Desktop" in warnings[0][1]
    c.lock()
    c.shutdown()


def test_a_new_recovery_key_is_shown_and_offered_for_printing(qtbot, tmp_path, monkeypatch) -> None:
    """After the upgrade the recovery slot is still in the old format: the first revocation
    issues a new recovery key, shown and put in the print preview like at set-up."""
    import shutil
    from datetime import datetime

    from ccc_desktop.models.clock import FixedClock
    from ccc_desktop.models.services.registry import build_services
    from ccc_desktop.models.vault import Vault
    from ccc_desktop.ui.settings.revoke import disable_account
    from ccc_desktop.ui.widgets import pdf_preview
    from ccc_desktop.ui.widgets.context import make_context
    from ccc_desktop.ui.widgets.dialogs import RecordingDialogs
    from conftest import FIXTURES

    previews: list[bytes] = []
    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "exec",
                        lambda self: previews.append(b"shown") or 0)
    folder = tmp_path / "v7"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    vault = Vault(folder, FixedClock(datetime(2026, 11, 27, 9, 0)))
    session = vault.unlock("coordinator", "riverside coordinator")
    services = build_services(session)
    dialogs = RecordingDialogs(confirm_answer=True)
    ctx = make_context(services, dialogs)
    vol = next(a for a in services.accounts.list() if a.username == "volunteer")
    result = disable_account(ctx, vol, None)  # type: ignore[arg-type]
    assert result is not None and result.new_recovery_key
    shown = [text for kind, title, text in dialogs.shown if title == "New recovery key"]
    assert shown and result.new_recovery_key in shown[0]
    assert previews == [b"shown"]
    session.lock()


def test_removing_an_account_says_what_it_does_and_it_leaves_the_list(qtbot, coordinator, vault) -> None:
    from ccc_desktop.models.errors import WrongPassphrase
    from ccc_desktop.ui.settings.settings import AccountsPanel
    from ccc_desktop.ui.widgets.context import make_context
    from ccc_desktop.ui.widgets.dialogs import RecordingDialogs
    from conftest import VOLUNTEER

    dialogs = RecordingDialogs()
    ctx = make_context(coordinator, dialogs)
    panel = AccountsPanel(ctx)
    qtbot.addWidget(panel)

    def select(username: str) -> None:
        panel.table.selectRow(next(i for i in range(panel.model.rowCount())
                                   if panel.model.row(i).username == username))

    select("coordinator")
    assert not panel.remove_button.isEnabled()  # not yourself
    select("volunteer")
    assert panel.remove_button.isEnabled()
    dialogs.confirm_answer = False
    panel.remove()
    assert "volunteer" in [panel.model.row(i).username for i in range(panel.model.rowCount())]
    asked = [t for k, title, t in dialogs.shown if (k, title) == ("confirm", "Remove account")]
    assert asked and "for good" in asked[0] and "can never be enabled again" in asked[0]
    assert "new key" in asked[0] and "audit trail still show the name" in asked[0]

    dialogs.confirm_answer = True
    select("volunteer")
    panel.remove()
    assert "volunteer" not in [panel.model.row(i).username for i in range(panel.model.rowCount())]
    done = [t for k, title, t in dialogs.shown if title == "Account removed"]
    assert done and "still open with the old passphrases" in done[0]
    with pytest.raises(WrongPassphrase):
        vault.unlock(*VOLUNTEER)


def test_removing_a_disabled_account_needs_no_new_key(qtbot, coordinator) -> None:
    from ccc_desktop.ui.settings.settings import AccountsPanel
    from ccc_desktop.ui.widgets.context import make_context
    from ccc_desktop.ui.widgets.dialogs import RecordingDialogs

    vol = next(a for a in coordinator.accounts.list() if a.username == "volunteer")
    coordinator.accounts.disable(vol.id)
    dialogs = RecordingDialogs()
    panel = AccountsPanel(make_context(coordinator, dialogs))
    qtbot.addWidget(panel)
    panel.table.selectRow(next(i for i in range(panel.model.rowCount())
                               if panel.model.row(i).username == "volunteer"))
    panel.remove()
    asked = [t for k, title, t in dialogs.shown if title == "Remove account"]
    assert asked and "already disabled" in asked[0] and "new key" not in asked[0]
    assert ("info", "Account removed") in [(k, title) for k, title, _ in dialogs.shown]
    assert "volunteer" not in [panel.model.row(i).username for i in range(panel.model.rowCount())]
