"""Subject access requests: log one, watch its due date, produce the response, close it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.data_protection_records import SubjectAccessRequest
from ccc_desktop.models.dates import format_date, format_entry
from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.families_dp import sar_people
from ccc_desktop.models.services.subject_access import IDENTITY_CHECKS
from ccc_desktop.ui.families.family_chooser import FamilyChooser, family_labels
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FieldErrors, FormDialog, banner_label, line_edit, text_edit
from ccc_desktop.ui.widgets.plain import wrapped_label
from ccc_desktop.ui.widgets.table_model import RecordTable


class SubjectAccessPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.today = ctx.services.session.clock.today()
        self.family_refs: dict[int, str] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped_label(
            "People may ask what the centre holds about them. Answer within one calendar month of "
            "receiving the request. The response leaves out other people's details (never the other "
            "parent's address or telephone number) and anything held to prevent crime due to violence; "
            "an internal record lists what was left out and why."))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.view: RecordTable[SubjectAccessRequest] = RecordTable([
            ("Received", lambda r: format_date(r.received_on)),
            ("From", lambda r: r.requester_name),
            ("Due", lambda r: format_date(r.due_on)),
            ("Days left", lambda r: self._days_left(r)),
            ("Status", lambda r: r.status_label),
            ("About", self._about),
            ("Identity checked", lambda r: r.identity_check),
        ], "Subject access requests")
        self.model = self.view.records
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        left_layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.produce_button = QPushButton("Produce the &response…")
        self.internal_button = QPushButton("&Internal record…")
        self.answered_button = QPushButton("Mark &answered")
        self.withdrawn_button = QPushButton("Mark &withdrawn")
        self.correct_button = QPushButton("&Correct a detail…")
        self.link_button = QPushButton("Lin&k to a record…")
        self.link_button.setToolTip("Link the request to the family adult or volunteer it is about, "
                                    "so the response gathers what their record holds")
        self.link_button.clicked.connect(self.link)
        self.correct_button.clicked.connect(self.correct)
        self.produce_button.clicked.connect(self.produce)
        self.internal_button.clicked.connect(self.internal_record)
        self.answered_button.clicked.connect(lambda: self.close_request("answered"))
        self.withdrawn_button.clicked.connect(lambda: self.close_request("withdrawn"))
        for b in (self.link_button, self.produce_button, self.internal_button, self.answered_button,
                  self.withdrawn_button, self.correct_button):
            row.addWidget(b)
        row.addStretch(1)
        left_layout.addLayout(row)
        splitter.addWidget(left)

        box = QGroupBox("Log a new request")
        form_layout = QVBoxLayout(box)
        self.banner = banner_label()
        form_layout.addWidget(self.banner)
        form = QFormLayout()
        self.errors = FieldErrors(self.banner)
        self.name = self.errors.add(form, "requester_name", "&Who is asking:", line_edit())
        self.identity = QComboBox()
        self.identity.setEditable(True)
        self.identity.addItems(IDENTITY_CHECKS)
        self.identity.setCurrentIndex(-1)
        edit = self.identity.lineEdit()
        if edit is not None:
            edit.setPlaceholderText("How their identity was checked")
        self.errors.add(form, "identity_check", "&Identity checked by:", self.identity)
        self.received = self.errors.add(form, "received_on", "Date &received:",
                                        line_edit(format_entry(self.today), "dd/mm/yyyy"))
        self.notes = self.errors.add(form, "notes", "&Notes:", text_edit(height=60))
        form_layout.addLayout(form)
        self.due_hint = QLabel("The response will be due one calendar month after the date received.")
        self.due_hint.setWordWrap(True)
        form_layout.addWidget(self.due_hint)
        log_row = QHBoxLayout()
        log_row.addStretch(1)
        self.log_button = QPushButton("&Log the request")
        self.log_button.clicked.connect(self.log_request)
        log_row.addWidget(self.log_button)
        form_layout.addLayout(log_row)
        form_layout.addStretch(1)
        splitter.addWidget(box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        ctx.bus.changed.connect(lambda topics: self.refresh() if "subject_access" in topics else None)
        self.refresh()

    def _days_left(self, r: SubjectAccessRequest) -> str:
        if not r.is_open:
            return ""
        left = r.days_left(self.today)
        return f"overdue by {-left}" if left < 0 else str(left)

    def refresh(self) -> None:
        if not self.ctx.services.session.is_open:
            return
        self.today = self.ctx.services.session.clock.today()
        requests = self.ctx.services.subject_access.list()
        # The families' references, fetched once for the list (the table never asks while painting).
        self.family_refs = family_labels(self.ctx, (
            r.subject_record_id for r in requests if r.subject_category == "family"))
        self.view.set_rows(requests)
        self.view.resizeColumnsToContents()
        self._update_buttons()

    def selected(self) -> SubjectAccessRequest | None:
        return self.view.selected()

    def _update_buttons(self) -> None:
        r = self.selected()
        for b in (self.produce_button, self.answered_button, self.withdrawn_button):
            b.setEnabled(r is not None and r.is_open)
        has_internal = r is not None and any(
            d.kind == "sar-withheld" for d in self.ctx.services.subject_access.documents(r.id))
        self.internal_button.setEnabled(has_internal)
        self.correct_button.setEnabled(r is not None)
        self.link_button.setEnabled(r is not None and r.is_open)

    def _about(self, r: SubjectAccessRequest) -> str:
        if r.subject_category == "family" and r.subject_record_id is not None:
            return f"Family {self.family_refs.get(r.subject_record_id, '')}"
        if r.subject_category == "volunteer" and r.subject_record_id is not None:
            return f"Volunteer V-{r.subject_record_id:05d}"
        return r.subject_category or "Not linked"

    def link(self) -> None:
        r = self.selected()
        if r is None:
            return
        dialog = LinkDialog(self.ctx, r, self)
        if dialog.exec():
            self.refresh()

    def log_request(self) -> None:
        self.errors.clear()
        done = run_action(None, self, "",
                          lambda: self.ctx.services.subject_access.log(
                self.name.text(), self.identity.currentText(), self.received.text(),
                notes=self.notes.toPlainText()), errors=self.errors)
        if not done:
            return
        r = done.value
        self.name.clear()
        self.notes.clear()
        self.identity.setCurrentIndex(-1)
        self.received.setText(format_entry(self.today))
        self.refresh()
        self.view.select_key(r.id)
        self.ctx.dialogs.info(self, "Request logged",
                              f"Logged. The response is due by {format_date(r.due_on)}.")

    def produce(self) -> None:
        from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

        r = self.selected()
        if r is None:
            return
        done = run_action(self.ctx.dialogs, self, "No response produced",
                          lambda: self.ctx.services.subject_access.produce(r.id))
        if not done:
            return
        docs = done.value
        self._update_buttons()
        if docs.withheld:
            self.ctx.dialogs.info(self, "Items withheld",
                                  f"{docs.withheld} item{'s were' if docs.withheld != 1 else ' was'} left "
                                  "out of the response. The internal record lists them and why.")
        PdfPreviewDialog(self.ctx, letter_id=docs.response_letter_id, parent=self,
                         suggested_name="subject-access-response.pdf").exec()

    def internal_record(self) -> None:
        from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

        r = self.selected()
        if r is None:
            return
        docs = [d for d in self.ctx.services.subject_access.documents(r.id) if d.kind == "sar-withheld"]
        if docs:
            PdfPreviewDialog(self.ctx, letter_id=docs[0].id, parent=self,
                             suggested_name="subject-access-internal-record.pdf").exec()

    def correct(self) -> None:
        from ccc_desktop.ui.data_protection.rectify import CorrectFieldDialog

        r = self.selected()
        if r is not None and CorrectFieldDialog(self.ctx, "subject_access", r.id, r.id, self).exec():
            self.refresh()

    def close_request(self, status: str) -> None:
        r = self.selected()
        if r is None:
            return
        if not self.ctx.dialogs.confirm(self, "Close the request?",
                                        f"Mark the request from {r.requester_name} as {status}?"):
            return
        if not run_action(self.ctx.dialogs, self, "Not changed",
                          lambda: self.ctx.services.subject_access.close(r.id, status)):
            return
        self.refresh()


class LinkDialog(FormDialog):
    """Link a request to the family adult or the volunteer who asked."""

    def __init__(self, ctx: AppContext, request: SubjectAccessRequest, parent: QWidget | None = None) -> None:
        super().__init__("Link the request to a record", parent,
                         f"Whose record is the request from {request.requester_name} about? The "
                         "response then gathers what that record holds about them.")
        self.ctx = ctx
        self.request = request
        self.kind = QComboBox()
        actor = ctx.actor
        if actor is not None and actor.can(Permission.VIEW_FAMILIES):
            self.kind.addItem("An adult in a family", "family")
        if actor is not None and actor.can(Permission.MANAGE_VOLUNTEERS):
            self.kind.addItem("A volunteer", "volunteer")
        self.field("subject_category", "&Record of:", self.kind)
        self.family = FamilyChooser(ctx, request.subject_record_id
                                    if request.subject_category == "family" else None,
                                    "Choose a family", "Family")
        self.field("subject_record_id", "&Family:", self.family)
        self.person = QComboBox()
        self.field("subject_person", "&Adult:", self.person)
        self.volunteer = QComboBox()
        self.field("volunteer", "&Volunteer:", self.volunteer)
        self.finish(0)
        if actor is not None and actor.can(Permission.MANAGE_VOLUNTEERS):
            for v in sorted(ctx.services.volunteers.list(), key=lambda v: v.name.lower()):
                self.volunteer.addItem(f"{v.name} (V-{v.id:05d})", v.id)
            if request.subject_category == "volunteer" and request.subject_record_id is not None:
                self.volunteer.setCurrentIndex(max(self.volunteer.findData(request.subject_record_id), 0))
        self.family.chosen.connect(lambda _f: self._people())
        self.kind.currentIndexChanged.connect(lambda _i: self._show_kind())
        if request.subject_category:
            self.kind.setCurrentIndex(max(self.kind.findData(request.subject_category), 0))
        self._people()
        self._show_kind()
        self.resize(560, 0)

    def _people(self) -> None:
        self.person.clear()
        family_id = self.family.family_id()
        if family_id is None:
            return
        for key, label in sar_people(self.ctx.services.session, family_id):
            self.person.addItem(label, key)
        if self.request.subject_person:
            self.person.setCurrentIndex(max(self.person.findData(self.request.subject_person), 0))

    def _show_kind(self) -> None:
        family = self.kind.currentData() == "family"
        for widget, visible in ((self.family, family), (self.person, family), (self.volunteer, not family)):
            self.form.setRowVisible(widget, visible)

    def save(self) -> None:
        kind = self.kind.currentData()
        if kind == "family":
            family_id = self.family.family_id()
            if family_id is None:
                raise ValidationError("Family: search for the family by its reference or a name.",
                                      "subject_record_id")
            if self.person.currentData() is None:
                raise ValidationError("Adult: choose the adult who asked.", "subject_person")
            self.ctx.services.subject_access.link(self.request.id, "family", family_id,
                                                  self.person.currentData())
        elif kind == "volunteer":
            if self.volunteer.currentData() is None:
                raise ValidationError("Volunteer: choose the volunteer who asked.", "volunteer")
            self.ctx.services.subject_access.link(self.request.id, "volunteer",
                                                  int(self.volunteer.currentData()))
        else:
            raise ValidationError("Choose the kind of record.", "subject_category")
