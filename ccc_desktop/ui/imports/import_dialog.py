"""Importing one spreadsheet: map its columns, check the rows (fix them or leave them out,
choose what to do with likely duplicates), import with progress. Opened from the Imports panel
(``imports.py``); everything it shows comes from ``ImportService``."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.errors import CccError
from ccc_desktop.models.imports.fields import FIELDS, Kind, guess_kind
from ccc_desktop.models.imports.plan import Choice, Plan, PlannedRow
from ccc_desktop.models.imports.reading import Sheet, shown_cell
from ccc_desktop.models.services.imports import ImportRefused
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FormDialog, KeepOpen
from ccc_desktop.ui.widgets.plain import rich

PREVIEW_ROWS = 200
# Rows with a problem or a likely duplicate shown beyond those (a file imported twice has
# thousands: a table of them all, each with its own chooser, would hold the window for long).
MORE_ROWS = 300
PROBLEM = QColor("#fde2e1")
DUPLICATE = QColor("#fff4d6")
LEFT_OUT = QColor("#eeeeee")
_CHOICES = ((Choice.SKIP, "Skip it"), (Choice.MERGE, "Merge into it"),
            (Choice.IMPORT, "Import as new"))


class ImportDialog(FormDialog):
    """Three pages: the column mapping, the checked rows, then progress and the result.

    One FormDialog: its main button checks the rows on the first page and imports them on the
    second (with Back to the columns beside it); both run through ``run_task``, the check
    leaving the dialog open on the checked rows."""

    def __init__(self, ctx: AppContext, sheet: Sheet, kind: Kind | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(f"Import {sheet.name}", parent, ok_text="&Check the rows")
        self.ctx = ctx
        self.sheet = sheet
        self.plan: Plan | None = None
        self.left_out: set[int] = set()
        self.choices: dict[int, str] = {}
        self._filling = False
        self._doing = "Importing"
        self.resize(1000, 640)
        self.import_button = self.ok_button
        self.back_button = self.buttons.addButton("&Back to the columns",
                                                  QDialogButtonBox.ButtonRole.ResetRole)
        self.back_button.clicked.connect(lambda: self._go(0))
        self.pages = QStackedWidget()
        self.outer.addWidget(self.pages)
        self._mapping_page(kind or guess_kind(sheet.headers))
        self._preview_page()
        self._progress_page()
        self.finish(0)
        self._go(0)

    def _go(self, page: int) -> None:
        """Show a page with its buttons: Check on the mapping; Back and Import on the rows
        (Enter there never imports); none while working."""
        self.pages.setCurrentIndex(page)
        self.back_button.setVisible(page == 1)
        for button in (self.ok_button, self.buttons.button(QDialogButtonBox.StandardButton.Cancel)):
            button.setVisible(page != 2)
        self.ok_button.setDefault(page == 0)
        if page == 0:
            self.ok_button.setText("&Check the rows")
            self.ok_button.setEnabled(True)
        elif page == 1 and self.plan is not None:
            self._refresh_summary()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        # The button box makes its main button the default when shown: Import is never one.
        self.ok_button.setDefault(self.pages.currentIndex() == 0)

    def save(self) -> None:
        if self.pages.currentIndex() == 1:
            self.start_import()
            return
        self.check_rows()
        if self.task is None:
            raise KeepOpen  # nothing started: it said why

    # ---- page 1: the mapping -------------------------------------------------------------
    def _mapping_page(self, kind: Kind) -> None:
        page = QWidget()
        v = QVBoxLayout(page)
        top = QHBoxLayout()
        # The file's name is the user's text: escaped into our bold.
        top.addWidget(QLabel(rich("<b>{name}</b>: {n} rows. The file holds:",
                                  name=self.sheet.name, n=len(self.sheet.rows))))
        self.kind_box = QComboBox()
        self.kind_box.setAccessibleName("What the file holds")
        for k in Kind:
            self.kind_box.addItem(k.label, k)
        self.kind_box.setCurrentIndex(list(Kind).index(kind))
        self.kind_box.currentIndexChanged.connect(self._fill_mapping)
        top.addWidget(self.kind_box)
        top.addStretch(1)
        v.addLayout(top)
        hint = QLabel("Match each column of the file to what it holds. The guess comes from the "
                      "column's heading (and from your choices last time); columns set to "
                      "\u201cNot imported\u201d are left behind.")
        hint.setWordWrap(True)
        v.addWidget(hint)
        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setHorizontalHeaderLabels(["Column in the file", "First value",
                                                      "Imported as"])
        self.mapping_table.setAccessibleName("Column mapping")
        self.mapping_table.verticalHeader().hide()
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.mapping_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        v.addWidget(self.mapping_table)
        self.pages.addWidget(page)
        self._fill_mapping()

    @property
    def kind(self) -> Kind:
        return Kind(self.kind_box.currentData())

    def _fill_mapping(self) -> None:
        guess = self.ctx.services.imports.guess(self.kind, self.sheet)
        first = self.sheet.rows[0].cells if self.sheet.rows else ()
        self.mapping_table.setRowCount(len(self.sheet.headers))
        self.mapping_boxes: list[QComboBox] = []
        for i, header in enumerate(self.sheet.headers):
            self.mapping_table.setItem(i, 0, QTableWidgetItem(header))
            self.mapping_table.setItem(i, 1, QTableWidgetItem(
                shown_cell(first[i]) if i < len(first) else ""))
            box = QComboBox()
            box.setAccessibleName(f"Imported as, for the column {header}")
            box.addItem("Not imported", "")
            for f in FIELDS[self.kind]:
                box.addItem(f.label + (" (needed)" if f.required and not f.group else ""), f.key)
            box.setCurrentIndex(max(0, box.findData(guess.get(header) or "")))
            self.mapping_table.setCellWidget(i, 2, box)
            self.mapping_boxes.append(box)

    def mapping(self) -> dict[str, str | None]:
        return {h: self.mapping_boxes[i].currentData() or None for i, h in enumerate(self.sheet.headers)}

    def check_rows(self) -> None:
        mapping = self.mapping()
        used = [k for k in mapping.values() if k]
        if len(used) != len(set(used)):
            self.ctx.dialogs.warning(self, "Two columns for one field",
                                     "Two columns of the file are imported as the same field: "
                                     "choose one of them, and set the other to Not imported.")
            return
        # Checked in the background (thousands of rows take seconds), with progress.
        kind, sheet, service = self.kind, self.sheet, self.ctx.services.imports
        self._doing = "Checking the rows"
        self.bar.setRange(0, max(1, len(sheet.rows)))
        self.progress_label.setText(f"{self._doing}\u2026")
        self._go(2)
        self.run_task(lambda progress: service.plan(kind, sheet, mapping, progress),
                      self.show_plan, self._check_failed, close=False, moved=self._progressed)

    def _check_failed(self, exc: BaseException) -> None:
        self._go(0)
        if not isinstance(exc, CccError):
            raise exc
        self.ctx.dialogs.error(self, "Cannot check the rows", str(exc))

    def show_plan(self, plan: Plan) -> None:
        """The checked rows: those with problems left out until they are fixed."""
        self.plan = plan
        self.left_out = {r.number for r in self.plan.rows if r.problems}
        self.choices = {}
        self._fill_preview()
        self._go(1)

    # ---- page 2: the rows as they will be stored -------------------------------------------
    def _preview_page(self) -> None:
        page = QWidget()
        v = QVBoxLayout(page)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        v.addWidget(self.summary)
        every = QHBoxLayout()
        self.every_label = QLabel("For every likely duplicate:")
        self.every_box = QComboBox()
        self.every_box.setAccessibleName("For every likely duplicate")
        for value, label in _CHOICES:
            self.every_box.addItem(label, value)
        self.every_box.activated.connect(self._choose_every)
        self.every_label.setBuddy(self.every_box)
        every.addWidget(self.every_label)
        every.addWidget(self.every_box)
        every.addStretch(1)
        v.addLayout(every)
        split = QSplitter(Qt.Orientation.Vertical)
        self.preview = QTableWidget()
        self.preview.setAccessibleName("Rows as they will be stored")
        self.preview.verticalHeader().hide()
        self.preview.itemChanged.connect(self._cell_edited)
        split.addWidget(self.preview)
        lower = QWidget()
        lv = QVBoxLayout(lower)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(QLabel("Problems (double-click a cell above to fix it, or untick "
                            "\u201cImport\u201d to leave the row out):"))
        self.problem_list = QListWidget()
        self.problem_list.setAccessibleName("Problems by row and column")
        self.problem_list.itemActivated.connect(self._go_to_problem)
        self.problem_list.itemClicked.connect(self._go_to_problem)
        lv.addWidget(self.problem_list)
        split.addWidget(lower)
        split.setSizes([420, 160])
        v.addWidget(split)
        self.pages.addWidget(page)

    def _shown_rows(self) -> list[PlannedRow]:
        assert self.plan is not None
        out, more = [], 0
        for i, r in enumerate(self.plan.rows):
            if i < PREVIEW_ROWS:
                out.append(r)
            elif (r.problems or r.duplicates or r.fixed) and more < MORE_ROWS:
                out.append(r)
                more += 1
        return out

    def _fill_preview(self) -> None:
        assert self.plan is not None
        plan = self.plan
        fields = plan.mapped_fields()
        rows = self._shown_rows()
        self._filling = True
        self.preview.clear()
        self.preview.setColumnCount(3 + len(fields))
        self.preview.setHorizontalHeaderLabels(
            ["Row", "Import", "Likely duplicate"] + [f.label for f in fields])
        self.preview.setRowCount(len(rows))
        self._row_numbers = [r.number for r in rows]
        for i, row in enumerate(rows):
            self._fill_row(i, row, fields)
        self.preview.resizeColumnsToContents()
        self._filling = False
        self._refresh_summary()

    def _fill_row(self, i: int, row: PlannedRow, fields: list[Any]) -> None:
        assert self.plan is not None
        number = QTableWidgetItem(str(row.number))
        number.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.preview.setItem(i, 0, number)
        tick = QTableWidgetItem("Import")
        tick.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        tick.setCheckState(Qt.CheckState.Unchecked if row.number in self.left_out
                           else Qt.CheckState.Checked)
        self.preview.setItem(i, 1, tick)
        if row.duplicates and not row.problems:
            box = QComboBox()
            box.setAccessibleName(f"Row {row.number}: what to do with the likely duplicate")
            for value, label in _CHOICES:
                box.addItem(label, value)
            box.setCurrentIndex(box.findData(self.choices.get(row.number, Choice.SKIP)))
            box.setToolTip("; ".join(str(d) for d in row.duplicates))
            box.currentIndexChanged.connect(
                lambda _i, n=row.number, b=box: self._choose(n, b.currentData()))
            self.preview.setCellWidget(i, 2, box)
        else:
            self.preview.removeCellWidget(i, 2)
            self.preview.setItem(i, 2, QTableWidgetItem(""))
        bad = {p.column: p for p in row.problems}
        values = self.plan.preview(row)
        for j, f in enumerate(fields):
            item = QTableWidgetItem(values[j])
            item.setData(Qt.ItemDataRole.UserRole, f.key)
            problem = bad.get(self.plan.column_of(f.key))
            if problem is not None:
                item.setBackground(QBrush(PROBLEM))
                item.setToolTip(problem.message)
            elif row.number in self.left_out:
                item.setBackground(QBrush(LEFT_OUT))
            elif row.duplicates:
                item.setBackground(QBrush(DUPLICATE))
            self.preview.setItem(i, 3 + j, item)

    def _choose_every(self, _index: int = 0) -> None:
        assert self.plan is not None
        value = self.every_box.currentData()
        self.choices.update({r.number: value for r in self.plan.rows if r.duplicates})
        self._fill_preview()

    def _choose(self, number: int, value: str) -> None:
        self.choices[number] = value
        self._refresh_summary()

    def _cell_edited(self, item: QTableWidgetItem) -> None:
        if self._filling or self.plan is None:
            return
        number = self._row_numbers[item.row()]
        if item.column() == 1:
            if item.checkState() == Qt.CheckState.Checked:
                self.left_out.discard(number)
            else:
                self.left_out.add(number)
        elif item.column() >= 3:
            key = item.data(Qt.ItemDataRole.UserRole)
            row = self.ctx.services.imports.fix(self.plan, number, key, item.text())
            if row.clean:
                self.left_out.discard(number)
        else:
            return
        self._filling = True
        self._fill_row(item.row(), self.plan.row(number), self.plan.mapped_fields())
        self._filling = False
        self._refresh_summary()

    def _refresh_summary(self) -> None:
        assert self.plan is not None
        plan = self.plan
        todo = [r for r in plan.rows if r.number not in self.left_out]
        blocked = [r for r in todo if r.problems]
        dups = [r for r in todo if r.duplicates and not r.problems]
        self.every_label.setVisible(bool(dups))
        self.every_box.setVisible(bool(dups))
        skipped = sum(1 for r in dups if self.choices.get(r.number, Choice.SKIP) == Choice.SKIP)
        shown = len(self._row_numbers) if hasattr(self, "_row_numbers") else 0
        text = (f"{len(plan.rows)} rows of {plan.kind.label.lower()}: {len(todo) - skipped} to "
                f"import, {len(self.left_out)} left out; likely duplicates: {len(dups)} "
                f"({skipped} skipped). ")
        if shown < len(plan.rows):
            text += (f"Showing {shown:,} rows: the first {PREVIEW_ROWS} and then those with a "
                     f"problem or a likely duplicate, up to {MORE_ROWS} of them (the list below "
                     "has every one; rows not shown keep what is chosen for every likely "
                     "duplicate, and rows with problems stay out: fix those in the file). ")
        if blocked:
            text += f"{len(blocked)} rows still have problems: fix them or untick Import."
        self.summary.setText(text)
        self.problem_list.clear()
        for p in plan.problems:
            item = QListWidgetItem(str(p))
            item.setData(Qt.ItemDataRole.UserRole, p.row)
            if p.row in self.left_out:
                item.setForeground(QBrush(QColor("#777777")))
                item.setText(str(p) + " (left out)")
            self.problem_list.addItem(item)
        for r in dups:
            item = QListWidgetItem(f"Row {r.number}: likely duplicate: "
                                   + "; ".join(str(d) for d in r.duplicates) + ".")
            item.setData(Qt.ItemDataRole.UserRole, r.number)
            self.problem_list.addItem(item)
        file_level = any(p.row == 0 for p in plan.file_problems)
        self.import_button.setEnabled(not blocked and not file_level and bool(todo))
        self.import_button.setText(f"&Import {len(todo) - skipped} {plan.kind.label.lower()}")

    def _go_to_problem(self, item: QListWidgetItem) -> None:
        number = item.data(Qt.ItemDataRole.UserRole)
        if number in getattr(self, "_row_numbers", []):
            self.preview.selectRow(self._row_numbers.index(number))

    # ---- page 3: importing ------------------------------------------------------------------
    def _progress_page(self) -> None:
        page = QWidget()
        v = QVBoxLayout(page)
        v.addStretch(1)
        self.progress_label = QLabel("Importing\u2026")
        v.addWidget(self.progress_label)
        self.bar = self.add_progress(layout=v)
        self.bar.setAccessibleName("Import progress")
        v.addStretch(1)
        self.pages.addWidget(page)

    def start_import(self) -> None:
        assert self.plan is not None
        plan, left_out, choices = self.plan, set(self.left_out), dict(self.choices)
        service = self.ctx.services.imports
        self._doing = "Importing"
        self.progress_label.setText(f"{self._doing}\u2026")
        self._go(2)
        self.bar.setRange(0, max(1, len(plan.rows)))
        self.run_task(lambda progress: service.run(plan, left_out, choices, progress),
                      self._imported, self._failed, moved=self._progressed)

    def _progressed(self, done: int, total: int) -> None:
        self.progress_label.setText(f"{self._doing}\u2026 {done:,} of {total:,} rows")

    def _imported(self, result: Any) -> None:
        self.result_value = result
        self.ctx.dialogs.info(
            self, "Imported",
            f"{result.created} created, {result.merged} merged into records already held, "
            f"{result.skipped} duplicates skipped, {result.left_out} rows left out. The import "
            "can be undone from the import history until any of its records is next changed.")

    def _failed(self, exc: BaseException) -> None:
        message = str(exc) if isinstance(exc, CccError) else f"Something went wrong: {exc}"
        self.ctx.dialogs.error(self, "Nothing was imported", message)
        if isinstance(exc, ImportRefused) and self.plan is not None:
            self.left_out.discard(exc.problem.row)
        if self.plan is not None:
            self._fill_preview()
        self._go(1)
