"""Rectification: correct one detail of any record, audited (data protection principle 4).

Generic: any area that registers Rectifiers (models/services/rectification.py) can open
``CorrectFieldDialog(ctx, record_type, record_id)`` from its own screen.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.errors import CccError, ValidationError
from ccc_desktop.ui.widgets.forms import FieldErrors, banner_label, line_edit
from ccc_desktop.ui.widgets.plain import plain_label


class CorrectFieldDialog(QDialog):
    def __init__(self, ctx, record_type: str, record_id: int, request_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.record_type = record_type
        self.record_id = record_id
        self.request_id = request_id
        self.fields = ctx.services.rectification.fields(record_type)
        self.setWindowTitle("Correct a detail")
        layout = QVBoxLayout(self)
        intro = QLabel("Correct a detail that is wrong. The correction is recorded in the audit trail "
                       "(which field, when and by whom; never the old or new value).")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.banner = banner_label()
        layout.addWidget(self.banner)
        form = QFormLayout()
        self.errors = FieldErrors(self.banner)
        self.field = QComboBox()
        for r in self.fields:
            self.field.addItem(r.label, r.field)
        self.errors.add(form, "field", "&Detail:", self.field)
        self.current = plain_label(wrap=True)
        form.addRow("Recorded now:", self.current)
        self.value = self.errors.add(form, "value", "&Correct value:", line_edit())
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Save the correction")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.field.currentIndexChanged.connect(self._show_current)
        self._show_current()
        self.resize(520, 0)

    def _show_current(self) -> None:
        name = self.field.currentData()
        if not name:
            self.current.setText("")
            return
        try:
            text = self.ctx.services.rectification.current(self.record_type, self.record_id, name)
        except CccError as exc:
            text = str(exc)
        self.current.setText(text)
        self.value.setText(text)

    def submit(self) -> None:
        self.errors.clear()
        name = self.field.currentData()
        if not name:
            self.errors.show(ValidationError("There is nothing here that can be corrected.", "field"))
            return
        try:
            self.ctx.services.rectification.correct(self.record_type, self.record_id, name,
                                                   self.value.text(), self.request_id)
        except ValidationError as exc:
            self.errors.show(ValidationError(str(exc), "value"))
            return
        except CccError as exc:
            self.errors.show(exc)
            return
        self.accept()
