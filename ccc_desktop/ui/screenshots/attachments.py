"""Screens of attachments: a family's documents, a PDF and a picture previewed in the app."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from ccc_desktop.ui.shell.main_window import MainWindow


def _sample_png() -> bytes:
    """A scanned page, drawn here (fictional): what a photographed referral form looks like."""
    image = QImage(620, 800, QImage.Format.Format_RGB32)
    image.fill(QColor("#f4f1ea"))
    p = QPainter(image)
    p.setPen(QColor("#333333"))
    p.setFont(QFont("DejaVu Sans", 18, QFont.Weight.Bold))
    p.drawText(QRect(40, 40, 540, 40), Qt.AlignmentFlag.AlignLeft, "Referral form (sample)")
    p.setFont(QFont("DejaVu Sans", 11))
    for n, line in enumerate(["Referring agency: Example Family Court Team",
                              "Family: fictional, for the screenshot", "Contact: supported",
                              "Signed: ________________"]):
        p.drawText(QRect(40, 110 + n * 40, 540, 30), Qt.AlignmentFlag.AlignLeft, line)
    p.drawRect(40, 300, 540, 420)
    p.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")  # type: ignore[call-overload]
    return bytes(data.data())


def _sample_pdf() -> bytes:
    """A court order as a centre receives it (fictional): two short pages."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("Helvetica-Bold", 15)
    c.drawString(72, 770, "IN THE FAMILY COURT (fictional sample)")
    c.setFont("Helvetica-Bold", 13)
    c.drawString(72, 740, "Child Arrangements Order")
    c.setFont("Helvetica", 11)
    lines = ["Case number: ZZ00X00000 (sample)", "",
             "The court orders that the child shall spend time with the applicant",
             "at a supported child contact centre, every other Saturday,",
             "for two hours, for a period of twelve weeks.", "",
             "A copy of this order is to be given to the contact centre."]
    for n, line in enumerate(lines):
        c.drawString(72, 700 - n * 18, line)
    c.showPage()
    c.setFont("Helvetica", 11)
    c.drawString(72, 770, "Page 2: directions (sample text)")
    c.showPage()
    c.save()
    return out.getvalue()


def _family_with_documents(w: MainWindow) -> int:
    from ccc_desktop.ui.screenshots.families import _family_with_safety

    assert w.ctx is not None
    s = w.ctx.services
    family_id = _family_with_safety(w)
    if not s.attachments.list("family", family_id):
        s.attachments.add("family", family_id, "Child arrangements order (sample).pdf",
                          _sample_pdf())
        s.attachments.add("referral", family_id, "Referral form scan.png", _sample_png())
    return family_id


def _documents_tab(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.families.families import FamilyDialog

    assert w.ctx is not None
    dialog = FamilyDialog(w.ctx, _family_with_documents(w), w)
    page = dialog.documents.parentWidget()
    assert page is not None
    dialog.tabs.setCurrentWidget(page)
    dialog.show()
    QApplication.processEvents()
    return dialog


def _preview(owner: str) -> Callable[[MainWindow], QWidget]:
    def make(w: MainWindow) -> QWidget:
        from ccc_desktop.ui.attachments.attachments import preview_dialog

        assert w.ctx is not None
        family_id = _family_with_documents(w)
        a = w.ctx.services.attachments.list(owner, family_id)[0]
        dialog = preview_dialog(w.ctx, a, w)
        assert dialog is not None
        return dialog

    return make


def _sar_documents(w: MainWindow) -> QWidget:
    """Before a subject access response: the family's documents, one given, one withheld."""
    from ccc_desktop.ui.data_protection.subject_access import GIVE, DocumentReviewDialog

    assert w.ctx is not None
    s = w.ctx.services
    family_id = _family_with_documents(w)
    request = next((r for r in s.subject_access.list(open_only=True)
                    if r.subject_category == "family" and r.subject_record_id == family_id), None)
    if request is None:
        received = s.session.clock.today()
        request = s.subject_access.log("Requester (sample)", "Seen photo ID in person",
                                       received, "family", family_id, "")
    dialog = DocumentReviewDialog(w.ctx, request, s.subject_access.review(request.id), w)
    if len(dialog.boxes) >= 2:
        dialog.boxes[0].setCurrentIndex(2)
        dialog.boxes[1].setCurrentText(GIVE)
    return dialog


def _sample_docx(text: str) -> bytes:
    """A Word document with one paragraph (fictional), as Word saves it: a zip of XML."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document><w:body><w:p><w:r><w:t>"
                   f"{escape(text)}</w:t></w:r></w:p></w:body></w:document>")
    return out.getvalue()


def _disposal_with_documents(w: MainWindow) -> QWidget:
    """Disposing of a family whose first name a letter attached to another family mentions: the
    letter is listed to check, and that family's scanned form, which cannot be read, too."""
    from ccc_desktop.ui.data_protection.reports import DisposalDialog

    assert w.ctx is not None
    s = w.ctx.services
    due = [i for i in s.retention.report().due if i.category == "family"]
    family_id = _family_with_documents(w)
    if not due:
        return _documents_tab(w)
    first = s.families.get(due[0].record_id).adults[0].full_name.split()[0]
    if not any(a.name == "Letter from the school.docx" for a in s.attachments.list("family", family_id)):
        s.attachments.add("family", family_id, "Letter from the school.docx",
                          _sample_docx(f"{first} rang the school about the handover (sample)."))
    return DisposalDialog(w.ctx, due[:1], w)


ATTACHMENT_SHOTS: list[tuple[str, Callable[[MainWindow], QWidget]]] = [
    ("family-record-documents.png", _documents_tab),
    ("dialog-sar-documents.png", _sar_documents),
    ("dialog-attachment-pdf.png", _preview("family")),
    ("dialog-attachment-picture.png", _preview("referral")),
    ("dialog-disposal-documents.png", _disposal_with_documents),
]
