"""The DBS checks tab (Coordinator and Chair only). Results appear only after an explicit
"Show result", which the service writes to the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import format_date, format_entry, parse_optional_date
from ccc_desktop.models.errors import ValidationError, VaultCorrupt
from ccc_desktop.models.services.volunteer_base import CERTIFICATE_NOTE
from ccc_desktop.models.volunteers_records import (
    DbsCheck,
    DbsCheckInput,
    DbsLevel,
    DbsOutcome,
    DbsResult,
    RiskDecision,
    VolunteerStatus,
    WarningStage,
)
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FormDialog, line_edit, text_edit
from ccc_desktop.ui.widgets.table_model import RecordTable

DATE_HINT = "dd/mm/yyyy"
_STAGE_TEXT = {
    WarningStage.NONE: "", WarningStage.DAYS_60: "due within 60 days",
    WarningStage.DAYS_30: "due within 30 days", WarningStage.DAYS_7: "due within 7 days",
    WarningStage.PAUSED: "renewal in progress", WarningStage.OVERDUE: "OVERDUE",
}


def _spaced(number: str) -> str:
    return " ".join(number[i:i + 4] for i in range(0, len(number), 4))


class DbsTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        note = QLabel(CERTIFICATE_NOTE + " Results (outcome, disclosed information and the risk "
                      "decision) are sealed and shown only when you press Show result; each "
                      "showing is written to the audit trail.")
        note.setWordWrap(True)
        note.setObjectName("certificate_note")
        note.setStyleSheet("background: #eef3f8; border: 1px solid #c8d6e5; padding: 6px;")
        layout.addWidget(note)

        top = QHBoxLayout()
        self.newest_only = QCheckBox("&Newest check of each current volunteer only")
        self.newest_only.setChecked(True)
        top.addWidget(self.newest_only)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name…")
        self.search.setAccessibleName("Search DBS checks")
        self.search.setClearButtonEnabled(True)
        top.addWidget(self.search, 1)
        self.settings_label = QLabel()
        top.addWidget(self.settings_label)
        layout.addLayout(top)

        today = lambda: ctx.services.session.clock.today()  # noqa: E731
        self.table: RecordTable[DbsCheck] = RecordTable([
            ("Volunteer", lambda c: c.volunteer_name),
            ("Level", lambda c: c.level.label),
            ("Certificate", lambda c: _spaced(c.certificate_number)),
            ("Issued", lambda c: format_date(c.issue_date)),
            ("Update Service", lambda c: ("Yes, last status check " + format_date(c.last_status_check)
                                          if c.last_status_check else "Yes, no status check yet")
             if c.update_service else "No"),
            ("Renewal due", lambda c: format_date(c.renewal_due)),
            ("Warning", lambda c: _STAGE_TEXT[c.stage(today())]
             + (f" (applied {format_date(c.renewal_applied_on)})"
                if c.renewal_applied_on and c.stage(today()) is not WarningStage.PAUSED else "")),
            ("ID checked by", lambda c: c.id_checked_by),
        ], "DBS checks", filter_column=0)
        self.model = self.table.records
        layout.addWidget(self.table)

        row = QHBoxLayout()
        self.record_button = QPushButton("&Record a check…")
        self.show_button = QPushButton("&Show result…")
        self.correct_button = QPushButton("&Correct…")
        self.status_button = QPushButton("Status chec&k done…")
        self.renewal_button = QPushButton("Renewal &applied for…")
        self.clear_renewal_button = QPushButton("C&lear renewal")
        for b in (self.record_button, self.show_button, self.correct_button, self.status_button,
                  self.renewal_button, self.clear_renewal_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)

        self.newest_only.toggled.connect(lambda _c: self.refresh())
        self.search.textChanged.connect(self.table.set_filter)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.record_button.clicked.connect(self.record)
        self.show_button.clicked.connect(self.show_result)
        self.correct_button.clicked.connect(self.correct)
        self.status_button.clicked.connect(self.status_check)
        self.renewal_button.clicked.connect(self.renewal_applied)
        self.clear_renewal_button.clicked.connect(self.clear_renewal)
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, topics: frozenset[str]) -> None:
        if topics & {"dbs", "volunteers", "settings"}:
            self.refresh()

    def refresh(self) -> None:
        if not self.ctx.services.session.is_open:
            return
        dbs = self.ctx.services.dbs
        checks = dbs.latest() if self.newest_only.isChecked() else dbs.list()
        self.table.set_rows(checks)
        self.settings_label.setText(f"Renewal: every {dbs.renewal_years()} years, or the annual "
                                    "status check on the Update Service")
        self._update_buttons()

    def selected(self) -> DbsCheck | None:
        return self.table.selected()

    def _update_buttons(self) -> None:
        c = self.selected()
        for b in (self.show_button, self.correct_button, self.renewal_button):
            b.setEnabled(c is not None)
        self.status_button.setEnabled(c is not None and c.update_service)
        self.clear_renewal_button.setEnabled(c is not None and c.renewal_in_progress)

    def _error(self, title: str, exc: Exception | str) -> None:
        self.ctx.dialogs.error(self, title, str(exc))

    def record(self) -> None:
        DbsCheckDialog(self.ctx, None, None, self).exec()

    def show_result(self) -> None:
        c = self.selected()
        if c is None:
            return
        opened = run_action(self.ctx.dialogs, self, "Cannot show the result",
                            lambda: self.ctx.services.dbs.open_result(c.id))
        if opened:
            ResultDialog(c, opened.value, self).exec()

    def correct(self) -> None:
        c = self.selected()
        if c is None:
            return
        # Correcting shows the sealed values in the form: that is an audited opening too.
        opened = run_action(None, self, "", lambda: self.ctx.services.dbs.open_result(c.id))
        if not opened and not isinstance(opened.error, VaultCorrupt):
            self._error("Cannot correct the check", str(opened.error))
            return
        if not opened:  # the result cannot be trusted: let it be typed again from the certificate
            self._error("The result must be typed again", str(opened.error))
        DbsCheckDialog(self.ctx, c, opened.value if opened else None, self).exec()

    def status_check(self) -> None:
        c = self.selected()
        if c is not None:
            self.status_check_dialog(c).exec()

    def status_check_dialog(self, c: DbsCheck) -> DateDialog:
        return DateDialog(self.ctx, "Update Service status check",
                          f"The date you did the online status check for {c.volunteer_name}'s "
                          "certificate. The next one is due a year later.",
                          "last_status_check", "Status check",
                          lambda d: self.ctx.services.dbs.record_status_check(c.id, d), self)

    def renewal_applied(self) -> None:
        c = self.selected()
        if c is not None:
            DateDialog(self.ctx, "Renewal applied for",
                       f"The date {c.volunteer_name}'s renewal application was made. The 60, 30 "
                       "and 7-day warnings pause; the due date stays shown until the new "
                       "certificate is recorded.",
                       "renewal_applied_on", "Renewal applied for",
                       lambda d: self.ctx.services.dbs.record_renewal_application(c.id, d), self).exec()

    def clear_renewal(self) -> None:
        c = self.selected()
        if c is not None:
            run_action(self.ctx.dialogs, self, "Cannot clear the renewal",
                       lambda: self.ctx.services.dbs.clear_renewal_application(c.id))


class ResultDialog(FormDialog):
    def __init__(self, check: DbsCheck, result: DbsResult, parent: QWidget | None = None) -> None:
        super().__init__(f"DBS result: {check.volunteer_name}", parent,
                         "Restricted: for the Coordinator and Chair only (policy clause 8). "
                         "This showing has been written to the audit trail.",
                         ok=QDialogButtonBox.StandardButton.Close, cancel=False)
        assert self.intro_label is not None
        self.intro_label.setStyleSheet("color: #b00020; font-weight: bold;")

        def add(label: str, text: str, name: str) -> None:
            self.add_value(label, text or "—", name)

        add("Certificate:", f"{_spaced(check.certificate_number)}, issued "
            f"{format_date(check.issue_date)}", "certificate")
        add("Level:", check.level.label, "level")
        add("Outcome:", result.outcome.label, "outcome")
        add("Disclosed information:", result.disclosed_information, "disclosed")
        add("Risk decision:", result.decision.label if result.decision else "not yet made", "decision")
        add("Decision notes:", result.decision_notes, "decision_notes")
        add("Decided by:", (result.decided_by + (f" on {format_date(result.decided_on)}"
                                                 if result.decided_on else "")), "decided_by")
        add("Satisfactory for volunteering:", "Yes" if result.satisfactory else "No", "satisfactory")
        self.finish(0)
        self.resize(600, 0)


class DateDialog(FormDialog):
    def __init__(self, ctx: AppContext, title: str, intro: str, field: str, label: str,
                 action: Callable[[date | None], object], parent: QWidget | None = None) -> None:
        super().__init__(title, parent, intro)
        self.date = self.field(field, f"{label}:",
                               line_edit(format_entry(ctx.services.session.clock.today()), DATE_HINT))
        self.finish(440)
        self.on_save = lambda: action(parse_optional_date(self.date.text(), field, label))


class DbsCheckDialog(FormDialog):
    """Record a new check, or correct one (its sealed values were opened, audited, to fill it)."""

    def __init__(self, ctx: AppContext, check: DbsCheck | None, result: DbsResult | None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Correct a DBS check" if check else "Record a DBS check", parent,
                         CERTIFICATE_NOTE, ok=QDialogButtonBox.StandardButton.Save)
        self.ctx = ctx
        self.check = check
        self.volunteer = QComboBox()
        if check is None:
            for v in ctx.services.volunteers.list():
                if v.status is not VolunteerStatus.RESIGNED:
                    self.volunteer.addItem(f"{v.name} ({v.status.value})", v.id)
        else:
            self.volunteer.addItem(check.volunteer_name, check.volunteer_id)
            self.volunteer.setEnabled(False)
        self.field("volunteer", "&Volunteer:", self.volunteer)
        self.level = QComboBox()
        for level in reversed(list(DbsLevel)):
            self.level.addItem(level.label, level.value)
        self.field("level", "&Level:", self.level)
        self.number = self.field("certificate_number", "Certificate &number:",
                                 line_edit(placeholder="12 digits, e.g. 0012 3456 7890"))
        self.issue = self.field("issue_date", "&Issue date:", line_edit(placeholder=DATE_HINT))
        self.update_service = QCheckBox("On the DBS Update Service")
        self.field("update_service", "", self.update_service)
        self.last_status = self.field("last_status_check", "Last &status check:",
                                      line_edit(placeholder=DATE_HINT))
        self.checked_by = self.field("id_checked_by", "ID documents checked &by:", line_edit())
        sealed = QLabel("Sealed: only the Coordinator and Chair can read what follows.")
        sealed.setStyleSheet("color: #1f3b5a; font-weight: bold; margin-top: 6px;")
        self.form.addRow(sealed)
        self.outcome = QComboBox()
        for outcome in DbsOutcome:
            self.outcome.addItem(outcome.label, outcome.value)
        self.field("outcome", "&Outcome:", self.outcome)
        self.disclosed = self.field("disclosed_information", "&Disclosed information:",
                                    text_edit(height=60))
        self.decision = QComboBox()
        self.decision.addItem("— not yet made —", None)
        for d in RiskDecision:
            self.decision.addItem(d.label, d.value)
        self.field("decision", "&Risk decision:", self.decision)
        self.notes = self.field("decision_notes", "Decision no&tes:", text_edit(height=60))
        self.decided_by = self.field("decided_by", "Decision made b&y:", line_edit())
        self.decided_on = self.field("decided_on", "Decision d&ate:", line_edit(placeholder=DATE_HINT))
        self.finish(0)
        self.update_service.toggled.connect(self._sync)
        self.outcome.currentIndexChanged.connect(lambda _i: self._sync())
        if check is not None:
            self._load(check, result)
        else:
            self.checked_by.setText(ctx.actor.display_name)
        self._sync()
        self.resize(560, 0)

    def _load(self, c: DbsCheck, r: DbsResult | None) -> None:
        self.level.setCurrentIndex(self.level.findData(c.level.value))
        self.number.setText(_spaced(c.certificate_number))
        self.issue.setText(format_entry(c.issue_date))
        self.update_service.setChecked(c.update_service)
        self.last_status.setText(format_entry(c.last_status_check))
        self.checked_by.setText(c.id_checked_by)
        if r is None:
            return
        self.outcome.setCurrentIndex(self.outcome.findData(r.outcome.value))
        self.disclosed.setPlainText(r.disclosed_information)
        self.decision.setCurrentIndex(max(0, self.decision.findData(r.decision.value if r.decision else None)))
        self.notes.setPlainText(r.decision_notes)
        self.decided_by.setText(r.decided_by)
        self.decided_on.setText(format_entry(r.decided_on))

    def _sync(self) -> None:
        self.last_status.setEnabled(self.update_service.isChecked())
        self.disclosed.setEnabled(self.outcome.currentData() == DbsOutcome.DISCLOSED.value)

    def _date(self, edit: QWidget, field: str, label: str) -> date | None:
        return parse_optional_date(edit.text(), field, label)  # type: ignore[attr-defined]

    def save(self) -> None:
        volunteer_id = self.volunteer.currentData()
        if volunteer_id is None:
            raise ValidationError("Volunteer: add the volunteer's record first.", "volunteer")
        issue = self._date(self.issue, "issue_date", "Issue date")
        if issue is None:
            raise ValidationError("Issue date: enter the date printed on the certificate.", "issue_date")
        disclosed = (self.disclosed.toPlainText()
                     if self.outcome.currentData() == DbsOutcome.DISCLOSED.value else "")
        data = DbsCheckInput(
            level=DbsLevel(self.level.currentData()),
            certificate_number=self.number.text(),
            issue_date=issue,
            id_checked_by=self.checked_by.text(),
            outcome=DbsOutcome(self.outcome.currentData()),
            disclosed_information=disclosed,
            decision=RiskDecision(self.decision.currentData()) if self.decision.currentData() else None,
            decision_notes=self.notes.toPlainText(),
            decided_by=self.decided_by.text(),
            decided_on=self._date(self.decided_on, "decided_on", "Decision date"),
            update_service=self.update_service.isChecked(),
            last_status_check=self._date(self.last_status, "last_status_check", "Last status check")
            if self.update_service.isChecked() else None,
        )
        if self.check is None:
            self.ctx.services.dbs.record(volunteer_id, data)
        else:
            self.ctx.services.dbs.update(self.check.id, data)
