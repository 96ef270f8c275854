"""Change my passphrase (also forced after a temporary one was set)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from ccc_desktop.models.errors import CccError, ValidationError, WrongPassphrase
from ccc_desktop.models.services.accounts import AccountService
from ccc_desktop.ui.forms import FieldErrors, banner_label, line_edit


class ChangePassphraseDialog(QDialog):
    def __init__(self, accounts: AccountService, required: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accounts = accounts
        self.setWindowTitle("Choose your own passphrase" if required else "Change my passphrase")
        layout = QVBoxLayout(self)
        text = ("Your account has a temporary passphrase. Choose your own now: at least 10 "
                "characters; a few unrelated words are easy to remember and hard to guess."
                if required else
                "At least 10 characters; a few unrelated words are easy to remember and hard to guess.")
        intro = QLabel(text)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.banner = banner_label()
        layout.addWidget(self.banner)
        form = QFormLayout()
        self.errors = FieldErrors(self.banner)
        self.current = self.errors.add(form, "current", "&Current passphrase:", line_edit(password=True))
        self.new = self.errors.add(form, "new_passphrase", "&New passphrase:", line_edit(password=True))
        self.again = self.errors.add(form, "again", "New passphrase &again:", line_edit(password=True))
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Change passphrase")
        if required:
            buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Lock instead")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(480, 0)

    def submit(self) -> None:
        self.errors.clear()
        if self.new.text() != self.again.text():  # type: ignore[attr-defined]
            self.errors.show(ValidationError("The two new passphrases are not the same.", "again"))
            return
        try:
            self.accounts.change_own_passphrase(self.current.text(), self.new.text())  # type: ignore[attr-defined]
        except WrongPassphrase as exc:
            self.errors.show(ValidationError(str(exc), "current"))
            return
        except CccError as exc:
            self.errors.show(exc)
            return
        self.accept()
