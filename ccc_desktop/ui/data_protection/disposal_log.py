"""Reports > Disposal log: each authorised disposal and what it destroyed, and the certificate
of disposal for the committee."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ccc_desktop.models.data_protection_records import CATEGORY_LABELS, DisposalBatch, DisposalEntry
from ccc_desktop.models.dates import format_date, format_datetime
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.buttons import button, right_row
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.plain import wrapped_label
from ccc_desktop.ui.widgets.table_model import RecordTable


def _audit_certificate(ctx: AppContext, how: str, batch_id: int) -> None:
    ctx.services.audit.record(f"disposal certificate {how}", "disposal", batch_id)


def show_certificate(ctx: AppContext, batch_id: int, parent: QWidget) -> None:
    from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

    done = run_action(ctx.dialogs, parent, "No certificate",
                      lambda: ctx.services.retention.certificate_pdf(batch_id))
    if not done:
        return
    pdf = done.value
    PdfPreviewDialog(ctx, pdf=pdf, title="Certificate of disposal",
                     suggested_name=f"disposal-certificate-{batch_id}.pdf",
                     on_output=lambda how: _audit_certificate(ctx, how, batch_id),
                     parent=parent).exec()


# ---- the disposal log -----------------------------------------------------------------------------------
class DisposalLogPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped_label("Each authorised disposal. The log keeps only the reference, the category, "
                               "the last-used date, the disposal date and who authorised it."))
        self.batch_view: RecordTable[DisposalBatch] = RecordTable([
            ("Disposal", lambda b: b.id),
            ("Date", lambda b: format_datetime(datetime.fromisoformat(b.disposed_at))),
            ("Authorised by", lambda b: f"{b.authorised_name} ({b.authorised_role})"),
            ("Records", lambda b: b.record_count),
            ("File compacted", lambda b: "Yes" if b.vacuumed else "Not yet"),
        ])
        self.batches = self.batch_view.records
        self.batch_view.selectionModel().selectionChanged.connect(lambda *_: self._show_entries())
        layout.addWidget(self.batch_view, 1)
        self.entry_view: RecordTable[DisposalEntry] = RecordTable([
            ("Reference", lambda e: e.reference),
            ("Category", lambda e: CATEGORY_LABELS.get(e.category, e.category)),
            ("Counted from", lambda e: format_date(e.last_used)),
            ("Disposed of on", lambda e: format_date(e.disposed_on)),
            ("Authorised by", lambda e: e.authorised_by),
        ])
        self.entries = self.entry_view.records
        layout.addWidget(self.entry_view, 2)
        self.certificate_button = button("Disposal &certificate…", self.certificate)
        layout.addLayout(right_row(self.certificate_button))
        ctx.bus.changed.connect(lambda topics: self.refresh() if "disposal" in topics else None)
        self.refresh()

    def refresh(self) -> None:
        if not self.ctx.services.session.is_open:
            return
        self.batch_view.set_rows(self.ctx.services.retention.batches())
        if self.batches.rows:  # the newest disposal
            self.batch_view.selectRow(0)
        self._show_entries()

    def selected(self) -> DisposalBatch | None:
        return self.batch_view.selected()

    def _show_entries(self) -> None:
        batch = self.selected()
        self.entry_view.set_rows(self.ctx.services.retention.batch(batch.id).entries if batch else [])
        self.certificate_button.setEnabled(batch is not None)

    def certificate(self) -> None:
        batch = self.selected()
        if batch is not None:
            show_certificate(self.ctx, batch.id, self)


