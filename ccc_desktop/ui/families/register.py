"""The Register tab: a day's sessions, each booked family with big Arrived/Left buttons,
absences, the volunteers on duty, short notes and finalising.

The Session volunteer uses this screen; everything it shows comes from RegisterService.day,
which holds names, times and safety arrangements only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import format_date_long, parse_date
from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.families_records import BookingStatus, RegisterDay, RegisterEntry
from ccc_desktop.models.roles import Permission
from ccc_desktop.ui.families.register_sheet import SheetTimesDialog, show_day_sheet
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

CARD_BATCH = 2  # register cards added at once; the rest follow a batch per turn of the event loop
BIG = "QPushButton { font-size: 13pt; font-weight: bold; padding: 8px 18px; min-height: 34px; }"
SAFETY = ("background: #fdecea; border: 2px solid #b00020; border-radius: 4px; padding: 4px 6px; "
          "color: #5a0010;")


def entry_safety(e: RegisterEntry) -> str:
    lines = []
    for a in e.adults:
        bits = []
        if a.arrive_minutes_before:
            bits.append(f"arrives {a.arrive_minutes_before} min early")
        if a.leave_minutes_after:
            bits.append(f"leaves {a.leave_minutes_after} min after")
        if bits:
            lines.append(f"{a.name} ({a.role}): {' and '.join(bits)}")
    if e.must_not_attend.strip():
        lines.append("MUST NOT ATTEND: " + e.must_not_attend.strip())
    if e.safety_notes.strip():
        lines.append(e.safety_notes.strip())
    return "\n".join(lines)


class AbsenceDialog(FormDialog):
    def __init__(self, ctx: AppContext, entry: RegisterEntry, parent: QWidget | None = None) -> None:
        super().__init__(f"Absence: {entry.reference}", parent)
        self.ctx, self.entry = ctx, entry
        self.reason = self.field("absence_reason", "&Reason:",
                                 line_edit(entry.absence_reason, "e.g. child unwell"))
        self.finish(420)
        self.on_save = lambda: ctx.services.register.absent(entry.booking_id, self.reason.text())


class TimesDialog(FormDialog):
    """Correct an arrival or departure time typed by hand."""

    def __init__(self, ctx: AppContext, entry: RegisterEntry, parent: QWidget | None = None) -> None:
        super().__init__(f"Times: {entry.reference}", parent)
        self.ctx, self.entry = ctx, entry
        self.arrived = self.field("arrived_at", "&Arrived:", line_edit(entry.arrived_at or "", "hh:mm"))
        self.left = self.field("left_at", "&Left:", line_edit(entry.left_at or "", "hh:mm"))
        self.finish(0)
        self.on_save = lambda: ctx.services.register.set_times(entry.booking_id, self.arrived.text(),
                                                              self.left.text())


class SessionDaysDialog(FormDialog):
    """The centre's session days and times, and making their dated sessions.

    Its main button adds a session day and stays open (the list above shows it); Close closes."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Session days", parent, "Session days:",
                         ok_text="&Add session day and make its sessions")
        self.ctx = ctx
        assert self.intro_label is not None
        self.list = self.intro_label
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Close")
        self.weekday = QComboBox()
        for i, name in enumerate(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                  "Saturday", "Sunday")):
            self.weekday.addItem(name, i)
        self.weekday.setCurrentIndex(5)
        self.field("weekday", "&Day:", self.weekday)
        self.start = self.field("start_time", "&Starts at:", line_edit("10:00", "hh:mm"))
        self.end = self.field("end_time", "&Ends at:", line_edit("12:00", "hh:mm"))
        self.capacity = self.field("capacity", "Ca&pacity (families):", line_edit("8"))
        self.until = self.field("last", "Make sessions &until:", line_edit("", "dd/mm/yyyy"))
        self.finish()
        self.load()

    def load(self) -> None:
        patterns = self.ctx.services.bookings.patterns()
        self.list.setText("Session days: " + ("; ".join(
            f"{p.weekday_name}s {p.start_time}-{p.end_time}, {p.capacity} families"
            for p in patterns) or "none yet."))

    def save(self) -> None:
        b = self.ctx.services.bookings
        text = self.capacity.text().strip()
        if not text.isdigit():
            raise ValidationError("Capacity: enter a whole number of families.", "capacity")
        last = parse_date(self.until.text(), "last", "Make sessions until")
        today = self.ctx.services.session.clock.today()
        if not today <= last <= today + timedelta(days=3 * 366):
            raise ValidationError("Make sessions until: a date from today up to three years "
                                  "ahead.", "last")
        pattern = b.add_pattern(self.weekday.currentData(), self.start.text(),
                                self.end.text(), int(text))
        b.ensure_sessions(pattern, today, last)
        self.load()
        raise KeepOpen


