"""Police visits: the guidance, the log and its form."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import format_date, format_entry
from ccc_desktop.models.legal_records import (
    POLICE_GUIDANCE,
    PoliceVisit,
    PoliceVisitForm,
)
from ccc_desktop.ui.families.family_chooser import FamilyChooser
from ccc_desktop.ui.legal.common import GUIDANCE_STYLE, family_text
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FormDialog, line_edit, text_edit
from ccc_desktop.ui.widgets.plain import wrapped_label
from ccc_desktop.ui.widgets.table_model import RecordTable


# ---- police visits ------------------------------------------------------------------------------
def guidance_label() -> QLabel:
    label = wrapped_label("Police at the Centre — " + POLICE_GUIDANCE)
    label.setStyleSheet(GUIDANCE_STYLE)
    label.setObjectName("police_guidance")
    return label


class PoliceDialog(FormDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Log a police visit", parent)
        self.outer.insertWidget(0, guidance_label())
        clock = ctx.services.session.clock
        self.visit_date = self.field("visit_date", "&Date:", line_edit(format_entry(clock.today()), "dd/mm/yyyy"))
        self.visit_time = self.field("visit_time", "&Time:", line_edit(clock.now().strftime("%H:%M"), "hh:mm"))
        self.officer_name = self.field("officer_name", "&Officer's name:", line_edit())
        self.officer_number = self.field("officer_number", "Officer's n&umber:", line_edit())
        self.station = self.field("station", "&Station:", line_edit())
        self.emergency = QCheckBox("The police were called in an emergency")
        self.field("emergency", "&Emergency:", self.emergency)
        self.asked = self.field("asked", "What was &asked:", text_edit("", 60))
        self.said = self.field("said", "What the &volunteer said:", text_edit("", 60))
        self.outcome = self.field("outcome", "Out&come:", text_edit("", 50))
        self.family = self.field("family_id", "Linked &family:", FamilyChooser(
            ctx, None, "No family linked", "Linked family"))
        self.finish()
        self.on_save = lambda: ctx.services.police.log(PoliceVisitForm(
            visit_date=self.visit_date.text(), visit_time=self.visit_time.text(),
            officer_name=self.officer_name.text(), officer_number=self.officer_number.text(),
            station=self.station.text(), emergency=self.emergency.isChecked(),
            asked=self.asked.toPlainText(), said=self.said.toPlainText(),
            outcome=self.outcome.toPlainText(), family_id=self.family.family_id()))


class PolicePanel(QWidget):
    def __init__(self, ctx: AppContext, run_dialog: Callable[[QDialog], bool]) -> None:
        super().__init__()
        self.ctx = ctx
        self.run_dialog = run_dialog
        layout = QVBoxLayout(self)
        layout.addWidget(guidance_label())
        row = QHBoxLayout()
        self.new_button = QPushButton("Log a &police visit…")
        row.addWidget(self.new_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.table: RecordTable[PoliceVisit] = RecordTable([
            ("Date", lambda v: f"{format_date(v.visit_date)} {v.visit_time}".strip()),
            ("Officer", lambda v: " ".join(x for x in (v.officer_name, v.officer_number and f"({v.officer_number})") if x)),
            ("Station", lambda v: v.station),
            ("Emergency", lambda v: "Yes" if v.emergency else "No"),
            ("Outcome", lambda v: v.outcome.splitlines()[0] if v.outcome else ""),
        ])
        self.model = self.table.records
        layout.addWidget(self.table, 2)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setAccessibleName("The selected visit")
        layout.addWidget(self.detail, 1)
        self.new_button.clicked.connect(self.new)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show())
        ctx.bus.changed.connect(lambda t: self.refresh() if "police" in t and ctx.services.session.is_open else None)
        self.refresh()

    def refresh(self) -> None:
        self.table.set_rows(self.ctx.services.police.all())
        self._show()

    def _show(self) -> None:
        v = self.table.selected()
        if v is None:
            self.detail.setPlainText("")
            return
        parts = [
            f"{format_date(v.visit_date)} {v.visit_time}".strip()
            + (" — emergency call-out" if v.emergency else ""),
            f"Officer: {v.officer_name}" + (f", number {v.officer_number}" if v.officer_number else "")
            + (f", {v.station}" if v.station else ""),
        ]
        if v.family_id:
            parts.append(f"Linked family: {family_text(self.ctx, v.family_id)}")
        parts += ["", "What was asked:", v.asked or "—", "", "What the volunteer said:", v.said or "—",
                  "", "Outcome:", v.outcome or "—"]
        self.detail.setPlainText("\n".join(parts))

    def new(self) -> None:
        self.run_dialog(PoliceDialog(self.ctx, self))


