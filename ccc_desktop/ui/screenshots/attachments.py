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


def _family_with_documents(w: MainWindow) -> int:
    from ccc_desktop.ui.screenshots.families import _family_with_safety

    assert w.ctx is not None
    s = w.ctx.services
    family_id = _family_with_safety(w)
    if not s.attachments.list("family", family_id):
        letter = next(d.letter_id for d in s.disclosures.log() if d.letter_id)
        s.attachments.add("family", family_id, "Child arrangements order (sample).pdf",
                          s.letters.open(letter))
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


ATTACHMENT_SHOTS: list[tuple[str, Callable[[MainWindow], QWidget]]] = [
    ("family-record-documents.png", _documents_tab),
    ("dialog-attachment-pdf.png", _preview("family")),
    ("dialog-attachment-picture.png", _preview("referral")),
]
