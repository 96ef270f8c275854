"""Subject access requests: log one, watch its due date, produce the response, close it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.data_protection_records import (
    DOCUMENT_REASONS,
    SarDocument,
    SubjectAccessRequest,
)
from ccc_desktop.models.dates import format_date, format_entry
from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.families_dp import sar_people
from ccc_desktop.models.services.subject_access import IDENTITY_CHECKS
from ccc_desktop.ui.families.family_chooser import FamilyChooser, family_labels
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.buttons import button, right_row
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
        # Two rows of three, so the list and the form fit side by side on a 1280-pixel screen.
        grid = QGridLayout()
        for n, b in enumerate((self.link_button, self.produce_button, self.internal_button,
                               self.answered_button, self.withdrawn_button, self.correct_button)):
            grid.addWidget(b, n // 3, n % 3)
        row.addLayout(grid)
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
        self.identity.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.identity.setMinimumContentsLength(18)
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
        self.log_button = button("&Log the request", self.log_request)
        form_layout.addLayout(right_row(self.log_button))
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
        # The record's documents first: each given with the response or withheld, with a reason.
        review = run_action(self.ctx.dialogs, self, "No response produced",
                            lambda: self.ctx.services.subject_access.review(r.id))
        if not review:
            return
        choices: dict[int, str | None] = {}
        if review.value:
            dialog = DocumentReviewDialog(self.ctx, r, review.value, self)
            if not dialog.exec():
                return
            choices = dialog.choices()
        done = run_action(self.ctx.dialogs, self, "No response produced",
                          lambda: self.ctx.services.subject_access.produce(r.id, choices))
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


GIVE = "Give a copy with the response"
CHOOSE = "Choose\u2026"


class DocumentReviewDialog(FormDialog):
    """Before a subject access response: each document the record holds is given with the
    response (its pages, or the file, in the pack) or withheld, with the reason, which the
    internal record keeps. Nothing is chosen for the Coordinator: every document needs a
    choice."""

    def __init__(self, ctx: AppContext, request: SubjectAccessRequest,
                 documents: list[SarDocument], parent: QWidget | None = None) -> None:
        super().__init__(
            "Documents for the subject access response", parent,
            intro="The record holds these documents. For each, choose whether the person gets a "
            "copy with the response, or why it is withheld. A family's documents often name the "
            "other parent or the children's other relatives (a court order names both parents): "
            "give a copy only of what is the person's own or may be released, as the response "
            "leaves out other people's details. Open a document to read it first.",
            ok_text="&Produce the response")
        assert self.intro_label is not None
        self.intro_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ctx = ctx
        self.request = request
        self.documents = documents
        self.resize(1000, 420)
        self.table = QTableWidget(len(documents), 4)
        self.table.setAccessibleName("Documents to give or withhold")
        self.table.setHorizontalHeaderLabels(["Document", "Kind", "Added", "Given or withheld"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.boxes: list[QComboBox] = []
        for i, d in enumerate(documents):
            for j, value in enumerate((d.name, d.kind, format_date(d.added_on))):
                self.table.setItem(i, j, QTableWidgetItem(value))
            box = QComboBox()
            box.setEditable(True)  # a reason of the Coordinator's own can be typed
            box.setAccessibleName(f"Given or withheld: {d.name}")
            box.addItems([CHOOSE, GIVE, *(f"Withheld: {reason}" for reason in DOCUMENT_REASONS)])
            box.setCurrentIndex(1 if d.own else 0)
            box.currentTextChanged.connect(self._update)
            # A long reason shows from its start, and whole in the tooltip.
            box.currentIndexChanged.connect(lambda _i, b=box: self._show_start(b))
            self.table.setCellWidget(i, 3, box)
            self.boxes.append(box)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.outer.addWidget(self.table, 1)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.outer.addWidget(self.hint)
        self.open_button = self.buttons.addButton("&Open the document\u2026",
                                                  QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(self.open_selected)
        self.ok = self.ok_button
        self.finish(0)
        self._update()

    def save(self) -> None:
        """Nothing to save here: the choices are read by whoever produces the response."""

    @staticmethod
    def _show_start(box: QComboBox) -> None:
        edit = box.lineEdit()
        if edit is not None:
            edit.setCursorPosition(0)
        box.setToolTip(box.currentText())

    def _decision(self, box: QComboBox) -> tuple[bool, str | None]:
        """(chosen, reason): reason None when a copy is given."""
        text = box.currentText().strip()
        if text in ("", CHOOSE):
            return False, None
        if text == GIVE:
            return True, None
        reason = text.removeprefix("Withheld:").strip()
        return bool(reason), reason or None

    def _update(self, *_: object) -> None:
        open_ = sum(1 for b in self.boxes if not self._decision(b)[0])
        given = sum(1 for b in self.boxes if self._decision(b) == (True, None))
        self.ok.setEnabled(open_ == 0)
        self.hint.setText(f"{open_} document{'s' if open_ != 1 else ''} still to choose for."
                          if open_ else f"{given} of {len(self.boxes)} given with the response; "
                          "the internal record lists the others and why.")

    def choices(self) -> dict[int, str | None]:
        return {d.attachment_id: self._decision(b)[1]
                for d, b in zip(self.documents, self.boxes, strict=True)}

    def open_selected(self) -> None:
        from ccc_desktop.models.services.attachments import Attachment
        from ccc_desktop.ui.attachments.attachments import preview_dialog

        row = self.table.currentRow()
        if not 0 <= row < len(self.documents):
            self.ctx.dialogs.info(self, "Choose a document", "Select a document in the list first.")
            return
        d = self.documents[row]
        a = Attachment(d.attachment_id, self.request.subject_category,
                       self.request.subject_record_id or 0, d.name, d.media_type, 0,
                       d.added_on.isoformat())
        if not a.previewable:
            self.ctx.dialogs.info(self, "No preview", "Word and OpenDocument files cannot be shown "
                                  "here: save a copy from the record and open it in your word "
                                  "processor.")
            return
        opened = run_action(self.ctx.dialogs, self, "Cannot open the document",
                            lambda: preview_dialog(self.ctx, a, self))
        if opened and opened.value is not None:
            opened.value.exec()
