"""File > Restore from a backup, while locked: for when the records cannot be opened at all
(a damaged file, a lost key file). A Coordinator's or Chair's passphrase that opens the current
key file (if there is one) and the backup authorises it; the files replaced are kept in the data folder's backups folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from ccc_desktop.models.errors import CccError, ValidationError, VaultCorrupt, WrongPassphrase
from ccc_desktop.models.services.locked_restore import (
    LiveUnchecked,
    OlderThanRevocation,
    restore_while_locked,
)
from ccc_desktop.models.vault import Vault
from ccc_desktop.ui.widgets.dialogs import DialogService
from ccc_desktop.ui.widgets.forms import FormDialog, KeepOpen, line_edit


class LockedRestoreDialog(FormDialog):
    def __init__(self, vault: Vault, dialogs: DialogService, parent: QWidget | None = None) -> None:
        super().__init__(
            "Restore from a backup", parent,
            "Use this when the records cannot be opened. Choose the backup folder (named "
            "CCC-backup-…) and enter a Coordinator's or Chair's account name and passphrase: it "
            "must open the backup, and the current records too if their key file is still here. "
            "The files replaced are kept in the data folder's backups folder.",
            ok_text="Restore")
        self.vault = vault
        self.dialogs = dialogs
        self.aside: Path | None = None
        folder_row = QWidget()
        row = QHBoxLayout(folder_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.folder = line_edit(placeholder="The CCC-backup-… folder")
        choose = QPushButton("C&hoose…")
        choose.clicked.connect(self.choose)
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        self.field("folder", "&Backup:", folder_row)
        self.username = self.field("username", "&Account:", line_edit(placeholder="e.g. coordinator"))
        self.passphrase = self.field("passphrase", "&Passphrase:", line_edit(password=True))
        self.add_progress()
        self.outer.addStretch(1)
        self.finish(580)
        self.resize(600, 290)

    def choose(self) -> None:
        folder = self.dialogs.choose_folder(self, "Choose the backup folder (CCC-backup-…)")
        if folder:
            self.folder.setText(folder)

    def save(self) -> None:
        folder = self.folder.text().strip()
        username = self.username.text().strip()
        if not folder:
            raise ValidationError("Choose the backup folder.", "folder")
        if not username:
            raise ValidationError("Enter the account name.", "username")
        if not self.dialogs.confirm(self, "Replace the records?",
                                    "Replace the records on this computer with this backup? The files "
                                    "replaced are kept in the data folder's backups folder.",
                                    yes="Restore", no="Cancel"):
            raise KeepOpen
        self._run(folder, username, self.passphrase.text(), False, False)

    def _run(self, folder: str, username: str, passphrase: str, confirm_older: bool,
             confirm_unchecked: bool) -> None:
        vault = self.vault

        def refused(exc: BaseException) -> CccError | None:
            if isinstance(exc, LiveUnchecked) and not confirm_unchecked:
                if self.dialogs.confirm(self, "Who lost access cannot be checked", str(exc),
                                        yes="Restore it anyway", no="Cancel"):
                    self._run(folder, username, passphrase, confirm_older, True)
                return None
            if isinstance(exc, OlderThanRevocation) and not confirm_older:
                if self.dialogs.confirm(self, "Backup older than the last revocation", str(exc),
                                        yes="Restore it anyway", no="Cancel"):
                    self._run(folder, username, passphrase, True, confirm_unchecked)
                return None
            if isinstance(exc, WrongPassphrase):
                self.passphrase.clear()
                return ValidationError(
                    "That account name and passphrase do not open this backup and the current "
                    "records. Both are needed, so that an account that has been disabled cannot "
                    "restore an old backup.", "passphrase")
            if isinstance(exc, VaultCorrupt):
                return ValidationError(str(exc), "folder")
            return exc if isinstance(exc, CccError) else CccError(
                f"The restore stopped: {exc}. Nothing was changed.")

        self.run_task(lambda progress: restore_while_locked(vault, Path(folder), username, passphrase,
                                                            progress, confirm_older, confirm_unchecked),
                      self._done, refused)

    def _done(self, aside: Path) -> None:
        self.aside = aside
        self.dialogs.info(self, "Records restored",
                          f"The records were restored. The files replaced are kept in backups/{aside.name}. "
                          "Log in to carry on.")
