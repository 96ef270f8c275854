"""The Volunteers tab: the list (with a status filter), the volunteer record and the rota."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import day_name, format_date, format_entry, parse_optional_date
from ccc_desktop.models.roles import Permission, Role
from ccc_desktop.models.volunteers_records import (
    Volunteer,
    VolunteerDetails,
    VolunteerOverview,
    VolunteerRole,
    VolunteerStatus,
    WarningStage,
)
from ccc_desktop.ui.volunteers.rota import RotaPanel
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FormDialog, line_edit, text_edit
from ccc_desktop.ui.widgets.plain import plain_label
from ccc_desktop.ui.widgets.table_model import RecordTable

DATE_HINT = "dd/mm/yyyy"


def _dbs_text(row: VolunteerOverview) -> str:
    if row.dbs_due is None:
        return "none recorded"
    stage = row.dbs_stage
    suffix = {WarningStage.OVERDUE: " (overdue)", WarningStage.DAYS_7: " (within 7 days)",
              WarningStage.DAYS_30: " (within 30 days)", WarningStage.DAYS_60: " (within 60 days)",
              WarningStage.PAUSED: " (renewal in progress)"}.get(stage, "") if stage else ""
    return format_date(row.dbs_due) + suffix


def _roles_text(v: Volunteer) -> str:
    return ", ".join(r.label for r in VolunteerRole if r in v.details.roles)


class VolunteerListPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("&Show:"))
        self.filter = QComboBox()
        self.filter.addItem("Everyone", None)
        for status in VolunteerStatus:
            self.filter.addItem({"applicant": "Applicants", "active": "Active", "paused": "Paused",
                                 "resigned": "Resigned"}[status.value], status.value)
        self.filter.setCurrentIndex(0)
        self.filter.setAccessibleName("Status filter")
        top.itemAt(0).widget().setBuddy(self.filter)  # type: ignore[union-attr]
        top.addWidget(self.filter)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name…")
        self.search.setAccessibleName("Search volunteers")
        self.search.setClearButtonEnabled(True)
        top.addWidget(self.search, 1)
        self.count = QLabel()
        top.addWidget(self.count)
        layout.addLayout(top)

        self.table: RecordTable[VolunteerOverview] = RecordTable([
            ("Name", lambda r: r.volunteer.name),
            ("Status", lambda r: r.volunteer.status.label
             + (f" since {format_date(r.volunteer.resigned_on)}" if r.volunteer.resigned_on else "")),
            ("Roles", lambda r: _roles_text(r.volunteer)),
            ("Started", lambda r: format_date(r.volunteer.details.start_date)),
            ("DBS due", _dbs_text),
            ("Needs", lambda r: ", ".join(r.needs) if r.needs else "—"),
        ], "Volunteers", stretch=5, key=lambda r: r.volunteer.id, filter_column=0)
        self.model = self.table.records
        layout.addWidget(self.table)

        row = QHBoxLayout()
        self.new_button = QPushButton("&New volunteer…")
        self.new_button.setObjectName("new_volunteer_button")  # the first steps go here
        self.open_button = QPushButton("&Open record…")
        self.activate_button = QPushButton("Make &active")
        self.pause_button = QPushButton("&Pause")
        self.resign_button = QPushButton("Record &resignation…")
        self.rejoin_button = QPushButton("Re&join")
        for b in (self.new_button, self.open_button, self.activate_button, self.pause_button,
                  self.resign_button, self.rejoin_button):
            row.addWidget(b)
        row.addStretch(1)
        self.rules_button = QPushButton("Undertaking and &DBS rules…")
        row.addWidget(self.rules_button)
        layout.addLayout(row)

        self.filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.search.textChanged.connect(self.table.set_filter)
        self.search.textChanged.connect(lambda _t: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.new_button.clicked.connect(self.new)
        self.open_button.clicked.connect(self.open_selected)
        self.activate_button.clicked.connect(self.activate)
        self.pause_button.clicked.connect(self.pause)
        self.resign_button.clicked.connect(self.resign)
        self.rejoin_button.clicked.connect(self.rejoin)
        self.rules_button.clicked.connect(lambda: RulesDialog(self.ctx, self).exec())
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, topics: frozenset[str]) -> None:
        if topics & {"volunteers", "dbs", "settings"}:
            self.refresh()

    def refresh(self) -> None:
        if not self.ctx.services.session.is_open:
            return
        status = VolunteerStatus(self.filter.currentData()) if self.filter.currentData() else None
        rows = self.ctx.services.volunteers.overview(status)
        self.table.set_rows(rows)
        self.count.setText(f"{len(rows)} volunteer{'s' if len(rows) != 1 else ''}")
        self._update_buttons()

    def selected(self) -> Volunteer | None:
        row = self.table.selected()
        return row.volunteer if row is not None else None

    def _update_buttons(self) -> None:
        v = self.selected()
        status = v.status if v else None
        self.open_button.setEnabled(v is not None)
        self.activate_button.setEnabled(status in (VolunteerStatus.APPLICANT, VolunteerStatus.PAUSED))
        self.pause_button.setEnabled(status in (VolunteerStatus.APPLICANT, VolunteerStatus.ACTIVE))
        self.resign_button.setEnabled(status is not None and status is not VolunteerStatus.RESIGNED)
        self.rejoin_button.setEnabled(status is VolunteerStatus.RESIGNED)

    def new(self) -> None:
        VolunteerDialog(self.ctx, None, self).exec()

    def open_selected(self) -> None:
        v = self.selected()
        if v is not None:
            VolunteerDialog(self.ctx, v, self).exec()

    def activate(self) -> None:
        v = self.selected()
        if v is not None:
            run_action(self.ctx.dialogs, self, "Cannot make active", lambda: self.ctx.services.volunteers.activate(v.id))

    def pause(self) -> None:
        v = self.selected()
        if v is not None and self.ctx.dialogs.confirm(
                self, "Pause volunteer", f"Pause {v.name}? They stay on the rota until you take "
                "them off, but cannot be put on new sessions."):
            run_action(self.ctx.dialogs, self, "Cannot pause", lambda: self.ctx.services.volunteers.pause(v.id))

    def resign(self) -> None:
        v = self.selected()
        if v is not None:
            ResignDialog(self.ctx, v, self).exec()

    def rejoin(self) -> None:
        v = self.selected()
        if v is not None and self.ctx.dialogs.confirm(
                self, "Rejoin", f"Make {v.name} an applicant again? The resignation date is "
                "cleared, which stops the three-year retention clock."):
            run_action(self.ctx.dialogs, self, "Cannot rejoin", lambda: self.ctx.services.volunteers.rejoin(v.id))


class RulesDialog(FormDialog):
    """The centre's current undertaking version and the DBS renewal period."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Undertaking and DBS rules", parent,
                         "When the centre changes the text of its confidentiality undertaking, give "
                         "it a new version: everyone who signed an earlier version is then shown as "
                         "needing to sign again, and cannot be made active until they do.",
                         ok=QDialogButtonBox.StandardButton.Save)
        self.ctx = ctx
        self.version = self.field("undertaking_version", "Current undertaking &version:",
                                  line_edit(ctx.services.volunteers.current_undertaking_version()))
        self.years = QSpinBox()
        self.years.setRange(1, 10)
        self.years.setSuffix(" years")
        self.years.setValue(ctx.services.dbs.renewal_years())
        self.field("dbs_renewal_years", "DBS renewal &every:", self.years)
        self.add_text("Volunteers on the DBS Update Service are due their status check a year "
                      "after the last one instead.")
        self.finish(480)

    def save(self) -> None:
        services = self.ctx.services
        version = self.version.text().strip()
        if version != services.volunteers.current_undertaking_version():
            services.volunteers.set_current_undertaking_version(version)
        if self.years.value() != services.dbs.renewal_years():
            services.dbs.set_renewal_years(self.years.value())


