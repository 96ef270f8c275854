"""Witness summonses: the list, the record with the policy's steps and letters, and its forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import format_date, format_entry
from ccc_desktop.models.legal_records import (
    OUTCOMES,
    RECEIVED_HOW,
    SUMMONS_STEPS,
    Summons,
    SummonsDetail,
    SummonsForm,
)
from ccc_desktop.models.templates import SUMMONS_LETTERS
from ccc_desktop.ui.families.family_chooser import FamilyChooser
from ccc_desktop.ui.legal.common import LETTER_LABELS, family_text
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FormDialog, line_edit, text_edit
from ccc_desktop.ui.widgets.moved import moved_label, show_moved
from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog
from ccc_desktop.ui.widgets.plain import wrapped_label
from ccc_desktop.ui.widgets.table_model import RecordTable


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
        self.hearing_date = self.field("hearing_date", "Hearin&g date:", line_edit(
            format_entry(s.hearing_date) if s else "", "dd/mm/yyyy"))
        self.hearing_time = self.field("hearing_time", "Hearing &time:",
                                       line_edit(s.hearing_time if s else "", "hh:mm"))
        self.applicant = self.field("applicant", "&Applied for by:", line_edit(
            s.applicant if s else "", "the party or solicitor who applied"))
        self.applicant_address = self.field("applicant_address", "Their addr&ess:",
                                            text_edit(s.applicant_address if s else "", 72))
        self.family = self.field("family_id", "Linked &family:", FamilyChooser(
            ctx, s.family_id if s else None, "No family linked", "Linked family"))
        self.respond_by = self.field("respond_by", "Res&pond by:", line_edit(
            format_entry(s.respond_by) if s and s.respond_by else "", "dd/mm/yyyy, optional"))
        self.notes = self.field("notes", "N&otes:", text_edit(s.notes if s else "", 60))
        self.finish()
        self.on_save = lambda: (ctx.services.summonses.update(s.id, self.to_form()) if s
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
        self.on_save = lambda: ctx.services.summonses.record_step(
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
        self.on_save = lambda: ctx.services.summonses.close(
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
        self.heading = wrapped_label()
        self.heading.setStyleSheet("font-size: 13pt; font-weight: bold;")
        layout.addWidget(self.heading)
        self.facts = wrapped_label()
        layout.addWidget(self.facts)
        edit_row = QHBoxLayout()
        self.edit_button = QPushButton("Edit de&tails…")
        self.close_button = QPushButton("Close with &outcome…")
        self.reopen_button = QPushButton("Reo&pen")
        self.documents_button = QPushButton("Doc&uments\u2026")
        self.documents_button.clicked.connect(self.show_documents)
        for b in (self.edit_button, self.close_button, self.reopen_button, self.documents_button):
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
            status = wrapped_label()
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
        for kind in SUMMONS_LETTERS:
            self.letter_kind.addItem(LETTER_LABELS.get(kind.kind, kind.title), kind.kind)
        self.generate_button = QPushButton("&Generate letter…")
        gen.addWidget(self.letter_kind, 1)
        gen.addWidget(self.generate_button)
        lv.addLayout(gen)
        self.letter_list = QListWidget()
        self.letter_list.setAccessibleName("Letters kept for this summons")
        self.letter_list.setMaximumHeight(110)
        lv.addWidget(self.letter_list)
        self.letters_moved = moved_label()
        lv.addWidget(self.letters_moved)
        open_row = QHBoxLayout()
        self.open_letter_button = QPushButton("Open letter…")
        open_row.addStretch(1)
        open_row.addWidget(self.open_letter_button)
        lv.addLayout(open_row)
        layout.addWidget(letters)

        self.notes_box = QGroupBox("Notes (never printed in a letter)")
        nv = QVBoxLayout(self.notes_box)
        self.notes = wrapped_label()
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

    def show_documents(self) -> None:
        """The summons itself, the court's papers (issue 15)."""
        from ccc_desktop.ui.attachments.attachments import AttachmentsDialog

        if self.detail is None:
            return
        s = self.detail.summons
        AttachmentsDialog(self.ctx, "summons", s.id, f"Documents: case {s.case_number}", self).exec()

    def show_summons(self, summons_id: int | None) -> None:
        self.detail = None if summons_id is None else self.ctx.services.summonses.detail(summons_id)
        d = self.detail
        enabled = d is not None
        for w in (self.edit_button, self.generate_button, self.letter_kind, self.open_letter_button,
                  self.documents_button):
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
            lines.append(f"Linked family: {family_text(self.ctx, s.family_id)}")
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
        show_moved(self.letters_moved, getattr(d.letters, "hidden", 0), "letter")
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
            summons_id = self.detail.summons.id
            run_action(self.ctx.dialogs, self, "Not cleared",
                       lambda: self.ctx.services.summonses.clear_step(summons_id, key))

    def close_summons(self) -> None:
        if self.detail:
            self._run(CloseDialog(self.ctx, self.detail.summons.id, self))

    def reopen(self) -> None:
        if self.detail:
            self.ctx.services.summonses.reopen(self.detail.summons.id)

    def generate(self) -> None:
        if not self.detail:
            return
        summons_id, kind = self.detail.summons.id, self.letter_kind.currentData()
        done = run_action(self.ctx.dialogs, self, "Letter not made",
                          lambda: self.ctx.services.summonses.generate_letter(summons_id, kind))
        if not done:
            return
        letter = done.value
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
        self.table: RecordTable[Summons] = RecordTable([
            ("Case", lambda s: s.case_number),
            ("Court", lambda s: s.court),
            ("Hearing", lambda s: s.hearing_label),
            ("Steps done", steps_done),
            ("Status", status),
        ], "Witness summonses")
        self.model = self.table.records
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
        return self.table.selected()

    def refresh(self) -> None:
        rows = self.ctx.services.summonses.all(open_only=not self.show_closed.isChecked())
        self.step_counts = {k: len(v) for k, v in self.ctx.services.summonses.steps_done().items()}
        self.table.set_rows(rows)  # the same summons stays selected
        self._selected_changed()

    def select(self, summons_id: int | None) -> None:
        if summons_id is None or not self.table.select_key(summons_id):
            self.table.clearSelection()
        self._selected_changed()

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