class EntryCard(QFrame):
    def __init__(self, tab: RegisterTab, entry: RegisterEntry) -> None:
        super().__init__()
        self.tab, self.entry = tab, entry
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("entry")
        grid = QGridLayout(self)
        names = ", ".join(a.name for a in entry.adults)
        title = QLabel(f"<b>{entry.reference}</b>")
        title.setTextFormat(Qt.TextFormat.RichText)
        grid.addWidget(title, 0, 0)
        people = QLabel()
        people.setTextFormat(Qt.TextFormat.PlainText)
        people.setText(names + ("   Children: " + ", ".join(entry.children) if entry.children else ""))
        people.setStyleSheet("font-size: 11pt;")
        people.setWordWrap(True)
        grid.addWidget(people, 0, 1)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # holds the typed absence reason
        self.status.setStyleSheet("font-size: 11pt;")
        grid.addWidget(self.status, 0, 2, alignment=Qt.AlignmentFlag.AlignRight)
        safety = entry_safety(entry)
        if safety:
            box = QLabel()
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setText("Safety: " + safety)
            box.setWordWrap(True)
            box.setStyleSheet(SAFETY)
            box.setAccessibleName(f"Safety arrangements for {entry.reference}")
            grid.addWidget(box, 1, 0, 1, 3)
        row = QHBoxLayout()
        self.arrived = QPushButton("Arrived")
        self.left = QPushButton("Left")
        for b in (self.arrived, self.left):
            b.setStyleSheet(BIG)
            b.setAccessibleName(f"{b.text()} {entry.reference}")
        self.absent = QPushButton("Absent…")
        self.no_show = QPushButton("No-show")
        self.times = QPushButton("Times…")
        for b, what in ((self.absent, "Absent"), (self.no_show, "No-show"), (self.times, "Times")):
            b.setAccessibleName(f"{what} {entry.reference}")
        for b in (self.arrived, self.left, self.absent, self.no_show, self.times):
            row.addWidget(b)
        row.addStretch(1)
        grid.addLayout(row, 2, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        self.arrived.clicked.connect(lambda: tab.run(lambda: tab.ctx.services.register.arrive(entry.booking_id)))
        self.left.clicked.connect(lambda: tab.run(lambda: tab.ctx.services.register.leave(entry.booking_id)))
        self.absent.clicked.connect(lambda: tab.dialog(AbsenceDialog(tab.ctx, entry, tab)))
        self.no_show.clicked.connect(lambda: tab.run(lambda: tab.ctx.services.register.no_show(entry.booking_id)))
        self.times.clicked.connect(lambda: tab.dialog(TimesDialog(tab.ctx, entry, tab)))
        e = entry
        if e.arrived_at and e.left_at:
            text = f"Arrived {e.arrived_at} · Left {e.left_at}"
        elif e.arrived_at:
            text = f"Arrived {e.arrived_at}"
        elif e.status is BookingStatus.ABSENT:
            text = f"Absent: {e.absence_reason}"
        elif e.status is BookingStatus.NO_SHOW:
            text = "No-show"
        else:
            text = "Expected"
        if e.assessment:
            text = "Assessment session (agreed agency observing) · " + text
        self.status.setText(text)
        self.arrived.setEnabled(not e.arrived_at)
        self.left.setEnabled(bool(e.arrived_at) and not e.left_at)


class RegisterTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.day_data: list[RegisterDay] = []
        # A busy session's cards are added a few at a time, so the window keeps answering
        # (building all of them at once held it for 50-100 ms on a busy day: issue 17).
        self._cards: list[EntryCard] = []
        self._waiting: list[RegisterEntry] = []
        self._card_layout = QVBoxLayout()
        self._card_timer = QTimer(self)
        self._card_timer.setInterval(0)
        self._card_timer.timeout.connect(self._add_cards)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        prev_button = QPushButton("◀ &Previous session")
        next_button = QPushButton("Ne&xt session ▶")
        today_button = QPushButton("&Today")
        label = QLabel("&Day:")
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("ddd dd/MM/yyyy")
        self.date.setAccessibleName("Register date")
        label.setBuddy(self.date)
        self.session_choice = QComboBox()
        self.session_choice.setAccessibleName("Session")
        for w in (prev_button, label, self.date, next_button, today_button, self.session_choice):
            top.addWidget(w)
        top.addStretch(1)
        layout.addLayout(top)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        layout.addWidget(self.heading)
        self.duty = QLabel()
        self.duty.setTextFormat(Qt.TextFormat.PlainText)
        self.duty.setWordWrap(True)
        layout.addWidget(self.duty)
        # A free place at this session and a family waiting for it (Coordinator and Chair only:
        # the waiting list is referral information).
        self.place_free = QLabel()
        self.place_free.setObjectName("registerPlaceFree")
        self.place_free.setTextFormat(Qt.TextFormat.PlainText)
        self.place_free.setWordWrap(True)
        self.place_free.setStyleSheet("color: #7a4a00; font-weight: bold;")
        self.place_free.hide()
        layout.addWidget(self.place_free)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        layout.addWidget(self.scroll_area, 1)
        bottom = QHBoxLayout()
        notes_box = QVBoxLayout()
        notes_box.addWidget(QLabel("Session &notes (short; no personal details of other families):"))
        notes_banner = banner_label()
        self.notes_errors = FieldErrors(notes_banner)
        self.notes = text_edit("", 60)
        self.notes.setAccessibleName("Session notes")
        notes_box.itemAt(0).widget().setBuddy(self.notes)  # type: ignore[union-attr]
        notes_box.addWidget(self.notes)
        notes_box.addWidget(notes_banner)
        bottom.addLayout(notes_box, 1)
        buttons = QVBoxLayout()
        self.save_notes = QPushButton("&Save notes")
        self.finalise = QPushButton("Finalise re&gister")
        self.days_button = QPushButton("Sessi&on days…")
        self.days_button.setObjectName("days_button")  # the first steps go here
        self.sheet_button = QPushButton("Print da&y sheet…")
        self.sheet_button.setToolTip("The register on paper for the door: names, times, safety "
                                     "arrangements and columns to write the times in.")
        self.sheet_times_button = QPushButton("Enter the sheet's t&imes…")
        self.sheet_times_button.setToolTip("Type the times written on the day's sheet, one row "
                                           "per family.")
        buttons.addWidget(self.sheet_button)
        buttons.addWidget(self.sheet_times_button)
        buttons.addWidget(self.save_notes)
        buttons.addWidget(self.finalise)
        buttons.addWidget(self.days_button)
        self.days_button.setVisible(ctx.actor.can(Permission.EDIT_FAMILIES))
        self.days_button.clicked.connect(lambda: self.dialog(SessionDaysDialog(ctx, self)))
        buttons.addStretch(1)
        bottom.addLayout(buttons)
        layout.addLayout(bottom)
        self.message = banner_label()
        self.message_errors = FieldErrors(self.message)  # refusals show in the banner
        layout.addWidget(self.message)

        self.date.dateChanged.connect(lambda _d: self.refresh())
        self.session_choice.currentIndexChanged.connect(lambda _i: self.show_session())
        prev_button.clicked.connect(lambda: self.step(-1))
        next_button.clicked.connect(lambda: self.step(1))
        today_button.clicked.connect(lambda: self.go_to(ctx.services.session.clock.today()))
        self.save_notes.clicked.connect(self._save_notes)
        self.sheet_button.clicked.connect(self.print_sheet)
        self.sheet_times_button.clicked.connect(self.enter_sheet_times)
        self.finalise.clicked.connect(self._finalise)
        ctx.bus.changed.connect(self._on_changed)
        self.go_to(self._nearest(ctx.services.session.clock.today()))

    def _nearest(self, today: date) -> date:
        dates = self.ctx.services.register.session_dates(today - timedelta(days=6), today + timedelta(days=6))
        past = [d for d in dates if d <= today]
        return past[-1] if past else (dates[0] if dates else today)

    def _on_changed(self, topics: frozenset[str]) -> None:
        if topics & {"register", "bookings", "sessions", "rota", "families", "waiting"}:
            self.refresh()

    def current_date(self) -> date:
        q = self.date.date()
        return date(q.year(), q.month(), q.day())

    def go_to(self, on: date) -> None:
        target = QDate(on.year, on.month, on.day)
        if self.date.date() != target:
            self.date.setDate(target)  # dateChanged refreshes (once, not twice)
        else:
            self.refresh()

    def step(self, direction: int) -> None:
        here = self.current_date()
        if direction < 0:
            dates = self.ctx.services.register.session_dates(here - timedelta(days=400), here - timedelta(days=1))
            if dates:
                self.go_to(dates[-1])
        else:
            dates = self.ctx.services.register.session_dates(here + timedelta(days=1), here + timedelta(days=400))
            if dates:
                self.go_to(dates[0])

    def refresh(self) -> None:
        if not self.ctx.services.session.is_open:
            return
        keep = self.session_choice.currentData()
        self.day_data = self.ctx.services.register.day(self.current_date())
        self.session_choice.blockSignals(True)
        self.session_choice.clear()
        for d in self.day_data:
            self.session_choice.addItem(f"{d.start_time}-{d.end_time}", d.session_id)
        i = self.session_choice.findData(keep)
        self.session_choice.setCurrentIndex(max(i, 0))
        self.session_choice.blockSignals(False)
        self.session_choice.setVisible(len(self.day_data) > 1)
        self.show_session()

    def current(self) -> RegisterDay | None:
        sid = self.session_choice.currentData()
        return next((d for d in self.day_data if d.session_id == sid), None)

    def _show_place_free(self, d: RegisterDay | None) -> None:
        from ccc_desktop.models.roles import Permission

        text = ""
        if d is not None and self.ctx.actor.can(Permission.VIEW_FAMILIES):
            for o in self.ctx.services.waiting.openings():
                if o.session_id == d.session_id:
                    text = (f"A place is free at this session: offer it to family {o.entry.reference}, "
                            f"first on the waiting list for it ({o.entry.days_waited} days waiting). "
                            "Use the Waiting list tab to offer it.")
        self.place_free.setText(text)
        self.place_free.setVisible(bool(text))

    def show_session(self) -> None:
        d = self.current()
        self._show_place_free(d)
        self.message.hide()
        self.notes_errors.clear()
        holder = QWidget()
        cards = QVBoxLayout(holder)
        self._cards, self._waiting = [], []
        self._card_layout = cards
        if d is None:
            self.heading.setText(f"No session on {format_date_long(self.current_date())}")
            self.duty.setText("Use Previous and Next to find a session day.")
            self.notes.setPlainText("")
            for w in (self.notes, self.save_notes, self.finalise, self.sheet_button,
                      self.sheet_times_button):
                w.setEnabled(False)
        else:
            booked = sum(1 for e in d.entries)
            arrived = sum(1 for e in d.entries if e.arrived_at)
            state = " · FINALISED" if d.finalised else ""
            self.heading.setText(f"{format_date_long(d.session_date)}, {d.start_time}-{d.end_time} · "
                                 f"{booked} of {d.capacity} booked · {arrived} arrived{state}")
            self.duty.setText("On duty: " + (", ".join(d.on_duty) if d.on_duty else "nobody on the rota"))
            self.notes.setPlainText(d.notes)
            for w in (self.notes, self.save_notes):
                w.setEnabled(True)
            self.finalise.setEnabled(not d.finalised)
            self.sheet_button.setEnabled(True)
            today = self.ctx.services.session.clock.today()
            self.sheet_times_button.setEnabled(
                bool(d.entries) and d.session_date <= today
                and (not d.finalised or self.ctx.actor.can(Permission.EDIT_FAMILIES)))
            if not d.entries:
                cards.addWidget(QLabel("No families are booked into this session."))
            self._waiting = list(d.entries)
        cards.addStretch(1)
        self._add_cards()  # the first few now, the rest a batch per turn of the event loop
        self.scroll_area.setWidget(holder)
        if self._waiting:
            self._card_timer.start()

    def _add_cards(self, count: int = CARD_BATCH) -> None:
        """Cards for the next ``count`` families, above the stretch at the end."""
        batch, self._waiting = self._waiting[:count], self._waiting[count:]
        for e in batch:
            card = EntryCard(self, e)
            self._cards.append(card)
            self._card_layout.insertWidget(self._card_layout.count() - 1, card)
        if not self._waiting:
            self._card_timer.stop()

    @property
    def cards(self) -> list[EntryCard]:
        """A card per family booked into the session shown (those still to come added now)."""
        if self._waiting:
            self._add_cards(len(self._waiting))
        return self._cards

    @property
    def busy(self) -> bool:
        """True while the session's cards are still being added."""
        return bool(self._waiting)

    def run(self, action: Callable[[], object]) -> None:
        run_action(None, self, "", action, errors=self.message_errors)

    def dialog(self, dialog: QDialog) -> None:
        dialog.exec()

    def print_sheet(self) -> None:
        d = self.current()
        if d is not None:
            self.run(lambda: self.dialog(show_day_sheet(self.ctx, d, self)))

    def enter_sheet_times(self) -> None:
        d = self.current()
        if d is not None:
            self.dialog(SheetTimesDialog(self.ctx, d, self))

    def _save_notes(self) -> None:
        d = self.current()
        if d is None:
            return
        self.notes_errors.clear()
        run_action(None, self, "",
                   lambda: self.ctx.services.register.set_notes(d.session_id, self.notes.toPlainText()), errors=self.notes_errors)

    def _finalise(self) -> None:
        d = self.current()
        if d is None or not self.ctx.dialogs.confirm(
                self, "Finalise register", "Finalise this register? Later changes can only be made "
                "by the Coordinator or Chair, and are recorded in the audit trail."):
            return
        self.run(lambda: self.ctx.services.register.finalise(d.session_id))
