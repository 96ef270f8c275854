"""The text of a stored PDF (a letter the program made), for disposal's search for a disposed
person's names (``storage/data_protection.clear_names``). In memory only: nothing is written."""

from __future__ import annotations


def pdf_text(pdf: bytes) -> str:
    """Every page's text, pages joined by a line break; '' when the PDF cannot be read."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError:
        return ""
    try:
        out = []
        for page in doc:
            textpage = page.get_textpage()
            try:
                out.append(textpage.get_text_range())
            finally:
                textpage.close()
                page.close()
        return "\n".join(out)
    finally:
        doc.close()
