"""The Imports panel: choose a spreadsheet to import (the dialog that maps, checks and imports
it is in ``import_dialog.py``), save a template, and the history of imports with undo.
Everything the screens show comes from ``ImportService``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import format_datetime
from ccc_desktop.models.errors import CccError
from ccc_desktop.models.imports.fields import Kind
from ccc_desktop.models.imports.reading import Sheet
from ccc_desktop.models.imports.templates import template_csv, template_xlsx
from ccc_desktop.models.services.imports import ImportBatch
from ccc_desktop.ui.imports.import_dialog import ImportDialog
from ccc_desktop.ui.widgets.background import BackgroundTask
from ccc_desktop.ui.widgets.buttons import button, right_row
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.table_model import RecordTableModel, selected_record, table_view


def _when(iso: str) -> str:
    from datetime import datetime

    return format_datetime(datetime.fromisoformat(iso))


class ImportPanel(QWidget):
    """Settings > Import: start an import, the blank templates, and the history with undo."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        v = QVBoxLayout(self)
        intro = QLabel("Bring in families, volunteers (with their DBS checks) or session days "
                       "from a spreadsheet (Excel .xlsx or CSV). You see every row as it will be "
                       "stored, and every problem, before anything is written. Start from a blank "
                       "template to get the columns right.")
        intro.setWordWrap(True)
        v.addWidget(intro)
        row = QHBoxLayout()
        self.import_button = QPushButton("&Import from a spreadsheet\u2026")
        self.import_button.setObjectName("import_button")  # the first steps go here
        self.import_button.clicked.connect(self.choose_file)
        row.addWidget(self.import_button)
        self.template_kind = QComboBox()
        self.template_kind.setAccessibleName("Template for")
        for k in Kind:
            self.template_kind.addItem(k.label, k)
        row.addStretch(1)
        row.addWidget(QLabel("Blank template for"))
        row.addWidget(self.template_kind)
        for label, fmt in (("Save as Exce&l\u2026", "xlsx"), ("Save as C&SV\u2026", "csv")):
            b = QPushButton(label)
            b.clicked.connect(lambda _=False, f=fmt: self.save_template(f))
            row.addWidget(b)
        v.addLayout(row)
        # Reading a big file and undoing a big import take seconds: done in the background.
        busy = QHBoxLayout()
        self.busy_label = QLabel()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName("Working")
        busy.addWidget(self.busy_label)
        busy.addWidget(self.busy, 1)
        v.addLayout(busy)
        self._show_busy("")
        self.task: BackgroundTask | None = None
        v.addWidget(QLabel("<b>Import history</b>"))
        self.model: RecordTableModel[ImportBatch] = RecordTableModel([
            ("When", lambda b: _when(b.imported_at)),
            ("What", lambda b: b.kind.label),
            ("File", lambda b: b.file_name),
            ("By", lambda b: b.actor),
            ("Created", lambda b: b.created),
            ("Merged", lambda b: b.merged),
            ("Skipped", lambda b: b.skipped),
            ("Left out", lambda b: b.left_out),
            ("Undo", lambda b: (f"Undone {_when(b.undone_at)} by {b.undone_by}" if b.undone_at
                                else "Can be undone" if b.can_undo
                                else f"No longer: {b.undo_blocked}")),
        ])
        self.view = table_view(self.model, "Import history")
        v.addWidget(self.view)
        self.undo_button = button("&Undo the selected import\u2026", self.undo)
        v.addLayout(right_row(self.undo_button))
        self.view.selectionModel().selectionChanged.connect(self._selection)
        v.addWidget(QLabel("<b>Export everything</b>"))
        export_row = QHBoxLayout()
        note = QLabel("Every record, letter and attached document in one encrypted ZIP file "
                      "(AES-256; open it with 7-Zip), for handing the records on.")
        note.setWordWrap(True)
        export_row.addWidget(note, 1)
        self.export_button = QPushButton("E&xport everything\u2026")
        self.export_button.clicked.connect(self.export_all)
        export_row.addWidget(self.export_button)
        v.addLayout(export_row)
        ctx.bus.changed.connect(self._changed)
        self.refresh()

    def _changed(self, topics: frozenset[str]) -> None:
        if topics & {"imports", "families", "volunteers", "sessions", "audit"}:
            self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(self.ctx.services.imports.history())
        self._selection()

    def _selected(self) -> ImportBatch | None:
        return selected_record(self.view)

    def _selection(self, *_: Any) -> None:
        b = self._selected()
        self.undo_button.setEnabled(b is not None and b.can_undo and self.task is None)

    def export_all(self) -> None:
        from ccc_desktop.ui.imports.export import ExportDialog

        ExportDialog(self.ctx, self).exec()

    def choose_file(self) -> None:
        path = self.ctx.dialogs.open_file(self, "Choose the spreadsheet to import",
                                          "Spreadsheets (*.xlsx *.csv *.txt);;All files (*)")
        if not path:
            return
        service = self.ctx.services.imports
        self._run(f"Reading {Path(path).name}\u2026", lambda: service.read(Path(path)),
                  self._read, "Cannot read the file")

    def _show_busy(self, text: str) -> None:
        self.busy_label.setText(text)
        self.busy_label.setVisible(bool(text))
        self.busy.setVisible(bool(text))
        self.import_button.setEnabled(not text)
        if hasattr(self, "undo_button"):
            self._selection()

    def _run(self, text: str, work: Any, done: Any, title: str) -> None:
        """``work`` in the background while the panel says what it is doing; ``done`` with
        its result, or the refusal shown under ``title`` (on the window's thread: the task's
        results go to this panel's own methods)."""
        self._when_done, self._refused_title = done, title
        self.task = BackgroundTask(work, self._finished, self._failed, parent=self)
        self._show_busy(text)
        self.task.start()

    def _finished(self, value: Any) -> None:
        self.task = None
        self._show_busy("")
        self._when_done(value)

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self._show_busy("")
        if not isinstance(exc, CccError):
            raise exc
        self.ctx.dialogs.error(self, self._refused_title, str(exc))

    def _read(self, sheet: Sheet) -> None:
        dialog = ImportDialog(self.ctx, sheet, parent=self)
        dialog.exec()
        self.refresh()

    def save_template(self, fmt: str) -> None:
        kind = Kind(self.template_kind.currentData())
        path = self.ctx.dialogs.save_file(
            self, "Save the blank template", f"CCC import template - {kind.label.lower()}.{fmt}",
            "Excel workbook (*.xlsx)" if fmt == "xlsx" else "CSV (*.csv)")
        if not path:
            return
        data = template_xlsx(kind) if fmt == "xlsx" else template_csv(kind)
        try:
            Path(path).write_bytes(data)
        except OSError as exc:
            self.ctx.dialogs.error(self, "Template not saved", f"It could not be written: {exc.strerror}.")
            return
        self.ctx.dialogs.info(self, "Template saved", f"The blank template was saved as {path}.")

    def undo(self) -> None:
        b = self._selected()
        if b is None:
            return
        if not self.ctx.dialogs.confirm(
                self, "Undo the import?",
                f"Remove the {b.created} records created by the import of {b.file_name}"
                f"{' and what it added to ' + str(b.merged) + ' records already held' if b.merged else ''}? "
                "They are securely deleted.", yes="Undo the import", no="Keep them"):
            return
        service = self.ctx.services.imports
        self._run("Undoing the import\u2026", lambda: service.undo(b.id), self._undone, "Not undone")

    def _undone(self, n: int) -> None:
        self.refresh()
        self.ctx.dialogs.info(self, "Import undone", f"{n} records were removed.")
