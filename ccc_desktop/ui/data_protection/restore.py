"""File > Restore from a backup, while locked: for when the records cannot be opened at all
(a damaged file, a lost key file). A Coordinator's or Chair's passphrase that opens the current
key file (if there is one) and the backup authorises it; the files replaced are kept in the data folder's backups folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.errors import CccError, ValidationError, VaultCorrupt, WrongPassphrase
from ccc_desktop.models.services.backup import OlderThanRevocation, restore_while_locked
from ccc_desktop.models.vault import Vault
from ccc_desktop.ui.widgets.background import BackgroundTask
from ccc_desktop.ui.widgets.dialogs import DialogService
from ccc_desktop.ui.widgets.forms import FieldErrors, banner_label, line_edit


class LockedRestoreDialog(QDialog):
    def __init__(self, vault: Vault, dialogs: DialogService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.dialogs = dialogs
        self.task: BackgroundTask | None = None
        self.aside: Path | None = None
        self._args: tuple[str, str, str, bool] = ("", "", "", False)
        self.setWindowTitle("Restore from a backup")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Use this when the records cannot be opened. Choose the backup folder (named "
            "CCC-backup-…) and enter a Coordinator's or Chair's account name and passphrase: it "
            "must open the backup, and the current records too if their key file is still here. The files replaced are kept in the "
            "data folder's backups folder.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.banner = banner_label()
        layout.addWidget(self.banner)
        form = QFormLayout()
        self.errors = FieldErrors(self.banner)
        folder_row = QWidget()
        row = QHBoxLayout(folder_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.folder = line_edit(placeholder="The CCC-backup-… folder")
        choose = QPushButton("C&hoose…")
        choose.clicked.connect(self.choose)
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        self.errors.add(form, "folder", "&Backup:", folder_row)
        self.username = self.errors.add(form, "username", "&Account:", line_edit(placeholder="e.g. coordinator"))
        self.passphrase = self.errors.add(form, "passphrase", "&Passphrase:", line_edit(password=True))
        layout.addLayout(form)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.hide()
        layout.addWidget(self.progress)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Restore")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(580)
        self.resize(600, 290)

    def choose(self) -> None:
        folder = self.dialogs.choose_folder(self, "Choose the backup folder (CCC-backup-…)")
        if folder:
            self.folder.setText(folder)

    def submit(self) -> None:
        self.errors.clear()
        folder = self.folder.text().strip()
        username = self.username.text().strip()
        passphrase = self.passphrase.text()
        if not folder:
            self.errors.show(ValidationError("Choose the backup folder.", "folder"))
            return
        if not username:
            self.errors.show(ValidationError("Enter the account name.", "username"))
            return
        if not self.dialogs.confirm(self, "Replace the records?",
                                    "Replace the records on this computer with this backup? The files "
                                    "replaced are kept in the data folder's backups folder.",
                                    yes="Restore", no="Cancel"):
            return
        self._run(folder, username, passphrase, False)

    def _run(self, folder: str, username: str, passphrase: str, confirm_older: bool) -> None:
        self.buttons.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        vault = self.vault
        self._args = (folder, username, passphrase, confirm_older)
        self.task = BackgroundTask(
            lambda progress: restore_while_locked(vault, Path(folder), username, passphrase,
                                                  progress, confirm_older),
            self._done, self._failed, self._progress)
        self.task.start()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setValue(int(100 * done / max(1, total)))

    def _done(self, aside: Path) -> None:
        self.task = None
        self.aside = aside
        self.dialogs.info(self, "Records restored",
                          f"The records were restored. The files replaced are kept in backups/{aside.name}. "
                          "Log in to carry on.")
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.progress.hide()
        self.buttons.setEnabled(True)
        folder, username, passphrase, confirm_older = self._args
        if isinstance(exc, OlderThanRevocation) and not confirm_older:
            if self.dialogs.confirm(self, "Backup older than the last revocation", str(exc),
                                    yes="Restore it anyway", no="Cancel"):
                self._run(folder, username, passphrase, True)
            return
        if isinstance(exc, WrongPassphrase):
            self.passphrase.clear()
            self.errors.show(ValidationError(
                "That account name and passphrase do not open this backup and the current "
                "records. Both are needed, so that an account that has been disabled cannot "
                "restore an old backup.", "passphrase"))
        elif isinstance(exc, VaultCorrupt):
            self.errors.show(ValidationError(str(exc), "folder"))
        elif isinstance(exc, CccError):
            self.errors.show(exc)
        else:
            self.errors.show(CccError(f"The restore stopped: {exc}. Nothing was changed."))

    def reject(self) -> None:
        if self.task is None:
            super().reject()
