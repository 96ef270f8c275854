"""The waiting list: accepted families waiting for a place, first come first; free places at
upcoming sessions offered to the first family that fits."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import format_date
from ccc_desktop.models.errors import CccError
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.statistics_records import LeftWaitingReason
from ccc_desktop.models.waiting_records import WEEKDAYS, PlaceOpening, WaitingEntry
from ccc_desktop.ui.families.family_chooser import FamilyChooser
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FieldErrors, banner_label, line_edit
from ccc_desktop.ui.widgets.table_model import RecordTableModel, table_view


def _label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class WaitingListTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.openings: list[PlaceOpening] = []
        layout = QVBoxLayout(self)
        self.summary = _label("")
        self.summary.setObjectName("waitingSummary")
        layout.addWidget(self.summary)
        layout.addWidget(_label("Free places at sessions in the next four weeks, each offered to the "
                                "first waiting family it fits:"))
        self.open_model: RecordTableModel[PlaceOpening] = RecordTableModel([
            ("Session", lambda o: f"{format_date(o.session_date)} {o.start_time}-{o.end_time}"),
            ("Free places", lambda o: o.free),
            ("Offer it to", lambda o: f"{o.entry.reference} (number {o.entry.position} on the list)"),
            ("Waiting", lambda o: f"{o.entry.days_waited} days"),
        ])
        self.open_view = table_view(self.open_model, "Free places to offer")
        self.open_view.setMaximumHeight(150)
        layout.addWidget(self.open_view)
        self.model: RecordTableModel[WaitingEntry] = RecordTableModel([
            ("No.", lambda e: e.position),
            ("Family", lambda e: e.reference),
            ("Waiting since", lambda e: format_date(e.added_on)),
            ("Days waited", lambda e: e.days_waited),
            ("Needs", lambda e: e.needs),
            ("Status", lambda e: e.status_label),
            ("Place offered", lambda e: e.offered),
        ])
        self.view = table_view(self.model, "Waiting list")
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton("&Add a family…")
        self.offer_button = QPushButton("&Offer the free place")
        self.take_button = QPushButton("&Took the place")
        self.decline_button = QPushButton("&Could not take it")
        self.remove_button = QPushButton("Ta&ke off the list…")
        self.letter_button = QPushButton("&Letter to the referrer…")
        for b in (self.add_button, self.offer_button, self.take_button, self.decline_button,
                  self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.letter_button)
        layout.addLayout(row)
        self.add_button.clicked.connect(self.add)
        self.offer_button.clicked.connect(self.offer)
        self.take_button.clicked.connect(lambda: self._act(self.ctx.services.waiting.take))
        self.decline_button.clicked.connect(lambda: self._act(self.ctx.services.waiting.decline_offer))
        self.remove_button.clicked.connect(self.remove)
        self.letter_button.clicked.connect(self.letter)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._buttons())
        self.open_view.selectionModel().selectionChanged.connect(lambda *_: self._buttons())
        self.editable = ctx.actor.can(Permission.EDIT_FAMILIES)
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, topics: frozenset[str]) -> None:
        if topics & {"waiting", "bookings", "sessions", "families"}:
            self.refresh()

    def refresh(self) -> None:
        if not self.ctx.services.session.is_open:
            return
        w = self.ctx.services.waiting
        try:
            entries = w.entries()
            self.openings = w.openings()
        except CccError as exc:
            self.summary.setText(str(exc))
            return
        self.model.set_rows(entries)
        self.open_model.set_rows(self.openings)
        waiting = [e for e in entries if e.status == "waiting"]
        offered = [e for e in entries if e.status == "offered"]
        longest = max((e.days_waited for e in entries), default=0)
        self.summary.setText(
            f"{len(waiting)} {'family' if len(waiting) == 1 else 'families'} waiting, "
            f"{len(offered)} offered a place. The longest wait is {longest} days. Families are "
            "offered places in the order they joined the list.")
        self._buttons()

    def selected(self) -> WaitingEntry | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _buttons(self) -> None:
        e = self.selected()
        opening = bool(self.open_view.selectionModel().selectedRows())
        self.add_button.setEnabled(self.editable)
        self.offer_button.setEnabled(self.editable and (opening or bool(self.openings)))
        self.take_button.setEnabled(self.editable and e is not None and e.status == "offered")
        self.decline_button.setEnabled(self.editable and e is not None and e.status == "offered")
        self.remove_button.setEnabled(self.editable and e is not None)
        self.letter_button.setEnabled(e is not None and self.ctx.actor.can(Permission.VIEW_FAMILIES))

    def _act(self, action) -> None:
        e = self.selected()
        if e is None:
            return
        try:
            action(e.id)
        except CccError as exc:
            self.ctx.dialogs.error(self, "Not done", str(exc))
        self.refresh()

    def offer(self) -> None:
        rows = self.open_view.selectionModel().selectedRows()
        opening = self.open_model.row(rows[0].row()) if rows else (self.openings[0] if self.openings else None)
        if opening is None:
            return
        try:
            self.ctx.services.waiting.offer(opening.entry.id, opening.session_id)
        except CccError as exc:
            self.ctx.dialogs.error(self, "Not offered", str(exc))
        self.refresh()

    def remove(self) -> None:
        e = self.selected()
        if e is None:
            return
        if not self.ctx.dialogs.confirm(self, "Take off the waiting list?",
                                        f"Take family {e.reference} off the waiting list because "
                                        "they no longer want a place?", yes="Take off", no="Cancel"):
            return
        try:
            self.ctx.services.waiting.remove(e.id, LeftWaitingReason.WITHDREW.value)
        except CccError as exc:
            self.ctx.dialogs.error(self, "Not changed", str(exc))
        self.refresh()

    def add(self) -> None:
        AddToWaitingListDialog(self.ctx, self).exec()
        self.refresh()

    def letter(self) -> None:
        e = self.selected()
        if e is None:
            return
        from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

        try:
            letter_id = self.ctx.services.waiting.letter_to_referrer(e.id)
        except CccError as exc:
            self.ctx.dialogs.error(self, "No letter", str(exc))
            return
        PdfPreviewDialog(self.ctx, letter_id=letter_id, title="Letter about the wait",
                         suggested_name=f"waiting-list-letter-{e.reference}.pdf", parent=self).exec()


class AddToWaitingListDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Add a family to the waiting list")
        layout = QVBoxLayout(self)
        self.errors = FieldErrors(banner_label())
        layout.addWidget(self.errors.banner)  # type: ignore[arg-type]
        form = QFormLayout()
        self.family = FamilyChooser(ctx, name="Family")
        form.addRow("&Family:", self.family)
        self.pattern = QComboBox()
        self.pattern.setAccessibleName("Session needed")
        self.pattern.addItem("Any session", None)
        for p in ctx.services.bookings.patterns():
            self.pattern.addItem(f"{WEEKDAYS[p.weekday]} {p.start_time}-{p.end_time}"
                                 + (f" ({p.label})" if p.label else ""), p.id)
        form.addRow("&Session needed:", self.pattern)
        self.since = line_edit("", "dd/mm/yyyy (blank: today)")
        self.since.setAccessibleName("Waiting since")
        form.addRow("&Waiting since:", self.since)
        layout.addLayout(form)
        self.errors.fields.update(family=self.family, added_on=self.since)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.button(QDialogButtonBox.StandardButton.Ok).setText("Add to the list")
        box.accepted.connect(self.submit)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def submit(self) -> None:
        self.errors.clear()
        fid = self.family.family_id()
        if fid is None:
            self.ctx.dialogs.error(self, "Choose a family", "Find and choose the family first.")
            return
        try:
            self.ctx.services.waiting.add(fid, self.since.text(), self.pattern.currentData())
        except CccError as exc:
            self.errors.show(exc)
            return
        self.accept()
