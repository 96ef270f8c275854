"""The rota: sessions in a date range, who is on duty, and assigning volunteers."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import day_name, format_date, format_month
from ccc_desktop.models.volunteers_records import (
    RotaSession,
    VolunteerStatus,
)
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FieldErrors
from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog
from ccc_desktop.ui.widgets.plain import plain_label
from ccc_desktop.ui.widgets.table_model import RecordTable


class RotaPanel(QWidget):
    """Sessions over four weeks; pick one to see and change who is on duty."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.first = ctx.services.session.clock.today() - timedelta(days=7)
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        nav = QHBoxLayout()
        self.back = QPushButton("◀ Ea&rlier")
        self.forward = QPushButton("&Later ▶")
        self.range_label = QLabel()
        nav.addWidget(self.back)
        nav.addWidget(self.range_label, 1, Qt.AlignmentFlag.AlignCenter)
        nav.addWidget(self.forward)
        left.addLayout(nav)
        self.table: RecordTable[RotaSession] = RecordTable([
            ("Date", lambda s: f"{day_name(s.session_date, short=True)} {format_date(s.session_date)}"),
            ("Time", lambda s: f"{s.start_time}–{s.end_time}"),
            ("On duty", lambda s: ", ".join(s.on_duty) if s.on_duty else "nobody yet"),
            ("", lambda s: "register finalised" if s.finalised else ""),
        ], "Sessions", stretch=2, key=lambda s: s.session_id)
        self.model = self.table.records
        left.addWidget(self.table)
        self.empty = QLabel("There are no sessions in these four weeks. Sessions are set up "
                            "with the families' bookings.")
        self.empty.setWordWrap(True)
        left.addWidget(self.empty)
        layout.addLayout(left, 3)

        right = QVBoxLayout()
        self.session_title = QLabel("Choose a session.")
        self.session_title.setStyleSheet("font-weight: bold;")
        right.addWidget(self.session_title)
        self.on_duty = QListWidget()
        self.on_duty.setAccessibleName("On duty")
        right.addWidget(self.on_duty)
        self.remove_button = QPushButton("&Take off rota")
        right.addWidget(self.remove_button)
        right.addWidget(QLabel("Add an active volunteer:"))
        self.candidate = QComboBox()
        self.candidate.setAccessibleName("Volunteer to add")
        right.addWidget(self.candidate)
        self.duty = QLineEdit()
        self.duty.setPlaceholderText("Duty (optional), e.g. door, play room")
        self.duty.setAccessibleName("Duty")
        right.addWidget(self.duty)
        self.add_button = QPushButton("&Put on rota")
        right.addWidget(self.add_button)
        self.message = plain_label(wrap=True)
        self.message.setStyleSheet("color: #b00020;")
        self.refusals = FieldErrors(self.message)  # what the rota refuses shows here, in red
        right.addWidget(self.message)
        right.addStretch(1)
        right.addWidget(QLabel("The rota on paper, for a month:"))
        print_row = QHBoxLayout()
        self.print_month = QComboBox()
        self.print_month.setAccessibleName("Month to print")
        today = ctx.services.session.clock.today()
        for step in range(-1, 4):
            y, m = divmod(today.year * 12 + today.month - 1 + step, 12)
            self.print_month.addItem(format_month(date(y, m + 1, 1)), (y, m + 1))
        # Late in a month the next month's rota is the one to pin up.
        self.print_month.setCurrentIndex(2 if today.day > 20 else 1)
        self.print_button = QPushButton("Print the r&ota…")
        print_row.addWidget(self.print_month, 1)
        print_row.addWidget(self.print_button)
        right.addLayout(print_row)
        layout.addLayout(right, 2)
        self.print_button.clicked.connect(self.print_rota)

        self.back.clicked.connect(lambda: self._move(-28))
        self.forward.clicked.connect(lambda: self._move(28))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_session())
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, topics: frozenset[str]) -> None:
        if topics & {"rota", "sessions", "volunteers"}:
            self.refresh()

    def _move(self, days: int) -> None:
        self.first += timedelta(days=days)
        self.refresh()

    def refresh(self) -> None:
        if not self.ctx.services.session.is_open:
            return
        last = self.first + timedelta(days=27)
        self.range_label.setText(f"{format_date(self.first)} – {format_date(last)}")
        sessions = self.ctx.services.volunteers.sessions_between(self.first, last)
        self.table.set_rows(sessions)  # the same session stays selected
        self.empty.setVisible(not sessions)
        self.candidate.clear()
        for v in self.ctx.services.volunteers.list(VolunteerStatus.ACTIVE):
            self.candidate.addItem(v.name, v.id)
        if self.table.selected() is None:  # else the next session from today
            today = self.ctx.services.session.clock.today()
            target = next((i for i, s in enumerate(sessions) if s.session_date >= today), None)
            if target is not None:
                self.table.selectRow(target)
        self._show_session()

    def selected(self) -> RotaSession | None:
        return self.table.selected()

    def _show_session(self) -> None:
        s = self.selected()
        self.on_duty.clear()
        self.refusals.clear()
        editable = s is not None and not s.finalised
        for w in (self.add_button, self.remove_button, self.candidate, self.duty):
            w.setEnabled(editable)
        if s is None:
            self.session_title.setText("Choose a session.")
            return
        self.session_title.setText(f"{day_name(s.session_date)} {format_date(s.session_date)}, "
                                   f"{s.start_time}–{s.end_time}"
                                   + (" (register finalised)" if s.finalised else ""))
        for entry in self.ctx.services.volunteers.rota(s.session_id):
            item = QListWidgetItem(entry.volunteer_name + (f" — {entry.duty}" if entry.duty else ""))
            item.setData(Qt.ItemDataRole.UserRole, entry.volunteer_id)
            self.on_duty.addItem(item)

    def print_rota(self) -> None:
        year, month = self.print_month.currentData()
        made = run_action(None, self, "", lambda: self.ctx.services.volunteers.month_rota_pdf(year, month),
                          errors=self.refusals)
        if not made:
            return
        self.run_dialog(PdfPreviewDialog(None, pdf=made.value, title=f"Rota: {self.print_month.currentText()}",
                                         suggested_name=f"rota-{year}-{month:02d}.pdf",
                                         dialogs=self.ctx.dialogs, parent=self))

    def run_dialog(self, dialog: QDialog) -> None:
        """Tests replace this to look at the dialog instead of running it."""
        dialog.exec()

    def add(self) -> None:
        s = self.selected()
        volunteer_id = self.candidate.currentData()
        if s is None or volunteer_id is None:
            return
        if run_action(None, self, "", lambda: self.ctx.services.volunteers.assign(
                s.session_id, volunteer_id, self.duty.text()), errors=self.refusals):
            self.duty.clear()

    def remove(self) -> None:
        s = self.selected()
        item = self.on_duty.currentItem()
        if s is None or item is None:
            return
        run_action(None, self, "", lambda: self.ctx.services.volunteers.unassign(
            s.session_id, item.data(Qt.ItemDataRole.UserRole)), errors=self.refusals)


