"""The Families tab: search-as-you-type list, the family record, and the disclosure dialog."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.data_protection_records import SubjectAccessRequest
from ccc_desktop.models.dates import format_date, format_entry
from ccc_desktop.models.errors import CccError, ValidationError
from ccc_desktop.models.families_records import (
    NEXT_STATUS,
    Adult,
    AdultInput,
    AdultRole,
    Booking,
    Child,
    ChildInput,
    Consent,
    ContactKind,
    Disclosure,
    ExceptionGround,
    Family,
    FamilyRow,
    Incident,
    IncidentInput,
    ReferralInput,
    Route,
)
from ccc_desktop.models.records import StoredLetter
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.disclosures import consent_covers
from ccc_desktop.models.services.subject_access import IDENTITY_CHECKS
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import (
    FieldErrors,
    FormDialog,
    KeepOpen,
    banner_label,
    line_edit,
    text_edit,
)
from ccc_desktop.ui.widgets.table_model import RecordTableModel, table_view

DATE_HINT = "dd/mm/yyyy"
SAFETY_STYLE = ("QLabel { background: #fdecea; border: 2px solid #b00020; border-radius: 4px; "
                "padding: 6px; color: #5a0010; }")


def _table(model: RecordTableModel, name: str, stretch: int = -1) -> QTableView:  # type: ignore[type-arg]
    return table_view(model, name, stretch)


def _selected(view: QTableView, model: RecordTableModel):  # type: ignore[no-untyped-def, type-arg]
    rows = view.selectionModel().selectedRows()
    return model.row(rows[0].row()) if rows else None


def _combo(items: list[tuple[str, object]], current: object = None) -> QComboBox:
    box = QComboBox()
    for label, value in items:
        box.addItem(label, value)
    if current is not None:
        i = box.findData(current)
        if i >= 0:
            box.setCurrentIndex(i)
    return box


def safety_text(family: Family) -> str:
    parts = []
    for name, role, before, after in family.safety.staggers:
        bits = []
        if before:
            bits.append(f"arrives {before} min before")
        if after:
            bits.append(f"leaves {after} min after")
        parts.append(f"{name} ({role}): {' and '.join(bits)}")
    if family.safety.must_not_attend:
        parts.append("Must not attend: " + family.safety.must_not_attend)
    if family.safety.safety_notes:
        parts.append(family.safety.safety_notes)
    return "\n".join(parts)


# ---- the list ---------------------------------------------------------------------------------
class FamiliesTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        find = QLabel("&Find:")
        top.addWidget(find)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Type a parent's or child's name, or a reference such as F-0012")
        self.search.setAccessibleName("Search families")
        self.search.setClearButtonEnabled(True)
        find.setBuddy(self.search)
        top.addWidget(self.search, 1)
        self.count = QLabel()
        top.addWidget(self.count)
        layout.addLayout(top)
        self.model: RecordTableModel[FamilyRow] = RecordTableModel([
            ("Reference", lambda r: r.reference),
            ("Adults", lambda r: r.adults),
            ("Children", lambda r: r.children),
            ("Referral", lambda r: r.status.label),
            ("Last used", lambda r: format_date(r.last_used_on)),
        ])
        self.table = _table(self.model, "Families", 1)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.new_button = QPushButton("&New referral…")
        self.open_button = QPushButton("&Open record…")
        self.log_button = QPushButton("Disclosure &log…")
        row.addWidget(self.new_button)
        row.addWidget(self.open_button)
        row.addStretch(1)
        row.addWidget(self.log_button)
        layout.addLayout(row)
        can_edit = ctx.actor.can(Permission.EDIT_FAMILIES) if ctx.actor else False
        self.new_button.setVisible(can_edit)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._open_first)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.new_button.clicked.connect(self.new)
        self.open_button.clicked.connect(self.open_selected)
        self.log_button.clicked.connect(lambda: DisclosureLogDialog(self.ctx, self).exec())
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, topics: frozenset[str]) -> None:
        if topics & {"families", "bookings", "register"}:
            self.refresh()

    def refresh(self) -> None:
        if not self.ctx.services.session.is_open:
            return
        rows = self.ctx.services.families.search(self.search.text(), limit=500)
        self.model.set_rows(rows)
        total = self.ctx.services.families.count()
        shown = f"{len(rows)} of {total}" if len(rows) < total else f"{total}"
        self.count.setText(f"{shown} famil{'y' if total == 1 else 'ies'}")

    def _open_first(self) -> None:
        if self.model.rows:
            self.open_family(self.model.rows[0].id)

    def selected(self) -> FamilyRow | None:
        return _selected(self.table, self.model)

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_family(row.id)

    def open_family(self, family_id: int) -> None:
        try:
            FamilyDialog(self.ctx, family_id, self).exec()
        except CccError as exc:
            self.ctx.dialogs.error(self, "Cannot open the record", str(exc))

    def new(self) -> None:
        dialog = NewFamilyDialog(self.ctx, self)
        if dialog.exec() and dialog.family_id is not None:
            self.refresh()
            self.open_family(dialog.family_id)


class DisclosureLogDialog(QDialog):
    """Every disclosure request and what was disclosed, across all families (clause 4)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Disclosure log")
        layout = QVBoxLayout(self)
        self.model: RecordTableModel[Disclosure] = RecordTableModel([
            ("Date", lambda d: format_date(d.requested_on)),
            ("Family", lambda d: d.reference),
            ("Who asked", lambda d: d.requested_by), ("Organisation", lambda d: d.organisation),
            ("Asked for", lambda d: d.asked_for), ("Answer", _answer_text),
            ("Disclosed", lambda d: d.disclosed),
            ("Ground / authorised by", lambda d: ", ".join(x for x in (d.ground or "", d.authorised_by) if x)),
        ])
        self.table = _table(self.model, "Disclosure log", 4)
        self.model.set_rows(ctx.services.disclosures.log())
        layout.addWidget(self.table)
        close = QPushButton("&Close")
        close.clicked.connect(self.accept)
        layout.addWidget(close, alignment=Qt.AlignmentFlag.AlignRight)
        self.resize(1100, 560)


def _answer_text(d: Disclosure) -> str:
    return {"attendance": "attendance letter", "beyond": "beyond attendance",
            "pending": "not answered", "refused": "refused"}[d.answer]


