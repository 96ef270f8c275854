"""Form helpers: labelled fields, messages shown beside the field they belong to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.errors import CccError, ValidationError
from ccc_desktop.ui.widgets.plain import plain

ERROR_STYLE = "color: #b00020;"
W = TypeVar("W", bound=QWidget)


class FieldErrors:
    """Maps field names to widgets; shows a ValidationError beside its field (or in a banner)."""

    def __init__(self, banner: QLabel | None = None) -> None:
        self.fields: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.banner = banner

    def add(self, form: QFormLayout, name: str, label: str, widget: W) -> W:
        error = plain(QLabel())  # messages may quote what was typed
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


def plain_label(text: str = "", wrap: bool = True) -> QLabel:
    """A label that never parses what the user typed as markup; its text can be selected."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def wrapped_label(text: str = "") -> QLabel:
    """A label that wraps and never parses the text as markup (user text is shown as typed)."""
    return plain_label(text, wrap=True)


def banner_label() -> QLabel:
    label = plain(QLabel())
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


def require_same(first: QLineEdit, again: QLineEdit, field: str = "again") -> None:
    """A passphrase typed twice must match; the message goes beside the second box."""
    if first.text() != again.text():
        raise ValidationError("The two passphrases are not the same.", field)


class KeepOpen(CccError):
    """Raised by FormDialog.save() to stay open without an error (it showed something itself)."""


class FormDialog(QDialog):
    """An optional intro, a banner, a form whose errors show by their field, OK and Cancel.

    Every form dialog is one of these. Subclasses add rows with ``self.field(name, label,
    widget)`` (or ``self.errors.add``), call ``finish()`` and either implement ``save()`` or set
    ``self.on_save`` (its return value is kept in ``self.result_value``). OK runs ``submit()``,
    which shows a CccError beside its field (or in the banner) and closes the dialog only when
    the save succeeded: nothing typed is lost.
    """

    def __init__(self, title: str, parent: QWidget | None = None, intro: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.outer = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            self.outer.addWidget(label)
        self.banner = banner_label()
        self.outer.addWidget(self.banner)
        self.form = QFormLayout()
        self.outer.addLayout(self.form)
        self.errors = FieldErrors(self.banner)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.on_save: Callable[[], Any] | None = None
        self.result_value: Any = None

    def field(self, name: str, label: str, widget: W) -> W:
        """Add a labelled row whose errors show beneath it."""
        self.errors.add(self.form, name, label, widget)
        return widget

    def finish(self, min_width: int = 520) -> None:
        self.outer.addWidget(self.buttons)
        self.setMinimumWidth(min_width)

    def submit(self) -> None:
        self.errors.clear()
        try:
            self.save()
        except KeepOpen:
            return
        except CccError as exc:
            self.errors.show(exc)
            return
        self.accept()

    def save(self) -> None:
        if self.on_save is None:
            raise NotImplementedError("Set self.on_save or override save().")
        self.result_value = self.on_save()
