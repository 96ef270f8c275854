"""The family's small forms: new family, adult, child, consent, subject access, incident,
booking, disclosure, sharing contact details, the disclosure log and the referral page."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.data_protection_records import SubjectAccessRequest
from ccc_desktop.models.dates import format_date, format_entry
from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.families_records import (
    NEXT_STATUS,
    Adult,
    AdultInput,
    AdultRole,
    Child,
    ChildInput,
    ContactKind,
    Disclosure,
    ExceptionGround,
    Family,
    IncidentInput,
    ReferralInput,
    Route,
)
from ccc_desktop.models.records import StoredLetter
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.disclosures import consent_covers
from ccc_desktop.models.services.subject_access import IDENTITY_CHECKS
from ccc_desktop.ui.families.common import (
    DATE_HINT,
    combo,
)
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import (
    FieldErrors,
    FormDialog,
    KeepOpen,
    banner_label,
    line_edit,
    text_edit,
)
from ccc_desktop.ui.widgets.table_model import RecordTable

if TYPE_CHECKING:
    from ccc_desktop.ui.families.record import FamilyDialog


class DisclosureLogDialog(FormDialog):
    """Every disclosure request and what was disclosed, across all families (clause 4)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Disclosure log", parent, ok=QDialogButtonBox.StandardButton.Close,
                         ok_text="&Close", cancel=False)
        self.table: RecordTable[Disclosure] = RecordTable([
            ("Date", lambda d: format_date(d.requested_on)),
            ("Family", lambda d: d.reference),
            ("Who asked", lambda d: d.requested_by), ("Organisation", lambda d: d.organisation),
            ("Asked for", lambda d: d.asked_for), ("Answer", answer_text),
            ("Disclosed", lambda d: d.disclosed),
            ("Ground / authorised by", lambda d: ", ".join(x for x in (d.ground or "", d.authorised_by) if x)),
        ], "Disclosure log", stretch=4)
        self.model = self.table.records
        self.table.set_rows(ctx.services.disclosures.log())
        self.outer.addWidget(self.table)
        self.finish(0)
        self.resize(1100, 560)


