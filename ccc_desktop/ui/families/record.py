"""The family record: one dialog with a page per part (referral, people, safety, bookings,
consents, incidents, letters)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import format_date
from ccc_desktop.models.families_records import (
    Adult,
    Booking,
    Child,
    Consent,
    Disclosure,
    Incident,
)
from ccc_desktop.models.records import StoredLetter
from ccc_desktop.models.roles import Permission
from ccc_desktop.ui.families.common import (
    SAFETY_STYLE,
    safety_text,
    table,
)
from ccc_desktop.ui.families.dialogs import (
    AdultDialog,
    BookDialog,
    ChildDialog,
    ConsentDialog,
    DisclosureDialog,
    IncidentDialog,
    ReferralPage,
    ShareContactDialog,
    SubjectAccessDialog,
    answer_text,
)
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.edits import Edits
from ccc_desktop.ui.widgets.forms import (
    FieldErrors,
    banner_label,
    text_edit,
)
from ccc_desktop.ui.widgets.moved import moved_label, show_moved
from ccc_desktop.ui.widgets.table_model import RecordTableModel, selected_record


class FamilyDialog(QDialog):
    """One family's record. Opening it is audited by FamilyService.get."""

    def __init__(self, ctx: AppContext, family_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.family_id = family_id
        self.family = ctx.services.families.get(family_id)
        # Saving one part reloads the record: typing in the other parts is kept.
        self.edits = Edits()
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
        self.tabs.addTab(self.referral, "Referral")
        self.tabs.addTab(self._people_page(), "People")
        self.tabs.addTab(self._safety_page(), "Safety")
        self.tabs.addTab(self._bookings_page(), "Bookings")
        self.tabs.addTab(self._consent_page(), "Consent")
        self.tabs.addTab(self._disclosure_page(), "Disclosures && letters")
        if self.can_restricted:
            self.tabs.addTab(self._incident_page(), "Incidents")
            self.tabs.addTab(self._documents_page(), "Documents")
        row = QHBoxLayout()
        row.addStretch(1)
        close = QPushButton("C&lose")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        self.resize(1040, 720)
        self.load()

    # pages
    def _documents_page(self) -> QWidget:
        """Papers the centre holds about the family and its referral (issue 15)."""
        from ccc_desktop.ui.attachments.attachments import AttachmentsPanel

        page = QWidget()
        v = QVBoxLayout(page)
        self.documents = AttachmentsPanel(self.ctx, "family", self.family.id,
                                          "The family's papers: a court order, signed agreements.")
        self.referral_documents = AttachmentsPanel(
            self.ctx, "referral", self.family.id, "The referral's papers: the referral form "
            "and what came with it.", mnemonics=False)
        for heading, panel in (("Family", self.documents), ("Referral", self.referral_documents)):
            v.addWidget(QLabel(f"<b>{heading}</b>"))
            v.addWidget(panel)
        return page

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
        self.adults_view = table(self.adults_model, "Adults", 4)
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
        self.children_view = table(self.children_model, "Children", 2)
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
        safety_banner = banner_label()
        self.safety_errors = FieldErrors(safety_banner)
        layout.addWidget(safety_banner)
        hint = QLabel("Staggered arrival and departure are set per adult on the People page. "
                      "Everything here shows prominently on the register.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.must_not = self.safety_errors.add(form, "must_not_attend", "People who must &not attend:",
                                               text_edit("", 70))
        self.safety_notes = self.safety_errors.add(form, "safety_notes", "Safety no&tes:", text_edit("", 110))
        self.edits.track("the safety arrangements", self.must_not, self.safety_notes)
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
        self.bookings_view = table(self.bookings_model, "Bookings", 5)
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
        b = selected_record(self.bookings_view)
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
        self.consent_view = table(self.consent_model, "Consents", 2)
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
            ("Answer", answer_text),
            ("Ground / authorised by", lambda d: ", ".join(x for x in (d.ground or "", d.authorised_by) if x)),
        ])
        self.disclosure_view = table(self.disclosure_model, "Disclosure requests", 3)
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
        self.letters_view = table(self.letters_model, "Letters", 0)
        layout.addWidget(self.letters_view)
        self.letters_moved = moved_label()
        layout.addWidget(self.letters_moved)
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
        self.incident_view = table(self.incident_model, "Incidents", 2)
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
        self.edits.track("the restricted notes", self.restricted_notes)
        self.restricted_notes.setEnabled(self.can_edit)
        self.save_restricted.setEnabled(self.can_edit)
        self.open_restricted.setEnabled(False)

    def _save_restricted(self) -> None:
        saved = run_action(None, self, "", lambda: self.ctx.services.families.set_restricted_notes(
            self.family_id, self.restricted_notes.toPlainText()))
        if not saved:
            self.restricted_state.setText(str(saved.error))
            return
        self.edits.saved(self.restricted_notes)
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
        self.edits.put(self.must_not, f.safety.must_not_attend)
        self.edits.put(self.safety_notes, f.safety.safety_notes)
        self.bookings_model.set_rows(s.bookings.for_family(self.family_id))
        self.consent_model.set_rows(s.families.consents(self.family_id))
        self.disclosure_model.set_rows(s.disclosures.for_family(self.family_id))
        letters = s.families.letters(self.family_id)
        self.letters_model.set_rows(letters)
        show_moved(self.letters_moved, letters.hidden, "letter")
        if self.can_restricted:
            self.incident_model.set_rows(s.families.incidents(self.family_id))
            self.incident_view.resizeRowsToContents()
            if self.open_restricted.isEnabled():
                self.restricted_state.setText("Notes recorded." if s.families.has_restricted_notes(self.family_id)
                                              else "None recorded.")

    def reject(self) -> None:
        """Closing (Close, Esc, the window's cross) with typing not yet saved asks first."""
        unsaved = self.edits.unsaved()
        if unsaved and not self.ctx.dialogs.confirm(
                self, "Unsaved changes", "You have typed changes that are not saved yet ("
                + ", ".join(unsaved) + "). Close the record and lose them?",
                yes="Close without saving", no="Keep editing"):
            return
        super().reject()

    def reload(self) -> None:
        # Reading the record again goes through get() too, so it is audited like any opening.
        self.family = self.ctx.services.families.get(self.family_id)
        self.load()

    # actions
    def _dialog(self, dialog: QDialog) -> None:
        if dialog.exec():
            self.reload()

    def _run(self, title: str, action) -> bool:
        """Run a change to the record; reload it when it was made."""
        done = bool(run_action(self.ctx.dialogs, self, title, action))
        if done:
            self.reload()
        return done

    def _edit_adult(self) -> None:
        a = selected_record(self.adults_view)
        if a is not None and self.can_edit:
            self._dialog(AdultDialog(self.ctx, self.family_id, a, self))

    def _correct_adult(self) -> None:
        from ccc_desktop.ui.data_protection.rectify import CorrectFieldDialog

        a = selected_record(self.adults_view)
        if a is None:
            self.ctx.dialogs.info(self, "Correct a detail", "Choose the adult first.")
            return
        self._dialog(CorrectFieldDialog(self.ctx, "family_adult", a.id, parent=self))

    def _subject_access(self) -> None:
        a = selected_record(self.adults_view)
        if a is None:
            self.ctx.dialogs.info(self, "Subject access request", "Choose the adult who asked first.")
            return
        dialog = SubjectAccessDialog(self.ctx, self.family_id, a, self)
        if dialog.exec() and dialog.request is not None:
            self.ctx.dialogs.info(self, "Request logged", "Logged and linked to this record. The "
                                  f"response is due by {format_date(dialog.request.due_on)}: "
                                  "produce it from Reports > Subject access.")

    def _remove_adult(self) -> None:
        a = selected_record(self.adults_view)
        if a is not None and self.ctx.dialogs.confirm(self, "Remove adult",
                                                      f"Remove {a.full_name} from this family's record?"):
            self._run("Cannot remove", lambda: self.ctx.services.families.remove_adult(a.id))

    def _edit_child(self) -> None:
        c = selected_record(self.children_view)
        if c is not None and self.can_edit:
            self._dialog(ChildDialog(self.ctx, self.family_id, c, self))

    def _remove_child(self) -> None:
        c = selected_record(self.children_view)
        if c is not None and self.ctx.dialogs.confirm(self, "Remove child",
                                                      f"Remove {c.full_name} from this family's record?"):
            self._run("Cannot remove", lambda: self.ctx.services.families.remove_child(c.id))

    def _save_safety(self) -> None:
        self.safety_errors.clear()
        if not run_action(None, self, "",
                          lambda: self.ctx.services.families.set_safety(self.family_id, self.must_not.toPlainText(),
                                                  self.safety_notes.toPlainText()), errors=self.safety_errors):
            return
        self.edits.saved(self.must_not, self.safety_notes)
        self.reload()

    def _on_booking(self, action) -> None:
        b = selected_record(self.bookings_view)
        if b is not None:
            self._run("Cannot change the booking", lambda: action(b.id))

    def _toggle_hold(self) -> None:
        i = selected_record(self.incident_view)
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
        c = selected_record(self.consent_view)
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
        d = selected_record(self.disclosure_view)
        if d is None:
            self.ctx.dialogs.info(self, "Pass on contact details", "Choose the request first.")
            return
        if ShareContactDialog(self.ctx, self.family, d, self).exec():
            self.reload()

    def open_letter(self, letter_id: int | None = None) -> None:
        from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

        if letter_id is None:
            letter = selected_record(self.letters_view)
            if letter is None:
                return
            letter_id = letter.id
        run_action(self.ctx.dialogs, self, "Cannot open the letter",
                   lambda: PdfPreviewDialog(self.ctx, letter_id=letter_id, parent=self).exec())
