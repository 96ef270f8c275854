"""Assessment agreements (clause 7): the list and its forms."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import format_date, format_entry
from ccc_desktop.models.legal_records import (
    AGENCY_TYPES,
    Agreement,
    AgreementForm,
)
from ccc_desktop.ui.families.family_chooser import FamilyChooser, family_label, family_labels
from ccc_desktop.ui.legal.common import GUIDANCE_STYLE
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FormDialog, line_edit, text_edit
from ccc_desktop.ui.widgets.plain import wrapped_label
from ccc_desktop.ui.widgets.table_model import RecordTable

# ---- assessment agreements ----------------------------------------------------------------------
CLAUSE_7_TEXT = ("Clause 7: unless there is an agreement which allows them to do otherwise, "
                 "solicitors, Cafcass officers, social workers or any other individual or agency "
                 "will not be allowed to carry out family assessments at the centre.")


class AgreementDialog(FormDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Record an assessment agreement", parent, CLAUSE_7_TEXT)
        self.agency_type = QComboBox()
        for key, label in AGENCY_TYPES.items():
            self.agency_type.addItem(label, key)
        self.field("agency_type", "&Agency:", self.agency_type)
        self.agency_name = self.field("agency_name", "&Who:", line_edit("", "name and organisation"))
        self.family = self.field("family_id", "&Family:", FamilyChooser(
            ctx, None, "Any family (a standing agreement)", "Family"))
        self.scope = self.field("scope", "&Scope:", text_edit("", 60))
        today = ctx.services.session.clock.today()
        self.valid_from = self.field("valid_from", "F&rom:", line_edit(format_entry(today), "dd/mm/yyyy"))
        self.valid_to = self.field("valid_to", "&To:", line_edit("", "dd/mm/yyyy"))
        self.approved_by = self.field("approved_by", "A&pproved by:", line_edit(ctx.actor.display_name))
        self.finish()
        self.on_save = lambda: ctx.services.agreements.add(AgreementForm(
            agency_type=self.agency_type.currentData(), agency_name=self.agency_name.text(),
            scope=self.scope.toPlainText(), valid_from=self.valid_from.text(),
            valid_to=self.valid_to.text(), approved_by=self.approved_by.text(),
            family_id=self.family.family_id()))


class EndAgreementDialog(FormDialog):
    def __init__(self, ctx: AppContext, agreement_id: int, parent: QWidget | None = None) -> None:
        super().__init__("End the agreement early", parent)
        self.ended_on = self.field("ended_on", "&Last day:", line_edit(
            format_entry(ctx.services.session.clock.today()), "dd/mm/yyyy"))
        self.finish()
        self.on_save = lambda: ctx.services.agreements.end(agreement_id, self.ended_on.text())


class AgreementsPanel(QWidget):
    def __init__(self, ctx: AppContext, run_dialog: Callable[[QDialog], bool]) -> None:
        super().__init__()
        self.ctx = ctx
        self.run_dialog = run_dialog
        layout = QVBoxLayout(self)
        intro = wrapped_label(CLAUSE_7_TEXT)
        intro.setStyleSheet(GUIDANCE_STYLE)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.new_button = QPushButton("&Record an agreement…")
        self.end_button = QPushButton("&End early…")
        row.addWidget(self.new_button)
        row.addWidget(self.end_button)
        row.addStretch(1)
        check_label = QLabel("Chec&k a family:")
        self.check_family = FamilyChooser(ctx, None, "Choose a family", "Check a family")
        check_label.setBuddy(self.check_family.search)
        self.check_button = QPushButton("Check")
        self.check_button.setAccessibleName("Check whether an agreement is in force for the family")
        row.addWidget(check_label)
        row.addWidget(self.check_family)
        row.addWidget(self.check_button)
        layout.addLayout(row)
        self.check_result = wrapped_label()
        self.check_result.setObjectName("agreement_check")
        layout.addWidget(self.check_result)
        today = ctx.services.session.clock.today()

        def state(a: Agreement) -> str:
            if a.in_force_on(today):
                return "In force"
            return "Not started" if a.valid_from > today else "Ended"

        self.family_refs: dict[int, str] = {}
        self.table: RecordTable[Agreement] = RecordTable([
            ("Who", lambda a: a.agency_label),
            ("Family", lambda a: self.family_refs.get(a.family_id, "") if a.family_id else "Any family"),
            ("Scope", lambda a: a.scope.splitlines()[0] if a.scope else ""),
            ("From", lambda a: format_date(a.valid_from)),
            ("To", lambda a: format_date(a.last_day)),
            ("Approved by", lambda a: a.approved_by),
            ("Status", state),
        ])
        self.model = self.table.records
        layout.addWidget(self.table)
        self.new_button.clicked.connect(lambda: self.run_dialog(AgreementDialog(self.ctx, self)))
        self.end_button.clicked.connect(self.end)
        self.check_button.clicked.connect(self.check)
        self.check_family.chosen.connect(lambda _f: self.check())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._buttons())
        ctx.bus.changed.connect(lambda t: self.refresh() if "agreements" in t and ctx.services.session.is_open else None)
        self.refresh()

    def refresh(self) -> None:
        agreements = self.ctx.services.agreements.all()
        # The families' references, fetched once for the list (the table never asks while painting).
        self.family_refs = family_labels(self.ctx, (a.family_id for a in agreements))
        self.table.set_rows(agreements)
        self._buttons()

    def selected(self) -> Agreement | None:
        return self.table.selected()

    def _buttons(self) -> None:
        a = self.selected()
        self.end_button.setEnabled(a is not None and a.last_day >= self.ctx.services.session.clock.today())

    def end(self) -> None:
        a = self.selected()
        if a is not None:
            self.run_dialog(EndAgreementDialog(self.ctx, a.id, self))

    def check(self) -> None:
        family_id = self.check_family.family_id()
        if family_id is None:
            self.check_result.setText("Search for a family by its reference or a name, then check.")
            return
        reference = family_label(self.ctx, family_id)
        status = self.ctx.services.agreements.status_for_family(family_id)
        self.check_result.setText(f"{reference}: {status.text}")