def answer_text(d: Disclosure) -> str:
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
    w["role"] = e.add(f, prefix + "role", "&Role:", combo([(r.label, r.value) for r in AdultRole],
                                                            adult.role.value if adult else None))
    w["address"] = e.add(f, prefix + "address", "&Address:", text_edit(adult.address if adult else "", 54))
    w["phone"] = e.add(f, prefix + "phone", "&Phone:", line_edit(adult.phone if adult else ""))
    w["email"] = e.add(f, prefix + "email", "&Email:", line_edit(adult.email if adult else ""))
    for key, label, value in (("arrive_minutes_before", "Arri&ves early by (min):",
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
    w["route"] = e.add(f, "route", "Ro&ute:", combo([(x.label, x.value) for x in Route],
                                                    r.route.value if r else None))
    w["referrer_name"] = e.add(f, "referrer_name", "Referrer's na&me:", line_edit(r.referrer_name if r else ""))
    w["referrer_organisation"] = e.add(f, "referrer_organisation", "&Organisation:",
                                       line_edit(r.referrer_organisation if r else ""))
    w["referrer_contact"] = e.add(f, "referrer_contact", "Referrer's &contact details:",
                                  line_edit(r.referrer_contact if r else ""))
    court = QCheckBox("A court order is in place")
    court.setChecked(bool(r and r.court_order))
    w["court_order"] = e.add(f, "court_order", "Court order:", court)
    w["contact_kind"] = e.add(f, "contact_kind", "&Kind of contact:",
                              combo([(x.label, x.value) for x in ContactKind],
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
        self.child_needs = self.errors.add(self.form, "children.0.needs", "Needs (e.g. allergie&s):", line_edit())
        self.finish()

    def save(self) -> None:
        children = []
        if self.child_name.text().strip() or self.child_dob.text().strip():
            children.append(ChildInput(self.child_name.text(), self.child_dob.text(),
                                       self.child_needs.text()))
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
        value = ChildInput(self.name.text(), self.dob.text(), self.needs.toPlainText())
        if self.child is None:
            self.ctx.services.families.add_child(self.family_id, value)
        else:
            self.ctx.services.families.update_child(self.child.id, value)


class ConsentDialog(_FormDialog):
    def __init__(self, ctx: AppContext, family: Family, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Record consent to share contact details", parent)
        self.adult = self.errors.add(self.form, "adult", "&Whose details:",
                                     combo([(a.full_name, a.id) for a in family.adults]))
        self.to_whom = self.errors.add(self.form, "to_whom", "&To whom:", line_edit())
        self.purpose = self.errors.add(self.form, "purpose", "&For what:", line_edit())
        self.given_on = self.errors.add(self.form, "given_on", "&Given on:",
                                        line_edit(format_entry(ctx.services.session.clock.today()), DATE_HINT))
        self.how = self.errors.add(self.form, "how", "&How given:",
                                   line_edit("", "e.g. signed form, in person, by email"))
        self.finish()

    def save(self) -> None:
        self.ctx.services.families.record_consent(
            self.adult.currentData(), self.to_whom.text(), self.purpose.text(),
            self.given_on.text(), self.how.text())


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
                                        combo([(c, c) for c in IDENTITY_CHECKS]))
        self.received = self.errors.add(self.form, "received_on", "Date &received:",
                                        line_edit(format_entry(ctx.services.session.clock.today()), DATE_HINT))
        self.finish()

    def save(self) -> None:
        self.request = self.ctx.services.subject_access.log(
            self.adult.full_name, self.identity.currentData(), self.received.text(),
            "family", self.family_id, f"adult:{self.adult.id}")


class IncidentDialog(_FormDialog):
    def __init__(self, ctx: AppContext, family_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Record an incident (restricted)", parent)
        self.family_id = family_id
        self.occurred = self.errors.add(self.form, "occurred_on", "&Date:",
                                        line_edit(format_entry(ctx.services.session.clock.today()), DATE_HINT))
        self.kind = self.errors.add(self.form, "kind", "&Kind:",
                                    combo([("Safeguarding", "safeguarding"), ("Accident", "accident")]))
        self.what = self.errors.add(self.form, "what_happened", "&What happened:", text_edit())
        self.who = self.errors.add(self.form, "who_involved", "Who was &involved:", line_edit())
        self.action_taken = self.errors.add(self.form, "action_taken", "&Action taken:", text_edit())
        self.told = self.errors.add(self.form, "who_told", "Who was &told:", line_edit())
        note = QLabel("Incidents are sealed: only the Coordinator and the Chair can read them. "
                      "They are kept beyond the usual three years.")
        note.setWordWrap(True)
        self.form.addRow(note)
        self.finish()

    def save(self) -> None:
        self.ctx.services.families.record_incident(self.family_id, IncidentInput(
            self.occurred.text(), self.what.toPlainText(), self.who.text(),
            self.action_taken.toPlainText(), self.told.text(), self.kind.currentData()))


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
        self.session = self.errors.add(self.form, "session", "&Session:", combo(
            [(f"{format_date(s.session_date)} {s.start_time}-{s.end_time} "
              f"({s.booked}/{s.capacity} booked)", s.id) for s in sessions]))
        self.form.addRow(self.weekly)
        self.pattern = self.errors.add(self.form, "pattern", "Session &day:", combo(
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
            if self.session.currentData() is None:
                raise ValidationError("Session: there are no sessions in the next four months.", "session")
            self.ctx.services.bookings.book(self.family_id, self.session.currentData())
        else:
            if self.pattern.currentData() is None:
                raise ValidationError("Session day: no session days are set up.", "pattern")
            self.ctx.services.bookings.book_repeating(
                self.family_id, self.pattern.currentData(), self.first.text(), self.last.text())


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
        self.asked_for = self.errors.add(self.form, "asked_for", "What they as&ked for:", text_edit("", 54))
        self.attendance = QRadioButton("Send the &attendance letter (dates and times only)")
        self.beyond = QRadioButton("Disclose &more, under an exception")
        self.attendance.setChecked(True)
        self.form.addRow(self.attendance)
        self.first = self.errors.add(self.form, "first", "Attendance &from:", line_edit("", "blank: from the start"))
        self.last = self.errors.add(self.form, "last", "Attendance &until:", line_edit("", "blank: to date"))
        self.form.addRow(self.beyond)
        self.ground = self.errors.add(self.form, "ground", "&Ground:", combo(
            [("Choose…", None)] + [(g.label, g.value) for g in ExceptionGround]))
        choices: list[tuple[str, object]] = [("Choose…", None)]
        if ctx.actor and ctx.actor.can(Permission.AUTHORISE_DISCLOSURE):
            choices += [(label, account_id) for account_id, label in ctx.services.disclosures.authoriser_choices()]
        self.authoriser = self.errors.add(self.form, "authorised_by", "Authorised &by:", combo(choices))
        self.reason = self.errors.add(self.form, "reason", "&Reason:", text_edit("", 54))
        self.disclosed = self.errors.add(self.form, "disclosed", "What is dis&closed:", text_edit("", 54))
        self.refuse = QRadioButton("R&efuse: nothing is disclosed (give the reason above)")
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
        self.first.setEnabled(not beyond)
        self.last.setEnabled(not beyond)

    def _answer(self, request_id: int) -> StoredLetter | None:
        d = self.ctx.services.disclosures
        if self.attendance.isChecked():
            return d.answer_with_attendance(request_id, self.first.text(), self.last.text())
        if self.refuse.isChecked():
            d.refuse(request_id, self.reason.toPlainText())
        else:
            d.disclose_beyond(request_id, self.ground.currentData(), self.authoriser.currentData(),
                              self.reason.toPlainText(), self.disclosed.toPlainText())
        return None

    def save(self) -> None:
        # The request and its answer (and the attendance letter) are kept together or not at
        # all: a letter that cannot be made leaves no request logged without it.
        self.request_id, self.letter = self.ctx.services.disclosures.log_and_answer(
            self.family_id, self.requested_by.text(), self.organisation.text(),
            self.requested_on.text(), self.asked_for.toPlainText(), self._answer)


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
                                     combo([(a.full_name, a.id) for a in family.adults]))
        today = ctx.services.session.clock.today()
        consents = [c for c in ctx.services.families.consents(family.id) if c.active_on(today)
                    and consent_covers(c.to_whom, request.requested_by, request.organisation)]
        self.consent = self.errors.add(self.form, "consent", "&Consent:", combo(
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
            self.request.id, self.adult.currentData(), self.consent.currentData())
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
        pv_banner = banner_label()
        self.pv_errors = FieldErrors(pv_banner)
        sf.addRow(pv_banner)
        # Declining or closing asks why (issue 14): the statistics count the reasons.
        self.reason = self.pv_errors.add(sf, "reason", "&Why:", QComboBox())
        self.reason_note = self.pv_errors.add(sf, "note", "Reason no&te:", line_edit())
        self.next_status.currentIndexChanged.connect(self._reasons)
        self.pv_on = self.pv_errors.add(sf, "previsit_on", "Pre-v&isit date:", line_edit("", DATE_HINT))
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
        rv_save = QPushButton("Record revi&ew")
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
        edits = dialog.edits
        edits.track("the referral", *self.w.values())
        edits.track("the pre-visit", self.pv_on, self.pv_by, self.pv_notes)
        edits.track("the review", self.rv_on, self.rv_notes)
        self.load()

    def load(self) -> None:
        f = self.dialog.family
        r = f.referral
        self.status_label.setText(f"<b>{r.status.label}</b>")
        self.next_status.clear()
        for s in sorted(NEXT_STATUS[r.status], key=lambda x: list(NEXT_STATUS).index(x)):
            self.next_status.addItem(s.label, s.value)
        self.next_button.setEnabled(self.next_status.count() > 0)
        self._reasons()
        edits = self.dialog.edits
        edits.put(self.pv_on, format_entry(r.previsit_on))
        edits.put(self.pv_by, r.previsit_by)
        edits.put(self.pv_notes, r.previsit_notes)
        if f.next_review_due:
            self.review_due.setText(format_date(f.next_review_due))
        else:
            self.review_due.setText("three months after the first session" if f.first_session_on is None
                                    else "—")
        self.review_list.setText(", ".join(format_date(d) for d, _n in f.reviews) or "none yet")

    def _try(self, errors: FieldErrors, action, *saving: QWidget) -> None:
        """Save a part of the page; its refusal shows beside the field; reload when saved
        (typing in the record's other parts is kept)."""
        if run_action(self.dialog.ctx.dialogs, self, "", action, errors):
            self.dialog.edits.saved(*saving)
            self.dialog.reload()

    def save(self) -> None:
        self._try(self.errors, lambda: self.dialog.ctx.services.families.update_referral(
            self.dialog.family_id, _referral_input(self.w)), *self.w.values())

    def _reasons(self) -> None:
        """The reasons for the status chosen: why it was turned down, or why it closed."""
        from ccc_desktop.models.statistics_records import CloseReason, DeclineReason

        target = self.next_status.currentData()
        reasons: list[tuple[str, str]] = []
        if target == "declined":
            reasons = [(r.label, r.value) for r in DeclineReason]
        elif target == "closed":
            reasons = [(r.label, r.value) for r in CloseReason]
        combo: QComboBox = self.reason
        combo.clear()
        if reasons:
            combo.addItem("Choose a reason…", "")
            for label, value in reasons:
                if value != "not recorded":
                    combo.addItem(label, value)
        for w in (self.reason, self.reason_note):
            w.setEnabled(bool(reasons))

    def change_status(self) -> None:
        combo: QComboBox = self.reason
        self._try(self.pv_errors, lambda: self.dialog.ctx.services.families.set_status(
            self.dialog.family_id, self.next_status.currentData(), combo.currentData() or "",
            self.reason_note.text()))

    def save_previsit(self) -> None:
        self._try(self.pv_errors, lambda: self.dialog.ctx.services.families.record_previsit(
            self.dialog.family_id, self.pv_on.text(), self.pv_by.text(),
            self.pv_notes.toPlainText()), self.pv_on, self.pv_by, self.pv_notes)

    def save_review(self) -> None:
        self._try(self.rv_errors, lambda: self.dialog.ctx.services.families.record_review(
            self.dialog.family_id, self.rv_on.text(), self.rv_notes.text()), self.rv_on, self.rv_notes)


