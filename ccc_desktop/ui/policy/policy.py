"""The Policy tab: the centre's confidentiality policy for everyone to read and print (clause 11);
the Coordinator and Chair edit it (each save is a version) and record the annual review (clause 12)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import format_date, format_entry
from ccc_desktop.models.legal_records import PolicyVersion
from ccc_desktop.models.roles import Permission
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FormDialog, line_edit, text_edit
from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog
from ccc_desktop.ui.widgets.plain import wrapped_label


def _saved(v: PolicyVersion) -> str:
    if v.id is None:
        return "The shipped policy text (not edited in this app yet)"
    when = format_date(date.fromisoformat(v.created_at[:10]))
    return f"Version {v.number}, saved {when}" + (f" by {v.created_by_name}" if v.created_by_name else "")


class PolicyEditDialog(FormDialog):
    def __init__(self, ctx: AppContext, body: str, parent: QWidget | None = None) -> None:
        super().__init__("Edit the confidentiality policy", parent,
                         "Saving makes a new version; earlier versions are kept.")
        self.body = QPlainTextEdit(body)
        self.body.setMinimumHeight(420)
        self.field("body", "Policy &text:", self.body)
        self.note = self.field("note", "What &changed:", line_edit("", "e.g. clause 8: DBS instead of CRB"))
        self.finish()
        self.resize(820, 640)
        self.on_save = lambda: ctx.services.policy.save(self.body.toPlainText(), self.note.text())


class ReviewDialog(FormDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Record the annual review", parent,
                         "Clause 12: the policy is reviewed, and if necessary updated, every year. "
                         "The next review falls due 12 months after this one.")
        self.reviewed_on = self.field("reviewed_on", "Reviewed &on:", line_edit(
            format_entry(ctx.services.session.clock.today()), "dd/mm/yyyy"))
        self.reviewed_by = self.field("reviewed_by", "Reviewed &by:", line_edit("", "e.g. the management committee"))
        self.changes = self.field("changes", "&Changes:", text_edit("", 80))
        self.finish()
        self.on_save = lambda: ctx.services.policy.record_review(
            self.reviewed_on.text(), self.reviewed_by.text(), self.changes.toPlainText())


class PolicyTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.can_edit = ctx.actor.can(Permission.EDIT_TEMPLATES)
        self.shown: PolicyVersion | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.version_label = wrapped_label()
        self.version_label.setStyleSheet("font-weight: bold;")
        top.addWidget(self.version_label, 1)
        self.print_button = QPushButton("&Print or save as PDF…")
        top.addWidget(self.print_button)
        self.edit_button = QPushButton("E&dit the policy…")
        self.review_button = QPushButton("Record a &review…")
        self.review_button.setObjectName("review_button")  # the first steps go here
        self.restore_button = QPushButton("Restore the shipped text…")
        if self.can_edit:
            top.addWidget(self.edit_button)
            top.addWidget(self.restore_button)
            top.addWidget(self.review_button)
        layout.addLayout(top)
        self.review_label = wrapped_label()
        self.review_label.setObjectName("policy_review_status")
        layout.addWidget(self.review_label)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("The confidentiality policy")
        self.text.setStyleSheet("font-size: 11pt;")
        split.addWidget(self.text)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        versions = QGroupBox("Versions")
        vl = QVBoxLayout(versions)
        self.versions = QListWidget()
        self.versions.setAccessibleName("Versions of the policy")
        self.versions.setWordWrap(True)
        vl.addWidget(self.versions)
        side_layout.addWidget(versions)
        reviews = QGroupBox("Annual reviews")
        rl = QVBoxLayout(reviews)
        self.reviews = QListWidget()
        self.reviews.setAccessibleName("Reviews of the policy")
        self.reviews.setWordWrap(True)
        rl.addWidget(self.reviews)
        side_layout.addWidget(reviews)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        self.print_button.clicked.connect(self.print_)
        self.edit_button.clicked.connect(self.edit)
        self.restore_button.clicked.connect(self.restore)
        self.review_button.clicked.connect(lambda: self.run_dialog(ReviewDialog(self.ctx, self)))
        self.versions.currentItemChanged.connect(lambda cur, _prev: self._show_version(cur))
        ctx.bus.changed.connect(lambda t: self.refresh() if "policy" in t and ctx.services.session.is_open else None)
        self.refresh()

    def run_dialog(self, dialog: QDialog) -> bool:
        """Tests replace this to fill in and submit the dialog instead of running it."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def refresh(self) -> None:
        policy = self.ctx.services.policy
        current = policy.current()
        self.versions.blockSignals(True)
        self.versions.clear()
        all_versions = policy.versions() or [current]
        for v in all_versions:
            item = QListWidgetItem(_saved(v) + (f" — {v.note}" if v.id is not None and v.note else ""))
            item.setData(Qt.ItemDataRole.UserRole, v.id)
            self.versions.addItem(item)
        self.versions.setCurrentRow(0)
        self.versions.blockSignals(False)
        self._display(current, True)
        status = policy.review_status()
        if status.last_review is None:
            self.review_label.setText("No annual review is recorded yet (clause 12).")
        else:
            r = status.last_review
            due = format_date(status.next_due)
            late = status.days_left is not None and status.days_left < 0
            self.review_label.setText(
                f"Last reviewed on {format_date(r.reviewed_on)} by {r.reviewed_by}. "
                f"Next review {'was ' if late else ''}due on {due}.")
            self.review_label.setStyleSheet("color: #b00020;" if late else "")
        self.reviews.clear()
        for r in policy.reviews():
            self.reviews.addItem(f"{format_date(r.reviewed_on)} — {r.reviewed_by}: {r.changes}")

    def _display(self, version: PolicyVersion, current: bool) -> None:
        self.shown = version
        self.text.setPlainText(version.body)
        self.version_label.setText(_saved(version) + (" (in force)" if current else " (an earlier version)"))

    def _show_version(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        vid = item.data(Qt.ItemDataRole.UserRole)
        current = self.ctx.services.policy.current()
        if vid is None or vid == current.id:
            self._display(current, True)
        else:
            self._display(self.ctx.services.policy.version(int(vid)), False)

    def edit(self) -> None:
        self.run_dialog(PolicyEditDialog(self.ctx, self.ctx.services.policy.current().body, self))

    def restore(self) -> None:
        if not self.ctx.dialogs.confirm(
                self, "Restore the shipped text?",
                "Save the policy text that came with CCC Desktop as a new version? Earlier "
                "versions are kept.", "Restore"):
            return
        run_action(self.ctx.dialogs, self, "Not restored",
                   lambda: self.ctx.services.policy.restore_shipped())

    def print_(self) -> None:
        version = self.shown
        pdf = self.ctx.services.policy.pdf(version.id if version is not None else None)
        self.run_dialog(PdfPreviewDialog(
            self.ctx, pdf=pdf, title="Confidentiality policy", suggested_name="confidentiality-policy.pdf",
            on_output=self.ctx.services.policy.record_output, parent=self))

