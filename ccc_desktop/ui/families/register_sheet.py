"""The day's sheet from the register: print it for the door, and type its times back in.

Both work from ``RegisterService`` only, so the Session volunteer can use them: the sheet is
built from what the register shows, and the times go in through the register's own checks.
"""

from __future__ import annotations

import functools
import re
from typing import NoReturn

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QWidget,
)

from ccc_desktop.models.dates import format_date_long, parse_time
from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.families_records import BookingStatus, RegisterDay, RegisterEntry
from ccc_desktop.models.roles import Permission
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FormDialog, KeepOpen

_DIGITS = re.compile(r"^\s*(\d{1,2})(\d{2})\s*$")


def typed_time(text: str) -> str:
    """What was typed, as hh:mm: "1005", "10.05" and "10:05" all mean 10:05; blank stays blank."""
    text = (text or "").strip()
    m = _DIGITS.match(text)
    if m:
        text = f"{m.group(1)}:{m.group(2)}"
    return parse_time(text).strftime("%H:%M") if text else ""


def show_day_sheet(ctx: AppContext, day: RegisterDay, parent: QWidget) -> QDialog:
    """Preview the session's sheet; a Session volunteer may print it but not save it as a file."""
    from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

    register = ctx.services.register
    pdf = register.day_sheet(day.session_id)
    dialog = PdfPreviewDialog(
        None, pdf=pdf, title=f"Day sheet: {format_date_long(day.session_date)}, {day.start_time}",
        suggested_name=f"day-sheet-{day.session_date.isoformat()}.pdf", dialogs=ctx.dialogs,
        on_output=lambda how: register.record_day_sheet_output(day.session_id, how), parent=parent)
    # Saving writes names and safety arrangements to a file: for the Coordinator and Chair only.
    dialog.save_button.setVisible(ctx.actor.can(Permission.EDIT_FAMILIES))
    dialog.resize(1000, 760)
    return dialog


class SheetRow:
    def __init__(self, entry: RegisterEntry) -> None:
        self.entry = entry
        names = ", ".join(a.name.split()[0] for a in entry.adults if a.name.split())
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setText(f"{entry.reference}  {names}")
        self.arrived = QLineEdit(entry.arrived_at or "")
        self.left = QLineEdit(entry.left_at or "")
        for edit, what in ((self.arrived, "Arrived"), (self.left, "Left")):
            edit.setPlaceholderText("hh:mm")
            edit.setMaximumWidth(90)
            edit.setAccessibleName(f"{what} {entry.reference}")
        self.no_show = QCheckBox("Did not come")
        self.no_show.setAccessibleName(f"Did not come {entry.reference}")
        self.no_show.setChecked(entry.status is BookingStatus.NO_SHOW)
        self.no_show.toggled.connect(self._toggled)
        self.state = QLabel()
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        if entry.status is BookingStatus.ABSENT:
            self.state.setText("Absent: " + entry.absence_reason)
        self._toggled(self.no_show.isChecked())

    def _toggled(self, on: bool) -> None:
        self.arrived.setEnabled(not on)
        self.left.setEnabled(not on)

    def planned(self) -> tuple[str, str, str] | None:
        """(what, arrived, left) to do for this family, or None when nothing changed."""
        e = self.entry
        if self.no_show.isChecked():
            return None if e.status is BookingStatus.NO_SHOW else ("no-show", "", "")
        try:
            arrived = typed_time(self.arrived.text())
        except ValidationError:
            raise ValidationError(f"{e.reference}: the arrival time is not a time (hh:mm).",
                                  "arrived") from None
        try:
            left = typed_time(self.left.text())
        except ValidationError:
            raise ValidationError(f"{e.reference}: the departure time is not a time (hh:mm).",
                                  "left") from None
        if not arrived:
            if left:
                raise ValidationError(f"{e.reference}: a departure time needs the arrival time "
                                      "too.", "arrived")
            return None
        if (arrived, left) == (e.arrived_at or "", e.left_at or ""):
            return None
        return ("times", arrived, left)


class SheetTimesDialog(FormDialog):
    """One row per booked family: type the arrival and departure times written on the sheet.

    Keyboard only: Tab moves Arrived → Left → Did not come → the next family; Enter saves.
    """

    def __init__(self, ctx: AppContext, day: RegisterDay, parent: QWidget | None = None) -> None:
        super().__init__(f"Times from the sheet: {format_date_long(day.session_date)}", parent,
                         intro="Type the times written on the day's sheet (10:05 or 1005). Leave "
                         "a row blank if nothing was written. Tab moves to the next box; Enter "
                         "saves.", ok=QDialogButtonBox.StandardButton.Save, ok_text="&Save times")
        self.ctx, self.day = ctx, day
        holder = QWidget()
        grid = QGridLayout(holder)
        for col, heading in enumerate(("Family", "Arrived", "Left", "", "")):
            if heading:
                label = QLabel(f"<b>{heading}</b>")
                label.setTextFormat(Qt.TextFormat.RichText)
                grid.addWidget(label, 0, col)
        self.rows: list[SheetRow] = []
        previous: QWidget | None = None
        for n, entry in enumerate(day.entries, start=1):
            row = SheetRow(entry)
            self.rows.append(row)
            grid.addWidget(row.label, n, 0)
            grid.addWidget(row.arrived, n, 1)
            grid.addWidget(row.left, n, 2)
            grid.addWidget(row.no_show, n, 3)
            grid.addWidget(row.state, n, 4)
            for w in (row.arrived, row.left, row.no_show):
                if previous is not None:
                    QWidget.setTabOrder(previous, w)
                previous = w
        grid.setColumnStretch(4, 1)
        grid.setRowStretch(len(day.entries) + 1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        self.outer.addWidget(scroll, 1)
        self.ok_button.setDefault(True)
        self.finish(0)
        self.saved = 0
        self.resize(720, min(640, 170 + 38 * max(1, len(day.entries))))
        if self.rows:
            self.rows[0].arrived.setFocus()

    def save(self) -> None:
        plans = []
        for row in self.rows:
            try:
                plan = row.planned()
            except ValidationError as exc:
                self._problem(str(exc), row.arrived if exc.field == "arrived" else row.left)
            if plan is not None:
                plans.append((row, plan))
        register = self.ctx.services.register
        for row, (what, arrived, left) in plans:
            ran = run_action(None, self, "", functools.partial(
                register.no_show, row.entry.booking_id) if what == "no-show"
                else functools.partial(register.set_times, row.entry.booking_id, arrived, left))
            if not ran:
                done = f" (the {self.saved} rows before it are saved)" if self.saved else ""
                self._problem(f"{row.entry.reference}: {ran.error}{done}", row.arrived)
            self.saved += 1

    def _problem(self, message: str, focus: QWidget) -> NoReturn:
        """Say what is wrong above the rows and put the cursor where it is; stay open."""
        self.errors.show(ValidationError(message))
        focus.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(focus, QLineEdit):
            focus.selectAll()
        raise KeepOpen
