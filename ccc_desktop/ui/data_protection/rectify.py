"""Rectification: correct one detail of any record, audited (data protection principle 4).

Generic: any area that registers Rectifiers (models/services/rectification.py) can open
``CorrectFieldDialog(ctx, record_type, record_id)`` from its own screen.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from ccc_desktop.models.errors import ValidationError
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FormDialog, line_edit
from ccc_desktop.ui.widgets.plain import plain_label


class CorrectFieldDialog(FormDialog):
    def __init__(self, ctx: AppContext, record_type: str, record_id: int,
                 request_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Correct a detail", parent,
                         "Correct a detail that is wrong. The correction is recorded in the audit "
                         "trail (which field, when and by whom; never the old or new value).",
                         ok_text="Save the correction")
        self.ctx = ctx
        self.record_type = record_type
        self.record_id = record_id
        self.request_id = request_id
        self.fields = ctx.services.rectification.fields(record_type)
        self.choice = QComboBox()
        for r in self.fields:
            self.choice.addItem(r.label, r.field)
        self.field("field", "&Detail:", self.choice)
        self.current = plain_label(wrap=True)
        self.form.addRow("Recorded now:", self.current)
        self.value = self.field("value", "&Correct value:", line_edit())
        self.finish(0)
        self.choice.currentIndexChanged.connect(self._show_current)
        self._show_current()
        self.resize(520, 0)

    def _show_current(self) -> None:
        name = self.choice.currentData()
        if not name:
            self.current.setText("")
            return
        now = run_action(None, self, "", lambda: self.ctx.services.rectification.current(
            self.record_type, self.record_id, name))
        text = now.value if now else str(now.error)
        self.current.setText(text)
        self.value.setText(text)

    def save(self) -> None:
        name = self.choice.currentData()
        if not name:
            raise ValidationError("There is nothing here that can be corrected.", "field")
        try:
            self.ctx.services.rectification.correct(self.record_type, self.record_id, name,
                                                   self.value.text(), self.request_id)
        except ValidationError as exc:  # whatever the service calls it, it is the value typed
            raise ValidationError(str(exc), "value") from exc
