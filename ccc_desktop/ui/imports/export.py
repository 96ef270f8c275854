"""Exporting everything: the Coordinator or Chair types their passphrase again and a password
for the archive, chooses where to save it, and the AES-256 ZIP is built in the background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.errors import CccError
from ccc_desktop.models.services.export import ARCHIVE_TOOL
from ccc_desktop.ui.widgets.background import BackgroundTask
from ccc_desktop.ui.widgets.context import AppContext


def _secret(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    return edit


class ExportDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task: BackgroundTask | None = None
        self.result: Any = None
        self.setWindowTitle("Export everything")
        v = QVBoxLayout(self)
        intro = QLabel(
            "Every record the centre holds, for handing on or for leaving CCC Desktop: one CSV "
            "file for each kind of record (families, adults, children, bookings, volunteers, DBS "
            "checks with their results, summonses, the audit trail and the rest), the stored "
            "letters and the attached documents, with a README that says what each file holds."
            "\n\nThe export is " + ARCHIVE_TOOL + " Keep the password apart from the file: "
            "anyone with both can read every record, restricted ones included.")
        intro.setWordWrap(True)
        v.addWidget(intro)
        form = QFormLayout()
        self.passphrase = _secret("Your passphrase")
        self.password = _secret("Password for the archive")
        self.repeat = _secret("The archive password again")
        form.addRow("Your &passphrase:", self.passphrase)
        form.addRow("Password for the &archive:", self.password)
        form.addRow("The archive password a&gain:", self.repeat)
        v.addLayout(form)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Export progress")
        self.progress.hide()
        v.addWidget(self.progress)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        self.export_button = QPushButton("&Choose where to save and export\u2026")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        row.addWidget(cancel)
        row.addWidget(self.export_button)
        v.addLayout(row)
        self.resize(620, 380)

    def start(self) -> None:
        if self.password.text() != self.repeat.text():
            self.ctx.dialogs.warning(self, "Passwords differ",
                                     "The two archive passwords are not the same: type them again.")
            return
        stamp = self.ctx.services.session.clock.today().strftime("%Y-%m-%d")
        path = self.ctx.dialogs.save_file(self, "Save the export", f"CCC export {stamp}.zip",
                                          "Encrypted ZIP (*.zip)")
        if not path:
            return
        if not path.lower().endswith(".zip"):
            path += ".zip"
        service = self.ctx.services.export
        passphrase, password = self.passphrase.text(), self.password.text()
        self.export_button.setEnabled(False)
        self.progress.show()
        self.task = BackgroundTask(
            lambda progress: service.export(passphrase, password, Path(path), progress),
            self._done, self._failed, self._progressed, parent=self)
        self.task.start()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _done(self, result: Any) -> None:
        self.task = None
        self.result = result
        self.ctx.dialogs.info(
            self, "Exported", f"{result.records} records in {result.files} files were saved in "
            f"{result.path.name}, encrypted. Open it with 7-Zip and the archive password.")
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.export_button.setEnabled(True)
        self.progress.hide()
        message = str(exc) if isinstance(exc, CccError) else f"Something went wrong: {exc}"
        self.ctx.dialogs.error(self, "Nothing was exported", message)
