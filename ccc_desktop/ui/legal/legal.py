"""The Summons & legal tab: witness summonses with the policy's steps and letters, police visits,
assessment agreements (clause 7) and the letter templates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import format_date, format_entry
from ccc_desktop.models.errors import CccError
from ccc_desktop.models.legal_records import (
    AGENCY_TYPES,
    OUTCOMES,
    POLICE_GUIDANCE,
    RECEIVED_HOW,
    SUMMONS_STEPS,
    Agreement,
    AgreementForm,
    PoliceVisit,
    PoliceVisitForm,
    Summons,
    SummonsDetail,
    SummonsForm,
)
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.legal import SUMMONS_LETTER_KINDS
from ccc_desktop.models.templates import LETTER_KINDS
from ccc_desktop.ui.families.family_chooser import FamilyChooser, family_label
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FieldErrors, banner_label, line_edit, text_edit
from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog
from ccc_desktop.ui.widgets.table_model import RecordTableModel, table_view

GUIDANCE_STYLE = ("background: #fff8e1; border: 1px solid #e0c060; padding: 8px; "
                  "border-radius: 4px;")
LETTER_LABELS = {
    "summons_court": "Letter to the court",
    "summons_solicitor": "Letter to the solicitor",
    "summons_naccc": "Letter to the NACCC office",
    "summons_committee_solicitor": "Note for the committee solicitor",
}


def plain_label(text: str = "", wrap: bool = True) -> QLabel:
    """A label that never parses what the user typed as markup."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _table(model: RecordTableModel[Any], name: str) -> QTableView:
    return table_view(model, name)


def _family_text(ctx: AppContext, family_id: int | None) -> str:
    return family_label(ctx, family_id)