# ---- small forms ------------------------------------------------------------------------------
class _FormDialog(FormDialog):
    """The house form dialog, with the screen's context."""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None) -> None:
        super().__init__(title, parent)
        self.ctx = ctx


def _adult_fields(dialog: _FormDialog, adult: Adult | None, prefix: str = "") -> dict[str, QWidget]:
    f, e = dialog.form, dialog.errors
    w: dict[str, QWidget] = {}
    w["full_name"] = e.add(f, prefix + "full_name", "&Name:", line_edit(adult.full_name if adult else ""))
    w["role"] = e.add(f, prefix + "role", "&Role:", _combo([(r.label, r.value) for r in AdultRole],
                                                            adult.role.value if adult else None))
    w["address"] = e.add(f, prefix + "address", "&Address:", text_edit(adult.address if adult else "", 54))
    w["phone"] = e.add(f, prefix + "phone", "&Phone:", line_edit(adult.phone if adult else ""))
    w["email"] = e.add(f, prefix + "email", "&Email:", line_edit(adult.email if adult else ""))
    for key, label, value in (("arrive_minutes_before", "Arrives &early by (min):",
                               adult.arrive_minutes_before if adult else 0),
                              ("leave_minutes_after", "Leaves &late by (min):",
                               adult.leave_minutes_after if adult else 0)):
        spin = QSpinBox()
        spin.setRange(0, 120)
        spin.setSingleStep(5)
        spin.setValue(value)
        w[key] = e.add(f, prefix + key, label, spin)
    w["ground_rules_on"] = e.add(f, prefix + "ground_rules_on", "&Ground rules agreed:",
                                 line_edit(format_entry(adult.ground_rules_on) if adult else "", DATE_HINT))
    w["policy_agreed_on"] = e.add(f, prefix + "policy_agreed_on", "Polic&y agreed:",
                                  line_edit(format_entry(adult.policy_agreed_on) if adult else "", DATE_HINT))
    return w


def _adult_input(w: dict[str, QWidget]) -> AdultInput:
    return AdultInput(
        full_name=w["full_name"].text(), role=w["role"].currentData(),  # type: ignore[attr-defined]
        address=w["address"].toPlainText(), phone=w["phone"].text(),  # type: ignore[attr-defined]
        email=w["email"].text(),  # type: ignore[attr-defined]
        arrive_minutes_before=w["arrive_minutes_before"].value(),  # type: ignore[attr-defined]
        leave_minutes_after=w["leave_minutes_after"].value(),  # type: ignore[attr-defined]
        ground_rules_on=w["ground_rules_on"].text(),  # type: ignore[attr-defined]
        policy_agreed_on=w["policy_agreed_on"].text())  # type: ignore[attr-defined]


def _referral_fields(dialog: _FormDialog | ReferralPage, family: Family | None) -> dict[str, QWidget]:
    f, e = dialog.form, dialog.errors
    r = family.referral if family else None
    w: dict[str, QWidget] = {}
    w["referral_date"] = e.add(f, "referral_date", "Referral &date:",
                               line_edit(format_entry(r.referral_date) if r else "", DATE_HINT))
    w["route"] = e.add(f, "route", "Ro&ute:", _combo([(x.label, x.value) for x in Route],
                                                    r.route.value if r else None))
    w["referrer_name"] = e.add(f, "referrer_name", "Referrer's &name:", line_edit(r.referrer_name if r else ""))
    w["referrer_organisation"] = e.add(f, "referrer_organisation", "&Organisation:",
                                       line_edit(r.referrer_organisation if r else ""))
    w["referrer_contact"] = e.add(f, "referrer_contact", "Referrer's &contact details:",
                                  line_edit(r.referrer_contact if r else ""))
    court = QCheckBox("A court order is in place")
    court.setChecked(bool(r and r.court_order))
    w["court_order"] = e.add(f, "court_order", "Court order:", court)
    w["contact_kind"] = e.add(f, "contact_kind", "&Kind of contact:",
                              _combo([(x.label, x.value) for x in ContactKind],
                                     r.contact_kind.value if r else None))
    return w


def _referral_input(w: dict[str, QWidget]) -> ReferralInput:
    return ReferralInput(
        referral_date=w["referral_date"].text(), route=w["route"].currentData(),  # type: ignore[attr-defined]
        referrer_name=w["referrer_name"].text(),  # type: ignore[attr-defined]
        referrer_organisation=w["referrer_organisation"].text(),  # type: ignore[attr-defined]
        referrer_contact=w["referrer_contact"].text(),  # type: ignore[attr-defined]
        court_order=w["court_order"].isChecked(),  # type: ignore[attr-defined]
        contact_kind=w["contact_kind"].currentData())  # type: ignore[attr-defined]


