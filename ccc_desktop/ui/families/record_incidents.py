"""The family record's Incidents page (Coordinator and Chair only): incidents with their
retention hold, and the sealed restricted notes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import format_date
from ccc_desktop.models.families_records import Incident
from ccc_desktop.models.roles import Permission
from ccc_desktop.ui.families.common import table
from ccc_desktop.ui.families.dialogs import IncidentDialog
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.table_model import RecordTableModel, selected_record

if TYPE_CHECKING:
    from ccc_desktop.ui.families.record import FamilyDialog


class IncidentsPage(QWidget):
    def __init__(self, dialog: FamilyDialog) -> None:
        super().__init__()
        self.dialog = dialog
        ctx = dialog.ctx
        layout = QVBoxLayout(self)
        note = QLabel("Restricted: only the Coordinator and the Chair see incidents. Each carries "
                      "a 'keep beyond three years' hold that the retention rules respect.")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.incident_model: RecordTableModel[Incident] = RecordTableModel([
            ("Date", lambda i: format_date(i.occurred_on)), ("Kind", lambda i: i.kind),
            ("What happened", lambda i: i.what_happened), ("Who involved", lambda i: i.who_involved),
            ("Action taken", lambda i: i.action_taken), ("Who told", lambda i: i.who_told),
            ("Hold", lambda i: "kept beyond 3 years" if i.keep_beyond_three_years else "—"),
        ])
        self.incident_view = table(self.incident_model, "Incidents", 2)
        self.incident_view.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.incident_view.setWordWrap(True)
        layout.addWidget(self.incident_view)
        row = QHBoxLayout()
        add = QPushButton("&Record incident…")
        add.setEnabled(dialog.can_edit)
        add.clicked.connect(lambda: dialog._dialog(IncidentDialog(ctx, dialog.family_id, dialog)))
        hold = QPushButton("Set or lift the &hold")
        hold.setToolTip("Whether this incident keeps the record beyond three years")
        hold.setEnabled(bool(ctx.actor and ctx.actor.can(Permission.DISPOSE_RECORDS)))
        hold.clicked.connect(self.toggle_hold)
        row.addWidget(add)
        row.addWidget(hold)
        row.addStretch(1)
        layout.addLayout(row)
        box = QGroupBox("Restricted notes (sealed; only the Coordinator and the Chair)")
        notes_layout = QVBoxLayout(box)
        self.restricted_notes = QPlainTextEdit()
        self.restricted_notes.setAccessibleName("Restricted notes")
        self.restricted_notes.setPlaceholderText("Press Open to read them (the opening is audited).")
        self.restricted_notes.setEnabled(False)
        self.restricted_notes.setMaximumHeight(110)
        notes_layout.addWidget(self.restricted_notes)
        notes_row = QHBoxLayout()
        self.open_restricted = QPushButton("O&pen restricted notes")
        self.open_restricted.clicked.connect(self.open_notes)
        self.save_restricted = QPushButton("Sa&ve restricted notes")
        self.save_restricted.setEnabled(False)
        self.save_restricted.clicked.connect(self.save_notes)
        self.restricted_state = QLabel()
        notes_row.addWidget(self.open_restricted)
        notes_row.addWidget(self.save_restricted)
        notes_row.addWidget(self.restricted_state, 1)
        notes_layout.addLayout(notes_row)
        layout.addWidget(box)

    def load(self) -> None:
        families = self.dialog.ctx.services.families
        family_id = self.dialog.family_id
        self.incident_model.set_rows(families.incidents(family_id))
        self.incident_view.resizeRowsToContents()
        if self.open_restricted.isEnabled():
            self.restricted_state.setText("Notes recorded." if families.has_restricted_notes(family_id)
                                          else "None recorded.")

    def open_notes(self) -> None:
        d = self.dialog
        self.restricted_notes.setPlainText(d.ctx.services.families.restricted_notes(d.family_id))
        d.edits.track("the restricted notes", self.restricted_notes)
        self.restricted_notes.setEnabled(d.can_edit)
        self.save_restricted.setEnabled(d.can_edit)
        self.open_restricted.setEnabled(False)

    def save_notes(self) -> None:
        d = self.dialog
        saved = run_action(None, d, "", lambda: d.ctx.services.families.set_restricted_notes(
            d.family_id, self.restricted_notes.toPlainText()))
        if not saved:
            self.restricted_state.setText(str(saved.error))
            return
        d.edits.saved(self.restricted_notes)
        self.restricted_state.setText("Saved.")

    def toggle_hold(self) -> None:
        d = self.dialog
        i = selected_record(self.incident_view)
        if i is None:
            return
        lift = i.keep_beyond_three_years
        text = ("Lift the hold? The record will then be disposed of three years after it was last "
                "used, incident included." if lift else
                "Keep this record beyond three years because of this incident?")
        if d.ctx.dialogs.confirm(d, "Incident hold", text):
            d._run("Cannot change the hold",
                   lambda: d.ctx.services.families.set_incident_hold(i.id, not lift))
