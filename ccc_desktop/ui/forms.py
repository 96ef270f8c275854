"""Form helpers: labelled fields, messages shown beside the field they belong to."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from ccc_desktop.models.errors import ValidationError

ERROR_STYLE = "color: #b00020;"


class FieldErrors:
    """Maps field names to widgets; shows a ValidationError beside its field (or in a banner)."""

    def __init__(self, banner: QLabel | None = None) -> None:
        self.fields: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.banner = banner

    def add(self, form: QFormLayout, name: str, label: str, widget: QWidget) -> QWidget:
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        error.setObjectName(f"error_{name}")
        widget.setAccessibleName(label.rstrip(":").replace("&", ""))
        form.addRow(label, widget)
        form.addRow("", error)
        self.fields[name] = widget
        self.labels[name] = error
        return widget

    def clear(self) -> None:
        for label in self.labels.values():
            label.hide()
            label.clear()
        if self.banner is not None:
            self.banner.hide()

    def show(self, err: ValidationError | Exception) -> None:
        self.clear()
        field = getattr(err, "field", None)
        if field and field in self.labels:
            self.labels[field].setText(str(err))
            self.labels[field].show()
            self.fields[field].setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.banner is not None:
            self.banner.setText(str(err))
            self.banner.show()

    def message_for(self, name: str) -> str:
        label = self.labels.get(name)
        return label.text() if label is not None and not label.isHidden() else ""


def banner_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
    label.setWordWrap(True)
    label.hide()
    label.setObjectName("form_banner")
    return label


def line_edit(text: str = "", placeholder: str = "", password: bool = False) -> QLineEdit:
    edit = QLineEdit(text)
    edit.setPlaceholderText(placeholder)
    if password:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def text_edit(text: str = "", height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(height)
    return edit
