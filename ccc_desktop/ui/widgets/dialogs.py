"""Every modal message and file chooser goes through here, so tests can answer them."""

from __future__ import annotations

from PySide6.QtCore import QDir
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget
from shiboken6 import delete

from ccc_desktop.ui.widgets.plain import message_box


def _ask(dialog: QFileDialog) -> str | None:
    """Run a file dialog that leaves no trace of where the user went.

    Qt's own dialog (not the desktop's, which keeps its own "recent" list) writes its folder
    history and the last folder visited to QtProject.conf when it is destroyed: a folder named
    after a family would be written to disk in plain text. So before it goes, both are pointed
    at the home folder.
    """
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        files = dialog.selectedFiles()
        chosen = files[0] if accepted and files else None
    finally:
        dialog.setHistory([])
        dialog.setDirectory(QDir.homePath())
        dialog.setHistory([])
        delete(dialog)
    return chosen or None


class DialogService:
    # Every box shows its text as plain text: messages name people and records as typed.
    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        message_box(QMessageBox.Icon.Information, parent, title, text).exec()

    def warning(self, parent: QWidget | None, title: str, text: str) -> None:
        message_box(QMessageBox.Icon.Warning, parent, title, text).exec()

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        message_box(QMessageBox.Icon.Critical, parent, title, text).exec()

    def confirm(self, parent: QWidget | None, title: str, text: str, yes: str = "Yes",
                no: str = "Cancel") -> bool:
        box = message_box(QMessageBox.Icon.Question, parent, title, text)
        yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(no, QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is yes_button

    def save_file(self, parent: QWidget | None, title: str, suggested_name: str,
                  filter: str = "PDF documents (*.pdf)") -> str | None:
        dialog = QFileDialog(parent, title, QDir.homePath(), filter)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.selectFile(suggested_name)
        return _ask(dialog)

    def open_file(self, parent: QWidget | None, title: str, filter: str = "All files (*)") -> str | None:
        dialog = QFileDialog(parent, title, QDir.homePath(), filter)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        return _ask(dialog)

    def choose_folder(self, parent: QWidget | None, title: str) -> str | None:
        dialog = QFileDialog(parent, title, QDir.homePath())
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        return _ask(dialog)

    def ask_passphrase(self, parent: QWidget | None, title: str, text: str) -> str | None:
        value, ok = QInputDialog.getText(parent, title, text, QLineEdit.EchoMode.Password)
        return value if ok and value else None


class RecordingDialogs(DialogService):
    """For tests and screenshots: records what would have been shown and answers from a script."""

    def __init__(self, confirm_answer: bool = True, save_path: str | None = None) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.confirm_answer = confirm_answer
        self.save_path = save_path
        self.open_path: str | None = None
        self.folder: str | None = None
        self.passphrase: str | None = None

    def info(self, parent, title, text):
        self.shown.append(("info", title, text))

    def warning(self, parent, title, text):
        self.shown.append(("warning", title, text))

    def error(self, parent, title, text):
        self.shown.append(("error", title, text))

    def confirm(self, parent, title, text, yes="Yes", no="Cancel"):
        self.shown.append(("confirm", title, text))
        return self.confirm_answer

    def save_file(self, parent, title, suggested_name, filter="PDF documents (*.pdf)"):
        self.shown.append(("save", title, suggested_name))
        return self.save_path

    def open_file(self, parent, title, filter="All files (*)"):
        self.shown.append(("open", title, ""))
        return self.open_path

    def choose_folder(self, parent, title):
        self.shown.append(("folder", title, ""))
        return self.folder

    def ask_passphrase(self, parent, title, text):
        self.shown.append(("passphrase", title, text))
        return self.passphrase
