"""The letter templates: edit, preview and restore the shipped text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import format_date
from ccc_desktop.ui.legal.common import LETTER_LABELS
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FieldErrors, banner_label
from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog
from ccc_desktop.ui.widgets.plain import wrapped_label


# ---- templates ----------------------------------------------------------------------------------
class TemplatesPanel(QWidget):
    """Edit a letter's template with its fields listed, preview it, or restore the shipped one."""

    def __init__(self, ctx: AppContext, run_dialog: Callable[[QDialog], bool]) -> None:
        super().__init__()
        self.ctx = ctx
        self.run_dialog = run_dialog
        self.kind: str | None = None
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(QLabel("<b>Letters</b>"))
        self.kinds = QListWidget()
        self.kinds.setAccessibleName("Letter templates")
        for lk in ctx.services.templates.kinds():
            item = QListWidgetItem(LETTER_LABELS.get(lk.kind, lk.title))
            item.setData(Qt.ItemDataRole.UserRole, lk.kind)
            self.kinds.addItem(item)
        self.kinds.setMaximumWidth(250)
        left.addWidget(self.kinds)
        help_text = wrapped_label(
            "Write the letter as plain text. A blank line starts a new paragraph; a line "
            "starting with ## is a heading; two blank lines leave room for a signature. "
            "<b>bold</b> and <i>italic</i> are allowed. Put a field in with {{ field }}, "
            "and leave text out when a field is empty with {% if field %}…{% endif %}.")
        help_text.setMaximumWidth(250)
        left.addWidget(help_text)
        layout.addLayout(left)

        middle = QVBoxLayout()
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 12pt;")
        middle.addWidget(self.title)
        self.state = wrapped_label()
        middle.addWidget(self.state)
        self.banner = banner_label()
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        middle.addWidget(self.banner)
        self.problems = FieldErrors(self.banner)  # what the template engine refuses, above the text
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("Template text")
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        middle.addWidget(self.editor, 1)
        row = QHBoxLayout()
        self.preview_button = QPushButton("Previe&w…")
        self.save_button = QPushButton("&Save template")
        self.restore_button = QPushButton("Restore the &default…")
        row.addWidget(self.restore_button)
        row.addStretch(1)
        row.addWidget(self.preview_button)
        row.addWidget(self.save_button)
        middle.addLayout(row)
        layout.addLayout(middle, 1)

        right = QVBoxLayout()
        right.addWidget(QLabel("<b>Fields</b> (double-click to insert)"))
        self.fields = QTableWidget(0, 2)
        self.fields.setTabKeyNavigation(False)  # Tab moves on; arrows move in the table
        self.fields.setHorizontalHeaderLabels(["Field", "What it holds"])
        self.fields.verticalHeader().hide()
        self.fields.horizontalHeader().setStretchLastSection(True)
        self.fields.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fields.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.fields.setAccessibleName("Fields this letter may use")
        self.fields.setMinimumWidth(330)
        right.addWidget(self.fields)
        layout.addLayout(right)

        self.kinds.currentItemChanged.connect(lambda cur, _prev: self.load(cur.data(Qt.ItemDataRole.UserRole) if cur else None))
        self.fields.cellDoubleClicked.connect(self.insert_field)
        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(self.save)
        self.restore_button.clicked.connect(self.restore)
        self.kinds.setCurrentRow(0)

    def load(self, kind: str | None) -> None:
        self.kind = kind
        self.banner.hide()
        if kind is None:
            return
        info = self.ctx.services.templates.get(kind)
        self.title.setText(info.title)
        self.state.setText("The shipped default." if info.is_default
                           else f"Edited on {format_date(date.fromisoformat(info.updated_at[:10]))}; "
                                "Restore the default to go back to the shipped text.")
        self.restore_button.setEnabled(not info.is_default)
        self.editor.setPlainText(info.body)
        self.fields.setRowCount(len(info.fields))
        for n, f in enumerate(info.fields):
            self.fields.setItem(n, 0, QTableWidgetItem(f.name))
            self.fields.setItem(n, 1, QTableWidgetItem(f.description))
        self.fields.resizeColumnToContents(0)

    def insert_field(self, row: int, _column: int) -> None:
        item = self.fields.item(row, 0)
        if item is not None:
            self.editor.insertPlainText("{{ " + item.text() + " }}")
            self.editor.setFocus()

    def preview(self) -> None:
        if self.kind is None:
            return
        kind = self.kind
        made = run_action(None, self, "", lambda: self.ctx.services.templates.preview(
            kind, self.editor.toPlainText()), errors=self.problems)
        if not made:
            return
        self.run_dialog(PdfPreviewDialog(self.ctx, pdf=made.value, title="Preview with sample values",
                                         suggested_name="template-preview.pdf", parent=self))

    def save(self) -> None:
        if self.kind is None:
            return
        kind = self.kind
        if not run_action(None, self, "", lambda: self.ctx.services.templates.save(
                kind, self.editor.toPlainText()), errors=self.problems):
            return
        self.load(kind)
        self.ctx.dialogs.info(self, "Saved", "The template has been saved. New letters use it.")

    def restore(self) -> None:
        if self.kind is None or not self.ctx.dialogs.confirm(
                self, "Restore the default?",
                "Replace your edited template with the shipped default? Your edits are lost.",
                "Restore"):
            return
        self.ctx.services.templates.restore_default(self.kind)
        self.load(self.kind)


