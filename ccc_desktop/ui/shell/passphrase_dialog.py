"""Change my passphrase (also forced after a temporary one was set)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QWidget

from ccc_desktop.models.errors import ValidationError, WrongPassphrase
from ccc_desktop.models.services.accounts import AccountService
from ccc_desktop.ui.widgets.forms import FormDialog, line_edit, require_same

ADVICE = "at least 10 characters; a few unrelated words are easy to remember and hard to guess."


class ChangePassphraseDialog(FormDialog):
    def __init__(self, accounts: AccountService, required: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            "Choose your own passphrase" if required else "Change my passphrase", parent,
            intro=("Your account has a temporary passphrase. Choose your own now: " + ADVICE
                   if required else ADVICE[0].upper() + ADVICE[1:]))
        self.accounts = accounts
        self.current: QLineEdit = self.errors.add(self.form, "current", "&Current passphrase:", line_edit(password=True))
        self.new: QLineEdit = self.errors.add(self.form, "new_passphrase", "&New passphrase:", line_edit(password=True))
        self.again: QLineEdit = self.errors.add(self.form, "again", "New passphrase &again:", line_edit(password=True))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Change passphrase")
        if required:
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Lock instead")
        self.finish(480)

    def save(self) -> None:
        require_same(self.new, self.again)
        try:
            self.accounts.change_own_passphrase(self.current.text(), self.new.text())
        except WrongPassphrase as exc:
            raise ValidationError(str(exc), "current") from None
