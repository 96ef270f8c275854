"""The unlock screen (start-up and after Ctrl+L or idle) and the recovery-key route."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.errors import CccError
from ccc_desktop.models.vault import Session, Vault
from ccc_desktop.ui.widgets.background import BackgroundTask
from ccc_desktop.ui.widgets.forms import FormDialog, line_edit, require_same


class UnlockPanel(QWidget):
    """Account name and passphrase. Emits ``unlocked(session)``; never says which part was wrong."""

    unlocked = Signal(object)

    def __init__(self, vault: Vault, centre_name: str = "", hint: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self._task: BackgroundTask | None = None
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = QFrame()
        card.setObjectName("unlockCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setFixedWidth(440)  # a fixed width, so the wrapped lines get the height they need
        card.setStyleSheet("#unlockCard { background: palette(base); border-radius: 8px; }")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(28, 24, 28, 24)
        title = QLabel("CCC Desktop is locked")
        title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        layout.addWidget(title)
        self.centre_label = QLabel(centre_name or "Enter your account name and passphrase to open the records.")
        self.centre_label.setWordWrap(True)
        layout.addWidget(self.centre_label)
        form = QFormLayout()
        self.username = line_edit(placeholder="e.g. coordinator")
        self.passphrase = line_edit(password=True)
        self.username.setAccessibleName("Account name")
        self.passphrase.setAccessibleName("Passphrase")
        form.addRow("&Account:", self.username)
        form.addRow("&Passphrase:", self.passphrase)
        layout.addLayout(form)
        # Said only while the records are sealed after an upgrade (Vault.unlock's progress).
        self.sealing = QLabel()
        self.sealing.setObjectName("unlockSealing")
        self.sealing.setWordWrap(True)
        self.sealing.hide()
        layout.addWidget(self.sealing)
        self.message = QLabel()
        self.message.setObjectName("unlockMessage")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.setAutoDefault(True)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.passphrase.returnPressed.connect(self.try_unlock)
        self.username.returnPressed.connect(self.passphrase.setFocus)
        layout.addWidget(self.unlock_button)
        self.forgot = QPushButton("Forgotten passphrase? Use the recovery key…")
        self.forgot.setFlat(True)
        self.forgot.clicked.connect(self.use_recovery_key)
        layout.addWidget(self.forgot, alignment=Qt.AlignmentFlag.AlignLeft)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setWordWrap(True)
            hint_label.setObjectName("demoHint")
            hint_label.setStyleSheet("color: #555; background: #fff8dc; padding: 6px;")
            layout.addWidget(hint_label)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.setTabOrder(self.username, self.passphrase)
        self.setTabOrder(self.passphrase, self.unlock_button)
        self.setTabOrder(self.unlock_button, self.forgot)

    def reset(self, keep_username: bool = True) -> None:
        if not keep_username:
            self.username.clear()
        self.passphrase.clear()
        self.message.clear()
        self._set_busy(False)
        (self.passphrase if self.username.text() else self.username).setFocus()

    def _set_busy(self, busy: bool) -> None:
        for w in (self.username, self.passphrase, self.unlock_button, self.forgot):
            w.setEnabled(not busy)
        self.unlock_button.setText("Unlocking…" if busy else "&Unlock")
        if not busy:
            self.sealing.hide()

    def _sealing_progress(self, done: int, total: int) -> None:
        percent = 100 if total <= 0 else min(100, done * 100 // total)
        self.sealing.setText(
            "Sealing the records after the upgrade, then compacting the file: this happens once "
            f"and can take a minute on a large centre ({percent}%).")
        self.sealing.show()

    def try_unlock(self) -> None:
        if self._task is not None and self._task.running:
            return
        username, passphrase = self.username.text(), self.passphrase.text()
        if not username.strip() or not passphrase:
            self.message.setText("Enter your account name and passphrase.")
            return
        self.message.setText("")
        self._set_busy(True)
        # Argon2id takes about half a second by design: keep the window responsive meanwhile.
        self._task = BackgroundTask(
            lambda progress: self.vault.unlock(username, passphrase, progress=progress),
            self._done, self._failed, on_progress=self._sealing_progress, parent=self)
        self._task.start()

    def _done(self, session: Session) -> None:
        self.passphrase.clear()
        self._set_busy(False)
        self.unlocked.emit(session)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.passphrase.clear()
        self.passphrase.setFocus()
        if isinstance(exc, CccError):
            self.message.setText(str(exc))
        else:
            self.message.setText("The records could not be opened because of an unexpected "
                                 "error. Nothing was changed.")
            raise exc

    def use_recovery_key(self) -> None:
        dialog = RecoveryDialog(self.vault.unlock_with_recovery, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.session is not None:
            self.unlocked.emit(dialog.session)


class RecoveryDialog(FormDialog):
    """Recovery key + account + new passphrase (twice)."""

    def __init__(self, unlock: Callable[[str, str, str], Session], parent: QWidget | None = None) -> None:
        super().__init__("Use the recovery key", parent, intro=(
            "Type the recovery key from the sheet kept in the centre's safe. It lets you choose a "
            "new passphrase for one account."))
        self.unlock = unlock
        self.session: Session | None = None
        add, form = self.errors.add, self.form
        self.key: QLineEdit = add(form, "recovery_key", "&Recovery key:", line_edit(placeholder="XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX"))
        self.username: QLineEdit = add(form, "username", "&Account:", line_edit())
        self.new: QLineEdit = add(form, "passphrase", "&New passphrase:", line_edit(password=True))
        self.again: QLineEdit = add(form, "again", "New passphrase &again:", line_edit(password=True))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Set passphrase and unlock")
        self.errors.unplaced = "recovery_key"  # a wrong key has no field of its own: by the key
        self.finish(520)

    def save(self) -> None:
        require_same(self.new, self.again)
        self.session = self.unlock(self.key.text(), self.username.text(), self.new.text())
