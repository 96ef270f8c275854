"""Every modal message and file chooser goes through here, so tests can answer them."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


class DialogService:
    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def warning(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)

    def confirm(self, parent: QWidget | None, title: str, text: str, yes: str = "Yes",
                no: str = "Cancel") -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
        yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(no, QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is yes_button

    def save_file(self, parent: QWidget | None, title: str, suggested_name: str,
                  filter: str = "PDF documents (*.pdf)") -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested_name, filter)
        return path or None

    def open_file(self, parent: QWidget | None, title: str, filter: str = "All files (*)") -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, "", filter)
        return path or None

    def choose_folder(self, parent: QWidget | None, title: str) -> str | None:
        return QFileDialog.getExistingDirectory(parent, title) or None


class RecordingDialogs(DialogService):
    """For tests and screenshots: records what would have been shown and answers from a script."""

    def __init__(self, confirm_answer: bool = True, save_path: str | None = None) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.confirm_answer = confirm_answer
        self.save_path = save_path
        self.open_path: str | None = None
        self.folder: str | None = None

    def info(self, parent, title, text):  # type: ignore[no-untyped-def]
        self.shown.append(("info", title, text))

    def warning(self, parent, title, text):  # type: ignore[no-untyped-def]
        self.shown.append(("warning", title, text))

    def error(self, parent, title, text):  # type: ignore[no-untyped-def]
        self.shown.append(("error", title, text))

    def confirm(self, parent, title, text, yes="Yes", no="Cancel"):  # type: ignore[no-untyped-def]
        self.shown.append(("confirm", title, text))
        return self.confirm_answer

    def save_file(self, parent, title, suggested_name, filter="PDF documents (*.pdf)"):  # type: ignore[no-untyped-def]
        self.shown.append(("save", title, suggested_name))
        return self.save_path

    def open_file(self, parent, title, filter="All files (*)"):  # type: ignore[no-untyped-def]
        self.shown.append(("open", title, ""))
        return self.open_path

    def choose_folder(self, parent, title):  # type: ignore[no-untyped-def]
        self.shown.append(("folder", title, ""))
        return self.folder
