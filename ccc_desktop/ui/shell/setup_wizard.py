"""First run: the centre's details, the first Coordinator, and the recovery key."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from ccc_desktop.documents.recovery_key import recovery_key_pdf
from ccc_desktop.models.crypto import groups_to_confirm, wrong_recovery_groups
from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.models.services.centre import check_centre_details
from ccc_desktop.models.validation import check_new_passphrase, check_username
from ccc_desktop.models.vault import Session, Vault
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.dialogs import DialogService
from ccc_desktop.ui.widgets.forms import FieldErrors, banner_label, line_edit, text_edit


def _intro(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class WelcomePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Welcome to CCC Desktop")
        layout = QVBoxLayout(self)
        layout.addWidget(_intro(
            "This sets up the centre's records on this computer. It takes a few minutes:\n\n"
            "1. the centre's details, which print on every letter;\n"
            "2. your own account, as the Coordinator;\n"
            "3. a recovery key to print and keep in the centre's safe.\n\n"
            "Everything is kept in one encrypted file. The program never uses the internet."))
        layout.addStretch(1)


class CentrePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("The centre")
        self.setSubTitle("These details print on the letterhead. You can change them later in Settings.")
        layout = QVBoxLayout(self)
        self.banner = banner_label()
        layout.addWidget(self.banner)
        form = QFormLayout()
        self.errors = FieldErrors(self.banner)
        self.name = self.errors.add(form, "centre_name", "Centre na&me:", line_edit(placeholder="e.g. Riverside Child Contact Centre"))
        self.address = self.errors.add(form, "address", "&Address:", text_edit(height=70))
        self.phone = self.errors.add(form, "phone", "&Telephone:", line_edit())
        self.email = self.errors.add(form, "email", "&Email:", line_edit())
        self.chair = self.errors.add(form, "chair_name", "&Chair's name:", line_edit())
        self.naccc = self.errors.add(form, "naccc_contact", "NACCC &office contact:", line_edit())
        self.solicitor = self.errors.add(form, "solicitor_name", "Committee &solicitor:", line_edit())
        self.firm = self.errors.add(form, "solicitor_firm", "Solicitor's fi&rm:", line_edit())
        layout.addLayout(form)

    def details(self) -> CentreDetails:
        return CentreDetails(
            name=self.name.text(), address=self.address.toPlainText(),
            phone=self.phone.text(), email=self.email.text(),
            chair_name=self.chair.text(), naccc_contact=self.naccc.text(),
            solicitor_name=self.solicitor.text(), solicitor_firm=self.firm.text(),
        )

    def validatePage(self) -> bool:
        self.errors.clear()
        if not self.name.text().strip():
            self.errors.show(ValidationError("Enter the centre's name.", "centre_name"))
            return False
        try:
            check_centre_details(self.details())
        except ValidationError as exc:
            self.errors.show(ValidationError(str(exc), "centre_name" if exc.field == "name" else exc.field))
            return False
        return True


class AccountPage(QWizardPage):
    def __init__(self, create: Callable[[str, str, str], None]) -> None:
        super().__init__()
        self.create_vault = create
        self.setTitle("Your account")
        self.setSubTitle("You will be the Coordinator. You can add the Chair and volunteers later.")
        layout = QVBoxLayout(self)
        self.banner = banner_label()
        layout.addWidget(self.banner)
        form = QFormLayout()
        self.errors = FieldErrors(self.banner)
        self.display_name = self.errors.add(form, "display_name", "Your f&ull name:", line_edit())
        self.username = self.errors.add(form, "username", "Account na&me:", line_edit(placeholder="e.g. coordinator"))
        self.passphrase = self.errors.add(form, "passphrase", "&Passphrase:", line_edit(password=True))
        self.again = self.errors.add(form, "again", "Passphrase &again:", line_edit(password=True))
        layout.addLayout(form)
        layout.addWidget(_intro(
            "Choose a passphrase of at least 10 characters: a few unrelated words are easy to "
            "remember and hard to guess. Nobody, including the makers of this program, can "
            "recover it; the recovery key on the next page is the only way back in."))

    def validatePage(self) -> bool:
        return bool(run_action(None, self, "", self._make_vault, errors=self.errors))

    def _make_vault(self) -> None:
        if not self.display_name.text().strip():
            raise ValidationError("Name: this cannot be empty.", "display_name")
        check_username(self.username.text())
        check_new_passphrase(self.passphrase.text(), self.username.text())
        if self.passphrase.text() != self.again.text():
            raise ValidationError("The two passphrases are not the same.", "again")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.create_vault(self.username.text(), self.display_name.text(), self.passphrase.text())
        except ValidationError as exc:
            if exc.field != "centre_name":
                raise
            raise ValidationError(str(exc)) from None  # that field is on the page before: the banner
        finally:
            QApplication.restoreOverrideCursor()


class RecoveryPage(QWizardPage):
    def __init__(self, show_pdf: Callable[[], None]) -> None:
        super().__init__()
        self.setTitle("Your recovery key")
        self.setSubTitle("It is shown only this once.")
        layout = QVBoxLayout(self)
        layout.addWidget(_intro(
            "If every passphrase is forgotten, this key is the only way to open the records. "
            "Print it (or write it down) now and keep it in the centre's safe. Do not keep it on "
            "this computer, photograph it or email it."))
        self.key_label = QLabel()
        self.key_label.setObjectName("recoveryKey")
        font = QFont("DejaVu Sans Mono")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(15)
        font.setBold(True)
        self.key_label.setFont(font)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setStyleSheet("border: 2px solid #1f3b5a; padding: 14px; background: palette(base);")
        self.key_label.setAccessibleName("Recovery key")
        layout.addWidget(self.key_label)
        row = QHBoxLayout()
        self.print_button = QPushButton("&Print or save the recovery key…")
        self.print_button.clicked.connect(show_pdf)
        row.addWidget(self.print_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(_intro(
            "When it is printed or written down, press Next: you will be asked to type a few "
            "groups of it back from the paper, to be sure it was kept right."))
        layout.addStretch(1)

    def set_key(self, key: str) -> None:
        self.key_label.setText(key)


class ConfirmKeyPage(QWizardPage):
    """A few groups of the key typed back from the paper, as password managers ask."""

    def __init__(self, show_pdf: Callable[[], None]) -> None:
        super().__init__()
        self.key = ""
        self.groups = groups_to_confirm()
        self.setTitle("Check the recovery key")
        words = ", ".join(str(g) for g in self.groups[:-1]) + f" and {self.groups[-1]}"
        self.setSubTitle(f"From what you printed or wrote down, type groups {words} of the key "
                         f"(the groups are counted from the left).")
        layout = QVBoxLayout(self)
        self.banner = banner_label()
        layout.addWidget(self.banner)
        form = QFormLayout()
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSize(13)
        self.edits: dict[int, QLineEdit] = {}
        for number in self.groups:
            edit = QLineEdit()
            edit.setMaxLength(9)  # four characters, with room for stray spaces or dashes
            edit.setFont(mono)
            edit.setFixedWidth(QFontMetrics(mono).horizontalAdvance("MMMMMMMM"))
            edit.setAccessibleName(f"Group {number} of the recovery key")
            edit.textChanged.connect(self._typed)
            label = QLabel(f"Group &{number}:")
            label.setBuddy(edit)
            form.addRow(label, edit)
            self.edits[number] = edit
        layout.addLayout(form)
        layout.addWidget(_intro(
            "If the paper is lost or a group does not match, press Back to see the key again, or "
            "print it again."))
        row = QHBoxLayout()
        self.print_button = QPushButton("&Print the recovery key again…")
        self.print_button.clicked.connect(show_pdf)
        row.addWidget(self.print_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def set_key(self, key: str) -> None:
        self.key = key

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        for edit in self.edits.values():
            edit.clear()
        self.banner.hide()

    def _typed(self) -> None:
        self.banner.hide()
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return all(e.text().strip() for e in self.edits.values())

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        wrong = wrong_recovery_groups(self.key, {n: e.text() for n, e in self.edits.items()})
        if not wrong:
            return True
        if len(wrong) == 1:
            what = f"Group {wrong[0]} is not what the key says."
        else:
            what = ("Groups " + ", ".join(str(n) for n in wrong[:-1]) + f" and {wrong[-1]} are "
                    "not what the key says.")
        self.banner.setText(f"{what} Check it against the printout. If the printout is wrong "
                            "or lost, press Back to see the key again, or print it again.")
        self.banner.show()
        self.edits[wrong[0]].setFocus()
        self.edits[wrong[0]].selectAll()
        return False


class SetupWizard(QWizard):
    """Creates the vault when the account page is accepted; ``session`` is then unlocked."""

    def __init__(self, vault: Vault, dialogs: DialogService | None = None, parent=None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.dialogs = dialogs or DialogService()
        self.session: Session | None = None
        self.recovery_key = ""
        self.setWindowTitle("Set up CCC Desktop")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.welcome = WelcomePage()
        self.centre = CentrePage()
        self.account = AccountPage(self._create)
        self.recovery = RecoveryPage(self.show_recovery_pdf)
        self.confirm_key = ConfirmKeyPage(self.show_recovery_pdf)
        # Once the records exist there is no going back to the account page.
        self.account.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Next >")
        for page in (self.welcome, self.centre, self.account, self.recovery, self.confirm_key):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Open CCC Desktop")
        self.resize(680, 560)

    def _create(self, username: str, display_name: str, passphrase: str) -> None:
        if self.session is not None:
            return
        self.session, key = self.vault.create(self.centre.details(), username, display_name,
                                              passphrase)
        self.show_key(key)

    def show_key(self, key: str) -> None:
        self.recovery_key = key
        self.recovery.set_key(key)
        self.confirm_key.set_key(key)

    def show_recovery_pdf(self) -> None:
        from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

        if self.session is None:
            return
        session = self.session
        pdf = recovery_key_pdf(self.centre.details(), self.recovery_key, session.clock.today())

        def audit(how: str) -> None:
            session.audit.record(f"recovery key {how}")

        PdfPreviewDialog(None, pdf=pdf, title="Recovery key", suggested_name="recovery-key.pdf",
                         dialogs=self.dialogs, on_output=audit, parent=self).exec()

    def reject(self) -> None:
        if self.session is not None:
            # The vault exists now; leaving would lose the only view of the recovery key.
            if not self.dialogs.confirm(self, "Recovery key", "The recovery key will not be shown "
                                        "again. Leave without keeping it?", yes="Leave"):
                return
        super().reject()
