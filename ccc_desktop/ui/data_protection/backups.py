"""Reports > Backups: back up, restore, test a backup, and how many generations to keep."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.backup_rotation import RotationPolicy
from ccc_desktop.models.dates import format_datetime
from ccc_desktop.models.errors import CccError, ValidationError
from ccc_desktop.models.services.backup import (
    BackupSettings,
    BackupTest,
    OlderThanRevocation,
    PreparedRestore,
)
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.background import BackgroundTask, start
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FormDialog, line_edit
from ccc_desktop.ui.widgets.plain import wrapped_label
from ccc_desktop.ui.widgets.table_model import RecordTableModel, table_view


def describe_test(result: BackupTest) -> str:
    if not result.ok:
        return (f"The backup {result.name} did NOT pass its check: "
                + "; ".join(result.problems) + ". Make a new backup and test that one.")
    counts = ", ".join(f"{n:,} {label}" for label, n in result.counts.items())
    return (f"The backup {result.name} opened with your passphrase and passed its full check. "
            f"It holds {counts}. The copy used for the test has been removed; the current "
            "records were not touched.")


class BackupPassphraseDialog(FormDialog):
    """The passphrase that should open the backup being tested."""

    def __init__(self, backup_name: str, parent: QWidget | None = None) -> None:
        super().__init__("Test a backup", parent,
                         f"The backup {backup_name} will be copied to a temporary folder, opened "
                         "with your account name and this passphrase, checked through and counted, "
                         "then the copy is removed. The current records are not touched.")
        self.passphrase = line_edit(password=True)
        self.errors.add(self.form, "passphrase", "Your &passphrase:", self.passphrase)
        self.finish()

    def save(self) -> None:
        if not self.passphrase.text():
            raise ValidationError("Enter your passphrase.", "passphrase")


class BackupPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.task: BackgroundTask | None = None
        self._folder = ""
        self._failure_title = ""
        self._restore_args: tuple[str, str, bool] = ("", "", False)
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped_label(
            "A backup is an encrypted copy of the records and their key file, written to a folder you "
            "choose (a USB stick kept locked away). The same passphrases and the recovery key open it. "
            "Each copy is checked after it is written; a failed copy never replaces an earlier one."))
        self.last = wrapped_label()
        self.last.setObjectName("lastBackup")
        layout.addWidget(self.last)
        self.tested = wrapped_label()
        self.tested.setObjectName("lastTestedBackup")
        layout.addWidget(self.tested)
        row = QHBoxLayout()
        self.backup_button = QPushButton("&Back up now…")
        self.backup_button.setObjectName("backup_button")  # the first steps go here
        self.test_button = QPushButton("&Test a backup…")
        self.restore_button = QPushButton("&Restore from a backup…")
        self.backup_button.clicked.connect(self.backup)
        self.test_button.clicked.connect(self.test_backup)
        self.restore_button.clicked.connect(self.restore)
        for button in (self.backup_button, self.test_button, self.restore_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.hide()
        layout.addWidget(self.progress)
        layout.addWidget(self._generations_box())
        self.model = RecordTableModel([
            ("Made", lambda b: format_datetime(b.made_at)),
            ("Backup", lambda b: b.name),
            ("Size", lambda b: f"{b.size_bytes / 1_048_576:.1f} MB"),
        ])
        self.view = table_view(self.model)
        layout.addWidget(QLabel("Recent backups:"))
        layout.addWidget(self.view, 1)
        ctx.bus.changed.connect(lambda topics: self.refresh() if "backups" in topics else None)
        self.refresh()

    def _generations_box(self) -> QGroupBox:
        box = QGroupBox("Backups to keep in the backup folder")
        outer = QVBoxLayout(box)
        row = QHBoxLayout()
        self.daily, self.weekly, self.monthly, self.disposal_days = (
            QSpinBox(), QSpinBox(), QSpinBox(), QSpinBox())
        for spin, low, high, label, name in (
                (self.daily, 1, 60, "D&aily:", "Daily backups to keep"),
                (self.weekly, 0, 52, "&Weekly:", "Weekly backups to keep"),
                (self.monthly, 0, 36, "&Monthly:", "Monthly backups to keep")):
            spin.setRange(low, high)
            spin.setAccessibleName(name)
            text = QLabel(label)
            text.setBuddy(spin)
            row.addWidget(text)
            row.addWidget(spin)
        row.addStretch(1)
        outer.addLayout(row)
        row2 = QHBoxLayout()
        self.disposal_days.setRange(1, 365)
        self.disposal_days.setSuffix(" days")
        self.disposal_days.setAccessibleName("Days a backup holding disposed records is kept")
        text = QLabel("A backup holding disposed records is remo&ved after at most:")
        text.setBuddy(self.disposal_days)
        row2.addWidget(text)
        row2.addWidget(self.disposal_days)
        row2.addStretch(1)
        outer.addLayout(row2)
        self.on_close = QCheckBox("Back up to the last backup folder when CCC Desktop &closes")
        outer.addWidget(self.on_close)
        outer.addWidget(wrapped_label(
            "Older backups in the folder are removed after each new one: only backups these "
            "records made are ever removed."))
        save_row = QHBoxLayout()
        self.save_settings_button = QPushButton("&Save these settings")
        self.save_settings_button.clicked.connect(self.save_settings)
        save_row.addWidget(self.save_settings_button)
        save_row.addStretch(1)
        outer.addLayout(save_row)
        return box

    def refresh(self) -> None:
        if not self.ctx.services.session.is_open:
            return
        backup = self.ctx.services.backup
        last = backup.last_backup()
        if last is None:
            text, colour = "No backup has been made yet.", "#a15c00"
        else:
            text = f"Last backup: {format_datetime(last.made_at)} ({last.name})."
            colour = "#a15c00" if backup.is_overdue() else "#2e7d32"
            if backup.is_overdue():
                text += " That is more than a week ago: make a new one."
        self.last.setText(text)
        self.last.setStyleSheet(f"color: {colour}; font-weight: bold;")
        tested = backup.last_test()
        if tested is None:
            self.tested.setText("No backup has been tested yet: Test a backup opens a copy of one "
                                "to prove it can be restored.")
        elif tested.ok:
            self.tested.setText(f"Last tested backup: {tested.name}, tested "
                                f"{format_datetime(tested.tested_at)}: it opened and checked out.")
        else:
            self.tested.setText(f"The backup tested {format_datetime(tested.tested_at)} "
                                f"({tested.name}) failed its check.")
        settings = backup.settings()
        self.daily.setValue(settings.policy.daily)
        self.weekly.setValue(settings.policy.weekly)
        self.monthly.setValue(settings.policy.monthly)
        self.disposal_days.setValue(settings.policy.disposal_copy_days)
        self.on_close.setChecked(settings.on_close)
        self.model.set_rows(backup.recent())

    def save_settings(self) -> None:
        current = self.ctx.services.backup.settings()
        settings = BackupSettings(
            RotationPolicy(self.daily.value(), self.weekly.value(), self.monthly.value(),
                           self.disposal_days.value()),
            self.on_close.isChecked(), current.folder)
        if not run_action(self.ctx.dialogs, self, "Not saved",
                          lambda: self.ctx.services.backup.save_settings(settings)):
            return
        self.ctx.dialogs.info(self, "Saved", "The backup settings were saved.")

    def _busy(self, busy: bool, text: str = "") -> None:
        for button in (self.backup_button, self.test_button, self.restore_button):
            button.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.progress.setValue(0)
        self.progress.setFormat(text + " %p%")

    def _progress(self, done: int, total: int) -> None:
        self.progress.setValue(int(100 * done / max(1, total)))

    # Results come back through bound methods: Qt then runs them on the UI thread (a plain
    # closure would run on the worker's thread).
    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self._busy(False)
        message = str(exc) if isinstance(exc, CccError) else f"Something went wrong: {exc}"
        self.ctx.dialogs.error(self, self._failure_title, message + " Nothing was changed.")

    def backup(self) -> None:
        folder = self.ctx.dialogs.choose_folder(self, "Choose where to write the backup (e.g. the USB stick)")
        if not folder:
            return
        service = self.ctx.services.backup
        self._folder = folder
        self._failure_title = "No backup made"
        self._busy(True, "Writing and checking the backup…")
        self.task = BackgroundTask(lambda progress: service.backup(Path(folder), progress),
                                   self._backed_up, self._failed, self._progress)
        start(self.task)

    def _backed_up(self, result: Any) -> None:
        self.task = None
        self._busy(False)
        self.refresh()
        removed = (f" {len(result.removed)} older backup(s) the settings no longer keep were removed."
                   if result.removed else "")
        self.ctx.dialogs.info(self, "Backup made",
                              f"The backup {result.name} was written to {self._folder} and checked."
                              + removed)

    def test_backup(self) -> None:
        folder = self.ctx.dialogs.choose_folder(self, "Choose the backup folder (CCC-backup-…) to test")
        if not folder:
            return
        dialog = BackupPassphraseDialog(Path(folder).name, self)
        if not dialog.exec():
            return
        passphrase = dialog.passphrase.text()
        dialog.passphrase.clear()
        service = self.ctx.services.backup
        self._failure_title = "Backup not tested"
        self._busy(True, "Opening and checking a copy of the backup…")
        self.task = BackgroundTask(lambda progress: service.test_backup(Path(folder), passphrase, progress),
                                   self._tested, self._failed, self._progress)
        start(self.task)

    def _tested(self, result: BackupTest) -> None:
        self.task = None
        self._busy(False)
        self.refresh()
        show = self.ctx.dialogs.info if result.ok else self.ctx.dialogs.warning
        show(self, "Backup tested" if result.ok else "The backup failed its test", describe_test(result))

    def restore(self) -> None:
        folder = self.ctx.dialogs.choose_folder(self, "Choose the backup folder (CCC-backup-…) to restore")
        if not folder:
            return
        if not self.ctx.dialogs.confirm(
                self, "Restore from a backup?",
                f"Replace the records with the backup in {Path(folder).name}? Everything entered since "
                "that backup was made will be replaced; the current records are kept aside in the data "
                "folder's backups folder. Records disposed of since then come back and will be listed "
                "as due again. Everyone must log in again afterwards.",
                yes="Restore", no="Cancel"):
            return
        self._restore_from(folder, "", False)

    def _restore_from(self, folder: str, passphrase: str, confirm_older: bool) -> None:
        service = self.ctx.services.backup
        self._failure_title = "Not restored"
        self._restore_args = (folder, passphrase, confirm_older)
        self._busy(True, "Copying and checking the backup…")
        self.task = BackgroundTask(
            lambda progress: service.prepare_restore(Path(folder), progress, passphrase, confirm_older),
            self._prepared, self._restore_failed, self._progress)
        start(self.task)

    def _restore_failed(self, exc: BaseException) -> None:
        """An older backup needs a confirmation; revoking again in it needs the passphrase."""
        folder, passphrase, confirm_older = self._restore_args
        if isinstance(exc, OlderThanRevocation) and not confirm_older:
            self.task = None
            self._busy(False)
            if self.ctx.dialogs.confirm(self, "Backup older than the last revocation", str(exc),
                                        yes="Restore it anyway", no="Cancel"):
                self._restore_from(folder, passphrase, True)
            return
        if isinstance(exc, ValidationError) and exc.field == "passphrase" and not passphrase:
            self.task = None
            self._busy(False)
            given = self.ctx.dialogs.ask_passphrase(self, "Your passphrase", str(exc))
            if given:
                self._restore_from(folder, given, confirm_older)
            return
        self._failed(exc)

    def _prepared(self, prepared: PreparedRestore) -> None:
        self.task = None
        self._busy(False)
        finished = run_action(None, self, "", lambda: self.ctx.services.backup.finish_restore(prepared))
        if not finished:
            self.ctx.dialogs.error(self, "Not restored",
                                   f"{finished.error} The records are as they were before.")
            return
        aside = finished.value
        # The session is now locked and the window goes back to the unlock screen.
        self.ctx.dialogs.info(None, "Records restored",
                              f"The records were restored from {prepared.source.name}. The replaced "
                              f"records are kept in backups/{aside.name}. Log in again to carry on.")
