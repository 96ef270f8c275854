"""The Families tab: search-as-you-type list of families; the record opens in ``record.FamilyDialog``."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import format_date
from ccc_desktop.models.families_records import (
    FamilyRow,
)
from ccc_desktop.models.roles import Permission
from ccc_desktop.ui.families.dialogs import DisclosureDialog, DisclosureLogDialog, NewFamilyDialog
from ccc_desktop.ui.families.record import FamilyDialog
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.table_model import RecordTable


# ---- the list ---------------------------------------------------------------------------------
class FamiliesTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        find = QLabel("Fin&d:")
        top.addWidget(find)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Type a parent's or child's name, or a reference such as F-0012")
        self.search.setAccessibleName("Search families")
        self.search.setClearButtonEnabled(True)
        find.setBuddy(self.search)
        top.addWidget(self.search, 1)
        self.count = QLabel()
        top.addWidget(self.count)
        layout.addLayout(top)
        self.table: RecordTable[FamilyRow] = RecordTable([
            ("Reference", lambda r: r.reference),
            ("Adults", lambda r: r.adults),
            ("Children", lambda r: r.children),
            ("Referral", lambda r: r.status.label),
            ("Last used", lambda r: format_date(r.last_used_on)),
        ], "Families", 1)
        self.model = self.table.records
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.new_button = QPushButton("&New referral…")
        self.open_button = QPushButton("&Open record…")
        self.log_button = QPushButton("Disclosure &log…")
        row.addWidget(self.new_button)
        row.addWidget(self.open_button)
        row.addStretch(1)
        row.addWidget(self.log_button)
        layout.addLayout(row)
        can_edit = ctx.actor.can(Permission.EDIT_FAMILIES) if ctx.actor else False
        self.new_button.setVisible(can_edit)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._open_first)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.new_button.clicked.connect(self.new)
        self.open_button.clicked.connect(self.open_selected)
        self.log_button.clicked.connect(lambda: DisclosureLogDialog(self.ctx, self).exec())
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, topics: frozenset[str]) -> None:
        if topics & {"families", "bookings", "register"}:
            self.refresh()

    def refresh(self) -> None:
        if not self.ctx.services.session.is_open:
            return
        rows = self.ctx.services.families.search(self.search.text(), limit=500)
        self.table.set_rows(rows)
        total = self.ctx.services.families.count()
        shown = f"{len(rows)} of {total}" if len(rows) < total else f"{total}"
        self.count.setText(f"{shown} famil{'y' if total == 1 else 'ies'}")

    def _open_first(self) -> None:
        if self.model.rows:
            self.open_family(self.model.rows[0].id)

    def selected(self) -> FamilyRow | None:
        return self.table.selected()

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_family(row.id)

    def open_family(self, family_id: int) -> None:
        # The record is read (and its opening audited) in the background: the dialog shows at
        # once; a refusal is said in an error box and the dialog closes.
        FamilyDialog(self.ctx, family_id, self, background=True).exec()

    def new(self) -> None:
        dialog = NewFamilyDialog(self.ctx, self)
        if dialog.exec() and dialog.family_id is not None:
            self.refresh()
            self.open_family(dialog.family_id)


# The Families screens other screens and the screenshots open.
__all__ = ["DisclosureDialog", "FamiliesTab", "FamilyDialog", "NewFamilyDialog"]
