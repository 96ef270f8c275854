"""Attached documents for tests: PDFs with and without a text layer, Word and OpenDocument
texts built the way their programs split words, and a picture."""

from __future__ import annotations

import io
import zipfile

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"


def text_pdf(*lines: str) -> bytes:
    """A PDF with a text layer (as a letter saved from a word processor)."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    for i, line in enumerate(lines):
        c.drawString(72, 720 - 16 * i, line)
    c.save()
    return out.getvalue()


def scanned_pdf() -> bytes:
    """A PDF with no words on its page (as a scanner makes: a picture of the paper)."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.rect(72, 500, 300, 200, fill=1)
    c.save()
    return out.getvalue()


def mixed_pdf(*lines: str, blank: bool = False) -> bytes:
    """A PDF whose first page has a text layer and whose second is a scan (marks, no words), as
    a bundle of typed and scanned papers; ``blank``: the second page is empty instead."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    for i, line in enumerate(lines):
        c.drawString(72, 720 - 16 * i, line)
    c.showPage()
    if not blank:
        c.rect(72, 500, 300, 200, fill=1)
    c.showPage()
    c.save()
    return out.getvalue()


def docx(*runs: str) -> bytes:
    """A Word document whose one paragraph is split into runs, as Word splits it."""
    body = "".join(f"<w:r><w:t xml:space=\"preserve\">{r}</w:t></w:r>" for r in runs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f"<w:document><w:body><w:p>{body}</w:p><w:p><w:r>"
                                        "<w:t>Next</w:t><w:tab/><w:t>line</w:t></w:r></w:p>"
                                        "</w:body></w:document>")
    return out.getvalue()


def odt(*spans: str) -> bytes:
    body = "".join(f"<text:span>{s}</text:span>" for s in spans)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", ODT)
        z.writestr("content.xml", f"<office:document-content><text:p>{body}</text:p>"
                                  "<text:h>Head<text:s/>ing</text:h></office:document-content>")
    return out.getvalue()
