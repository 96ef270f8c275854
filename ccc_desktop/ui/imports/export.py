"""Exporting everything: the Coordinator or Chair types their passphrase again and a password
for the archive, chooses where to save it, and the AES-256 ZIP is built in the background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from ccc_desktop.models.errors import CccError
from ccc_desktop.models.services.export import ARCHIVE_TOOL
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FormDialog, KeepOpen, line_edit


class ExportDialog(FormDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            "Export everything", parent,
            intro="Every record the centre holds, for handing on or for leaving CCC Desktop: one "
            "CSV file for each kind of record (families, adults, children, bookings, volunteers, "
            "DBS checks with their results, summonses, the audit trail and the rest), the stored "
            "letters and the attached documents, with a README that says what each file holds."
            "\n\nThe export is " + ARCHIVE_TOOL + " Keep the password apart from the file: "
            "anyone with both can read every record, restricted ones included.",
            ok_text="&Choose where to save and export\u2026")
        self.ctx = ctx
        self.passphrase = self.field("passphrase", "Your &passphrase:", line_edit(password=True))
        self.password = self.field("password", "Password for the &archive:",
                                   line_edit(password=True))
        self.repeat = self.field("repeat", "The archive password a&gain:",
                                 line_edit(password=True))
        self.add_progress().setAccessibleName("Export progress")
        self.finish(0)
        self.resize(620, 380)

    def save(self) -> None:
        if self.password.text() != self.repeat.text():
            self.ctx.dialogs.warning(self, "Passwords differ",
                                     "The two archive passwords are not the same: type them again.")
            raise KeepOpen
        stamp = self.ctx.services.session.clock.today().strftime("%Y-%m-%d")
        path = self.ctx.dialogs.save_file(self, "Save the export", f"CCC export {stamp}.zip",
                                          "Encrypted ZIP (*.zip)")
        if not path:
            raise KeepOpen
        if not path.lower().endswith(".zip"):
            path += ".zip"
        service = self.ctx.services.export
        passphrase, password = self.passphrase.text(), self.password.text()
        self.run_task(lambda progress: service.export(passphrase, password, Path(path), progress),
                      self._done, self._failed)

    def _done(self, result: Any) -> None:
        self.result_value = result
        self.ctx.dialogs.info(
            self, "Exported", f"{result.records} records in {result.files} files were saved in "
            f"{result.path.name}, encrypted. Open it with 7-Zip and the archive password.")

    def _failed(self, exc: BaseException) -> None:
        message = str(exc) if isinstance(exc, CccError) else f"Something went wrong: {exc}"
        self.ctx.dialogs.error(self, "Nothing was exported", message)