class NewFamilyDialog(_FormDialog):
    """A new referral: the referral, the first adult and (optionally) a child."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "New referral", parent)
        self.family_id: int | None = None
        self.form.addRow(QLabel("<b>Referral</b>"))
        self.ref = _referral_fields(self, None)
        self.ref["referral_date"].setText(format_entry(ctx.services.session.clock.today()))  # type: ignore[attr-defined]
        self.form.addRow(QLabel("<b>First adult</b> (add more from the record)"))
        self.adult = _adult_fields(self, None, "adults.0.")
        self.form.addRow(QLabel("<b>Child</b> (optional)"))
        self.child_name = self.errors.add(self.form, "children.0.full_name", "C&hild's name:", line_edit())
        self.child_dob = self.errors.add(self.form, "children.0.date_of_birth", "Date of &birth:",
                                         line_edit("", DATE_HINT))
        self.child_needs = self.errors.add(self.form, "children.0.needs", "Needs (e.g. a&llergies):", line_edit())
        self.finish()

    def save(self) -> None:
        children = []
        if self.child_name.text().strip() or self.child_dob.text().strip():  # type: ignore[attr-defined]
            children.append(ChildInput(self.child_name.text(), self.child_dob.text(),  # type: ignore[attr-defined]
                                       self.child_needs.text()))  # type: ignore[attr-defined]
        self.family_id = self.ctx.services.families.create(
            _referral_input(self.ref), [_adult_input(self.adult)], children)


class AdultDialog(_FormDialog):
    def __init__(self, ctx: AppContext, family_id: int, adult: Adult | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Edit adult" if adult else "Add an adult", parent)
        self.family_id, self.adult = family_id, adult
        self.w = _adult_fields(self, adult)
        self.finish()

    def save(self) -> None:
        if self.adult is None:
            self.ctx.services.families.add_adult(self.family_id, _adult_input(self.w))
        else:
            self.ctx.services.families.update_adult(self.adult.id, _adult_input(self.w))


class ChildDialog(_FormDialog):
    def __init__(self, ctx: AppContext, family_id: int, child: Child | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Edit child" if child else "Add a child", parent)
        self.family_id, self.child = family_id, child
        self.name = self.errors.add(self.form, "full_name", "&Name:", line_edit(child.full_name if child else ""))
        self.dob = self.errors.add(self.form, "date_of_birth", "Date of &birth:",
                                   line_edit(format_entry(child.date_of_birth) if child else "", DATE_HINT))
        self.needs = self.errors.add(self.form, "needs", "N&eeds (e.g. allergies):",
                                     text_edit(child.needs if child else "", 54))
        self.finish()

    def save(self) -> None:
        value = ChildInput(self.name.text(), self.dob.text(), self.needs.toPlainText())  # type: ignore[attr-defined]
        if self.child is None:
            self.ctx.services.families.add_child(self.family_id, value)
        else:
            self.ctx.services.families.update_child(self.child.id, value)


class ConsentDialog(_FormDialog):
    def __init__(self, ctx: AppContext, family: Family, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Record consent to share contact details", parent)
        self.adult = self.errors.add(self.form, "adult", "&Whose details:",
                                     _combo([(a.full_name, a.id) for a in family.adults]))
        self.to_whom = self.errors.add(self.form, "to_whom", "&To whom:", line_edit())
        self.purpose = self.errors.add(self.form, "purpose", "&For what:", line_edit())
        self.given_on = self.errors.add(self.form, "given_on", "&Given on:",
                                        line_edit(format_entry(ctx.services.session.clock.today()), DATE_HINT))
        self.how = self.errors.add(self.form, "how", "&How given:",
                                   line_edit("", "e.g. signed form, in person, by email"))
        self.finish()

    def save(self) -> None:
        self.ctx.services.families.record_consent(
            self.adult.currentData(), self.to_whom.text(), self.purpose.text(),  # type: ignore[attr-defined]
            self.given_on.text(), self.how.text())  # type: ignore[attr-defined]


class SubjectAccessDialog(_FormDialog):
    """A subject access request from one of the family's adults, linked to this record."""

    def __init__(self, ctx: AppContext, family_id: int, adult: Adult, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Subject access request", parent)
        self.family_id, self.adult = family_id, adult
        self.request: SubjectAccessRequest | None = None
        who = QLabel(f"From {adult.full_name} ({adult.role.value}). The response holds their own "
                     "details only: never the other parent's or anything held to prevent violence.")
        who.setTextFormat(Qt.TextFormat.PlainText)
        who.setWordWrap(True)
        self.form.addRow(who)
        self.identity = self.errors.add(self.form, "identity_check", "&Identity checked by:",
                                        _combo([(c, c) for c in IDENTITY_CHECKS]))
        self.received = self.errors.add(self.form, "received_on", "Date &received:",
                                        line_edit(format_entry(ctx.services.session.clock.today()), DATE_HINT))
        self.finish()

    def save(self) -> None:
        self.request = self.ctx.services.subject_access.log(
            self.adult.full_name, self.identity.currentData(), self.received.text(),  # type: ignore[attr-defined]
            "family", self.family_id, f"adult:{self.adult.id}")


class IncidentDialog(_FormDialog):
    def __init__(self, ctx: AppContext, family_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Record an incident (restricted)", parent)
        self.family_id = family_id
        self.occurred = self.errors.add(self.form, "occurred_on", "&Date:",
                                        line_edit(format_entry(ctx.services.session.clock.today()), DATE_HINT))
        self.kind = self.errors.add(self.form, "kind", "&Kind:",
                                    _combo([("Safeguarding", "safeguarding"), ("Accident", "accident")]))
        self.what = self.errors.add(self.form, "what_happened", "&What happened:", text_edit())
        self.who = self.errors.add(self.form, "who_involved", "Who was &involved:", line_edit())
        self.action = self.errors.add(self.form, "action_taken", "&Action taken:", text_edit())
        self.told = self.errors.add(self.form, "who_told", "Who was &told:", line_edit())
        note = QLabel("Incidents are sealed: only the Coordinator and the Chair can read them. "
                      "They are kept beyond the usual three years.")
        note.setWordWrap(True)
        self.form.addRow(note)
        self.finish()

    def save(self) -> None:
        self.ctx.services.families.record_incident(self.family_id, IncidentInput(
            self.occurred.text(), self.what.toPlainText(), self.who.text(),  # type: ignore[attr-defined]
            self.action.toPlainText(), self.told.text(), self.kind.currentData()))  # type: ignore[attr-defined]


class BookDialog(_FormDialog):
    """Book one session, or weekly on a session day between two dates."""

    def __init__(self, ctx: AppContext, family_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Book sessions", parent)
        self.family_id = family_id
        today = ctx.services.session.clock.today()
        self.one = QRadioButton("&One session")
        self.weekly = QRadioButton("&Weekly on a session day")
        self.one.setChecked(True)
        self.form.addRow(self.one)
        sessions = [s for s in ctx.services.bookings.sessions_between(today, today + timedelta(days=120))]
        self.session = self.errors.add(self.form, "session", "&Session:", _combo(
            [(f"{format_date(s.session_date)} {s.start_time}-{s.end_time} "
              f"({s.booked}/{s.capacity} booked)", s.id) for s in sessions]))
        self.form.addRow(self.weekly)
        self.pattern = self.errors.add(self.form, "pattern", "Session &day:", _combo(
            [(f"{p.weekday_name}s {p.start_time}-{p.end_time}", p.id)
             for p in ctx.services.bookings.patterns()]))
        self.first = self.errors.add(self.form, "first", "&From:", line_edit(format_entry(today), DATE_HINT))
        self.last = self.errors.add(self.form, "last", "&Until:",
                                    line_edit(format_entry(today + timedelta(weeks=12)), DATE_HINT))
        self.errors.fields["ground_rules"] = self.session
        self.errors.labels["ground_rules"] = self.errors.labels["session"]
        self.errors.fields["family"] = self.session
        self.errors.labels["family"] = self.errors.labels["session"]
        self.finish()

    def save(self) -> None:
        if self.one.isChecked():
            if self.session.currentData() is None:  # type: ignore[attr-defined]
                raise ValidationError("Session: there are no sessions in the next four months.", "session")
            self.ctx.services.bookings.book(self.family_id, self.session.currentData())  # type: ignore[attr-defined]
        else:
            if self.pattern.currentData() is None:  # type: ignore[attr-defined]
                raise ValidationError("Session day: no session days are set up.", "pattern")
            self.ctx.services.bookings.book_repeating(
                self.family_id, self.pattern.currentData(), self.first.text(), self.last.text())  # type: ignore[attr-defined]


# ---- disclosure ---------------------------------------------------------------------------------
class DisclosureDialog(_FormDialog):
    """Log a request and answer it: the attendance letter, or more under an exception ground."""

    def __init__(self, ctx: AppContext, family_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Disclosure request", parent)
        self.family_id = family_id
        self.request_id: int | None = None
        self.letter: StoredLetter | None = None
        today = ctx.services.session.clock.today()
        intro = QLabel("Clause 4: the dates and times of a family's attendance are given to "
                       "referring agencies on request. Nothing else is released unless a child "
                       "is at risk of harm or someone is at risk of physical violence.")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.requested_by = self.errors.add(self.form, "requested_by", "&Who asked:", line_edit())
        self.organisation = self.errors.add(self.form, "organisation", "&Organisation:", line_edit())
        self.requested_on = self.errors.add(self.form, "requested_on", "&Date of request:",
                                            line_edit(format_entry(today), DATE_HINT))
        self.asked_for = self.errors.add(self.form, "asked_for", "What they &asked for:", text_edit("", 54))
        self.attendance = QRadioButton("Send the &attendance letter (dates and times only)")
        self.beyond = QRadioButton("Disclose &more, under an exception")
        self.attendance.setChecked(True)
        self.form.addRow(self.attendance)
        self.first = self.errors.add(self.form, "first", "Attendance &from:", line_edit("", "blank: from the start"))
        self.last = self.errors.add(self.form, "last", "Attendance &until:", line_edit("", "blank: to date"))
        self.form.addRow(self.beyond)
        self.ground = self.errors.add(self.form, "ground", "&Ground:", _combo(
            [("Choose…", None)] + [(g.label, g.value) for g in ExceptionGround]))
        choices: list[tuple[str, object]] = [("Choose…", None)]
        if ctx.actor and ctx.actor.can(Permission.AUTHORISE_DISCLOSURE):
            choices += [(label, account_id) for account_id, label in ctx.services.disclosures.authoriser_choices()]
        self.authoriser = self.errors.add(self.form, "authorised_by", "Authorised &by:", _combo(choices))
        self.reason = self.errors.add(self.form, "reason", "&Reason:", text_edit("", 54))
        self.disclosed = self.errors.add(self.form, "disclosed", "What is &disclosed:", text_edit("", 54))
        self.refuse = QRadioButton("Re&fuse: nothing is disclosed (give the reason above)")
        self.form.addRow(self.refuse)
        self.attendance.toggled.connect(self._mode)
        self.refuse.toggled.connect(self._mode)
        self._mode()
        self.finish()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Log and answer")

    def _mode(self) -> None:
        beyond = self.beyond.isChecked()
        for w in (self.ground, self.authoriser, self.disclosed):
            w.setEnabled(beyond)
        self.reason.setEnabled(beyond or self.refuse.isChecked())
        for w in (self.first, self.last):
            w.setEnabled(not beyond)

    def _answer(self, request_id: int) -> StoredLetter | None:
        d = self.ctx.services.disclosures
        if self.attendance.isChecked():
            return d.answer_with_attendance(request_id, self.first.text(), self.last.text())  # type: ignore[attr-defined]
        if self.refuse.isChecked():
            d.refuse(request_id, self.reason.toPlainText())  # type: ignore[attr-defined]
        else:
            d.disclose_beyond(request_id, self.ground.currentData(), self.authoriser.currentData(),  # type: ignore[attr-defined]
                              self.reason.toPlainText(), self.disclosed.toPlainText())  # type: ignore[attr-defined]
        return None

    def save(self) -> None:
        # The request and its answer (and the attendance letter) are kept together or not at
        # all: a letter that cannot be made leaves no request logged without it.
        self.request_id, self.letter = self.ctx.services.disclosures.log_and_answer(
            self.family_id, self.requested_by.text(), self.organisation.text(),  # type: ignore[attr-defined]
            self.requested_on.text(), self.asked_for.toPlainText(), self._answer)  # type: ignore[attr-defined]


class ShareContactDialog(_FormDialog):
    """Clauses 5 and 6: an adult's details go only under their consent or a recorded exception."""

    def __init__(self, ctx: AppContext, family: Family, request: Disclosure,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Pass on contact details", parent)
        self.request = request
        intro = QLabel(f"Request from {request.requested_by} ({request.organisation or 'no organisation'}). "
                       "Choose whose details, and the consent that covers passing them on to this requester "
                       "(only consents naming them are listed). Without "
                       "a consent, only a recorded exception on this request allows it.")
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.adult = self.errors.add(self.form, "adult", "&Whose details:",
                                     _combo([(a.full_name, a.id) for a in family.adults]))
        today = ctx.services.session.clock.today()
        consents = [c for c in ctx.services.families.consents(family.id) if c.active_on(today)
                    and consent_covers(c.to_whom, request.requested_by, request.organisation)]
        self.consent = self.errors.add(self.form, "consent", "&Consent:", _combo(
            [("None: under the recorded exception", None)]
            + [(f"{c.adult_name} to {c.to_whom} ({c.purpose}), {format_date(c.given_on)}", c.id)
               for c in consents]))
        self.shared_label = QLabel()
        self.shared_label.setTextFormat(Qt.TextFormat.PlainText)
        self.shared_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow(self.shared_label)
        self.finish()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Show and log")
        self.shown = False

    def save(self) -> None:
        if self.shown:
            return
        got = self.ctx.services.disclosures.share_contact_details(
            self.request.id, self.adult.currentData(), self.consent.currentData())  # type: ignore[attr-defined]
        self.shared_label.setText("\n".join(x for x in (got["name"], got["address"], got["phone"],
                                                   got["email"]) if x))
        self.shown = True
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Done")
        raise _KeepOpen


class _KeepOpen(KeepOpen):
    """Not an error: keeps the dialog open to show what was logged."""


# ---- the record -------------------------------------------------------------------------------
class ReferralPage(QWidget):
    def __init__(self, dialog: FamilyDialog) -> None:
        super().__init__()
        self.dialog = dialog
        ctx = dialog.ctx
        layout = QHBoxLayout(self)
        left = QGroupBox("Referral")
        self.form = QFormLayout(left)
        self.banner = banner_label()
        self.form.addRow(self.banner)
        self.errors = FieldErrors(self.banner)
        self.w = _referral_fields(self, dialog.family)
        save = QPushButton("&Save referral")
        save.clicked.connect(self.save)
        self.form.addRow("", save)
        layout.addWidget(left, 1)
        right = QVBoxLayout()
        status_box = QGroupBox("Status and pre-visit")
        sf = QFormLayout(status_box)
        self.status_label = QLabel()
        sf.addRow("Status:", self.status_label)
        self.next_status = QComboBox()
        self.next_status.setAccessibleName("Move the referral to")
        self.next_button = QPushButton("C&hange status")
        row = QHBoxLayout()
        row.addWidget(self.next_status, 1)
        row.addWidget(self.next_button)
        sf.addRow("Move to:", row)
        self.pv_errors = FieldErrors(banner_label())
        sf.addRow(self.pv_errors.banner)
        self.pv_on = self.pv_errors.add(sf, "previsit_on", "Pre-visit &date:", line_edit("", DATE_HINT))
        self.pv_by = self.pv_errors.add(sf, "previsit_by", "Pre-visit &by:", line_edit())
        self.pv_notes = self.pv_errors.add(sf, "previsit_notes", "Checklist &notes:", text_edit("", 54))
        self.pv_errors.fields["status"] = self.next_status
        self.pv_errors.labels["status"] = self.pv_errors.labels["previsit_notes"]
        pv_save = QPushButton("Record &pre-visit")
        sf.addRow("", pv_save)
        right.addWidget(status_box)
        review_box = QGroupBox("Reviews")
        rf = QFormLayout(review_box)
        self.review_due = QLabel()
        rf.addRow("Next review due:", self.review_due)
        self.review_list = QLabel()
        self.review_list.setWordWrap(True)
        rf.addRow("Reviews held:", self.review_list)
        self.rv_errors = FieldErrors(banner_label())
        self.rv_on = self.rv_errors.add(rf, "reviewed_on", "Re&view date:", line_edit("", DATE_HINT))
        self.rv_notes = self.rv_errors.add(rf, "notes", "Review notes:", line_edit())
        rv_save = QPushButton("Record re&view")
        rf.addRow("", rv_save)
        right.addWidget(review_box)
        right.addStretch(1)
        layout.addLayout(right, 1)
        self.next_button.clicked.connect(self.change_status)
        pv_save.clicked.connect(self.save_previsit)
        rv_save.clicked.connect(self.save_review)
        editable = ctx.actor.can(Permission.EDIT_FAMILIES) if ctx.actor else False
        for b in (save, self.next_button, pv_save, rv_save):
            b.setEnabled(editable)
        self.load()

    def load(self) -> None:
        f = self.dialog.family
        r = f.referral
        self.status_label.setText(f"<b>{r.status.label}</b>")
        self.next_status.clear()
        for s in sorted(NEXT_STATUS[r.status], key=lambda x: list(NEXT_STATUS).index(x)):
            self.next_status.addItem(s.label, s.value)
        self.next_button.setEnabled(self.next_status.count() > 0)
        self.pv_on.setText(format_entry(r.previsit_on))  # type: ignore[attr-defined]
        self.pv_by.setText(r.previsit_by)  # type: ignore[attr-defined]
        self.pv_notes.setPlainText(r.previsit_notes)  # type: ignore[attr-defined]
        if f.next_review_due:
            self.review_due.setText(format_date(f.next_review_due))
        else:
            self.review_due.setText("three months after the first session" if f.first_session_on is None
                                    else "—")
        self.review_list.setText(", ".join(format_date(d) for d, _n in f.reviews) or "none yet")

    def _try(self, errors: FieldErrors, action) -> None:  # type: ignore[no-untyped-def]
        errors.clear()
        try:
            action()
        except CccError as exc:
            errors.show(exc)
            return
        self.dialog.reload()

    def save(self) -> None:
        self._try(self.errors, lambda: self.dialog.ctx.services.families.update_referral(
            self.dialog.family_id, _referral_input(self.w)))

    def change_status(self) -> None:
        self._try(self.pv_errors, lambda: self.dialog.ctx.services.families.set_status(
            self.dialog.family_id, self.next_status.currentData()))

    def save_previsit(self) -> None:
        self._try(self.pv_errors, lambda: self.dialog.ctx.services.families.record_previsit(
            self.dialog.family_id, self.pv_on.text(), self.pv_by.text(),  # type: ignore[attr-defined]
            self.pv_notes.toPlainText()))  # type: ignore[attr-defined]

    def save_review(self) -> None:
        self._try(self.rv_errors, lambda: self.dialog.ctx.services.families.record_review(
            self.dialog.family_id, self.rv_on.text(), self.rv_notes.text()))  # type: ignore[attr-defined]


class FamilyDialog(QDialog):
    """One family's record. Opening it is audited by FamilyService.get."""

    def __init__(self, ctx: AppContext, family_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.family_id = family_id
        self.family = ctx.services.families.get(family_id)
        actor = ctx.actor
        self.can_edit = bool(actor and actor.can(Permission.EDIT_FAMILIES))
        self.can_restricted = bool(actor and actor.can(Permission.VIEW_RESTRICTED))
        layout = QVBoxLayout(self)
        # User text is shown as plain text: a name like "<b>Tom</b>" prints literally.
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.heading)
        self.safety = QLabel()
        self.safety.setTextFormat(Qt.TextFormat.PlainText)
        self.safety.setWordWrap(True)
        self.safety.setStyleSheet(SAFETY_STYLE)
        self.safety.setAccessibleName("Safety arrangements")
        layout.addWidget(self.safety)
        # Clause 7: whether an agency may assess this family at the centre.
        self.agreement = QLabel()
        self.agreement.setTextFormat(Qt.TextFormat.PlainText)
        self.agreement.setWordWrap(True)
        self.agreement.setObjectName("agreement_status")
        self.agreement.setAccessibleName("Assessment agreement")
        layout.addWidget(self.agreement)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)

        self.referral = ReferralPage(self)
        self.tabs.addTab(self.referral, "Re&ferral")
        self.tabs.addTab(self._people_page(), "&People")
        self.tabs.addTab(self._safety_page(), "&Safety")
        self.tabs.addTab(self._bookings_page(), "&Bookings")
        self.tabs.addTab(self._consent_page(), "&Consent")
        self.tabs.addTab(self._disclosure_page(), "&Disclosures && letters")
        if self.can_restricted:
            self.tabs.addTab(self._incident_page(), "&Incidents")
        row = QHBoxLayout()
        row.addStretch(1)
        close = QPushButton("C&lose")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        self.resize(1040, 720)
        self.load()

    # pages
    def _people_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("<b>Adults</b>"))
        self.adults_model: RecordTableModel[Adult] = RecordTableModel([
            ("Name", lambda a: a.full_name), ("Role", lambda a: a.role.label),
            ("Phone", lambda a: a.phone), ("Email", lambda a: a.email),
            ("Address", lambda a: a.address.replace("\n", ", ")),
            ("Ground rules", lambda a: format_date(a.ground_rules_on) or "not yet"),
            ("Policy", lambda a: format_date(a.policy_agreed_on) or "not yet"),
        ])
        self.adults_view = _table(self.adults_model, "Adults", 4)
        layout.addWidget(self.adults_view)
        row = QHBoxLayout()
        add, edit, remove = QPushButton("&Add adult…"), QPushButton("&Edit adult…"), QPushButton("&Remove adult")
        for b in (add, edit, remove):
            row.addWidget(b)
            b.setEnabled(self.can_edit)
        row.addStretch(1)
        sar = QPushButton("S&ubject access request…")
        sar.setToolTip("Log a request from the selected adult for the data the centre holds about them")
        sar.setVisible(bool(self.ctx.actor and self.ctx.actor.can(Permission.VIEW_REPORTS)))
        sar.clicked.connect(self._subject_access)
        correct = QPushButton("Correc&t a detail…")
        correct.setToolTip("A correction asked for by the person (recorded in the audit trail)")
        correct.setEnabled(self.can_edit)
        correct.clicked.connect(self._correct_adult)
        row.addWidget(correct)
        row.addWidget(sar)
        layout.addLayout(row)
        add.clicked.connect(lambda: self._dialog(AdultDialog(self.ctx, self.family_id, None, self)))
        edit.clicked.connect(self._edit_adult)
        self.adults_view.doubleClicked.connect(lambda _i: self._edit_adult())
        remove.clicked.connect(self._remove_adult)
        layout.addWidget(QLabel("<b>Children</b>"))
        self.children_model: RecordTableModel[Child] = RecordTableModel([
            ("Name", lambda c: c.full_name), ("Date of birth", lambda c: format_date(c.date_of_birth)),
            ("Needs", lambda c: c.needs),
        ])
        self.children_view = _table(self.children_model, "Children", 2)
        layout.addWidget(self.children_view)
        row = QHBoxLayout()
        add, edit, remove = QPushButton("Add &child…"), QPushButton("Edit c&hild…"), QPushButton("Remo&ve child")
        for b in (add, edit, remove):
            row.addWidget(b)
            b.setEnabled(self.can_edit)
        row.addStretch(1)
        layout.addLayout(row)
        add.clicked.connect(lambda: self._dialog(ChildDialog(self.ctx, self.family_id, None, self)))
        edit.clicked.connect(self._edit_child)
        self.children_view.doubleClicked.connect(lambda _i: self._edit_child())
        remove.clicked.connect(self._remove_child)
        return page

    def _safety_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        form = QFormLayout()
        self.safety_errors = FieldErrors(banner_label())
        layout.addWidget(self.safety_errors.banner)
        hint = QLabel("Staggered arrival and departure are set per adult on the People page. "
                      "Everything here shows prominently on the register.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.must_not = self.safety_errors.add(form, "must_not_attend", "People who must &not attend:",
                                               text_edit("", 70))
        self.safety_notes = self.safety_errors.add(form, "safety_notes", "Safety &notes:", text_edit("", 110))
        layout.addLayout(form)
        save = QPushButton("&Save safety arrangements")
        save.setEnabled(self.can_edit)
        save.clicked.connect(self._save_safety)
        layout.addWidget(save, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return page

    def _bookings_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.bookings_model: RecordTableModel[Booking] = RecordTableModel([
            ("Date", lambda b: format_date(b.session_date)),
            ("Time", lambda b: f"{b.start_time}-{b.end_time}"),
            ("Status", lambda b: "attended" if b.arrived_at else b.status.value),
            ("Arrived", lambda b: b.arrived_at or ""), ("Left", lambda b: b.left_at or ""),
            ("Absence reason", lambda b: b.absence_reason),
            ("Assessment", lambda b: "assessment session" if b.assessment else ""),
        ])
        self.bookings_view = _table(self.bookings_model, "Bookings", 5)
        layout.addWidget(self.bookings_view)
        row = QHBoxLayout()
        book, cancel, noshow = QPushButton("&Book…"), QPushButton("Ca&ncel booking"), QPushButton("Mark no-sho&w")
        self.assessment_button = QPushButton("&Assessment session…")
        self.assessment_button.setToolTip(
            "Mark the selected booking as a session where an agency assesses the family "
            "(clause 7: only while an assessment agreement is in force), or unmark it")
        for b in (book, cancel, noshow, self.assessment_button):
            b.setEnabled(self.can_edit)
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        book.clicked.connect(lambda: self._dialog(BookDialog(self.ctx, self.family_id, self)))
        cancel.clicked.connect(lambda: self._on_booking(self.ctx.services.bookings.cancel))
        noshow.clicked.connect(lambda: self._on_booking(self.ctx.services.bookings.no_show))
        self.assessment_button.clicked.connect(self._toggle_assessment)
        return page

    def _toggle_assessment(self) -> None:
        b = _selected(self.bookings_view, self.bookings_model)
        if b is None:
            self.ctx.dialogs.info(self, "Assessment session", "Choose a booking in the list first.")
            return
        when = format_date(b.session_date)
        text = (f"The session on {when} will no longer be marked as an assessment session."
                if b.assessment else
                f"Mark the session on {when} as an assessment session (an agency assesses the "
                "family at the centre)?")
        if self.ctx.dialogs.confirm(self, "Assessment session", text):
            self._run("Not an assessment session", lambda: self.ctx.services.bookings.set_assessment(
                b.id, not b.assessment))

    def _consent_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        hint = QLabel("Clauses 5 and 6: a parent's address and telephone number are not passed to "
                      "anyone, their former partner included, without their permission.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.consent_model: RecordTableModel[Consent] = RecordTableModel([
            ("Whose", lambda c: c.adult_name), ("To whom", lambda c: c.to_whom),
            ("For what", lambda c: c.purpose), ("Given", lambda c: format_date(c.given_on)),
            ("How", lambda c: c.how),
            ("Withdrawn", lambda c: format_date(c.withdrawn_on) if c.withdrawn_on else "—"),
        ])
        self.consent_view = _table(self.consent_model, "Consents", 2)
        layout.addWidget(self.consent_view)
        row = QHBoxLayout()
        add, withdraw = QPushButton("&Record consent…"), QPushButton("&Withdraw consent")
        for b in (add, withdraw):
            b.setEnabled(self.can_edit)
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        add.clicked.connect(lambda: self._dialog(ConsentDialog(self.ctx, self.family, self)))
        withdraw.clicked.connect(self._withdraw)
        return page

    def _disclosure_page(self) -> QWidget:
        actor = self.ctx.actor
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("<b>Disclosure requests</b> (the disclosure log)"))
        self.disclosure_model: RecordTableModel[Disclosure] = RecordTableModel([
            ("Date", lambda d: format_date(d.requested_on)), ("Who asked", lambda d: d.requested_by),
            ("Organisation", lambda d: d.organisation), ("Asked for", lambda d: d.asked_for),
            ("Answer", _answer_text),
            ("Ground / authorised by", lambda d: ", ".join(x for x in (d.ground or "", d.authorised_by) if x)),
        ])
        self.disclosure_view = _table(self.disclosure_model, "Disclosure requests", 3)
        layout.addWidget(self.disclosure_view)
        row = QHBoxLayout()
        new = QPushButton("New &disclosure request…")
        new.setEnabled(self.can_edit)
        new.clicked.connect(self.new_disclosure)
        share = QPushButton("Pass on con&tact details…")
        share.setEnabled(self.can_edit and bool(actor and actor.can(Permission.VIEW_CONTACT_DETAILS)))
        share.clicked.connect(self.share_contact)
        row.addWidget(new)
        row.addWidget(share)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(QLabel("<b>Letters</b>"))
        self.letters_model: RecordTableModel[StoredLetter] = RecordTableModel([
            ("Title", lambda x: x.title), ("Made", lambda x: x.created_at.replace("T", " ")[:16]),
        ])
        self.letters_view = _table(self.letters_model, "Letters", 0)
        layout.addWidget(self.letters_view)
        open_letter = QPushButton("&Open letter…")
        open_letter.clicked.connect(self.open_letter)
        self.letters_view.doubleClicked.connect(lambda _i: self.open_letter())
        layout.addWidget(open_letter, alignment=Qt.AlignmentFlag.AlignLeft)
        return page

    def _incident_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
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
        self.incident_view = _table(self.incident_model, "Incidents", 2)
        self.incident_view.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.incident_view.setWordWrap(True)
        layout.addWidget(self.incident_view)
        row = QHBoxLayout()
        add = QPushButton("&Record incident…")
        add.setEnabled(self.can_edit)
        add.clicked.connect(lambda: self._dialog(IncidentDialog(self.ctx, self.family_id, self)))
        hold = QPushButton("Set or lift the &hold")
        hold.setToolTip("Whether this incident keeps the record beyond three years")
        hold.setEnabled(bool(self.ctx.actor and self.ctx.actor.can(Permission.DISPOSE_RECORDS)))
        hold.clicked.connect(self._toggle_hold)
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
        self.open_restricted.clicked.connect(self._open_restricted)
        self.save_restricted = QPushButton("Sa&ve restricted notes")
        self.save_restricted.setEnabled(False)
        self.save_restricted.clicked.connect(self._save_restricted)
        self.restricted_state = QLabel()
        notes_row.addWidget(self.open_restricted)
        notes_row.addWidget(self.save_restricted)
        notes_row.addWidget(self.restricted_state, 1)
        notes_layout.addLayout(notes_row)
        layout.addWidget(box)
        return page

    def _open_restricted(self) -> None:
        self.restricted_notes.setPlainText(self.ctx.services.families.restricted_notes(self.family_id))
        self.restricted_notes.setEnabled(self.can_edit)
        self.save_restricted.setEnabled(self.can_edit)
        self.open_restricted.setEnabled(False)

    def _save_restricted(self) -> None:
        try:
            self.ctx.services.families.set_restricted_notes(self.family_id,
                                                            self.restricted_notes.toPlainText())
        except CccError as err:
            self.restricted_state.setText(str(err))
            return
        self.restricted_state.setText("Saved.")

    # loading
    def load(self) -> None:
        f = self.family
        s = self.ctx.services
        self.setWindowTitle(f"Family {f.reference}")
        names = ", ".join(a.full_name for a in f.adults)
        self.heading.setText(f"{f.reference} · {names} · {f.referral.status.label} · "
                             f"last used {format_date(f.last_used_on)}")
        text = safety_text(f)
        missing = f.ground_rules_missing
        if missing:
            text = (text + "\n" if text else "") + ("Ground rules and policy not yet agreed by: "
                                                    + ", ".join(missing) + " (no bookings until they are).")
        self.safety.setText("Safety: " + text if text else "No safety arrangements recorded.")
        self.safety.setStyleSheet(SAFETY_STYLE if text else "QLabel { color: #333333; padding: 6px; }")
        self.agreement.setText(s.agreements.status_for_family(self.family_id).text)
        self.referral.load()
        self.adults_model.set_rows(f.adults)
        self.children_model.set_rows(f.children)
        self.must_not.setPlainText(f.safety.must_not_attend)  # type: ignore[attr-defined]
        self.safety_notes.setPlainText(f.safety.safety_notes)  # type: ignore[attr-defined]
        self.bookings_model.set_rows(s.bookings.for_family(self.family_id))
        self.consent_model.set_rows(s.families.consents(self.family_id))
        self.disclosure_model.set_rows(s.disclosures.for_family(self.family_id))
        self.letters_model.set_rows(s.families.letters(self.family_id))
        if self.can_restricted:
            self.incident_model.set_rows(s.families.incidents(self.family_id))
            self.incident_view.resizeRowsToContents()
            if self.open_restricted.isEnabled():
                self.restricted_state.setText("Notes recorded." if s.families.has_restricted_notes(self.family_id)
                                              else "None recorded.")

    def reload(self) -> None:
        # Reading the record again goes through get() too, so it is audited like any opening.
        self.family = self.ctx.services.families.get(self.family_id)
        self.load()

    # actions
    def _dialog(self, dialog: QDialog) -> None:
        if dialog.exec():
            self.reload()

    def _run(self, title: str, action) -> bool:  # type: ignore[no-untyped-def]
        try:
            action()
        except CccError as exc:
            self.ctx.dialogs.error(self, title, str(exc))
            return False
        self.reload()
        return True

    def _edit_adult(self) -> None:
        a = _selected(self.adults_view, self.adults_model)
        if a is not None and self.can_edit:
            self._dialog(AdultDialog(self.ctx, self.family_id, a, self))

    def _correct_adult(self) -> None:
        from ccc_desktop.ui.data_protection.rectify import CorrectFieldDialog

        a = _selected(self.adults_view, self.adults_model)
        if a is None:
            self.ctx.dialogs.info(self, "Correct a detail", "Choose the adult first.")
            return
        self._dialog(CorrectFieldDialog(self.ctx, "family_adult", a.id, parent=self))

    def _subject_access(self) -> None:
        a = _selected(self.adults_view, self.adults_model)
        if a is None:
            self.ctx.dialogs.info(self, "Subject access request", "Choose the adult who asked first.")
            return
        dialog = SubjectAccessDialog(self.ctx, self.family_id, a, self)
        if dialog.exec() and dialog.request is not None:
            self.ctx.dialogs.info(self, "Request logged", "Logged and linked to this record. The "
                                  f"response is due by {format_date(dialog.request.due_on)}: "
                                  "produce it from Reports > Subject access.")

    def _remove_adult(self) -> None:
        a = _selected(self.adults_view, self.adults_model)
        if a is not None and self.ctx.dialogs.confirm(self, "Remove adult",
                                                      f"Remove {a.full_name} from this family's record?"):
            self._run("Cannot remove", lambda: self.ctx.services.families.remove_adult(a.id))

    def _edit_child(self) -> None:
        c = _selected(self.children_view, self.children_model)
        if c is not None and self.can_edit:
            self._dialog(ChildDialog(self.ctx, self.family_id, c, self))

    def _remove_child(self) -> None:
        c = _selected(self.children_view, self.children_model)
        if c is not None and self.ctx.dialogs.confirm(self, "Remove child",
                                                      f"Remove {c.full_name} from this family's record?"):
            self._run("Cannot remove", lambda: self.ctx.services.families.remove_child(c.id))

    def _save_safety(self) -> None:
        self.safety_errors.clear()
        try:
            self.ctx.services.families.set_safety(self.family_id, self.must_not.toPlainText(),  # type: ignore[attr-defined]
                                                  self.safety_notes.toPlainText())  # type: ignore[attr-defined]
        except CccError as exc:
            self.safety_errors.show(exc)
            return
        self.reload()

    def _on_booking(self, action) -> None:  # type: ignore[no-untyped-def]
        b = _selected(self.bookings_view, self.bookings_model)
        if b is not None:
            self._run("Cannot change the booking", lambda: action(b.id))

    def _toggle_hold(self) -> None:
        i = _selected(self.incident_view, self.incident_model)
        if i is None:
            return
        lift = i.keep_beyond_three_years
        text = ("Lift the hold? The record will then be disposed of three years after it was last "
                "used, incident included." if lift else
                "Keep this record beyond three years because of this incident?")
        if self.ctx.dialogs.confirm(self, "Incident hold", text):
            self._run("Cannot change the hold",
                      lambda: self.ctx.services.families.set_incident_hold(i.id, not lift))

    def _withdraw(self) -> None:
        c = _selected(self.consent_view, self.consent_model)
        if c is not None and self.ctx.dialogs.confirm(
                self, "Withdraw consent", f"Record that {c.adult_name} has withdrawn consent to "
                f"share their details with {c.to_whom}, from today?"):
            self._run("Cannot withdraw", lambda: self.ctx.services.families.withdraw_consent(c.id))

    def new_disclosure(self) -> None:
        dialog = DisclosureDialog(self.ctx, self.family_id, self)
        dialog.exec()
        if dialog.request_id is not None:
            self.reload()
        if dialog.letter is not None:
            self.open_letter(dialog.letter.id)

    def share_contact(self) -> None:
        d = _selected(self.disclosure_view, self.disclosure_model)
        if d is None:
            self.ctx.dialogs.info(self, "Pass on contact details", "Choose the request first.")
            return
        if ShareContactDialog(self.ctx, self.family, d, self).exec():
            self.reload()

    def open_letter(self, letter_id: int | None = None) -> None:
        from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

        if letter_id is None:
            letter = _selected(self.letters_view, self.letters_model)
            if letter is None:
                return
            letter_id = letter.id
        try:
            PdfPreviewDialog(self.ctx, letter_id=letter_id, parent=self).exec()
        except CccError as exc:
            self.ctx.dialogs.error(self, "Cannot open the letter", str(exc))


__all__ = ["DisclosureDialog", "FamiliesTab", "FamilyDialog", "NewFamilyDialog"]