class ResignDialog(FormDialog):
    def __init__(self, ctx: AppContext, volunteer: Volunteer, parent: QWidget | None = None) -> None:
        super().__init__("Record a resignation", parent,
                         f"{volunteer.name} resigns. The resignation date starts the three-year "
                         "retention clock, after which the record is listed for disposal. Rota "
                         "places after that date are removed.")
        self.ctx = ctx
        self.volunteer = volunteer
        self.resigned_on = self.field("resigned_on", "Resignation &date:",
                                      line_edit(format_entry(ctx.services.session.clock.today()), DATE_HINT))
        self.reason = self.field("resignation_reason", "&Reason:", text_edit(height=60))
        self.finish(460)

    def save(self) -> None:
        when = parse_optional_date(self.resigned_on.text(), "resigned_on", "Resignation date")
        self.ctx.services.volunteers.resign(self.volunteer.id, when, self.reason.toPlainText())


class VolunteerDialog(FormDialog):
    """The volunteer record: details, roles, training, undertaking and policy (clauses 2 and 3)."""

    def __init__(self, ctx: AppContext, volunteer: Volunteer | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(f"Volunteer: {volunteer.name}" if volunteer else "New volunteer", parent,
                         ok=QDialogButtonBox.StandardButton.Save)
        self.ctx = ctx
        self.volunteer = volunteer
        services = ctx.services
        outer = self.outer
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        columns = QHBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        left = QVBoxLayout()
        person = QGroupBox("Person")
        pf = QFormLayout(person)
        self.full_name = self.errors.add(pf, "full_name", "Full &name:", line_edit())
        self.address = self.errors.add(pf, "address", "&Address:", text_edit(height=64))
        self.phone = self.errors.add(pf, "phone", "&Phone:", line_edit())
        self.email = self.errors.add(pf, "email", "&Email:", line_edit())
        self.dob = self.errors.add(pf, "date_of_birth", "Date of &birth:", line_edit(placeholder=DATE_HINT))
        self.start = self.errors.add(pf, "start_date", "&Start date:", line_edit(placeholder=DATE_HINT))
        left.addWidget(person)

        roles_box = QGroupBox("Roles at the centre")
        rf = QFormLayout(roles_box)
        roles_row = QWidget()
        rl = QVBoxLayout(roles_row)
        rl.setContentsMargins(0, 0, 0, 0)
        self.role_boxes: dict[VolunteerRole, QCheckBox] = {}
        for role in VolunteerRole:
            box = QCheckBox(role.label)
            self.role_boxes[role] = box
            rl.addWidget(box)
        self.errors.add(rf, "roles", "Roles:", roles_row)
        self.references = QSpinBox()
        self.references.setRange(0, 9)
        self.errors.add(rf, "references_received", "&References received:", self.references)
        self.account = QComboBox()
        self.account.addItem("— no account —", None)
        if ctx.actor.can(Permission.MANAGE_ACCOUNTS):
            for a in services.accounts.list():
                if a.role is Role.VOLUNTEER:
                    self.account.addItem(f"{a.display_name} ({a.username})", a.id)
        self.errors.add(rf, "account_id", "Session volunteer a&ccount:", self.account)
        left.addWidget(roles_box)
        left.addStretch(1)

        right = QVBoxLayout()
        training = QGroupBox("Training")
        tf = QFormLayout(training)
        self.induction = self.errors.add(tf, "induction_on", "&Induction on:", line_edit(placeholder=DATE_HINT))
        self.safeguarding = self.errors.add(tf, "safeguarding_on", "Safe&guarding training on:",
                                            line_edit(placeholder=DATE_HINT))
        self.safeguarding_due = QLabel()
        tf.addRow("Safeguarding renewal due:", self.safeguarding_due)
        right.addWidget(training)

        policy = QGroupBox("Confidentiality (policy clauses 2 and 3)")
        cf = QFormLayout(policy)
        current = services.volunteers.current_undertaking_version()
        self.undertaking_version = self.errors.add(
            cf, "undertaking_version", "&Undertaking version signed:",
            line_edit(placeholder=f"current version: {current}"))
        self.undertaking_signed = self.errors.add(cf, "undertaking_signed_on", "Undertaking signe&d on:",
                                                  line_edit(placeholder=DATE_HINT))
        self.undertaking_state = QLabel()
        self.undertaking_state.setWordWrap(True)
        cf.addRow("", self.undertaking_state)
        self.policy_read = self.errors.add(cf, "policy_read_on", "P&olicy read on:",
                                           line_edit(placeholder=DATE_HINT))
        self.court_clause = QCheckBox("Understands: no court reports")
        self.court_clause.setToolTip("Volunteers make no verbal or written reports in family court "
                                     "proceedings (policy clause 3).")
        self.errors.add(cf, "court_clause_acknowledged", "Clause 3:", self.court_clause)
        right.addWidget(policy)

        dbs = QGroupBox("DBS check and rota")
        df = QFormLayout(dbs)
        self.dbs_summary = QLabel()
        self.dbs_summary.setWordWrap(True)
        df.addRow("Newest check:", self.dbs_summary)
        self.duties = QLabel()
        self.duties.setWordWrap(True)
        df.addRow("Next on duty:", self.duties)
        left.insertWidget(2, dbs)

        other = QGroupBox("Notes")
        of = QFormLayout(other)
        self.notes = self.errors.add(of, "notes", "No&tes:", text_edit(height=56))
        self.status_label = plain_label(wrap=True)  # quotes the resignation reason
        of.addRow("Status:", self.status_label)
        right.addWidget(other)
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

        if volunteer is not None and ctx.actor.can(Permission.VIEW_RESTRICTED):
            self.documents_button = QPushButton("Docu&ments\u2026")
            self.documents_button.clicked.connect(self.show_documents)
            self.buttons.addButton(self.documents_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.finish(0)
        self._load(volunteer)
        self.resize(1000, 660)

    def show_documents(self) -> None:
        from ccc_desktop.ui.attachments.attachments import AttachmentsDialog

        assert self.volunteer is not None
        AttachmentsDialog(self.ctx, "volunteer", self.volunteer.id,
                          f"Documents: {self.volunteer.name}", self).exec()

    def _load(self, v: Volunteer | None) -> None:
        today = self.ctx.services.session.clock.today()
        if v is None:
            self.role_boxes[VolunteerRole.SESSION].setChecked(True)
            self.start.setText(format_entry(today))
            self.status_label.setText("A new volunteer starts as an applicant.")
            self.undertaking_state.setText("Not signed yet.")
            self.dbs_summary.setText("none recorded yet (record it on the DBS checks tab)")
            self.duties.setText("—")
            return
        d = v.details
        self.full_name.setText(d.full_name)
        self.address.setPlainText(d.address)
        self.phone.setText(d.phone)
        self.email.setText(d.email)
        self.dob.setText(format_entry(d.date_of_birth))
        self.start.setText(format_entry(d.start_date))
        for role, box in self.role_boxes.items():
            box.setChecked(role in d.roles)
        self.references.setValue(d.references_received)
        index = self.account.findData(d.account_id)
        if d.account_id is not None and index < 0:
            self.account.addItem(f"account {d.account_id}", d.account_id)
            index = self.account.count() - 1
        self.account.setCurrentIndex(max(0, index))
        self.induction.setText(format_entry(d.induction_on))
        self.safeguarding.setText(format_entry(d.safeguarding_on))
        due = v.safeguarding_renewal_due
        self.safeguarding_due.setText(
            "—" if due is None else format_date(due) + (" (overdue)" if due < today else ""))
        self.undertaking_version.setText(d.undertaking_version)
        self.undertaking_signed.setText(format_entry(d.undertaking_signed_on))
        gap = v.undertaking_gap()
        self.undertaking_state.setText(
            f"Needs attention: {gap}." if gap else f"Current version {v.current_undertaking_version} signed.")
        self.undertaking_state.setStyleSheet("color: #a15c00;" if gap else "color: #2e7d32;")
        self.policy_read.setText(format_entry(d.policy_read_on))
        self.court_clause.setChecked(d.court_clause_acknowledged)
        self.notes.setPlainText(d.notes)
        status = v.status.label
        if v.resigned_on:
            status += (f" on {format_date(v.resigned_on)}"
                       + (f" ({v.resignation_reason})" if v.resignation_reason else "")
                       + ". The record may be disposed of three years after that date.")
        self.status_label.setText(status)
        checks = self.ctx.services.dbs.list(v.id)
        if checks:
            c = checks[0]
            kind = "status check" if c.update_service else "renewal"
            self.dbs_summary.setText(
                f"{c.level.label}, issued {format_date(c.issue_date)}; {kind} due "
                f"{format_date(c.renewal_due)}" + (" (overdue)" if c.renewal_due < today else "")
                + (f"; renewal applied for {format_date(c.renewal_applied_on)}"
                   if c.renewal_applied_on else "")
                + ". The result is on the DBS checks tab.")
        else:
            self.dbs_summary.setText("none recorded yet (record it on the DBS checks tab)")
        duties = self.ctx.services.volunteers.upcoming_duties(v.id)[:4]
        self.duties.setText(", ".join(f"{day_name(d.session_date, short=True)} {format_date(d.session_date)} "
                                      f"{d.start_time}" for d in duties) or "—")

    def _date(self, edit: QWidget, field: str, label: str) -> date | None:
        return parse_optional_date(edit.text(), field, label)  # type: ignore[attr-defined]

    def details(self) -> VolunteerDetails:
        return VolunteerDetails(
            full_name=self.full_name.text(),
            address=self.address.toPlainText(),
            phone=self.phone.text(), email=self.email.text(),
            date_of_birth=self._date(self.dob, "date_of_birth", "Date of birth"),
            start_date=self._date(self.start, "start_date", "Start date"),
            roles=frozenset(r for r, b in self.role_boxes.items() if b.isChecked()),
            references_received=self.references.value(),
            induction_on=self._date(self.induction, "induction_on", "Induction"),
            safeguarding_on=self._date(self.safeguarding, "safeguarding_on", "Safeguarding training"),
            undertaking_version=self.undertaking_version.text(),
            undertaking_signed_on=self._date(self.undertaking_signed, "undertaking_signed_on",
                                             "Undertaking signed"),
            policy_read_on=self._date(self.policy_read, "policy_read_on", "Policy read"),
            court_clause_acknowledged=self.court_clause.isChecked(),
            account_id=self.account.currentData(),
            notes=self.notes.toPlainText(),
        )

    def save(self) -> None:
        d = self.details()
        if self.volunteer is None:
            self.volunteer = self.ctx.services.volunteers.create(d)
        else:
            self.volunteer = self.ctx.services.volunteers.update(self.volunteer.id, d)


class VolunteersTab(QTabWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.list_panel = VolunteerListPanel(ctx)
        self.rota = RotaPanel(ctx)
        self.addTab(self.list_panel, "Volunteers")
        self.addTab(self.rota, "Rota")
        self.search = self.list_panel.search  # the main window's Find shortcut focuses it
        self.currentChanged.connect(lambda _i: self.refresh())

    def refresh(self) -> None:
        self.list_panel.refresh()
        self.rota.refresh()