class FormDialog(QDialog):
    """A form whose OK runs ``action``; a ValidationError shows beside its field, nothing is lost."""

    def __init__(self, title: str, parent: QWidget | None = None, intro: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.layout_ = QVBoxLayout(self)
        if intro:
            label = plain_label(intro)
            self.layout_.addWidget(label)
        self.banner = banner_label()
        self.layout_.addWidget(self.banner)
        self.form = QFormLayout()
        self.errors = FieldErrors(self.banner)
        self.layout_.addLayout(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.action: Callable[[], Any] | None = None
        self.result_value: Any = None
        self.resize(520, 0)

    def finish(self) -> None:
        self.layout_.addWidget(self.buttons)

    def field(self, name: str, label: str, widget: QWidget) -> Any:
        return self.errors.add(self.form, name, label, widget)

    def submit(self) -> None:
        self.errors.clear()
        try:
            if self.action is not None:
                self.result_value = self.action()
        except CccError as exc:
            self.errors.show(exc)
            return
        self.accept()


# ---- summonses ----------------------------------------------------------------------------------
class SummonsDialog(FormDialog):
    def __init__(self, ctx: AppContext, summons: Summons | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Edit the summons" if summons else "Log a witness summons", parent,
                         "The case details print in the letters. Nothing about the family or "
                         "child is ever put in a letter.")
        self.ctx = ctx
        today = format_entry(ctx.services.session.clock.today())
        s = summons
        self.received_on = self.field("received_on", "Date &received:",
                                      line_edit(format_entry(s.received_on) if s else today, "dd/mm/yyyy"))
        self.received_how = QComboBox()
        for how in RECEIVED_HOW:
            self.received_how.addItem(how.capitalize() if how != "in person" else "Served in person", how)
        if s:
            self.received_how.setCurrentIndex(RECEIVED_HOW.index(s.received_how))
        self.field("received_how", "&How it arrived:", self.received_how)
        self.served_on = self.field("served_on", "&Served on:", line_edit(
            s.served_on if s else "", "leave empty for the centre, or a volunteer's name"))
        self.court = self.field("court", "&Court:", line_edit(s.court if s else ""))
        self.court_address = self.field("court_address", "Court's a&ddress:",
                                        text_edit(s.court_address if s else "", 72))
        self.case_number = self.field("case_number", "Case &number:", line_edit(s.case_number if s else ""))
        self.hearing_date = self.field("hearing_date", "&Hearing date:", line_edit(
            format_entry(s.hearing_date) if s else "", "dd/mm/yyyy"))
        self.hearing_time = self.field("hearing_time", "Hearing &time:",
                                       line_edit(s.hearing_time if s else "", "hh:mm"))
        self.applicant = self.field("applicant", "&Applied for by:", line_edit(
            s.applicant if s else "", "the party or solicitor who applied"))
        self.applicant_address = self.field("applicant_address", "Their add&ress:",
                                            text_edit(s.applicant_address if s else "", 72))
        self.family = self.field("family_id", "Linked &family:", FamilyChooser(
            ctx, s.family_id if s else None, "No family linked", "Linked family"))
        self.respond_by = self.field("respond_by", "Res&pond by:", line_edit(
            format_entry(s.respond_by) if s and s.respond_by else "", "dd/mm/yyyy, optional"))
        self.notes = self.field("notes", "N&otes:", text_edit(s.notes if s else "", 60))
        self.finish()
        self.action = lambda: (ctx.services.summonses.update(s.id, self.to_form()) if s
                               else ctx.services.summonses.log(self.to_form()))

    def to_form(self) -> SummonsForm:
        return SummonsForm(
            received_on=self.received_on.text(), received_how=self.received_how.currentData(),
            court=self.court.text(), case_number=self.case_number.text(),
            hearing_date=self.hearing_date.text(), hearing_time=self.hearing_time.text(),
            served_on=self.served_on.text(), court_address=self.court_address.toPlainText(),
            applicant=self.applicant.text(), applicant_address=self.applicant_address.toPlainText(),
            family_id=self.family.family_id(),
            respond_by=self.respond_by.text(), notes=self.notes.toPlainText())


class StepDialog(FormDialog):
    def __init__(self, ctx: AppContext, summons_id: int, step: str, label: str,
                 current: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(label, parent, "Record when this step of the policy was done, by whom, "
                                        "with a short note.")
        today = format_entry(ctx.services.session.clock.today())
        self.done_on = self.field("done_on", "&Date:", line_edit(
            format_entry(current.done_on) if current else today, "dd/mm/yyyy"))
        self.done_by = self.field("done_by", "Done &by:", line_edit(
            current.done_by if current else ctx.actor.display_name))
        self.note = self.field("note", "&Note:", text_edit(current.note if current else "", 70))
        self.finish()
        self.action = lambda: ctx.services.summonses.record_step(
            summons_id, step, self.done_on.text(), self.done_by.text(), self.note.toPlainText())


class CloseDialog(FormDialog):
    def __init__(self, ctx: AppContext, summons_id: int, parent: QWidget | None = None) -> None:
        super().__init__("Close the summons", parent, "Record the outcome and the date it was closed.")
        self.outcome = QComboBox()
        for o in OUTCOMES:
            self.outcome.addItem(o.capitalize(), o)
        self.field("outcome", "&Outcome:", self.outcome)
        self.closed_on = self.field("closed_on", "&Closed on:", line_edit(
            format_entry(ctx.services.session.clock.today()), "dd/mm/yyyy"))
        self.note = self.field("outcome_note", "&Note:", text_edit("", 70))
        self.finish()
        self.action = lambda: ctx.services.summonses.close(
            summons_id, self.outcome.currentData(), self.closed_on.text(), self.note.toPlainText())


class SummonsDetailView(QWidget):
    """One summons: its details, the four steps, the letters, the outcome."""

    def __init__(self, panel: SummonsPanel) -> None:
        super().__init__()
        self.panel = panel
        self.ctx = panel.ctx
        self.detail: SummonsDetail | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        layout = QVBoxLayout(body)
        self.heading = plain_label()
        self.heading.setStyleSheet("font-size: 13pt; font-weight: bold;")
        layout.addWidget(self.heading)
        self.facts = plain_label()
        layout.addWidget(self.facts)
        edit_row = QHBoxLayout()
        self.edit_button = QPushButton("&Edit details…")
        self.close_button = QPushButton("Close with &outcome…")
        self.reopen_button = QPushButton("Re&open")
        for b in (self.edit_button, self.close_button, self.reopen_button):
            edit_row.addWidget(b)
        edit_row.addStretch(1)
        layout.addLayout(edit_row)

        steps = QGroupBox("The policy's steps")
        grid = QGridLayout(steps)
        self.step_labels: dict[str, QLabel] = {}
        self.step_buttons: dict[str, QPushButton] = {}
        self.clear_buttons: dict[str, QPushButton] = {}
        for row, (key, label) in enumerate(SUMMONS_STEPS):
            name = QLabel(f"<b>{row + 1}. {label}</b>")
            status = plain_label()
            status.setObjectName(f"step_{key}")
            record = QPushButton("Record…")
            record.setAccessibleName(f"Record: {label}")
            clear = QPushButton("Clear")
            clear.setAccessibleName(f"Clear: {label}")
            record.clicked.connect(lambda _=False, k=key, lab=label: self.record_step(k, lab))
            clear.clicked.connect(lambda _=False, k=key: self.clear_step(k))
            grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(status, row, 1)
            grid.addWidget(record, row, 2, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(clear, row, 3, Qt.AlignmentFlag.AlignTop)
            self.step_labels[key] = status
            self.step_buttons[key] = record
            self.clear_buttons[key] = clear
        grid.setColumnStretch(1, 1)
        layout.addWidget(steps)

        letters = QGroupBox("Letters")
        lv = QVBoxLayout(letters)
        gen = QHBoxLayout()
        self.letter_kind = QComboBox()
        for kind in SUMMONS_LETTER_KINDS:
            self.letter_kind.addItem(LETTER_LABELS.get(kind, LETTER_KINDS[kind].title), kind)
        self.generate_button = QPushButton("&Generate letter…")
        gen.addWidget(self.letter_kind, 1)
        gen.addWidget(self.generate_button)
        lv.addLayout(gen)
        self.letter_list = QListWidget()
        self.letter_list.setAccessibleName("Letters kept for this summons")
        self.letter_list.setMaximumHeight(110)
        lv.addWidget(self.letter_list)
        open_row = QHBoxLayout()
        self.open_letter_button = QPushButton("Open letter…")
        open_row.addStretch(1)
        open_row.addWidget(self.open_letter_button)
        lv.addLayout(open_row)
        layout.addWidget(letters)

        self.notes_box = QGroupBox("Notes (never printed in a letter)")
        nv = QVBoxLayout(self.notes_box)
        self.notes = plain_label()
        nv.addWidget(self.notes)
        layout.addWidget(self.notes_box)
        layout.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll)

        self.edit_button.clicked.connect(self.edit)
        self.close_button.clicked.connect(self.close_summons)
        self.reopen_button.clicked.connect(self.reopen)
        self.generate_button.clicked.connect(self.generate)
        self.open_letter_button.clicked.connect(self.open_letter)
        self.letter_list.itemDoubleClicked.connect(lambda _item: self.open_letter())
        self.show_summons(None)

    def show_summons(self, summons_id: int | None) -> None:
        self.detail = None if summons_id is None else self.ctx.services.summonses.detail(summons_id)
        d = self.detail
        enabled = d is not None
        for w in (self.edit_button, self.generate_button, self.letter_kind, self.open_letter_button):
            w.setEnabled(enabled)
        if d is None:
            self.heading.setText("Choose a summons from the list, or log a new one.")
            self.facts.setText("")
            for key in self.step_labels:
                self.step_labels[key].setText("")
                self.step_buttons[key].setEnabled(False)
                self.clear_buttons[key].setEnabled(False)
            self.close_button.setEnabled(False)
            self.reopen_button.setEnabled(False)
            self.letter_list.clear()
            self.notes.setText("")
            return
        s = d.summons
        self.heading.setText(f"Case {s.case_number} — {s.court}")
        lines = [
            f"Hearing: {s.hearing_label}",
            f"Received: {format_date(s.received_on)} ({s.received_how}), served on {s.served_on_label}",
            f"Applied for by: {s.applicant or 'not recorded'}",
        ]
        if s.respond_by:
            lines.append(f"Respond by: {format_date(s.respond_by)}")
        if s.family_id:
            lines.append(f"Linked family: {_family_text(self.ctx, s.family_id)}")
        if s.is_open:
            missing = len(d.missing_steps)
            lines.append("Status: open — " + (f"{missing} step{'s' if missing != 1 else ''} still to do"
                                             if missing else "all steps done; record the outcome"))
        else:
            lines.append(f"Status: closed on {format_date(s.closed_on)} — {s.outcome}"
                         + (f" ({s.outcome_note})" if s.outcome_note else ""))
        self.facts.setText("\n".join(lines))
        for key, _label in SUMMONS_STEPS:
            st = d.steps.get(key)
            if st is None:
                self.step_labels[key].setText("Not done yet")
                self.step_labels[key].setStyleSheet("color: #a15c00;")
            else:
                self.step_labels[key].setText(
                    f"Done {format_date(st.done_on)} by {st.done_by}" + (f" — {st.note}" if st.note else ""))
                self.step_labels[key].setStyleSheet("color: #2e7d32;")
            self.step_buttons[key].setText("Change…" if st else "Record…")
            self.step_buttons[key].setEnabled(s.is_open)
            self.clear_buttons[key].setEnabled(s.is_open and st is not None)
        self.close_button.setEnabled(s.is_open)
        self.reopen_button.setEnabled(not s.is_open)
        self.letter_list.clear()
        for letter in d.letters:
            item = QListWidgetItem(
                f"{letter.title} — {format_date(date.fromisoformat(letter.created_at[:10]))}")
            item.setData(Qt.ItemDataRole.UserRole, letter.id)
            self.letter_list.addItem(item)
        if d.letters:
            self.letter_list.setCurrentRow(0)
        self.open_letter_button.setEnabled(bool(d.letters))
        self.notes.setText(s.notes or "No notes.")

    def _run(self, dialog: QDialog) -> bool:
        return self.panel.run_dialog(dialog)

    def edit(self) -> None:
        if self.detail:
            self._run(SummonsDialog(self.ctx, self.detail.summons, self))

    def record_step(self, key: str, label: str) -> None:
        if self.detail:
            self._run(StepDialog(self.ctx, self.detail.summons.id, key, label,
                                 self.detail.steps.get(key), self))

    def clear_step(self, key: str) -> None:
        if self.detail and self.ctx.dialogs.confirm(
                self, "Clear this step?", "Clear the date recorded for this step?", "Clear"):
            try:
                self.ctx.services.summonses.clear_step(self.detail.summons.id, key)
            except CccError as exc:
                self.ctx.dialogs.error(self, "Not cleared", str(exc))

    def close_summons(self) -> None:
        if self.detail:
            self._run(CloseDialog(self.ctx, self.detail.summons.id, self))

    def reopen(self) -> None:
        if self.detail:
            self.ctx.services.summonses.reopen(self.detail.summons.id)

    def generate(self) -> None:
        if not self.detail:
            return
        try:
            letter = self.ctx.services.summonses.generate_letter(
                self.detail.summons.id, self.letter_kind.currentData())
        except CccError as exc:
            self.ctx.dialogs.error(self, "Letter not made", str(exc))
            return
        self.panel.show_letter(letter.id)

    def open_letter(self) -> None:
        item = self.letter_list.currentItem()
        if item is not None:
            self.panel.show_letter(int(item.data(Qt.ItemDataRole.UserRole)))


class SummonsPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.new_button = QPushButton("&Log a summons…")
        self.show_closed = QCheckBox("Show &closed summonses")
        top.addWidget(self.new_button)
        top.addWidget(self.show_closed)
        top.addStretch(1)
        layout.addLayout(top)
        today = ctx.services.session.clock.today()

        def steps_done(s: Summons) -> str:
            return f"{self.step_counts.get(s.id, 0)} of {len(SUMMONS_STEPS)}"

        def status(s: Summons) -> str:
            if not s.is_open:
                return f"Closed: {s.outcome}"
            return "Hearing passed" if s.hearing_date < today else "Open"

        self.step_counts: dict[int, int] = {}
        self.model: RecordTableModel[Summons] = RecordTableModel([
            ("Case", lambda s: s.case_number),
            ("Court", lambda s: s.court),
            ("Hearing", lambda s: s.hearing_label),
            ("Steps done", steps_done),
            ("Status", status),
        ])
        self.table = _table(self.model, "Witness summonses")
        self.detail = SummonsDetailView(self)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 4)
        split.setSizes([560, 700])
        layout.addWidget(split)
        self.new_button.clicked.connect(self.new)
        self.show_closed.toggled.connect(lambda _on: self.refresh())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected_changed())
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, topics: frozenset[str]) -> None:
        if topics & {"summonses", "letters"} and self.ctx.services.session.is_open:
            self.refresh()

    def selected(self) -> Summons | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def refresh(self) -> None:
        keep = self.selected()
        rows = self.ctx.services.summonses.all(open_only=not self.show_closed.isChecked())
        self.step_counts = {k: len(v) for k, v in self.ctx.services.summonses.steps_done().items()}
        self.model.set_rows(rows)
        self.select(keep.id if keep else None)

    def select(self, summons_id: int | None) -> None:
        for n, s in enumerate(self.model.rows):
            if s.id == summons_id:
                self.table.selectRow(n)
                self.detail.show_summons(s.id)
                return
        self.table.clearSelection()
        self.detail.show_summons(None)

    def _selected_changed(self) -> None:
        s = self.selected()
        self.detail.show_summons(s.id if s else None)

    def run_dialog(self, dialog: QDialog) -> bool:
        """Tests replace this to fill in and submit the dialog instead of running it."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def show_letter(self, letter_id: int) -> None:
        dialog = PdfPreviewDialog(self.ctx, letter_id=letter_id, suggested_name="summons-letter.pdf",
                                  parent=self)
        self.run_dialog(dialog)

    def new(self) -> None:
        dialog = SummonsDialog(self.ctx, None, self)
        if self.run_dialog(dialog) and dialog.result_value is not None:
            self.refresh()
            self.select(dialog.result_value.id)


# ---- police visits ------------------------------------------------------------------------------
def guidance_label() -> QLabel:
    label = plain_label("Police at the Centre — " + POLICE_GUIDANCE)
    label.setStyleSheet(GUIDANCE_STYLE)
    label.setObjectName("police_guidance")
    return label


class PoliceDialog(FormDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Log a police visit", parent)
        self.layout_.insertWidget(0, guidance_label())
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
        self.action = lambda: ctx.services.police.log(PoliceVisitForm(
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
        self.model: RecordTableModel[PoliceVisit] = RecordTableModel([
            ("Date", lambda v: f"{format_date(v.visit_date)} {v.visit_time}".strip()),
            ("Officer", lambda v: " ".join(x for x in (v.officer_name, v.officer_number and f"({v.officer_number})") if x)),
            ("Station", lambda v: v.station),
            ("Emergency", lambda v: "Yes" if v.emergency else "No"),
            ("Outcome", lambda v: v.outcome.splitlines()[0] if v.outcome else ""),
        ])
        self.table = _table(self.model, "Police visits")
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
        self.model.set_rows(self.ctx.services.police.all())
        self._show()

    def _show(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.detail.setPlainText("")
            return
        v = self.model.row(rows[0].row())
        parts = [
            f"{format_date(v.visit_date)} {v.visit_time}".strip()
            + (" — emergency call-out" if v.emergency else ""),
            f"Officer: {v.officer_name}" + (f", number {v.officer_number}" if v.officer_number else "")
            + (f", {v.station}" if v.station else ""),
        ]
        if v.family_id:
            parts.append(f"Linked family: {_family_text(self.ctx, v.family_id)}")
        parts += ["", "What was asked:", v.asked or "—", "", "What the volunteer said:", v.said or "—",
                  "", "Outcome:", v.outcome or "—"]
        self.detail.setPlainText("\n".join(parts))

    def new(self) -> None:
        self.run_dialog(PoliceDialog(self.ctx, self))


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
        self.action = lambda: ctx.services.agreements.add(AgreementForm(
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
        self.action = lambda: ctx.services.agreements.end(agreement_id, self.ended_on.text())


class AgreementsPanel(QWidget):
    def __init__(self, ctx: AppContext, run_dialog: Callable[[QDialog], bool]) -> None:
        super().__init__()
        self.ctx = ctx
        self.run_dialog = run_dialog
        layout = QVBoxLayout(self)
        intro = plain_label(CLAUSE_7_TEXT)
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
        self.check_result = plain_label()
        self.check_result.setObjectName("agreement_check")
        layout.addWidget(self.check_result)
        today = ctx.services.session.clock.today()

        def state(a: Agreement) -> str:
            if a.in_force_on(today):
                return "In force"
            return "Not started" if a.valid_from > today else "Ended"

        self.model: RecordTableModel[Agreement] = RecordTableModel([
            ("Who", lambda a: a.agency_label),
            ("Family", lambda a: _family_text(ctx, a.family_id) or "Any family"),
            ("Scope", lambda a: a.scope.splitlines()[0] if a.scope else ""),
            ("From", lambda a: format_date(a.valid_from)),
            ("To", lambda a: format_date(a.last_day)),
            ("Approved by", lambda a: a.approved_by),
            ("Status", state),
        ])
        self.table = _table(self.model, "Assessment agreements")
        layout.addWidget(self.table)
        self.new_button.clicked.connect(lambda: self.run_dialog(AgreementDialog(self.ctx, self)))
        self.end_button.clicked.connect(self.end)
        self.check_button.clicked.connect(self.check)
        self.check_family.chosen.connect(lambda _f: self.check())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._buttons())
        ctx.bus.changed.connect(lambda t: self.refresh() if "agreements" in t and ctx.services.session.is_open else None)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(self.ctx.services.agreements.all())
        self._buttons()

    def selected(self) -> Agreement | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

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


# ---- templates ----------------------------------------------------------------------------------
class TemplatesPanel(QWidget):
    """Edit a letter's template with its fields listed, preview it, or restore the shipped one."""

    def __init__(self, ctx: AppContext, run_dialog: Callable[[QDialog], bool]) -> None:
        super().__init__()
        self.ctx = ctx
        self.run_dialog = run_dialog
        self.kind: str | None = None
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(QLabel("<b>Letters</b>"))
        self.kinds = QListWidget()
        self.kinds.setAccessibleName("Letter templates")
        for lk in ctx.services.templates.kinds():
            item = QListWidgetItem(LETTER_LABELS.get(lk.kind, lk.title))
            item.setData(Qt.ItemDataRole.UserRole, lk.kind)
            self.kinds.addItem(item)
        self.kinds.setMaximumWidth(250)
        left.addWidget(self.kinds)
        help_text = plain_label(
            "Write the letter as plain text. A blank line starts a new paragraph; a line "
            "starting with ## is a heading; two blank lines leave room for a signature. "
            "<b>bold</b> and <i>italic</i> are allowed. Put a field in with {{ field }}, "
            "and leave text out when a field is empty with {% if field %}…{% endif %}.")
        help_text.setMaximumWidth(250)
        left.addWidget(help_text)
        layout.addLayout(left)

        middle = QVBoxLayout()
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 12pt;")
        middle.addWidget(self.title)
        self.state = plain_label()
        middle.addWidget(self.state)
        self.banner = banner_label()
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        middle.addWidget(self.banner)
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("Template text")
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        middle.addWidget(self.editor, 1)
        row = QHBoxLayout()
        self.preview_button = QPushButton("Pre&view…")
        self.save_button = QPushButton("&Save template")
        self.restore_button = QPushButton("Restore the &default…")
        row.addWidget(self.restore_button)
        row.addStretch(1)
        row.addWidget(self.preview_button)
        row.addWidget(self.save_button)
        middle.addLayout(row)
        layout.addLayout(middle, 1)

        right = QVBoxLayout()
        right.addWidget(QLabel("<b>Fields</b> (double-click to insert)"))
        self.fields = QTableWidget(0, 2)
        self.fields.setTabKeyNavigation(False)  # Tab moves on; arrows move in the table
        self.fields.setHorizontalHeaderLabels(["Field", "What it holds"])
        self.fields.verticalHeader().hide()
        self.fields.horizontalHeader().setStretchLastSection(True)
        self.fields.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fields.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.fields.setAccessibleName("Fields this letter may use")
        self.fields.setMinimumWidth(330)
        right.addWidget(self.fields)
        layout.addLayout(right)

        self.kinds.currentItemChanged.connect(lambda cur, _prev: self.load(cur.data(Qt.ItemDataRole.UserRole) if cur else None))
        self.fields.cellDoubleClicked.connect(self.insert_field)
        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(self.save)
        self.restore_button.clicked.connect(self.restore)
        self.kinds.setCurrentRow(0)

    def load(self, kind: str | None) -> None:
        self.kind = kind
        self.banner.hide()
        if kind is None:
            return
        info = self.ctx.services.templates.get(kind)
        self.title.setText(info.title)
        self.state.setText("The shipped default." if info.is_default
                           else f"Edited on {format_date(date.fromisoformat(info.updated_at[:10]))}; "
                                "Restore the default to go back to the shipped text.")
        self.restore_button.setEnabled(not info.is_default)
        self.editor.setPlainText(info.body)
        self.fields.setRowCount(len(info.fields))
        for n, f in enumerate(info.fields):
            self.fields.setItem(n, 0, QTableWidgetItem(f.name))
            self.fields.setItem(n, 1, QTableWidgetItem(f.description))
        self.fields.resizeColumnToContents(0)

    def insert_field(self, row: int, _column: int) -> None:
        item = self.fields.item(row, 0)
        if item is not None:
            self.editor.insertPlainText("{{ " + item.text() + " }}")
            self.editor.setFocus()

    def _problem(self, exc: CccError) -> None:
        self.banner.setText(str(exc))
        self.banner.show()

    def preview(self) -> None:
        if self.kind is None:
            return
        self.banner.hide()
        try:
            pdf = self.ctx.services.templates.preview(self.kind, self.editor.toPlainText())
        except CccError as exc:
            self._problem(exc)
            return
        self.run_dialog(PdfPreviewDialog(self.ctx, pdf=pdf, title="Preview with sample values",
                                         suggested_name="template-preview.pdf", parent=self))

    def save(self) -> None:
        if self.kind is None:
            return
        self.banner.hide()
        try:
            self.ctx.services.templates.save(self.kind, self.editor.toPlainText())
        except CccError as exc:
            self._problem(exc)
            return
        self.load(self.kind)
        self.ctx.dialogs.info(self, "Saved", "The template has been saved. New letters use it.")

    def restore(self) -> None:
        if self.kind is None or not self.ctx.dialogs.confirm(
                self, "Restore the default?",
                "Replace your edited template with the shipped default? Your edits are lost.",
                "Restore"):
            return
        self.ctx.services.templates.restore_default(self.kind)
        self.load(self.kind)


# ---- the tab ------------------------------------------------------------------------------------
class LegalTab(QTabWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.summonses = SummonsPanel(ctx)
        self.police = PolicePanel(ctx, self.run_dialog)
        self.agreements = AgreementsPanel(ctx, self.run_dialog)
        self.addTab(self.summonses, "Witness &summonses")
        self.addTab(self.police, "Police &visits")
        self.addTab(self.agreements, "Assessment &agreements")
        self.templates: TemplatesPanel | None = None
        if ctx.actor.can(Permission.EDIT_TEMPLATES):
            self.templates = TemplatesPanel(ctx, self.run_dialog)
            self.addTab(self.templates, "Letter &templates")

    def run_dialog(self, dialog: QDialog) -> bool:
        return self.summonses.run_dialog(dialog)

    def refresh(self) -> None:
        self.summonses.refresh()
        self.police.refresh()
        self.agreements.refresh()
