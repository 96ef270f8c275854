"""The backup made when CCC Desktop closes (a setting, on by default): progress, and a way to
skip it this once before it starts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from ccc_desktop.models.errors import CccError
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.backup import BackupService
from ccc_desktop.ui.widgets.dialogs import DialogService
from ccc_desktop.ui.widgets.forms import FormDialog

COUNTDOWN_S = 3


class ClosingBackupDialog(FormDialog):
    """Counts down, then writes the backup; Skip this time works until the copy starts."""

    def __init__(self, service: BackupService, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__("Backing up before closing", parent, intro=" ",
                         ok=QDialogButtonBox.StandardButton.NoButton)
        self.service = service
        self.folder = folder
        self.error: BaseException | None = None
        self._left = COUNTDOWN_S
        assert self.intro_label is not None
        self.label = self.intro_label
        self.add_progress().show()
        self.skip_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.skip_button.setText("&Skip this time")
        self.finish(460)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._show_countdown()
        self._timer.start(1000)

    def _show_countdown(self) -> None:
        self.label.setText(f"A backup will be written to {self.folder} in {self._left} s, as the "
                           "backup settings ask. Skip it this time if you need to.")

    def _tick(self) -> None:
        self._left -= 1
        if self._left > 0:
            self._show_countdown()
            return
        self.begin()

    def begin(self) -> None:
        """Start the copy now (also what the countdown ends in)."""
        self._timer.stop()
        if self.task is not None:
            return
        self.label.setText(f"Writing and checking the backup in {self.folder}…")
        service, folder = self.service, self.folder
        self.run_task(lambda progress: service.backup(folder, progress), self._done, self._failed)

    def _done(self, _result: object) -> None:
        """The dialog closes itself (``run_task``)."""

    def _failed(self, exc: BaseException) -> None:
        self.error = exc
        self.accept()

    def reject(self) -> None:
        if self.task is None:  # else the copy has started: it finishes (it takes seconds)
            self._timer.stop()
        super().reject()


def backup_before_closing(service: BackupService, dialogs: DialogService,
                          parent: QWidget | None) -> bool:
    """Run the closing backup if the settings ask for one. False means: do not close."""
    if not service.session.actor.can(Permission.BACKUP):
        return True
    settings = service.settings()
    if not settings.on_close or not settings.folder:
        return True
    folder = Path(settings.folder)
    if not folder.is_dir():
        return dialogs.confirm(
            parent, "No backup folder",
            f"The backup folder {folder} is not there (is the USB stick plugged in?). Close "
            "without a backup?", yes="Close without a backup", no="Cancel")
    dialog = ClosingBackupDialog(service, folder, parent)
    dialog.exec()
    if dialog.error is not None:
        message = str(dialog.error) if isinstance(dialog.error, CccError) else "The backup failed."
        return dialogs.confirm(parent, "No backup made",
                               f"{message} Earlier backups are untouched. Close anyway?",
                               yes="Close anyway", no="Cancel")
    return True
