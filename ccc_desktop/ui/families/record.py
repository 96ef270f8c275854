"""The family record: one dialog with a page per part (referral, people, safety, bookings,
consents, incidents, letters)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import format_date
from ccc_desktop.models.errors import CccError
from ccc_desktop.models.families_records import (
    Adult,
    Booking,
    Child,
    Consent,
    Disclosure,
    Family,
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
    ReferralPage,
    ShareContactDialog,
    SubjectAccessDialog,
    answer_text,
)
from ccc_desktop.ui.families.record_incidents import IncidentsPage
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.background import BackgroundTask, start
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.edits import Edits
from ccc_desktop.ui.widgets.forms import (
    FieldErrors,
    FormDialog,
    banner_label,
    text_edit,
)
from ccc_desktop.ui.widgets.lazy_tabs import LazyTabs
from ccc_desktop.ui.widgets.moved import moved_label, show_moved
from ccc_desktop.ui.widgets.table_model import RecordTableModel, selected_record

# Which page makes each of the dialog's page widgets: asking for one builds its page.
_PAGE_OF = {
    **dict.fromkeys(("adults_model", "adults_view", "children_model", "children_view"), "people"),
    **dict.fromkeys(("safety_errors", "must_not", "safety_notes"), "safety"),
    **dict.fromkeys(("bookings_model", "bookings_view", "assessment_button"), "bookings"),
    **dict.fromkeys(("consent_model", "consent_view"), "consent"),
    **dict.fromkeys(("disclosure_model", "disclosure_view", "letters_model", "letters_view",
                     "letters_moved"), "disclosures"),
    **dict.fromkeys(("incident_model", "incident_view", "restricted_notes", "open_restricted",
                     "save_restricted", "restricted_state"), "incidents"),
    **dict.fromkeys(("documents", "referral_documents"), "documents"),
}


class FamilyDialog(FormDialog):
    """One family's record. Opening it is audited by FamilyService.get.

    A record window on FormDialog: no form of its own and no OK (each page saves its own part),
    only Close, which asks first when typing is not saved.

    The Referral page is built with the dialog; each other page the first time it is shown
    (or one of its widgets is asked for), and it reads its part of the record then: building
    every page at once held the window for 100-300 ms on a large centre (issue 17)."""

    adults_view: QTableView
    children_view: QTableView
    must_not: QPlainTextEdit
    safety_notes: QPlainTextEdit
    bookings_view: QTableView
    assessment_button: QPushButton
    consent_view: QTableView
    disclosure_view: QTableView
    letters_view: QTableView
    incident_view: QTableView
    restricted_notes: QPlainTextEdit
    open_restricted: QPushButton
    save_restricted: QPushButton
    restricted_state: QLabel

    def __init__(self, ctx: AppContext, family_id: int, parent: QWidget | None = None,
                 background: bool = False) -> None:
        super().__init__("Family record", parent, ok=QDialogButtonBox.StandardButton.Close,
                         ok_text="C&lose", cancel=False)
        self.ctx = ctx
        self.family_id = family_id
        self._task: BackgroundTask | None = None
        # Saving one part reloads the record: typing in the other parts is kept.
        self.edits = Edits()
        actor = ctx.actor
        self.can_edit = bool(actor and actor.can(Permission.EDIT_FAMILIES))
        self.can_restricted = bool(actor and actor.can(Permission.VIEW_RESTRICTED))
        layout = self.outer
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
        self.tabs = LazyTabs()
        layout.addWidget(self.tabs, 1)
        self.close_button = self.ok_button  # Close, Esc and the window's cross: reject()
        self.finish(0)
        self.resize(1040, 720)
        # Pages are made after Close (when the record has been read, or first shown): Tab
        # still goes through the page shown, then to Close, then to the page tabs.
        self.tabs.page_built.append(self._close_last)
        if not background:
            self._opened(ctx.services.families.get(family_id))
            return
        # In the background (the Families tab): reading the record writes "family opened" to
        # the audit trail, and that commit waits for the disk (70-160 ms on a busy machine),
        # so the window shows at once and the record fills in when it has been read.
        self.heading.setText("Opening the record…")
        self.safety.hide()
        self._task = BackgroundTask(lambda: ctx.services.families.get(family_id), self._opened,
                                    self._open_failed)
        start(self._task)

    @property
    def busy(self) -> bool:
        """True while the record is being read in the background."""
        return self._task is not None

    def _open_failed(self, exc: BaseException) -> None:
        self._task = None
        if not self.ctx.services.session.is_open:
            return  # locked meanwhile: the dialog went with the session's screens
        if not isinstance(exc, CccError):
            raise exc
        self.ctx.dialogs.error(self.parentWidget(), "Cannot open the record", str(exc))
        self.done(QDialog.DialogCode.Rejected)

    def _opened(self, family: Family) -> None:
        """The record has been read: its pages (built as they are shown) and the heading."""
        self._task = None
        if not self.ctx.services.session.is_open:
            return
        self.family = family
        self.safety.show()
        self.referral = ReferralPage(self)
        self.tabs.add_page("referral", "Referral", self.referral)
        # Each page: (key, title, build, load its part of the record).
        pages: list[tuple[str, str, Callable[[], QWidget], Callable[[], None]]] = [
            ("people", "People", self._people_page, self._load_people),
            ("safety", "Safety", self._safety_page, self._load_safety),
            ("bookings", "Bookings", self._bookings_page, self._load_bookings),
            ("consent", "Consent", self._consent_page, self._load_consent),
            ("disclosures", "Disclosures && letters", self._disclosure_page,
             self._load_disclosures)]
        if self.can_restricted:
            pages += [("incidents", "Incidents", self._incidents_page, self._load_incidents),
                      ("documents", "Documents", self._documents_page, lambda: None)]
        self._loaders: dict[str, Callable[[], None]] = {}
        for key, title, build, load in pages:
            self._loaders[key] = load
            self.tabs.add_lazy(key, title, partial(self._build_page, build, load))
        self._close_last()
        self.load()

    def _close_last(self, _page: QWidget | None = None) -> None:
        """Close after the pages' controls in the focus chain (they were made after it)."""
        last, w = None, self.nextInFocusChain()
        while w is not None and w is not self:
            if self.tabs.isAncestorOf(w) and w.focusPolicy() & Qt.FocusPolicy.TabFocus:
                last = w
            w = w.nextInFocusChain()
        if last is not None:
            QWidget.setTabOrder(last, self.close_button)

    def __getattr__(self, name: str) -> Any:
        """A page's widget asked for before the page was shown: build the page now. (The
        Incidents page keeps its own widgets: asked for here, they come from the page.)"""
        key = _PAGE_OF.get(name)
        tabs = self.__dict__.get("tabs")
        if key is None or tabs is None or not tabs.has_page(key):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        page = tabs.page(key)
        return self.__dict__[name] if name in self.__dict__ else getattr(page, name)

    @staticmethod
    def _build_page(build: Callable[[], QWidget], load: Callable[[], None]) -> QWidget:
        page = build()
        load()
        return page

    # pages
    def _incidents_page(self) -> QWidget:
        self._incidents = IncidentsPage(self)
        return self._incidents

    def _load_incidents(self) -> None:
        self._incidents.load()

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
        families = self.ctx.services.families
        row = self._people_buttons(self.adults_view, AdultDialog, "adult", families.remove_adult,
                                   ("&Add adult…", "&Edit adult…", "&Remove adult"))
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
        layout.addWidget(QLabel("<b>Children</b>"))
        self.children_model: RecordTableModel[Child] = RecordTableModel([
            ("Name", lambda c: c.full_name), ("Date of birth", lambda c: format_date(c.date_of_birth)),
            ("Needs", lambda c: c.needs),
        ])
        self.children_view = table(self.children_model, "Children", 2)
        layout.addWidget(self.children_view)
        layout.addLayout(self._people_buttons(
            self.children_view, ChildDialog, "child", families.remove_child,
            ("Add &child…", "Edit c&hild…", "Remo&ve child")))
        return page

    def _people_buttons(self, view: QTableView, make: Callable[..., QDialog], what: str,
                        remove: Callable[[int], object], labels: tuple[str, str, str]) -> QHBoxLayout:
        """Add, Edit (also a double click) and Remove for one list of people: adults or children.
        ``make(ctx, family_id, person or None, parent)`` is the person's dialog."""
        row = QHBoxLayout()
        add, edit, drop = buttons = [QPushButton(text) for text in labels]
        for b in buttons:
            row.addWidget(b)
            b.setEnabled(self.can_edit)
        row.addStretch(1)

        def edit_selected() -> None:
            person = selected_record(view)
            if person is not None and self.can_edit:
                self._dialog(make(self.ctx, self.family_id, person, self))

        def remove_selected() -> None:
            person = selected_record(view)
            if person is not None and self.ctx.dialogs.confirm(
                    self, f"Remove {what}", f"Remove {person.full_name} from this family's record?"):
                self._run("Cannot remove", lambda: remove(person.id))

        add.clicked.connect(lambda: self._dialog(make(self.ctx, self.family_id, None, self)))
        edit.clicked.connect(edit_selected)
        view.doubleClicked.connect(lambda _i: edit_selected())
        drop.clicked.connect(remove_selected)
        return row

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
        b = self._chosen(self.bookings_view, "Assessment session", "Choose a booking in the list first.")
        if b is None:
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

    # loading
    def load(self) -> None:
        """The heading and the Referral page, and each page built so far."""
        f = self.family
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
        self.agreement.setText(self.ctx.services.agreements.status_for_family(self.family_id).text)
        self.referral.load()
        for key, load in self._loaders.items():
            if self.tabs.built_page(key) is not None:
                load()

    def _load_people(self) -> None:
        self.adults_model.set_rows(self.family.adults)
        self.children_model.set_rows(self.family.children)

    def _load_safety(self) -> None:
        self.edits.put(self.must_not, self.family.safety.must_not_attend)
        self.edits.put(self.safety_notes, self.family.safety.safety_notes)

    def _load_bookings(self) -> None:
        self.bookings_model.set_rows(self.ctx.services.bookings.for_family(self.family_id))

    def _load_consent(self) -> None:
        self.consent_model.set_rows(self.ctx.services.families.consents(self.family_id))

    def _load_disclosures(self) -> None:
        s = self.ctx.services
        self.disclosure_model.set_rows(s.disclosures.for_family(self.family_id))
        letters = s.families.letters(self.family_id)
        self.letters_model.set_rows(letters)
        show_moved(self.letters_moved, letters.hidden, "letter")

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
    def _chosen(self, view: QTableView, title: str, choose_first: str) -> Any:
        """The row chosen in ``view``, or None after saying what to choose first."""
        record = selected_record(view)
        if record is None:
            self.ctx.dialogs.info(self, title, choose_first)
        return record

    def _dialog(self, dialog: QDialog) -> None:
        if dialog.exec():
            self.reload()

    def _run(self, title: str, action) -> bool:
        """Run a change to the record; reload it when it was made."""
        done = bool(run_action(self.ctx.dialogs, self, title, action))
        if done:
            self.reload()
        return done

    def _correct_adult(self) -> None:
        from ccc_desktop.ui.data_protection.rectify import CorrectFieldDialog

        a = self._chosen(self.adults_view, "Correct a detail", "Choose the adult first.")
        if a is None:
            return
        self._dialog(CorrectFieldDialog(self.ctx, "family_adult", a.id, parent=self))

    def _subject_access(self) -> None:
        a = self._chosen(self.adults_view, "Subject access request", "Choose the adult who asked first.")
        if a is None:
            return
        dialog = SubjectAccessDialog(self.ctx, self.family_id, a, self)
        if dialog.exec() and dialog.request is not None:
            self.ctx.dialogs.info(self, "Request logged", "Logged and linked to this record. The "
                                  f"response is due by {format_date(dialog.request.due_on)}: "
                                  "produce it from Reports > Subject access.")

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
        cast(IncidentsPage, self.tabs.page("incidents")).toggle_hold()

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
        d = self._chosen(self.disclosure_view, "Pass on contact details", "Choose the request first.")
        if d is None:
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
                   lambda: PdfPreviewDialog(self.ctx, letter_id=letter_id, parent=self,
                                            background=True).exec())
