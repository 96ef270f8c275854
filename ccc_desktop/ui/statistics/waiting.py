"""The waiting list: accepted families waiting for a place, first come first; free places at
upcoming sessions offered to the first family that fits."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import format_date
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.statistics_records import LeftWaitingReason
from ccc_desktop.models.waiting_records import WEEKDAYS, PlaceOpening, WaitingEntry
from ccc_desktop.ui.families.family_chooser import FamilyChooser
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FormDialog, KeepOpen, line_edit
from ccc_desktop.ui.widgets.table_model import RecordTable


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
        self.open_view: RecordTable[PlaceOpening] = RecordTable([
            ("Session", lambda o: f"{format_date(o.session_date)} {o.start_time}-{o.end_time}"),
            ("Free places", lambda o: o.free),
            ("Offer it to", lambda o: f"{o.entry.reference} (number {o.entry.position} on the list)"),
            ("Waiting", lambda o: f"{o.entry.days_waited} days"),
        ], "Free places to offer", key=lambda o: (o.entry.id, o.session_id))
        self.open_model = self.open_view.records
        self.open_view.setMaximumHeight(150)
        layout.addWidget(self.open_view)
        self.view: RecordTable[WaitingEntry] = RecordTable([
            ("No.", lambda e: e.position),
            ("Family", lambda e: e.reference),
            ("Waiting since", lambda e: format_date(e.added_on)),
            ("Days waited", lambda e: e.days_waited),
            ("Needs", lambda e: e.needs),
            ("Status", lambda e: e.status_label),
            ("Place offered", lambda e: e.offered),
        ], "Waiting list")
        self.model = self.view.records
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
        got = run_action(None, self, "", lambda: (w.entries(), w.openings()))
        if not got:
            self.summary.setText(str(got.error))
            return
        entries, self.openings = got.value
        self.view.set_rows(entries)
        self.open_view.set_rows(self.openings)
        waiting = [e for e in entries if e.status == "waiting"]
        offered = [e for e in entries if e.status == "offered"]
        longest = max((e.days_waited for e in entries), default=0)
        self.summary.setText(
            f"{len(waiting)} {'family' if len(waiting) == 1 else 'families'} waiting, "
            f"{len(offered)} offered a place. The longest wait is {longest} days. Families are "
            "offered places in the order they joined the list.")
        self._buttons()

    def selected(self) -> WaitingEntry | None:
        return self.view.selected()

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
        run_action(self.ctx.dialogs, self, "Not done", lambda: action(e.id))
        self.refresh()

    def offer(self) -> None:
        opening = self.open_view.selected() or (self.openings[0] if self.openings else None)
        if opening is None:
            return
        run_action(self.ctx.dialogs, self, "Not offered",
                   lambda: self.ctx.services.waiting.offer(opening.entry.id, opening.session_id))
        self.refresh()

    def remove(self) -> None:
        e = self.selected()
        if e is None:
            return
        if not self.ctx.dialogs.confirm(self, "Take off the waiting list?",
                                        f"Take family {e.reference} off the waiting list because "
                                        "they no longer want a place?", yes="Take off", no="Cancel"):
            return
        run_action(self.ctx.dialogs, self, "Not changed",
                   lambda: self.ctx.services.waiting.remove(e.id, LeftWaitingReason.WITHDREW.value))
        self.refresh()

    def add(self) -> None:
        AddToWaitingListDialog(self.ctx, self).exec()
        self.refresh()

    def letter(self) -> None:
        e = self.selected()
        if e is None:
            return
        from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

        made = run_action(self.ctx.dialogs, self, "No letter",
                          lambda: self.ctx.services.waiting.letter_to_referrer(e.id))
        if not made:
            return
        letter_id = made.value
        PdfPreviewDialog(self.ctx, letter_id=letter_id, title="Letter about the wait",
                         suggested_name=f"waiting-list-letter-{e.reference}.pdf", parent=self).exec()


class AddToWaitingListDialog(FormDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Add a family to the waiting list", parent, ok_text="Add to the list")
        self.ctx = ctx
        self.family = self.field("family", "&Family:", FamilyChooser(ctx, name="Family"))
        self.pattern = QComboBox()
        self.pattern.addItem("Any session", None)
        for p in ctx.services.bookings.patterns():
            self.pattern.addItem(f"{WEEKDAYS[p.weekday]} {p.start_time}-{p.end_time}"
                                 + (f" ({p.label})" if p.label else ""), p.id)
        self.field("pattern_id", "&Session needed:", self.pattern)
        self.since = self.field("added_on", "&Waiting since:", line_edit("", "dd/mm/yyyy (blank: today)"))
        self.finish(0)

    def save(self) -> None:
        fid = self.family.family_id()
        if fid is None:
            self.ctx.dialogs.error(self, "Choose a family", "Find and choose the family first.")
            raise KeepOpen
        self.ctx.services.waiting.add(fid, self.since.text(), self.pattern.currentData())
